// บันทึกการติดตาม (5 ต.): how the debtor was reached, at which step, what came of it, a note, photos, the next step,
// and perhaps a promise to pay. One screen, big choices, sent once however often "บันทึก" is tapped. With
// ?edit=<id> the author corrects a record within 24 hours.
import {
  FOLLOW_UP_KIND_THAI,
  FOLLOW_UP_KINDS,
  FOLLOW_UP_OUTCOME_THAI,
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_STAGE_THAI,
  FOLLOW_UP_STAGES,
  MAX_FOLLOW_UP_PHOTOS,
  type DebtorPage,
  type FollowUpKind,
  type FollowUpOutcome,
  type FollowUpStage,
  type TimelineItem,
} from '../../../../server/contracts/officer.ts';
import { addDays } from '../../../../server/domain/local-date.ts';
import { api, ApiError, apiErrorText, errorText, FORM_KEPT, photoUrl } from '../../api.ts';
import { h } from '../../dom.ts';
import { formatSatang, formatThaiDate } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { busy, button, card, field, filePicker, notice, showFormErrors } from '../../ui.ts';
import { prepareUpload } from '../uploads.ts';
import { randomKey } from '../../draft.ts';
import { amountProblem, checkedValue, choiceChips, dateInput, debtorHref, satangOf } from './parts.ts';

type FollowUpItem = Extract<TimelineItem, { type: 'follow_up' }>;

export const followUpPage: Page = async (context) => {
  const borrowerId = context.params.id ?? '';
  const page = await api<DebtorPage>('GET', `/api/liff/officer/debtors/${encodeURIComponent(borrowerId)}`);
  const editId = Number(context.query.get('edit') ?? '') || undefined;
  const editing = editId ? (page.timeline.find((x) => x.type === 'follow_up' && x.id === editId) as FollowUpItem | undefined) : undefined;
  context.setTitle(editing ? 'แก้ไขการติดตาม' : 'บันทึกการติดตาม');
  const today = page.today;
  // Kept on the phone (localStorage) with the form's Idempotency-Key, for this officer and debtor: closing LINE while
  // the answer is on its way loses neither what she typed nor the key that makes sending it again harmless.
  const me = await context.officer();
  const draftKey = `wdf-liff:follow-up-draft:v2:${me.id}:${page.borrowerId}`;
  const saved = editing ? null : readDraft(draftKey);
  const key = saved?.idempotencyKey ?? randomKey();
  // Sent before, and no answer came back: ask whether it arrived before offering to send it again.
  if (saved?.sentAt) {
    const arrived = await api<{ id: number; contactedOn: string }>('GET', `/api/liff/officer/follow-ups/by-key/${encodeURIComponent(key)}`).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    });
    if (arrived) {
      forgetDraft(draftKey);
      context.navigate(debtorHref(page.borrowerId), { replace: true, flash: `บันทึกการติดตามวันที่ ${formatThaiDate(arrived.contactedOn)} ที่ส่งไว้ ถึงระบบเรียบร้อยแล้วค่ะ ไม่ต้องบันทึกซ้ำ` });
      return;
    }
  }
  const photoIds: string[] = [];
  /** Photos still on their way: saving waits for them (a record saved meanwhile would have none). */
  let uploading = 0;
  /** "บันทึก" tapped while photos were on their way: it saves by itself once they are there. */
  let saveAfterUpload: HTMLButtonElement | undefined;
  /** Saved: nothing may write the draft back (an upload finishing late, an input event). */
  let done = false;
  /** When a send was tried whose answer never came: the next opening asks whether it arrived. */
  let sentAt: string | null = saved?.sentAt ?? null;

  const kind = choiceChips<FollowUpKind>('kind', FOLLOW_UP_KINDS.map((k) => [k, FOLLOW_UP_KIND_THAI[k]] as const), editing?.kind ?? 'visit');
  const stage = choiceChips<FollowUpStage>('stage', FOLLOW_UP_STAGES.map((s) => [s, FOLLOW_UP_STAGE_THAI[s]] as const), editing?.stage ?? 'follow');
  const promiseBox = h('div', { class: 'promise-box' });
  const wantsPromise = h('input', { type: 'checkbox', name: 'hasPromise', checked: Boolean(editing?.promise) });
  const promiseHint = h('p', { class: 'muted', hidden: true }, 'ผลการติดตามเป็น "นัดชำระ" จึงต้องกรอกยอดและวันที่นัดด้านล่างค่ะ');
  // นัดชำระ needs a promise: the box is ticked and held, so a tap meant to confirm it cannot hide the fields.
  const holdPromiseFor = (value: string) => {
    const required = value === 'promised';
    if (required) wantsPromise.checked = true;
    wantsPromise.disabled = required;
    promiseHint.hidden = !required;
    promiseBox.hidden = !wantsPromise.checked;
  };
  const outcome = choiceChips<FollowUpOutcome>('outcome', FOLLOW_UP_OUTCOMES.map((o) => [o, FOLLOW_UP_OUTCOME_THAI[o]] as const), editing?.outcome ?? '', holdPromiseFor);
  const note = h('textarea', { name: 'note', rows: 3, maxLength: 2000, placeholder: 'เช่น พบตัว แจ้งว่ารายได้ลดลง จะเข้าร่วมมาตรการ' }, editing?.note ?? '');
  const nextAction = dateInput('nextActionOn', editing?.nextActionOn ?? '', { min: today });
  const quickNext = h(
    'div',
    { class: 'quick-dates' },
    [3, 7, 14, 30].map((days) =>
      button(`อีก ${days} วัน`, () => {
        const input = nextAction.querySelector('input')!;
        input.value = addDays(today, days);
        input.dispatchEvent(new Event('input'));
      }, 'secondary', { class: 'btn secondary small' }),
    ),
  );

  const contractOptions = [['', page.loans.length === 1 ? `สัญญา ${page.loans[0]!.contractNo}` : 'ทุกสัญญา'], ...(page.loans.length > 1 ? page.loans.map((l) => [l.contractNo, `สัญญา ${l.contractNo} (ค้าง ${formatSatang(l.overdue)})`]) : [])];
  const promiseContract = h('select', { name: 'promise.contractNo', id: 'field-promise.contractNo' }, contractOptions.map(([value, label]) => h('option', { value, selected: (editing?.promise?.contractNo ?? '') === value && page.loans.length > 1 }, label)));
  const overdue = page.loans.reduce((sum, l) => sum + l.overdue, 0);
  const promiseAmount = h('input', {
    type: 'text',
    inputMode: 'decimal',
    name: 'promise.amountSatang',
    placeholder: overdue > 0 ? `เช่น ${formatSatang(overdue).replace('฿', '')}` : 'จำนวนเงิน (บาท)',
    value: editing?.promise ? (editing.promise.amountSatang / 100).toFixed(2) : '',
  });
  const promiseDate = dateInput('promise.promisedOn', editing?.promise?.promisedOn ?? addDays(today, 7), { min: today });
  promiseBox.hidden = !wantsPromise.checked;
  promiseBox.append(
    field('promise.amountSatang', 'ยอดที่นัดชำระ (บาท)', promiseAmount),
    field('promise.promisedOn', 'ชำระภายในวันที่', promiseDate),
    ...(page.loans.length > 1 ? [field('promise.contractNo', 'สำหรับสัญญา', promiseContract)] : []),
  );
  wantsPromise.addEventListener('change', () => (promiseBox.hidden = !wantsPromise.checked));
  holdPromiseFor(editing?.outcome ?? '');

  const photos = filePicker({ accept: 'image/jpeg,image/png', multiple: true, label: 'ถ่ายรูปหรือเลือกรูป', empty: 'ยังไม่ได้แนบรูป' });
  const photoInput = photos.input;
  const photoNames: string[] = [];
  // A correction starts from the photos already on the record; saving sends the list it should keep.
  for (const [index, id] of (editing?.photoIds ?? []).entries()) {
    photoIds.push(id);
    photoNames.push(`รูปที่ ${index + 1} (บันทึกไว้แล้ว)`);
  }
  // Each attached photo once, with its own "ลบ": a wrong photo is taken off before saving (an unattached upload is
  // deleted by the server after a day).
  const photoList = h('ul', { class: 'documents' });
  // A small picture of each: camera file names (IMG_2041.jpg) do not say which photo is which.
  const thumbs = new Map<string, HTMLImageElement>();
  const thumbOf = (id: string, name: string) => {
    let thumb = thumbs.get(id);
    if (!thumb) {
      const image = h('img', { class: 'thumb', alt: name });
      void photoUrl(id)
        .then((url) => (image.src = url))
        .catch(() => image.remove());
      thumbs.set(id, (thumb = image));
    }
    return thumb;
  };
  const drawPhotos = () => {
    photoList.replaceChildren(
      ...photoNames.map((name, index) =>
        h(
          'li',
          null,
          thumbOf(photoIds[index]!, name),
          h('span', null, name),
          button('ลบ', () => {
            photoIds.splice(index, 1);
            photoNames.splice(index, 1);
            drawPhotos();
          }, 'secondary', { 'aria-label': `ลบ ${name}` }),
        ),
      ),
    );
    const count = photoIds.length;
    photos.say(count === 0 ? 'ยังไม่ได้แนบรูป' : count < MAX_FOLLOW_UP_PHOTOS ? `แนบแล้ว ${count} จาก ${MAX_FOLLOW_UP_PHOTOS} รูป` : `แนบครบ ${MAX_FOLLOW_UP_PHOTOS} รูปแล้วค่ะ`);
    photoInput.disabled = count >= MAX_FOLLOW_UP_PHOTOS;
    saveDraft();
  };
  photoInput.addEventListener('change', async () => {
    const files = Array.from(photoInput.files ?? []);
    photoInput.value = '';
    for (const [index, file] of files.entries()) {
      if (photoIds.length >= MAX_FOLLOW_UP_PHOTOS) {
        photos.say(`แนบครบ ${MAX_FOLLOW_UP_PHOTOS} รูปแล้วค่ะ อีก ${files.length - index} รูปที่เลือกไม่ได้แนบ ถ้าจะใช้รูปนั้น กด "ลบ" รูปที่ไม่ใช้ก่อน`, 'error');
        return;
      }
      uploading += 1;
      try {
        photos.say(`กำลังส่งรูป ${file.name}…`);
        if (!/^image\/(jpeg|png)$/.test(file.type) && !/\.(jpe?g|png)$/i.test(file.name)) throw new Error('แนบได้เฉพาะรูปถ่าย (JPEG หรือ PNG) ค่ะ');
        const uploaded = await api<{ id: string }>('POST', '/api/liff/officer/photos', { file: await prepareUpload(file) });
        if (done) return;
        photoIds.push(uploaded.id);
        photoNames.push(file.name);
        drawPhotos();
      } catch (error) {
        photos.say(errorText(error, 'แนบรูปไม่สำเร็จค่ะ'), 'error');
        if (saveAfterUpload) message.replaceChildren(notice('ส่งรูปไม่สำเร็จ จึงยังไม่ได้บันทึกค่ะ แนบรูปใหม่หรือลบออก แล้วกด "บันทึก" อีกครั้ง', 'error'));
        saveAfterUpload = undefined;
        return;
      } finally {
        uploading -= 1;
      }
    }
    // The last photo is there (another pick may still be sending: then its end saves).
    if (saveAfterUpload && uploading === 0 && !done) {
      const waiting = saveAfterUpload;
      saveAfterUpload = undefined;
      void submit(waiting);
    }
  });

  // In the pinned bar above "บันทึก" (action-note): on the screen however far the form is scrolled.
  const message = h('div', { class: 'action-note' });
  const form = h(
    'form',
    { class: 'officer-form', novalidate: true, onSubmit: (event: Event) => event.preventDefault() },
    card(h('p', { class: 'lead' }, `คุณ${page.fullName}`), h('p', { class: 'muted' }, page.area)),
    card(field('kind', 'ติดต่ออย่างไร', kind), field('stage', 'ขั้นตอน 5 ต.', stage), field('contactedOn', 'วันที่ติดต่อ', dateInput('contactedOn', editing?.on ?? today, { max: today }))),
    card(
      field('outcome', 'ผลการติดตาม', outcome),
      field('note', 'บันทึก', note),
      h('label', { class: 'consent toggle' }, wantsPromise, h('span', null, 'ลูกหนี้นัดว่าจะชำระ')),
      promiseHint,
      promiseBox,
    ),
    card(field('nextActionOn', 'นัดติดตามครั้งถัดไป', nextAction, 'ไม่บังคับ'), quickNext, field('photoIds', `รูปถ่าย (ไม่เกิน ${MAX_FOLLOW_UP_PHOTOS} รูป)`, photos.element), photoList),
    h('div', { class: 'actions' }, message, button('บันทึก', (event) => void submit(event.currentTarget as HTMLButtonElement), 'primary', { 'data-testid': 'save-follow-up' })),
  );

  function payload() {
    const amountText = promiseAmount.value;
    const promise = wantsPromise.checked
      ? { amountSatang: satangOf(amountText) ?? (amountText.trim() ? -1 : 0), promisedOn: promiseDate.querySelector('input')!.value, contractNo: promiseContract.value || null }
      : null;
    return {
      kind: checkedValue(form, 'kind'),
      stage: checkedValue(form, 'stage'),
      contactedOn: form.querySelector<HTMLInputElement>('input[name="contactedOn"]')!.value,
      outcome: checkedValue(form, 'outcome'),
      note: note.value.trim() || null,
      nextActionOn: nextAction.querySelector('input')!.value || null,
      promise,
    };
  }

  async function submit(target: HTMLButtonElement) {
    message.replaceChildren();
    if (uploading > 0) {
      saveAfterUpload = target;
      message.replaceChildren(notice('กำลังส่งรูปอยู่ค่ะ ส่งรูปเสร็จแล้วระบบจะบันทึกให้ทันที', 'info'));
      return;
    }
    const body = payload();
    if (body.promise && !(body.promise.amountSatang > 0)) {
      showFormErrors(form, [{ path: 'promise.amountSatang', message: promiseAmount.value.trim() ? amountProblem(promiseAmount.value, '1,500') : 'กรุณากรอกยอดที่นัดชำระเป็นตัวเลข เช่น 1,500' }], message);
      return;
    }
    try {
      await busy(target, 'กำลังบันทึก…', async () => {
        if (editing) await api('PATCH', `/api/liff/officer/follow-ups/${editing.id}`, { body: { ...body, photoIds } });
        else {
          sentAt = new Date().toISOString();
          saveDraft();
          await api('POST', '/api/liff/officer/follow-ups', { body: { ...body, borrowerId: page.borrowerId, photoIds }, headers: { 'Idempotency-Key': key } });
        }
      });
      done = true;
      forgetDraft(draftKey);
      context.navigate(debtorHref(page.borrowerId), { replace: true, returnTo: true, flash: editing ? 'แก้ไขบันทึกแล้วค่ะ' : 'บันทึกการติดตามแล้วค่ะ' });
    } catch (error) {
      // Refused by the server (not lost on the way): nothing arrived, nothing to ask about next time.
      if (error instanceof ApiError && !error.offline && error.status < 500) {
        sentAt = null;
        saveDraft();
      }
      if (error instanceof ApiError && error.errors.length) {
        showFormErrors(form, error.errors, message);
      } else {
        const text = apiErrorText(error, 'บันทึกไม่สำเร็จค่ะ');
        message.replaceChildren(notice(error instanceof ApiError && error.offline && !editing ? `${text} ${FORM_KEPT}` : text, 'error'));
      }
    }
  }

  // A phone call, the back button, a reload, LINE closed: what she typed waits for her on this phone until it is
  // saved (a week at most).
  function saveDraft() {
    if (editing || done) return;
    const draft: FollowUpDraft = {
      ...payload(),
      hasPromise: wantsPromise.checked,
      promiseAmountText: promiseAmount.value,
      promiseContract: promiseContract.value,
      photoIds,
      photoNames,
      idempotencyKey: key,
      sentAt,
      savedAt: new Date().toISOString(),
    };
    writeDraft(draftKey, draft);
  }
  form.addEventListener('input', () => {
    saveDraft();
    // Read once she types again (what was kept, why the last save failed): in the pinned bar it would only cover
    // the field she is typing in. A photo still sending keeps its word: the save waits for it.
    if (!saveAfterUpload) message.replaceChildren();
  });
  form.addEventListener('change', () => saveDraft());
  if (saved) {
    const pick = (name: string, value: string | null) => {
      const radio = value ? form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${CSS.escape(value)}"]`) : null;
      if (radio) radio.checked = true;
    };
    const setDate = (name: string, value: string | null | undefined) => {
      const input = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
      if (!input || !value) return;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    pick('kind', saved.kind);
    pick('stage', saved.stage);
    pick('outcome', saved.outcome);
    setDate('contactedOn', saved.contactedOn);
    setDate('nextActionOn', saved.nextActionOn);
    note.value = saved.note ?? '';
    wantsPromise.checked = saved.hasPromise;
    promiseAmount.value = saved.promiseAmountText;
    promiseContract.value = saved.promiseContract;
    setDate('promise.promisedOn', saved.promise?.promisedOn);
    holdPromiseFor(saved.outcome ?? '');
    photoIds.push(...saved.photoIds);
    photoNames.push(...saved.photoNames);
    if (photoIds.length) drawPhotos();
    message.replaceChildren(
      notice(saved.sentAt ? 'บันทึกนี้ส่งไม่ถึงระบบเมื่อครั้งก่อนค่ะ ข้อมูลที่กรอกยังอยู่ ตรวจแล้วกด "บันทึก" อีกครั้ง' : 'ข้อมูลที่กรอกค้างไว้ยังอยู่ค่ะ ตรวจแล้วกด "บันทึก" ได้เลย', 'info'),
    );
  } else if (photoIds.length) drawPhotos();

  context.root.replaceChildren(form);
};

interface FollowUpDraft {
  kind: string;
  stage: string;
  contactedOn: string;
  outcome: string;
  note: string | null;
  nextActionOn: string | null;
  promise: { promisedOn: string } | null;
  hasPromise: boolean;
  promiseAmountText: string;
  promiseContract: string;
  photoIds: string[];
  photoNames: string[];
  idempotencyKey: string;
  /** When a send was last tried (its answer may have been lost), null when never. */
  sentAt: string | null;
  savedAt: string;
}

/** A draft older than this is not offered again: the visit it describes is long past, its photos deleted. */
const DRAFT_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

function readDraft(key: string): FollowUpDraft | null {
  try {
    const draft = JSON.parse(localStorage.getItem(key) ?? 'null') as FollowUpDraft | null;
    if (!draft || !Array.isArray(draft.photoIds) || !Array.isArray(draft.photoNames) || typeof draft.idempotencyKey !== 'string') return null;
    if (!(Date.now() - Date.parse(draft.savedAt) < DRAFT_KEPT_MS)) return null;
    return draft;
  } catch {
    return null;
  }
}

function writeDraft(key: string, draft: FollowUpDraft): void {
  try {
    localStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the form still works, it just will not outlive the page.
  }
}

function forgetDraft(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing kept
  }
}
