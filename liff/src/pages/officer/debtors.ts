// รายชื่อลูกหนี้: search by name or contract, filter by colour, days past due, tambon, mentor, no contact and
// promises due this week; a page at a time ("แสดงเพิ่ม"). The filters live in the address, so "back" keeps them.
import { COLOUR_THAI, COLOURS, DPD_BAND_VALUES, type DebtorListResponse } from '../../../../server/contracts/officer.ts';
import { api } from '../../api.ts';
import { h } from '../../dom.ts';
import type { Page } from '../../app-context.ts';
import { busy, button, notice } from '../../ui.ts';
import { debtorRow } from './parts.ts';

const PAGE_SIZE = 20;
const FILTER_KEYS = ['q', 'colour', 'dpd', 'tambon', 'mentor', 'noContactDays', 'promiseDue', 'planned', 'linked'] as const;

/** Whether she opened ตัวกรองเพิ่มเติม: kept across the redraw a filter causes, so a colour tap does not fold it. */
let moreFiltersOpen = false;
const DPD_THAI: Record<(typeof DPD_BAND_VALUES)[number], string> = { '1-30': 'ค้าง 1–30 วัน', '31-60': 'ค้าง 31–60 วัน', '61-90': 'ค้าง 61–90 วัน', '90+': 'ค้างเกิน 90 วัน' };

export const debtorListPage: Page = async (context) => {
  context.setTitle('ลูกหนี้');
  const me = await context.officer();
  const filters = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = context.query.get(key);
    if (value) filters.set(key, value);
  }
  const apply = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(filters);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    context.navigate(`/liff/officer/debtors${[...next.keys()].length ? `?${next}` : ''}`, { replace: true });
  };

  const search = h('input', { type: 'search', name: 'q', value: filters.get('q') ?? '', placeholder: 'ชื่อ หรือเลขที่สัญญา', 'aria-label': 'ค้นหาลูกหนี้', enterkeyhint: 'search', class: 'search-input' });
  const searchForm = h('form', { class: 'search', role: 'search', onSubmit: (event: Event) => (event.preventDefault(), apply({ q: search.value.trim() || null })) }, search, h('button', { type: 'submit', class: 'btn primary search-button' }, 'ค้นหา'));

  const colourChips = h(
    'div',
    { class: 'filter-chips', role: 'group', 'aria-label': 'สีสถานะ' },
    [['', 'ทุกสี'] as const, ...COLOURS.map((c) => [c, COLOUR_THAI[c].label] as const)].map(([value, label]) =>
      h('button', { type: 'button', class: `filter-chip${(filters.get('colour') ?? '') === value ? ' on' : ''}${value ? ` colour-${value}` : ''}`, 'aria-pressed': (filters.get('colour') ?? '') === value ? 'true' : 'false', onClick: () => apply({ colour: value || null }) }, label),
    ),
  );

  const select = (name: string, label: string, options: Array<[string, string]>) =>
    h(
      'label',
      { class: 'filter-select' },
      h('span', null, label),
      h('select', { name, onChange: (event: Event) => apply({ [name]: (event.target as HTMLSelectElement).value || null }) }, options.map(([value, text]) => h('option', { value, selected: (filters.get(name) ?? '') === value }, text))),
    );
  const moreCount = ['dpd', 'tambon', 'mentor', 'noContactDays', 'promiseDue', 'planned', 'linked'].filter((key) => filters.has(key)).length;
  const more = h(
    'details',
    { class: 'more-filters', open: moreCount > 0 || moreFiltersOpen, onToggle: (event: Event) => (moreFiltersOpen = (event.currentTarget as HTMLDetailsElement).open) },
    h('summary', null, `ตัวกรองเพิ่มเติม${moreCount ? ` (${moreCount})` : ''}`),
    select('dpd', 'วันค้างชำระ', [['', 'ทุกช่วง'], ...DPD_BAND_VALUES.map((band) => [band, DPD_THAI[band]] as [string, string])]),
    me.tambons.length > 1 ? select('tambon', 'ตำบล', [['', 'ทุกตำบล'], ...me.tambons.map((t) => [String(t.id), t.area] as [string, string])]) : null,
    me.mentors.length > 0 ? select('mentor', 'ทีมพี่เลี้ยง', [['', 'ทุกคน'], ['none', 'ยังไม่มีพี่เลี้ยง'], ...me.mentors.map((m) => [String(m.id), m.fullName] as [string, string])]) : null,
    select('noContactDays', 'การติดตาม', [['', 'ทั้งหมด'], ['30', 'ไม่ได้ติดต่อเกิน 30 วัน'], ['60', 'ไม่ได้ติดต่อเกิน 60 วัน'], ['90', 'ไม่ได้ติดต่อเกิน 90 วัน']]),
    select('promiseDue', 'นัดชำระ', [['', 'ทั้งหมด'], ['week', 'นัดชำระในสัปดาห์นี้']]),
    select('planned', 'นัดติดตาม', [['', 'ทั้งหมด'], ['none', 'ค้างชำระ ยังไม่มีนัดติดตาม']]),
    select('linked', 'LINE', [['', 'ทั้งหมด'], ['no', 'ยังไม่ผูกบัญชี LINE'], ['yes', 'ผูกบัญชี LINE แล้ว']]),
    moreCount || filters.has('q') || filters.has('colour') ? button('ล้างตัวกรองทั้งหมด', () => context.navigate('/liff/officer/debtors', { replace: true }), 'secondary') : null,
  );

  const list = h('div', { class: 'debtor-list', 'data-testid': 'debtor-list' });
  const status = h('p', { class: 'muted list-count', 'aria-live': 'polite' });
  const moreButton = button('แสดงเพิ่ม', () => void busy(moreButton, 'กำลังโหลด…', () => load(page + 1)), 'secondary');
  let page = 1;

  /** Page `n`; or, coming back, the first `pages` pages in one request. */
  async function load(n: number, pages = 1) {
    const query = new URLSearchParams(filters);
    query.set('page', String(n));
    query.set('pageSize', String(PAGE_SIZE * pages));
    const result = await api<DebtorListResponse>('GET', `/api/liff/officer/debtors?${query}`);
    page = n + pages - 1;
    list.append(...result.items.map((item) => debtorRow(item)));
    const shown = list.childElementCount;
    status.textContent = result.total === 0 ? '' : `พบ ${result.total.toLocaleString('th-TH')} ราย${shown < result.total ? ` (แสดง ${shown.toLocaleString('th-TH')} รายแรก)` : ''}`;
    moreButton.hidden = shown >= result.total;
    if (result.total === 0) list.replaceChildren(notice([...filters.keys()].length ? 'ไม่พบลูกหนี้ตามเงื่อนไขนี้ค่ะ ลองเปลี่ยนตัวกรอง' : 'ยังไม่มีลูกหนี้ในพื้นที่ของท่านค่ะ'));
  }

  // Back (or forward, or a reload) to the list: the rows she had opened with แสดงเพิ่ม, at the place she left, kept on
  // this history entry when she opened a debtor (the same filters only; up to 100 rows, one request). A filter, a link
  // or the tab starts at the top. Before, back showed the first 20 at the top.
  const { debtorList: kept, ...state } = (history.state as { debtorList?: { search: string; pages: number; y: number } } | null) ?? {};
  const restoring = context.returning && kept?.search === location.search ? kept : undefined;
  // Reached by a filter (which keeps the entry's state) or a link: an old place is no place to come back to later.
  if (kept && !context.returning) history.replaceState(state, '');
  await load(1, restoring ? Math.min(restoring.pages, 100 / PAGE_SIZE) : 1);
  context.root.replaceChildren(searchForm, colourChips, more, status, list, moreButton);
  if (restoring) requestAnimationFrame(() => window.scrollTo(0, restoring.y));
  list.addEventListener('click', () => history.replaceState({ ...(history.state as object | null), debtorList: { search: location.search, pages: page, y: window.scrollY } }, ''));
};
