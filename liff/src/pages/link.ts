// ผูกบัญชี: the one-time code from the officer, as in chat.
import { linkRequestSchema } from '../../../server/contracts/liff.ts';
import { api, ApiError } from '../api.ts';
import { h } from '../dom.ts';
import type { Page } from '../app-context.ts';
import { busy, button, card, field, notice, showFieldErrors } from '../ui.ts';

export const linkPage: Page = async (context) => {
  context.setTitle('ผูกบัญชี');
  const input = h('input', { type: 'text', inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 80, placeholder: '1234 5678', class: 'code-input' });
  const message = h('div');
  const submit = button('ผูกบัญชี', () => void send());
  const form = h(
    'form',
    { onSubmit: (event: Event) => (event.preventDefault(), void send()) },
    field('code', 'รหัสผูกบัญชี 8 หลัก', input, 'ขอรหัสได้จากพัฒนากรประจำตำบล หรือสำนักงานพัฒนาชุมชนอำเภอ'),
    submit,
  );

  async function send() {
    const parsed = linkRequestSchema.safeParse({ code: input.value });
    if (!parsed.success) {
      showFieldErrors(form, parsed.error.issues.map((issue) => ({ path: 'code', message: issue.message })));
      return;
    }
    showFieldErrors(form, []);
    try {
      const result = await busy(submit, 'กำลังตรวจสอบ…', () => api<{ linked: string; fullName: string }>('POST', '/api/liff/link', { body: parsed.data }));
      if (result.linked === 'officer') {
        message.replaceChildren(notice(`ผูกบัญชีเจ้าหน้าที่เรียบร้อยแล้วค่ะ สวัสดีคุณ${result.fullName} ท่านพิจารณาคำขอได้จากการ์ดในแชต`, 'success'));
        return;
      }
      await context.me(true);
      context.navigate('/liff/loans', { replace: true, flash: `ผูกบัญชีเรียบร้อยแล้วค่ะ สวัสดีคุณ${result.fullName}` });
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) showFieldErrors(form, error.errors);
      else message.replaceChildren(notice(error instanceof ApiError ? error.message : 'ผูกบัญชีไม่สำเร็จค่ะ กรุณาลองใหม่', 'error'));
    }
  }

  context.root.replaceChildren(
    card(
      h('p', { class: 'lead' }, 'ยินดีต้อนรับค่ะ ก่อนดูข้อมูลเงินกู้ กรุณาผูกบัญชี LINE กับข้อมูลของท่านก่อน'),
      h('p', null, 'กรอกรหัส 8 หลักที่ได้รับจากเจ้าหน้าที่ (ใช้ได้ครั้งเดียว ภายใน 7 วัน)'),
      form,
      message,
    ),
  );
  input.focus();
};
