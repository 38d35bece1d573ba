// คำขอของฉัน: where each application is, its history, what the officers asked for, and sending more documents.
import { MAX_DOCUMENTS_PER_SUBMISSION, type DocumentView, type EnrollmentView } from '../../../server/contracts/liff.ts';
import { api, ApiError, apiErrorText, errorText } from '../api.ts';
import { h } from '../dom.ts';
import { formatInstantDay, formatThaiDateTime } from '../format.ts';
import type { Page, PageContext } from '../app-context.ts';
import { busy, button, card, field, filePicker, linkButton, notice, rows, showFormErrors } from '../ui.ts';
import { prepareUpload } from './uploads.ts';

const STATUS_COLOUR: Record<EnrollmentView['status'], string> = {
  district_review: '#1565C0',
  province_review: '#1565C0',
  department_review: '#1565C0',
  needs_documents: '#E0A800',
  approved: '#1E9E4A',
  rejected: '#D32F2F',
  withdrawn: '#6B6B6B',
};

function statusChip(view: EnrollmentView): HTMLElement {
  const light = view.status === 'needs_documents';
  return h('span', { class: 'chip', 'data-status': view.status, style: `background:${STATUS_COLOUR[view.status]};color:${light ? '#212121' : '#fff'}` }, view.statusLabel);
}

function resubmitForm(context: PageContext, view: EnrollmentView, reload: Reload): HTMLElement {
  const uploaded: Array<DocumentView & { name: string }> = [];
  const message = h('div');
  const note = h('textarea', { rows: 2, maxLength: 500, placeholder: 'ข้อความถึงเจ้าหน้าที่ (ถ้ามี)' });
  const picker = filePicker({ accept: 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf', multiple: true });
  const form = h('div', { class: 'resubmit' });
  const { input } = picker;
  input.addEventListener('change', async () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    for (const [index, file] of files.entries()) {
      if (uploaded.length >= MAX_DOCUMENTS_PER_SUBMISSION) {
        picker.say(`แนบได้ไม่เกิน ${MAX_DOCUMENTS_PER_SUBMISSION} ไฟล์ค่ะ ไฟล์ที่ไม่ได้แนบ: ${files.slice(index).map((f) => f.name).join(', ')}`, 'error');
        break;
      }
      picker.say(`กำลังแนบ ${file.name}…`);
      try {
        const document = await api<DocumentView>('POST', '/api/liff/documents', { file: await prepareUpload(file) });
        uploaded.push({ ...document, name: file.name });
        picker.show(uploaded.map((d) => d.name));
      } catch (error) {
        picker.say(errorText(error, 'แนบไฟล์ไม่สำเร็จค่ะ'), 'error');
      }
    }
  });
  const send = button('ส่งเอกสารให้เจ้าหน้าที่', async (event) => {
    message.replaceChildren();
    try {
      await busy(event.currentTarget as HTMLButtonElement, 'กำลังส่ง…', () =>
        api('POST', `/api/liff/enrollments/${view.id}/resubmit`, { body: { documentIds: uploaded.map((d) => d.id), note: note.value } }),
      );
      context.navigate('/liff/applications', { replace: true, flash: `ส่งเอกสารเพิ่มเติมของคำขอเลขที่ ${view.id} แล้วค่ะ` });
    } catch (error) {
      // Refused for what she sent (no file, a note too long): said beside the field, what she attached is kept.
      if (error instanceof ApiError && error.status === 400 && error.errors.length > 0) return showFormErrors(form, error.errors, message);
      // Anything else (the application moved on meanwhile, the connection): the message, above the list as it is now.
      const text = apiErrorText(error, 'ส่งเอกสารไม่สำเร็จค่ะ กรุณาลองใหม่อีกครั้ง');
      if (error instanceof ApiError && !error.offline && error.status < 500) await reload({ error: { id: view.id, text } }).catch(() => message.replaceChildren(notice(text, 'error')));
      else message.replaceChildren(notice(text, 'error'));
    }
  });
  form.append(field('documentIds', 'แนบเอกสารที่เจ้าหน้าที่ขอ', picker.element), field('note', 'ข้อความ', note), message, send);
  return form;
}

/** What needs her first: what she must do, then what is still being decided, then what is over. */
const STATUS_ORDER: Record<EnrollmentView['status'], number> = {
  needs_documents: 0,
  district_review: 1,
  province_review: 1,
  department_review: 1,
  approved: 2,
  rejected: 2,
  withdrawn: 2,
};

const isClosed = (view: EnrollmentView) => STATUS_ORDER[view.status] === 2;

export function orderApplications(list: EnrollmentView[]): EnrollmentView[] {
  return [...list].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : b.id - a.id));
}

type Reload = (options?: { flash?: string; error?: { id: number; text: string } }) => Promise<void>;

function applicationCard(context: PageContext, view: EnrollmentView, reload: Reload, error?: string): HTMLElement {
  const section = card(
    h('div', { class: 'card-head' }, h('h2', null, `คำขอเลขที่ ${view.id}`), statusChip(view)),
    error ? notice(error, 'error') : null,
    rows([
      ['มาตรการ', view.measureTitle],
      ['สัญญา', view.contractNo],
      ['ยื่นเมื่อ', formatThaiDateTime(new Date(view.submittedAt))],
      view.awaitingLevelLabel && view.deadlineAt ? ['ขั้นตอนปัจจุบัน', `${view.awaitingLevelLabel} พิจารณาภายใน ${formatInstantDay(view.deadlineAt)}`] : false,
      view.status === 'needs_documents' && view.requestedDocuments?.length
        ? ['เอกสารที่ต้องส่ง', h('ul', { class: 'requested-documents' }, view.requestedDocuments.map((label) => h('li', null, label)))]
        : // Back under review, the note is the document request she has answered: no longer hers to act on.
          view.decisionNote && !view.awaitingLevel
          ? [view.status === 'rejected' ? 'เหตุผล' : 'หมายเหตุจากเจ้าหน้าที่', view.decisionNote]
          : false,
      ['เอกสารแนบ', `${view.documents.length} ไฟล์`],
    ]),
    view.status === 'needs_documents' ? notice('เจ้าหน้าที่ขอเอกสารเพิ่มเติมค่ะ แนบแล้วกดส่ง คำขอจะกลับไปพิจารณาต่อทันที', 'info') : null,
    view.canResubmit ? resubmitForm(context, view, reload) : null,
    h(
      'details',
      { class: 'history', open: !isClosed(view) && view.history.length <= 2 },
      h('summary', null, 'ความคืบหน้า'),
      h(
        'ol',
        { class: 'timeline' },
        view.history.map((step) => h('li', null, h('strong', null, step.label), h('small', null, formatThaiDateTime(new Date(step.at))), step.note ? h('p', null, step.note) : null)),
      ),
    ),
    view.canWithdraw
      ? button('ยกเลิกคำขอนี้', async (event) => {
          if (!window.confirm(`ต้องการยกเลิกคำขอเลขที่ ${view.id} ใช่ไหมคะ`)) return;
          try {
            await busy(event.currentTarget as HTMLButtonElement, 'กำลังยกเลิก…', () => api('POST', `/api/liff/enrollments/${view.id}/withdraw`));
            await reload({ flash: `ยกเลิกคำขอเลขที่ ${view.id} แล้วค่ะ` });
          } catch (error) {
            window.alert(apiErrorText(error, 'ยกเลิกไม่สำเร็จค่ะ'));
          }
        }, 'danger')
      : null,
  );
  section.dataset.application = String(view.id);
  if (isClosed(view)) section.classList.add('closed');
  return section;
}

export const applicationsPage: Page = async (context) => {
  context.setTitle('คำขอของฉัน');
  // The message the page was opened with ("ส่งคำขอเรียบร้อยแล้วค่ะ คำขอเลขที่ 2") is for that moment: whatever she
  // does here next (a withdrawal, documents refused) replaces it, and leaving or reloading the page drops it.
  let flash = context.flash;
  const reload: Reload = async (options = {}) => {
    const list = orderApplications(await api<EnrollmentView[]>('GET', '/api/liff/enrollments'));
    const shown = options.flash ?? flash;
    flash = undefined;
    context.root.replaceChildren(
      ...(shown ? [notice(shown, 'success')] : []),
      ...(list.length === 0
        ? [card(h('p', { class: 'lead' }, 'ยังไม่มีคำขอค่ะ'), h('p', null, 'ดูมาตรการที่ท่านสมัครได้ แล้วกดสมัครได้เลย'), linkButton('ดูมาตรการช่วยเหลือ', '/liff/measures'))]
        : list.map((view) => applicationCard(context, view, reload, options.error?.id === view.id ? options.error.text : undefined))),
    );
    // What just happened is said at the top (a withdrawal) or on its card (a refusal): brought into view.
    if (options.error) context.root.querySelector(`[data-application="${options.error.id}"]`)?.scrollIntoView({ block: 'start' });
    else if (options.flash) window.scrollTo(0, 0);
  };
  await reload();
};
