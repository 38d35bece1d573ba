// npm run bench:reminders — plans and dispatches borrower reminders for 100,000 linked borrowers against the
// fake LINE platform (its own process) on PostgreSQL (DATABASE_URL; PGlite otherwise). Reports the planning
// time, the dispatch rate second by second against the configured limit, and peak memory.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { sql } from 'kysely';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { planBorrowerReminders } from '../server/services/borrower-reminders.service.ts';
import { dispatchDueMessages, realTimer } from '../server/services/dispatcher.service.ts';
import { createLineClient } from '../server/line/line-messenger.ts';
import { createNotificationRenderer } from '../server/line/notification-renderer.ts';
import { createOutboundMessenger } from '../server/line/outbound-messenger.ts';
import { loadReminderPolicy } from '../server/content/reminder-policy.ts';
import { clockStartingAt } from '../server/services/ports.ts';
import { nationalIdCheckDigit } from '../server/domain/thai-national-id.ts';
import { addDays } from '../server/domain/local-date.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { startFakeLineProcess } from './support/fake-line-process.ts';

const BORROWERS = Number(process.env.BENCH_BORROWERS ?? 100_000);
const RATE = Number(process.env.DISPATCH_RATE_PER_SECOND ?? 500);
// A Tuesday, 10:00 in Bangkok: inside contact hours.
const AT = new Date('2026-12-01T03:00:00Z');
const TODAY = '2026-12-01';

function registry(): string {
  const lines = ['contract_no,national_id,full_name,phone,province,district,subdistrict,principal,annual_interest_rate,installments,frequency,first_due_on,paid_total,litigation'];
  for (let i = 0; i < BORROWERS; i++) {
    const first12 = `4${String(200_000 + i).padStart(11, '0')}`;
    // A third due in 2 days, a third due today, a third 7 days overdue: one reminder each.
    const firstDue = i % 3 === 0 ? addDays(TODAY, 2) : i % 3 === 1 ? TODAY : addDays(TODAY, -7);
    lines.push(`REM-${i},${first12}${nationalIdCheckDigit(first12)},ผู้กู้ที่${i},0800000000,ตราด,อำเภอ${i % 7},ตำบล${i % 50},12000,3,12,monthly,${firstDue},0,false`);
  }
  return `${lines.join('\n')}\n`;
}

function memorySampler() {
  let peakRss = 0;
  let peakHeap = 0;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return { rssMb: Math.round(peakRss / 1024 / 1024), heapMb: Math.round(peakHeap / 1024 / 1024) };
    },
  };
}

const fake = await startFakeLineProcess();
const database = await createTestDatabase();
const config = loadConfig({ DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'), DISPATCH_RATE_PER_SECOND: String(RATE) });
const context = await createContext(config, { database, log: pino({ level: 'warn' }) }, { withoutLine: 'plan-only' });
const log = pino({ level: 'warn' });

console.log(`database: ${database.kind}; ${BORROWERS.toLocaleString('en-US')} linked borrowers; rate limit ${RATE} messages/s`);
let step = performance.now();
const imported = await context.services.registry.importCsv(registry(), { actor: 'bench', fileName: 'bench.csv', at: AT });
if (!imported.ok) throw new Error('bench registry failed');
// Linking 100,000 people through one-time codes is not what this measures: the links are written directly.
await sql`INSERT INTO line_users (line_user_id, following) SELECT 'U' || md5('bench' || id), true FROM borrowers`.execute(context.db);
await sql`INSERT INTO line_links (line_user_id, borrower_id, linked_at) SELECT 'U' || md5('bench' || id), id, now() FROM borrowers`.execute(context.db);
console.log(`setup (import + links): ${((performance.now() - step) / 1000).toFixed(1)} s`);

const policy = loadReminderPolicy();
// Run with --expose-gc (the npm script does): the baseline is then what is really retained, not garbage.
const collect = () => (globalThis as { gc?: () => void }).gc?.();
collect();
const baselineRss = Math.round(process.memoryUsage().rss / 1024 / 1024);
const baselineHeap = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
let memory = memorySampler();
step = performance.now();
const planned = await planBorrowerReminders({ db: context.db, policy }, AT);
const planSeconds = (performance.now() - step) / 1000;
const planMemory = memory.stop();
console.log(
  `plan: ${planSeconds.toFixed(1)} s for ${planned.considered.toLocaleString('en-US')} borrowers → ${planned.newlyQueued.toLocaleString('en-US')} messages queued ` +
    `(${JSON.stringify(planned.planned)}); peak RSS ${planMemory.rssMb} MB, peak heap ${planMemory.heapMb} MB (before planning: RSS ${baselineRss} MB, heap ${baselineHeap} MB)`,
);

const again = await planBorrowerReminders({ db: context.db, policy }, AT);
console.log(`plan again: ${again.newlyQueued} new (idempotent)`);

const lineMessenger = createOutboundMessenger(
  createLineClient({ channelAccessToken: fake.channelAccessToken, apiBaseUrl: fake.url }),
  createNotificationRenderer({ liffUrl: 'https://liff.line.me/bench', policy }),
);
// Every push's start time, to check the limit over every one-second window, wherever it falls.
const pushStarts: number[] = [];
const messenger = {
  ...lineMessenger,
  push: (...args: Parameters<typeof lineMessenger.push>) => {
    pushStarts.push(performance.now());
    return lineMessenger.push(...args);
  },
};
collect();
memory = memorySampler();
step = performance.now();
const dispatched = await dispatchDueMessages({
  db: context.db,
  databaseKind: database.kind,
  messenger,
  clock: clockStartingAt(AT),
  timer: realTimer,
  log,
  policy,
  ratePerSecond: RATE,
});
const dispatchSeconds = (performance.now() - step) / 1000;
const dispatchMemory = memory.stop();
let busiestWindow = 0;
for (let start = 0, end = 0; end < pushStarts.length; end++) {
  while (pushStarts[end]! - pushStarts[start]! >= 1000) start++;
  busiestWindow = Math.max(busiestWindow, end - start + 1);
}
const perSecond: number[] = [];
for (const at of pushStarts) perSecond[Math.floor((at - pushStarts[0]!) / 1000)] = (perSecond[Math.floor((at - pushStarts[0]!) / 1000)] ?? 0) + 1;
const whole = perSecond.slice(0, -1).map((n) => n ?? 0).sort((a, b) => a - b);
console.log(
  `dispatch: ${dispatched.sent.toLocaleString('en-US')} sent in ${dispatchSeconds.toFixed(1)} s = ${(dispatched.sent / dispatchSeconds).toFixed(0)} messages/s ` +
    `(limit ${RATE}); busiest one-second window ${busiestWindow}; per whole second: min ${whole[0]}, median ${whole[Math.floor(whole.length / 2)]}, max ${whole.at(-1)}; ` +
    `retried ${dispatched.retried}, dead ${dispatched.dead}, deferred ${dispatched.deferredOutsideHours + dispatched.deferredDailyLimit}`,
);
console.log(`dispatch memory: peak RSS ${dispatchMemory.rssMb} MB, peak heap ${dispatchMemory.heapMb} MB`);
const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbound_messages WHERE status = 'pending'`.execute(context.db);
console.log(`still pending after the run: ${left.rows[0]!.n}`);

await context.close();
await database.close();
fake.stop();
