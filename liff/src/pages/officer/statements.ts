// รายการเดินบัญชี: a province officer uploads a bank or counter statement (CSV: paid_on,amount,ref1,ref2,reference);
// matched lines become recorded payments at once, a file with any malformed row is refused whole with every bad row
// listed, and lines nobody could match wait here, for the officers of the area they belong to.
import { EXCEPTION_DISMISSAL_REASONS, type ExceptionDismissed, type ExceptionRecorded, type StatementImportResponse, type StatementPage } from '../../../../server/contracts/money.ts';
import { api, apiErrorText } from '../../api.ts';
import { h, replace } from '../../dom.ts';
import { formatInstantDay, formatSatang, formatThaiDate } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { busy, button, card, filePicker, notice, rows } from '../../ui.ts';
import { choiceChips, section } from './parts.ts';

const STATUS_THAI = { unmatched: 'ไม่พบสัญญา', ambiguous: 'ตรงกับหลายสัญญา', refused: 'ยังไม่บันทึก' } as const;

function exceptionRow(item: StatementPage['exceptions'][number]): HTMLElement {
  const row = h('div', { class: 'exception-row', 'data-testid': 'statement-exception', 'data-reference': item.reference });
  const message = h('div');
  // Which contract the money was for: one of the candidates, the matched one, or typed after asking the borrower.
  const contract = h('input', { type: 'text', name: 'contractNo', autocomplete: 'off', autocapitalize: 'characters', maxLength: 40, value: item.contractNo ?? item.candidateContractNos[0] ?? '', placeholder: 'เลขที่สัญญา' });
  const choices = item.candidateContractNos.length > 1 ? choiceChips(`candidate-${item.id}`, item.candidateContractNos.map((c) => [c, c] as const), contract.value, (value) => (contract.value = value)) : null;
  async function record(target: HTMLButtonElement) {
    message.replaceChildren();
    try {
      const result = await busy(target, 'กำลังบันทึก…', () => api<ExceptionRecorded>('POST', `/api/liff/officer/statement-lines/${item.id}/record`, { body: { contractNo: contract.value.trim() } }));
      row.replaceChildren(notice(`บันทึกการชำระ ${formatSatang(item.amountSatang)} สัญญา ${contract.value.trim()} แล้วค่ะ${result.replayed ? ' (บันทึกไว้ก่อนแล้ว)' : ' ระบบส่งข้อความขอบคุณให้ผู้กู้'}`, 'success'));
    } catch (error) {
      message.replaceChildren(notice(apiErrorText(error, 'บันทึกไม่สำเร็จค่ะ', { fieldFirst: true }), 'error'));
    }
  }
  // Not the fund's money at all: closed with a reason (a choice, or the officer's own words), kept in the audit trail.
  const OTHER = 'other';
  let choice = '';
  const dismissMessage = h('div');
  const ownWords = h('input', { type: 'text', name: 'dismissReason', maxLength: 200, placeholder: 'เหตุผล', hidden: true });
  const reasons = choiceChips(`dismiss-${item.id}`, [...EXCEPTION_DISMISSAL_REASONS.map((r) => [r, r] as const), [OTHER, 'อื่น ๆ (ระบุ)'] as const], '', (value) => {
    choice = value;
    dismissMessage.replaceChildren();
    ownWords.hidden = value !== OTHER;
    if (value === OTHER) ownWords.focus();
  });
  async function dismiss(target: HTMLButtonElement) {
    dismissMessage.replaceChildren();
    const reason = choice === OTHER ? ownWords.value.trim() : choice;
    if (!reason) {
      dismissMessage.replaceChildren(notice('กรุณาเลือกหรือพิมพ์เหตุผลก่อนค่ะ', 'error'));
      return;
    }
    try {
      const result = await busy(target, 'กำลังปิดรายการ…', () => api<ExceptionDismissed>('POST', `/api/liff/officer/statement-lines/${item.id}/dismiss`, { body: { reason } }));
      row.replaceChildren(notice(`ปิดรายการ ${formatSatang(item.amountSatang)} (อ้างอิง ${item.reference}) แล้วค่ะ${result.replayed ? ' (ปิดไว้ก่อนแล้ว)' : ''} — เหตุผล: ${reason}`, 'success'));
    } catch (error) {
      dismissMessage.replaceChildren(notice(apiErrorText(error, 'ปิดรายการไม่สำเร็จค่ะ', { fieldFirst: true }), 'error'));
    }
  }
  row.append(
    h('span', { class: 'debtor-head' }, h('strong', null, formatSatang(item.amountSatang)), h('span', { class: `chip exception-${item.status}` }, STATUS_THAI[item.status])),
    h('small', { class: 'muted' }, `โอนวันที่ ${formatThaiDate(item.paidOn)} · อ้างอิง ${item.reference} · Ref.1 ${item.ref1}${item.ref2 ? ` · Ref.2 ${item.ref2}` : ''}`),
    h('span', null, item.reason),
    h('small', { class: 'muted' }, `จากไฟล์ ${item.fileName} (บรรทัด ${item.line}) นำเข้าเมื่อ ${formatInstantDay(item.importedAt)}`),
    h('details', { class: 'exception-record' }, h('summary', null, 'บันทึกเป็นการชำระของสัญญา…'), ...(choices ? [choices] : []), contract, button('บันทึกรับชำระ', (event) => void record(event.currentTarget as HTMLButtonElement), 'secondary', { 'data-testid': 'record-exception' }), message),
    h(
      'details',
      { class: 'exception-record' },
      h('summary', null, 'ไม่ใช่เงินของกองทุน: ปิดรายการ…'),
      reasons,
      ownWords,
      button('ยืนยันปิดรายการนี้', (event) => void dismiss(event.currentTarget as HTMLButtonElement), 'danger', { 'data-testid': 'dismiss-exception' }),
      dismissMessage,
    ),
  );
  return row;
}

function resultView(result: StatementImportResponse): HTMLElement {
  if (!result.ok) {
    return card(
      notice('ไม่ได้นำเข้ารายการใดเลย — แก้ไฟล์ตามรายการด้านล่างแล้วอัปโหลดใหม่ทั้งไฟล์', 'error'),
      ...result.fileProblems.map((problem) => h('p', null, problem)),
      h('ul', { class: 'row-errors' }, result.rowErrors.map((e) => h('li', null, `บรรทัด ${e.line}${e.reference ? ` (${e.reference})` : ''}: ${e.reasons.join('; ')}`))),
    );
  }
  return card(
    notice(`นำเข้าแล้ว ${result.lines.toLocaleString('th-TH')} รายการ`, 'success'),
    rows([
      ['บันทึกการชำระใหม่', h('strong', null, result.recorded.toLocaleString('th-TH'))],
      ['บันทึกไว้แล้ว (ไม่บันทึกซ้ำ)', result.alreadyKnown.toLocaleString('th-TH')],
      ['รอเจ้าหน้าที่ตรวจสอบ', h('strong', { class: result.unmatched > 0 ? 'red' : '' }, result.unmatched.toLocaleString('th-TH'))],
    ]),
  );
}

export const statementsPage: Page = async (context) => {
  context.setTitle('รายการเดินบัญชี');
  const page = await api<StatementPage>('GET', '/api/liff/officer/statements');
  const outcome = h('div', { 'aria-live': 'polite' });
  const list = h('div', { class: 'debtor-list' });
  const count = h('span', { class: 'count' });
  const draw = (items: StatementPage['exceptions']) => {
    count.textContent = items.length.toLocaleString('th-TH');
    list.replaceChildren(...(items.length ? items.map(exceptionRow) : [h('p', { class: 'muted empty' }, 'ไม่มีรายการรอตรวจสอบค่ะ')]));
  };
  draw(page.exceptions);

  const picker = filePicker({ accept: '.csv,text/csv', name: 'statement', id: 'field-statement', label: 'เลือกไฟล์ CSV', empty: 'ยังไม่ได้เลือกไฟล์' });
  const fileInput = picker.input;
  fileInput.addEventListener('change', () => picker.show([...(fileInput.files ?? [])].map((f) => f.name), 'เลือกแล้ว'));
  async function upload(target: HTMLButtonElement) {
    outcome.replaceChildren();
    const file = fileInput.files?.[0];
    if (!file) {
      outcome.replaceChildren(notice('กรุณาเลือกไฟล์ CSV ก่อนค่ะ', 'error'));
      return;
    }
    try {
      const result = await busy(target, 'กำลังนำเข้า…', () =>
        // A statement of some thousand lines takes the server a while (one transaction a line): five minutes, not 30 s.
        api<StatementImportResponse>('POST', '/api/liff/officer/statements', { file, headers: { 'x-file-name': encodeURIComponent(file.name) }, answerStatuses: [422], timeoutMs: 300_000 }),
      );
      outcome.replaceChildren(resultView(result));
      if (result.ok) draw((await api<StatementPage>('GET', '/api/liff/officer/statements')).exceptions);
    } catch (error) {
      outcome.replaceChildren(notice(apiErrorText(error, 'นำเข้าไม่สำเร็จค่ะ'), 'error'));
    }
  }

  replace(
    context.root,
    page.canImport
      ? section(
          'นำเข้ารายการจากธนาคารหรือเคาน์เตอร์',
          undefined,
          h('p', { class: 'muted' }, 'ไฟล์ CSV หัวตาราง paid_on,amount,ref1,ref2,reference รายการที่ตรงกับสัญญาจะบันทึกเป็นการชำระทันที รายการเดิมจะไม่บันทึกซ้ำ'),
          picker.element,
          button('นำเข้า', (event) => void upload(event.currentTarget as HTMLButtonElement), 'primary', { 'data-testid': 'upload-statement' }),
          outcome,
        )
      : null,
    card(h('h2', { class: 'section-title' }, 'รายการรอตรวจสอบ', count), h('p', { class: 'muted' }, 'เงินเข้าที่ระบบจับคู่กับสัญญาไม่ได้ ตรวจกับผู้กู้หรือธนาคารว่าเป็นของสัญญาใด แล้วกด "บันทึกเป็นการชำระของสัญญา…" (เลขอ้างอิงจะเป็นเลขที่ใบเสร็จ) ถ้าไม่ใช่เงินของกองทุน เช่น ค่าธรรมเนียมธนาคาร ให้ปิดรายการพร้อมเหตุผล'), list),
  );
};
