// The quarterly draft in LINE: overdue rate against 5 % and against last quarter, collections, 5 ต. contacts,
// promises and measures, the child areas rolled up, and a button to the report pages (where the XLSX is downloaded).
import { OVERDUE_RATE_TARGET_PERCENT } from '../../domain/debtor-status.ts';
import { formatSatang } from '../../domain/money.ts';
import { areaTitle } from '../../content/area-names.ts';
import { QUARTERLY_THAI as Q } from '../../content/reports.th.ts';
import type { QuarterlyDraft } from '../../services/notifications.ts';
import type { LineMessage } from '../line-message.ts';
import { box, bubble, flexMessage, row, separator, text, uriButton, MUTED, type FlexComponent } from './flex-parts.ts';
import { formatPercent } from './officer.flex.ts';

const GOOD = '#1E9E4A';
const BAD = '#D32F2F';
/** LINE bubbles grow long quickly: the worst areas are named, the rest are in the report. */
const CHILDREN_SHOWN = 8;

/** The report page the draft opens: the quarter's figures as of the draft's day, with the XLSX downloads. */
export function quarterlyReportUrl(liffUrl: string, draft: QuarterlyDraft): string {
  return `${liffUrl}/officer/reports/ageing?asOf=${draft.asOf}`;
}

function trendArrow(current: number, previous: number): string {
  if (current < previous) return '▼ ดีขึ้น';
  if (current > previous) return '▲ แย่ลง';
  return '= เท่าเดิม';
}

export function quarterlyDraftMessage(draft: QuarterlyDraft, liffUrl: string): LineMessage {
  const title = Q.title(draft.quarter, draft.fiscalYearBe);
  const area = areaTitle(draft.scopePath);
  const meets = draft.overdueRatePercent < OVERDUE_RATE_TARGET_PERCENT;
  const rate = formatPercent(draft.overdueRatePercent);
  const collectedRate = draft.due > 0 ? formatPercent((draft.collected / draft.due) * 100) : '–';
  const children: FlexComponent[] = draft.children.length
    ? [
        separator(),
        text(draft.scopePath?.split('/').length === 1 ? Q.districtsTitle : Q.childrenTitle, { weight: 'bold', size: 'md', margin: 'lg' }),
        ...draft.children.slice(0, CHILDREN_SHOWN).map((child) =>
          box(
            'horizontal',
            [
              text(child.title, { size: 'sm', flex: 7 }),
              text(formatPercent(child.overdueRatePercent), { size: 'sm', flex: 4, align: 'end', weight: 'bold', color: child.overdueRatePercent < OVERDUE_RATE_TARGET_PERCENT ? GOOD : BAD }),
            ],
            { margin: 'sm' },
          ),
        ),
        ...(draft.children.length > CHILDREN_SHOWN ? [text(`และอีก ${draft.children.length - CHILDREN_SHOWN} พื้นที่ในรายงาน`, { size: 'xs', color: MUTED, margin: 'sm' })] : []),
      ]
    : [];
  const card = bubble({
    header: box('vertical', [text(title, { weight: 'bold', size: 'lg' }), text(Q.subtitle(area, draft.asOf), { size: 'sm', color: MUTED }), text(Q.dueLine(draft.reportDate), { size: 'xs', color: MUTED, margin: 'sm' })], {
      paddingAll: 'lg',
    }),
    body: box('vertical', [
      box(
        'horizontal',
        [
          text(Q.overdueRate, { size: 'md', flex: 6 }),
          text(rate, { size: 'xl', weight: 'bold', align: 'end', flex: 5, color: meets ? GOOD : BAD }),
        ],
        { alignItems: 'center' },
      ),
      text(`${Q.target} · ${meets ? `✅ ${Q.meetsTarget}` : `⚠️ ${Q.missesTarget}`}`, { size: 'sm', color: meets ? GOOD : BAD }),
      text(draft.previousRatePercent === null ? Q.noPrevious : Q.vsLastQuarter(formatPercent(draft.previousRatePercent), trendArrow(draft.overdueRatePercent, draft.previousRatePercent)), {
        size: 'sm',
        color: MUTED,
      }),
      separator(),
      row(Q.collections, formatSatang(draft.collected)),
      text(Q.collectedOfDue(formatSatang(draft.collected), formatSatang(draft.due), collectedRate), { size: 'xs', color: MUTED, align: 'end' }),
      row(Q.contacts, Q.contactsLine(draft.contacts, draft.debtorsContacted)),
      row(Q.promises, Q.promisesLine(draft.promisesMade, draft.promisesKept, draft.promisesBroken), { size: 'sm' }),
      row(Q.measures, Q.measuresLine(draft.applicationsWaiting, draft.applicationsApproved, draft.applicationsLate), { size: 'sm' }),
      ...children,
    ]),
    footer: box('vertical', [uriButton(Q.openReport, quarterlyReportUrl(liffUrl, draft))]),
  });
  return flexMessage(Q.altText(title, area, rate), card);
}
