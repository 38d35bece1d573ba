// An application as an officer on its review path sees it, opened from the card in chat. The server audits each view.
import type { OfficerEnrollmentView } from '../../../server/contracts/liff.ts';
import { api, documentUrl } from '../api.ts';
import { h } from '../dom.ts';
import { formatBytes, formatInstantDay, formatSatang, formatThaiDateTime, formatThaiPhone } from '../format.ts';
import type { Page } from '../app-context.ts';
import { card, notice, rows } from '../ui.ts';

export const reviewPage: Page = async (context) => {
  context.setTitle(`คำขอ #${context.params.id}`);
  const view = await api<OfficerEnrollmentView>('GET', `/api/liff/review/${encodeURIComponent(context.params.id ?? '')}`);
  const money = (value: number | null) => (value === null ? 'ไม่ได้ระบุ' : formatSatang(value));
  const documents = h('div', { class: 'document-list' });
  for (const document of view.documents) {
    const slot = h('div', { class: 'document' }, h('p', { class: 'muted' }, `กำลังเปิดเอกสาร (${formatBytes(document.byteSize)})…`));
    documents.append(slot);
    void documentUrl(document.id)
      .then((url) =>
        slot.replaceChildren(
          document.contentType === 'application/pdf'
            ? h('a', { href: url, target: '_blank', class: 'btn secondary' }, `เปิดเอกสาร PDF (${formatBytes(document.byteSize)})`)
            : h('img', { src: url, alt: 'เอกสารที่ผู้กู้แนบ', loading: 'lazy' }),
        ),
      )
      .catch(() => slot.replaceChildren(notice('เปิดเอกสารนี้ไม่ได้ค่ะ', 'error')));
  }
  context.root.replaceChildren(
    card(
      h('div', { class: 'card-head' }, h('h2', null, `คุณ${view.borrower.fullName}`), h('span', { class: 'chip', style: 'background:#1565C0;color:#fff' }, view.statusLabel)),
      rows([
        ['เลขประจำตัว', view.borrower.nationalIdMasked],
        ['พื้นที่', view.borrower.area],
        ['สัญญา', view.contractNo],
        ['มาตรการ', view.measureTitle],
        ['สถานะหนี้', view.loan.statusLabel],
        ['ยอดค้างชำระ', `${formatSatang(view.loan.overdue)}${view.loan.daysPastDue > 0 ? ` (${view.loan.daysPastDue} วัน)` : ''}`],
        ['ยอดหนี้คงเหลือ', formatSatang(view.loan.outstandingTotal)],
        view.deadlineAt && view.awaitingLevelLabel ? ['กำหนดพิจารณา', `${view.awaitingLevelLabel} ภายใน ${formatInstantDay(view.deadlineAt)}`] : false,
      ]),
    ),
    card(
      h('h3', null, 'ข้อมูลจากผู้กู้'),
      rows([
        ['สาเหตุ', view.reason],
        ['รายได้ครัวเรือน/เดือน', money(view.monthlyIncome)],
        ['รายจ่ายครัวเรือน/เดือน', money(view.monthlyExpenses)],
        ['ผ่อนได้/เดือน', money(view.affordableMonthlyPayment)],
        ['โทร', h('a', { href: `tel:${view.phone}` }, formatThaiPhone(view.phone))],
        ['ยื่นเมื่อ', formatThaiDateTime(new Date(view.submittedAt))],
      ]),
    ),
    card(h('h3', null, `เอกสารแนบ ${view.documents.length} ไฟล์`), documents),
    card(h('h3', null, 'ความคืบหน้า'), h('ol', { class: 'timeline' }, view.history.map((step) => h('li', null, h('strong', null, step.label), h('small', null, formatThaiDateTime(new Date(step.at))), step.note ? h('p', null, step.note) : null)))),
    notice('ส่งต่อ ขอเอกสารเพิ่ม หรือไม่อนุมัติ ได้จากปุ่มในการ์ดที่แชตค่ะ', 'info'),
  );
};
