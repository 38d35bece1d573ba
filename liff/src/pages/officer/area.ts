// พื้นที่ของฉัน: debtors and money by colour, the overdue rate against the fund's 5 % and the province's 10 %, the
// same per district (or tambon) with sorting, and a tambon's link-code slips to print for the monthly forum.
import { COLOUR_THAI, type AreaSummary, type LinkCodeBatchCreated } from '../../../../server/contracts/officer.ts';
import { api, ApiError } from '../../api.ts';
import { h, replace } from '../../dom.ts';
import { formatInstantTime, formatSatang, formatThaiDate } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { busy, button, card, linkButton, notice } from '../../ui.ts';
import { colourChip, section } from './parts.ts';

type Row = NonNullable<AreaSummary['breakdown']>['rows'][number];
const SORTS: Array<{ key: string; label: string; compare: (a: Row, b: Row) => number }> = [
  { key: 'rate', label: 'อัตราหนี้เกินกำหนด', compare: (a, b) => b.overdueRatePercent - a.overdueRatePercent },
  { key: 'overdue', label: 'ยอดค้าง', compare: (a, b) => b.overdueSatang - a.overdueSatang },
  { key: 'debtors', label: 'จำนวนลูกหนี้', compare: (a, b) => b.debtors - a.debtors },
  { key: 'name', label: 'ชื่อ', compare: (a, b) => a.name.localeCompare(b.name, 'th') },
];

const percent = (value: number) => `${value.toFixed(2)}%`;

function rateBadge(value: number, target: number, label: string): HTMLElement {
  const ok = value < target;
  return h('span', { class: `badge ${ok ? 'ok' : 'over'}` }, `${ok ? '✓' : '✗'} ${label} < ${target}%`);
}

export const areaPage: Page = async (context) => {
  context.setTitle('พื้นที่ของฉัน');
  const [me, area] = await Promise.all([context.officer(), api<AreaSummary>('GET', '/api/liff/officer/area')]);
  const totals = area.totals;
  let sort = context.query.get('sort') ?? 'rate';

  const breakdownBody = h('div', { class: 'area-rows' });
  const drawRows = () => {
    const rows = [...(area.breakdown?.rows ?? [])].sort((SORTS.find((s) => s.key === sort) ?? SORTS[0]!).compare);
    breakdownBody.replaceChildren(
      ...rows.map((row) =>
        h(
          area.breakdown?.levelLabel === 'ตำบล' ? 'a' : 'div',
          { class: 'area-row', ...(area.breakdown?.levelLabel === 'ตำบล' ? { href: `/liff/officer/debtors?tambon=${row.areaId}`, 'data-link': true } : {}) },
          h('span', { class: 'area-name' }, `${area.breakdown!.levelLabel}${row.name}`, h('small', { class: 'muted' }, `${row.debtors.toLocaleString('th-TH')} ราย · ค้าง ${formatSatang(row.overdueSatang)}`)),
          h('strong', { class: row.meetsFundTarget ? 'green' : row.meetsProvinceIndicator ? 'amber' : 'red' }, percent(row.overdueRatePercent)),
        ),
      ),
    );
  };
  const sortBar = h(
    'div',
    { class: 'filter-chips', role: 'group', 'aria-label': 'เรียงตาม' },
    SORTS.map((s) =>
      h('button', {
        type: 'button',
        class: `filter-chip${s.key === sort ? ' on' : ''}`,
        'aria-pressed': s.key === sort ? 'true' : 'false',
        onClick: (event: Event) => {
          sort = s.key;
          for (const chip of sortBar.querySelectorAll('.filter-chip')) chip.classList.toggle('on', chip === event.currentTarget);
          drawRows();
        },
      }, s.label),
    ),
  );
  drawRows();

  const slips = me.can.issueLinkCodes && me.tambons.length > 0 ? slipsCard(me.tambons, context.session.openExternal) : null;
  replace(
    context.root,
    card(
      h('p', { class: 'muted' }, `${area.title} · ข้อมูล ณ ${formatThaiDate(area.today)}`),
      h('p', { class: 'big-rate' }, h('span', { class: totals.meetsFundTarget ? 'green' : 'red', 'data-testid': 'overdue-rate' }, percent(totals.overdueRatePercent)), h('small', null, 'หนี้เกินกำหนดชำระ')),
      h('div', { class: 'badges' }, rateBadge(totals.overdueRatePercent, area.fundTargetPercent, 'เป้ากองทุน'), rateBadge(totals.overdueRatePercent, area.provinceIndicatorPercent, 'ตัวชี้วัดจังหวัด')),
      h(
        'dl',
        { class: 'rows' },
        h('div', null, h('dt', null, 'ลูกหนี้ทั้งหมด'), h('dd', null, `${totals.debtors.toLocaleString('th-TH')} ราย`)),
        h('div', null, h('dt', null, 'หนี้คงค้าง'), h('dd', null, formatSatang(totals.outstandingSatang))),
        h('div', null, h('dt', null, 'เกินกำหนดชำระ'), h('dd', { class: 'red' }, formatSatang(totals.overdueSatang))),
      ),
    ),
    section(
      'แยกตามสี',
      undefined,
      h(
        'div',
        { class: 'colour-rows' },
        totals.byColour.map((c) =>
          h(
            'a',
            { class: 'colour-row', href: `/liff/officer/debtors?colour=${c.colour}`, 'data-link': true },
            colourChip(c.colour),
            h('span', null, `${c.debtors.toLocaleString('th-TH')} ราย`),
            h('small', { class: 'muted' }, c.overdueSatang > 0 ? `ค้าง ${formatSatang(c.overdueSatang)}` : `คงค้าง ${formatSatang(c.outstandingSatang)}`),
            h('span', { class: 'visually-hidden' }, COLOUR_THAI[c.colour].label),
          ),
        ),
      ),
    ),
    me.role === 'mentor'
      ? null
      : section(
          'รายงานและไฟล์ Excel',
          undefined,
          h('p', { class: 'muted' }, 'อายุหนี้และ PAR ผลการรับชำระ การติดตาม 5 ต. มาตรการ และรายชื่อตามสี ณ วันใดก็ได้'),
          linkButton('เปิดรายงาน', '/liff/officer/reports/ageing', 'primary'),
          me.role === 'province' ? linkButton('จัดสรรงบประมาณรายอำเภอ', '/liff/officer/budget', 'secondary') : null,
        ),
    // Seed 003: districts score their community fund centres, the province ranks them (once a year).
    me.role === 'mentor' || me.role === 'admin'
      ? null
      : section(
          'คัดเลือกศูนย์จัดการกองทุนชุมชนต้นแบบ',
          undefined,
          h(
            'p',
            { class: 'muted' },
            // Each level reads what it does in the selection: districts score, the province ranks, the department reads.
            me.role === 'district' || me.role === 'tambon'
              ? 'ให้คะแนนศูนย์ตามเกณฑ์ 20 ตัวชี้วัด 100 คะแนน ส่งผลให้จังหวัด และดูอันดับ'
              : me.role === 'province'
                ? 'เปิดรอบการคัดเลือก ตรวจผลที่อำเภอส่ง และจัดอันดับศูนย์ของจังหวัด'
                : 'ดูรอบการคัดเลือกและอันดับศูนย์ของแต่ละจังหวัด',
          ),
          linkButton('เปิดการคัดเลือกศูนย์', '/liff/officer/centres', 'secondary'),
        ),
    area.breakdown ? section(`ราย${area.breakdown.levelLabel}`, area.breakdown.rows.length, sortBar, breakdownBody) : null,
    slips,
  );
};

function slipsCard(tambons: Array<{ id: number; name: string; area: string }>, openExternal: (url: string) => void): HTMLElement {
  // "ต.บางพระ อ.เมืองตราด จ.ตราด" is cut off on a phone: a province all the choices share goes into the label.
  const province = / จ\.\S+$/.exec(tambons[0]?.area ?? '')?.[0];
  const shared = province !== undefined && tambons.every((t) => t.area.endsWith(province));
  const select = h('select', { name: 'tambon', id: 'field-tambon' }, tambons.map((t) => h('option', { value: String(t.id) }, shared ? t.area.slice(0, -province.length) : t.area)));
  const result = h('div', { 'aria-live': 'polite' });
  const make = button('สร้างชุดรหัสผูกบัญชี (PDF)', (event) => {
    const target = event.currentTarget as HTMLButtonElement;
    void busy(target, 'กำลังเตรียม…', async () => {
      const batch = await api<LinkCodeBatchCreated>('POST', '/api/liff/officer/link-code-batches', { body: { tambon: Number(select.value) } });
      result.replaceChildren(
        batch.slipCount === 0
          ? notice(`ลูกหนี้ใน${batch.tambon}ผูกบัญชี LINE ครบทุกคนแล้วค่ะ`, 'success')
          : h(
              'div',
              null,
              notice(
                `${batch.tambon}: ลูกหนี้ที่ยังไม่ผูกบัญชี ${batch.slipCount.toLocaleString('th-TH')} ราย (หน้า A4 ละ 5 ใบ) เปิดได้ครั้งเดียว ภายใน ${formatInstantTime(batch.expiresAt)} ` +
                  'เมื่อเปิด รหัสเดิมที่ยังไม่ได้ใช้ของลูกหนี้เหล่านี้จะถูกแทนที่ด้วยรหัสในเอกสาร',
                'info',
              ),
              button('เปิด PDF เพื่อพิมพ์', () => {
                openExternal(batch.downloadUrl);
                result.replaceChildren(notice('เปิด PDF แล้วค่ะ รหัสเดิมที่ยังไม่ได้ใช้ของลูกหนี้เหล่านี้ถูกแทนที่ด้วยรหัสใหม่ในเอกสาร', 'success'));
              }, 'primary', { 'data-testid': 'open-slips' }),
            ),
      );
      // The answer lands at the bottom of a long page, under the tab bar: bring it into view.
      result.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }).catch((error: unknown) => result.replaceChildren(notice(error instanceof ApiError ? error.message : 'สร้างไม่สำเร็จค่ะ', 'error')));
  }, 'secondary');
  return section(
    'รหัสผูกบัญชีสำหรับเวทีประชาคม',
    undefined,
    h('p', { class: 'muted' }, 'พิมพ์ใบรหัสของลูกหนี้ที่ยังไม่ผูกบัญชี LINE ทั้งตำบล ตัดแจกในเวทีประจำเดือน'),
    h('label', { class: 'filter-select' }, h('span', null, shared ? `ตำบล (${province.trim()})` : 'ตำบล'), select),
    make,
    result,
  );
}
