// คำขอรอพิจารณา: the applications waiting for the officer's decision (at her level, or at one below it she stands in
// for), nearest deadline first; then those she sent on, waiting above her, with that level's deadline — what the card's link
// opens, as a list. Decisions are still taken from the card in chat.
import type { ApplicationsWaiting } from '../../../../server/contracts/officer.ts';
import { api } from '../../api.ts';
import { h } from '../../dom.ts';
import { formatInstantDay } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { notice } from '../../ui.ts';
import { section } from './parts.ts';

export const applicationsPage: Page = async (context) => {
  context.setTitle('คำขอรอพิจารณา');
  const waiting = await api<ApplicationsWaiting>('GET', '/api/liff/officer/applications');
  if (!waiting.level) {
    context.root.replaceChildren(notice('ระดับของท่านไม่ได้พิจารณาคำขอเข้าร่วมมาตรการค่ะ คำขอจะไปที่สำนักงานพัฒนาชุมชนอำเภอ', 'info'));
    return;
  }
  const row = (item: ApplicationsWaiting['items'][number], onwards: boolean) =>
    h(
      'a',
      { class: 'debtor-row', href: `/liff/review/${item.id}`, 'data-link': true },
      h(
        'span',
        { class: 'debtor-head' },
        h('strong', null, item.fullName),
        h('span', { class: `chip ${item.daysLeft < 0 ? 'late' : 'waiting'}` }, item.daysLeft < 0 ? `เลยกำหนด ${-item.daysLeft} วัน` : `เหลือ ${item.daysLeft} วัน`),
      ),
      h('span', { class: 'muted' }, item.area),
      h('span', null, `${item.measureTitle} · สัญญา ${item.contractNo}`),
      onwards
        ? h('small', { class: 'muted' }, `${item.statusLabel} · ภายใน ${formatInstantDay(item.deadlineAt)}`)
        : h('small', { class: 'muted' }, `ยื่น ${formatInstantDay(item.submittedAt)} · พิจารณาภายใน ${formatInstantDay(item.deadlineAt)}`),
      item.standsInFor ? h('small', { class: 'muted', 'data-testid': 'stands-in' }, `พิจารณาแทน${item.standsInFor} (ยังไม่มีเจ้าหน้าที่ระดับนั้น)`) : null,
    );
  context.root.replaceChildren(
    section(
      // Standing in for a level below, the list is hers, not her office's alone.
      waiting.items.some((item) => item.standsInFor) ? 'รอท่านพิจารณา' : `รอ${waiting.level}พิจารณา`,
      waiting.items.length,
      waiting.items.length === 0
        ? h('p', { class: 'muted empty' }, 'ไม่มีคำขอรอพิจารณาค่ะ')
        : h('div', { class: 'debtor-list', 'data-testid': 'applications' }, waiting.items.map((item) => row(item, false))),
    ),
    ...(waiting.onwards.length
      ? [section('ส่งต่อแล้ว รอผลจากระดับถัดไป', waiting.onwards.length, h('div', { class: 'debtor-list', 'data-testid': 'applications-onwards' }, waiting.onwards.map((item) => row(item, true))))]
      : []),
    notice('ส่งต่อ ขอเอกสารเพิ่ม หรือไม่อนุมัติ ได้จากปุ่มในการ์ดที่แชตค่ะ', 'info'),
  );
};
