// A multicast whose answer was lost is retried under the same X-Line-Retry-Key even when a recipient dropped out
// in between (issue 12, defect 6): nobody receives it twice, and the one who dropped out is not sent it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { enqueueOutboxMessages, multicastBatchKey } from '../../server/services/outbox.service.ts';
import type { Notification } from '../../server/services/notifications.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await t.importLoans([{ contract_no: 'MC-1', province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' }]);
});
afterAll(async () => {
  await t?.close();
});

const dispatch = () => t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });

async function queueForumReminder(officers: string[], month: string) {
  const rows = await t.context.db.selectFrom('line_links').select(['officer_id', 'line_user_id']).where('line_user_id', 'in', officers).execute();
  const notification: Notification = { kind: 'forum_reminder', month };
  await enqueueOutboxMessages(
    t.context.db,
    rows.map((row, index) => ({
      dedupeKey: `test-forum:${month}:${row.officer_id}`,
      kind: 'forum_reminder',
      recipient: { type: 'officer' as const, officerId: row.officer_id! },
      notification,
      notBefore: t.clock.now(),
      contactWindow: 'anytime' as const,
      batchKey: multicastBatchKey(`test-forum:${month}`, notification, index),
    })),
  );
}

describe('multicast retry key', () => {
  it('keeps the key of a multicast whose answer was lost when a recipient drops out before the retry', async () => {
    const officers = [];
    for (const name of ['หนึ่ง', 'สอง', 'สาม', 'สี่']) officers.push(await t.linkOfficer({ name: `เจ้าหน้าที่${name}`, role: 'district', area: 'ตราด/เมืองตราด' }));
    await queueForumReminder(officers, '2026-12');

    // LINE delivers to all four and remembers the key, but its answer never arrives (a 500 on the way back).
    t.fake.failNext({ path: '/v2/bot/message/multicast', status: 500, afterDelivery: true });
    const first = await dispatch();
    expect(first.dispatched).toMatchObject({ retried: 4 });
    for (const officer of officers) expect(t.fake.callsTo(officer)).toHaveLength(1);

    // Before the retry, one of them blocks the account: the retry goes to three.
    const dropped = officers[3]!;
    expect((await t.deliver([t.fake.unfollowEvent(dropped)])).status).toBe(200);
    t.clock.advanceMinutes(1);
    const retry = await dispatch();
    expect(retry.dispatched?.sent).toBe(0);

    // The same key: LINE answers 409, so nobody got it twice — and the one who dropped out counts as delivered.
    for (const officer of officers) expect(t.fake.callsTo(officer)).toHaveLength(1);
    const keys = t.fake.requestsTo('/v2/bot/message/multicast').map((r) => r.retryKey);
    expect(new Set(keys).size).toBe(1);
    const statuses = await sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM outbound_messages WHERE dedupe_key LIKE 'test-forum:2026-12:%' GROUP BY status`.execute(t.context.db);
    expect(statuses.rows).toEqual([{ status: 'sent', n: 4 }]);
  });

  it('sends a recipient who dropped out of a multicast that never went under a key of its own later', async () => {
    const officers = [];
    for (const name of ['ห้า', 'หก', 'เจ็ด']) officers.push(await t.linkOfficer({ name: `เจ้าหน้าที่${name}`, role: 'district', area: 'ตราด/เมืองตราด' }));
    await queueForumReminder(officers, '2027-01');

    // The request never reached LINE (no answer, nothing delivered).
    t.fake.failNext({ path: '/v2/bot/message/multicast', status: 500 });
    await dispatch();
    for (const officer of officers) expect(t.fake.callsTo(officer)).toHaveLength(0);

    const dropped = officers[2]!;
    await t.deliver([t.fake.unfollowEvent(dropped)]);
    t.clock.advanceMinutes(1);
    await dispatch();
    expect(t.fake.callsTo(officers[0]!)).toHaveLength(1);
    expect(t.fake.callsTo(officers[1]!)).toHaveLength(1);
    expect(t.fake.callsTo(dropped)).toHaveLength(0);

    // Following again: the one left out gets it now, under a key of its own (the old one answered 200 to the others).
    await t.deliver([t.fake.followEvent(dropped)]);
    t.clock.advanceMinutes(13 * 60);
    await dispatch();
    const forum = t.fake.callsTo(dropped).filter((call) => call.via === 'multicast');
    expect(forum).toHaveLength(1);
    const keys = t.fake.requestsTo('/v2/bot/message/multicast').filter((r) => r.status === 200).map((r) => r.retryKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
