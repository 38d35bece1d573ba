// npm run bench:webhook — signed LINE text-message events through the whole pipeline (signature check,
// inbox insert, 200, then handling: identity lookup, debt or measures answer, reply to the fake LINE platform),
// measured with autocannon on loopback for 10 s, beside a bare Fastify route in the same run.
// Uses DATABASE_URL when set, otherwise embedded PGlite in memory.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { sql } from 'kysely';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { buildApp } from '../server/http/app.ts';
import { fakeLineUserId, signWebhookBody, webhookEvent } from '../server/dev/fake-line-platform.ts';
import { nationalIdCheckDigit } from '../server/domain/thai-national-id.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { startFakeLineProcess } from './support/fake-line-process.ts';

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
}

/** autocannon runs in a child process so the load generator does not share the server's event loop. */
function runLoad(url: string, bodies: Array<{ body: string; signature: string }> | undefined, ratePerSecond?: number): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wdf-bench-'));
  const bodiesFile = path.join(dir, 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(bodies ?? null));
  const source = `
    const autocannon = require('autocannon');
    const fs = require('node:fs');
    const [url, bodiesFile, duration, connections, rate] = process.argv.slice(1);
    const bodies = JSON.parse(fs.readFileSync(bodiesFile, 'utf8'));
    let next = 0;
    autocannon({
      url, duration: Number(duration), connections: Number(connections), method: 'POST',
      ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
      headers: { 'content-type': 'application/json' },
      requests: [{
        setupRequest(request) {
          if (!bodies) return { ...request, body: '{}' };
          const item = bodies[next++ % bodies.length];
          return { ...request, body: item.body, headers: { ...request.headers, 'x-line-signature': item.signature } };
        },
      }],
    }, (error, result) => {
      if (error) throw error;
      process.stdout.write(JSON.stringify({
        requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
        total: result.requests.total, non2xx: result.non2xx, errors: result.errors,
      }));
    });
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source, url, bodiesFile, String(DURATION_SECONDS), String(CONNECTIONS), String(ratePerSecond ?? 0)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(output) as LoadResult);
    });
  });
}

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

  // Pre-signed bodies, one event each, with fresh reply tokens the fake platform will honour (they last a minute).
  const texts = ['ยอดหนี้', 'มาตรการ', 'ค้างเท่าไหร่', 'วิธีจ่าย'];
  async function signedBodies(count: number) {
    const chatIds = Array.from({ length: count }, (_, i) => users[i % users.length]!);
    const tokens: string[] = [];
    for (let start = 0; start < count; start += 10_000) tokens.push(...(await fake.replyTokens(chatIds.slice(start, start + 10_000))));
    return chatIds.map((userId, i) => {
      const event = webhookEvent('message', userId, Date.now(), { replyToken: tokens[i], message: { type: 'text', id: String(i), text: texts[i % texts.length] } });
      const body = JSON.stringify({ destination: 'Ubench', events: [event] });
      return { body, signature: signWebhookBody(body, fake.channelSecret) };
    });
  }

  const app = await buildApp(context);
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const bare = Fastify({ logger: false });
  bare.post('/bare', async () => ({ ok: true }));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  const doneCount = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_events WHERE status = 'done'`.execute(context.db)).rows[0]!.n;
  const line = (name: string, r: LoadResult) =>
    `${name.padEnd(34)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ` +
    `(${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`;

  /** One webhook run: acknowledgement rate and latency, then how fast the events were handled end to end. */
  async function webhookRun(name: string, rate?: number) {
    const bodies = await signedBodies(Math.ceil((rate ?? 2500) * DURATION_SECONDS * 1.2));
    const handledBefore = await doneCount();
    const started = performance.now();
    const result = await runLoad(`${appUrl}/webhook`, bodies, rate);
    const loadSeconds = (performance.now() - started) / 1000;
    await context.services.inbox.idle();
    const drainedSeconds = (performance.now() - started) / 1000;
    const handled = (await doneCount()) - handledBefore;
    console.log(line(name, result));
    console.log(
      `${''.padEnd(34)} handled end to end: ${handled} events in ${drainedSeconds.toFixed(1)} s = ${(handled / drainedSeconds).toFixed(0)} events/s ` +
        `(load ran ${loadSeconds.toFixed(1)} s; backlog drained ${(drainedSeconds - loadSeconds).toFixed(1)} s after it)`,
    );
  }

  console.log(`database: ${context.database.kind}; ${DURATION_SECONDS} s per run, ${CONNECTIONS} connections, ${BORROWERS} linked borrowers; ` +
    'each event: signature, inbox insert, 200, then identity + debt/measures lookup, Flex reply to the fake LINE platform (own process)');
  await webhookRun('POST /webhook, as fast as possible');
  await webhookRun('POST /webhook at 1,000 events/s', 1000);
  const baseline = await runLoad(`${bareUrl}/bare`, undefined);
  console.log(line('bare Fastify route (same run)', baseline));
  const stats = await fake.stats();
  console.log(`fake LINE platform: ${stats.requests['POST /v2/bot/message/reply 200'] ?? 0} replies accepted, ${stats.delivered} messages delivered`);

  await bare.close();
  await app.close();
  await context.close();
  await database.close();
  fake.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
