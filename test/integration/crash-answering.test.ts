// A crash while answering (issue 12, defect 2): the server is killed with SIGKILL while it answers 220 borrowers,
// then started again. Every borrower gets exactly one answer — a reply, or a push when the reply token was refused
// on its first use — none twice, none lost. Runs against a PostgreSQL cluster of its own (skipped without binaries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { FakeLinePlatform } from '../../server/dev/fake-line-platform.ts';
import { hasPostgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.ts';
import { prepareDatabase, productionEnv, type PreparedDatabase } from '../support/production-setup.ts';
import { startServerProcess } from '../support/server-process.ts';

const BORROWERS = 220;

let cluster: ThrowawayPostgres;
let fake: FakeLinePlatform;
let prepared: PreparedDatabase;

beforeAll(async () => {
  if (!hasPostgresBinaries) return;
  cluster = await startThrowawayPostgres();
  fake = new FakeLinePlatform();
  await fake.start();
  prepared = await prepareDatabase(cluster.url, fake, { borrowers: BORROWERS });
}, 180_000);

afterAll(async () => {
  await fake?.stop();
  await cluster?.destroy();
});

async function eventCounts(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM webhook_events GROUP BY status`);
    return Object.fromEntries(rows.map((row) => [row.status, row.n])) as Record<string, number>;
  } finally {
    await client.end();
  }
}

const until = async (check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 200) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};

describe.skipIf(!hasPostgresBinaries)('SIGKILL while answering', () => {
  it('answers each of 220 borrowers exactly once across a kill and a restart', async () => {
    const env = productionEnv(prepared, fake);
    const first = await startServerProcess(env);
    const events = prepared.borrowers.map((user) => fake.textEvent(user, 'ยอดหนี้'));
    // LINE delivers the events; each is redelivered until it gets a 2xx (webhook redelivery on).
    const acknowledged = new Set<number>();
    const deliverTo = async (url: string, index: number, again = false) => {
      try {
        const event = events[index]!;
        const result = await fake.deliverWebhook(`${url}/webhook`, [again ? fake.redelivery(event) : event]);
        if (result.status === 200) acknowledged.add(index);
      } catch {
        // the process died under the request: LINE will redeliver it
      }
    };
    const inFlight = events.map((_, index) => deliverTo(first.url, index));

    // Killed in the middle of answering: some replies accepted, others being prepared, recorded or sent. Batched,
    // the server answers 220 faster than a 200 ms poll: each reply takes LINE 30 ms (as a network away would), and
    // the kill follows the 60th answer within a few milliseconds.
    fake.latencyMs = 30;
    await until(() => fake.acceptedCalls.length >= 60, 60_000, '60 answers before the kill', 5);
    expect(await first.kill('SIGKILL')).toBe(null);
    fake.latencyMs = 0;
    await Promise.all(inFlight);
    const answeredBeforeKill = fake.acceptedCalls.length;
    expect(answeredBeforeKill).toBeLessThan(BORROWERS);

    const second = await startServerProcess(env);
    try {
      // LINE redelivers what was not acknowledged; the restarted process takes up what the dead one had claimed.
      await Promise.all(events.map((_, index) => (acknowledged.has(index) ? undefined : deliverTo(second.url, index, true))));
      expect(acknowledged.size).toBe(BORROWERS);
      await until(async () => (await eventCounts(prepared.url)).done === BORROWERS, 90_000, 'every event done');

      // What the restart had to deal with (varies with timing): replies refused because they had gone before the kill.
      const refused = fake.requestsTo('/v2/bot/message/reply').filter((r) => r.status === 400).length;
      console.info(`answered before the kill: ${answeredBeforeKill}; replies refused after the restart (already used): ${refused}`);
      const answers = prepared.borrowers.map((user) => fake.callsTo(user).length);
      const twice = answers.filter((n) => n > 1).length;
      const never = answers.filter((n) => n === 0).length;
      expect({ twice, never }).toEqual({ twice: 0, never: 0 });
      expect(await eventCounts(prepared.url)).toEqual({ done: BORROWERS });
    } finally {
      await second.kill('SIGTERM');
    }
  }, 240_000);
});
