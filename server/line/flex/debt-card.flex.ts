// The debt card: one bubble per loan, coloured by the debtor-status colour of the seed documents.
import { DEBTOR_STATUS_LABEL, type DebtorStatus } from '../../domain/debtor-status.ts';
import { formatThaiDate } from '../../domain/local-date.ts';
import { formatSatang } from '../../domain/money.ts';
import type { LoanOverview } from '../../services/debt-overview.service.ts';
import { encodePostback } from '../postback.ts';
import { box, bubble, postbackButton, row, separator, text, uriButton, type FlexComponent } from './flex-parts.ts';

export function statusHeader(title: string, subtitle: string, status: DebtorStatus): FlexComponent {
  const label = DEBTOR_STATUS_LABEL[status];
  const ink = status === 'in_measure' ? '#212121' : '#FFFFFF';
  return box(
    'vertical',
    [text(title, { weight: 'bold', size: 'lg', color: ink }), text(subtitle, { size: 'md', color: ink, margin: 'sm' })],
    { backgroundColor: label.hex, paddingAll: 'lg' },
  );
}

/** What the borrower reads about her own loan (never the officers' label or colour). */
export function statusLine(status: DebtorStatus): string {
  return DEBTOR_STATUS_LABEL[status].borrowerThai;
}

/** What a measure in force means for this loan now, in rows: what is held back, until when, what is still asked. */
function measureRows(loan: LoanOverview): FlexComponent[] {
  const { position, measure } = loan;
  const rows: FlexComponent[] = [];
  if (loan.activeMeasureTitle) rows.push(row('มาตรการ', loan.activeMeasureTitle, { color: '#8A6D00' }));
  if (!measure) return rows;
  const until = measure.endsOn ? formatThaiDate(measure.endsOn) : 'จนกว่าเจ้าหน้าที่จะแจ้ง';
  if (measure.effect.type === 'suspend') {
    rows.push(row('พักหนี้ถึง', until));
    if (position.suspended > 0) rows.push(row('ยอดที่พักไว้', formatSatang(position.suspended)));
    rows.push(text('ช่วงพักหนี้ไม่มีค่างวดตามตาราง และไม่คิดดอกเบี้ยเพิ่ม', { size: 'sm', margin: 'md' }));
    if (measure.effect.paymentsGoToPrincipal) {
      rows.push(text('💛 พักหนี้ไม่พักจ่าย: จ่ายเท่าที่ไหว ทุกบาทตัดเงินต้นเต็มจำนวน', { size: 'sm', weight: 'bold', margin: 'sm' }));
      if (position.paidToPrincipalDuringMeasure > 0) rows.push(row('จ่ายระหว่างพัก (ตัดเงินต้น)', formatSatang(position.paidToPrincipalDuringMeasure), { color: '#1E9E4A' }));
    }
  } else if (measure.effect.type === 'pause_principal') {
    rows.push(row('พักเงินต้นถึง', until));
    rows.push(text('ช่วงนี้จ่ายเฉพาะดอกเบี้ย เงินต้นพักไว้ก่อน', { size: 'sm', margin: 'md' }));
  }
  return rows;
}

/** 300 basis points → "3% ต่อปี" ("ดอกเบี้ยเท่าไหร่" is answered by this card). */
function interestRateText(annualInterestBp: number): string {
  if (annualInterestBp === 0) return 'ไม่คิดดอกเบี้ย';
  return `${(annualInterestBp / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}% ต่อปี`;
}

/** The rows describing one loan's position, shared by the borrower's card and the officer's lookup. */
export function loanRows(loan: LoanOverview): FlexComponent[] {
  const { position } = loan;
  const rows: FlexComponent[] = [row('เงินต้นคงเหลือ', formatSatang(position.outstandingPrincipal))];
  // "ทั้งหมดเท่าไหร่": with interest on the schedule, what is left to pay is more than the principal.
  if (position.outstandingTotal > position.outstandingPrincipal) rows.push(row('ยอดที่ต้องชำระทั้งหมด', formatSatang(position.outstandingTotal)));
  rows.push(row('ดอกเบี้ย', interestRateText(loan.annualInterestBp)));
  // Under a suspension nothing is collected: an overdue row of ฿0.00 would only worry her.
  if (position.overdue > 0 || loan.measure?.effect.type !== 'suspend') {
    rows.push(row('ยอดค้างชำระ', formatSatang(position.overdue), position.overdue > 0 ? { color: '#D32F2F' } : {}));
  }
  if (position.daysPastDue > 0) rows.push(row('ค้างชำระมาแล้ว', `${position.daysPastDue.toLocaleString('en-US')} วัน`, { color: '#D32F2F' }));
  if (position.nextDue) {
    rows.push(row(position.nextDue.interestOnly ? 'งวดถัดไป (ดอกเบี้ย)' : 'งวดถัดไป', formatThaiDate(position.nextDue.dueOn)));
    rows.push(row('ยอดงวดถัดไป', formatSatang(position.nextDue.amount)));
  } else if (position.outstandingTotal === 0) {
    rows.push(row('งวดถัดไป', 'ชำระครบแล้ว', { color: '#1E9E4A' }));
  }
  rows.push(...measureRows(loan));
  return rows;
}

export function debtCard(loan: LoanOverview, liffUrl: string): FlexComponent {
  const { status } = loan.position;
  const footer: FlexComponent[] = [postbackButton('วิธีชำระเงิน', encodePostback({ action: 'pay' }), 'วิธีชำระเงิน')];
  if (status === 'defaulted') footer.unshift(uriButton('สมัครมาตรการช่วยเหลือ', `${liffUrl}/measures`));
  // Already in a measure: another cannot be stacked on it, so the card shows her schedule instead.
  else if (status === 'in_measure') footer.push(uriButton('ดูตารางผ่อน', `${liffUrl}/loans`, 'secondary'));
  else footer.push(postbackButton('มาตรการช่วยเหลือ', encodePostback({ action: 'measures' }), 'มาตรการช่วยเหลือ'));
  return bubble({
    header: statusHeader(`สัญญาเลขที่ ${loan.contractNo}`, statusLine(status), status),
    body: box('vertical', [...loanRows(loan), separator(), text(`สถานะ: ${statusLine(status)}`, { size: 'sm', color: '#6B6B6B', margin: 'md' })]),
    footer: box('vertical', footer),
  });
}

export function debtAltText(loans: LoanOverview[]): string {
  return loans
    .map((loan) => {
      // "ค้างชำระ ฿…" below says what "มียอดค้างชำระ" would: the status is named only when it says something else.
      const parts = [loan.position.status === 'defaulted' ? `สัญญา ${loan.contractNo}:` : `สัญญา ${loan.contractNo}: ${statusLine(loan.position.status)}`];
      if (loan.measure?.effect.type === 'suspend') parts.push(`พักหนี้ถึง ${loan.measure.endsOn ? formatThaiDate(loan.measure.endsOn) : '-'}`);
      if (loan.position.overdue > 0 || loan.measure?.effect.type !== 'suspend') parts.push(`ค้างชำระ ${formatSatang(loan.position.overdue)}`);
      if (loan.position.nextDue) parts.push(`งวดถัดไป ${formatThaiDate(loan.position.nextDue.dueOn)} ${formatSatang(loan.position.nextDue.amount)}`);
      return parts.join(' ');
    })
    .join(' | ');
}
