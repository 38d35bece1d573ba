// Officer cards: the area summary (colours and overdue rate against the 5 % target) and debtor lookups.
import { formatThaiPhone } from '../../domain/phone.ts';
import { DEBTOR_STATUS_LABEL, DEBTOR_STATUSES, OVERDUE_RATE_TARGET_PERCENT, type PortfolioSummary } from '../../domain/debtor-status.ts';
import { formatThaiDate, type LocalDate } from '../../domain/local-date.ts';
import { formatSatang } from '../../domain/money.ts';
import type { OfficerProfile } from '../../db/repos/officers.repo.ts';
import type { DebtOverview } from '../../services/debt-overview.service.ts';
import type { LookupResult } from '../../services/portfolio.service.ts';
import type { LineMessage } from '../line-message.ts';
import { areaTitle, formatAreaPath, ROLE_TITLE } from '../../content/area-names.ts';
import { DELIVERY_STATUS_THAI, REMINDER_KIND_THAI } from '../../content/officer-workspace.th.ts';
import { box, bubble, bubblesMessage, flexMessage, postbackButton, row, separator, text, uriButton, MUTED, type FlexComponent } from './flex-parts.ts';
import { encodePostback } from '../postback.ts';
import type { DeliveryHistoryRow } from '../../db/repos/outbox.repo.ts';
import { formatThaiDateTime } from '../../domain/local-date.ts';
import { loanRows, statusHeader, statusLine } from './debt-card.flex.ts';

export function formatPercent(value: number): string {
  return `${value.toFixed(2)}%`;
}

export function summaryRows(summary: PortfolioSummary): FlexComponent[] {
  const rows: FlexComponent[] = DEBTOR_STATUSES.map((status) =>
    box(
      'horizontal',
      [
        text('●', { color: DEBTOR_STATUS_LABEL[status].hex, flex: 1, size: 'lg' }),
        text(DEBTOR_STATUS_LABEL[status].thai, { flex: 7, size: 'md' }),
        text(`${summary.debtorsByStatus[status].toLocaleString('en-US')} ราย`, { flex: 4, size: 'md', align: 'end', weight: 'bold' }),
      ],
      { margin: 'sm' },
    ),
  );
  rows.push(separator());
  rows.push(row('ลูกหนี้ทั้งหมด', `${summary.debtorCount.toLocaleString('en-US')} ราย`));
  rows.push(row('ยอดหนี้คงค้าง', formatSatang(summary.outstandingTotal)));
  rows.push(row('หนี้เกินกำหนดชำระ', formatSatang(summary.overdueTotal)));
  rows.push(
    row(`อัตราหนี้เกินกำหนด (เป้า < ${OVERDUE_RATE_TARGET_PERCENT}%)`, `${formatPercent(summary.overdueRatePercent)} ${summary.meetsTarget ? '✅' : '⚠️'}`, {
      color: summary.meetsTarget ? '#1E9E4A' : '#D32F2F',
    }),
  );
  return rows;
}

export function areaSummaryMessage(officer: OfficerProfile, summary: PortfolioSummary, today: LocalDate): LineMessage {
  const title = `สรุปลูกหนี้ ${areaTitle(officer.scopePath)}`;
  const card = bubble({
    header: box('vertical', [text(title, { weight: 'bold', size: 'lg' }), text(`ข้อมูล ณ ${formatThaiDate(today)}`, { size: 'sm', color: MUTED })], {
      paddingAll: 'lg',
    }),
    body: box('vertical', summaryRows(summary)),
  });
  const counts = DEBTOR_STATUSES.map((s) => `${DEBTOR_STATUS_LABEL[s].thai} ${summary.debtorsByStatus[s]}`).join(', ');
  return flexMessage(`${title}: ${counts}; หนี้เกินกำหนด ${formatPercent(summary.overdueRatePercent)}`, card);
}

/** The officer's pages in the mini-app for one debtor (liff/src/pages/officer/). */
export function officerDebtorUrl(liffUrl: string, borrowerId: number, suffix = ''): string {
  return `${liffUrl}/officer/debtors/${borrowerId}${suffix}`;
}

function debtorBubble(overview: DebtOverview, liffUrl: string): FlexComponent {
  const { borrower } = overview;
  const body: FlexComponent[] = [
    text(`เลขประจำตัว ${borrower.nationalIdMasked}`, { size: 'sm', color: MUTED }),
    text(formatAreaPath(borrower.areaPath), { size: 'sm', color: MUTED }),
  ];
  for (const loan of overview.loans) {
    body.push(separator());
    body.push(text(`สัญญา ${loan.contractNo} · ${DEBTOR_STATUS_LABEL[loan.position.status].thai}`, { weight: 'bold', size: 'md', margin: 'md' }));
    body.push(...loanRows(loan));
  }
  if (overview.loans.length === 0) body.push(text('ไม่มีสัญญาในทะเบียน', { margin: 'md' }));
  return bubble({
    header: statusHeader(borrower.fullName, statusLine(overview.status), overview.status),
    body: box('vertical', body),
    footer: box('vertical', [
      uriButton('บันทึกการติดตาม', officerDebtorUrl(liffUrl, borrower.id, '/follow-up')),
      uriButton('เปิดหน้าลูกหนี้', officerDebtorUrl(liffUrl, borrower.id), 'secondary'),
      ...(borrower.phone ? [uriButton(`โทร ${formatThaiPhone(borrower.phone)}`, `tel:${borrower.phone}`, 'secondary')] : []),
      postbackButton('ประวัติการแจ้งเตือน', encodePostback({ action: 'history', borrower: borrower.id }), `ประวัติการแจ้งเตือนของ ${borrower.fullName}`.slice(0, 300), 'secondary'),
    ]),
  });
}

export function lookupMessages(query: string, result: LookupResult, liffUrl: string): LineMessage[] {
  const messages: LineMessage[] = [];
  if (result.truncated) {
    messages.push({ type: 'text', text: `พบลูกหนี้ที่ตรงกับ "${query}" มากกว่า ${result.matches.length} ราย แสดง ${result.matches.length} รายแรก กรุณาพิมพ์ให้เจาะจงขึ้นค่ะ` });
  }
  const altText = result.matches.map((m) => `${m.borrower.fullName} (${DEBTOR_STATUS_LABEL[m.status].thai})`).join(', ');
  messages.push(bubblesMessage(`ผลการค้นหา "${query}": ${altText}`, result.matches.map((match) => debtorBubble(match, liffUrl))));
  return messages;
}

export function officerContactMessage(officers: OfficerProfile[], areaPath: string): LineMessage {
  const district = areaPath.split('/')[1];
  if (officers.length === 0) {
    return {
      type: 'text',
      text: `ติดต่อสำนักงานพัฒนาชุมชนอำเภอ${district ?? ''} ในวันและเวลาราชการได้เลยค่ะ เจ้าหน้าที่ยินดีให้คำแนะนำ`,
    };
  }
  const bubbles = officers.map((officer) =>
    bubble({
      body: box('vertical', [
        text(ROLE_TITLE[officer.role], { size: 'sm', color: MUTED }),
        text(`คุณ${officer.fullName}`, { size: 'xl', weight: 'bold' }),
        text(areaTitle(officer.scopePath), { size: 'md' }),
        ...(officer.phone ? [text(`โทร ${formatThaiPhone(officer.phone)}`, { size: 'md', margin: 'md' })] : []),
      ]),
      ...(officer.phone ? { footer: box('vertical', [uriButton('โทรหาเจ้าหน้าที่', `tel:${officer.phone}`)]) } : {}),
    }),
  );
  return bubblesMessage(
    `เจ้าหน้าที่ที่ดูแลพื้นที่ของท่าน: ${officers.map((o) => `คุณ${o.fullName}${o.phone ? ` โทร ${formatThaiPhone(o.phone)}` : ''}`).join(', ')}`,
    bubbles,
  );
}

const OUTCOME_LABEL: Record<string, string> = {
  no_longer_due: 'ชำระแล้วหรือตารางผ่อนเปลี่ยนก่อนส่ง',
  expired: 'พ้นเวลาที่ควรส่ง',
  not_linked: 'ยังไม่ผูกบัญชี',
  held_blocked: 'ผู้กู้บล็อกบัญชี',
  deferred_outside_hours: 'รอเวลาที่ติดต่อได้',
  deferred_daily_limit: 'วันนี้ได้รับแจ้งเตือนแล้ว',
  held_quota: 'รอโควตาข้อความ',
  held_token_refused: 'LINE ไม่รับรหัสของระบบ รอผู้ดูแลระบบแก้ไข',
  duplicate: 'ส่งแล้ว (ซ้ำ)',
};

export function deliveryHistoryMessage(borrowerName: string, rows: DeliveryHistoryRow[]): LineMessage {
  if (rows.length === 0) return { type: 'text', text: `ยังไม่มีการแจ้งเตือนถึงคุณ${borrowerName}ค่ะ` };
  const lines = rows.map((row) => {
    const when = formatThaiDateTime(row.sentAt ?? row.createdAt);
    const why = row.outcome && OUTCOME_LABEL[row.outcome] ? ` (${OUTCOME_LABEL[row.outcome]})` : '';
    return `• ${when} · ${REMINDER_KIND_THAI[row.kind] ?? 'ข้อความแจ้งเตือน'} · ${DELIVERY_STATUS_THAI[row.status] ?? row.status}${why}`;
  });
  return { type: 'text', text: `ประวัติการแจ้งเตือนของคุณ${borrowerName} (ล่าสุด ${rows.length} รายการ)\n${lines.join('\n')}` };
}
