// รายงาน: ageing and PAR, collections, 5 ต. activity, relief measures and the debtor list by colour, for any area
// the officer may see and any day; each downloads as an XLSX. On a phone: one column, the figure that matters first
// (the overdue rate against 5 %), areas as tappable rows that narrow the report to them.
import {
  AGEING_ROW_THAI,
  REPORT_KIND_THAI,
  REPORT_KINDS,
  type ActivityReport,
  type AgeingReport,
  type CollectionsReport,
  type DebtorsReport,
  type MeasuresReport,
  type ReportKind,
  type ReportScope,
} from '../../../../server/contracts/reports.ts';
import { COLOUR_THAI, COLOURS, FOLLOW_UP_KIND_THAI, FOLLOW_UP_KINDS, FOLLOW_UP_STAGE_THAI, FOLLOW_UP_STAGES, type Colour } from '../../../../server/contracts/officer.ts';
import { api, ApiError, downloadFile } from '../../api.ts';
import { h, replace, type Child } from '../../dom.ts';
import { formatInstantDay, formatSatang, formatThaiDate } from '../../format.ts';
import type { Page, PageContext } from '../../app-context.ts';
import { busy, button, card, linkButton, notice } from '../../ui.ts';
import { colourChip, debtorHref, section } from './parts.ts';

const TARGET = 5;
const percent = (ratio: number | null) => (ratio === null ? '–' : `${(ratio * 100).toFixed(2)}%`);
const rate = (value: number) => `${value.toFixed(2)}%`;
const count = (n: number) => n.toLocaleString('th-TH');

function reportHref(kind: ReportKind, params: { area?: string | null; asOf?: string; colour?: string }): string {
  const query = new URLSearchParams();
  if (params.area) query.set('area', params.area);
  if (params.asOf) query.set('asOf', params.asOf);
  if (params.colour) query.set('colour', params.colour);
  const search = query.toString();
  return `/liff/officer/reports/${kind}${search ? `?${search}` : ''}`;
}

function apiQuery(query: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const key of ['area', 'asOf', 'colour']) {
    const value = query.get(key);
    if (value) out.set(key, value);
  }
  const text = out.toString();
  return text ? `?${text}` : '';
}

/** Area and day pickers, the five reports as chips, and the download. */
function controls(context: PageContext, kind: ReportKind, scope: ReportScope, today: string): HTMLElement {
  const areaSelect = h(
    'select',
    { name: 'area', id: 'field-area', 'aria-label': 'พื้นที่' },
    scope.choices.map((choice) => h('option', { value: choice.path ?? '', selected: choice.path === scope.path }, choice.title)),
  );
  const dateInput = h('input', { type: 'date', name: 'asOf', id: 'field-asOf', value: scope.asOf, max: today });
  const go = (changes: { area?: string | null; asOf?: string }) =>
    context.navigate(reportHref(kind, { area: changes.area !== undefined ? changes.area : scope.path, asOf: changes.asOf ?? scope.asOf, colour: context.query.get('colour') ?? undefined }));
  areaSelect.addEventListener('change', () => go({ area: areaSelect.value || null }));
  dateInput.addEventListener('change', () => dateInput.value && dateInput.value <= today && go({ asOf: dateInput.value }));
  const download = button(
    'ดาวน์โหลดไฟล์ Excel',
    (event) => {
      const target = event.currentTarget as HTMLButtonElement;
      void busy(target, 'กำลังเตรียมไฟล์…', () => downloadFile(`/api/liff/officer/reports/${kind}/xlsx${apiQuery(context.query)}`, `wdf-${kind}-${scope.asOf}.xlsx`)).catch((error: unknown) =>
        target.after(notice(error instanceof ApiError ? error.message : 'ดาวน์โหลดไม่สำเร็จค่ะ', 'error')),
      );
    },
    'secondary',
    { 'data-testid': 'download-xlsx' },
  );
  return card(
    h(
      'div',
      { class: 'report-kinds', role: 'tablist', 'aria-label': 'รายงาน' },
      REPORT_KINDS.map((k) =>
        h('a', { class: `filter-chip${k === kind ? ' on' : ''}`, role: 'tab', 'aria-selected': k === kind ? 'true' : 'false', href: reportHref(k, { area: scope.path, asOf: scope.asOf }), 'data-link': true }, REPORT_KIND_THAI[k]),
      ),
    ),
    h(
      'div',
      { class: 'report-pickers' },
      h('label', { class: 'filter-select' }, h('span', null, 'พื้นที่'), areaSelect),
      h('label', { class: 'filter-select' }, h('span', null, 'ข้อมูล ณ วันที่'), dateInput, h('span', { class: 'date-said' }, formatThaiDate(scope.asOf))),
    ),
    download,
  );
}

function areaRows(kind: ReportKind, scope: ReportScope, rows: Array<{ path: string; title: string; main: Child; sub: Child; tone?: string }>): HTMLElement {
  const narrower = rows.length > 1 || rows[0]?.path !== scope.path;
  return h(
    'div',
    { class: 'area-rows' },
    rows.map((row) =>
      h(
        narrower ? 'a' : 'div',
        { class: 'area-row', ...(narrower ? { href: reportHref(kind, { area: row.path, asOf: scope.asOf }), 'data-link': true } : {}) },
        h('span', { class: 'area-name' }, row.title, h('small', { class: 'muted' }, row.sub)),
        h('strong', { class: row.tone ?? '' }, row.main),
      ),
    ),
  );
}

function ageingView(report: AgeingReport): HTMLElement[] {
  const t = report.total;
  const tile = (label: string, value: number, hint: string) => h('div', { class: 'tile' }, h('small', null, label), h('strong', null, percent(value)), h('small', { class: 'muted' }, hint));
  return [
    card(
      h('p', { class: 'big-rate' }, h('span', { class: t.meetsTarget ? 'green' : 'red', 'data-testid': 'overdue-rate' }, rate(t.overdueRatePercent)), h('small', null, 'หนี้เกินกำหนดชำระ')),
      h('div', { class: 'badges' }, h('span', { class: `badge ${t.meetsTarget ? 'ok' : 'over'}` }, `${t.meetsTarget ? '✓ ผ่าน' : '✗ ยังไม่ผ่าน'}เป้ากองทุน < ${TARGET}%`)),
      h('div', { class: 'tiles' }, tile('PAR1', t.par1, 'ค้างเกิน 1 วัน'), tile('PAR30', t.par30, 'ค้างเกิน 30 วัน'), tile('PAR90', t.par90, 'ค้างเกิน 90 วัน')),
      h(
        'dl',
        { class: 'rows' },
        h('div', null, h('dt', null, 'สัญญาที่ยังมีหนี้'), h('dd', null, `${count(t.loans)} สัญญา`)),
        h('div', null, h('dt', null, 'หนี้คงเหลือ'), h('dd', null, formatSatang(t.outstanding))),
        h('div', null, h('dt', null, 'เกินกำหนดชำระ'), h('dd', { class: 'red' }, formatSatang(t.overdue))),
      ),
    ),
    section(
      'อายุหนี้',
      undefined,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'report-table' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'ช่วง'), h('th', { scope: 'col' }, 'สัญญา'), h('th', { scope: 'col' }, 'หนี้คงเหลือ'))),
          h(
            'tbody',
            null,
            t.rows.map((row) =>
              h(
                'tr',
                { class: row.key === 'restructured' || row.key === 'suspended' ? 'apart' : '' },
                h('th', { scope: 'row' }, AGEING_ROW_THAI[row.key]),
                h('td', null, count(row.loans)),
                h('td', null, formatSatang(row.outstanding)),
              ),
            ),
          ),
        ),
      ),
      h('p', { class: 'muted' }, 'PAR = หนี้คงเหลือของสัญญาที่มีงวดค้างเกิน N วัน ÷ หนี้คงเหลือทั้งหมด สัญญาปรับโครงสร้างนับแยกแต่รวมใน PAR สัญญาพักชำระหนี้ไม่นับใน PAR'),
    ),
    report.areas.length
      ? section(
          'รายพื้นที่',
          report.areas.length,
          areaRows(
            'ageing',
            report.scope,
            report.areas.map((a) => ({
              path: a.path,
              title: a.title,
              main: rate(a.figures.overdueRatePercent),
              tone: a.figures.meetsTarget ? 'green' : 'red',
              sub: `PAR30 ${percent(a.figures.par30)} · ${count(a.figures.loans)} สัญญา · คงเหลือ ${formatSatang(a.figures.outstanding)}`,
            })),
          ),
        )
      : card(notice('ไม่มีสัญญาที่ยังมีหนี้ในพื้นที่นี้ ณ วันที่เลือกค่ะ')),
  ];
}

function collectionsView(report: CollectionsReport): HTMLElement[] {
  const quarter = report.windows.find((w) => w.key === 'quarter')!;
  return [
    card(
      ...report.windows.map((w) => {
        const f = report.total[w.key];
        return h(
          'div',
          { class: 'collection' },
          h('div', { class: 'collection-head' }, h('strong', null, w.title), h('small', { class: 'muted' }, `${formatThaiDate(w.from)} – ${formatThaiDate(w.to)}`)),
          h('div', { class: 'bar', role: 'img', 'aria-label': `รับชำระ ${percent(f.rate)}` }, h('span', { style: `width:${Math.min(100, Math.round((f.rate ?? 0) * 100))}%` })),
          h('p', null, h('strong', null, formatSatang(f.collected)), ` จากที่ครบกำหนด ${formatSatang(f.due)} (${percent(f.rate)})`),
        );
      }),
      h(
        'p',
        { class: 'muted' },
        'รับชำระ = เงินที่บันทึกรับในช่วงนั้น (หักรายการที่กลับรายการ) รวมยอดที่เพิ่มขึ้นในทะเบียนที่นำเข้าในช่วงนั้น ยอดชำระที่มีอยู่แล้วในการนำเข้าทะเบียนครั้งแรกไม่นับเป็นการรับชำระของช่วงใด',
      ),
    ),
    report.areas.length
      ? section(
          `รายพื้นที่ (${quarter.title})`,
          report.areas.length,
          areaRows(
            'collections',
            report.scope,
            report.areas.map((a) => ({ path: a.path, title: a.title, main: percent(a.figures.quarter.rate), sub: `รับ ${formatSatang(a.figures.quarter.collected)} / ครบกำหนด ${formatSatang(a.figures.quarter.due)}` })),
          ),
        )
      : null,
  ].filter((x): x is HTMLElement => x !== null);
}

function activityView(report: ActivityReport): HTMLElement[] {
  const t = report.total;
  const list = (pairs: Array<[string, number]>) => h('dl', { class: 'rows counts' }, pairs.map(([label, n]) => h('div', null, h('dt', null, label), h('dd', null, count(n)))));
  return [
    card(
      h('p', { class: 'muted' }, `ไตรมาสนี้ ${formatThaiDate(report.from)} – ${formatThaiDate(report.to)}`),
      h('p', { class: 'big-rate' }, h('span', null, count(t.contacts)), h('small', null, `ครั้ง · ลูกหนี้ ${count(t.debtorsContacted)} ราย`)),
    ),
    section('ตามวิธีติดต่อ', undefined, list(FOLLOW_UP_KINDS.map((k) => [FOLLOW_UP_KIND_THAI[k], t.byKind[k]]))),
    section('ตามขั้นตอน 5 ต.', undefined, list(FOLLOW_UP_STAGES.map((s) => [FOLLOW_UP_STAGE_THAI[s], t.byStage[s]]))),
    section(
      'การนัดชำระ',
      undefined,
      list([
        ['นัดใหม่ในช่วงนี้', t.promisesMade],
        ['ถึงวันนัดในช่วงนี้', t.promisesDue],
        ['ชำระตามนัด', t.promisesKept],
        ['ชำระบางส่วน', t.promisesPartlyKept],
        ['ผิดนัด', t.promisesBroken],
        ['รอสรุปผล', t.promisesOpen],
      ]),
      h('p', { class: 'muted' }, `ยอดที่นัดชำระใหม่ ${formatSatang(t.promisedAmount)}`),
    ),
    report.areas.length
      ? section(
          'รายพื้นที่',
          report.areas.length,
          areaRows(
            'activity',
            report.scope,
            report.areas.map((a) => ({ path: a.path, title: a.title, main: `${count(a.figures.contacts)} ครั้ง`, sub: `ลูกหนี้ ${count(a.figures.debtorsContacted)} ราย · นัดใหม่ ${count(a.figures.promisesMade)} · ผิดนัด ${count(a.figures.promisesBroken)}` })),
          ),
        )
      : null,
  ].filter((x): x is HTMLElement => x !== null);
}

function measuresView(report: MeasuresReport): HTMLElement[] {
  const statuses = Object.keys(report.total) as Array<keyof MeasuresReport['total']>;
  const totalApplications = statuses.reduce((sum, s) => sum + report.total[s], 0);
  return [
    section(
      'คำขอตามสถานะ',
      totalApplications,
      h('dl', { class: 'rows counts' }, statuses.map((s) => h('div', null, h('dt', null, report.statusTitles[s]), h('dd', null, count(report.total[s]))))),
    ),
    section(
      'เวลาพิจารณาแต่ละระดับ (มัธยฐาน)',
      undefined,
      h('dl', { class: 'rows counts' }, report.levels.map((l) => h('div', null, h('dt', null, l.title), h('dd', null, l.medianDays === null ? 'ยังไม่มีข้อมูล' : `${l.medianDays.toLocaleString('th-TH')} วัน (${count(l.steps)} คำขอ)`)))),
      h('p', { class: 'muted' }, 'กำหนดพิจารณาระดับละ 15 วัน'),
    ),
    section(
      'คำขอที่เกินกำหนดพิจารณา',
      report.overdue.length,
      report.overdue.length
        ? h(
            'div',
            { class: 'debtor-list' },
            report.overdue.map((o) =>
              h(
                'a',
                { class: 'debtor-row', href: `/liff/review/${o.enrollmentId}`, 'data-link': true },
                h('span', { class: 'debtor-head' }, h('strong', null, o.fullName), h('span', { class: 'chip late' }, `เกิน ${count(o.daysLate)} วัน`)),
                h('span', { class: 'muted' }, o.areaTitle),
                h('small', null, `${o.measureTitle} · รอ${o.levelTitle} · กำหนด ${formatInstantDay(o.deadlineAt)}`),
              ),
            ),
          )
        : h('p', { class: 'muted empty' }, 'ไม่มีคำขอเกินกำหนดค่ะ'),
    ),
    ...(report.areas.length
      ? [
          section(
            'รายพื้นที่',
            report.areas.length,
            areaRows(
              'measures',
              report.scope,
              report.areas.map((a) => {
                const waiting = a.counts.district_review + a.counts.province_review + a.counts.department_review + a.counts.needs_documents;
                const all = statuses.reduce((sum, s) => sum + a.counts[s], 0);
                return { path: a.path, title: a.title, main: `${count(all)} คำขอ`, sub: `รอพิจารณา ${count(waiting)} · อนุมัติ ${count(a.counts.approved)} · ไม่อนุมัติ ${count(a.counts.rejected)}` };
              }),
            ),
          ),
        ]
      : []),
  ];
}

function debtorsView(report: DebtorsReport): HTMLElement[] {
  const chosen = report.colour;
  return [
    card(
      h(
        'div',
        { class: 'filter-chips', role: 'group', 'aria-label': 'สี' },
        h('a', { class: `filter-chip${chosen === null ? ' on' : ''}`, href: reportHref('debtors', { area: report.scope.path, asOf: report.scope.asOf }), 'data-link': true }, `ทุกสี ${count(COLOURS.reduce((s, c) => s + report.counts[c], 0))}`),
        COLOURS.map((c: Colour) =>
          h(
            'a',
            { class: `filter-chip colour-filter${chosen === c ? ' on' : ''}`, href: reportHref('debtors', { area: report.scope.path, asOf: report.scope.asOf, colour: c }), 'data-link': true },
            h('span', { class: 'dot', style: `background:${COLOUR_THAI[c].hex}` }),
            `${COLOUR_THAI[c].label} ${count(report.counts[c])}`,
          ),
        ),
      ),
      h('p', { class: 'muted list-count' }, report.total > report.shown ? `แสดง ${count(report.shown)} รายที่ค้างนานที่สุด จาก ${count(report.total)} ราย — ดาวน์โหลดไฟล์ Excel เพื่อดูทั้งหมด` : `${count(report.total)} ราย`),
      // The area page and the chat's สรุป count every borrower; this list, those who still owed on the day.
      h('p', { class: 'muted' }, 'นับเฉพาะผู้ที่ยังมียอดหนี้คงเหลือ ณ วันที่ของรายงาน (ผู้ที่ชำระครบแล้วไม่อยู่ในรายการนี้)'),
    ),
    h(
      'div',
      { class: 'debtor-list' },
      report.rows.length
        ? report.rows.map((r) =>
            h(
              'a',
              { class: 'debtor-row', href: debtorHref(r.borrowerId), 'data-link': true },
              h('span', { class: 'debtor-head' }, h('strong', null, r.fullName), colourChip(r.colour)),
              h('span', { class: 'muted' }, `${r.areaTitle} · ${r.contractNos}`),
              r.overdue > 0 ? h('span', { class: 'red' }, `ค้าง ${formatSatang(r.overdue)} · ${count(r.daysPastDue)} วัน`) : h('span', { class: 'muted' }, `คงเหลือ ${formatSatang(r.outstanding)}`),
              h(
                'small',
                { class: 'muted' },
                r.lastContactOn ? `ติดต่อล่าสุด ${formatThaiDate(r.lastContactOn)} (${r.lastContact})` : 'ยังไม่เคยบันทึกการติดตาม',
                r.measureTitle ? ` · ${r.measureTitle}${r.measureEndsOn ? ` ถึง ${formatThaiDate(r.measureEndsOn)}` : ''}` : '',
                r.nextPromiseOn ? ` · นัดชำระ ${formatThaiDate(r.nextPromiseOn)}` : '',
              ),
            ),
          )
        : card(notice('ไม่มีลูกหนี้ในกลุ่มนี้ค่ะ')),
    ),
  ];
}

export const reportsPage: Page = async (context) => {
  const kind = (REPORT_KINDS as readonly string[]).includes(context.params.kind ?? '') ? (context.params.kind as ReportKind) : 'ageing';
  context.setTitle(REPORT_KIND_THAI[kind]);
  const [me, report] = await Promise.all([context.officer(), api<{ scope: ReportScope }>('GET', `/api/liff/officer/reports/${kind}${apiQuery(context.query)}`)]);
  const scope = report.scope;
  const body =
    kind === 'ageing'
      ? ageingView(report as AgeingReport)
      : kind === 'collections'
        ? collectionsView(report as CollectionsReport)
        : kind === 'activity'
          ? activityView(report as ActivityReport)
          : kind === 'measures'
            ? measuresView(report as MeasuresReport)
            : debtorsView(report as DebtorsReport);
  replace(
    context.root,
    h('p', { class: 'muted intro' }, `${scope.title} · ข้อมูล ณ ${formatThaiDate(scope.asOf)}`),
    controls(context, kind, scope, me.today),
    ...body,
    me.role === 'province' && kind === 'ageing' ? card(linkButton('จัดสรรงบประมาณเงินอุดหนุนรายอำเภอ', '/liff/officer/budget', 'secondary')) : null,
  );
  // The chosen report's chip in view in its sideways row (without moving the page).
  const kinds = context.root.querySelector<HTMLElement>('.report-kinds');
  const chosen = kinds?.querySelector<HTMLElement>('.filter-chip.on');
  if (kinds && chosen) kinds.scrollLeft = Math.max(0, chosen.offsetLeft - kinds.offsetLeft - 24);
};
