// คัดเลือกศูนย์ต้นแบบ (seed 003): rounds and centres; a district scores a centre indicator by indicator (level with its
// criterion, evidence ticks, photos or PDFs, the video link), saves a draft any phone can continue, sees the running
// total and what is missing, and submits; the province completes the rubric, opens rounds, ranks, verifies and
// downloads the XLSX and each centre's PDF page.
import type {
  AssessmentPage,
  CentreSelectionHome,
  RankingPage,
  RoundPage,
  RoundSummary,
  RubricIndicatorView,
  RubricView,
} from '../../../../server/contracts/centres.ts';
import { withScheme } from '../../../../server/contracts/centres.ts';
import { api, ApiError, downloadFile, errorText, fileUrl } from '../../api.ts';
import { h, replace, type Child } from '../../dom.ts';
import { normalizeThaiDigits, formatInstantDay, formatInstantTime } from '../../format.ts';
import type { Page, PageContext } from '../../app-context.ts';
import { busy, button, card, field, filePicker, linkButton, notice, showFieldErrors } from '../../ui.ts';
import { prepareUpload } from '../uploads.ts';
import { dateInput, section } from './parts.ts';

const API = '/api/liff/officer/centre-selection';
const HOME = '/liff/officer/centres';
const roundHref = (id: number) => `${HOME}/rounds/${id}`;
const scoreHref = (roundId: number, centreId: number) => `${HOME}/rounds/${roundId}/centres/${centreId}`;
const rubricHref = (id: string) => `${HOME}/rubrics/${encodeURIComponent(id)}`;
/** "centre-rubric.v3" → "เกณฑ์ฉบับที่ 3": officers read the number, the id stays for the record. */
const rubricLabel = (id: string) => {
  const n = /\.v(\d+)$/.exec(id)?.[1];
  return n ? `เกณฑ์ฉบับที่ ${n}` : id;
};

/** Shows an API error beside its fields, the rest (and the server's list of reasons) in `message`. */
function showError(form: HTMLElement, message: HTMLElement, error: unknown, fallback: string) {
  if (error instanceof ApiError && error.errors.length) {
    const rest = showFieldErrors(form, error.errors);
    message.replaceChildren(notice(error.message, 'error'), ...(rest.length > 1 ? [h('ul', { class: 'plain-list' }, rest.map((r) => h('li', null, r)))] : []));
  } else message.replaceChildren(notice(errorText(error, fallback), 'error'));
}

function roundRow(round: RoundSummary): HTMLElement {
  return h(
    'a',
    { class: 'debtor-row', href: roundHref(round.id), 'data-link': true, 'data-round': round.id },
    h('span', { class: 'debtor-head' }, h('strong', null, `ปีงบประมาณ ${round.fiscalYearBE}`), h('span', { class: `chip ${round.open ? 'waiting' : 'late'}` }, round.open ? 'เปิดรับ' : 'ปิดแล้ว')),
    h('span', { class: 'muted' }, `จังหวัด${round.province} · ${round.statusLabel}`),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The start: rounds, centres, and what the caller may start

export const centresHomePage: Page = async (context) => {
  context.setTitle('คัดเลือกศูนย์ต้นแบบ');
  const home = await api<CentreSelectionHome>('GET', API);
  const parts: Child[] = [context.flash ? notice(context.flash, 'success') : null];
  parts.push(
    section(
      'รอบการคัดเลือก',
      home.rounds.length,
      home.rounds.length ? h('div', { class: 'debtor-list', 'data-testid': 'rounds' }, home.rounds.map(roundRow)) : h('p', { class: 'muted empty' }, home.can.openRounds ? 'ยังไม่มีรอบการคัดเลือก เปิดรอบได้จากด้านล่างค่ะ' : 'ยังไม่มีรอบการคัดเลือก จังหวัดจะเปิดรอบและแจ้งทาง LINE ค่ะ'),
    ),
  );
  if (home.can.registerCentres) {
    parts.push(
      section(
        'ศูนย์ในพื้นที่ของฉัน',
        home.centres.length,
        home.centres.length
          ? h('ul', { class: 'plain-list centre-list' }, home.centres.map((c) => h('li', null, h('strong', null, c.name), h('br'), h('small', { class: 'muted' }, [c.village, c.area].filter(Boolean).join(' · ')))))
          : h('p', { class: 'muted empty' }, 'ยังไม่มีศูนย์ที่ลงทะเบียน'),
        registerCentreForm(context, home),
      ),
    );
  }
  if (home.can.openRounds) parts.push(openRoundForm(context, home));
  if (home.can.editRubrics || home.can.rank) {
    parts.push(
      section(
        'เกณฑ์การให้คะแนน',
        home.rubrics.length,
        h(
          'div',
          { class: 'debtor-list' },
          home.rubrics.map((r) =>
            h(
              'a',
              { class: 'debtor-row', href: rubricHref(r.id), 'data-link': true, 'data-rubric': r.id },
              h('span', { class: 'debtor-head' }, h('strong', null, rubricLabel(r.id)), h('span', { class: `chip ${r.complete ? 'waiting' : 'late'}` }, r.complete ? 'ครบถ้วน' : 'ยังไม่ครบ')),
              h('small', { class: 'muted' }, `${r.basedOn ? `แก้จาก${rubricLabel(r.basedOn)} เมื่อ ${formatInstantDay(r.createdAt)}` : 'ตามเอกสารต้นฉบับ'}${r.rounds ? ` · ใช้แล้ว ${r.rounds} รอบ` : ''}`),
            ),
          ),
        ),
      ),
    );
  }
  replace(context.root, ...parts);
};

function registerCentreForm(context: PageContext, home: CentreSelectionHome): HTMLElement {
  const tambon = h('select', { name: 'tambonId' }, h('option', { value: '' }, 'เลือกตำบล'), home.tambons.map((t) => h('option', { value: String(t.id) }, t.area)));
  const name = h('input', { type: 'text', name: 'name', placeholder: 'เช่น ศูนย์จัดการกองทุนชุมชนบ้านต๊ำ' });
  const village = h('input', { type: 'text', name: 'village', placeholder: 'เช่น บ้านต๊ำ หมู่ 3' });
  const contactName = h('input', { type: 'text', name: 'contactName' });
  const contactPhone = h('input', { type: 'tel', name: 'contactPhone', inputMode: 'numeric', placeholder: '08xxxxxxxx' });
  const groups = h('textarea', { name: 'memberGroups', rows: 3, placeholder: 'กลุ่มละหนึ่งบรรทัด เช่น\nกองทุนหมู่บ้าน\nกลุ่มออมทรัพย์เพื่อการผลิต' });
  const message = h('div');
  const form = h(
    'form',
    { class: 'officer-form', novalidate: true, onSubmit: (e: Event) => e.preventDefault() },
    field('tambonId', 'ตำบล', tambon),
    field('name', 'ชื่อศูนย์', name),
    field('village', 'หมู่บ้าน', village, 'ไม่บังคับ'),
    field('contactName', 'ผู้ประสานงาน', contactName, 'ไม่บังคับ'),
    field('contactPhone', 'เบอร์โทร', contactPhone, 'ไม่บังคับ'),
    field('memberGroups', 'กลุ่ม/กองทุนที่เป็นสมาชิก', groups, 'ไม่บังคับ'),
    message,
    button('ลงทะเบียนศูนย์', (event) => {
      void busy(event.currentTarget as HTMLButtonElement, 'กำลังบันทึก…', async () => {
        try {
          await api('POST', `${API}/centres`, {
            body: {
              tambonId: Number(tambon.value) || 0,
              name: name.value,
              village: village.value,
              contactName: contactName.value,
              // Thai digits as phones type them ("๐๘๙…"), then digits only: "\D" alone dropped the whole number.
              contactPhone: normalizeThaiDigits(contactPhone.value).replace(/\D/g, ''),
              memberGroups: groups.value.split('\n').map((g) => g.trim()).filter(Boolean),
            },
          });
          context.navigate(HOME, { replace: true, flash: 'ลงทะเบียนศูนย์แล้วค่ะ' });
        } catch (error) {
          showError(form, message, error, 'ลงทะเบียนไม่สำเร็จค่ะ');
        }
      });
    }, 'secondary', { 'data-testid': 'register-centre' }),
  );
  return h('details', { class: 'more-filters', open: context.query.get('register') === '1' }, h('summary', null, 'ลงทะเบียนศูนย์ใหม่'), form);
}

function openRoundForm(context: PageContext, home: CentreSelectionHome): HTMLElement {
  const usable = home.rubrics.filter((r) => r.complete);
  const thisYearBE = Number(home.today.slice(0, 4)) + 543 + (Number(home.today.slice(5, 7)) >= 10 ? 1 : 0);
  const year = h('input', { type: 'text', inputMode: 'numeric', name: 'fiscalYearBE', value: String(thisYearBE) });
  const rubric = h('select', { name: 'rubricId' }, usable.length ? usable.map((r) => h('option', { value: r.id }, rubricLabel(r.id))) : h('option', { value: '' }, 'ยังไม่มีเกณฑ์ที่ครบถ้วน'));
  const deadline = dateInput('deadlineOn', '', { min: home.today });
  const message = h('div');
  const form = h(
    'form',
    { class: 'officer-form', novalidate: true, onSubmit: (e: Event) => e.preventDefault() },
    usable.length ? null : notice('เกณฑ์ที่ได้จากเอกสารต้นฉบับยังขาด 6 ตัวชี้วัดและชื่อด้านที่ 3 กรุณาเปิดเกณฑ์แล้วกรอกให้ครบก่อนเปิดรอบค่ะ', 'info'),
    field('fiscalYearBE', 'ปีงบประมาณ (พ.ศ.)', year),
    field('rubricId', 'เกณฑ์ที่ใช้', rubric),
    field('deadlineOn', 'อำเภอส่งผลได้ถึงวันที่', deadline),
    message,
    button('เปิดรอบและแจ้งอำเภอทาง LINE', (event) => {
      void busy(event.currentTarget as HTMLButtonElement, 'กำลังเปิดรอบ…', async () => {
        try {
          const round = await api<RoundSummary>('POST', `${API}/rounds`, { body: { fiscalYearBE: Number(year.value), rubricId: rubric.value, deadlineOn: deadline.querySelector('input')!.value } });
          context.navigate(roundHref(round.id), { flash: 'เปิดรอบการคัดเลือกและแจ้งอำเภอแล้วค่ะ' });
        } catch (error) {
          showError(form, message, error, 'เปิดรอบไม่สำเร็จค่ะ');
        }
      });
    }, 'primary', { 'data-testid': 'open-round' }),
  );
  return section('เปิดรอบการคัดเลือก', undefined, form);
}

// ---------------------------------------------------------------------------------------------------------------
// A round: the district's centres and their state; the province's ranking

const STATUS_LABEL = { none: 'ยังไม่เริ่ม', draft: 'ร่าง ยังไม่ส่ง', submitted: 'ส่งแล้ว' } as const;

export const centreRoundPage: Page = async (context) => {
  const roundId = Number(context.params.id);
  const [home, page] = await Promise.all([api<CentreSelectionHome>('GET', API), api<RoundPage>('GET', `${API}/rounds/${roundId}`)]);
  context.setTitle(`คัดเลือกศูนย์ ปี ${page.round.fiscalYearBE}`);
  const parts: Child[] = [
    context.flash ? notice(context.flash, 'success') : null,
    card(h('p', { class: 'lead' }, `จังหวัด${page.round.province} ปีงบประมาณ ${page.round.fiscalYearBE}`), h('p', { class: page.round.open ? 'muted' : 'red' }, page.round.statusLabel)),
  ];
  if (home.can.score) {
    parts.push(
      section(
        'ศูนย์ในพื้นที่ของฉัน',
        page.centres.length,
        page.centres.length
          ? h(
              'div',
              { class: 'debtor-list', 'data-testid': 'round-centres' },
              page.centres.map((row) =>
                h(
                  'a',
                  { class: 'debtor-row', href: scoreHref(roundId, row.centre.id), 'data-link': true, 'data-centre': row.centre.id },
                  h('span', { class: 'debtor-head' }, h('strong', null, row.centre.name), h('span', { class: `chip ${row.status === 'submitted' ? 'waiting' : row.status === 'draft' ? 'late' : ''}`, style: row.status === 'none' ? 'background:#eee;color:#333' : '' }, STATUS_LABEL[row.status])),
                  h('span', { class: 'muted' }, row.centre.area),
                  row.total !== null ? h('small', null, `คะแนนรวม ${row.total} · ฉบับที่ ${row.version}`) : null,
                ),
              ),
            )
          : h('p', { class: 'muted empty' }, 'ยังไม่มีศูนย์ที่ลงทะเบียน'),
        linkButton('ลงทะเบียนศูนย์ใหม่', `${HOME}?register=1`, 'secondary'),
      ),
    );
  }
  if (home.can.rank && page.districts.length) {
    const waiting = page.districts.filter((d) => d.submitted === 0).length;
    parts.push(
      section(
        'ความคืบหน้ารายอำเภอ',
        undefined,
        waiting ? notice(`ยังไม่ส่งผลเลย ${waiting} อำเภอ`, 'info') : notice('ทุกอำเภอส่งผลแล้วอย่างน้อยหนึ่งศูนย์', 'success'),
        h(
          'div',
          { class: 'area-rows', 'data-testid': 'district-progress' },
          page.districts.map((d) =>
            h(
              'div',
              { class: 'area-row' },
              h('span', { class: 'area-name' }, d.title),
              h('strong', { class: d.submitted === 0 ? 'red' : d.submitted < d.centres ? 'amber' : 'green' }, d.centres === 0 ? 'ยังไม่ลงทะเบียนศูนย์' : `ส่งแล้ว ${d.submitted} จาก ${d.centres} ศูนย์`),
            ),
          ),
        ),
      ),
    );
  }
  if (home.can.rank) parts.push(await rankingSection(roundId));
  replace(context.root, ...parts);
};

async function rankingSection(roundId: number): Promise<HTMLElement> {
  const ranking = await api<RankingPage>('GET', `${API}/rounds/${roundId}/ranking`);
  const message = h('div');
  const rows = ranking.rows.map((row) =>
    h(
      'li',
      { class: 'rank-row', 'data-testid': 'rank-row', 'data-centre': row.centreId },
      h('span', { class: 'rank-no' }, String(row.rank)),
      h(
        'div',
        { class: 'rank-body' },
        h('a', { href: scoreHref(roundId, row.centreId), 'data-link': true, class: 'rank-name' }, row.centre),
        h('small', { class: 'muted' }, row.area),
        h('div', { class: 'rank-scores' }, h('strong', null, `${row.total} คะแนน`), row.areas.map((a) => h('span', { class: 'area-score' }, `ด้าน ${a.code}: ${a.points}/${a.maxPoints}`))),
        row.verification ? h('small', { class: 'green' }, `จังหวัดตรวจสอบ: ${row.verification.points} คะแนน`) : h('small', { class: 'muted' }, 'จังหวัดยังไม่ได้ตรวจสอบ'),
        row.tieNote ? h('small', { class: 'amber' }, row.tieNote) : null,
        row.withoutEvidence.length ? h('small', { class: 'red' }, `ไม่มีหลักฐาน: ${row.withoutEvidence.join(', ')}`) : null,
        h('button', {
          type: 'button',
          class: 'text-link plain-button',
          onClick: () => void downloadFile(`${API}/rounds/${roundId}/centres/${row.centreId}/summary.pdf`, `centre-${row.centreId}.pdf`).catch((e: unknown) => message.replaceChildren(notice(errorText(e, 'ดาวน์โหลดไม่สำเร็จค่ะ'), 'error'))),
        }, 'สรุป 1 หน้า (PDF)'),
      ),
    ),
  );
  return section(
    'อันดับศูนย์ที่ส่งแล้ว',
    ranking.rows.length,
    h('p', { class: 'muted' }, ranking.tieRule),
    ranking.rows.length ? h('ol', { class: 'rank-list' }, rows) : h('p', { class: 'muted empty' }, 'ยังไม่มีอำเภอส่งผลค่ะ'),
    message,
    button('ดาวน์โหลดตารางอันดับ (Excel)', (event) => {
      void busy(event.currentTarget as HTMLButtonElement, 'กำลังเตรียมไฟล์…', () =>
        downloadFile(`${API}/rounds/${roundId}/ranking.xlsx`, `centre-ranking-${ranking.round.fiscalYearBE}.xlsx`).catch((e: unknown) => message.replaceChildren(notice(errorText(e, 'ดาวน์โหลดไม่สำเร็จค่ะ'), 'error'))),
      );
    }, 'secondary', { 'data-testid': 'download-xlsx' }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring a centre

type Scores = NonNullable<AssessmentPage['current']>['scores'];

export const centreScorePage: Page = async (context) => {
  const roundId = Number(context.params.id);
  const centreId = Number(context.params.centreId);
  const path = `${API}/rounds/${roundId}/centres/${centreId}/assessment`;
  let page = await api<AssessmentPage>('GET', path);
  context.setTitle(page.editable ? 'ให้คะแนนศูนย์' : 'ผลการประเมินศูนย์');
  const scores: Scores = structuredClone(page.current?.scores ?? {});
  let dirty = false;
  let autosave: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<boolean> | undefined;
  /** Every change is saved a moment later, so a tab switch or a dropped phone loses nothing. */
  const changed = () => {
    dirty = true;
    saveState.textContent = 'มีการเปลี่ยนแปลงที่ยังไม่ได้บันทึก';
    clearTimeout(autosave);
    autosave = setTimeout(() => void save(true), 2000);
  };

  const totalLine = h('strong', { 'data-testid': 'running-total' });
  const missingBox = h('div', { class: 'missing-box', 'aria-live': 'polite' });
  const saveState = h('small', { class: 'muted', 'aria-live': 'polite' });
  const message = h('div');

  function localTotal(): { total: number; byArea: Map<string, number>; scored: number; scoreable: number; noEvidence: string[] } {
    const byArea = new Map<string, number>();
    let total = 0;
    let scored = 0;
    const noEvidence: string[] = [];
    for (const ind of page.rubric.indicators) {
      const s = scores[ind.code];
      if (!s) continue;
      const points = ind.levels.find((l) => l.level === s.level)?.points ?? 0;
      total += points;
      scored++;
      byArea.set(ind.area, (byArea.get(ind.area) ?? 0) + points);
      if (s.evidence.length === 0 && !page.files.some((f) => f.indicator === ind.code)) noEvidence.push(ind.code);
    }
    return { total, byArea, scored, scoreable: page.rubric.indicators.filter((i) => !i.missing).length, noEvidence };
  }

  function drawSummary() {
    const now = localTotal();
    totalLine.textContent = `${now.total} / 100 คะแนน`;
    const unscored = page.rubric.indicators.filter((i) => !i.missing && !scores[i.code]).map((i) => i.code);
    const lines: Child[] = [];
    const jumps = (codes: string[]) => codes.map((code) => h('a', { href: `#ind-${code}`, class: 'jump' }, code));
    if (unscored.length) lines.push(h('li', null, `ยังไม่ได้ให้คะแนน ${unscored.length} ตัวชี้วัด: `, jumps(unscored)));
    // Said to the district that scores; the province reading it sees only what is missing.
    if (now.noEvidence.length) lines.push(h('li', { class: 'amber' }, page.editable ? 'ยังไม่มีหลักฐาน (ส่งได้ แต่จังหวัดจะเห็นว่าไม่มี): ' : 'ไม่มีหลักฐาน: ', jumps(now.noEvidence)));
    if (!video.value.trim()) lines.push(h('li', null, 'ยังไม่มีลิงก์คลิปวิดีโอ'));
    const missingRubric = page.rubric.indicators.filter((i) => i.missing).map((i) => i.code);
    if (missingRubric.length) lines.push(h('li', null, `เกณฑ์ยังไม่ครบ ให้คะแนนไม่ได้: ${missingRubric.join(', ')}`));
    missingBox.replaceChildren(
      h('p', null, page.rubric.areas.map((a) => h('span', { class: 'area-score' }, `ด้าน ${a.code}: ${now.byArea.get(a.code) ?? 0}/${a.maxPoints}`))),
      lines.length ? h('ul', { class: 'plain-list missing-list' }, lines) : h('p', { class: 'green' }, 'ครบทุกตัวชี้วัดแล้ว พร้อมส่งค่ะ'),
    );
  }

  const editable = page.editable;
  const video = h('input', { type: 'text', inputMode: 'url', name: 'videoUrl', value: page.current?.videoUrl ?? '', placeholder: 'https://youtu.be/…', disabled: !editable });
  video.addEventListener('input', () => {
    changed();
    drawSummary();
  });
  const videoNote = h('p', { class: 'red', 'aria-live': 'polite' });

  function indicatorCard(ind: RubricIndicatorView): HTMLElement {
    if (ind.missing) return h('section', { class: 'card indicator missing', id: `ind-${ind.code}` }, h('h3', null, ind.heading), notice('ตัวชี้วัดนี้ขาดหายจากเอกสารต้นฉบับ รอจังหวัดกรอกเกณฑ์ก่อนค่ะ', 'info'));
    const current = scores[ind.code];
    const levels = h(
      'div',
      { class: 'choices level-choices', role: 'radiogroup', 'aria-label': `ระดับของตัวชี้วัด ${ind.code}` },
      [...ind.levels].reverse().map((level) =>
        h(
          'label',
          { class: 'choice' },
          h('input', {
            type: 'radio',
            name: `level-${ind.code}`,
            value: String(level.level),
            checked: current?.level === level.level,
            disabled: !editable,
            onChange: () => {
              // Evidence ticked before the level counts too.
              const ticked = Array.from(document.querySelectorAll<HTMLInputElement>(`input[name="evidence-${CSS.escape(ind.code)}"]:checked`), (box) => Number(box.value));
              scores[ind.code] = { level: level.level, evidence: ticked, note: scores[ind.code]?.note ?? null };
              changed();
              drawSummary();
              flag();
            },
          }),
          h('span', null, h('strong', null, `ระดับ ${level.level} (${level.points} คะแนน)`), h('small', { class: 'criterion' }, level.criterion)),
        ),
      ),
    );
    const evidence = h(
      'div',
      { class: 'evidence-list' },
      ind.evidence.map((item, i) =>
        h(
          'label',
          { class: 'evidence-item' },
          h('input', {
            type: 'checkbox',
            name: `evidence-${ind.code}`,
            value: String(i + 1),
            checked: current?.evidence.includes(i + 1) ?? false,
            disabled: !editable,
            onChange: (event: Event) => {
              const s = scores[ind.code];
              const checked = (event.currentTarget as HTMLInputElement).checked;
              // Evidence before a level stays ticked on screen and is taken when the level is chosen.
              if (!s) return;
              s.evidence = checked ? [...new Set([...s.evidence, i + 1])].sort((a, b) => a - b) : s.evidence.filter((n) => n !== i + 1);
              changed();
              drawSummary();
              flag();
            },
          }),
          h('span', null, item),
        ),
      ),
    );
    const files = h('ul', { class: 'documents' });
    const drawFiles = () =>
      files.replaceChildren(
        ...page.files
          .filter((f) => f.indicator === ind.code)
          .map((f, n) =>
            h('li', null, h('span', null, `${f.contentType === 'application/pdf' ? 'PDF' : 'รูป'} ${n + 1}`), button('เปิดดู', () => void fileUrl(`${API}/files/${f.id}`).then((url) => window.open(url, '_blank')), 'secondary', { class: 'btn secondary small' })),
          ),
      );
    drawFiles();
    const upload = filePicker({ accept: 'image/jpeg,image/png,application/pdf', multiple: true, label: 'ถ่ายรูปหรือแนบ PDF', empty: 'ยังไม่ได้แนบไฟล์ของตัวชี้วัดนี้' });
    upload.input.setAttribute('aria-label', `แนบรูปหรือ PDF ตัวชี้วัด ${ind.code}`);
    const sentNames: string[] = [];
    const drawUploadStatus = () => {
      const count = page.files.filter((f) => f.indicator === ind.code).length;
      if (sentNames.length) upload.show(sentNames);
      else if (count) upload.say(`แนบไว้แล้ว ${count} ไฟล์ (ตามรายการด้านบน)`);
    };
    drawUploadStatus();
    upload.input.addEventListener('change', async () => {
      const chosen = Array.from(upload.input.files ?? []);
      upload.input.value = '';
      for (const file of chosen) {
        try {
          upload.say(`กำลังส่ง ${file.name}…`);
          const sent = await api<{ id: string; indicator: string; contentType: string; byteSize: number }>('POST', `${API}/rounds/${roundId}/centres/${centreId}/indicators/${ind.code}/files`, { file: await prepareUpload(file) });
          page.files.push({ id: sent.id, indicator: sent.indicator, contentType: sent.contentType, byteSize: sent.byteSize });
          sentNames.push(file.name);
          drawUploadStatus();
        } catch (error) {
          upload.say(errorText(error, 'แนบไฟล์ไม่สำเร็จค่ะ'), 'error');
        }
      }
      drawFiles();
      drawSummary();
      flag();
    });
    const flagLine = h('p', { class: 'amber flag-line' });
    function flag() {
      const s = scores[ind.code];
      flagLine.textContent = s && s.evidence.length === 0 && !page.files.some((f) => f.indicator === ind.code) ? 'ให้คะแนนแล้วแต่ยังไม่มีหลักฐาน กรุณาเลือกหลักฐานหรือแนบไฟล์' : '';
    }
    flag();
    return h(
      'section',
      { class: 'card indicator', id: `ind-${ind.code}`, 'data-indicator': ind.code },
      h('h3', null, ind.heading),
      ind.preamble ? h('p', { class: 'muted' }, ind.preamble) : null,
      levels,
      flagLine,
      h('h4', null, 'หลักฐานเชิงประจักษ์ที่มี'),
      evidence,
      files,
      editable ? upload.element : null,
    );
  }

  async function save(quiet = false): Promise<boolean> {
    clearTimeout(autosave);
    // One save at a time: each sends the version and time the previous one answered with.
    while (saving) await saving;
    saving = saveNow(quiet);
    try {
      return await saving;
    } finally {
      saving = undefined;
    }
  }

  async function saveNow(quiet: boolean): Promise<boolean> {
    if (!page.editable) return false;
    try {
      // A link that is not one yet is kept off this save, said beside its box: the scores are saved all the same.
      const link = withScheme(video.value.trim());
      const linkOk = !link || /^https?:\/\/\S+$/i.test(link);
      videoNote.textContent = linkOk ? '' : 'ลิงก์นี้ยังไม่ใช่ลิงก์เว็บ (เช่น https://youtu.be/…) จึงยังไม่ได้บันทึกลิงก์ ส่วนคะแนนบันทึกแล้ว';
      page = await api<AssessmentPage>('PUT', path, { body: { scores, videoUrl: linkOk ? link || null : (page.current?.videoUrl ?? null), version: page.current?.version, updatedAt: page.current?.updatedAt } });
      dirty = false;
      saveState.textContent = `บันทึกร่างแล้ว ${formatInstantTime(new Date().toISOString())} เปิดทำต่อจากเครื่องอื่นได้`;
      message.replaceChildren();
      if (!quiet) drawSummary();
      return true;
    } catch (error) {
      showError(context.root, message, error, 'บันทึกไม่สำเร็จค่ะ');
      // Saved meanwhile from another phone (or submitted there): this page is behind; offer the latest.
      if (error instanceof ApiError && error.code === 'CONFLICT') {
        saveState.textContent = 'ยังไม่ได้บันทึก';
        message.append(button('โหลดฉบับล่าสุด', () => context.navigate(location.pathname, { replace: true }), 'secondary', { 'data-testid': 'reload-latest' }));
      }
      return false;
    }
  }

  const confirmBox = h('div', { class: 'card confirm', hidden: true });
  function askSubmit() {
    const now = localTotal();
    // What is still missing is said here, where she decides, not only in the summary far above.
    const unscored = page.rubric.indicators.filter((i) => !i.missing && !scores[i.code]).map((i) => i.code);
    confirmBox.hidden = false;
    confirmBox.replaceChildren(
      h('p', { class: 'lead' }, `ส่งผลการประเมิน ${now.total} คะแนน?`),
      ...(unscored.length
        ? [notice(`ยังไม่ได้ให้คะแนน ${unscored.length} จาก ${now.scoreable} ตัวชี้วัด (${unscored.join(', ')}) ตัวชี้วัดเหล่านี้จะนับเป็น 0 คะแนน ถ้ายังประเมินไม่ครบ กด "ยังไม่ส่ง" แล้วให้คะแนนให้ครบก่อน`, 'error')]
        : []),
      ...(!video.value.trim() ? [notice('ยังไม่มีลิงก์คลิปวิดีโอ จังหวัดจะเห็นว่าไม่มีคลิป', 'info')] : []),
      h('p', null, 'เมื่อส่งแล้วจะแก้ไขไม่ได้ หากต้องแก้ภายหลังต้องขอแก้ไขพร้อมเหตุผล'),
      ...(now.noEvidence.length ? [notice(`ตัวชี้วัดที่ยังไม่มีหลักฐาน: ${now.noEvidence.join(', ')}`, 'info')] : []),
      h(
        'div',
        { class: 'row-buttons' },
        button('ยืนยันส่ง', (event) => {
          void busy(event.currentTarget as HTMLButtonElement, 'กำลังส่ง…', async () => {
            if ((dirty || saving) && !(await save(true))) return;
            try {
              await api('POST', `${path}/submit`);
              context.navigate(roundHref(roundId), { replace: true, flash: 'ส่งผลการประเมินแล้วค่ะ' });
            } catch (error) {
              showError(context.root, message, error, 'ส่งไม่สำเร็จค่ะ');
            }
          });
        }, 'primary', { 'data-testid': 'confirm-submit' }),
        button('ยังไม่ส่ง', () => (confirmBox.hidden = true), 'secondary'),
      ),
    );
    confirmBox.scrollIntoView({ block: 'center' });
  }

  const header = card(
    h('p', { class: 'lead' }, page.centre.name),
    h('p', { class: 'muted' }, [page.centre.village, page.centre.area].filter(Boolean).join(' · ')),
    h('p', { class: page.round.open ? 'muted' : 'red' }, `ปีงบประมาณ ${page.round.fiscalYearBE} · ${page.round.statusLabel}`),
    page.current
      ? h('p', null, `ฉบับที่ ${page.current.version} · ${page.current.status === 'submitted' ? `ส่งแล้วเมื่อ ${formatInstantDay(page.current.submittedAt!)}` : 'ร่าง ยังไม่ส่ง'}`, page.current.reason ? h('small', { class: 'muted' }, h('br'), `เหตุผลที่แก้ไข: ${page.current.reason}`) : null)
      : null,
    page.versions.length > 1 ? h('details', null, h('summary', null, `ประวัติ ${page.versions.length} ฉบับ`), h('ul', { class: 'plain-list' }, page.versions.map((v) => h('li', null, `ฉบับที่ ${v.version}: ${v.status === 'submitted' ? `ส่ง ${formatInstantDay(v.submittedAt!)} · ${v.total} คะแนน` : 'ร่าง'}${v.reason ? ` · ${v.reason}` : ''}`)))) : null,
  );

  const byArea = page.rubric.areas.map((area) => [h('h2', { class: 'area-title' }, area.heading), ...page.rubric.indicators.filter((i) => i.area === area.code).map(indicatorCard)]);
  const videoCard = card(field('videoUrl', `ลิงก์คลิปวิดีโอ (ไม่เกิน ${page.rubric.videoMaxMinutes} นาที)`, video, 'วางลิงก์ YouTube หรือ Google Drive'), videoNote);

  const after: Child[] = [];
  if (page.correctable) after.push(correctionCard(context, path, message));
  if (page.verification) after.push(card(h('p', { class: 'lead green' }, `คะแนนตรวจสอบของจังหวัด: ${page.verification.points} คะแนน`), page.verification.note ? h('p', null, page.verification.note) : null));
  if (!page.editable && !page.correctable && page.current?.status === 'submitted') after.push(await verificationCard(context, roundId, centreId, page));

  const bar = h(
    'div',
    { class: 'score-bar' },
    h('div', { class: 'score-total' }, h('small', null, 'คะแนนรวม'), totalLine),
    editable ? button('บันทึกร่าง', (event) => void busy(event.currentTarget as HTMLButtonElement, 'กำลังบันทึก…', () => save()), 'secondary', { 'data-testid': 'save-draft' }) : null,
    editable ? button('ส่งผล', () => askSubmit(), 'primary', { 'data-testid': 'submit-assessment' }) : null,
  );

  replace(
    context.root,
    context.flash ? notice(context.flash, 'success') : null,
    header,
    card(h('h2', null, page.editable ? 'คะแนนและสิ่งที่ยังขาด' : 'สรุปคะแนน'), missingBox, saveState),
    message,
    ...after,
    ...byArea,
    videoCard,
    confirmBox,
    bar,
  );
  drawSummary();
  // A draft left unsaved when the officer leaves the page is saved on the way out.
  window.addEventListener('pagehide', () => void (dirty && editable && save(true)), { once: true });
};

function correctionCard(context: PageContext, path: string, message: HTMLElement): HTMLElement {
  const reason = h('textarea', { name: 'reason', rows: 2, placeholder: 'เช่น ได้รับรายงานการประชุมเพิ่ม 2 ครั้ง' });
  const form = h('div', null, field('reason', 'เหตุผลที่ต้องแก้ไข', reason));
  return h(
    'details',
    { class: 'more-filters' },
    h('summary', null, 'ขอแก้ไขผลที่ส่งแล้ว'),
    form,
    button('เริ่มฉบับแก้ไข', (event) => {
      void busy(event.currentTarget as HTMLButtonElement, 'กำลังสร้าง…', async () => {
        try {
          await api('POST', `${path}/corrections`, { body: { reason: reason.value } });
          context.navigate(location.pathname, { replace: true, flash: 'สร้างฉบับแก้ไขแล้ว แก้คะแนนแล้วกดส่งอีกครั้งค่ะ' });
        } catch (error) {
          showError(form, message, error, 'สร้างฉบับแก้ไขไม่สำเร็จค่ะ');
        }
      });
    }, 'secondary'),
  );
}

async function verificationCard(context: PageContext, roundId: number, centreId: number, page: AssessmentPage): Promise<HTMLElement> {
  const me = await context.officer();
  if (me.role !== 'province') return h('span');
  const points = h('input', { type: 'text', inputMode: 'numeric', name: 'points', placeholder: String(page.result.total), value: page.verification ? String(page.verification.points) : '' });
  const note = h('textarea', { name: 'note', rows: 2 }, page.verification?.note ?? '');
  const message = h('div');
  const form = h('div', null, field('points', `คะแนนที่จังหวัดตรวจสอบ (อำเภอให้ ${page.result.total})`, points), field('note', 'หมายเหตุ', note, 'ไม่บังคับ'), message);
  return card(
    h('h2', null, 'ตรวจสอบโดยจังหวัด'),
    form,
    button('บันทึกคะแนนตรวจสอบ', (event) => {
      void busy(event.currentTarget as HTMLButtonElement, 'กำลังบันทึก…', async () => {
        try {
          const typed = normalizeThaiDigits(points.value.trim());
          await api('PUT', `${API}/rounds/${roundId}/centres/${centreId}/verification`, { body: { points: Number(typed || NaN), note: note.value } });
          context.navigate(location.pathname, { replace: true, flash: 'บันทึกคะแนนตรวจสอบแล้วค่ะ' });
        } catch (error) {
          showError(form, message, error, 'บันทึกไม่สำเร็จค่ะ');
        }
      });
    }, 'primary'),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// A rubric version: what it says, why it cannot open a round yet, and (province) filling in what is missing

export const centreRubricPage: Page = async (context) => {
  const id = decodeURIComponent(context.params.rubricId ?? '');
  const [home, rubric] = await Promise.all([api<CentreSelectionHome>('GET', API), api<RubricView>('GET', `${API}/rubrics/${encodeURIComponent(id)}`)]);
  context.setTitle('เกณฑ์การให้คะแนน');
  const editable = home.can.editRubrics && !rubric.complete;
  const message = h('div');
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement>();
  const input = (key: string, multiline: boolean, placeholder: string) => {
    const control = multiline ? h('textarea', { name: key, rows: 3, placeholder }) : h('input', { type: 'text', name: key, placeholder });
    inputs.set(key, control);
    return control;
  };
  const missingArea = rubric.areas.filter((a) => a.title === null);
  const parts: Child[] = [
    context.flash ? notice(context.flash, 'success') : null,
    card(
      h('p', { class: 'lead' }, rubricLabel(rubric.id)),
      h('p', { class: 'muted' }, rubric.title),
      rubric.complete ? notice('เกณฑ์ฉบับนี้ครบถ้วน ใช้เปิดรอบการคัดเลือกได้', 'success') : notice(`ยังใช้เปิดรอบไม่ได้ ขาดอีก ${rubric.problems.length} เรื่อง`, 'error'),
      rubric.problems.length ? h('ul', { class: 'plain-list' }, rubric.problems.map((p) => h('li', null, p))) : null,
      editable ? h('p', null, 'กรอกส่วนที่ขาดด้านล่าง แล้วกด "บันทึกเป็นฉบับใหม่" ระบบจะเก็บฉบับเดิมไว้ และบอกว่าฉบับใหม่ครบหรือยัง') : null,
    ),
  ];
  for (const area of missingArea) {
    if (editable) parts.push(card(field(`area-${area.code}`, `ชื่อด้านที่ ${area.code} (${area.maxPoints} คะแนน)`, input(`area-${area.code}`, false, 'ชื่อด้านตามเอกสารของกรม'))));
  }
  for (const ind of rubric.indicators) {
    if (ind.missing && editable) {
      parts.push(
        card(
          h('h3', null, ind.heading),
          field(`${ind.code}-title`, 'ชื่อตัวชี้วัด', input(`${ind.code}-title`, false, '')),
          field(`${ind.code}-3`, 'เกณฑ์ระดับ 3 (3 คะแนน)', input(`${ind.code}-3`, true, '')),
          field(`${ind.code}-4`, 'เกณฑ์ระดับ 4 (4 คะแนน)', input(`${ind.code}-4`, true, '')),
          field(`${ind.code}-5`, 'เกณฑ์ระดับ 5 (5 คะแนน)', input(`${ind.code}-5`, true, '')),
          field(`${ind.code}-evidence`, 'หลักฐานเชิงประจักษ์', input(`${ind.code}-evidence`, true, 'รายการละหนึ่งบรรทัด')),
        ),
      );
    } else {
      parts.push(
        h(
          'details',
          { class: 'card rubric-indicator' },
          h('summary', null, ind.heading, ind.missing ? h('span', { class: 'chip late' }, 'ขาดหาย') : null),
          ind.preamble ? h('p', { class: 'muted' }, ind.preamble) : null,
          h('ul', { class: 'plain-list' }, [...ind.levels].reverse().map((l) => h('li', null, h('strong', null, `ระดับ ${l.level}: `), l.criterion))),
          ind.evidence.length ? h('p', { class: 'muted' }, `หลักฐาน: ${ind.evidence.join(' · ')}`) : null,
        ),
      );
    }
  }
  if (editable) {
    parts.push(
      message,
      h(
        'div',
        { class: 'actions' },
        button('บันทึกเป็นฉบับใหม่', (event) => {
          void busy(event.currentTarget as HTMLButtonElement, 'กำลังบันทึก…', async () => {
            const value = (key: string) => inputs.get(key)?.value.trim() ?? '';
            const indicators: Record<string, unknown> = {};
            for (const ind of rubric.indicators.filter((i) => i.missing)) {
              const edit = {
                title: value(`${ind.code}-title`) || undefined,
                criteria: { 3: value(`${ind.code}-3`) || undefined, 4: value(`${ind.code}-4`) || undefined, 5: value(`${ind.code}-5`) || undefined },
                evidence: value(`${ind.code}-evidence`) ? value(`${ind.code}-evidence`).split('\n').map((e) => e.trim()).filter(Boolean) : undefined,
              };
              if (edit.title || edit.evidence || Object.values(edit.criteria).some(Boolean)) indicators[ind.code] = edit;
            }
            const areaTitles = Object.fromEntries(missingArea.map((a) => [a.code, value(`area-${a.code}`)]).filter(([, t]) => t));
            try {
              const created = await api<RubricView>('POST', `${API}/rubrics`, { body: { basedOn: rubric.id, areaTitles, indicators } });
              context.navigate(rubricHref(created.id), { flash: created.complete ? `บันทึกเป็น${rubricLabel(created.id)} แล้ว เกณฑ์ครบถ้วน เปิดรอบได้ค่ะ` : `บันทึกเป็น${rubricLabel(created.id)} แล้ว ยังขาดอีก ${created.problems.length} เรื่อง` });
            } catch (error) {
              showError(context.root, message, error, 'บันทึกไม่สำเร็จค่ะ');
            }
          });
        }, 'primary', { 'data-testid': 'save-rubric' }),
      ),
    );
  }
  replace(context.root, ...parts);
};

