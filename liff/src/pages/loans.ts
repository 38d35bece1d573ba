// เงินกู้ของฉัน: each loan's status colour, what is owed and overdue, and its schedule with what was paid.
import type { LoanView } from '../../../server/contracts/liff.ts';
import { h } from '../dom.ts';
import { formatSatang, formatThaiDate } from '../format.ts';
import type { Page } from '../app-context.ts';
import { card, chip, linkButton, notice, rows } from '../ui.ts';

const INSTALLMENT_STATE: Record<LoanView['installments'][number]['state'], { label: string; class: string }> = {
  paid: { label: 'ชำระแล้ว', class: 'paid' },
  partly_paid: { label: 'ชำระบางส่วน', class: 'partly' },
  overdue: { label: 'ค้างชำระ', class: 'overdue' },
  upcoming: { label: 'ยังไม่ถึงกำหนด', class: 'upcoming' },
  suspended: { label: 'พักไว้ตามมาตรการ', class: 'suspended' },
};

const PERIOD: Record<LoanView['frequency'], string> = { monthly: 'รายเดือน', quarterly: 'ราย 3 เดือน', yearly: 'รายปี' };

/** What the measure in force means now: what is held back, until when, what is still asked of her. */
function measureRows(loan: LoanView): Array<[string, string | HTMLElement]> {
  const measure = loan.activeMeasure;
  if (!measure) return [];
  const rowsOut: Array<[string, string | HTMLElement]> = [['มาตรการ', measure.title]];
  const until = measure.endsOn ? formatThaiDate(measure.endsOn) : 'จนกว่าเจ้าหน้าที่จะแจ้ง';
  if (measure.holdsBack === 'everything') {
    rowsOut.push(['พักหนี้ถึง', until]);
    if (measure.suspended) rowsOut.push(['ยอดที่พักไว้', formatSatang(measure.suspended)]);
    rowsOut.push(['ช่วงพัก', 'ไม่มีค่างวดตามตาราง จ่ายเท่าที่ไหว ทุกบาทตัดเงินต้น']);
    if (measure.paidToPrincipal) rowsOut.push(['จ่ายระหว่างพัก (ตัดเงินต้น)', formatSatang(measure.paidToPrincipal)]);
  } else if (measure.holdsBack === 'principal') {
    rowsOut.push(['พักเงินต้นถึง', until], ['ช่วงพัก', 'จ่ายเฉพาะดอกเบี้ย']);
  }
  return rowsOut;
}

function loanCard(loan: LoanView): HTMLElement {
  const paidCount = loan.installments.filter((i) => i.state === 'paid').length;
  const schedule = h(
    'details',
    { class: 'schedule' },
    h('summary', null, `ตารางผ่อน ${loan.installments.length} งวด (ชำระครบแล้ว ${paidCount} งวด)`),
    h(
      'ol',
      { class: 'installments' },
      loan.installments.map((i) =>
        h(
          'li',
          { class: `installment ${INSTALLMENT_STATE[i.state].class}` },
          h('span', { class: 'when' }, `งวดที่ ${i.seq} · ${formatThaiDate(i.dueOn)}`),
          h('span', { class: 'amount' }, formatSatang(i.amount)),
          h('span', { class: 'state' }, i.state === 'partly_paid' ? `ชำระแล้ว ${formatSatang(i.paid)}` : INSTALLMENT_STATE[i.state].label),
        ),
      ),
    ),
  );
  return card(
    h('div', { class: 'card-head' }, h('h2', null, `สัญญา ${loan.contractNo}`), chip(loan.statusLabel, loan.colour)),
    loan.overdue > 0 ? notice(`ค้างชำระ ${formatSatang(loan.overdue)} มาแล้ว ${loan.daysPastDue.toLocaleString('th-TH')} วัน`, 'error') : null,
    rows([
      ['เงินต้นคงเหลือ', formatSatang(loan.outstandingPrincipal)],
      ['ยอดที่ต้องชำระทั้งหมด', formatSatang(loan.outstandingTotal)],
      loan.activeMeasure?.holdsBack === 'everything' && loan.overdue === 0 ? false : ['ยอดค้างชำระ', h('strong', { class: loan.overdue > 0 ? 'red' : '' }, formatSatang(loan.overdue))],
      ['ชำระแล้วทั้งหมด', formatSatang(loan.paidTotal)],
      loan.nextDue
        ? [loan.nextDue.interestOnly ? 'งวดถัดไป (เฉพาะดอกเบี้ย)' : 'งวดถัดไป', `${formatThaiDate(loan.nextDue.dueOn)} · ${formatSatang(loan.nextDue.amount)}`]
        : ['งวดถัดไป', loan.outstandingTotal === 0 ? 'ชำระครบแล้ว' : '—'],
      ...measureRows(loan),
      ['เงื่อนไข', `เงินกู้ ${formatSatang(loan.principal)} ผ่อน${PERIOD[loan.frequency]} ดอกเบี้ย ${(loan.annualInterestBp / 100).toLocaleString('th-TH')}% ต่อปี${loan.restructured ? ' (ปรับโครงสร้างแล้ว)' : ''}`],
    ]),
    schedule,
  );
}

export const loansPage: Page = async (context) => {
  context.setTitle('เงินกู้ของฉัน');
  const me = await context.me();
  const overdue = me.loans.reduce((sum, loan) => sum + loan.overdue, 0);
  context.root.replaceChildren(
    ...(context.flash ? [notice(context.flash, 'success')] : []),
    card(
      h('div', { class: 'card-head' }, h('h2', null, `คุณ${me.borrower.fullName}`), chip(me.borrower.statusLabel, me.borrower.colour)),
      h('p', { class: 'muted' }, `เลขประจำตัว ${me.borrower.nationalIdMasked}`),
      h('p', { class: 'muted' }, me.borrower.area),
      h('p', { class: 'muted' }, `ข้อมูล ณ วันที่ ${formatThaiDate(me.today)}`),
    ),
    ...(me.loans.length === 0 ? [notice('ยังไม่พบสัญญาเงินกู้ของท่านในระบบค่ะ หากคิดว่าไม่ถูกต้อง กรุณาติดต่อเจ้าหน้าที่')] : me.loans.map(loanCard)),
    overdue > 0
      ? card(
          h('p', { class: 'lead' }, 'จ่ายไม่ไหว? มีมาตรการช่วยเหลือค่ะ'),
          h('p', null, 'การเข้าร่วมมาตรการช่วยลดโอกาสถูกดำเนินคดี และมีทีมพี่เลี้ยงช่วยแนะนำตั้งแต่ต้นจนจบ'),
          linkButton('ดูมาตรการช่วยเหลือ', '/liff/measures'),
        )
      : linkButton('ดูมาตรการช่วยเหลือ', '/liff/measures', 'secondary'),
    h('p', { class: 'muted privacy-link' }, h('a', { href: '/liff/privacy', 'data-link': true }, 'ข้อมูลของฉันที่กองทุนเก็บไว้ · ยกเลิกการผูกบัญชี')),
  );
};
