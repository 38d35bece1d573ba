// npm run bench:webhook — signed LINE text-message events through the whole pipeline (signature check,
// inbox insert, 200, then handling: identity lookup, debt or measures answer, answer recorded, reply to the fake
// LINE platform), measured with autocannon on loopback for 10 s a run, beside a bare Fastify + HMAC route.
// Two things are measured: acknowledgements (the 200 LINE waits for) and answers (replies the fake platform
// accepted): answers/s at saturation, and answer latency — event sent (its timestamp, set as it goes out) to reply
// accepted — p50/p99 at 500 events/s offered, after the backlog drains.
// Uses DATABASE_URL when set, otherwise embedded PGlite in memory. The fake LINE platform and the load generator
// each run in a process of their own.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { sql } from 'kysely';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { buildApp } from '../server/http/app.ts';
import { createWebhookInbox } from '../server/services/webhook-inbox.service.ts';
import { createHmac } from 'node:crypto';
import { fakeLineUserId, signWebhookBody, webhookEvent } from '../server/dev/fake-line-platform.ts';
import { nationalIdCheckDigit } from '../server/domain/thai-national-id.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { startFakeLineProcess } from './support/fake-line-process.ts';
import { machineCpuSeconds, parentPid, processCpuSeconds, processTreeCpu, treeCpuBetween } from './support/cpu-time.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BORROWERS = 500;

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  /** Reply token → when its event went out (epoch ms), for answer latency. */
  sentAt?: Record<string, number>;
  /** CPU seconds the load generator itself used. */
  cpuSeconds: number;
}

/** What the load generator sends: events to sign as they go, or a fixed body (the bare route). */
type LoadBodies = { events: Array<Record<string, unknown>>; channelSecret: string } | { fixed: { body: string; signature: string } };

/**
 * autocannon runs in a child process so the load generator does not share the server's event loop. Each event gets
 * its timestamp and signature as it goes out, so latency is measured from the moment it left.
 */
function runLoad(url: string, bodies: LoadBodies, ratePerSecond?: number): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wdf-bench-'));
  const bodiesFile = path.join(dir, 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(bodies));
  const source = `
    const autocannon = require('autocannon');
    const { createHmac } = require('node:crypto');
    const fs = require('node:fs');
    const [url, bodiesFile, duration, connections, rate, outFile] = process.argv.slice(1);
    const bodies = JSON.parse(fs.readFileSync(bodiesFile, 'utf8'));
    const sentAt = {};
    let next = 0;
    const cpuAtStart = process.cpuUsage(); // its own start-up and the bodies' parsing are not the load's
    autocannon({
      url, duration: Number(duration), connections: Number(connections), method: 'POST',
      ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
      headers: { 'content-type': 'application/json' },
      requests: [{
        setupRequest(request) {
          if (bodies.fixed) return { ...request, body: bodies.fixed.body, headers: { ...request.headers, 'x-line-signature': bodies.fixed.signature } };
          const event = bodies.events[next++ % bodies.events.length];
          event.timestamp = Date.now();
          sentAt[event.replyToken] = event.timestamp;
          const body = JSON.stringify({ destination: 'Ubench', events: [event] });
          const signature = createHmac('sha256', bodies.channelSecret).update(body).digest('base64');
          return { ...request, body, headers: { ...request.headers, 'x-line-signature': signature } };
        },
      }],
    }, (error, result) => {
      if (error) throw error;
      fs.writeFileSync(outFile, JSON.stringify({
        requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
        total: result.requests.total, non2xx: result.non2xx, errors: result.errors, sentAt,
        cpuSeconds: (process.cpuUsage(cpuAtStart).user + process.cpuUsage(cpuAtStart).system) / 1e6,
      }));
    });
  `;
  const outFile = path.join(dir, 'result.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source, url, bodiesFile, String(DURATION_SECONDS), String(CONNECTIONS), String(ratePerSecond ?? 0), outFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`load generator exited with ${code}`);
        resolve(JSON.parse(readFileSync(outFile, 'utf8')) as LoadResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!);

function benchRegistry(): string {
  const header = 'contract_no,national_id,full_name,phone,province,district,subdistrict,principal,annual_interest_rate,installments,frequency,first_due_on,paid_total,litigation';
  const rows = Array.from({ length: BORROWERS }, (_, i) => {
    const first12 = `3${String(500_000 + i).padStart(11, '0')}`;
    return `BENCH-${i},${first12}${nationalIdCheckDigit(first12)},ผู้กู้ ทดสอบ${i},0800000000,ตราด,เมืองตราด,บางพระ,24000,3,24,monthly,2026-01-15,${(i % 3) * 2000},false`;
  });
  return `${header}\n${rows.join('\n')}\n`;
}

async function main() {
  const fake = await startFakeLineProcess();
  // A fresh database of its own (on the DATABASE_URL server when set), dropped afterwards.
  const database = await createTestDatabase();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LINE_CHANNEL_SECRET: fake.channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: fake.channelAccessToken,
    LINE_API_BASE_URL: fake.url,
    LINE_LOGIN_CHANNEL_ID: fake.loginChannelId,
    LIFF_ID: 'bench-liff',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SCHEDULER: 'off',
  });
  const context = await createContext(config, { log: pino({ level: 'warn' }), database });
  const now = new Date();
  const imported = await context.services.registry.importCsv(benchRegistry(), { actor: 'bench', fileName: 'bench.csv', at: now });
  if (!imported.ok) throw new Error('bench registry failed to import');

  const users: string[] = [];
  for (let i = 0; i < BORROWERS; i++) {
    const userId = fakeLineUserId(`bench-${i}-${randomBytes(3).toString('hex')}`);
    const { code } = await context.services.linking.issueBorrowerCode({ contractNo: `BENCH-${i}` }, { actor: 'bench', at: now });
    await context.services.linking.redeem(userId, code, now);
    users.push(userId);
  }

  // One event a request, each with a fresh reply token the fake platform will honour (they last a minute); the load
  // generator stamps and signs each as it sends it.
  const texts = ['ยอดหนี้', 'มาตรการ', 'ค้างเท่าไหร่', 'วิธีจ่าย'];
  async function eventsFor(count: number) {
    const chatIds = Array.from({ length: count }, (_, i) => users[i % users.length]!);
    const tokens: string[] = [];
    for (let start = 0; start < count; start += 10_000) tokens.push(...(await fake.replyTokens(chatIds.slice(start, start + 10_000))));
    return chatIds.map((userId, i) => webhookEvent('message', userId, Date.now(), { replyToken: tokens[i], message: { type: 'text', id: String(i), text: texts[i % texts.length] } }));
  }

  const app = await buildApp(context);
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  // The baseline: Fastify with the same raw-body parsing and HMAC check, answering at once.
  const bare = Fastify({ logger: false });
  bare.removeContentTypeParser('application/json');
  bare.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  bare.post('/bare', async (request, reply) => {
    const expected = createHmac('sha256', fake.channelSecret).update(request.body as Buffer).digest('base64');
    if (expected !== request.headers['x-line-signature']) return reply.code(401).send({});
    return { ok: true };
  });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  // Where the CPU went, per answer: what 2 cores allow is (2 × 1,000 ms) ÷ (CPU ms an answer costs in all).
  // PostgreSQL is the postmaster of this database's server and its backends, when it runs on this machine.
  const postmasterPid = await (async () => {
    if (context.database.kind !== 'postgres') return undefined;
    const backend = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(context.db)).rows[0]!.pid;
    return parentPid(backend);
  })();
  const cpuNow = () => ({
    app: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    postgres: postmasterPid === undefined ? undefined : processTreeCpu(postmasterPid),
    fake: fake.pid === undefined ? undefined : processCpuSeconds(fake.pid),
    machine: machineCpuSeconds(),
    loop: performance.eventLoopUtilization(),
  });
  function cpuPerAnswer(before: ReturnType<typeof cpuNow>, after: ReturnType<typeof cpuNow>, loadCpu: number, answers: number, seconds: number): string {
    if (answers === 0) return 'CPU per answer: no answers';
    const ms = (from?: number, to?: number) => (from === undefined || to === undefined ? undefined : ((to - from) * 1000) / answers);
    const app = ms(before.app, after.app)!;
    const postgres = before.postgres && after.postgres ? (treeCpuBetween(before.postgres, after.postgres) * 1000) / answers : undefined;
    const parts = [
      `app ${app.toFixed(2)} ms`,
      postgres !== undefined ? `PostgreSQL ${postgres.toFixed(2)} ms`
        : context.database.kind === 'postgres' ? 'PostgreSQL: not on this machine' : 'PostgreSQL: in the app (PGlite)',
    ];
    const fakeMs = ms(before.fake, after.fake);
    if (fakeMs !== undefined) parts.push(`fake LINE ${fakeMs.toFixed(2)} ms`);
    parts.push(`load generator ${((loadCpu * 1000) / answers).toFixed(2)} ms`);
    const total = app + (postgres ?? 0) + (fakeMs ?? 0) + (loadCpu * 1000) / answers;
    const machine = before.machine && after.machine
      ? `; machine busy ${(((after.machine.busy - before.machine.busy) / (seconds * after.machine.cores)) * 100).toFixed(0)} % of ${after.machine.cores} cores`
      : '';
    const loop = performance.eventLoopUtilization(after.loop, before.loop).utilization;
    return `CPU per answer: ${parts.join(', ')} = ${total.toFixed(2)} ms${machine}; the app's event loop busy ${(loop * 100).toFixed(0)} %`;
  }

  const doneCount = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_events WHERE status = 'done'`.execute(context.db)).rows[0]!.n;
  const line = (name: string, r: LoadResult) =>
    `${name.padEnd(36)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ` +
    `(${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`;

  /** One webhook run: acknowledgements (rate, latency), then answers: how many, how fast, how late. */
  async function webhookRun(name: string, rate?: number) {
    const events = await eventsFor(Math.ceil((rate ?? 6000) * DURATION_SECONDS * 1.2));
    await fake.replyTimes(); // forget earlier runs
    const handledBefore = await doneCount();
    const cpuBefore = cpuNow();
    const started = Date.now();
    const result = await runLoad(`${appUrl}/webhook`, { events, channelSecret: fake.channelSecret }, rate);
    const loadSeconds = (Date.now() - started) / 1000;
    await context.services.inbox.idle();
    const drainedSeconds = (Date.now() - started) / 1000;
    const cpuAfter = cpuNow();
    const handled = (await doneCount()) - handledBefore;
    const replies = await fake.replyTimes();
    const latencies: number[] = [];
    let lastReply = started;
    for (const [token, sent] of Object.entries(result.sentAt ?? {})) {
      const accepted = replies[token];
      if (accepted === undefined) continue;
      latencies.push(accepted - sent);
      lastReply = Math.max(lastReply, accepted);
    }
    latencies.sort((a, b) => a - b);
    const answerSeconds = (lastReply - started) / 1000;
    console.log(line(name, result));
    console.log(
      `${''.padEnd(36)} answers: ${latencies.length} replies accepted in ${answerSeconds.toFixed(1)} s = ${(latencies.length / answerSeconds).toFixed(0)} answers/s; ` +
        `answer latency (sent → reply accepted) p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms; ` +
        `${handled} events done (load ${loadSeconds.toFixed(1)} s, drained ${(drainedSeconds - loadSeconds).toFixed(1)} s after)`,
    );
    console.log(`${''.padEnd(36)} ${cpuPerAnswer(cpuBefore, cpuAfter, result.cpuSeconds, latencies.length, drainedSeconds)}`);
    return { acks: result.requestsPerSecond, answers: latencies.length / answerSeconds };
  }

  console.log(`database: ${context.database.kind}; ${DURATION_SECONDS} s per run, ${CONNECTIONS} connections, ${BORROWERS} linked borrowers; ` +
    'each event: signature, inbox insert, 200, then identity + debt/measures lookup, answer recorded, Flex reply to the fake LINE platform (own process)');
  const saturated = await webhookRun('POST /webhook, as fast as possible');
  await webhookRun('POST /webhook at 500 events/s', 500);

  // The ceiling for acknowledgements here: the same route storing each event durably before its 200, with nothing
  // answered (each event is still queued and marked done, without a word), in an app of its own.
  const storeOnlyInbox = createWebhookInbox({
    db: context.db,
    log: pino({ level: 'warn' }),
    answerer: { prepare: async () => undefined, reply: async () => 'delivered', push: async () => {} },
  });
  const storeOnlyApp = await buildApp({ ...context, services: { ...context.services, inbox: storeOnlyInbox } });
  const storeOnlyUrl = await storeOnlyApp.listen({ port: 0, host: '127.0.0.1' });
  // Enough distinct events for 10,000/s (beyond that the load generator would resend stored ones, which cost less).
  const storeOnly = await runLoad(`${storeOnlyUrl}/webhook`, { events: await eventsFor(10_000 * DURATION_SECONDS), channelSecret: fake.channelSecret });
  await storeOnlyInbox.idle();
  console.log(line('POST /webhook, stored but not answered', storeOnly));
  const baseline = await runLoad(`${bareUrl}/bare`, { fixed: (() => {
    const body = JSON.stringify({ destination: 'Ubench', events: [] });
    return { body, signature: signWebhookBody(body, fake.channelSecret) };
  })() });
  console.log(line('bare Fastify + HMAC route (same run)', baseline));
  // The same route sent what /webhook is sent (an event a request, signed as it goes): the load generator's work per
  // request is then the same on both sides of the comparison, on the same two cores.
  const baselineSigned = await runLoad(`${bareUrl}/bare`, { events: await eventsFor(10_000 * DURATION_SECONDS), channelSecret: fake.channelSecret });
  console.log(line('bare route, sent signed events', baselineSigned));
  console.log(
    `acknowledgements at saturation: ${((saturated.acks / baseline.requestsPerSecond) * 100).toFixed(0)} % of the bare route ` +
      `(stored but not answered: ${((storeOnly.requestsPerSecond / baseline.requestsPerSecond) * 100).toFixed(0)} %)`,
  );
  console.log(
    `against the bare route sent signed events: ${((saturated.acks / baselineSigned.requestsPerSecond) * 100).toFixed(0)} % ` +
      `(stored but not answered: ${((storeOnly.requestsPerSecond / baselineSigned.requestsPerSecond) * 100).toFixed(0)} %)`,
  );
  const stats = await fake.stats();
  console.log(`fake LINE platform: ${stats.requests['POST /v2/bot/message/reply 200'] ?? 0} replies accepted, ${stats.delivered} messages delivered`);

  await bare.close();
  await storeOnlyApp.close();
  await app.close();
  await context.close();
  await database.close();
  fake.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
