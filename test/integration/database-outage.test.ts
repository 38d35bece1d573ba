// PostgreSQL restarts and outages (issue 12, defect 1): a running server (webhooks, schedules) and a running CLI job
// ride them out. Before, both exited with "Unhandled 'error' event … terminating connection due to administrator
// command" (57P01). Runs against a PostgreSQL cluster of its own that it restarts (skipped without binaries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { FakeLinePlatform } from '../../server/dev/fake-line-platform.ts';
import { enqueueOutboxMessages } from '../../server/services/outbox.service.ts';
import type { AppContext } from '../../server/context.ts';
import { hasPostgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.ts';
import { prepareDatabase, productionEnv, type PreparedDatabase } from '../support/production-setup.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { runCli } from '../support/cli.ts';

let cluster: ThrowawayPostgres;
let fake: FakeLinePlatform;
let prepared: PreparedDatabase;

beforeAll(async () => {
  if (!hasPostgresBinaries) return;
  cluster = await startThrowawayPostgres();
  fake = new FakeLinePlatform();
  await fake.start();
  prepared = await prepareDatabase(cluster.url, fake, { borrowers: 30, officers: 2 });
}, 180_000);

afterAll(async () => {
  await fake?.stop();
  await cluster?.destroy();
});

const until = async (check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function statusOf(url: string) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return 0;
  }
}

/** Queues `count` messages for an officer, each its own push with its own retry key (contact hours do not apply). */
async function queueForOfficer(context: AppContext, officerUserId: string, count: number, tag: string) {
  const link = await context.db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', officerUserId).executeTakeFirstOrThrow();
  return enqueueOutboxMessages(
    context.db,
    Array.from({ length: count }, (_, i) => ({
      dedupeKey: `outage-test:${tag}:${i}`,
      kind: 'report_reminder',
      recipient: { type: 'officer' as const, officerId: link.officer_id! },
      notification: { kind: 'report_reminder' as const, reportDate: '2026-12-05', daysLeft: i },
      notBefore: context.clock.now(),
      contactWindow: 'anytime' as const,
    })),
  );
}

async function sentCount(tag: string): Promise<number> {
  const client = new pg.Client({ connectionString: prepared.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_messages WHERE dedupe_key LIKE $1 AND status = 'sent'`, [`outage-test:${tag}:%`]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

const pushesWithKeys = (officer: string) => fake.acceptedCalls.filter((call) => call.to === officer && call.via === 'push');

describe.skipIf(!hasPostgresBinaries)('a PostgreSQL restart under a running server', () => {
  let server: ServerProcess;

  afterAll(async () => {
    await server?.kill('SIGTERM');
  });

  it('keeps serving: webhooks answered once each, 503 (then redelivered) while the database is away, /livez up, /readyz down, schedules going on', async () => {
    server = await startServerProcess(productionEnv(prepared, fake, { SCHEDULER: 'on', CRON_DISPATCH: '* * * * * *', CRON_BORROWER_REMINDERS: '0 0 1 1 *', CRON_OFFICER_DIGEST: '0 0 1 1 *' }));
    const [a, b, c] = [prepared.borrowers.slice(0, 10), prepared.borrowers.slice(10, 20), prepared.borrowers.slice(20, 30)];
    const say = (users: string[]) => Promise.all(users.map((user) => fake.deliverWebhook(`${server.url}/webhook`, [fake.textEvent(user, 'มาตรการ')])));

    // 1. A fast restart (every connection terminated with 57P01) while events are being handled.
    const eventsOfA = a.map((user) => fake.textEvent(user, 'มาตรการ'));
    const during = Promise.all(eventsOfA.map((event) => fake.deliverWebhook(`${server.url}/webhook`, [event])));
    await cluster.restart();
    const statuses = (await during).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(server.alive()).toBe(true);

    // 2. An outage of a few seconds: liveness stays up, readiness goes down, webhooks answer 503 so LINE redelivers.
    await cluster.stopServer();
    expect(await statusOf(`${server.url}/livez`)).toBe(200);
    expect(await statusOf(`${server.url}/readyz`)).toBe(503);
    expect(await statusOf(`${server.url}/healthz`)).toBe(503);
    const eventsOfB = b.map((user) => fake.textEvent(user, 'มาตรการ'));
    const refused = await Promise.all(eventsOfB.map((event) => fake.deliverWebhook(`${server.url}/webhook`, [event])));
    expect(refused.map((r) => r.status)).toEqual(b.map(() => 503));
    await sleep(2_000);
    await cluster.start();
    await until(async () => (await statusOf(`${server.url}/readyz`)) === 200, 30_000, 'ready again');
    expect(server.alive()).toBe(true);

    // LINE redelivers what got a 5xx (the same events); new events flow as before.
    for (const [i, event] of eventsOfA.entries()) {
      if (statuses[i] !== 200) expect((await fake.deliverWebhook(`${server.url}/webhook`, [fake.redelivery(event)])).status).toBe(200);
    }
    const redelivered = await Promise.all(eventsOfB.map((event) => fake.deliverWebhook(`${server.url}/webhook`, [fake.redelivery(event)])));
    expect(redelivered.map((r) => r.status)).toEqual(b.map(() => 200));
    expect((await say(c)).map((r) => r.status)).toEqual(c.map(() => 200));
    await until(() => [...a, ...b, ...c].every((user) => fake.callsTo(user).length >= 1), 60_000, 'every borrower answered');
    await sleep(1_000);
    for (const user of [...a, ...b, ...c]) expect(fake.callsTo(user)).toHaveLength(1);

    // 3. The schedules kept running: what is queued now is dispatched by the server's own cron (every second here).
    const officer = prepared.officers[0]!;
    await prepared.withContext((context) => queueForOfficer(context, officer, 3, 'server'));
    await until(async () => (await sentCount('server')) === 3, 30_000, 'the scheduled dispatch to send what was queued');
    expect(pushesWithKeys(officer)).toHaveLength(3);
    expect(server.alive()).toBe(true);
    expect(server.logs.some((line) => line.includes('database connection lost'))).toBe(true);
  }, 180_000);
});

describe.skipIf(!hasPostgresBinaries)('a PostgreSQL restart under a running CLI job', () => {
  it('lets `jobs run dispatch` finish: exit 0, each message sent exactly once', async () => {
    const officer = prepared.officers[1]!;
    const count = 40;
    await prepared.withContext((context) => queueForOfficer(context, officer, count, 'cli'));
    // 4 a second: the job runs for about ten seconds, long enough to take the database away under it.
    const env = productionEnv(prepared, fake, { DISPATCH_RATE_PER_SECOND: '4', LOG_LEVEL: 'warn' });
    const job = runCli(['jobs', 'run', 'dispatch'], env);
    await until(() => pushesWithKeys(officer).length >= 6, 60_000, 'the job to be sending');
    await cluster.restart();
    await until(() => pushesWithKeys(officer).length >= 14, 60_000, 'the job to send on');
    await cluster.stopServer();
    await sleep(3_000);
    await cluster.start();
    const result = await job;
    expect(result.code, result.stderr).toBe(0);
    expect(result.lastLine).toContain('dispatch');
    const keys = pushesWithKeys(officer).map((call) => call.retryKey);
    expect(keys).toHaveLength(count);
    expect(new Set(keys).size).toBe(count);
    expect(await sentCount('cli')).toBe(count);
  }, 180_000);
});
