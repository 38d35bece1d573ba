// Payments officers record and what they change at once (schedule, reminders, card, digest, promises, a thank-you),
// reversals, promises judged kept / partly kept / broken / reopened, and how a later registry import agrees with
// recorded payments without counting anything twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { areaSummarySchema, debtorPageSchema, paymentResultSchema, workQueueSchema } from '../../server/contracts/officer.ts';
import { meResponseSchema } from '../../server/contracts/liff.ts';
import { up as receiptsInAsciiDigits } from '../../migrations/0022_receipt_numbers_in_ascii_digits.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { BORROWER_NOTICE_THAI } from '../../server/content/officer-workspace.th.ts';
import { call, idTokenFor, pushedTo } from './liff-support.ts';
import { asUser, borrowerIdOf, positionsAgree, installmentsOf, newKey, visit } from './officer-support.ts';

let t: TestApp;
let officer: ReturnType<typeof asUser>; // district officer, เมืองตราด
let outsider: ReturnType<typeof asUser>;
let mentor: ReturnType<typeof asUser>;
let borrowerUser: string;

const AREA = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
// 12,000 baht at 12 % a year, 12 monthly installments from 15 Jan 2026: principal 1,000 each, interest 1 % of what
// is still owed (120, 110, 100, …). 2,230 paid covers January and February; March (1,100) is overdue.
const loan = (contractNo: string, name: string, paid = '2,230') => ({ ...AREA, contract_no: contractNo, full_name: name, annual_interest_rate: '12', paid_total: paid });

function pay(contractNo: string, amountSatang: number, receiptNo: string, paidOn = '2026-11-23') {
  return { contractNo, amountSatang, paidOn, channel: 'counter', receiptNo };
}

async function paymentSums(contractNo: string) {
  const payments = await t.context.db
    .selectFrom('payments as p')
    .innerJoin('loans as l', 'l.id', 'p.loan_id')
    .select((eb) => eb.fn.sum<number>('p.amount_satang').as('sum'))
    .where('l.contract_no', '=', contractNo)
    .executeTakeFirstOrThrow();
  const schedule = (await installmentsOf(t, contractNo)).reduce((sum, i) => sum + i.paid_satang, 0);
  return { payments: Number(payments.sum), schedule };
}

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([loan('PM-1', 'สมศรี ใจดี'), loan('PM-2', 'มาลี ทองคำ'), loan('PM-3', 'บุษบา มีสุข'), loan('PM-4', 'ลำดวน ทองสุข'), loan('PM-5', 'นงลักษณ์ ใจงาม')]);
  await t.importLoans([{ province: 'ตราด', district: 'แหลมงอบ', subdistrict: 'บางปิด', contract_no: 'PM-9', full_name: 'สุดา พรหมมา' }]);
  officer = asUser(t, await t.linkOfficer({ name: 'วิชัย ทองดี', role: 'district', area: 'ตราด/เมืองตราด' }));
  outsider = asUser(t, await t.linkOfficer({ name: 'ศรีสุดา', role: 'district', area: 'ตราด/แหลมงอบ' }));
  mentor = asUser(t, await t.linkOfficer({ name: 'บุญเรือน', role: 'mentor', area: 'ตราด/เมืองตราด/บางพระ' }));
  borrowerUser = await t.linkBorrower('PM-1', 'สมศรี ใจดี');
});
afterAll(async () => {
  await t?.close();
});

describe('recording a payment', () => {
  it('applies it to the oldest installment first, interest before principal, and answers 201 { id }', async () => {
    const answer = await officer.post('/api/liff/officer/payments', pay('PM-1', 115_000, 'RC-0001'), newKey());
    expect(answer.status).toBe(201);
    const result = paymentResultSchema.parse(answer.body);
    expect(result.id).toEqual(expect.any(Number));
    const schedule = await installmentsOf(t, 'PM-1');
    // March (1,100) paid in full; 50 baht of April goes to April's 90 baht of interest, none to its principal.
    expect(schedule.slice(0, 4).map((i) => i.paid_satang)).toEqual([112_000, 111_000, 110_000, 5_000]);
    expect(schedule[3]).toMatchObject({ interest_satang: 9_000, principal_satang: 100_000 });
    expect(result).toMatchObject({ contractNo: 'PM-1', amountSatang: 115_000, replayed: false });
    const audit = await t.context.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'payment.record').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ paymentId: result.id, amount: 115_000, receiptNo: 'RC-0001', channel: 'counter' });
  });

  it('changes the borrower’s card at once and thanks them in chat', async () => {
    const me = meResponseSchema.parse((await call(t, 'GET', '/api/liff/me', { token: idTokenFor(t, borrowerUser) })).body);
    expect(me.loans[0]).toMatchObject({ paidTotal: 223_000 + 115_000 });
    const [reply] = await t.say(borrowerUser, 'ยอดหนี้');
    expect(reply).toBeDefined();
    const thanks = (await pushedTo(t, borrowerUser)).map((m) => JSON.stringify(m.message));
    expect(thanks.some((m) => m.includes('ขอบคุณค่ะ คุณสมศรี ใจดี') && m.includes('฿1,150.00') && m.includes('RC-0001'))).toBe(true);
  });

  it('is idempotent by its key and by its receipt number per loan; a different amount on the same receipt is refused', async () => {
    const key = newKey();
    const first = await officer.post('/api/liff/officer/payments', pay('PM-2', 50_000, 'RC-0100'), key);
    const again = await officer.post('/api/liff/officer/payments', pay('PM-2', 50_000, 'RC-0100'), key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const sameReceipt = await officer.post('/api/liff/officer/payments', pay('PM-2', 50_000, ' rc-0100 '), newKey());
    expect(sameReceipt.status).toBe(201);
    expect(sameReceipt.body.id).toBe(first.body.id);
    // Typed again with Thai digits, it is still that receipt (once counted ฿500 twice).
    const thaiDigits = await officer.post('/api/liff/officer/payments', pay('PM-2', 50_000, 'rc - ๐๑๐๐'), newKey());
    expect(thaiDigits.status).toBe(201);
    expect(thaiDigits.body.id).toBe(first.body.id);
    const clash = await officer.post('/api/liff/officer/payments', pay('PM-2', 60_000, 'RC-0100'), newKey());
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain('RC-0100');
    // The same receipt number on another loan is another payment.
    expect((await officer.post('/api/liff/officer/payments', pay('PM-3', 50_000, 'RC-0100'), newKey())).body.id).not.toBe(first.body.id);
    const counted = await t.context.db.selectFrom('payments').select('id').where('receipt_no', '=', 'RC-0100').execute();
    expect(counted).toHaveLength(2);
  });

  it('brings receipts recorded with Thai digits before 0022 to ASCII digits, so they are still found', async () => {
    const first = await officer.post('/api/liff/officer/payments', pay('PM-2', 20_000, 'RC-0200'), newKey());
    await t.context.db.updateTable('payments').set({ receipt_no: 'RC- ๐๒๐๐' }).where('id', '=', first.body.id).execute();
    await receiptsInAsciiDigits(t.context.db as Kysely<unknown>);
    const row = await t.context.db.selectFrom('payments').select('receipt_no').where('id', '=', first.body.id).executeTakeFirstOrThrow();
    expect(row.receipt_no).toBe('RC-0200');
    expect((await officer.post('/api/liff/officer/payments', pay('PM-2', 20_000, 'RC-0200'), newKey())).body.id).toBe(first.body.id);
  });

  it('refuses what it must: a loan outside the area (403), a mentor, no key, a future date, more than is owed', async () => {
    const outside = await officer.post('/api/liff/officer/payments', pay('PM-9', 10_000, 'X-1'), newKey());
    expect(outside.status).toBe(403);
    expect((await outsider.post('/api/liff/officer/payments', pay('PM-2', 10_000, 'X-2'), newKey())).status).toBe(403);
    expect((await mentor.post('/api/liff/officer/payments', { ...pay('PM-2', 10_000, 'X-3'), channel: 'mentor' }, newKey())).status).toBe(403);
    const noKey = await officer.post('/api/liff/officer/payments', pay('PM-2', 10_000, 'X-4'));
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors[0].path).toBe('Idempotency-Key');
    expect((await officer.post('/api/liff/officer/payments', pay('PM-2', 10_000, 'X-5', '2026-11-24'), newKey())).body.errors[0].path).toBe('paidOn');
    expect((await officer.post('/api/liff/officer/payments', pay('PM-2', 99_999_900, 'X-6'), newKey())).body.errors[0].path).toBe('amountSatang');
    expect((await officer.post('/api/liff/officer/payments', pay('NO-SUCH', 100, 'X-7'), newKey())).status).toBe(404);
  });

  it('takes cash an officer collected at a home visit as its own channel', async () => {
    const answer = await officer.post('/api/liff/officer/payments', { ...pay('PM-5', 1_000, 'RC-FIELD-1'), channel: 'field' }, newKey());
    expect(answer.status).toBe(201);
    const row = await t.context.db.selectFrom('payments').select('channel').where('receipt_no', '=', 'RC-FIELD-1').executeTakeFirstOrThrow();
    expect(row.channel).toBe('field');
    expect((await officer.post('/api/liff/officer/payments', { ...pay('PM-5', 1_000, 'RC-FIELD-2'), channel: 'pigeon' }, newKey())).status).toBe(400);
  });

  it('cancels pending reminders for what is now paid', async () => {
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    const loanId = (await t.context.db.selectFrom('loans').select('id').where('contract_no', '=', 'PM-1').executeTakeFirstOrThrow()).id;
    const pending = await t.context.db.selectFrom('outbound_messages').select(['id', 'installment_seq']).where('loan_id', '=', loanId).where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
    const seq = pending[0]!.installment_seq!;
    const owed = (await installmentsOf(t, 'PM-1')).filter((i) => i.seq <= seq).reduce((sum, i) => sum + i.principal_satang + i.interest_satang - i.paid_satang, 0);
    expect((await officer.post('/api/liff/officer/payments', pay('PM-1', owed, 'RC-0002'), newKey())).status).toBe(201);
    const after = await t.context.db.selectFrom('outbound_messages').select(['status', 'outcome']).where('id', '=', pending[0]!.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'cancelled', outcome: 'no_longer_due' });
  });

  it('moves the area figures and the digest the same moment', async () => {
    const greens = async () => areaSummarySchema.parse((await officer.get('/api/liff/officer/area')).body).totals.byColour.find((c) => c.colour === 'green')!.debtors;
    const colourOf = async () => debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${await borrowerIdOf(t, 'PM-5')}`)).body).colour;
    expect(await colourOf()).toBe('red');
    const greenBefore = await greens();
    const overdue = (await installmentsOf(t, 'PM-5')).filter((i) => i.due_on < '2026-11-23').reduce((s, i) => s + i.principal_satang + i.interest_satang - i.paid_satang, 0);
    await officer.post('/api/liff/officer/payments', pay('PM-5', overdue, 'RC-0500'), newKey());
    expect(await colourOf()).toBe('green');
    expect(await greens()).toBe(greenBefore + 1);
    const digestOfficer = await t.linkOfficer({ name: 'ผู้รับสรุป', role: 'district', area: 'ตราด/เมืองตราด' });
    await t.context.services.jobs.run('officer-digest', t.clock.now(), { dispatch: false });
    const officerId = (await t.context.db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', digestOfficer).executeTakeFirstOrThrow()).officer_id!;
    const digest = await t.context.db.selectFrom('outbound_messages').select('notification').where('officer_id', '=', officerId).where('kind', '=', 'officer_digest').executeTakeFirstOrThrow();
    expect((digest.notification as { summary: { debtorsByStatus: { normal: number } } }).summary.debtorsByStatus.normal).toBe(greenBefore + 1);
  });
});

describe('reversing a payment', () => {
  it('adds a record pointing at the original, restores the schedule, and is audited; twice finds the same reversal', async () => {
    const before = await installmentsOf(t, 'PM-3');
    const paid = paymentResultSchema.parse((await officer.post('/api/liff/officer/payments', pay('PM-3', 30_000, 'RC-0300'), newKey())).body);
    expect((await mentor.post(`/api/liff/officer/payments/${paid.id}/reversal`, { reason: 'บันทึกผิด' })).status).toBe(403);
    const reversal = await officer.post(`/api/liff/officer/payments/${paid.id}/reversal`, { reason: 'บันทึกผิดสัญญา' });
    expect(reversal.status).toBe(201);
    expect(reversal.body.reversesPaymentId).toBe(paid.id);
    const rows = await t.context.db.selectFrom('payments').select(['id', 'amount_satang', 'source', 'reverses_payment_id', 'note']).where('receipt_no', '=', 'RC-0300').orderBy('id').execute();
    expect(rows).toEqual([
      { id: paid.id, amount_satang: 30_000, source: 'officer', reverses_payment_id: null, note: null },
      { id: reversal.body.id, amount_satang: -30_000, source: 'officer_reversal', reverses_payment_id: paid.id, note: 'บันทึกผิดสัญญา' },
    ]);
    expect(await installmentsOf(t, 'PM-3')).toEqual(before);
    expect((await officer.post(`/api/liff/officer/payments/${paid.id}/reversal`, { reason: 'ซ้ำ' })).body.id).toBe(reversal.body.id);
    const audit = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'payment.reverse').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ paymentId: paid.id, reversalId: reversal.body.id });
    // The receipt may be recorded again (correctly) once the wrong one is reversed.
    expect((await officer.post('/api/liff/officer/payments', pay('PM-3', 35_000, 'RC-0300'), newKey())).status).toBe(201);
    const page = debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${await borrowerIdOf(t, 'PM-3')}`)).body);
    expect(page.timeline.filter((x) => x.type === 'reversal')).toHaveLength(1);
    expect(page.timeline.find((x) => x.type === 'payment' && x.id === paid.id)).toMatchObject({ reversed: true, reversible: false });
  });
});

describe('reversing a payment the borrower was thanked for', () => {
  it('tells her it no longer counts and why, and lets the reminders it had cancelled go again', async () => {
    const loanId = (await t.context.db.selectFrom('loans').select('id').where('contract_no', '=', 'PM-1').executeTakeFirstOrThrow()).id;
    const cancelled = await t.context.db.selectFrom('outbound_messages').select(['dedupe_key']).where('loan_id', '=', loanId).where('outcome', '=', 'no_longer_due').execute();
    expect(cancelled.length).toBeGreaterThan(0);
    const paid = await t.context.db.selectFrom('payments').select(['id', 'amount_satang']).where('receipt_no', '=', 'RC-0002').executeTakeFirstOrThrow();
    expect((await officer.post(`/api/liff/officer/payments/${paid.id}/reversal`, { reason: 'เงินโอนไม่เข้าบัญชีกองทุน' })).status).toBe(201);
    // The next planning run queues again what is owed again.
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    const again = await t.context.db.selectFrom('outbound_messages').select(['dedupe_key', 'status']).where('dedupe_key', 'in', cancelled.map((c) => c.dedupe_key)).execute();
    expect(again.filter((m) => m.status === 'pending').length).toBeGreaterThan(0);
    // She is told, in words, in the contact hours (10:00 here).
    await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
    const told = (await pushedTo(t, borrowerUser)).map((m) => String(m.message.text ?? '')).filter((text) => text.includes('แจ้งการแก้ไขรายการชำระเงิน'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`ยอด ฿${(paid.amount_satang / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    expect(told[0]).toContain('(ใบเสร็จเลขที่ RC-0002)');
    expect(told[0]).toContain('เหตุผล: เงินโอนไม่เข้าบัญชีกองทุน');
    expect(told[0]).toContain('ยอดหนี้คงเหลือของสัญญานี้');
  });
});

describe('promises to pay', () => {
  // A promise counts what is paid after it was given: the clock moves a minute on either side of it.
  async function promise(contractNo: string, amountSatang: number, promisedOn: string) {
    const borrowerId = await borrowerIdOf(t, contractNo);
    t.clock.advanceMinutes(1);
    const answer = await officer.post('/api/liff/officer/follow-ups', visit(borrowerId, { outcome: 'promised', promise: { amountSatang, promisedOn } }), newKey());
    t.clock.advanceMinutes(1);
    expect(answer.status).toBe(201);
    return answer.body.promiseId as number;
  }
  const statusOf = async (id: number) => (await t.context.db.selectFrom('payment_promises').select(['status', 'paid_satang']).where('id', '=', id).executeTakeFirstOrThrow());

  it('queues one polite reminder for the day before, inside the contact hours', async () => {
    const id = await promise('PM-1', 100_000, '2026-11-30');
    const reminder = await t.context.db.selectFrom('outbound_messages').selectAll().where('dedupe_key', '=', `promise-reminder:${id}:2026-11-30`).executeTakeFirstOrThrow();
    expect(reminder).toMatchObject({ kind: 'promise_reminder', contact_window: 'borrower', status: 'pending' });
    expect(reminder.not_before.toISOString()).toBe('2026-11-29T02:00:00.000Z'); // 09:00 in Bangkok
    expect(reminder.expires_at.toISOString()).toBe('2026-11-29T17:00:00.000Z');
    // The debtor's timeline shows it on the day it will go, not the day it was queued.
    const page = debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${await borrowerIdOf(t, 'PM-1')}`)).body);
    expect(page.timeline.filter((x) => x.type === 'reminder' && x.label === 'เตือนวันนัดชำระ')).toEqual([
      expect.objectContaining({ on: '2026-11-29', at: '2026-11-29T02:00:00.000Z', statusLabel: 'รอส่ง' }),
    ]);
    // For a borrower without LINE the officer is told it will not reach her unless she links first.
    const unlinked = await promise('PM-2', 50_000, '2026-12-01');
    const pm2 = debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${await borrowerIdOf(t, 'PM-2')}`)).body);
    expect(await t.context.db.selectFrom('outbound_messages').select('status').where('dedupe_key', '=', `promise-reminder:${unlinked}:2026-12-01`).executeTakeFirstOrThrow()).toEqual({ status: 'pending' });
    expect(pm2.timeline.filter((x) => x.type === 'reminder' && x.label === 'เตือนวันนัดชำระ').map((x) => x.type === 'reminder' && x.statusLabel)).toEqual([
      'รอส่ง (ผู้กู้ยังไม่ได้ผูก LINE ต้องผูกก่อนวันนั้นจึงจะได้รับ)',
    ]);
  });

  it('queues her reminder again when the officer corrects the amount or the date, and refuses more than she owes', async () => {
    const borrowerId = await borrowerIdOf(t, 'PM-1');
    t.clock.advanceMinutes(1);
    const terms = (amountSatang: number, promisedOn: string) => visit(borrowerId, { outcome: 'promised', nextActionOn: null, promise: { amountSatang, promisedOn } });
    // A slip of the thumb: more than the whole debt is refused, saying what is owed.
    const tooMuch = await officer.post('/api/liff/officer/follow-ups', terms(99_999_900, '2026-12-10'), newKey());
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(tooMuch.body)).toContain('ยอดที่นัดชำระเกินยอดหนี้คงเหลือ');
    const created = await officer.post('/api/liff/officer/follow-ups', terms(150_000, '2026-12-10'), newKey());
    expect(created.status).toBe(201);
    const { id: followUpId, promiseId } = created.body as { id: number; promiseId: number };
    const { borrowerId: _b, ...edit } = terms(120_000, '2026-12-10');
    expect((await officer.patch(`/api/liff/officer/follow-ups/${followUpId}`, { ...edit, promise: { amountSatang: 99_999_900, promisedOn: '2026-12-10' } })).status).toBe(400);
    expect((await officer.patch(`/api/liff/officer/follow-ups/${followUpId}`, edit)).status).toBe(200);
    const reminders = async () =>
      (await t.context.db.selectFrom('outbound_messages').select(['dedupe_key', 'status', 'notification']).where('dedupe_key', 'like', `promise-reminder:${promiseId}:%`).orderBy('id').execute()).map((row) => ({
        key: row.dedupe_key.replace(/:replaced:\d+$/, ':replaced'),
        status: row.status,
        amount: (row.notification as { amount: number }).amount,
      }));
    // Corrected amount, same day: the old reminder is cancelled and the new one waits in its place.
    expect(await reminders()).toEqual([
      { key: `promise-reminder:${promiseId}:2026-12-10:replaced`, status: 'cancelled', amount: 150_000 },
      { key: `promise-reminder:${promiseId}:2026-12-10`, status: 'pending', amount: 120_000 },
    ]);
    // Corrected again, to another day.
    const { borrowerId: _c, ...moved } = terms(120_000, '2026-12-12');
    expect((await officer.patch(`/api/liff/officer/follow-ups/${followUpId}`, moved)).status).toBe(200);
    expect((await reminders()).filter((r) => r.status === 'pending')).toEqual([{ key: `promise-reminder:${promiseId}:2026-12-12`, status: 'pending', amount: 120_000 }]);
    // The debtor page shows every open promise at its top, and a called-off reminder on the day it was for.
    const page = debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${borrowerId}`)).body);
    expect(page.openPromises.map((p) => [p.promisedOn, p.amountSatang])).toEqual([['2026-11-30', 100_000], ['2026-12-12', 120_000]]);
    expect(page.timeline.filter((x) => x.type === 'reminder' && x.label === 'เตือนวันนัดชำระ' && x.statusLabel === 'ยกเลิก').map((x) => x.on)).toContain('2026-12-09');
  });

  it('asks only for the rest in its reminder once part is paid, and for the whole again if that payment is reversed', async () => {
    const id = await promise('PM-2', 100_000, '2026-11-30');
    const paid = paymentResultSchema.parse((await officer.post('/api/liff/officer/payments', pay('PM-2', 40_000, 'RC-0210'), newKey())).body);
    const reminder = async () =>
      (await t.context.db.selectFrom('outbound_messages').select('notification').where('dedupe_key', '=', `promise-reminder:${id}:2026-11-30`).executeTakeFirstOrThrow()).notification as { paid?: number };
    expect((await reminder()).paid).toBe(40_000);
    const rendered = BORROWER_NOTICE_THAI.promiseReminder({ fullName: 'มาลี ทองคำ', amount: 100_000, promisedOn: '2026-11-30', contractNo: 'PM-2', paid: 40_000 });
    expect(rendered).toContain('ท่านชำระแล้ว ฿400.00 ขอบคุณค่ะ เหลืออีก ฿600.00');
    await officer.post(`/api/liff/officer/payments/${paid.id}/reversal`, { reason: 'บันทึกผิดสัญญา' });
    expect((await reminder()).paid).toBe(0);
  });

  it('is kept as soon as the promised amount is paid, and its reminder is cancelled', async () => {
    const id = await promise('PM-4', 100_000, '2026-11-30');
    const result = paymentResultSchema.parse((await officer.post('/api/liff/officer/payments', pay('PM-4', 100_000, 'RC-0401'), newKey())).body);
    expect(result.promises.find((p) => p.id === id)).toMatchObject({ status: 'kept', statusLabel: 'ชำระตามนัด' });
    expect(await statusOf(id)).toEqual({ status: 'kept', paid_satang: 100_000 });
    const reminder = await t.context.db.selectFrom('outbound_messages').select('status').where('dedupe_key', '=', `promise-reminder:${id}:2026-11-30`).executeTakeFirstOrThrow();
    expect(reminder.status).toBe('cancelled');
  });

  it('counts a payment towards one promise only: of two open promises the first is kept, the second still waits', async () => {
    await t.importLoans([loan('PM-6', 'อำไพ ศรีงาม')]);
    const first = await promise('PM-6', 50_000, '2026-11-30');
    const second = await promise('PM-6', 50_000, '2026-12-15');
    await officer.post('/api/liff/officer/payments', pay('PM-6', 50_000, 'RC-0601'), newKey());
    expect(await statusOf(first)).toEqual({ status: 'kept', paid_satang: 50_000 });
    // It counted twice before: both "ชำระตามนัด" on one payment.
    expect(await statusOf(second)).toEqual({ status: 'open', paid_satang: 0 });
    // The report's next promise is the one still to come, as on the debtor list (it showed the kept one).
    const report = (await officer.get('/api/liff/officer/reports/debtors')).body as { rows: Array<{ contractNos: string; nextPromiseOn: string | null }> };
    const listed = (await officer.get('/api/liff/officer/debtors?q=PM-6')).body as { items: Array<{ nextPromiseOn: string | null }> };
    expect(listed.items[0]!.nextPromiseOn).toBe('2026-12-15');
    expect(report.rows.find((r) => r.contractNos === 'PM-6')).toMatchObject({ nextPromiseOn: '2026-12-15' });
    await officer.post('/api/liff/officer/payments', pay('PM-6', 30_000, 'RC-0602'), newKey());
    expect(await statusOf(second)).toEqual({ status: 'open', paid_satang: 30_000 });
  });

  it('is reopened when the payment that kept it is reversed before the day', async () => {
    const id = await promise('PM-2', 20_000, '2026-11-27');
    const paid = paymentResultSchema.parse((await officer.post('/api/liff/officer/payments', pay('PM-2', 20_000, 'RC-0201'), newKey())).body);
    expect((await statusOf(id)).status).toBe('kept');
    await officer.post(`/api/liff/officer/payments/${paid.id}/reversal`, { reason: 'เช็คเด้ง' });
    expect(await statusOf(id)).toEqual({ status: 'open', paid_satang: 0 });
    const judged = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'promise.judge').where('subject', '=', `promise:${id}`).orderBy('id').execute();
    expect(judged.map((row) => (row.details as { to: string }).to)).toEqual(['kept', 'open']);
  });

  it('is judged on the day after the date: partly kept, broken; a late reversal turns kept into broken', async () => {
    const partly = await promise('PM-3', 200_000, '2026-11-24');
    const broken = await promise('PM-5', 50_000, '2026-11-24');
    const reversedLate = await promise('PM-4', 10_000, '2026-11-24');
    const lateId = paymentResultSchema.parse((await officer.post('/api/liff/officer/payments', pay('PM-4', 10_000, 'RC-0402'), newKey())).body).id;
    await officer.post('/api/liff/officer/payments', pay('PM-3', 50_000, 'RC-0301'), newKey());
    // On the promised day itself nothing is judged yet.
    t.clock.set('2026-11-24T10:00:00Z');
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    expect((await statusOf(partly)).status).toBe('open');
    // The day after: judged.
    t.clock.set('2026-11-25T01:00:00Z');
    const summary = await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    expect(summary.promises).toMatchObject({ partlyKept: 1, broken: 1 });
    expect(await statusOf(partly)).toEqual({ status: 'partly_kept', paid_satang: 50_000 });
    expect(await statusOf(broken)).toEqual({ status: 'broken', paid_satang: 0 });
    expect((await statusOf(reversedLate)).status).toBe('kept');
    await officer.post(`/api/liff/officer/payments/${lateId}/reversal`, { reason: 'ใบเสร็จซ้ำ' });
    expect((await statusOf(reversedLate)).status).toBe('broken');

    // Broken and partly kept promises are in the officer's queue for the week.
    const work = workQueueSchema.parse((await officer.get('/api/liff/officer/work')).body);
    expect(work.brokenPromises.map((w) => w.fullName).sort()).toEqual(['นงลักษณ์ ใจงาม', 'บุษบา มีสุข', 'ลำดวน ทองสุข']);
    expect(work.brokenPromises.find((w) => w.fullName === 'บุษบา มีสุข')!.reason).toContain('ชำระบางส่วน ฿500.00 จาก ฿2,000.00');
    // The next weekly digest counts them.
    const digestOfficer = await t.linkOfficer({ name: 'ผู้รับสรุปคำมั่น', role: 'district', area: 'ตราด/เมืองตราด' });
    t.clock.set('2026-11-30T01:00:00Z');
    await t.context.services.jobs.run('officer-digest', t.clock.now(), { dispatch: false });
    const digestOfficerId = (await t.context.db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', digestOfficer).executeTakeFirstOrThrow()).officer_id!;
    const digest = await t.context.db.selectFrom('outbound_messages').select('notification').where('officer_id', '=', digestOfficerId).where('kind', '=', 'officer_digest').executeTakeFirstOrThrow();
    expect((digest.notification as { brokenPromises: number }).brokenPromises).toBe(3);
    t.clock.set('2026-11-25T01:00:00Z');
    // A follow-up after the promised day takes it off the queue.
    await officer.post('/api/liff/officer/follow-ups', visit(await borrowerIdOf(t, 'PM-5'), { contactedOn: '2026-11-25', kind: 'phone' }), newKey());
    const after = workQueueSchema.parse((await officer.get('/api/liff/officer/work')).body);
    expect(after.brokenPromises.map((w) => w.fullName)).not.toContain('นงลักษณ์ ใจงาม');
  });
});

describe('a later registry import agrees with recorded payments', () => {
  async function importPaid(contractNo: string, name: string, paid: string) {
    await t.importLoans([loan(contractNo, name, paid)]);
  }

  it('a registry that counts the recorded payment does not count it twice; one that does not yet keeps it', async () => {
    await t.importLoans([loan('RI-1', 'ประภา ศรีสวัสดิ์'), loan('RI-2', 'รัตนา บุญเรือง'), loan('RI-3', 'ศิริพร มั่นคง'), loan('RI-4', 'อำไพ พูลผล')]);
    for (const [contractNo, receipt] of [['RI-1', 'A'], ['RI-2', 'B'], ['RI-3', 'C'], ['RI-4', 'D']] as const) {
      expect((await officer.post('/api/liff/officer/payments', pay(contractNo, 110_000, `RI-${receipt}`), newKey())).status).toBe(201);
    }
    const paidOf = async (contractNo: string) => (await installmentsOf(t, contractNo)).reduce((sum, i) => sum + i.paid_satang, 0);
    expect(await paidOf('RI-1')).toBe(223_000 + 110_000);

    // RI-1: the registry now includes it (2,230 + 1,100 = 3,330) → the same 3,330, not 4,430.
    await importPaid('RI-1', 'ประภา ศรีสวัสดิ์', '3,330');
    expect(await paidOf('RI-1')).toBe(333_000);
    // RI-2: the registry has not caught up (still 2,230) → the recorded payment still counts.
    await importPaid('RI-2', 'รัตนา บุญเรือง', '2,230');
    expect(await paidOf('RI-2')).toBe(333_000);
    // RI-3: the registry also saw a transfer of 500 of which we knew nothing → 3,830.
    await importPaid('RI-3', 'ศิริพร มั่นคง', '3,830');
    expect(await paidOf('RI-3')).toBe(383_000);
    // RI-4: the registry counted 600 of something (our payment, as far as anyone can tell) → confirm 600, 500 still ours.
    await importPaid('RI-4', 'อำไพ พูลผล', '2,830');
    expect(await paidOf('RI-4')).toBe(333_000);
    await importPaid('RI-4', 'อำไพ พูลผล', '3,330');
    expect(await paidOf('RI-4')).toBe(333_000);

    // Every loan's payment records add up to what its schedule carries.
    for (const contractNo of ['RI-1', 'RI-2', 'RI-3', 'RI-4', 'PM-1', 'PM-2', 'PM-3']) {
      const sums = await paymentSums(contractNo);
      expect(sums.payments, contractNo).toBe(sums.schedule);
    }
    const page = debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${await borrowerIdOf(t, 'RI-1')}`)).body);
    const recorded = page.timeline.find((x) => x.type === 'payment' && x.source === 'officer');
    expect(recorded).toMatchObject({ confirmedSatang: 110_000, reversible: false });
    // The registry's records: the first is what was paid before the system (the opening paid total), the later
    // ones are changes between imports.
    const registry = page.timeline.filter((x) => x.type === 'payment' && x.source === 'registry').map((x) => x.type === 'payment' && x.opening);
    expect(registry.at(-1)).toBe(true);
    expect(registry.filter(Boolean)).toHaveLength(1);
    expect(page.loans[0]).toMatchObject({ paidTotal: 333_000, awaitingRegistry: 0 });
    expect(debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${await borrowerIdOf(t, 'RI-2')}`)).body).loans[0]).toMatchObject({ awaitingRegistry: 110_000 });
    // Confirmed by the registry: corrected there, not reversed here.
    const paymentId = (recorded as { id: number }).id;
    const refused = await officer.post(`/api/liff/officer/payments/${paymentId}/reversal`, { reason: 'ทดสอบ' });
    expect(refused.status).toBe(409);
  });
});

describe('debtor positions (the list’s index, kept by triggers)', () => {
  it('agree with positions recomputed from scratch after everything above', async () => {
    const { kept, recomputed } = await positionsAgree(t);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(recomputed);
  });
});
