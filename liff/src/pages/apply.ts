// สมัครมาตรการ: one step per screen (one hand, a small phone), every keystroke kept on the device, checked with
// the same schema the server uses, and sent once with an Idempotency-Key however often "send" is tapped.
import {
  ACCEPTED_DOCUMENT_TYPES,
  enrollmentRequestSchema,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS_PER_SUBMISSION,
  REASON_CODE_THAI,
  REASON_CODES,
  type DocumentView,
  type MeResponse,
  type MeasureInfo,
  type PreviewResponse,
} from '../../../server/contracts/liff.ts';
import { api, ApiError, errorText, FORM_KEPT } from '../api.ts';
import { h } from '../dom.ts';
import { clearDraft, dropExpiredDocuments, loadDraft, newDraft, saveDraft, type Draft } from '../draft.ts';
import { formatBytes, formatSatang } from '../format.ts';
import { parseBahtToSatang } from '../../../server/domain/money.ts';
import type { Page } from '../app-context.ts';
import { busy, button, card, chip, field, filePicker, notice, rows, showFieldErrors } from '../ui.ts';
import { previewCard } from './preview.ts';
import { prepareUpload } from './uploads.ts';

const STEPS = ['เลือกสัญญาและมาตรการ', 'สาเหตุและรายได้', 'แนบเอกสาร', 'ความยินยอม', 'ตรวจทานและส่ง'] as const;
const STEP_FIELDS: string[][] = [
  ['contractNo', 'measureCode'],
  ['reasonCode', 'reason', 'monthlyIncome', 'monthlyExpenses', 'affordableMonthlyPayment', 'phone'],
  ['documentIds'],
  ['consent'],
  [],
];

export const PRIVACY_NOTICE = [
  'กองทุนพัฒนาบทบาทสตรี กรมการพัฒนาชุมชน จะเก็บและใช้ข้อมูลที่ท่านกรอกในคำขอนี้ ได้แก่ เลขที่สัญญา เบอร์โทรศัพท์ สาเหตุที่ขอความช่วยเหลือ รายได้และรายจ่ายของครัวเรือน และเอกสารที่แนบ',
  'เพื่อพิจารณาคำขอเข้าร่วมมาตรการช่วยเหลือลูกหนี้ และเพื่อติดต่อท่านเรื่องคำขอนี้เท่านั้น',
  'ผู้ที่เห็นข้อมูล คือ เจ้าหน้าที่สำนักงานพัฒนาชุมชนอำเภอ จังหวัด และกรมการพัฒนาชุมชน ที่รับผิดชอบพื้นที่ของท่าน ทุกครั้งที่เจ้าหน้าที่เปิดดูจะถูกบันทึกไว้',
  'ข้อมูลจะเก็บรักษาตามระยะเวลาที่กฎหมายและระเบียบของกองทุนกำหนด และจะไม่ส่งต่อให้บุคคลภายนอก',
  'ท่านดูข้อมูลที่กองทุนเก็บไว้ และยกเลิกการผูกบัญชีได้เองที่หน้า "ข้อมูลของฉัน" (พิมพ์ "ข้อมูลของฉัน" ในแชต) ส่วนการขอแก้ไขหรือขอถอนความยินยอม ทำได้ที่สำนักงานพัฒนาชุมชนอำเภอ (หากถอนความยินยอม อาจพิจารณาคำขอต่อไม่ได้)',
];

const STEP_STATE = 'wdfApplyStep';
const PUSHED = 'wdfApplyPushed';

function stepOfHistory(): number | undefined {
  const value = (history.state as Record<string, unknown> | null)?.[STEP_STATE];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < STEPS.length ? value : undefined;
}

function payloadOf(draft: Draft) {
  return {
    contractNo: draft.contractNo,
    measureCode: draft.measureCode,
    reasonCode: draft.reasonCode || undefined,
    reason: draft.reason,
    phone: draft.phone,
    consent: draft.consent,
    monthlyIncome: draft.monthlyIncome || undefined,
    monthlyExpenses: draft.monthlyExpenses || undefined,
    affordableMonthlyPayment: draft.affordableMonthlyPayment || undefined,
    documentIds: draft.documents.map((d) => d.id),
  };
}

function stepOfPath(path: string): number {
  const name = path.split('.')[0] ?? '';
  const index = STEP_FIELDS.findIndex((fields) => fields.includes(name));
  return index < 0 ? 0 : index;
}

/** The schema's errors for the fields of one step (all steps when `step` is undefined). */
function errorsFor(draft: Draft, step?: number): Array<{ path: string; message: string }> {
  const result = enrollmentRequestSchema.safeParse(payloadOf(draft));
  if (result.success) return [];
  return result.error.issues
    .map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
    .filter((error) => step === undefined || STEP_FIELDS[step]!.includes(error.path.split('.')[0] ?? ''));
}

export const applyPage: Page = async (context) => {
  context.setTitle('สมัครมาตรการ');
  const [me, measures] = await Promise.all([context.me(), context.measures()]);
  const key = context.session.localUserKey;
  const saved = loadDraft(key);
  const draft = saved ?? newDraft();
  // Files attached yesterday are gone from the server by now: she is told which to attach again, before she sends.
  // (Not once sent: the application may have them already, and its key decides what a resend does.)
  const expiredFiles = draft.sentAt ? [] : dropExpiredDocuments(draft);
  // Each step is an entry in the browser's history, so the phone's back button goes one step back. Coming back
  // to an entry (popstate re-opens this page), the step is the entry's; the answers are the draft's, kept on the phone.
  const historyStep = stepOfHistory();
  if (saved && historyStep !== undefined) draft.step = historyStep;
  const wantedMeasure = context.query.get('measure');
  const wantedContract = context.query.get('contract');
  if (wantedMeasure && wantedMeasure !== draft.measureCode) {
    draft.measureCode = wantedMeasure;
    draft.step = 0;
  }
  if (wantedContract && wantedContract !== draft.contractNo) draft.contractNo = wantedContract;
  if (!draft.contractNo && me.loans.length === 1) draft.contractNo = me.loans[0]!.contractNo;
  saveDraft(key, draft);
  // The measure and contract asked for are in the draft now: the address drops them, so that coming back to it
  // (back, a reload) does not choose them again over what she chose since.
  const address = new URL(location.href);
  address.searchParams.delete('measure');
  address.searchParams.delete('contract');
  const here = `${address.pathname}${address.search}`;
  // (Only while this page is still the one open: a slow load finishing after she tapped elsewhere leaves history alone.)
  if (/\/apply\/?$/.test(location.pathname)) history.replaceState({ ...(history.state as object | null), [STEP_STATE]: draft.step }, '', here);

  const state = { pendingErrors: [] as Array<{ path: string; message: string }>, message: undefined as HTMLElement | undefined };
  if (expiredFiles.length > 0) {
    state.message = notice(`ไฟล์ที่แนบไว้เกิน 1 วันถูกลบออกจากระบบแล้วค่ะ กรุณาแนบใหม่: ${expiredFiles.join(', ')}`, 'error');
    draft.step = Math.min(draft.step, STEP_FIELDS.findIndex((fields) => fields.includes('documentIds')));
  } else if (draft.sentAt) {
    state.message = notice('คำขอนี้กดส่งไปแล้วแต่ยังไม่ได้รับคำตอบค่ะ กด "ส่งคำขอ" อีกครั้งเพื่อตรวจ ระบบจะไม่สร้างคำขอซ้ำ', 'info');
  }
  const save = () => saveDraft(key, draft);
  /** Forward ("ถัดไป") adds an entry; anything else (an error sends her to its step) replaces this one. */
  const go = (step: number, entry: 'push' | 'replace' = 'replace') => {
    draft.step = Math.max(0, Math.min(STEPS.length - 1, step));
    save();
    if (entry === 'push') history.pushState({ [STEP_STATE]: draft.step, [PUSHED]: true }, '', here);
    else history.replaceState({ ...(history.state as object | null), [STEP_STATE]: draft.step }, '', here);
    void render();
  };
  // "ย้อนกลับ" is the phone's back when the step before is the entry before; else (a draft reopened mid-way) it
  // replaces this entry, and back still leaves the form.
  const goBack = (step: number) => {
    const current = history.state as Record<string, unknown> | null;
    if (current?.[PUSHED] === true) history.back();
    else go(step - 1);
  };

  async function render() {
    const step = draft.step;
    const body = await renderStep(step, draft, me, measures, save);
    const progress = h(
      'ol',
      { class: 'steps', 'aria-label': 'ขั้นตอน' },
      STEPS.map((label, index) => h('li', { class: index === step ? 'current' : index < step ? 'done' : '', 'aria-current': index === step ? 'step' : false }, h('span', null, String(index + 1)), label)),
    );
    const back = step > 0 ? button('ย้อนกลับ', () => goBack(step), 'secondary') : null;
    const next =
      step < STEPS.length - 1
        ? button('ถัดไป', () => {
            const errors = errorsFor(draft, step).concat(step === 0 ? eligibilityErrors(draft, me) : []);
            if (errors.length > 0) {
              showFieldErrors(context.root, errors);
              return;
            }
            go(step + 1, 'push');
          })
        : button('ส่งคำขอ', (event) => void submit(event.currentTarget as HTMLButtonElement), 'primary', { 'data-testid': 'submit' });
    context.root.replaceChildren(
      h('p', { class: 'muted step-count' }, `ขั้นที่ ${step + 1} จาก ${STEPS.length}: ${STEPS[step]}`),
      progress,
      body,
      h('div', { class: 'actions' }, h('div', { class: 'action-note' }, state.message ?? ''), back, next),
      h('p', { class: 'muted saved' }, 'ข้อมูลที่กรอกถูกบันทึกไว้ในเครื่องนี้อัตโนมัติ ปิดหน้าแล้วกลับมาทำต่อได้'),
    );
    if (state.pendingErrors.length > 0) {
      showFieldErrors(context.root, state.pendingErrors);
      state.pendingErrors = [];
    }
    // A message (sending failed, files to attach again) is in the pinned bar above the buttons (action-note): on the
    // screen wherever the page is, even below a long review that is still loading its new schedule.
    state.message = undefined;
    window.scrollTo(0, 0);
  }

  async function submit(target: HTMLButtonElement) {
    // Sent before without an answer: it may have arrived, and then what this phone knows says "applied already". The
    // same Idempotency-Key goes again: the server answers with the application it made, or makes it now.
    const errors = errorsFor(draft).concat(draft.sentAt ? [] : eligibilityErrors(draft, me));
    if (errors.length > 0) {
      state.pendingErrors = errors;
      go(stepOfPath(errors[0]!.path));
      return;
    }
    draft.sentAt = new Date().toISOString();
    save();
    try {
      const created = await busy(target, 'กำลังส่ง…', () =>
        api<{ id: number; status: string }>('POST', '/api/liff/enrollments', {
          body: enrollmentRequestSchema.parse(payloadOf(draft)),
          headers: { 'Idempotency-Key': draft.idempotencyKey },
        }),
      );
      clearDraft(key);
      await context.me(true);
      context.navigate('/liff/applications', { flash: `ส่งคำขอเรียบร้อยแล้วค่ะ คำขอเลขที่ ${created.id} ติดตามสถานะได้ที่หน้านี้` });
    } catch (error) {
      // Refused (not lost on the way): nothing was made, so nothing to look for next time.
      if (error instanceof ApiError && !error.offline && error.status < 500) {
        draft.sentAt = null;
        save();
      }
      // Her application is there already (this send, or one made earlier): she is shown it, the draft is done with.
      if (error instanceof ApiError && error.status === 409) {
        clearDraft(key);
        await context.me(true);
        context.navigate('/liff/applications', { flash: error.message });
        return;
      }
      if (error instanceof ApiError && error.status === 400 && error.errors.length > 0) {
        state.pendingErrors = error.errors;
        go(stepOfPath(error.errors[0]!.path));
        return;
      }
      const text = error instanceof ApiError ? error.message : 'ส่งคำขอไม่สำเร็จค่ะ กรุณาลองใหม่อีกครั้ง';
      state.message = notice(error instanceof ApiError && error.offline ? `${text} ${FORM_KEPT}` : text, 'error');
      await render();
    }
  }

  await render();
};

function eligibilityErrors(draft: Draft, me: MeResponse): Array<{ path: string; message: string }> {
  const loan = me.loans.find((l) => l.contractNo === draft.contractNo);
  const verdict = loan?.eligibility.find((e) => e.measureCode === draft.measureCode);
  if (!loan || !verdict || verdict.eligible) return [];
  return [{ path: 'measureCode', message: verdict.reasons[0] ?? 'สัญญานี้สมัครมาตรการนี้ไม่ได้ค่ะ' }];
}

async function renderStep(step: number, draft: Draft, me: MeResponse, measures: MeasureInfo[], save: () => void): Promise<HTMLElement> {
  switch (step) {
    case 0:
      return chooseStep(draft, me, measures, save);
    case 1:
      return aboutStep(draft, save);
    case 2:
      return documentsStep(draft, save);
    case 3:
      return consentStep(draft, save);
    default:
      return reviewStep(draft, measures);
  }
}

function radio(name: string, value: string, checked: boolean, onChange: () => void, disabled = false): HTMLInputElement {
  return h('input', { type: 'radio', name, value, checked, disabled, onChange });
}

function chooseStep(draft: Draft, me: MeResponse, measures: MeasureInfo[], save: () => void): HTMLElement {
  const previewSlot = h('div', { class: 'preview-slot' });
  const loan = () => me.loans.find((l) => l.contractNo === draft.contractNo);
  const measureList = h('div', { class: 'choices' });

  const drawMeasures = () => {
    const current = loan();
    measureList.replaceChildren(
      ...measures.map((measure) => {
        const verdict = current?.eligibility.find((e) => e.measureCode === measure.code);
        const blocked = current !== undefined && verdict !== undefined && !verdict.eligible;
        return h(
          'label',
          { class: `choice${blocked ? ' blocked' : ''}` },
          radio('measureCode', measure.code, draft.measureCode === measure.code, () => {
            draft.measureCode = measure.code;
            save();
            void drawPreview();
          }, blocked),
          h('span', null, h('strong', null, measure.title), h('small', null, blocked ? `ยังสมัครไม่ได้: ${verdict!.reasons[0]}` : measure.summary)),
        );
      }),
    );
  };

  const drawPreview = async () => {
    previewSlot.replaceChildren();
    const current = loan();
    const verdict = current?.eligibility.find((e) => e.measureCode === draft.measureCode);
    if (!current || !draft.measureCode || !verdict?.eligible) return;
    previewSlot.replaceChildren(h('p', { class: 'muted' }, 'กำลังคำนวณตารางผ่อนใหม่…'));
    try {
      const preview = await api<PreviewResponse>('GET', `/api/liff/preview?contractNo=${encodeURIComponent(draft.contractNo)}&measureCode=${encodeURIComponent(draft.measureCode)}`);
      if (preview.contractNo === draft.contractNo && preview.measureCode === draft.measureCode) previewSlot.replaceChildren(previewCard(preview));
    } catch (error) {
      previewSlot.replaceChildren(notice(error instanceof ApiError ? error.message : 'คำนวณตารางผ่อนใหม่ไม่ได้ในขณะนี้', 'error'));
    }
  };

  const contracts = h(
    'div',
    { class: 'choices' },
    me.loans.map((l) =>
      h(
        'label',
        { class: 'choice' },
        radio('contractNo', l.contractNo, draft.contractNo === l.contractNo, () => {
          draft.contractNo = l.contractNo;
          save();
          drawMeasures();
          void drawPreview();
        }),
        h('span', null, h('strong', null, `สัญญา ${l.contractNo}`), h('small', null, chip(l.statusLabel, l.colour), ` ค้างชำระ ${formatSatang(l.overdue)}`)),
      ),
    ),
  );
  drawMeasures();
  void drawPreview();
  return h(
    'div',
    null,
    card(field('contractNo', 'สัญญาที่ต้องการขอความช่วยเหลือ', contracts)),
    card(field('measureCode', 'มาตรการ / รูปแบบการปรับโครงสร้างหนี้', measureList, 'เลือกได้ 1 มาตรการต่อคำขอ')),
    previewSlot,
  );
}

function aboutStep(draft: Draft, save: () => void): HTMLElement {
  const bind = <E extends HTMLInputElement | HTMLTextAreaElement>(element: E, key: 'reason' | 'monthlyIncome' | 'monthlyExpenses' | 'affordableMonthlyPayment' | 'phone') => {
    element.value = draft[key];
    element.addEventListener('input', () => {
      draft[key] = element.value;
      save();
    });
    return element;
  };
  const money = (key: 'monthlyIncome' | 'monthlyExpenses' | 'affordableMonthlyPayment') =>
    bind(h('input', { type: 'text', inputMode: 'decimal', autocomplete: 'off', placeholder: key === 'affordableMonthlyPayment' ? 'เช่น 500' : 'เช่น 9,000' }), key);
  const reasons = h(
    'div',
    { class: 'choices compact' },
    REASON_CODES.map((code) =>
      h(
        'label',
        { class: 'choice' },
        radio('reasonCode', code, draft.reasonCode === code, () => {
          draft.reasonCode = code;
          save();
        }),
        h('span', null, REASON_CODE_THAI[code]),
      ),
    ),
  );
  return h(
    'div',
    null,
    card(
      field('reasonCode', 'สาเหตุหลักที่จ่ายไม่ไหว', reasons),
      field('reason', 'เล่าให้เจ้าหน้าที่ฟังสั้น ๆ', bind(h('textarea', { rows: 4, maxLength: 1000, placeholder: 'เช่น ตกงานตั้งแต่เดือนสิงหาคม ตอนนี้รับจ้างรายวัน' }), 'reason')),
    ),
    card(
      field('monthlyIncome', 'รายได้ของครัวเรือนต่อเดือน (บาท)', money('monthlyIncome')),
      field('monthlyExpenses', 'รายจ่ายของครัวเรือนต่อเดือน (บาท)', money('monthlyExpenses')),
      field('affordableMonthlyPayment', 'ผ่อนได้เดือนละเท่าไร (บาท)', money('affordableMonthlyPayment'), 'ไม่แน่ใจก็ประมาณได้ค่ะ'),
      field('phone', 'เบอร์โทรศัพท์ที่ติดต่อได้', bind(h('input', { type: 'tel', inputMode: 'tel', autocomplete: 'tel', placeholder: '0812345678' }), 'phone')),
    ),
  );
}

function documentsStep(draft: Draft, save: () => void): HTMLElement {
  const list = h('ul', { class: 'documents' });
  const status = h('div');
  const picker = filePicker({ accept: [...ACCEPTED_DOCUMENT_TYPES, '.jpg', '.jpeg', '.png', '.pdf'].join(','), multiple: true });
  const { input } = picker;
  const draw = () => {
    list.replaceChildren(
      ...draft.documents.map((doc, index) =>
        h(
          'li',
          null,
          h('span', null, `${doc.name} (${formatBytes(doc.byteSize)})`),
          button('ลบ', () => {
            draft.documents.splice(index, 1);
            save();
            draw();
          }, 'secondary', { 'aria-label': `ลบ ${doc.name}` }),
        ),
      ),
    );
    // The names are in the list under the picker, each with its "ลบ"; the status line only counts them.
    const count = draft.documents.length;
    if (count === 0) picker.show([]);
    else if (count < MAX_DOCUMENTS_PER_SUBMISSION) picker.say(`แนบแล้ว ${count} จาก ${MAX_DOCUMENTS_PER_SUBMISSION} ไฟล์`);
    else picker.say(`แนบครบ ${MAX_DOCUMENTS_PER_SUBMISSION} ไฟล์แล้วค่ะ ถ้าจะแนบไฟล์อื่น กด "ลบ" ไฟล์ที่ไม่ใช้ก่อน`);
    input.disabled = count >= MAX_DOCUMENTS_PER_SUBMISSION;
  };
  input.addEventListener('change', async () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    for (const [index, file] of files.entries()) {
      if (draft.documents.length >= MAX_DOCUMENTS_PER_SUBMISSION) {
        // Name what was left out: she picked them, and should know which did not go.
        const left = files.slice(index).map((f) => f.name).join(', ');
        status.replaceChildren(notice(`แนบได้ไม่เกิน ${MAX_DOCUMENTS_PER_SUBMISSION} ไฟล์ค่ะ ไฟล์ที่ไม่ได้แนบ: ${left} ถ้าจะใช้ไฟล์นั้น กด "ลบ" ไฟล์ที่ไม่ใช้ก่อน`, 'error'));
        break;
      }
      status.replaceChildren(notice(`กำลังแนบ ${file.name}…`));
      try {
        const blob = await prepareUpload(file);
        const uploaded = await api<DocumentView>('POST', '/api/liff/documents', { file: blob });
        draft.documents.push({ id: uploaded.id, name: file.name, contentType: uploaded.contentType, byteSize: uploaded.byteSize, uploadedAt: new Date().toISOString() });
        save();
        draw();
        status.replaceChildren(notice(`แนบ ${file.name} แล้วค่ะ`, 'success'));
      } catch (error) {
        status.replaceChildren(notice(errorText(error, 'แนบไฟล์ไม่สำเร็จค่ะ'), 'error'));
      }
    }
  });
  draw();
  return card(
    field('documentIds', `รูปถ่ายเอกสาร (ไม่เกิน ${MAX_DOCUMENTS_PER_SUBMISSION} ไฟล์ ไฟล์ละไม่เกิน ${MAX_DOCUMENT_BYTES / 1024 / 1024} เมกะไบต์)`, picker.element, 'เช่น สำเนาบัตรประชาชน สำเนาทะเบียนบ้าน หลักฐานรายได้ หรือรูปความเสียหาย — ถ่ายรูปได้เลย หรือแนบไฟล์ PDF'),
    list,
    status,
    h('p', { class: 'muted' }, 'ยังไม่มีเอกสารก็ส่งคำขอได้ค่ะ เจ้าหน้าที่อาจขอเพิ่มภายหลัง'),
  );
}

function consentStep(draft: Draft, save: () => void): HTMLElement {
  const box = h('input', {
    type: 'checkbox',
    checked: draft.consent,
    onChange: (event: Event) => {
      draft.consent = (event.currentTarget as HTMLInputElement).checked;
      save();
    },
  });
  return card(
    h('h2', null, 'ประกาศการใช้ข้อมูลส่วนตัว'),
    h('ul', { class: 'privacy' }, PRIVACY_NOTICE.map((line) => h('li', null, line))),
    h('div', { class: 'field', 'data-field': 'consent' }, h('label', { class: 'consent' }, box, h('span', null, 'ข้าพเจ้าได้อ่านแล้ว และยินยอมให้ใช้ข้อมูลตามประกาศนี้')), h('p', { class: 'field-error', 'data-error-for': 'consent', role: 'alert' })),
  );
}

async function reviewStep(draft: Draft, measures: MeasureInfo[]): Promise<HTMLElement> {
  const measure = measures.find((m) => m.code === draft.measureCode);
  const money = (value: string) => {
    const satang = parseBahtToSatang(value);
    return satang !== undefined ? formatSatang(satang) : value || 'ไม่ได้ระบุ';
  };
  const previewSlot = h('div', null, h('p', { class: 'muted' }, 'กำลังคำนวณตารางผ่อนใหม่…'));
  // Above everything else: below nine rows it is off the screen while "ส่งคำขอ" is not.
  const warningSlot = h('div');
  const affordable = parseBahtToSatang(draft.affordableMonthlyPayment);
  void api<PreviewResponse>('GET', `/api/liff/preview?contractNo=${encodeURIComponent(draft.contractNo)}&measureCode=${encodeURIComponent(draft.measureCode)}`)
    .then((preview) => {
      const installment = preview.changesSchedule ? preview.after.regularInstallment : undefined;
      // More than she said she can pay: she may still send it, but should not learn it only when it is approved.
      const tooMuch =
        installment !== undefined && affordable !== undefined && affordable > 0 && installment > affordable
          ? notice(
              `ค่างวด${preview.pause ? `หลังพ้นช่วงพัก ${preview.pause.months} เดือน` : 'ใหม่'} ${formatSatang(installment)} มากกว่าที่ท่านผ่อนได้ (${formatSatang(affordable)} ต่อเดือน) ค่ะ ` +
                'ส่งคำขอนี้ได้ตามเดิม เจ้าหน้าที่จะช่วยดูทางที่เหมาะกว่าให้ หรือกด "ย้อนกลับ" ไปเลือกมาตรการอื่นก็ได้',
            )
          : null;
      if (tooMuch) warningSlot.replaceChildren(tooMuch);
      previewSlot.replaceChildren(previewCard(preview));
    })
    .catch((error: unknown) => previewSlot.replaceChildren(notice(error instanceof ApiError ? error.message : 'คำนวณตารางผ่อนใหม่ไม่ได้ในขณะนี้', 'error')));
  return h(
    'div',
    null,
    warningSlot,
    card(
      h('h2', null, 'ตรวจทานก่อนส่ง'),
      rows([
        ['สัญญา', draft.contractNo],
        ['มาตรการ', measure?.title ?? draft.measureCode],
        ['สาเหตุ', draft.reasonCode ? REASON_CODE_THAI[draft.reasonCode as keyof typeof REASON_CODE_THAI] : '—'],
        ['รายละเอียด', draft.reason],
        ['รายได้/เดือน', money(draft.monthlyIncome)],
        ['รายจ่าย/เดือน', money(draft.monthlyExpenses)],
        ['ผ่อนได้/เดือน', money(draft.affordableMonthlyPayment)],
        ['โทร', draft.phone],
        ['เอกสาร', draft.documents.length > 0 ? draft.documents.map((d) => d.name).join(', ') : 'ไม่มี'],
        ['ความยินยอม', draft.consent ? 'ยินยอมแล้ว' : 'ยังไม่ได้ยินยอม'],
      ]),
    ),
    previewSlot,
    h('p', { class: 'muted' }, 'เมื่อกดส่ง สำนักงานพัฒนาชุมชนอำเภอจะตรวจสอบและส่งต่อจังหวัดและกรมการพัฒนาชุมชน ขั้นตอนละไม่เกิน 15 วัน ระบบจะแจ้งความคืบหน้าทาง LINE ค่ะ'),
  );
}
