// สลิปรอตรวจ: transfer slips borrowers of my area sent in the chat, oldest first. Each shows the photo, who sent it
// and when, the bank's reference read from its QR, and a form already filled with the loan and amount she most
// likely paid: one tap confirms (a recorded payment, her thank-you goes out), or a reason (tap one or type) rejects
// it and she is told why in LINE.
import { BANK_NAMES_THAI, type SlipDecision, type SlipItem, type SlipsResponse } from '../../../../server/contracts/money.ts';
import { api, ApiError, apiErrorText, slipImageUrl } from '../../api.ts';
import { h, replace, type Child } from '../../dom.ts';
import { formatSatang, formatThaiDateTime } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { busy, button, card, field, linkButton, notice, showFieldErrors, showFormErrors } from '../../ui.ts';
import { amountProblem, checkedValue, choiceChips, dateInput, debtorHref, satangOf, section } from './parts.ts';

/** The Bangkok calendar day of an instant: the slip came in that day, so that is the payment's likely date. */
function bangkokDay(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

function bahtText(satang: number): string {
  return formatSatang(satang).replace('฿', '');
}

function slipPhoto(item: SlipItem): HTMLElement {
  const frame = h('button', { type: 'button', class: 'slip-photo', 'aria-label': 'แตะเพื่อขยายรูปสลิป' }, h('span', { class: 'muted' }, 'กำลังโหลดรูป…'));
  const hint = h('small', { class: 'muted slip-zoom-hint' }, 'แตะรูปเพื่อขยาย เลื่อนดูยอดและวันที่ได้');
  frame.addEventListener('click', () => {
    frame.classList.toggle('zoomed');
    hint.textContent = frame.classList.contains('zoomed') ? 'แตะรูปอีกครั้งเพื่อย่อ' : 'แตะรูปเพื่อขยาย เลื่อนดูยอดและวันที่ได้';
  });
  void slipImageUrl(item.id)
    .then((url) => frame.replaceChildren(h('img', { src: url, alt: `สลิปจากคุณ${item.fullName}` })))
    .catch(() => frame.replaceChildren(h('span', { class: 'muted' }, 'เปิดรูปไม่ได้')));
  return h('div', null, frame, hint);
}

function referenceLine(item: SlipItem): HTMLElement {
  if (!item.transRef) return h('p', { class: 'slip-ref warn' }, 'อ่าน QR บนสลิปไม่ได้ — ตรวจยอด วันที่ และบัญชีปลายทางจากรูปก่อนยืนยัน');
  const bank = item.bankCode ? (BANK_NAMES_THAI[item.bankCode] ?? `ธนาคารรหัส ${item.bankCode}`) : '';
  return h(
    'div',
    { class: 'slip-refs' },
    h('small', { class: 'muted' }, 'เลขอ้างอิงธนาคาร (อ่านจาก QR บนสลิป)'),
    h('p', { class: 'slip-ref' }, item.transRef),
    bank ? h('small', { class: 'muted' }, `โอนจาก${bank}`) : null,
  );
}

/** Per card still waiting: how to show what is due again after another slip of hers was recorded. */
const refreshDue = new WeakMap<HTMLElement, (fresh: SlipItem) => void>();

function pendingCard(item: SlipItem, canDecide: boolean, reasons: readonly string[], onDone: (recorded: boolean) => void): HTMLElement {
  const holder = h('section', { class: 'card slip-card', 'data-testid': 'slip', 'data-slip': item.id });
  const message = h('div');
  const suggested = item.suggestedContractNo && item.contracts.some((c) => c.contractNo === item.suggestedContractNo) ? item.suggestedContractNo : (item.contracts[0]?.contractNo ?? '');
  const contract = choiceChips(
    `contractNo-${item.id}`,
    item.contracts.map((c) => [c.contractNo, c.overdueSatang > 0 ? `${c.contractNo} · ค้าง ${formatSatang(c.overdueSatang)}` : c.contractNo] as const),
    suggested,
    (value) => {
      const hint = form.querySelector<HTMLElement>('[data-field="amountSatang"] .hint');
      if (hint) hint.textContent = dueHint(value);
    },
  );
  // Never filled in for her: the officer types what the slip shows, so a slip for less than is due is never posted as
  // what is due (the slip's QR carries no amount; what is due is shown beside the field to compare).
  // Its own id: a label tapped on the second slip must not put the cursor in the first one's box.
  const amount = h('input', { type: 'text', inputMode: 'decimal', name: 'amountSatang', id: `amount-${item.id}`, autocomplete: 'off', placeholder: 'ยอดที่เห็นในสลิป' });
  // A corrected amount clears the complaint about the last one.
  amount.addEventListener('input', () => {
    const slot = form.querySelector<HTMLElement>('[data-error-for="amountSatang"]');
    if (slot) slot.textContent = '';
    slot?.closest('.field')?.classList.remove('invalid');
  });
  const dueOf = (contractNo: string) => item.contracts.find((c) => c.contractNo === contractNo);
  // Contracts a slip recorded since this page opened made smaller: what is due now, not what was due then.
  const paidSince = new Set<string>();
  const dueHint = (contractNo: string) => {
    const due = dueOf(contractNo);
    if (paidSince.has(contractNo) && due) {
      return due.overdueSatang > 0
        ? `พิมพ์ยอดตามที่เห็นในสลิป · หลังบันทึกสลิปก่อนหน้า สัญญานี้ยังค้าง ${formatSatang(due.overdueSatang)}`
        : 'พิมพ์ยอดตามที่เห็นในสลิป · หลังบันทึกสลิปก่อนหน้า สัญญานี้ไม่มียอดค้างแล้ว';
    }
    const suggestedHere = contractNo === item.suggestedContractNo && item.suggestedAmountSatang ? item.suggestedAmountSatang : due?.overdueSatang;
    return suggestedHere ? `พิมพ์ยอดตามที่เห็นในสลิป · ยอดที่ถึงกำหนดของสัญญานี้ ${formatSatang(suggestedHere)}` : 'พิมพ์ยอดตามที่เห็นในสลิป';
  };
  const paidOn = dateInput(`paidOn-${item.id}`, bangkokDay(item.receivedAt), { max: bangkokDay(new Date().toISOString()) });
  const form = h(
    'form',
    { class: 'officer-form', novalidate: true, onSubmit: (event: Event) => event.preventDefault() },
    item.contracts.length > 1 ? field('contractNo', 'ชำระสัญญา', contract) : h('div', null, h('p', { class: 'muted' }, suggested ? `สัญญา ${suggested}` : ''), h('div', { hidden: true }, contract)),
    field('amountSatang', 'ยอดตามสลิป (บาท)', amount, dueHint(suggested)),
    field('paidOn', 'วันที่โอน', paidOn),
  );
  refreshDue.set(holder, (fresh) => {
    for (const now of fresh.contracts) {
      const then = dueOf(now.contractNo);
      if (then && now.overdueSatang < then.overdueSatang) paidSince.add(now.contractNo);
    }
    item.contracts = fresh.contracts;
    const hint = form.querySelector<HTMLElement>('[data-field="amountSatang"] .hint');
    if (hint) hint.textContent = dueHint(checkedValue(form, `contractNo-${item.id}`));
  });

  const rejectBox = h('div', { class: 'reject-box', hidden: true });
  const reasonText = h('textarea', { name: 'reason', rows: 2, maxLength: 300, placeholder: 'หรือพิมพ์เหตุผลเอง' });
  const reasonChips = choiceChips(`reason-${item.id}`, reasons.map((r) => [r, r] as const), '', (value) => (reasonText.value = value));
  rejectBox.append(
    field('reason', 'เหตุผลที่ไม่รับ (ผู้กู้จะได้รับข้อความนี้ทาง LINE)', h('div', null, reasonChips, reasonText)),
    h('div', { class: 'actions-stack' }, button('ส่งเหตุผลให้ผู้กู้', (event) => void reject(event.currentTarget as HTMLButtonElement), 'danger', { 'data-testid': 'send-reject' }), button('ยกเลิก', () => (rejectBox.hidden = true), 'secondary')),
  );

  /** Set once the server said this transfer was recorded for someone else already and showed her how much. */
  let sameTransferChecked = false;

  async function confirm(target: HTMLButtonElement) {
    message.replaceChildren();
    const satang = satangOf(amount.value);
    if (satang === undefined) {
      showFieldErrors(form, [{ path: 'amountSatang', message: amountProblem(amount.value, '1,150 หรือ 1150.50') }]);
      return;
    }
    const body = { contractNo: checkedValue(form, `contractNo-${item.id}`), amountSatang: satang, paidOn: paidOn.querySelector('input')!.value, ...(sameTransferChecked ? { sameTransferChecked } : {}) };
    try {
      const result = await busy(target, 'กำลังบันทึก…', () => api<SlipDecision>('POST', `/api/liff/officer/slips/${item.id}/confirm`, { body }));
      holder.replaceChildren(
        notice(`${result.replayed ? 'สลิปนี้บันทึกไว้แล้ว' : 'บันทึกการชำระแล้ว'}: คุณ${item.fullName} ${formatSatang(satang)} สัญญา ${body.contractNo} — ระบบส่งข้อความขอบคุณทาง LINE แล้วค่ะ`, 'success'),
        linkButton('ดูหน้าลูกหนี้', debtorHref(item.borrowerId), 'secondary'),
      );
      onDone(true);
    } catch (error) {
      if (error instanceof ApiError && error.errors.some((e) => e.path === 'sameTransferChecked')) {
        // Recorded for another borrower already: what was recorded is shown; her next tap says she checked.
        sameTransferChecked = true;
        target.textContent = 'ยืนยันบันทึกรับชำระ';
        message.replaceChildren(notice(error.message, 'error'));
      } else if (error instanceof ApiError && error.errors.length) {
        showFormErrors(form, error.errors, message);
      } else if (decidedByAnother(error)) {
        holder.replaceChildren(notice(error.message, 'info'));
        onDone(false);
      } else message.replaceChildren(notice(apiErrorText(error, 'บันทึกไม่สำเร็จค่ะ'), 'error'));
    }
  }

  async function reject(target: HTMLButtonElement) {
    message.replaceChildren();
    const reason = reasonText.value.trim() || checkedValue(rejectBox, `reason-${item.id}`);
    if (reason.length < 3) {
      showFieldErrors(rejectBox, [{ path: 'reason', message: 'กรุณาเลือกหรือพิมพ์เหตุผลให้ผู้กู้เข้าใจ' }]);
      return;
    }
    try {
      await busy(target, 'กำลังส่ง…', () => api<SlipDecision>('POST', `/api/liff/officer/slips/${item.id}/reject`, { body: { reason } }));
      holder.replaceChildren(notice(`ไม่รับสลิปของคุณ${item.fullName} แล้ว ระบบแจ้งเหตุผลให้ผู้กู้ทาง LINE ค่ะ`, 'info'));
      onDone(false);
    } catch (error) {
      if (decidedByAnother(error)) {
        holder.replaceChildren(notice(error.message, 'info'));
        onDone(false);
      } else message.replaceChildren(notice(apiErrorText(error, 'ส่งไม่สำเร็จค่ะ'), 'error'));
    }
  }

  append(
    holder,
    h('div', { class: 'card-head' }, h('a', { href: debtorHref(item.borrowerId), 'data-link': true, class: 'lead' }, `คุณ${item.fullName}`), h('small', { class: 'muted' }, `ส่งเมื่อ ${formatThaiDateTime(new Date(item.receivedAt))}`)),
    h('p', { class: 'muted' }, item.area),
    slipPhoto(item),
    referenceLine(item),
    item.sameTransfer
      ? h(
          'p',
          { class: 'notice error', 'data-testid': 'same-transfer' },
          `⚠️ ลูกหนี้อีก ${item.sameTransfer.otherSlips} รายส่งสลิปรายการโอนเดียวกันนี้ด้วย (ส่งครั้งแรก ${formatThaiDateTime(new Date(item.sameTransfer.firstSentAt))})` +
            (item.sameTransfer.recordedSatang > 0 ? ` และบันทึกรับชำระจากรายการโอนนี้ไปแล้ว ${formatSatang(item.sameTransfer.recordedSatang)}` : '') +
            ' ตรวจก่อนบันทึกว่าเป็นการโอนครั้งเดียวจ่ายแทนหลายคน (บันทึกให้แต่ละคนตามยอดของตน รวมกันไม่เกินยอดโอน) หรือเป็นการใช้สลิปซ้ำ (ไม่รับสลิปนี้)',
        )
      : null,
    item.contracts.length === 0 ? notice('ผู้กู้รายนี้ไม่มีสัญญาที่ค้างชำระในทะเบียน ตรวจสอบก่อนบันทึก', 'info') : null,
    canDecide ? form : notice('ทีมพี่เลี้ยงดูสลิปได้ การยืนยันรับชำระทำโดยเจ้าหน้าที่ค่ะ', 'info'),
    message,
    canDecide
      ? h(
          'div',
          { class: 'actions-stack' },
          button('บันทึกรับชำระ', (event) => void confirm(event.currentTarget as HTMLButtonElement), 'primary', { 'data-testid': 'confirm-slip' }),
          button('ไม่รับสลิปนี้', () => (rejectBox.hidden = false), 'secondary', { 'data-testid': 'reject-slip' }),
        )
      : null,
    canDecide ? rejectBox : null,
  );
  return holder;
}

/** Appends children, skipping the empty ones (null, false). */
function append(parent: HTMLElement, ...children: Child[]): void {
  parent.append(h('div', { class: 'slip-body' }, ...children));
}

function decidedRow(item: SlipItem): HTMLElement {
  const what = item.status === 'rejected' ? `ไม่รับ: ${item.rejectReason ?? ''}` : item.statusLabel;
  return h(
    'a',
    { class: 'debtor-row', href: debtorHref(item.borrowerId), 'data-link': true },
    h('span', { class: 'debtor-head' }, h('strong', null, item.fullName), h('span', { class: `chip slip-${item.status}` }, item.statusLabel)),
    h('small', { class: 'muted' }, `ส่งเมื่อ ${formatThaiDateTime(new Date(item.receivedAt))}${item.decidedBy ? ` · ${item.decidedBy}` : ''}`),
    item.status === 'rejected' ? h('small', null, what) : null,
  );
}

export const slipsPage: Page = async (context) => {
  context.setTitle('สลิปรอตรวจ');
  const data = await api<SlipsResponse>('GET', '/api/liff/officer/slips');
  let waiting = data.pending.length;
  const count = h('span', { class: 'count' }, waiting.toLocaleString('th-TH'));
  const title = h('h2', { class: 'section-title' }, 'สลิปรอตรวจ', count);
  const done = (recorded: boolean) => {
    waiting -= 1;
    count.textContent = waiting.toLocaleString('th-TH');
    // A payment changes what is due: her other slips waiting say it again, so nobody records the old amount twice.
    if (recorded) void refreshWaiting();
  };
  async function refreshWaiting() {
    const fresh = await api<SlipsResponse>('GET', '/api/liff/officer/slips').catch(() => undefined);
    for (const item of fresh?.pending ?? []) {
      const holder = context.root.querySelector<HTMLElement>(`[data-slip="${item.id}"]`);
      if (holder) refreshDue.get(holder)?.(item);
    }
  }
  replace(
    context.root,
    h('p', { class: 'intro muted' }, 'ผู้กู้ในพื้นที่ของท่านส่งสลิปทาง LINE (เก่าสุดอยู่บน) ดูยอดในรูป พิมพ์ยอด แล้วกดบันทึก ระบบจะส่งข้อความขอบคุณให้ผู้กู้'),
    h('div', { class: 'slip-queue' }, title, data.pending.length ? data.pending.map((item) => pendingCard(item, data.canDecide, data.rejectReasons, done)) : card(h('p', { class: 'muted empty' }, 'ไม่มีสลิปรอตรวจค่ะ 🎉'))),
    data.recent.length ? section('ตรวจแล้วล่าสุด', undefined, h('div', { class: 'debtor-list' }, data.recent.map(decidedRow))) : null,
    card(h('p', { class: 'muted' }, 'รายการโอนจากธนาคารหรือเคาน์เตอร์ที่จับคู่กับสัญญาไม่ได้'), linkButton('รายการเดินบัญชีรอตรวจสอบ', '/liff/officer/statements', 'secondary')),
  );
};

/** Another officer decided the slip first: the card is out of date, and its buttons must go. */
function decidedByAnother(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'CONFLICT' && error.errors.length === 0;
}
