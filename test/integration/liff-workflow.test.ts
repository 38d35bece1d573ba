// The application's journey after the mini-app: district → province → department through the officers' card
// buttons in LINE, a reason asked for in chat on rejection, documents asked back, deadlines, and the approval's
// effect on the schedule.
import { enrollmentDecisionData } from '../../server/line/postback.ts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentsResponseSchema, meResponseSchema, officerEnrollmentViewSchema } from '../../server/contracts/liff.ts';
import { insertEnrollment, insertTransition, listOverdueEnrollmentDeadlines } from '../../server/db/repos/enrollments.repo.ts';
import { createEventHandler } from '../../server/line/event-handler.ts';
import { createLineClient } from '../../server/line/line-messenger.ts';
import { createConversationService } from '../../server/services/conversation.service.ts';
import { createReviewService } from '../../server/services/enrollment-review.service.ts';
import { loadReminderPolicy } from '../../server/content/reminder-policy.ts';
import { remindOverdueEnrollmentDeadlines } from '../../server/services/enrollment-deadlines.service.ts';
import { registryCsv, registryRow, validNationalId } from '../support/registry.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { call, idTokenFor, JPEG_BYTES, lastCardButtons, lastQuickReplies, pushedTo } from './liff-support.ts';
import { applicationsWaitingSchema } from '../../server/contracts/officer.ts';

let t: TestApp;
const borrowers: Record<string, string> = {};
const officers: Record<string, string> = {};
const inBangPhra = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
const wf1NationalId = validNationalId(661_001);

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([
    { ...inBangPhra, contract_no: 'WF-1', national_id: wf1NationalId, full_name: 'มาลี ทองคำ', paid_total: '3,000' },
    { ...inBangPhra, contract_no: 'WF-2', full_name: 'บุญมี ศรีสุข', paid_total: '1,000' },
    { ...inBangPhra, contract_no: 'WF-3', full_name: 'ประไพ แก้วมณี', paid_total: '2,000' },
    { ...inBangPhra, contract_no: 'WF-4', full_name: 'สุดา พรหมมา', paid_total: '0' },
  ]);
  borrowers.mali = await t.linkBorrower('WF-1', 'มาลี ทองคำ');
  borrowers.boonmee = await t.linkBorrower('WF-2', 'บุญมี ศรีสุข');
  borrowers.prapai = await t.linkBorrower('WF-3', 'ประไพ แก้วมณี');
  borrowers.suda = await t.linkBorrower('WF-4', 'สุดา พรหมมา');
  officers.tambon = await t.linkOfficer({ name: 'กาญจนา', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
  officers.district = await t.linkOfficer({ name: 'วิชัย', role: 'district', area: 'ตราด/เมืองตราด' });
  await t.importLoans([{ province: 'ตราด', district: 'คลองใหญ่', subdistrict: 'หาดเล็ก', contract_no: 'WF-KY', full_name: 'คนคลองใหญ่' }]);
  officers.otherDistrict = await t.linkOfficer({ name: 'อัมพร', role: 'district', area: 'ตราด/คลองใหญ่' });
  officers.province = await t.linkOfficer({ name: 'พรทิพย์', role: 'province', area: 'ตราด' });
  officers.department = await t.linkOfficer({ name: 'สมชาย', role: 'department' });
});
afterAll(async () => {
  await t?.close();
});

async function apply(borrower: string, body: Record<string, unknown>, key: string): Promise<number> {
  const token = idTokenFor(t, borrower);
  const upload = await call(t, 'POST', '/api/liff/documents', { token, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } });
  const answer = await call(t, 'POST', '/api/liff/enrollments', {
    token,
    headers: { 'idempotency-key': key },
    body: { reason: 'รายได้ลดลงเพราะเจ็บป่วย', reasonCode: 'illness', phone: '0812345678', consent: true, documentIds: [upload.body.id], ...body },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

/** Taps a postback button as the officer and returns what the bot replied. */
async function tap(user: string, data: string): Promise<string[]> {
  const before = t.fake.messagesTo(user).length;
  await t.deliver([t.fake.postbackEvent(user, data)]);
  return t.fake.textsTo(user).slice(before);
}

async function state(id: number) {
  return t.context.db.selectFrom('enrollments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function transitionsOf(id: number) {
  return t.context.db.selectFrom('enrollment_transitions').selectAll().where('enrollment_id', '=', id).orderBy('id').execute();
}

describe('district → province → department → approved', () => {
  let id: number;

  it('sends the district officer of the borrower’s district a card with exactly its three buttons', async () => {
    id = await apply(borrowers.mali!, { contractNo: 'WF-1', measureCode: 'term_extension' }, 'wf-approve-0001');
    const buttons = (await lastCardButtons(t, officers.district!));
    expect([...buttons.keys()]).toEqual(['ส่งต่อจังหวัด', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
    const card = JSON.stringify((await pushedTo(t, officers.district!)).at(-1)!.message);
    expect(card).toContain(`คำขอ #${id}`);
    expect(card).toContain('คุณมาลี ทองคำ');
    expect(card).not.toContain(wf1NationalId);
    expect(card).toMatch(/\d-xxxx-xxxxx-\d\d-\d/);
    expect(card).toContain('8 ธ.ค. 2569'); // 15 days from 23 Nov
    // The tambon officer is told it was filed, for information: no decision buttons.
    const tambon = await pushedTo(t, officers.tambon!);
    expect(tambon).toHaveLength(1);
    expect(String(tambon[0]!.message.altText)).toContain(`ลูกหนี้ในตำบลของท่านยื่นคำขอ #${id}`);
    expect(await lastCardButtons(t, officers.tambon!)).toEqual(new Map());
    // Its one button opens her debtor's page, which she may see and which shows the application — not the review
    // page, which is for the levels that decide and refused her.
    const button = JSON.stringify(tambon[0]!.message).match(/"uri":"([^"]+)"/)![1]!;
    const borrowerId = Number(button.match(/\/officer\/debtors\/(\d+)$/)![1]);
    const page = await call(t, 'GET', `/api/liff/officer/debtors/${borrowerId}`, { token: idTokenFor(t, officers.tambon!) });
    expect(page.status).toBe(200);
    expect(page.body.timeline).toContainEqual(expect.objectContaining({ type: 'application', id }));
    expect((await pushedTo(t, officers.otherDistrict!))).toHaveLength(0);
    expect((await pushedTo(t, officers.province!))).toHaveLength(0);
  });

  it('refuses an officer outside the area politely, changing nothing', async () => {
    const forward = (await lastCardButtons(t, officers.district!)).get('ส่งต่อจังหวัด')!;
    const [answer] = await tap(officers.otherDistrict!, forward);
    expect(answer).toContain('อยู่นอกพื้นที่');
    expect((await state(id)).status).toBe('district_review');
    const [asProvince] = await tap(officers.province!, forward);
    expect(asProvince).toContain('อยู่นอกพื้นที่หรือระดับ');
  });

  it('moves to the province on ส่งต่อจังหวัด, with 15 fresh days and the borrower told in Thai', async () => {
    t.clock.advanceMinutes(60 * 24);
    const [answer] = await tap(officers.district!, (await lastCardButtons(t, officers.district!)).get('ส่งต่อจังหวัด')!);
    // 10:00 on a Tuesday in Bangkok: inside the contact hours, so the borrower is told at once — and the officer is told so.
    // With the province's deadline, so the district knows when to ask after it.
    expect(answer).toBe(`ส่งต่อคำขอ #${id} ไปยังสำนักงานพัฒนาชุมชนจังหวัดแล้วค่ะ ✅ สำนักงานพัฒนาชุมชนจังหวัดพิจารณาภายใน 9 ธ.ค. 2569\nระบบแจ้งผู้กู้ให้ทราบทันที`);
    const row = await state(id);
    expect(row).toMatchObject({ status: 'province_review', awaiting_level: 'province', version: 2 });
    expect(row.deadline_at!.toISOString()).toBe('2026-12-09T03:00:00.000Z');
    // His list no longer asks him to decide it, and shows it sent on, waiting at the province until its deadline.
    const list = applicationsWaitingSchema.parse((await call(t, 'GET', '/api/liff/officer/applications', { token: idTokenFor(t, officers.district!) })).body);
    expect(list.items.map((i) => i.id)).not.toContain(id);
    expect(list.onwards).toEqual([expect.objectContaining({ id, statusLabel: 'รอสำนักงานพัฒนาชุมชนจังหวัดพิจารณา', deadlineAt: '2026-12-09T03:00:00.000Z', standsInFor: null })]);
    expect((await pushedTo(t, borrowers.mali!)).at(-1)!.message.altText).toContain('ผ่านการพิจารณาของอำเภอแล้วค่ะ');
    expect([...(await lastCardButtons(t, officers.province!)).keys()]).toEqual(['ส่งต่อกรม', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
  });

  it('answers a stale button politely and changes nothing', async () => {
    const transitions = (await transitionsOf(id)).length;
    const [answer] = await tap(officers.district!, (await lastCardButtons(t, officers.district!)).get('ไม่อนุมัติ')!);
    expect(answer).toContain('ได้รับการดำเนินการไปแล้วค่ะ');
    expect(answer).toContain('รอสำนักงานพัฒนาชุมชนจังหวัดพิจารณา');
    expect(await state(id)).toMatchObject({ status: 'province_review', version: 2 });
    expect(await transitionsOf(id)).toHaveLength(transitions);
  });

  it('moves to the department on ส่งต่อกรม, and the department officer approves', async () => {
    const [forwarded] = await tap(officers.province!, (await lastCardButtons(t, officers.province!)).get('ส่งต่อกรม')!);
    expect(forwarded).toContain('กรมการพัฒนาชุมชนแล้วค่ะ');
    const buttons = (await lastCardButtons(t, officers.department!));
    expect([...buttons.keys()]).toEqual(['อนุมัติ', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
    t.clock.advanceMinutes(60 * 24);
    // อนุมัติ cannot be taken back: it is asked once more, naming whom and what it approves; nothing changes yet.
    const [asked] = await tap(officers.department!, buttons.get('อนุมัติ')!);
    expect(asked).toContain(`ยืนยันอนุมัติคำขอ #${id} ของคุณ`);
    expect(asked).toContain('(สัญญา WF-1) เข้ามาตรการ "');
    expect(asked).toContain('ยกเลิกภายหลังไม่ได้');
    const question = lastQuickReplies(t, officers.department!);
    expect([...question.keys()]).toEqual(['ยืนยันอนุมัติ', 'ยังไม่อนุมัติ']);
    expect(await state(id)).toMatchObject({ status: 'department_review' });
    // "Not yet": nothing changes.
    const [held] = await tap(officers.department!, question.get('ยังไม่อนุมัติ')!);
    expect(held).toBe(`ยังไม่ได้อนุมัติค่ะ คำขอ #${id} ยังรอการพิจารณาของท่านเหมือนเดิม ไม่มีอะไรเปลี่ยน`);
    expect(await state(id)).toMatchObject({ status: 'department_review' });
    // She thinks again and taps ยืนยันอนุมัติ on the question: the application has not changed, so it holds.
    const confirm = question.get('ยืนยันอนุมัติ')!;
    const [approved] = await tap(officers.department!, confirm);
    expect(approved).toBe(`อนุมัติคำขอ #${id} แล้วค่ะ ✅ ระบบปรับตารางผ่อนของสัญญา WF-1 แล้ว ระบบแจ้งผู้กู้ให้ทราบทันที`);
    expect(await state(id)).toMatchObject({ status: 'approved', awaiting_level: null, deadline_at: null });
    // A second tap on the confirmation changes nothing: at once (a double tap) it is answered once; later it says so.
    expect(await tap(officers.department!, confirm)).toEqual([]);
    const before = t.fake.messagesTo(officers.department!).length;
    await t.deliver([{ ...t.fake.postbackEvent(officers.department!, confirm), timestamp: Date.now() + 10_000 }]);
    const [again] = t.fake.textsTo(officers.department!).slice(before);
    expect(again).toContain('ได้รับการดำเนินการไปแล้วค่ะ');
    expect(await t.context.db.selectFrom('loan_measures').select('id').where('enrollment_id', '=', id).execute()).toHaveLength(1);
  });

  it('makes the debtor เข้าร่วมมาตรการ with the restructured schedule, keeping what was paid', async () => {
    const measures = await t.context.db.selectFrom('loan_measures').selectAll().where('enrollment_id', '=', id).execute();
    expect(measures).toEqual([expect.objectContaining({ measure_code: 'term_extension', starts_on: '2026-11-25', ends_on: '2029-12-15' })]);
    const me = meResponseSchema.parse((await call(t, 'GET', '/api/liff/me', { token: idTokenFor(t, borrowers.mali!) })).body);
    expect(me.borrower).toMatchObject({ status: 'in_measure', statusLabel: 'อยู่ในมาตรการช่วยเหลือ', colour: '#E0A800' });
    const loan = me.loans[0]!;
    expect(loan).toMatchObject({ status: 'in_measure', restructured: true, activeMeasure: { code: 'term_extension' }, overdue: 0, outstandingTotal: 900_000 });
    expect(loan.installments).toHaveLength(3 + 37);
    expect(loan.installments.slice(0, 3).every((i) => i.state === 'paid')).toBe(true);
    expect(loan.installments[3]).toMatchObject({ dueOn: '2026-12-15', amount: 24_324, paid: 0, state: 'upcoming' });
    const approval = (await pushedTo(t, borrowers.mali!)).at(-1)!.message;
    expect(approval.altText).toContain('ยินดีด้วยค่ะ คำขอได้รับอนุมัติแล้ว');
    expect(approval.altText).toContain('ค่างวดใหม่ ฿243.24');
    // Months behind until the new schedule began: not thanked for paying on time.
    const [intro] = await t.say(borrowers.mali!, 'ยอดหนี้');
    expect(intro).toContain('อยู่ในมาตรการ "');
    expect(intro).not.toContain('ตรงเวลา');
  });

  it('audits every step: who, when, from, to', async () => {
    const audit = await t.context.db.selectFrom('audit_log').selectAll().where('subject', '=', `enrollment:${id}`).orderBy('id').execute();
    const steps = audit.filter((row) => row.action === 'enrollment.submit' || row.action === 'enrollment.transition');
    expect(steps.map((row) => [row.actor.split(':')[0], (row.details as { from: string | null }).from, (row.details as { to: string }).to])).toEqual([
      ['borrower', null, 'district_review'],
      ['officer', 'district_review', 'province_review'],
      ['officer', 'province_review', 'department_review'],
      ['officer', 'department_review', 'approved'],
    ]);
    expect(steps.every((row) => row.occurred_at instanceof Date)).toBe(true);
    const history = enrollmentsResponseSchema.parse((await call(t, 'GET', '/api/liff/enrollments', { token: idTokenFor(t, borrowers.mali!) })).body)[0]!.history;
    expect(history.map((h) => h.toStatus)).toEqual(['district_review', 'province_review', 'department_review', 'approved']);
    expect(
      await t.context.db.selectFrom('audit_log').select('action').where('subject', 'like', 'loan:%').where('action', '=', 'loan.measure_applied').execute(),
    ).toHaveLength(1);
  });

  it('keeps the restructured schedule on the next registry import and applies the new paid total oldest first', async () => {
    const result = await t.context.services.registry.importCsv(
      registryCsv([registryRow({ ...inBangPhra, contract_no: 'WF-1', national_id: wf1NationalId, full_name: 'มาลี ทองคำ', paid_total: '3,243.24' })]),
      { actor: 'test', fileName: 'next.csv', at: t.clock.now() },
    );
    expect(result.ok).toBe(true);
    const me = meResponseSchema.parse((await call(t, 'GET', '/api/liff/me', { token: idTokenFor(t, borrowers.mali!) })).body);
    expect(me.loans[0]!.installments).toHaveLength(40);
    expect(me.loans[0]!.installments[3]).toMatchObject({ amount: 24_324, paid: 24_324, state: 'paid' });
    expect(me.loans[0]!.installments[4]).toMatchObject({ paid: 0 });
  });
});

describe('ไม่อนุมัติ is deliberate: a reason chosen or typed, shown back, confirmed, and takeable back for 10 minutes', () => {
  let id: number;

  it('offers reasons to choose, or to type one, and changes nothing yet', async () => {
    id = await apply(borrowers.boonmee!, { contractNo: 'WF-2', measureCode: 'principal_pause' }, 'wf-reject-0001');
    const [answer] = await tap(officers.district!, (await lastCardButtons(t, officers.district!)).get('ไม่อนุมัติ')!);
    expect(answer).toContain(`ไม่อนุมัติคำขอ #${id} ของคุณบุญมี ศรีสุข`);
    const choices = [...lastQuickReplies(t, officers.district!).keys()];
    expect(choices).toEqual(['เอกสารไม่ครบ', 'ข้อมูลไม่ตรงทะเบียน', 'ไม่เข้าเงื่อนไข', 'ติดต่อผู้กู้ไม่ได้', 'ผู้กู้ขอยกเลิก', 'พิมพ์เหตุผลเอง', 'ยกเลิก']);
    // The officer menu is not under the question: a tap on สรุปพื้นที่ there was taken as the reason "สรุป".
    expect(choices).not.toContain('สรุปพื้นที่');
    expect((await state(id)).status).toBe('district_review');
    const pending = await t.context.db.selectFrom('enrollment_reason_requests').selectAll().execute();
    expect(pending).toEqual([expect.objectContaining({ line_user_id: officers.district, enrollment_id: id, version: 1, decision: 'reject', stage: 'choose' })]);
  });

  it('does not swallow a command or a debtor’s name: they are answered, and the question is asked again', async () => {
    const summary = await t.say(officers.district!, 'สรุป');
    expect(summary.join('\n')).toContain('สรุปลูกหนี้');
    expect(summary.at(-1)).toContain(`ยังรอท่านยืนยันการไม่อนุมัติคำขอ #${id}`);
    const lookup = await t.say(officers.district!, 'มาลี');
    expect(lookup.join('\n')).toContain('มาลี ทองคำ');
    expect(lastQuickReplies(t, officers.district!).has('พิมพ์เหตุผลเอง')).toBe(true);
    expect(await state(id)).toMatchObject({ status: 'district_review', version: 1 });
  });

  it('shows a typed reason back and waits for the confirmation, even when another replica takes the message', async () => {
    // A second replica: its own event handler, nothing shared with the first but the database.
    const deps = { db: t.context.db, cipher: t.context.cipher, clock: t.clock, log: pino({ level: 'silent' }), policy: loadReminderPolicy() };
    const otherReplica = createEventHandler({
      conversation: createConversationService(deps),
      review: createReviewService(deps),
      client: createLineClient({ channelAccessToken: t.fake.channelAccessToken, apiBaseUrl: t.fake.url }),
      log: deps.log,
      liffUrl: t.context.liffUrl,
    });
    const before = t.fake.messagesTo(officers.district!).length;
    await otherReplica(t.fake.textEvent(officers.district!, 'เอกสารไม่ครบถ้วน ขาดสำเนาทะเบียนบ้าน'));
    const [answer] = t.fake.textsTo(officers.district!).slice(before);
    expect(answer).toContain(`ยืนยันไม่อนุมัติคำขอ #${id} ด้วยเหตุผลนี้ไหมคะ?`);
    expect(answer).toContain('เอกสารไม่ครบถ้วน ขาดสำเนาทะเบียนบ้าน');
    expect([...lastQuickReplies(t, officers.district!).keys()]).toEqual(['ยืนยันไม่อนุมัติ', 'แก้เหตุผล', 'ยกเลิก']);
    expect(await state(id)).toMatchObject({ status: 'district_review', version: 1 });
  });

  it('rejects on confirmation, and tells the borrower only once the 10 minutes to take it back have passed', async () => {
    const borrowerBefore = (await pushedTo(t, borrowers.boonmee!)).length;
    const confirm = lastQuickReplies(t, officers.district!).get('ยืนยันไม่อนุมัติ')!;
    const [answer] = await tap(officers.district!, confirm);
    expect(answer).toContain(`บันทึกการไม่อนุมัติคำขอ #${id} แล้วค่ะ`);
    // Tapped twice at once (found in a trial on a slow phone): the second tap is not told "the question expired".
    expect(await tap(officers.district!, confirm)).toEqual([]);
    // 10:00 + 10 minutes (the clock stands at 24 Nov 10:00 Bangkok).
    expect(answer).toContain('ระบบจะแจ้งผู้กู้เวลา 10.10 น.');
    expect([...lastQuickReplies(t, officers.district!).keys()]).toEqual(['ยกเลิกการไม่อนุมัติ']);
    expect(await state(id)).toMatchObject({ status: 'rejected', decision_note: 'เอกสารไม่ครบถ้วน ขาดสำเนาทะเบียนบ้าน' });
    expect(await pushedTo(t, borrowers.boonmee!)).toHaveLength(borrowerBefore);
    t.clock.advanceMinutes(11);
    const told = (await pushedTo(t, borrowers.boonmee!)).at(-1)!.message.altText as string;
    expect(told).toContain('คำขอไม่ได้รับอนุมัติค่ะ');
    expect(told).toContain('เหตุผล: เอกสารไม่ครบถ้วน ขาดสำเนาทะเบียนบ้าน');
    expect(await t.context.db.selectFrom('enrollment_reason_requests').selectAll().execute()).toEqual([]);
    // Too late to take it back now.
    const [late] = await tap(officers.district!, t.fake.messagesTo(officers.district!).flatMap((m) => ((m.message.quickReply as { items?: Array<{ action: { label: string; data: string } }> })?.items ?? [])).find((i) => i.action.label === 'ยกเลิกการไม่อนุมัติ')!.action.data);
    expect(late).toContain('ไม่ได้แล้วค่ะ');
    expect((await state(id)).status).toBe('rejected');
  });

  it('can be taken back within 10 minutes: back to the district with its old deadline, and the borrower never hears', async () => {
    const next = await apply(borrowers.boonmee!, { contractNo: 'WF-2', measureCode: 'principal_pause' }, 'wf-reject-0002');
    const deadline = (await state(next)).deadline_at!;
    await tap(officers.district!, (await lastCardButtons(t, officers.district!)).get('ไม่อนุมัติ')!);
    await tap(officers.district!, lastQuickReplies(t, officers.district!).get('เอกสารไม่ครบ')!);
    await tap(officers.district!, lastQuickReplies(t, officers.district!).get('ยืนยันไม่อนุมัติ')!);
    expect((await state(next)).status).toBe('rejected');
    const borrowerBefore = (await pushedTo(t, borrowers.boonmee!)).length;
    t.clock.advanceMinutes(5);
    const [undone] = await tap(officers.district!, lastQuickReplies(t, officers.district!).get('ยกเลิกการไม่อนุมัติ')!);
    expect(undone).toContain(`ยกเลิกการไม่อนุมัติคำขอ #${next} แล้วค่ะ`);
    const row = await state(next);
    expect(row).toMatchObject({ status: 'district_review', awaiting_level: 'district', decided_at: null, decision_note: null, undo_until: null });
    expect(row.deadline_at).toEqual(deadline);
    t.clock.advanceMinutes(30);
    expect(await pushedTo(t, borrowers.boonmee!)).toHaveLength(borrowerBefore);
    // The officer gets the card again, for the application as it is now.
    expect([...(await lastCardButtons(t, officers.district!)).keys()]).toEqual(['ส่งต่อจังหวัด', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
    const transitions = await transitionsOf(next);
    expect(transitions.map((tr) => tr.to_status)).toEqual(['district_review', 'rejected', 'district_review']);
  });

  it('can be cancelled before it is confirmed: nothing changes', async () => {
    const id3 = (await t.context.db.selectFrom('enrollments').select('id').where('status', '=', 'district_review').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    await tap(officers.district!, (await lastCardButtons(t, officers.district!)).get('ไม่อนุมัติ')!);
    const [answer] = await tap(officers.district!, lastQuickReplies(t, officers.district!).get('ยกเลิก')!);
    expect(answer).toContain(`ยกเลิกแล้วค่ะ คำขอ #${id3} ยังรอการพิจารณาของท่านเหมือนเดิม`);
    expect((await state(id3)).status).toBe('district_review');
    const answers = await t.say(officers.district!, 'ข้อมูลไม่ครบค่ะ');
    expect(answers.join('\n')).not.toContain('ยืนยันไม่อนุมัติ');
    expect((await state(id3)).status).toBe('district_review');
  });
});

describe('ขอเอกสารเพิ่ม says exactly which documents, and returns to the level that asked', () => {
  let id: number;

  it('lets the officer tick documents (and type another), then tells the borrower exactly those', async () => {
    id = await apply(borrowers.prapai!, { contractNo: 'WF-3', measureCode: 'rate_reduction' }, 'wf-docs-0001');
    await tap(officers.district!, (await lastCardButtons(t, officers.district!)).get('ส่งต่อจังหวัด')!);
    const [asked] = await tap(officers.province!, (await lastCardButtons(t, officers.province!)).get('ขอเอกสารเพิ่ม')!);
    expect(asked).toContain(`ขอเอกสารเพิ่มสำหรับคำขอ #${id}`);
    expect([...lastQuickReplies(t, officers.province!).keys()]).toEqual(['บัตรประชาชน', 'ทะเบียนบ้าน', 'หลักฐานรายได้', 'ใบรับรองแพทย์', 'หนังสือรับรองภัย', 'อื่น ๆ (พิมพ์เอง)', 'ยกเลิก']);
    await tap(officers.province!, lastQuickReplies(t, officers.province!).get('ทะเบียนบ้าน')!);
    await tap(officers.province!, lastQuickReplies(t, officers.province!).get('หลักฐานรายได้')!);
    // A second tap takes one off again.
    const [afterToggle] = await tap(officers.province!, lastQuickReplies(t, officers.province!).get('✓ หลักฐานรายได้')!);
    expect(afterToggle).toContain('• สำเนาทะเบียนบ้าน');
    expect(afterToggle).not.toContain('หลักฐานรายได้ (');
    const [typeOther] = await tap(officers.province!, lastQuickReplies(t, officers.province!).get('อื่น ๆ (พิมพ์เอง)')!);
    expect(typeOther).toContain('พิมพ์ชื่อเอกสารอื่น');
    const [listed] = await t.say(officers.province!, 'หนังสือรับรองจากผู้ใหญ่บ้าน');
    expect(listed).toContain('• เอกสารอื่น: หนังสือรับรองจากผู้ใหญ่บ้าน');
    expect((await state(id)).status).toBe('province_review');
    const [answer] = await tap(officers.province!, lastQuickReplies(t, officers.province!).get('ส่งคำขอเอกสาร')!);
    expect(answer).toContain(`ขอเอกสารเพิ่มสำหรับคำขอ #${id} แล้วค่ะ`);
    expect(await state(id)).toMatchObject({ status: 'needs_documents', awaiting_level: null, return_level: 'province' });
    const told = String((await pushedTo(t, borrowers.prapai!)).at(-1)!.message.altText);
    expect(told).toContain('เจ้าหน้าที่ขอเอกสารเพิ่มเติมค่ะ');
    expect(told).toContain('• สำเนาทะเบียนบ้าน');
    expect(told).toContain('• เอกสารอื่น: หนังสือรับรองจากผู้ใหญ่บ้าน');
    const mine = enrollmentsResponseSchema.parse((await call(t, 'GET', '/api/liff/enrollments', { token: idTokenFor(t, borrowers.prapai!) })).body);
    expect(mine[0]).toMatchObject({ status: 'needs_documents', canResubmit: true, deadlineAt: null, requestedDocuments: ['สำเนาทะเบียนบ้าน', 'เอกสารอื่น: หนังสือรับรองจากผู้ใหญ่บ้าน'] });
    // Spoken to her, not about her: on the card she was sent, her applications page and its history.
    const card = JSON.stringify((await pushedTo(t, borrowers.prapai!)).at(-1)!.message);
    expect(card).toContain('รอท่านส่งเอกสารเพิ่มเติม');
    expect(card + JSON.stringify(mine[0])).not.toContain('รอผู้กู้');
    expect(mine[0]!.statusLabel).toBe('รอท่านส่งเอกสารเพิ่มเติม');
    expect(mine[0]!.history.at(-1)).toMatchObject({ toStatus: 'needs_documents', label: 'รอท่านส่งเอกสารเพิ่มเติม' });

    // She photographs the house registration and sends it in the chat: it is not filed as a payment slip, and she is
    // shown where it reaches her application.
    const slipsBefore = (await t.context.db.selectFrom('payment_slips').select('id').execute()).length;
    const before = t.fake.messagesTo(borrowers.prapai!).length;
    await t.deliver([t.fake.imageEvent(borrowers.prapai!, Buffer.from(JPEG_BYTES))]);
    const photoAnswer = JSON.stringify(t.fake.messagesTo(borrowers.prapai!).slice(before).map((m) => m.message));
    expect(photoAnswer).toContain(`ถ้าเป็นเอกสารที่เจ้าหน้าที่ขอสำหรับคำขอเลขที่ ${id} (สำเนาทะเบียนบ้าน, เอกสารอื่น: หนังสือรับรองจากผู้ใหญ่บ้าน)`);
    expect(photoAnswer).toContain('/applications');
    expect((await t.context.db.selectFrom('payment_slips').select('id').execute()).length).toBe(slipsBefore);
    // Asked in her own words, the chat names the documents and where to attach them.
    const [which] = await t.say(borrowers.prapai!, 'ต้องส่งเอกสารอะไรเพิ่มคะ');
    expect(which).toContain(`• คำขอเลขที่ ${id} "การปรับลดอัตราดอกเบี้ย": เจ้าหน้าที่ขอเอกสารเพิ่ม ได้แก่ สำเนาทะเบียนบ้าน, เอกสารอื่น: หนังสือรับรองจากผู้ใหญ่บ้าน`);
  });

  it('goes back to the province with fresh 15 days when the borrower sends them; the old card is stale', async () => {
    const oldButtons = (await lastCardButtons(t, officers.province!));
    t.clock.advanceMinutes(60 * 24 * 3);
    const token = idTokenFor(t, borrowers.prapai!);
    const upload = await call(t, 'POST', '/api/liff/documents', { token, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } });
    const answer = await call(t, 'POST', `/api/liff/enrollments/${id}/resubmit`, { token, body: { documentIds: [upload.body.id], note: 'แนบสำเนาทะเบียนบ้านแล้วค่ะ' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'province_review', awaitingLevel: 'province' });
    expect(answer.body.documents).toHaveLength(2);
    // Her data copy names the step as hers: she sent documents; she did not "review an application".
    const copy = await call(t, 'GET', '/api/liff/my-data', { token });
    expect(copy.body.accessLog).toContainEqual(expect.objectContaining({ who: 'ท่านเอง', what: 'ส่งเอกสารเพิ่มเติมของคำขอเข้าร่วมมาตรการ' }));
    const row = await state(id);
    expect(row.deadline_at!.getTime() - t.clock.now().getTime()).toBe(15 * 24 * 60 * 60 * 1000);
    const [stale] = await tap(officers.province!, oldButtons.get('ส่งต่อกรม')!);
    expect(stale).toContain('ได้รับการดำเนินการไปแล้ว');
    const card = JSON.stringify((await pushedTo(t, officers.province!)).at(-1)!.message);
    expect(card).toContain('คำขอที่ส่งเอกสารเพิ่มแล้ว');
    expect(card).toContain('เอกสารที่ขอไว้: สำเนาทะเบียนบ้าน');
    expect(card).toContain('ผู้กู้แจ้งมากับเอกสาร: แนบสำเนาทะเบียนบ้านแล้วค่ะ');
    const [forwarded] = await tap(officers.province!, (await lastCardButtons(t, officers.province!)).get('ส่งต่อกรม')!);
    expect(forwarded).toContain('ส่งต่อคำขอ');
    // The department's card still says what she wrote with them.
    expect(JSON.stringify((await pushedTo(t, officers.department!)).at(-1)!.message)).toContain('ผู้กู้แจ้งมากับเอกสาร: แนบสำเนาทะเบียนบ้านแล้วค่ะ');
  });
});

describe('officers viewing an application', () => {
  it('shows it to officers on its path, audited, and to nobody else', async () => {
    const [row] = await t.context.db.selectFrom('enrollments').select('id').where('loan_id', 'in', t.context.db.selectFrom('loans').select('id').where('contract_no', '=', 'WF-3')).execute();
    const view = await call(t, 'GET', `/api/liff/review/${row!.id}`, { token: idTokenFor(t, officers.province!) });
    expect(view.status).toBe(200);
    const parsed = officerEnrollmentViewSchema.parse(view.body);
    expect(parsed.borrower.fullName).toBe('ประไพ แก้วมณี');
    expect(parsed.documents).toHaveLength(2);
    const document = await fetch(`${t.url}/api/liff/documents/${parsed.documents[0]!.id}`, { headers: { authorization: `Bearer ${idTokenFor(t, officers.province!)}` } });
    expect(document.status).toBe(200);
    const audit = await t.context.db.selectFrom('audit_log').selectAll().where('subject', '=', `enrollment:${row!.id}`).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['enrollment.view', 'enrollment.document.view']));
    expect((await call(t, 'GET', `/api/liff/review/${row!.id}`, { token: idTokenFor(t, officers.otherDistrict!) })).status).toBe(404);
    expect((await call(t, 'GET', `/api/liff/review/${row!.id}`, { token: idTokenFor(t, borrowers.mali!) })).status).toBe(403);
    expect((await call(t, 'GET', `/api/liff/documents/${parsed.documents[0]!.id}`, { token: idTokenFor(t, officers.tambon!) })).status).toBe(403);
  });
});

describe('15-day deadlines', () => {
  it('lists applications waiting past their deadline, and reminds the officers of that level once a day', async () => {
    const id = await apply(borrowers.suda!, { contractNo: 'WF-4', measureCode: 'debt_suspension' }, 'wf-deadline-0001');
    const deadline = (await state(id)).deadline_at!;
    expect(await listOverdueEnrollmentDeadlines(t.context.db, t.clock.now())).not.toContainEqual(expect.objectContaining({ enrollmentId: id }));
    t.clock.set(new Date(deadline.getTime() + 60_000));
    const overdue = await listOverdueEnrollmentDeadlines(t.context.db, t.clock.now());
    expect(overdue).toContainEqual({ enrollmentId: id, status: 'district_review', deadlineAt: deadline, areaPath: 'ตราด/เมืองตราด/บางพระ', contractNo: 'WF-4' });

    const before = (await pushedTo(t, officers.district!)).length;
    await remindOverdueEnrollmentDeadlines(t.context.db, t.clock.now());
    const reminders = (await pushedTo(t, officers.district!)).slice(before).map((m) => String(m.message.altText));
    expect(reminders).toContainEqual(expect.stringContaining(`⏰ คำขอ #${id} (สัญญา WF-4) เลยกำหนด 15 วันของสำนักงานพัฒนาชุมชนอำเภอแล้ว`));
    expect((await pushedTo(t, officers.tambon!)).filter((m) => String(m.message.altText ?? m.message.text).startsWith('⏰'))).toHaveLength(0);

    const delivered = t.fake.delivered.length;
    await remindOverdueEnrollmentDeadlines(t.context.db, t.clock.now());
    expect(t.fake.delivered.length).toBe(delivered); // same day: the same retry keys, LINE delivers nothing twice
  });
});

describe('one measure at a time on a loan', () => {
  /** Taps an officer's decision on one application (by id, whatever card came last). */
  async function decide(officer: string, id: number, decision: 'forward' | 'approve'): Promise<string> {
    const [answer] = await tap(officer, enrollmentDecisionData(id, decision, (await state(id)).version));
    if (decision !== 'approve') return answer!;
    // อนุมัติ is asked once more: confirm it.
    const [confirmed] = await tap(officer, lastQuickReplies(t, officer).get('ยืนยันอนุมัติ')!);
    return confirmed!;
  }

  it('refuses to approve a second measure once the first made the loan เข้าร่วมมาตรการ, and changes nothing', async () => {
    await t.importLoans([{ ...inBangPhra, contract_no: 'WF-STACK', full_name: 'สองมาตรการ', paid_total: '0' }]);
    const borrower = await t.linkBorrower('WF-STACK', 'สองมาตรการ');
    const first = await apply(borrower, { contractNo: 'WF-STACK', measureCode: 'term_extension' }, 'stack-application-1');
    // A second is refused while the first is open (see liff-api); one sent before that rule, as it was stored then:
    const row = await state(first);
    const second = await t.context.db.transaction().execute(async (trx) => {
      const id = (await insertEnrollment(trx, {
        borrowerId: row.borrower_id, loanId: row.loan_id, measureCode: 'principal_pause', lineUserId: borrower, idempotencyKey: 'stack-application-2',
        status: 'district_review', awaitingLevel: 'district', deadlineAt: row.deadline_at!, reasonCode: null, reason: row.reason, phone: row.phone,
        monthlyIncome: null, monthlyExpenses: null, affordablePayment: null, consentVersion: row.consent_version, at: t.clock.now(),
      }))!;
      await insertTransition(trx, { enrollmentId: id, occurredAt: t.clock.now(), actor: `borrower:${row.borrower_id}`, fromStatus: null, toStatus: 'district_review', note: null });
      return id;
    });
    for (const id of [first, second]) {
      await decide(officers.district!, id, 'forward');
      await decide(officers.province!, id, 'forward');
    }
    expect(await decide(officers.department!, first, 'approve')).toContain('อนุมัติคำขอ');
    const schedule = await t.context.db.selectFrom('installments').select('seq').where('loan_id', 'in', t.context.db.selectFrom('loans').select('id').where('contract_no', '=', 'WF-STACK')).execute();
    const refused = await decide(officers.department!, second, 'approve');
    expect(refused).toContain(`ยังอนุมัติคำขอ #${second} ไม่ได้`);
    expect(await state(second)).toMatchObject({ status: 'department_review' });
    const measures = await t.context.db.selectFrom('loan_measures').select('measure_code').where('enrollment_id', 'in', [first, second]).execute();
    expect(measures.map((m) => m.measure_code)).toEqual(['term_extension']);
    const after = await t.context.db.selectFrom('installments').select('seq').where('loan_id', 'in', t.context.db.selectFrom('loans').select('id').where('contract_no', '=', 'WF-STACK')).execute();
    expect(after).toHaveLength(schedule.length);
  });
});

describe('news a later step has made untrue is not sent', () => {
  it('drops the night’s document request she answered before the morning, and still tells her what she did', async () => {
    await t.importLoans([{ ...inBangPhra, contract_no: 'WF-NIGHT', full_name: 'ราตรี ดึกดื่น', paid_total: '0' }]);
    const borrower = await t.linkBorrower('WF-NIGHT', 'ราตรี ดึกดื่น');
    t.clock.set('2026-12-20T20:00:00Z'); // 03:00 in Bangkok
    const id = await apply(borrower, { contractNo: 'WF-NIGHT', measureCode: 'term_extension' }, 'wf-night-0001');
    await tap(officers.district!, enrollmentDecisionData(id, 'request_documents', (await state(id)).version));
    await tap(officers.district!, lastQuickReplies(t, officers.district!).get('บัตรประชาชน')!);
    const [asked] = await tap(officers.district!, lastQuickReplies(t, officers.district!).get('ส่งคำขอเอกสาร')!);
    expect(asked).toContain('08.00 น.');
    const requestKey = `enrollment:${id}:to:needs_documents:v2:borrower:${(await state(id)).borrower_id}`;
    const waiting = () => t.context.db.selectFrom('outbound_messages').select(['status', 'outcome']).where('dedupe_key', '=', requestKey).executeTakeFirstOrThrow();
    expect(await waiting()).toMatchObject({ status: 'pending' });

    // She had the ID card ready and sent it at 03:10, from the application page.
    t.clock.advanceMinutes(10);
    const token = idTokenFor(t, borrower);
    const upload = await call(t, 'POST', '/api/liff/documents', { token, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } });
    expect((await call(t, 'POST', `/api/liff/enrollments/${id}/resubmit`, { token, body: { documentIds: [upload.body.id] } })).status).toBe(200);
    expect(await waiting()).toEqual({ status: 'cancelled', outcome: 'superseded' });

    // At 08:05 the queue goes out: she hears nothing more of a request she has answered.
    t.clock.set('2026-12-21T01:05:00Z');
    const before = t.fake.textsTo(borrower).length;
    await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
    expect(t.fake.textsTo(borrower).slice(before).join('\n')).not.toContain('ขอเอกสารเพิ่มเติม');
  });
});
