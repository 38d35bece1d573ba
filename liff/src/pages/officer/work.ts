// งานของฉันสัปดาห์นี้: a queue to work down between visits — follow-ups due, promises not kept, debtors reaching
// 30/60/90 days past due, applications waiting for a decision.
import type { WorkQueue } from '../../../../server/contracts/officer.ts';
import { api } from '../../api.ts';
import { h, replace } from '../../dom.ts';
import { formatThaiDate } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { linkButton, notice } from '../../ui.ts';
import { debtorRow, section } from './parts.ts';

export const workPage: Page = async (context) => {
  context.setTitle('งานของฉัน');
  const [me, work, slips] = await Promise.all([
    context.officer(),
    api<WorkQueue>('GET', '/api/liff/officer/work'),
    api<{ count: number }>('GET', '/api/liff/officer/slips/waiting').catch(() => ({ count: 0 })),
  ]);
  const empty = (text: string) => h('p', { class: 'muted empty' }, text);
  const nothing = work.followUpsDue.length + work.brokenPromises.length + work.crossingThresholds.length === 0 && work.applicationsWaiting === 0 && work.overdueUnplanned === 0;
  replace(
    context.root,
    ...(context.flash ? [notice(context.flash, 'success')] : []),
    h('p', { class: 'intro muted' }, `คุณ${me.fullName} · ${me.area}`, h('br'), `สัปดาห์ ${formatThaiDate(work.week.start)} – ${formatThaiDate(work.week.end)}`),
    nothing && slips.count === 0 ? notice('สัปดาห์นี้ไม่มีงานค้างค่ะ 🎉 ดูรายชื่อลูกหนี้ทั้งหมดได้ที่แท็บ "ลูกหนี้"', 'success') : null,
    slips.count > 0 && me.can.recordPayments
      ? section('สลิปที่ผู้กู้ส่งมา รอตรวจ', slips.count, h('p', { class: 'muted' }, 'ผู้กู้โอนเงินแล้วส่งสลิปทาง LINE ตรวจแล้วบันทึกรับชำระ เพื่อไม่ให้ระบบเตือนผู้กู้ว่าค้างชำระ'), linkButton('เปิดสลิปรอตรวจ', '/liff/officer/slips', 'primary'))
      : null,
    section(
      'ต้องติดตาม',
      work.followUpsDue.length,
      work.followUpsDue.length ? h('div', { class: 'debtor-list', 'data-testid': 'work-follow-ups' }, work.followUpsDue.map((item) => debtorRow(item))) : empty('ไม่มีนัดติดตามในสัปดาห์นี้'),
    ),
    work.overdueUnplanned > 0
      ? section(
          'ค้างชำระ ยังไม่ได้นัดติดตาม',
          work.overdueUnplanned,
          h('p', { class: 'muted' }, 'ลูกหนี้ค้างชำระที่ยังไม่มีใครนัดติดตามครั้งถัดไป นัดเยี่ยมหรือโทรแล้วใส่ "นัดติดตามครั้งถัดไป" ไว้ จะขึ้นในรายการต้องติดตาม'),
          linkButton(`ดูรายชื่อ ${work.overdueUnplanned.toLocaleString('th-TH')} ราย`, '/liff/officer/debtors?planned=none', 'secondary'),
        )
      : null,
    section(
      'ผิดนัดชำระตามที่ตกลง',
      work.brokenPromises.length,
      work.brokenPromises.length ? h('div', { class: 'debtor-list', 'data-testid': 'work-promises' }, work.brokenPromises.map((item) => debtorRow(item))) : empty('ไม่มีลูกหนี้ผิดนัดชำระตามที่ตกลง'),
    ),
    section(
      'ค้างชำระครบ 30 / 60 / 90 วัน',
      work.crossingTotal,
      work.crossingThresholds.length
        ? h('div', { class: 'debtor-list', 'data-testid': 'work-crossing' }, work.crossingThresholds.map((item) => debtorRow(item)))
        : empty('ไม่มีลูกหนี้ที่ค้างชำระครบ 30, 60 หรือ 90 วันในสัปดาห์นี้'),
      work.crossingTotal > work.crossingThresholds.length ? linkButton(`ดูทั้งหมด ${work.crossingTotal.toLocaleString('th-TH')} ราย`, '/liff/officer/debtors?colour=red', 'secondary') : null,
    ),
    me.can.reviewApplications
      ? section(
          'คำขอเข้าร่วมมาตรการรอท่านพิจารณา',
          work.applicationsWaiting,
          work.applicationsWaiting > 0 ? linkButton('เปิดรายการคำขอ', '/liff/officer/applications', 'secondary') : empty('ไม่มีคำขอรอพิจารณา'),
        )
      : null,
  );
};
