// คำขอของฉัน: where each application is, its history, what the officers asked for, and sending more documents.
import { MAX_DOCUMENTS_PER_SUBMISSION, type DocumentView, type EnrollmentView } from '../../../server/contracts/liff.ts';
import { api, ApiError } from '../api.ts';
import { h } from '../dom.ts';
import { formatInstantDay, formatThaiDateTime } from '../format.ts';
import type { Page, PageContext } from '../app-context.ts';
import { busy, button, card, field, linkButton, notice, rows, showFieldErrors } from '../ui.ts';
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

function resubmitForm(context: PageContext, view: EnrollmentView, reload: () => Promise<void>): HTMLElement {
  const uploaded: Array<DocumentView & { name: string }> = [];
  const list = h('ul', { class: 'documents' });
  const status = h('div');
  const note = h('textarea', { rows: 2, maxLength: 500, placeholder: 'ข้อความถึงเจ้าหน้าที่ (ถ้ามี)' });
  const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf', multiple: true, class: 'file-input' });
  const form = h('div', { class: 'resubmit' });
  input.addEventListener('change', async () => {
    for (const file of [...(input.files ?? [])].slice(0, MAX_DOCUMENTS_PER_SUBMISSION - uploaded.length)) {
      status.replaceChildren(notice(`กำลังแนบ ${file.name}…`));
      try {
        const document = await api<DocumentView>('POST', '/api/liff/documents', { file: await prepareUpload(file) });
        uploaded.push({ ...document, name: file.name });
        list.append(h('li', null, file.name));
        status.replaceChildren();
      } catch (error) {
        status.replaceChildren(notice(error instanceof Error ? error.message : 'แนบไฟล์ไม่สำเร็จค่ะ', 'error'));
      }
    }
    input.value = '';
  });
  const send = button('ส่งเอกสารให้เจ้าหน้าที่', async (event) => {
    try {
      await busy(event.currentTarget as HTMLButtonElement, 'กำลังส่ง…', () =>
        api('POST', `/api/liff/enrollments/${view.id}/resubmit`, { body: { documentIds: uploaded.map((d) => d.id), note: note.value } }),
      );
      context.navigate('/liff/applications', { replace: true, flash: `ส่งเอกสารเพิ่มเติมของคำขอ #${view.id} แล้วค่ะ` });
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) showFieldErrors(form, error.errors);
      else status.replaceChildren(notice(error instanceof Error ? error.message : 'ส่งไม่สำเร็จค่ะ', 'error'));
      await reload().catch(() => undefined);
    }
  });
  form.append(field('documentIds', 'แนบเอกสารที่เจ้าหน้าที่ขอ', input), list, field('note', 'ข้อความ', note), status, send);
  return form;
}

function applicationCard(context: PageContext, view: EnrollmentView, reload: () => Promise<void>): HTMLElement {
  return card(
    h('div', { class: 'card-head' }, h('h2', null, `คำขอ #${view.id}`), statusChip(view)),
    rows([
      ['มาตรการ', view.measureTitle],
      ['สัญญา', view.contractNo],
      ['ยื่นเมื่อ', formatThaiDateTime(new Date(view.submittedAt))],
      view.awaitingLevelLabel && view.deadlineAt ? ['ขั้นตอนตอนนี้', `${view.awaitingLevelLabel} พิจารณาภายใน ${formatInstantDay(view.deadlineAt)}`] : false,
      view.status === 'needs_documents' && view.requestedDocuments?.length
        ? ['เอกสารที่ต้องส่ง', h('ul', { class: 'requested-documents' }, view.requestedDocuments.map((label) => h('li', null, label)))]
        : view.decisionNote
          ? [view.status === 'rejected' ? 'เหตุผล' : 'หมายเหตุจากเจ้าหน้าที่', view.decisionNote]
          : false,
      ['เอกสารแนบ', `${view.documents.length} ไฟล์`],
    ]),
    view.status === 'needs_documents' ? notice('เจ้าหน้าที่ขอเอกสารเพิ่มเติมค่ะ แนบแล้วกดส่ง คำขอจะกลับไปพิจารณาต่อทันที', 'info') : null,
    view.canResubmit ? resubmitForm(context, view, reload) : null,
    h(
      'details',
      { class: 'history', open: view.history.length <= 2 },
      h('summary', null, 'ความคืบหน้า'),
      h(
        'ol',
        { class: 'timeline' },
        view.history.map((step) => h('li', null, h('strong', null, step.label), h('small', null, formatThaiDateTime(new Date(step.at))), step.note ? h('p', null, step.note) : null)),
      ),
    ),
    view.canWithdraw
      ? button('ยกเลิกคำขอนี้', async (event) => {
          if (!window.confirm(`ต้องการยกเลิกคำขอ #${view.id} ใช่ไหมคะ`)) return;
          try {
            await busy(event.currentTarget as HTMLButtonElement, 'กำลังยกเลิก…', () => api('POST', `/api/liff/enrollments/${view.id}/withdraw`));
            await reload();
          } catch (error) {
            window.alert(error instanceof Error ? error.message : 'ยกเลิกไม่สำเร็จค่ะ');
          }
        }, 'danger')
      : null,
  );
}

export const applicationsPage: Page = async (context) => {
  context.setTitle('คำขอของฉัน');
  const flash = context.flash;
  const reload = async () => {
    const list = await api<EnrollmentView[]>('GET', '/api/liff/enrollments');
    context.root.replaceChildren(
      ...(flash ? [notice(flash, 'success')] : []),
      ...(list.length === 0
        ? [card(h('p', { class: 'lead' }, 'ยังไม่มีคำขอค่ะ'), h('p', null, 'ดูมาตรการที่ท่านสมัครได้ แล้วกดสมัครได้เลย'), linkButton('ดูมาตรการช่วยเหลือ', '/liff/measures'))]
        : list.map((view) => applicationCard(context, view, reload))),
    );
  };
  await reload();
};
