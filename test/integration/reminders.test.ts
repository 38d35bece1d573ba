// Scheduled reminders end to end: planning into the outbox, dispatch against the fake LINE platform over HTTP,
// contact hours, one a day, retries with the same retry key, 429 Retry-After, blocked users, officer scope.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { describeJobSummary, type JobName } from '../../server/services/job-runner.service.ts';
import type { Notification } from '../../server/services/notifications.ts';
import { createNotificationRenderer } from '../../server/line/notification-renderer.ts';
import { loadReminderPolicy } from '../../server/content/reminder-policy.ts';
import type { Timer } from '../../server/services/dispatcher.service.ts';
import type { ManualClock } from '../support/clock.ts';
import { validNationalId } from '../support/registry.ts';

let t: TestApp;
const sleeps: number[] = [];

/** Pacing time that moves the test's clock instead of waiting. */
function manualTimer(clock: ManualClock): Timer {
  return {
    nowMs: () => clock.now().getTime(),
    async sleep(ms) {
      sleeps.push(ms);
      clock.advanceMinutes(ms / 60_000);
    },
  };
}

async function run(job: JobName, options: { patienceMs?: number } = {}) {
  return t.context.services.jobs.run(job, t.clock.now(), { dispatch: true, timer: manualTimer(t.clock), ...options });
}

const pushesTo = (user: string) => t.fake.messagesTo(user).filter((m) => m.via !== 'reply');
const outboxRows = (kind: string) =>
  t.context.db.selectFrom('outbound_messages').selectAll().where('kind', '=', kind).orderBy('id').execute();

let dueSoonUser: string;
let twoLoansUser: string;
let overdueUser: string;

const twoLoansId = validNationalId(31_337);

beforeAll(async () => {
  // Monday 23 Nov 2026, 10:00 in Bangkok.
  t = await startTestApp({ now: '2026-11-23T03:00:00Z', env: { LINE_HTTP_TIMEOUT_MS: '300' } });
  const bangPhra = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
  await t.importLoans([
    // Next installment due Thursday 26 Nov: "due soon" today.
    { ...bangPhra, contract_no: 'RM-SOON', full_name: 'สมศรี ใกล้ครบ', first_due_on: '2026-01-26', paid_total: '10,000' },
    // Two loans due on 26 Nov: only one reminder a day.
    { ...bangPhra, contract_no: 'RM-TWO-A', national_id: twoLoansId, full_name: 'สองสัญญา', first_due_on: '2026-11-26' },
    { ...bangPhra, contract_no: 'RM-TWO-B', national_id: twoLoansId, full_name: 'สองสัญญา', first_due_on: '2026-11-26', principal: '6,000' },
    // 7 days overdue (due 16 Nov).
    { ...bangPhra, contract_no: 'RM-LATE', full_name: 'มาลี ค้างเจ็ดวัน', first_due_on: '2026-11-16' },
    // Another province entirely.
    { province: 'จันทบุรี', district: 'เมืองจันทบุรี', subdistrict: 'ตลาด', contract_no: 'RM-OTHER', full_name: 'คนจันทบุรี', first_due_on: '2026-11-16' },
  ]);
  dueSoonUser = await t.linkBorrower('RM-SOON', 'สมศรี');
  twoLoansUser = await t.linkBorrower('RM-TWO-A', 'สองสัญญา');
  overdueUser = await t.linkBorrower('RM-LATE', 'มาลี');
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.fake.clearFaults();
  sleeps.length = 0;
});

describe('borrower reminders', () => {
  it('plans and sends each reminder once, however often the job runs', async () => {
    const first = await run('borrower-reminders');
    expect(first.planned).toMatchObject({ planned: { due_soon: 3, overdue_7: 1 } });
    await run('borrower-reminders');
    await run('dispatch');
    const soon = pushesTo(dueSoonUser);
    expect(soon).toHaveLength(1);
    const text = String(soon[0]!.message.text);
    expect(text).toContain('อีก 3 วัน');
    expect(text).toContain('26 พ.ย. 2569');
    expect(text).toContain('฿1,000.00');
    expect(soon[0]!.retryKey).toMatch(/^[0-9a-f-]{36}$/);
    const late = String(pushesTo(overdueUser)[0]!.message.text);
    expect(late).toContain('ค้างชำระมาแล้ว 7 วัน');
    expect(late).toContain('https://liff.line.me/1650000000-testliff/measures'); // the measures themselves, not the app's home
    expect(late).toContain('ลดโอกาสถูกดำเนินคดี');
  });

  it('sends a borrower at most one reminder a day; the other waits for the next day', async () => {
    expect(pushesTo(twoLoansUser)).toHaveLength(1);
    const rows = await t.context.db.selectFrom('outbound_messages').select(['status', 'outcome', 'next_attempt_at']).where('dedupe_key', 'like', 'due_soon:%').where('status', '=', 'pending').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.outcome).toBe('deferred_daily_limit');
    expect(rows[0]!.next_attempt_at.toISOString()).toBe('2026-11-24T01:00:00.000Z'); // Tuesday 08:00 Bangkok
    t.clock.set('2026-11-24T02:00:00Z');
    await run('dispatch');
    expect(pushesTo(twoLoansUser)).toHaveLength(2);
  });

  it('defers a reminder found outside contact hours to the next allowed time', async () => {
    t.clock.set('2026-11-25T13:30:00Z'); // Wednesday 20:30 in Bangkok
    await run('borrower-reminders'); // the due-soon of 26 Nov is planned again? no: same keys; nothing new
    await t.importLoans([{ contract_no: 'RM-NIGHT', full_name: 'กลางคืน', first_due_on: '2026-11-27' }]);
    const night = await t.linkBorrower('RM-NIGHT', 'กลางคืน');
    const summary = await run('borrower-reminders');
    expect(summary.dispatched?.deferredOutsideHours).toBeGreaterThanOrEqual(1);
    expect(pushesTo(night)).toHaveLength(0);
    const [row] = await t.context.db.selectFrom('outbound_messages').select(['next_attempt_at', 'status']).where('dedupe_key', 'like', 'due_soon:%').where('borrower_id', 'is not', null).where('status', '=', 'pending').execute();
    expect(row?.next_attempt_at.toISOString()).toBe('2026-11-26T01:00:00.000Z');
    t.clock.set('2026-11-26T01:00:00Z');
    await run('dispatch');
    expect(pushesTo(night)).toHaveLength(1);
  });

  it('cancels a reminder whose installment was paid before it went out', async () => {
    await t.importLoans([{ contract_no: 'RM-PAID', full_name: 'จ่ายก่อน', first_due_on: '2026-11-28' }]);
    const user = await t.linkBorrower('RM-PAID', 'จ่ายก่อน');
    t.clock.set('2026-11-25T14:00:00Z'); // Wednesday 21:00: planned, not sent
    await run('borrower-reminders');
    await t.importLoans([{ contract_no: 'RM-PAID', full_name: 'จ่ายก่อน', first_due_on: '2026-11-28', paid_total: '1,000' }]);
    t.clock.set('2026-11-26T02:00:00Z');
    await run('dispatch');
    expect(pushesTo(user)).toHaveLength(0);
    const [row] = await t.context.db.selectFrom('outbound_messages').select(['status', 'outcome']).where('dedupe_key', 'like', 'due_soon:%').where('loan_id', 'in', sql<number>`(SELECT id FROM loans WHERE contract_no = 'RM-PAID')`).execute();
    expect(row).toMatchObject({ status: 'cancelled', outcome: 'no_longer_due' });
  });
});

describe('delivery that neither duplicates nor loses', () => {
  async function freshBorrowerDueSoon(contractNo: string) {
    await t.importLoans([{ contract_no: contractNo, full_name: `ผู้กู้ ${contractNo}`, first_due_on: '2026-12-02' }]);
    const user = await t.linkBorrower(contractNo, contractNo);
    t.clock.set('2026-11-30T03:00:00Z'); // Monday 10:00
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    return user;
  }

  it('retries after a 500 with the same retry key, and delivers once', async () => {
    const user = await freshBorrowerDueSoon('RM-500');
    t.fake.failNext({ path: '/v2/bot/message/push', status: 500, to: user });
    const summary = await run('dispatch', { patienceMs: 60_000 });
    expect(summary.dispatched).toMatchObject({ retried: 1 });
    expect(pushesTo(user)).toHaveLength(1);
    const attempts = t.fake.requestsTo('/v2/bot/message/push').filter((r) => (r.body as { to: string }).to === user);
    expect(attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(new Set(attempts.map((a) => a.retryKey)).size).toBe(1);
  });

  it('treats 409 (retry key already accepted) as delivered', async () => {
    const user = await freshBorrowerDueSoon('RM-409');
    const [row] = await t.context.db.selectFrom('outbound_messages').select(['retry_key', 'notification']).where('dedupe_key', 'like', 'due_soon:%').where('status', '=', 'pending').execute();
    const messages = createNotificationRenderer({ liffUrl: t.context.liffUrl, policy: loadReminderPolicy() }).render(row!.notification as Notification);
    // The first attempt reached LINE, but its answer was lost: LINE already knows the key.
    await fetch(`${t.fake.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.fake.channelAccessToken}`, 'content-type': 'application/json', 'x-line-retry-key': row!.retry_key },
      body: JSON.stringify({ to: user, messages }),
    });
    const summary = await run('dispatch');
    expect(summary.dispatched).toMatchObject({ duplicate: 1, sent: 0 });
    expect(pushesTo(user)).toHaveLength(1);
    const [after] = await t.context.db.selectFrom('outbound_messages').select(['status', 'outcome']).where('retry_key', '=', row!.retry_key).execute();
    expect(after).toMatchObject({ status: 'sent', outcome: 'duplicate' });
  });

  it('honours 429 Retry-After before trying again', async () => {
    const user = await freshBorrowerDueSoon('RM-429');
    t.fake.failNext({ path: '/v2/bot/message/push', status: 429, retryAfterSeconds: 30, to: user });
    const summary = await run('dispatch', { patienceMs: 120_000 });
    expect(sleeps.some((ms) => ms >= 30_000)).toBe(true);
    expect(summary.dispatched).toMatchObject({ retried: 1 });
    expect(pushesTo(user)).toHaveLength(1);
    const attempts = t.fake.requestsTo('/v2/bot/message/push').filter((r) => (r.body as { to: string }).to === user);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(0);
  });

  it('retries a timeout, and gives up after the bound with the reason recorded', async () => {
    const user = await freshBorrowerDueSoon('RM-DEAD');
    t.fake.failNext({ path: '/v2/bot/message/push', status: 500, hang: true, to: user });
    t.fake.failNext({ path: '/v2/bot/message/push', status: 503, times: 10, to: user });
    await run('dispatch', { patienceMs: 60 * 60_000 });
    expect(pushesTo(user)).toHaveLength(0);
    const [row] = await t.context.db
      .selectFrom('outbound_messages')
      .select(['id', 'status', 'outcome', 'attempts', 'last_error'])
      .where('loan_id', 'in', sql<number>`(SELECT id FROM loans WHERE contract_no = 'RM-DEAD')`)
      .execute();
    expect(row).toMatchObject({ status: 'dead', outcome: 'gave_up_after_6_attempts', attempts: 6 });
    const attempts = await t.context.db.selectFrom('outbound_attempts').select(['outcome', 'http_status']).where('message_id', '=', row!.id).orderBy('id').execute();
    expect(attempts[0]).toMatchObject({ outcome: 'retry_timeout', http_status: 0 });
    expect(attempts.at(-1)).toMatchObject({ http_status: 503 });
  });

  // Found by following README as a new operator: a refused token is the channel's, not the message's — before, every
  // message due went dead at once ('rejected') and was never sent after the token was put right.
  it('keeps messages waiting while LINE refuses the channel access token, and sends them once it works', async () => {
    const user = await freshBorrowerDueSoon('RM-TOKEN');
    t.fake.revokeAccessToken();
    const refused = await run('dispatch');
    expect(refused.dispatched).toMatchObject({ sent: 0, dead: 0, lineRefusedToken: 401 });
    expect(describeJobSummary(refused)).toContain('LINE refused the channel access token (HTTP 401)');
    const row = () => t.context.db.selectFrom('outbound_messages').select(['status', 'attempts', 'outcome']).where('loan_id', 'in', sql<number>`(SELECT id FROM loans WHERE contract_no = 'RM-TOKEN')`).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ status: 'pending', attempts: 0 });
    t.fake.restoreAccessToken();

    // Refused while sending (the quota read just before went through): held, no attempt counted, tried again later.
    t.fake.failNext({ path: '/v2/bot/message/push', status: 401, to: user });
    const midRun = await run('dispatch');
    expect(midRun.dispatched).toMatchObject({ dead: 0, heldTokenRefused: 1, lineRefusedToken: 401 });
    expect(await row()).toMatchObject({ status: 'pending', attempts: 0, outcome: 'held_token_refused' });
    expect(pushesTo(user)).toHaveLength(0);
    // Her one contact of the day is given back: the message may wait for hours.
    const contactsToday = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM borrower_daily_contacts WHERE borrower_id = (SELECT borrower_id FROM loans WHERE contract_no = 'RM-TOKEN')`.execute(t.context.db);
    expect(contactsToday.rows[0]!.n).toBe(0);

    t.clock.advanceMinutes(5);
    const later = await run('dispatch');
    expect(later.dispatched?.lineRefusedToken).toBeUndefined();
    expect(pushesTo(user)).toHaveLength(1);
    expect(await row()).toMatchObject({ status: 'sent' });
  });

  it('pushes nothing to someone who blocked the account, until they follow again', async () => {
    const user = await freshBorrowerDueSoon('RM-BLOCK');
    await t.deliver([t.fake.unfollowEvent(user)]);
    const summary = await run('dispatch');
    expect(summary.dispatched?.heldBlocked).toBe(1);
    expect(t.fake.requestsTo('/v2/bot/message/push').filter((r) => (r.body as { to: string }).to === user)).toHaveLength(0);
    await t.deliver([t.fake.followEvent(user)]);
    t.clock.set('2026-12-01T03:00:00Z'); // the next morning, past the 12-hour recheck
    await run('dispatch');
    expect(pushesTo(user)).toHaveLength(1);
  });

  it('sends the most urgent first when the monthly quota would run out, and tells the admins', async () => {
    const admin = await t.linkOfficer({ name: 'ผู้ดูแล', role: 'admin' });
    const soon = await freshBorrowerDueSoon('RM-Q-SOON');
    const soonToo = await freshBorrowerDueSoon('RM-Q-SOON2');
    await t.importLoans([{ contract_no: 'RM-Q-LATE', full_name: 'ค้างนาน', first_due_on: '2026-10-01' }]);
    const late = await t.linkBorrower('RM-Q-LATE', 'ค้างนาน');
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    t.fake.monthlyQuota = t.fake.usedThisMonth + 2;
    try {
      const summary = await run('dispatch');
      expect(summary.dispatched?.quota).toMatchObject({ limit: t.fake.monthlyQuota });
      expect(summary.dispatched?.heldQuota).toBeGreaterThanOrEqual(1);
      expect(pushesTo(admin).map((m) => String(m.message.text)).join()).toContain('โควตาข้อความ');
      expect(pushesTo(late)).toHaveLength(1);
      expect(pushesTo(soon)).toHaveLength(0);
      expect(pushesTo(soonToo)).toHaveLength(0);
    } finally {
      t.fake.monthlyQuota = null;
    }
  });
});

describe('officer notifications', () => {
  let tambon: string;
  let otherProvince: string;
  let district: string;

  beforeAll(async () => {
    tambon = await t.linkOfficer({ name: 'กาญจนา', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
    district = await t.linkOfficer({ name: 'วิชัย', role: 'district', area: 'ตราด/เมืองตราด' });
    otherProvince = await t.linkOfficer({ name: 'สมปอง', role: 'province', area: 'จันทบุรี' });
  });

  it('sends each officer a weekly digest of their own area only', async () => {
    t.clock.set('2026-11-30T01:30:00Z'); // Monday 08:30
    const first = await run('officer-digest');
    expect(first.planned).toMatchObject({ digests: 3 });
    await run('officer-digest');
    const mine = pushesTo(tambon).filter((m) => String(m.message.altText ?? '').startsWith('สรุปประจำสัปดาห์'));
    expect(mine).toHaveLength(1);
    const json = JSON.stringify(mine[0]!.message);
    expect(json).toContain('ตำบลบางพระ');
    expect(json).toContain('มาลี ค้างเจ็ดวัน');
    expect(json).toContain('เป้า < 5%');
    expect(json).not.toContain('คนจันทบุรี');
    const theirs = JSON.stringify(pushesTo(otherProvince));
    expect(theirs).toContain('จังหวัดจันทบุรี');
    expect(theirs).not.toContain('มาลี');
    expect(theirs).not.toContain('สมศรี');
  });

  it('reminds tambon and district officers of the monthly forum in one multicast', async () => {
    const forum = await outboxRows('forum_reminder');
    expect(forum.map((row) => row.officer_id).length).toBe(2);
    expect(t.fake.requestsTo('/v2/bot/message/multicast').filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    const forumOf = (user: string) => pushesTo(user).filter((m) => String(m.message.altText ?? '').includes('5 ท.'));
    expect(forumOf(tambon)).toHaveLength(1);
    expect(forumOf(district)).toHaveLength(1);
    expect(forumOf(otherProvince)).toHaveLength(0);
    // Its button opens the tambon's code slips: the forum is where borrowers get onto LINE.
    expect(JSON.stringify(forumOf(tambon)[0]!.message)).toContain('/officer/area');
  });

  it('keeps a multicast waiting under its retry key while LINE refuses the token, then sends it once', async () => {
    t.clock.set('2027-01-04T01:30:00Z'); // Monday 4 Jan 2027 08:30: January's forum reminder, one multicast
    t.fake.failNext({ path: '/v2/bot/message/multicast', status: 401 });
    const refused = await run('officer-digest');
    expect(refused.dispatched).toMatchObject({ dead: 0, lineRefusedToken: 401 });
    const january = async () => (await outboxRows('forum_reminder')).filter((row) => row.dedupe_key.startsWith('forum:2027-01'));
    const held = await january();
    expect(held.map((row) => [row.status, row.outcome, row.attempts])).toEqual([['pending', 'held_token_refused', 0], ['pending', 'held_token_refused', 0]]);
    const key = held[0]!.multicast_retry_key;
    expect(key).not.toBeNull();
    expect(held[1]!.multicast_retry_key).toBe(key);

    t.clock.advanceMinutes(5);
    await run('dispatch');
    expect((await january()).map((row) => row.status)).toEqual(['sent', 'sent']);
    const tries = t.fake.requestsTo('/v2/bot/message/multicast').filter((r) => r.retryKey === key);
    expect(tries.map((r) => r.status)).toEqual([401, 200]);
  });

  it('reminds of the quarterly report 7 days and 1 day before the 5th of March', async () => {
    t.clock.set('2027-02-26T01:30:00Z');
    await run('officer-digest');
    await run('officer-digest');
    t.clock.set('2027-03-04T01:30:00Z');
    await run('officer-digest');
    const texts = pushesTo(district).map((m) => String(m.message.text ?? ''));
    expect(texts.filter((text) => text.includes('5 มีนาคม 2570'))).toHaveLength(2);
    expect(texts.some((text) => text.includes('อีก 7 วัน'))).toBe(true);
    expect(texts.some((text) => text.includes('อีก 1 วัน'))).toBe(true);
    // Each level is told its own part of the report.
    expect(texts.every((text) => !text.includes('5 มีนาคม 2570') || text.includes('รายงานสำนักงานพัฒนาชุมชนจังหวัด'))).toBe(true);
    const tambonTexts = pushesTo(tambon).map((m) => String(m.message.text ?? '')).filter((text) => text.includes('5 มีนาคม 2570'));
    expect(tambonTexts.length).toBeGreaterThan(0);
    expect(tambonTexts.every((text) => text.includes('ให้สำนักงานพัฒนาชุมชนอำเภอ'))).toBe(true);
    expect(pushesTo(otherProvince).map((m) => String(m.message.text ?? '')).filter((text) => text.includes('5 มีนาคม 2570')).every((text) => text.includes('รายงานกรมการพัฒนาชุมชน'))).toBe(true);
  });

  it('lets an officer of the area read a borrower’s delivery history, and nobody else', async () => {
    const borrowerId = (await t.context.db.selectFrom('loans').select('borrower_id').where('contract_no', '=', 'RM-LATE').executeTakeFirstOrThrow()).borrower_id;
    const before = t.fake.messagesTo(tambon).length;
    await t.deliver([t.fake.postbackEvent(tambon, `action=history&borrower=${borrowerId}`)]);
    const history = t.fake.textsTo(tambon).slice(before).join('\n');
    expect(history).toContain('ประวัติการแจ้งเตือนของคุณมาลี ค้างเจ็ดวัน');
    expect(history).toContain('แจ้งเตือนค้างชำระ (7 วัน) · ส่งแล้ว');
    // Every kind in Thai, as on the debtor page (a thank-you read "payment_thanks" in a forum trial).
    expect(history).not.toMatch(/[a-z]+_[a-z]+/);
    const outsider = t.fake.messagesTo(otherProvince).length;
    await t.deliver([t.fake.postbackEvent(otherProvince, `action=history&borrower=${borrowerId}`)]);
    expect(t.fake.textsTo(otherProvince).slice(outsider).join('\n')).toContain('ไม่พบลูกหนี้');
  });
});
