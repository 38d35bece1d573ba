// หน้าลูกหนี้: who, what they owe loan by loan, and one timeline newest first — visits and calls with their promises,
// payments and reversals, reminders sent, applications. The actions an officer takes sit at the bottom, in reach
// of a thumb. The server audits every opening.
import {
  FOLLOW_UP_KIND_THAI,
  FOLLOW_UP_OUTCOME_THAI,
  FOLLOW_UP_STAGE_THAI,
  PAYMENT_CHANNEL_THAI,
  type DebtorPage,
  type LinkCodeIssued,
  type OfficerMe,
  type TimelineItem,
} from '../../../../server/contracts/officer.ts';
import { api, ApiError, apiErrorText, errorText, photoUrl } from '../../api.ts';
import { h, replace, type Child } from '../../dom.ts';
import { formatInstantDay, formatSatang, formatThaiDate, formatThaiPhone } from '../../format.ts';
import type { Page, PageContext } from '../../app-context.ts';
import { busy, button, card, linkButton, notice, rows } from '../../ui.ts';
import { colourChip, debtorHref } from './parts.ts';

const INSTALLMENT_LABEL = { paid: 'ชำระแล้ว', partly_paid: 'ชำระบางส่วน', overdue: 'ค้างชำระ', upcoming: 'ยังไม่ถึงกำหนด' } as const;

function loanCard(loan: DebtorPage['loans'][number]): HTMLElement {
  return card(
    h('div', { class: 'card-head' }, h('h3', null, `สัญญา ${loan.contractNo}`), colourChip(loan.colour)),
    rows([
      ['ค้างชำระ', h('strong', { class: loan.overdue > 0 ? 'red' : '' }, loan.overdue > 0 ? `${formatSatang(loan.overdue)} (${loan.daysPastDue} วัน)` : 'ไม่มี')],
      ['หนี้คงเหลือ', formatSatang(loan.outstandingTotal)],
      ['ชำระแล้ว', formatSatang(loan.paidTotal)],
      loan.awaitingRegistry > 0 ? ['รอทะเบียนยืนยัน', formatSatang(loan.awaitingRegistry)] : false,
      ['งวดถัดไป', loan.nextDue ? `${formatThaiDate(loan.nextDue.dueOn)} · ${formatSatang(loan.nextDue.amount)}` : loan.outstandingTotal === 0 ? 'ชำระครบแล้ว' : '—'],
      loan.activeMeasure ? ['มาตรการ', loan.activeMeasure] : false,
    ]),
    h(
      'details',
      { class: 'schedule' },
      h('summary', null, `ตารางผ่อน ${loan.installments.length} งวด`),
      h(
        'ol',
        { class: 'installments' },
        loan.installments.map((i) =>
          h(
            'li',
            { class: `installment ${i.state === 'partly_paid' ? 'partly' : i.state}` },
            h('span', { class: 'when' }, `งวดที่ ${i.seq} · ${formatThaiDate(i.dueOn)}`),
            h('span', { class: 'amount' }, formatSatang(i.amount)),
            h('span', { class: 'state' }, i.state === 'partly_paid' ? `ชำระแล้ว ${formatSatang(i.paid)}` : INSTALLMENT_LABEL[i.state]),
          ),
        ),
      ),
    ),
  );
}

function timelineEntry(item: TimelineItem, page: DebtorPage, context: PageContext): HTMLElement {
  const when = h('time', { datetime: item.on }, formatThaiDate(item.on));
  const entry = (kind: string, title: Child, ...body: Child[]) => h('li', { class: `event ${kind}`, 'data-type': item.type }, h('div', { class: 'event-head' }, h('strong', null, title), when), ...body);
  switch (item.type) {
    case 'follow_up': {
      const promise = item.promise;
      const photos = h('div', { class: 'photos' });
      for (const id of item.photoIds) {
        void photoUrl(id)
          .then((url) => photos.append(h('img', { src: url, alt: 'รูปจากการติดตาม', loading: 'lazy' })))
          .catch(() => photos.append(h('small', { class: 'muted' }, 'เปิดรูปไม่ได้')));
      }
      return entry(
        'follow-up',
        `${FOLLOW_UP_KIND_THAI[item.kind]} · ${FOLLOW_UP_OUTCOME_THAI[item.outcome]}`,
        h('small', { class: 'muted' }, `5 ต.: ${FOLLOW_UP_STAGE_THAI[item.stage]} · โดย ${item.officerName}${item.contractNo ? ` · สัญญา ${item.contractNo}` : ''}`),
        item.note ? h('p', null, item.note) : null,
        promise
          ? h(
              'p',
              { class: `promise promise-${promise.status}` },
              `นัดชำระ ${formatSatang(promise.amountSatang)} ภายใน ${formatThaiDate(promise.promisedOn)} — `,
              h('strong', { 'data-testid': 'promise-status' }, promise.statusLabel),
              promise.status === 'partly_kept' ? ` (${formatSatang(promise.paidSatang)})` : '',
            )
          : null,
        item.nextActionOn ? h('small', null, `นัดติดตามครั้งถัดไป ${formatThaiDate(item.nextActionOn)}`) : null,
        item.photoIds.length ? photos : null,
        item.editable ? h('a', { class: 'text-link', href: debtorHref(page.borrowerId, `/follow-up?edit=${item.id}`), 'data-link': true }, 'แก้ไขบันทึกนี้ (ภายใน 24 ชม.)') : null,
      );
    }
    case 'payment': {
      const source = item.source === 'officer' ? `${item.channel ? PAYMENT_CHANNEL_THAI[item.channel] : 'ชำระเงิน'} · ใบเสร็จ ${item.receiptNo ?? '-'}` : 'นำเข้าจากทะเบียนเงินกู้';
      const reverse = item.reversible ? reversalControl(item.id, page, context) : null;
      const title = item.opening
        ? `ทะเบียนกองทุน: ชำระมาแล้วก่อนหน้านี้รวม ${formatSatang(item.amountSatang)} (ยอดสะสม ณ วันนำเข้า)`
        : item.source === 'registry'
          ? `ทะเบียนกองทุน: ยอดชำระ${item.amountSatang >= 0 ? ` +${formatSatang(item.amountSatang)}` : ` ปรับลด ${formatSatang(-item.amountSatang)}`}`
          : `รับชำระ ${formatSatang(item.amountSatang)}${item.reversed ? ' (กลับรายการแล้ว)' : ''}`;
      return entry(
        item.reversed ? 'payment reversed' : item.source === 'registry' ? 'payment registry' : 'payment',
        title,
        h('small', { class: 'muted' }, `${source} · สัญญา ${item.contractNo}${item.officerName ? ` · โดย ${item.officerName}` : ''}`),
        item.source === 'officer' && !item.reversed ? h('small', null, item.confirmedSatang >= item.amountSatang ? 'ทะเบียนยืนยันแล้ว' : 'รอทะเบียนยืนยัน') : null,
        reverse,
      );
    }
    case 'reversal':
      return entry('reversal', `กลับรายการ ${formatSatang(-item.amountSatang)}`, h('small', { class: 'muted' }, `ใบเสร็จ ${item.receiptNo ?? '-'} · สัญญา ${item.contractNo}${item.officerName ? ` · โดย ${item.officerName}` : ''}`), item.reason ? h('p', null, item.reason) : null);
    case 'reminder':
      return entry('reminder', item.label, h('small', { class: 'muted' }, `LINE · ${item.statusLabel}`));
    case 'application':
      return entry('application', `คำขอ ${item.measureTitle}`, h('small', { class: 'muted' }, `สัญญา ${item.contractNo} · ${item.statusLabel}`));
    case 'slip':
      return entry(
        'slip',
        'ส่งสลิปโอนเงินทาง LINE',
        h('small', { class: 'muted' }, item.statusLabel),
        item.reason ? h('p', null, `เหตุผลที่ไม่รับ: ${item.reason}`) : null,
        item.status === 'pending' && page.can.recordPayment ? h('a', { class: 'text-link', href: '/liff/officer/slips', 'data-link': true }, 'ตรวจสลิปนี้') : null,
      );
  }
}

async function issueCode(target: HTMLButtonElement, page: DebtorPage, slot: HTMLElement) {
  if (page.linked && !confirm('ลูกหนี้รายนี้ผูกบัญชี LINE แล้ว ถ้าใช้รหัสใหม่ บัญชีเดิมจะถูกยกเลิกการผูก ต้องการออกรหัสใหม่หรือไม่?')) return;
  await busy(target, 'กำลังออกรหัส…', async () => {
    const issued = await api<LinkCodeIssued>('POST', `/api/liff/officer/debtors/${page.borrowerId}/link-code`);
    slot.replaceChildren(
      card(
        h('p', null, `รหัสผูกบัญชีของคุณ${issued.fullName}`),
        h('p', { class: 'link-code', 'data-testid': 'link-code' }, issued.displayCode),
        h('p', { class: 'muted' }, `ใช้ได้ครั้งเดียว ถึง ${formatInstantDay(issued.expiresAt)} ให้ลูกหนี้เพิ่มเพื่อนบัญชี LINE ของกองทุน แล้วพิมพ์รหัสนี้ในแชต (รหัสเดิมที่ยังไม่ใช้ถูกยกเลิกแล้ว)`),
      ),
    );
    slot.scrollIntoView({ block: 'center' });
  });
}

/**
 * "กลับรายการนี้" opens a reason box under the payment (not the browser's prompt, which a LINE WebView may not show
 * and which said nothing when left empty); the reason is required, said beside the box when missing or refused.
 */
function reversalControl(paymentId: number, page: DebtorPage, context: PageContext): HTMLElement {
  const reason = h('textarea', { name: 'reversalReason', id: `reversal-reason-${paymentId}`, rows: 2, maxLength: 500, placeholder: 'เช่น บันทึกผิดสัญญา ยอดไม่ตรงใบเสร็จ' });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const form = h('div', { class: 'reversal-form', hidden: true });
  const open = button('กลับรายการนี้', () => {
    form.hidden = false;
    open.hidden = true;
    reason.focus();
  }, 'danger', { class: 'btn danger small' });
  const confirm = button('ยืนยันกลับรายการ', (event) => {
    const text = reason.value.trim();
    if (text.length < 3) {
      error.textContent = 'กรุณาบอกเหตุผลที่กลับรายการ (อย่างน้อย 3 ตัวอักษร) ผู้กู้จะได้รับแจ้งเหตุผลนี้ค่ะ';
      reason.focus();
      return;
    }
    error.textContent = '';
    void busy(event.currentTarget as HTMLButtonElement, 'กำลังกลับรายการ…', async () => {
      await api('POST', `/api/liff/officer/payments/${paymentId}/reversal`, { body: { reason: text } });
      context.navigate(debtorHref(page.borrowerId), { replace: true, flash: 'กลับรายการชำระเงินแล้วค่ะ ระบบจะแจ้งผู้กู้ในแชต' });
    }).catch((failure: unknown) => (error.textContent = errorText(failure, 'ทำรายการไม่สำเร็จค่ะ')));
  }, 'danger', { class: 'btn danger small' });
  const cancel = button('ยกเลิก', () => {
    form.hidden = true;
    open.hidden = false;
    error.textContent = '';
  }, 'secondary', { class: 'btn secondary small' });
  form.append(h('label', { for: reason.id }, 'เหตุผลที่กลับรายการ (ผู้กู้จะได้รับแจ้ง)'), reason, error, h('div', { class: 'actions' }, confirm, cancel));
  return h('div', { class: 'reversal' }, open, form);
}

/**
 * ทีมพี่เลี้ยง: only the mentors the server accepts for this debtor — those of the debtor's own tambon (the server's
 * rule is "the mentor's area is the debtor's area"; both come formatted from the same path, so equal text is the
 * same tambon). A refusal is said under the choice, and the choice goes back to who is really assigned.
 */
function mentorPicker(context: PageContext, page: DebtorPage, mentors: OfficerMe['mentors']): HTMLElement {
  const assignable = mentors.filter((m) => m.area === page.area);
  const assigned = page.mentor ? String(page.mentor.id) : '';
  const message = h('div');
  if (assignable.length === 0 && !page.mentor) return h('p', { class: 'muted', 'data-testid': 'no-mentors' }, 'ตำบลนี้ยังไม่มีทีมพี่เลี้ยงในระบบค่ะ จึงยังมอบหมายพี่เลี้ยงไม่ได้');
  const select = h(
    'select',
    {
      name: 'mentor',
      id: 'field-mentor',
      onChange: () => {
        const value = select.value;
        message.replaceChildren();
        select.disabled = true;
        void api('PUT', `/api/liff/officer/debtors/${page.borrowerId}/mentor`, { body: { mentorId: value ? Number(value) : null } })
          .then(() => context.navigate(debtorHref(page.borrowerId), { replace: true, flash: value ? 'มอบหมายพี่เลี้ยงแล้วค่ะ' : 'ยกเลิกพี่เลี้ยงแล้วค่ะ' }))
          .catch((error: unknown) => {
            select.value = assigned;
            message.replaceChildren(notice(apiErrorText(error, 'มอบหมายพี่เลี้ยงไม่สำเร็จค่ะ กรุณาลองใหม่อีกครั้ง', { fieldFirst: true }), 'error'));
          })
          .finally(() => (select.disabled = false));
      },
    },
    h('option', { value: '' }, 'ยังไม่มีพี่เลี้ยง'),
    // Who is assigned now is always shown as assigned, even if no longer one to choose.
    page.mentor && !assignable.some((m) => m.id === page.mentor!.id) ? h('option', { value: assigned }, page.mentor.fullName) : null,
    assignable.map((m) => h('option', { value: String(m.id) }, m.fullName)),
  );
  select.value = assigned;
  return h(
    'div',
    { class: 'mentor-choice' },
    h('label', { class: 'filter-select', for: 'field-mentor' }, h('span', null, 'ทีมพี่เลี้ยง'), select),
    assignable.length === 0 ? h('p', { class: 'muted' }, 'ตำบลนี้ไม่มีทีมพี่เลี้ยงคนอื่นให้เลือกค่ะ') : null,
    message,
  );
}

export const debtorPage: Page = async (context) => {
  const [me, page] = await Promise.all([context.officer(), api<DebtorPage>('GET', `/api/liff/officer/debtors/${encodeURIComponent(context.params.id ?? '')}`)]);
  context.setTitle(page.fullName);
  const codeSlot = h('div');
  const mentorChoice = page.can.assignMentor ? mentorPicker(context, page, me.mentors) : null;
  const actions = h(
    'div',
    { class: 'actions' },
    page.can.recordFollowUp ? linkButton('บันทึกการติดตาม', debtorHref(page.borrowerId, '/follow-up')) : null,
    page.can.recordPayment ? linkButton('รับชำระเงิน', debtorHref(page.borrowerId, '/payment'), 'secondary') : null,
  );
  // A mentor who collected money looks for the button: she is told who records it, not left to wonder.
  const paymentsBySomeoneElse =
    page.can.recordFollowUp && !page.can.recordPayment
      ? h('p', { class: 'muted', 'data-testid': 'payments-by-officer' }, 'ลูกหนี้ชำระเงินกับท่าน? บันทึกการติดตามผล "ชำระแล้ว" ไว้ได้ค่ะ แต่การรับชำระเงินต้องให้เจ้าหน้าที่พัฒนาชุมชนบันทึก พร้อมเลขที่ใบเสร็จ')
      : null;
  replace(
    context.root,
    ...(context.flash ? [notice(context.flash, 'success')] : []),
    card(
      h('div', { class: 'card-head' }, h('h2', null, `คุณ${page.fullName}`), colourChip(page.colour)),
      h('p', { class: 'muted' }, `${page.statusLabel} · ${page.area}`),
      h('p', { class: 'muted' }, `เลขประจำตัว ${page.nationalIdMasked} · ${page.linked ? `ผูกบัญชี LINE แล้ว${page.linkedAt ? ` (เมื่อ ${formatInstantDay(page.linkedAt)})` : ''}` : 'ยังไม่ผูกบัญชี LINE'}`),
      page.mentor ? h('p', { class: 'muted' }, `ทีมพี่เลี้ยง: ${page.mentor.fullName}`) : null,
      page.phone ? h('a', { class: 'btn secondary', href: `tel:${page.phone}` }, `โทร ${formatThaiPhone(page.phone)}`) : null,
      page.can.issueLinkCode ? button(page.linked ? 'ออกรหัสผูกบัญชีใหม่' : 'ออกรหัสผูกบัญชี LINE', (event) => void issueCode(event.currentTarget as HTMLButtonElement, page, codeSlot).catch((error: unknown) => alert(error instanceof ApiError ? error.message : 'ออกรหัสไม่สำเร็จค่ะ')), 'secondary') : null,
      mentorChoice,
    ),
    codeSlot,
    ...page.openPromises.map((promise) =>
      notice(`นัดชำระ ${formatSatang(promise.amountSatang)} ภายใน ${formatThaiDate(promise.promisedOn)}${promise.paidSatang > 0 ? ` (ชำระแล้ว ${formatSatang(promise.paidSatang)})` : ''}`, 'info'),
    ),
    ...page.loans.map(loanCard),
    card(
      h('h3', null, 'ประวัติ (ล่าสุดก่อน)'),
      page.timeline.length ? h('ol', { class: 'events', 'data-testid': 'timeline' }, page.timeline.map((item) => timelineEntry(item, page, context))) : h('p', { class: 'muted' }, 'ยังไม่มีประวัติการติดตามหรือการชำระค่ะ'),
    ),
    actions,
    paymentsBySomeoneElse,
  );
};
