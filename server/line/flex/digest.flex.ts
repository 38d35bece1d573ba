// The officer's weekly digest card: colours, overdue rate against 5 %, who most needs a visit, applications waiting.
import type { PortfolioSummary } from '../../domain/debtor-status.ts';
import { formatThaiDate, type LocalDate } from '../../domain/local-date.ts';
import { formatSatang } from '../../domain/money.ts';
import type { LineMessage } from '../line-message.ts';
import { areaTitle, formatAreaPath } from '../../content/area-names.ts';
import { brokenPromisesDigestLine } from '../../content/officer-workspace.th.ts';
import type { VisitCandidate } from '../../services/notifications.ts';
import { box, bubble, flexMessage, separator, text, MUTED } from './flex-parts.ts';
import { formatPercent, summaryRows } from './officer.flex.ts';

export function digestMessage(input: {
  scopePath: string | null;
  today: LocalDate;
  summary: PortfolioSummary;
  visits: VisitCandidate[];
  pendingApplications: number;
  brokenPromises?: number;
}): LineMessage {
  const { scopePath, today, summary, visits, pendingApplications, brokenPromises } = input;
  const title = `สรุปประจำสัปดาห์ ${areaTitle(scopePath)}`;
  const visitRows = visits.length
    ? visits.map((v, i) =>
        text(`${i + 1}. ${v.fullName} · ${formatAreaPath(v.areaPath)} · ค้าง ${v.daysPastDue.toLocaleString('en-US')} วัน ${formatSatang(v.overdue)}`, { size: 'sm', margin: 'sm' }),
      )
    : [text('ไม่มีลูกหนี้ผิดนัดชำระในพื้นที่ 🎉', { size: 'sm', margin: 'sm' })];
  const card = bubble({
    header: box('vertical', [text(title, { weight: 'bold', size: 'lg' }), text(`ข้อมูล ณ ${formatThaiDate(today)}`, { size: 'sm', color: MUTED })], { paddingAll: 'lg' }),
    body: box('vertical', [
      ...summaryRows(summary),
      separator(),
      text('ลูกหนี้ที่ควรเคาะประตูเยี่ยมบ้าน (5 ต.)', { weight: 'bold', size: 'md', margin: 'lg' }),
      ...visitRows,
      separator(),
      text(pendingApplications > 0 ? `📝 คำขอเข้าร่วมมาตรการรอท่านพิจารณา ${pendingApplications} รายการ` : '📝 ไม่มีคำขอเข้าร่วมมาตรการรอพิจารณา', {
        size: 'md',
        margin: 'lg',
      }),
      ...(brokenPromises === undefined ? [] : [text(brokenPromisesDigestLine(brokenPromises), { size: 'md', margin: 'md' })]),
    ]),
  });
  const alt =
    `${title}: ลูกหนี้ ${summary.debtorCount} ราย ผิดนัด ${summary.debtorsByStatus.defaulted} ราย ` +
    `หนี้เกินกำหนด ${formatPercent(summary.overdueRatePercent)} (เป้า < 5%) คำขอรอพิจารณา ${pendingApplications}`;
  return flexMessage(alt, card);
}
