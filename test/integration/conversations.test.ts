// The moments real borrowers and officers hit in their first week (issue 8): what a borrower in a measure really
// owes, distress and the other everyday questions, applications from areas without officers, news at night, and a
// replica with SCHEDULER=off.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { validNationalId } from '../support/registry.ts';
import { fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { loanAggregatesInScope, findLoansByContract } from '../../server/db/repos/loans.repo.ts';
import { insertLoanMeasure } from '../../server/db/repos/restructuring.repo.ts';
import { loadDebtOverview } from '../../server/services/debt-overview.service.ts';
import pino from 'pino';
import { loadReminderPolicy } from '../../server/content/reminder-policy.ts';
import { createEventHandler } from '../../server/line/event-handler.ts';
import { createLineClient } from '../../server/line/line-messenger.ts';
import { createConversationService } from '../../server/services/conversation.service.ts';
import { createReviewService } from '../../server/services/enrollment-review.service.ts';
import { call, idTokenFor, JPEG_BYTES, lastCardButtons, lastQuickReplies, pushedTo } from './liff-support.ts';

let t: TestApp;
const bangPhra = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
const hatLek = { province: 'ตราด', district: 'คลองใหญ่', subdistrict: 'หาดเล็ก' };
const users: Record<string, string> = {};

// 24 monthly installments of ฿1,000 principal from 15 Jan 2026; 8 paid, so September to November are unpaid.
const behind = { principal: '24,000', annual_interest_rate: '0', installments: '24', first_due_on: '2026-01-15', paid_total: '8,000' };

beforeAll(async () => {
  // Monday 23 Nov 2026, 10:00 in Bangkok.
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([
    { ...bangPhra, ...behind, contract_no: 'CV-KEEP', full_name: 'จันทร์เพ็ญ รุ่งเรือง' },
    { ...bangPhra, ...behind, contract_no: 'CV-PAUSE', full_name: 'สมพร พักต้น', annual_interest_rate: '6' },
    { ...bangPhra, ...behind, contract_no: 'CV-LATE', full_name: 'มาลี ค้างนาน' },
    { ...bangPhra, contract_no: 'CV-OK', full_name: 'บุษบา ตรงเวลา', first_due_on: '2026-11-30', principal: '12,000', annual_interest_rate: '0' },
    { ...hatLek, ...behind, contract_no: 'CV-ORPHAN', full_name: 'คำปุน ไกลบ้าน' },
    { ...bangPhra, ...behind, contract_no: 'CV-NIGHT', full_name: 'ราตรี ยื่นดึก' },
  ]);
  // Recorded by the district office two months ago without a new schedule (as measures often are): her arrears
  // are held back, and ฿1,500 of what she paid came after it began.
  const loans = await findLoansByContract(t.context.db, ['CV-KEEP', 'CV-PAUSE']);
  await t.context.db.transaction().execute(async (trx) => {
    await insertLoanMeasure(trx, {
      loanId: loans.get('CV-KEEP')!.id, measureCode: 'keep_paying', startsOn: '2026-10-01', endsOn: '2027-09-30', enrollmentId: null, at: t.clock.now(),
      paidTotalAtStart: 650_000, principalOutstandingAtStart: 1_750_000,
    });
    await insertLoanMeasure(trx, {
      loanId: loans.get('CV-PAUSE')!.id, measureCode: 'principal_pause', startsOn: '2026-09-01', endsOn: '2027-08-31', enrollmentId: null, at: t.clock.now(),
      paidTotalAtStart: 800_000, principalOutstandingAtStart: 1_600_000,
    });
  });
  users.keep = await t.linkBorrower('CV-KEEP', 'จันทร์เพ็ญ');
  users.pause = await t.linkBorrower('CV-PAUSE', 'สมพร');
  users.late = await t.linkBorrower('CV-LATE', 'มาลี');
  users.ok = await t.linkBorrower('CV-OK', 'บุษบา');
  users.orphan = await t.linkBorrower('CV-ORPHAN', 'คำปุน');
  users.night = await t.linkBorrower('CV-NIGHT', 'ราตรี');
  users.tambon = await t.linkOfficer({ name: 'กาญจนา', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ', phone: '0812345601' });
  users.hatLekTambon = await t.linkOfficer({ name: 'อัมพร', role: 'tambon', area: 'ตราด/คลองใหญ่/หาดเล็ก' });
  users.district = await t.linkOfficer({ name: 'วิชัย', role: 'district', area: 'ตราด/เมืองตราด', phone: '0812345603' });
  // No district officer for คลองใหญ่: its applications must not go nowhere.
  users.province = await t.linkOfficer({ name: 'พรทิพย์', role: 'province', area: 'ตราด' });
  users.department = await t.linkOfficer({ name: 'สมชาย', role: 'department' });
  users.admin = await t.linkOfficer({ name: 'ผู้ดูแล', role: 'admin' });
});
afterAll(async () => {
  await t?.close();
});

const cardJson = (user: string) => JSON.stringify(t.fake.messagesTo(user).at(-1)!.message);

describe('what a borrower in a measure really owes (5)', () => {
  it('shows พักหนี้ไม่พักจ่าย as held back, not overdue, not late, not red, and not sent to apply again', async () => {
    const answers = await t.say(users.keep!, 'ยอดหนี้');
    expect(answers[0]).toContain('ขณะนี้หนี้ของท่านพักอยู่');
    expect(answers[0]).not.toContain('ค้างชำระ');
    const card = cardJson(users.keep!);
    expect(card).toContain('พักหนี้ถึง');
    expect(card).toContain('ยอดที่พักไว้');
    // September to November's arrears and every installment due until it ends (December to next September).
    expect(card).toContain('฿13,000.00');
    expect(card).not.toContain('ค้างชำระมาแล้ว');
    expect(card).not.toContain('#D32F2F');
    expect(card).not.toContain('สมัครมาตรการช่วยเหลือ');
    // ฿1,500 paid since it began went wholly to principal: ฿17,500 − ฿1,500.
    expect(card).toContain('จ่ายระหว่างพัก (ตัดเงินต้น)');
    expect(card).toContain('฿16,000.00');
  });

  it('asks only for the interest during a principal pause', async () => {
    const [answer] = await t.say(users.pause!, 'งวดหน้าเท่าไหร่คะ');
    expect(answer).toContain('(เฉพาะดอกเบี้ย ช่วงพักเงินต้น)');
    expect(answer).toContain('15 ธ.ค. 2569');
  });

  it('shows what is left to pay with the interest on the schedule, beside the principal', async () => {
    await t.say(users.pause!, 'ยอดหนี้');
    const card = cardJson(users.pause!);
    expect(card).toContain('ยอดที่ต้องชำระทั้งหมด');
    // ฿0 interest: the principal is all that is left, and the card does not say it twice.
    const [intro] = await t.say(users.ok!, 'ยอดหนี้');
    expect(cardJson(users.ok!)).not.toContain('ยอดที่ต้องชำระทั้งหมด');
    // Nothing overdue is not "paid on time": she may have caught up a month late.
    expect(intro).toContain('ตอนนี้ไม่มียอดค้างชำระค่ะ ขอบคุณที่ชำระนะคะ');
    expect(intro).not.toContain('ชำระตรงเวลา');
  });

  it('sends her no overdue reminder, and counts her arrears nowhere as overdue', async () => {
    const summary = await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    const rows = await t.context.db.selectFrom('outbound_messages').select(['dedupe_key', 'loan_id']).where('kind', 'like', 'borrower_overdue%').execute();
    const keepLoan = (await findLoansByContract(t.context.db, ['CV-KEEP'])).get('CV-KEEP')!.id;
    expect(rows.map((r) => r.loan_id)).not.toContain(keepLoan);
    expect(summary.planned).toBeDefined();
  });

  it('agrees with itself: the officers’ SQL aggregate and the borrower’s card say the same per loan', async () => {
    const today = '2026-11-23';
    const aggregates = await loanAggregatesInScope(t.context.db, 'ตราด/เมืองตราด', today);
    for (const contractNo of ['CV-KEEP', 'CV-PAUSE', 'CV-LATE', 'CV-OK']) {
      const loan = (await findLoansByContract(t.context.db, [contractNo])).get(contractNo)!;
      const borrowerId = (await t.context.db.selectFrom('loans').select('borrower_id').where('id', '=', loan.id).executeTakeFirstOrThrow()).borrower_id;
      const position = (await loadDebtOverview(t.context.db, borrowerId, today))!.loans[0]!.position;
      const aggregate = aggregates.find((a) => a.loanId === loan.id)!;
      expect({ contractNo, overdue: aggregate.overdue, outstanding: aggregate.outstandingTotal, oldest: aggregate.oldestUnpaidDueOn ?? undefined }).toEqual({
        contractNo,
        overdue: position.overdue,
        outstanding: position.outstandingTotal,
        oldest: position.oldestUnpaidDueOn,
      });
    }
  });
});

describe('distress and the other everyday questions (3)', () => {
  it.each([
    ['ช่วยด้วย ไม่มีเงินจ่าย', ['ไม่ต้องกังวลนะคะ', 'มาตรการช่วยเหลือลูกหนี้', 'เจ้าหน้าที่ที่ดูแลพื้นที่ของท่าน']],
    ['ขอเลื่อนจ่ายได้ไหมคะ', ['ไม่ต้องกังวลนะคะ', 'พักหนี้ไม่พักจ่าย']],
    ['ขอผ่อนได้ไหม', ['ไม่ต้องกังวลนะคะ']],
    ['ต้องจ่ายวันไหน', ['งวดถัดไปวันที่', 'ค้างชำระ ฿3,000.00']],
    ['ขอบคุณค่ะ', ['ยินดีค่ะ']],
    ['รับทราบค่ะ', ['มีอะไรให้ช่วยอีก']],
    ['ค่ะ', ['มีอะไรให้ช่วยอีก']],
    ['สวัสดีค่ะ', ['สวัสดีค่ะ คุณมาลี ค้างนาน']],
    ['โดนฟ้องแล้วทำไงดี', ['อย่าเพิกเฉยต่อนัดของศาล', 'เจ้าหน้าที่ที่ดูแลพื้นที่ของท่าน']],
    ['จ่ายแล้วค่ะ', ['ยอดที่ชำระจะแสดงในระบบ', 'CV-LATE', 'ถ่ายรูปสลิปส่งในแชตนี้ได้เลยค่ะ']],
    ['ส่งสลิปยังไงคะ', ['ถ่ายรูปสลิปส่งในแชตนี้ได้เลยค่ะ']],
    // The registry's paid total at the first import is what she paid before, not a payment made that day.
    ['ประวัติการจ่าย', ['การชำระล่าสุดที่บันทึกในระบบ', 'สัญญา CV-LATE ชำระมาแล้วก่อนหน้านี้รวม ฿8,000.00 (ยอดสะสมตามทะเบียนของกองทุน ณ 23 พ.ย. 2569)', 'ดูตารางผ่อนทุกงวด']],
  ])('answers “%s” usefully', async (phrase, expected) => {
    const answers = (await t.say(users.late!, phrase)).join('\n');
    for (const part of expected) expect(answers).toContain(part);
    expect(answers).not.toContain('ยังไม่เข้าใจ');
  });

  it('offers a borrower in distress only the measures she can still join', async () => {
    await t.say(users.keep!, 'จ่ายไม่ไหวแล้วค่ะ');
    const sent = JSON.stringify(t.fake.messagesTo(users.keep!).slice(-3));
    expect(sent).toContain('อยู่ในมาตรการช่วยเหลืออยู่แล้วค่ะ');
    expect(sent).not.toContain('สมัครเข้าร่วม');
  });

  it('links with a code typed in Thai digits', async () => {
    const user = fakeLineUserId('thai-digits');
    await t.importLoans([{ ...bangPhra, contract_no: 'CV-DIGITS', full_name: 'ประยูร เลขไทย' }]);
    const { code } = await t.context.services.linking.issueBorrowerCode({ contractNo: 'CV-DIGITS' }, { actor: 'test', at: t.clock.now() });
    const thai = code.replace(/\d/g, (d) => '๐๑๒๓๔๕๖๗๘๙'[Number(d)]!);
    // A digit missed first: she is told how many she typed, and it costs her no attempt.
    const [short] = await t.say(user, `รหัส ${thai.slice(0, 7)}`);
    expect(short).toBe('รหัสผูกบัญชีมี 8 หลักค่ะ ที่ส่งมามี 7 หลัก กรุณาดูรหัสอีกครั้งแล้วพิมพ์ใหม่ เช่น 1234 5678');
    const [answer] = await t.say(user, `${thai.slice(0, 4)} ${thai.slice(4)}`);
    expect(answer).toContain('ผูกบัญชีเรียบร้อยแล้ว');
  });

  it('answers a sticker and a photo from a linked borrower as fits her', async () => {
    const before = t.fake.messagesTo(users.ok!).length;
    await t.deliver([t.fake.stickerEvent(users.ok!)]);
    await t.deliver([t.fake.imageEvent(users.ok!, Buffer.from(JPEG_BYTES))]);
    const [sticker, photo] = t.fake.textsTo(users.ok!).slice(before);
    expect(sticker).toContain('ขอบคุณสำหรับสติกเกอร์ค่ะ คุณบุษบา ตรงเวลา');
    // A photo from a linked borrower may be a transfer slip: kept for her officer to check (money-in.test.ts).
    expect(photo).toContain('ได้รับรูปแล้วค่ะ คุณบุษบา ตรงเวลา');
    expect(photo).toContain('หากเป็นสลิปการโอนเงิน');
  });

  it('still shows the menu for what it does not understand', async () => {
    const [answer] = await t.say(users.ok!, 'มะม่วงสุกแล้ว');
    expect(answer).toContain('ยังไม่เข้าใจข้อความนี้');
    expect(t.fake.messagesTo(users.ok!).at(-1)!.message.quickReply).toBeDefined();
  });
});

async function applyAs(user: string, contractNo: string, measureCode: string, key: string): Promise<number> {
  const token = idTokenFor(t, user);
  const answer = await call(t, 'POST', '/api/liff/enrollments', {
    token,
    headers: { 'idempotency-key': key },
    body: { contractNo, measureCode, reason: 'รายได้ลดลงเพราะน้ำท่วม', reasonCode: 'disaster', phone: '0812345678', consent: true },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

async function tap(user: string, data: string): Promise<string[]> {
  const before = t.fake.messagesTo(user).length;
  await t.deliver([t.fake.postbackEvent(user, data)]);
  return t.fake.textsTo(user).slice(before);
}

describe('applications from an area without a linked officer (2)', () => {
  let id: number;

  it('go to the nearest level above that has one, whose card says why', async () => {
    id = await applyAs(users.orphan!, 'CV-ORPHAN', 'term_extension', 'cv-orphan-0001');
    const card = JSON.stringify((await pushedTo(t, users.province!)).at(-1)!.message);
    expect(card).toContain(`คำขอ #${id}`);
    expect(card).toContain('ส่งถึงท่านแทนสำนักงานพัฒนาชุมชนอำเภอ เพราะยังไม่มีเจ้าหน้าที่ระดับนั้นผูกบัญชีในพื้นที่นี้');
    expect([...(await lastCardButtons(t, users.province!)).keys()]).toEqual(['ส่งต่อจังหวัด', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
    // The tambon officer of her tambon is told, for information.
    expect(String((await pushedTo(t, users.hatLekTambon!)).at(-1)!.message.altText)).toContain(`ยื่นคำขอ #${id}`);
    // Her list in the mini-app (what My work counts and the rich menu opens) holds it too, saying for whom.
    const list = await call(t, 'GET', '/api/liff/officer/applications', { token: idTokenFor(t, users.province!) });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id, contractNo: 'CV-ORPHAN', standsInFor: 'สำนักงานพัฒนาชุมชนอำเภอ' })]);
  });

  it('can be decided there, and every level that handled it learns the final decision', async () => {
    const [asDistrict] = await tap(users.province!, (await lastCardButtons(t, users.province!)).get('ส่งต่อจังหวัด')!);
    // Forwarded to her own office: she is told its next card is hers, not that it went "to the province".
    expect(asDistrict).toContain(`คำขอ #${id} ผ่านขั้นอำเภอแล้วค่ะ ✅ (ท่านพิจารณาแทนอำเภอ) การ์ดขั้นจังหวัดส่งถึงท่านแล้ว`);
    await tap(users.province!, (await lastCardButtons(t, users.province!)).get('ส่งต่อกรม')!);
    const provinceBefore = (await pushedTo(t, users.province!)).length;
    await tap(users.department!, (await lastCardButtons(t, users.department!)).get('อนุมัติ')!);
    const [approved] = await tap(users.department!, lastQuickReplies(t, users.department!).get('ยืนยันอนุมัติ')!);
    expect(approved).toContain(`อนุมัติคำขอ #${id} แล้วค่ะ`);
    const told = (await pushedTo(t, users.province!)).slice(provinceBefore).map((m) => String(m.message.altText));
    expect(told).toEqual([expect.stringContaining(`✅ คำขอ #${id} ของคุณคำปุน ไกลบ้าน`)]);
    expect(String((await pushedTo(t, users.hatLekTambon!)).at(-1)!.message.altText)).toContain(`✅ คำขอ #${id}`);
  });

  it('and admins are told once a day which areas have no officer', async () => {
    await t.context.services.jobs.run('officer-digest', t.clock.now(), { dispatch: true });
    await t.context.services.jobs.run('officer-digest', t.clock.now(), { dispatch: true });
    const notices = (await pushedTo(t, users.admin!)).filter((m) => String(m.message.text).includes('ยังไม่มีเจ้าหน้าที่ผูกบัญชี'));
    expect(notices).toHaveLength(1);
    expect(String(notices[0]!.message.text)).toContain('อ.คลองใหญ่');
  });
});

describe('news at night (6)', () => {
  it('confirms her own application at once at 21:00, and tells the officer truthfully when she will hear of his decision', async () => {
    t.clock.set('2026-11-24T14:00:00Z'); // Tuesday 21:00 in Bangkok
    const id = await applyAs(users.night!, 'CV-NIGHT', 'term_extension', 'cv-night-0001');
    const received = (await pushedTo(t, users.night!)).map((m) => String(m.message.altText));
    expect(received).toContainEqual(expect.stringContaining('ได้รับคำขอของท่านแล้วค่ะ'));
    const [forwarded] = await tap(users.district!, (await lastCardButtons(t, users.district!)).get('ส่งต่อจังหวัด')!);
    expect(forwarded).toContain(`ส่งต่อคำขอ #${id}`);
    expect(forwarded).toContain('ระบบจะแจ้งผู้กู้พรุ่งนี้ เวลา 08.00 น.');
    const before = (await pushedTo(t, users.night!)).length;
    t.clock.set('2026-11-24T16:00:00Z'); // 23:00
    expect(await pushedTo(t, users.night!)).toHaveLength(before);
    t.clock.set('2026-11-25T01:00:00Z'); // 08:00 next morning
    expect(String((await pushedTo(t, users.night!)).at(-1)!.message.altText)).toContain('ผ่านการพิจารณาของอำเภอแล้วค่ะ');
  });
});

describe('a menu button tapped twice at once (a slow phone, an impatient thumb)', () => {
  // Taps an hour ahead of the real clock, so no other test's taps are near them.
  const anHourAhead = Date.now() + 3_600_000;
  const tap = (user: string, data: string, secondsLater: number) => ({ ...t.fake.postbackEvent(user, data), timestamp: anHourAhead + secondsLater * 1000 });
  const replica = () => {
    const deps = { db: t.context.db, cipher: t.context.cipher, clock: t.clock, log: pino({ level: 'silent' }), policy: loadReminderPolicy() };
    return createEventHandler({
      conversation: createConversationService(deps),
      review: createReviewService(deps),
      client: createLineClient({ channelAccessToken: t.fake.channelAccessToken, apiBaseUrl: t.fake.url }),
      log: deps.log,
      liffUrl: t.context.liffUrl,
    });
  };

  it('answers the first tap only; the same button a few seconds later is answered again', async () => {
    const user = users.ok!;
    const before = t.fake.messagesTo(user).length;
    await t.deliver([tap(user, 'action=debt', 0)]);
    const once = t.fake.messagesTo(user).length - before;
    expect(once).toBeGreaterThan(0);
    expect(t.fake.textsTo(user).at(-1)).toContain('CV-OK');
    await t.deliver([tap(user, 'action=debt', 0.4)]);
    await t.deliver([tap(user, 'action=debt', 1.1)]);
    expect(t.fake.messagesTo(user).length - before).toBe(once);
    // Another button at once is another question.
    await t.deliver([tap(user, 'action=pay', 1.5)]);
    const withPay = t.fake.messagesTo(user).length - before;
    expect(withPay).toBeGreaterThan(once);
    await t.deliver([tap(user, 'action=debt', 6)]);
    expect(t.fake.messagesTo(user).length - before).toBe(withPay + once);
  });

  it('answers once when two replicas take the two taps at the same moment', async () => {
    const user = users.late!;
    const before = t.fake.messagesTo(user).length;
    await replica()(tap(user, 'action=next_payment', 0));
    const once = t.fake.messagesTo(user).length - before;
    expect(once).toBeGreaterThan(0);
    await Promise.all([replica()(tap(user, 'action=next_payment', 10)), replica()(tap(user, 'action=next_payment', 10.3))]);
    expect(t.fake.messagesTo(user).length - before).toBe(2 * once);
  });

  it('answers a retry of the same event again (it is not its own repeat), and a tap with no usable time as usual', async () => {
    const user = users.pause!;
    const handler = replica();
    const first = tap(user, 'action=measures', 0);
    const before = t.fake.messagesTo(user).length;
    await handler(first);
    const once = t.fake.messagesTo(user).length - before;
    expect(once).toBeGreaterThan(0);
    await handler(first); // its reply token is used now: pushed instead
    expect(t.fake.messagesTo(user).length - before).toBe(2 * once);
    for (const timestamp of [-1, 1e300]) await handler({ ...tap(user, 'action=measures', 0), timestamp });
    expect(t.fake.messagesTo(user).length - before).toBe(4 * once);
  });
});

describe('a borrower who has applied already and says she cannot pay', () => {
  it('is told her application is under review, that the old installments still fall due, and where to follow it', async () => {
    await t.importLoans([{ ...bangPhra, ...behind, contract_no: 'CV-WAIT', full_name: 'สายใจ รอผล' }]);
    const user = await t.linkBorrower('CV-WAIT', 'สายใจ');
    const id = await applyAs(user, 'CV-WAIT', 'term_extension', 'cv-wait-0001');
    const before = t.fake.messagesTo(user).length;
    await t.say(user, 'ช่วยด้วยค่ะ เดือนนี้ไม่มีเงินจ่ายจริงๆ');
    const [said] = t.fake.textsTo(user).slice(before);
    expect(said).toContain(`กำลังอยู่ระหว่างพิจารณาค่ะ: "การขยายระยะเวลาชำระหนี้" (คำขอเลขที่ ${id})`);
    expect(said).toContain('งวดเดิมยังครบกำหนดตามปกติ');
    const sent = t.fake.messagesTo(user).slice(before).map((m) => JSON.stringify(m.message)).join('\n');
    expect(sent).toContain('/applications');
    expect(sent).toContain('เจ้าหน้าที่ที่ดูแลพื้นที่ของท่าน');
    // Not a list of measures she would be refused: the loan has its application open.
    expect(sent).not.toContain('สมัครเข้าร่วม');

    // Her overdue reminder, while it is under review, says so too: she is not urged to apply again.
    t.clock.set('2026-12-14T03:00:00Z'); // 90 days after the oldest unpaid installment, a Monday, 10:00 in Bangkok
    const beforeReminder = t.fake.messagesTo(user).length;
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: true });
    const reminder = t.fake.textsTo(user).slice(beforeReminder).join('\n');
    expect(reminder).toContain('ค้างชำระ');
    expect(reminder).toContain(`ท่านยื่นคำขอเข้าร่วมมาตรการ "การขยายระยะเวลาชำระหนี้" ไว้แล้ว (คำขอเลขที่ ${id}) อยู่ระหว่างพิจารณา ไม่ต้องสมัครซ้ำค่ะ`);

    // Asking how to apply, she hears first that she has.
    const [how] = await t.say(user, 'สมัครพักหนี้ยังไงคะ');
    expect(how).toContain(`ท่านยื่นคำขอไว้แล้ว: "การขยายระยะเวลาชำระหนี้" (คำขอเลขที่ ${id}) อยู่ระหว่างพิจารณา ไม่ต้องสมัครซ้ำค่ะ`);

    // Asking to unlink, she is told she would not hear the result of it.
    const [asked] = await t.say(user, 'เลิกผูกบัญชีค่ะ');
    expect(asked).toContain(`• คำขอเลขที่ ${id} (การขยายระยะเวลาชำระหนี้) ยังอยู่ระหว่างพิจารณา ท่านจะไม่ได้รับแจ้งผลทาง LINE`);
    // So does ข้อมูลของฉัน, where the mini-app's unlink button is: the copy marks the application open.
    const copy = await call(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, user) });
    expect(copy.body.applications).toEqual([expect.objectContaining({ id, open: true })]);
  });
});

describe('SCHEDULER=off (7)', () => {
  it('turns off cron only: a replica still sends at once what its own requests queue', async () => {
    const replica = await startTestApp({ now: '2026-11-23T03:00:00Z', sendOnRequest: true, env: { SCHEDULER: 'off' } });
    try {
      await replica.importLoans([{ ...bangPhra, contract_no: 'CV-OFF', full_name: 'สุดา ทดลอง' }]);
      const user = await replica.linkBorrower('CV-OFF', 'สุดา');
      const token = idTokenFor(replica, user);
      const answer = await call(replica, 'POST', '/api/liff/enrollments', {
        token,
        headers: { 'idempotency-key': 'cv-scheduler-off-1' },
        body: { contractNo: 'CV-OFF', measureCode: 'term_extension', reason: 'ตกงาน รายได้ลดลง', phone: '0812345678', consent: true },
      });
      expect(answer.status).toBe(201);
      // Nobody runs a dispatch here: the replica's own kick sends it.
      await vi.waitFor(() => expect(replica.fake.messagesTo(user).filter((m) => m.via === 'push')).toHaveLength(1), { timeout: 10_000 });
    } finally {
      await replica.close();
    }
  });
});
