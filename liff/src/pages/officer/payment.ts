// รับชำระเงิน: which contract, how much, when, how, and the receipt number — then what it did: the installments it
// paid (oldest first, interest before principal, done by the server), what is left, and any promise it kept.
import { PAYMENT_CHANNEL_THAI, PAYMENT_CHANNELS, type DebtorPage, type PaymentChannel, type PaymentResult } from '../../../../server/contracts/officer.ts';
import { api, ApiError, apiErrorText } from '../../api.ts';
import { h } from '../../dom.ts';
import { formatSatang, formatThaiDate } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { busy, button, card, field, linkButton, notice, rows, showFieldErrors, showFormErrors } from '../../ui.ts';
import { amountProblem, checkedValue, choiceChips, dateInput, debtorHref, formKey, satangOf } from './parts.ts';

function resultCard(result: PaymentResult, page: DebtorPage): HTMLElement {
  return card(
    notice(result.replayed ? 'รายการนี้บันทึกไว้แล้วค่ะ (ไม่บันทึกซ้ำ)' : 'บันทึกการชำระเงินแล้วค่ะ ระบบส่งข้อความขอบคุณถึงลูกหนี้ทาง LINE', 'success'),
    rows([
      ['สัญญา', result.contractNo],
      ['ยอดที่รับ', h('strong', null, formatSatang(result.amountSatang))],
      ['ค้างชำระหลังรับเงิน', h('strong', { class: result.overdueAfter > 0 ? 'red' : '' }, formatSatang(result.overdueAfter))],
      ['หนี้คงเหลือ', formatSatang(result.outstandingAfter)],
    ]),
    ...result.promises.map((p) =>
      h('p', { class: `promise promise-${p.status}`, 'data-testid': 'payment-promise' }, `นัดชำระ ${formatSatang(p.amountSatang)} ภายใน ${formatThaiDate(p.promisedOn)}: `, h('strong', null, p.statusLabel)),
    ),
    linkButton('กลับไปหน้าลูกหนี้', debtorHref(page.borrowerId)),
  );
}

export const paymentPage: Page = async (context) => {
  context.setTitle('รับชำระเงิน');
  const borrowerId = context.params.id ?? '';
  const page = await api<DebtorPage>('GET', `/api/liff/officer/debtors/${encodeURIComponent(borrowerId)}`);
  const key = formKey(`payment:${borrowerId}`);
  const firstOwing = page.loans.find((l) => l.overdue > 0) ?? page.loans.find((l) => l.outstandingTotal > 0) ?? page.loans[0];
  const contract = choiceChips(
    'contractNo',
    page.loans.map((l) => [l.contractNo, `${l.contractNo} · ค้าง ${formatSatang(l.overdue)}`] as const),
    firstOwing?.contractNo ?? '',
    (value) => {
      const loan = page.loans.find((l) => l.contractNo === value);
      amount.placeholder = loan && loan.overdue > 0 ? `ยอดค้าง ${formatSatang(loan.overdue).replace('฿', '')}` : 'จำนวนเงิน (บาท)';
    },
  );
  const amount = h('input', { type: 'text', inputMode: 'decimal', name: 'amountSatang', id: 'field-amountSatang', autocomplete: 'off', placeholder: firstOwing && firstOwing.overdue > 0 ? `ยอดค้าง ${formatSatang(firstOwing.overdue).replace('฿', '')}` : 'จำนวนเงิน (บาท)' });
  const receipt = h('input', { type: 'text', name: 'receiptNo', id: 'field-receiptNo', autocomplete: 'off', autocapitalize: 'characters', maxLength: 40 });
  const channel = choiceChips<PaymentChannel>('channel', PAYMENT_CHANNELS.map((c) => [c, PAYMENT_CHANNEL_THAI[c]] as const), 'counter');
  const paidOn = dateInput('paidOn', page.today, { max: page.today });
  const message = h('div');
  const form = h(
    'form',
    { class: 'officer-form', novalidate: true, onSubmit: (event: Event) => event.preventDefault() },
    card(h('p', { class: 'lead' }, `คุณ${page.fullName}`), h('p', { class: 'muted' }, page.area)),
    card(
      page.loans.length > 1 ? field('contractNo', 'สัญญา', contract) : h('div', { hidden: true }, contract),
      field('amountSatang', 'ยอดที่รับชำระ (บาท)', amount, 'ระบบตัดงวดที่ค้างนานที่สุดก่อน ดอกเบี้ยก่อนเงินต้น'),
      field('paidOn', 'วันที่ชำระ', paidOn),
      field('channel', 'ช่องทาง', channel),
      field('receiptNo', 'เลขที่ใบเสร็จ', receipt),
    ),
    message,
    h('div', { class: 'actions' }, button('บันทึกการชำระ', (event) => void submit(event.currentTarget as HTMLButtonElement), 'primary', { 'data-testid': 'save-payment' })),
  );

  async function submit(target: HTMLButtonElement) {
    message.replaceChildren();
    const satang = satangOf(amount.value);
    if (satang === undefined) {
      showFieldErrors(form, [{ path: 'amountSatang', message: amountProblem(amount.value, '1,150 หรือ 1150.50') }]);
      return;
    }
    const body = { contractNo: checkedValue(form, 'contractNo'), amountSatang: satang, paidOn: paidOn.querySelector('input')!.value, channel: checkedValue(form, 'channel'), receiptNo: receipt.value.trim() };
    try {
      const result = await busy(target, 'กำลังบันทึก…', () => api<PaymentResult>('POST', '/api/liff/officer/payments', { body, headers: { 'Idempotency-Key': key.key } }));
      key.done();
      context.root.replaceChildren(resultCard(result, page));
      window.scrollTo(0, 0);
    } catch (error) {
      if (error instanceof ApiError && error.errors.length) {
        showFormErrors(form, error.errors, message);
      } else message.replaceChildren(notice(apiErrorText(error, 'บันทึกไม่สำเร็จค่ะ'), 'error'));
    }
  }

  context.root.replaceChildren(page.loans.length === 0 ? notice('ลูกหนี้รายนี้ไม่มีสัญญาในทะเบียนค่ะ') : form);
};
