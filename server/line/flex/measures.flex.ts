// The relief-measure catalogue as a carousel: the campaign first, then the restructuring forms, then how to join.
import type { ReliefMeasure } from '../../db/repos/measures.repo.ts';
import { box, bubble, bubblesMessage, separator, text, uriButton, ACCENT, MUTED, type FlexComponent } from './flex-parts.ts';
import type { LineMessage } from '../line-message.ts';

/** Each "สมัคร" opens the mini-app where it helps: a campaign's own form, else the measures with what she may apply for. */
export function measuresMessage(measures: ReliefMeasure[], liffUrl: string): LineMessage {
  const measuresPage = `${liffUrl}/measures`;
  const campaigns = measures.filter((m) => m.kind === 'campaign');
  const forms = measures.filter((m) => m.kind === 'restructuring_form');
  const bubbles: FlexComponent[] = campaigns.map((measure) =>
    bubble({
      header: box('vertical', [text('รณรงค์', { size: 'sm', color: '#FFFFFF' }), text(measure.title, { size: 'xl', weight: 'bold', color: '#FFFFFF' })], {
        backgroundColor: ACCENT,
        paddingAll: 'lg',
      }),
      body: box('vertical', [text(measure.summary, { size: 'md', weight: 'bold' }), text(measure.details, { size: 'md', color: MUTED, margin: 'md' })]),
      footer: box('vertical', [uriButton('สมัครเข้าร่วม', `${liffUrl}/apply?measure=${encodeURIComponent(measure.code)}`)]),
    }),
  );
  if (forms.length > 0) {
    const items = forms.flatMap((measure, index) => [
      ...(index > 0 ? [separator()] : []),
      text(`${index + 1}. ${measure.title}`, { size: 'md', weight: 'bold', margin: 'md' }),
      text(measure.summary, { size: 'sm', color: MUTED }),
    ]);
    bubbles.push(
      bubble({
        header: box('vertical', [text('รูปแบบการปรับโครงสร้างหนี้', { size: 'lg', weight: 'bold' })], { paddingAll: 'lg' }),
        body: box('vertical', items),
        footer: box('vertical', [uriButton('ดูรายละเอียดและสมัคร', measuresPage)]),
      }),
    );
  }
  bubbles.push(
    bubble({
      header: box('vertical', [text('ทำไมควรเข้าร่วมมาตรการ', { size: 'lg', weight: 'bold' })], { paddingAll: 'lg' }),
      body: box('vertical', [
        text('✅ แสดงตนเข้าร่วมมาตรการ ช่วยลดโอกาสถูกดำเนินคดี', { size: 'md' }),
        text('✅ ค่างวดเบาลง ผ่อนได้ตามกำลัง', { size: 'md', margin: 'md' }),
        text('✅ มีทีมพี่เลี้ยงช่วยแนะนำตั้งแต่ต้นจนจบ', { size: 'md', margin: 'md' }),
        text('สมัครผ่านแบบฟอร์มใน LINE ได้เลย สำนักงานพัฒนาชุมชนอำเภอจะตรวจสอบและส่งต่อจังหวัดและกรมการพัฒนาชุมชน ขั้นตอนละไม่เกิน 15 วัน', {
          size: 'sm',
          color: MUTED,
          margin: 'lg',
        }),
      ]),
      footer: box('vertical', [uriButton('สมัครเข้าร่วมมาตรการ', measuresPage)]),
    }),
  );
  const altText = `มาตรการช่วยเหลือลูกหนี้: ${measures.map((m) => m.title).join(', ')}`;
  return bubblesMessage(altText, bubbles);
}
