// What the chosen measure does to the schedule, as the server computed it: before and after, in plain Thai.
import type { PreviewResponse } from '../../../server/contracts/liff.ts';
import { h } from '../dom.ts';
import { formatSatang, formatThaiDate } from '../format.ts';
import { card } from '../ui.ts';

const date = (value: string | null) => (value ? formatThaiDate(value) : '—');
const rate = (bp: number) => `${(bp / 100).toLocaleString('th-TH')}% ต่อปี`;

export function previewCard(preview: PreviewResponse): HTMLElement {
  if (!preview.changesSchedule) {
    return card(h('h3', null, 'ตารางผ่อนหลังเข้าร่วม'), ...preview.explanation.map((line) => h('p', null, line)));
  }
  const { before, after } = preview;
  const compare = (label: string, old: string, next: string) =>
    h('tr', null, h('th', { scope: 'row' }, label), h('td', { 'data-label': 'ตอนนี้' }, old), h('td', { class: 'new', 'data-label': 'ตารางใหม่' }, next));
  return card(
    h('h3', null, `ตารางผ่อนใหม่ถ้าเข้าร่วม "${preview.measureTitle}"`),
    h(
      'table',
      { class: 'compare', 'data-testid': 'preview' },
      h(
        'tbody',
        null,
        compare('ค่างวดปกติ', formatSatang(before.regularInstallment), formatSatang(after.regularInstallment)),
        preview.pause ? compare(`ช่วงพัก ${preview.pause.months} เดือน`, '—', preview.pause.paymentDuring === 0 ? 'ไม่ต้องจ่าย' : `${formatSatang(preview.pause.paymentDuring)}/งวด`) : null,
        compare('งวดสุดท้าย', date(before.lastDueOn), date(after.lastDueOn)),
        compare('จำนวนงวดที่เหลือ', `${before.remainingInstallments} งวด`, `${after.remainingInstallments} งวด`),
        compare('ดอกเบี้ย', rate(before.annualInterestBp), rate(after.annualInterestBp)),
        compare('ยอดที่ต้องชำระทั้งหมด', formatSatang(before.remainingTotal), formatSatang(after.remainingTotal)),
      ),
    ),
    h('ul', { class: 'explain' }, preview.explanation.map((line) => h('li', null, line))),
    preview.firstInstallments.length > 0
      ? h(
          'details',
          null,
          h('summary', null, 'ดูงวดแรก ๆ ของตารางใหม่'),
          h('ol', { class: 'installments' }, preview.firstInstallments.slice(0, 6).map((i) => h('li', { class: 'installment upcoming' }, h('span', { class: 'when' }, formatThaiDate(i.dueOn)), h('span', { class: 'amount' }, formatSatang(i.amount))))),
        )
      : null,
    h('p', { class: 'muted' }, 'ตัวเลขนี้คำนวณจากข้อมูล ณ วันนี้ ตารางจริงจะคำนวณอีกครั้งในวันที่คำขอได้รับอนุมัติ'),
  );
}
