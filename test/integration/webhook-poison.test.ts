// Poison events are isolated (issue 12, defects 3 and 4): events LINE can deliver — a text with U+0000, a lone
// surrogate, JSON nested a thousand levels, a text of 105,000 characters — are stored (made storable) or
// acknowledged and logged as malformed; they never fail the requests that arrive beside them, never answer 5xx, and
// never hold the event loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { fakeLineUserId, signWebhookBody } from '../../server/dev/fake-line-platform.ts';
import { eventStatus } from '../../server/db/repos/webhook-events.repo.ts';

let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ logLines });
});
afterAll(async () => {
  await t?.close();
});

/** A body exactly as given (escapes and all), signed over its bytes as LINE does. */
function rawRequest(rawBody: string) {
  return t.fake.deliverWebhook(t.webhookUrl, [], { rawBody, signature: signWebhookBody(rawBody, t.fake.channelSecret) });
}

/** A text event written out by hand, so that `text` may hold JSON escapes JSON.stringify would never produce. */
function handWrittenTextEvent(userId: string, escapedText: string, extra = '') {
  const template = t.fake.textEvent(userId, 'x') as { webhookEventId: string; replyToken: string };
  const json =
    `{"type":"message","mode":"active","timestamp":${Date.now()},"source":{"type":"user","userId":"${userId}"},` +
    `"webhookEventId":"${template.webhookEventId}","deliveryContext":{"isRedelivery":false},"replyToken":"${template.replyToken}",` +
    `"message":{"type":"text","id":"1","text":"${escapedText}"${extra}}}`;
  return { json, eventId: template.webhookEventId };
}

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('poison events', () => {
  it('stores or acknowledges every poison event, and answers all 20 valid requests sent at the same moment', async () => {
    const valid = Array.from({ length: 20 }, (_, i) => fakeLineUserId(`neighbour-${i}`));
    const nulUser = fakeLineUserId('nul-sender');
    const surrogateUser = fakeLineUserId('surrogate-sender');
    const deepUser = fakeLineUserId('deep-sender');
    const nul = handWrittenTextEvent(nulUser, 'ยอด\\u0000หนี้');
    const surrogate = handWrittenTextEvent(surrogateUser, 'มาตร\\ud800การ \\udfff');
    const deepEvent = handWrittenTextEvent(deepUser, 'มาตรการ', `,"nested":${nested(1_200)}`);
    const body = (json: string) => `{"destination":"Ubot","events":[${json}]}`;

    const poison = [rawRequest(body(nul.json)), rawRequest(body(surrogate.json)), rawRequest(body(deepEvent.json))];
    const neighbours = valid.map((user) => t.fake.deliverWebhook(t.webhookUrl, [t.fake.textEvent(user, 'มาตรการ')]));
    const answers = await Promise.all([...poison, ...neighbours]);
    await t.context.services.inbox.idle();

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const user of valid) expect(t.fake.callsTo(user)).toHaveLength(1);
    // NUL and lone surrogates are stored with U+FFFD in their place, and answered like any text.
    expect(await eventStatus(t.context.db, nul.eventId)).toMatchObject({ status: 'done' });
    expect(await eventStatus(t.context.db, surrogate.eventId)).toMatchObject({ status: 'done' });
    expect(t.fake.callsTo(nulUser)).toHaveLength(1);
    expect(t.fake.callsTo(surrogateUser)).toHaveLength(1);
    const stored = await sql<{ text: string }>`SELECT payload->'message'->>'text' AS text FROM webhook_events WHERE event_id = ${nul.eventId}`.execute(t.context.db);
    expect(stored.rows[0]!.text).toBe('ยอด\uFFFDหนี้');
    // Nested beyond any LINE event: acknowledged, logged, never stored or answered.
    expect(await eventStatus(t.context.db, deepEvent.eventId)).toBeUndefined();
    expect(t.fake.callsTo(deepUser)).toHaveLength(0);
    expect(logLines.some((line) => line.includes('nested too deeply'))).toBe(true);
  });

  it('skips an event nested too deeply but stores the good event in the same request', async () => {
    const user = fakeLineUserId('deep-beside-good');
    const deep = handWrittenTextEvent(fakeLineUserId('deep-inner'), 'x', `,"nested":${nested(100)}`);
    const good = JSON.stringify(t.fake.textEvent(user, 'มาตรการ'));
    const result = await rawRequest(`{"destination":"Ubot","events":[${deep.json},${good}]}`);
    await t.context.services.inbox.idle();
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ received: 1, new: 1 });
    expect(t.fake.callsTo(user)).toHaveLength(1);
  });

  it('answers 105,000 characters of text at once: cut to LINE’s 5,000 before any matching', async () => {
    const user = fakeLineUserId('long-text');
    const text = 'ยอดหนี้ค้างชำระเท่าไหร่ '.repeat(4_400); // ≈ 105,000 characters
    expect(text.length).toBeGreaterThan(100_000);
    const started = performance.now();
    const result = await t.deliver([t.fake.textEvent(user, text)]);
    const elapsedMs = performance.now() - started;
    expect(result.status).toBe(200);
    expect(t.fake.callsTo(user)).toHaveLength(1);
    // Before: intent matching took 16 s for this many characters, holding every other request.
    expect(elapsedMs).toBeLessThan(3_000);
    const stored = await sql<{ n: number }>`
      SELECT length(payload->'message'->>'text')::int AS n FROM webhook_events WHERE source_user_id = ${user}`.execute(t.context.db);
    expect(stored.rows[0]!.n).toBe(5_000);
  });

  it('stores each event of a batch on its own when the database refuses one, and answers the others', async () => {
    // A database that refuses one particular event (as PostgreSQL refused NUL or bad escapes before they were
    // cleaned): only that event fails; the requests that shared its INSERT do not.
    await sql`CREATE OR REPLACE FUNCTION refuse_marked_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload::text LIKE '%refuse-me%' THEN RAISE EXCEPTION 'this event cannot be stored' USING ERRCODE = '22P02'; END IF;
        RETURN NEW;
      END $$`.execute(t.context.db);
    await sql`CREATE TRIGGER refuse_marked BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION refuse_marked_event()`.execute(t.context.db);
    try {
      const users = Array.from({ length: 10 }, (_, i) => fakeLineUserId(`batch-mate-${i}`));
      const refusedUser = fakeLineUserId('refused');
      const requests = [
        t.fake.deliverWebhook(t.webhookUrl, [t.fake.textEvent(refusedUser, 'refuse-me')]),
        ...users.map((user) => t.fake.deliverWebhook(t.webhookUrl, [t.fake.textEvent(user, 'มาตรการ')])),
      ];
      const answers = await Promise.all(requests);
      await t.context.services.inbox.idle();
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      for (const user of users) expect(t.fake.callsTo(user)).toHaveLength(1);
      expect(t.fake.callsTo(refusedUser)).toHaveLength(0);
      expect(logLines.some((line) => line.includes('refused by the database'))).toBe(true);
    } finally {
      await sql`DROP TRIGGER refuse_marked ON webhook_events`.execute(t.context.db);
    }
  });
});
