// npm run bench:reports — the officers' reports at the size that matters: a province of 20,000 debtors (two loans each,
// five years of history, follow-ups and promises, some recorded payments) answered over HTTP as its province officer
// (each report p50 / p95, today and as of the end of last quarter, target < 1 s), and the debtor list of 100,000
// debtors (that province and a neighbour of 80,000, one loan each) streamed as an XLSX to a department officer: time,
// size and peak memory (RSS sampled every 20 ms; target < 10 s and < 300 MB). PostgreSQL when DATABASE_URL is set
// (the figure that matters: PGlite keeps the whole database in this process's memory), else PGlite.
// BENCH_DEBTORS changes the province's size, BENCH_XLSX_ROWS the XLSX's, BENCH_REQUESTS the requests per report.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { buildApp } from '../server/http/app.ts';
import { FakeLinePlatform, fakeLineUserId } from '../server/dev/fake-line-platform.ts';
import { ensureAreaPaths } from '../server/db/repos/areas.repo.ts';
import { addDays, bangkokDate } from '../server/domain/local-date.ts';
import { fiscalQuarterOf } from '../server/domain/fiscal-quarter.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { openDatabase } from '../server/db/connection.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

const PROVINCE_DEBTORS = Number(process.env.BENCH_DEBTORS ?? 20_000);
const XLSX_ROWS = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);
const NEIGHBOUR_DEBTORS = Math.max(0, XLSX_ROWS - PROVINCE_DEBTORS);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 12);
const DISTRICTS = 8;
const TAMBONS = 10;

const fake = new FakeLinePlatform();
await fake.start();
// BENCH_REUSE_URL: a PostgreSQL database to seed once and keep (for measuring again after a change), e.g.
// postgres://postgres@127.0.0.1:54329/wdf_reports_bench (created beforehand, empty).
const database = process.env.BENCH_REUSE_URL
  ? await openDatabase({ kind: 'postgres', url: process.env.BENCH_REUSE_URL, poolSize: 10 })
  : await createTestDatabase();
const config = loadConfig({
  PORT: '0',
  LINE_CHANNEL_SECRET: fake.channelSecret,
  LINE_CHANNEL_ACCESS_TOKEN: fake.channelAccessToken,
  LINE_API_BASE_URL: fake.url,
  LINE_LOGIN_CHANNEL_ID: fake.loginChannelId,
  LIFF_ID: '1650000000-bench',
  // A kept database (BENCH_REUSE_URL) needs the same key every run.
  DATA_ENCRYPTION_KEY: process.env.BENCH_REUSE_URL ? Buffer.alloc(32, 7).toString('base64') : randomBytes(32).toString('base64'),
  SCHEDULER: 'off',
  LOG_LEVEL: 'warn',
});
const context = await createContext(config, { database, log: pino({ level: 'warn' }) });
const { db } = context;
const today = bangkokDate(new Date());
console.log(
  `database: ${database.kind}; a province of ${PROVINCE_DEBTORS.toLocaleString('en-US')} debtors and a neighbour of ${NEIGHBOUR_DEBTORS.toLocaleString('en-US')}; ` +
    `load average ${loadavg()[0]!.toFixed(1)}`,
);

// ---------- the data, written in the database directly (the import is benched elsewhere) ----------

const started = performance.now();
await migrateToLatest(db);
const seeded = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM borrowers`.execute(db)).rows[0]!.n) > 0;
const PROVINCES = ['ตราด', 'จันทบุรี'];
const paths = PROVINCES.flatMap((p, pi) => Array.from({ length: DISTRICTS * TAMBONS }, (_, i) => `${p}/อำเภอ${pi}${Math.floor(i / TAMBONS)}/ตำบล${pi}${i}`));
const areaIds = await ensureAreaPaths(db, paths);
const tambonIds = paths.map((path) => areaIds.get(path)!);
const provinceUser = fakeLineUserId('bench-province-officer');
const departmentUser = fakeLineUserId('bench-department-officer');
for (const [user, role, areaPath] of [
  [provinceUser, 'province', PROVINCES[0]],
  [departmentUser, 'department', undefined],
] as const) {
  if (await db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', user).executeTakeFirst()) continue;
  const { code } = await context.services.linking.issueOfficerCode({ fullName: `bench ${role}`, role, areaPath }, { actor: 'bench', at: new Date() });
  await context.services.linking.redeem(user, code, new Date());
}
if (!seeded) {
const GIVEN = ['สมศรี', 'มาลี', 'บุญมี', 'ประไพ', 'จันทร์เพ็ญ', 'สุดา', 'วันเพ็ญ', 'ละเอียด', 'คำปุน', 'อรุณี'];
const FAMILY = ['ใจดี', 'ทองคำ', 'ศรีสุข', 'แก้วมณี', 'รุ่งเรือง', 'พรหมมา', 'สายทอง', 'มีสุข', 'ดวงดี', 'แสงทอง'];
const total = PROVINCE_DEBTORS + NEIGHBOUR_DEBTORS;
await sql`
  INSERT INTO borrowers (national_id_hash, national_id_cipher, national_id_masked, full_name, phone, area_id)
  SELECT 'bench:' || g, 'bench', '3-xxxx-xxxxx-' || lpad((g % 100)::text, 2, '0') || '-' || (g % 10),
         (${GIVEN}::text[])[1 + g % 10] || ' ' || (${FAMILY}::text[])[1 + (g / 10) % 10] || ' ' || g, '08' || lpad((g % 100000000)::text, 8, '0'),
         (${tambonIds}::int[])[1 + CASE WHEN g <= ${PROVINCE_DEBTORS} THEN g % ${DISTRICTS * TAMBONS} ELSE ${DISTRICTS * TAMBONS} + g % ${DISTRICTS * TAMBONS} END]
  FROM generate_series(1, ${total}) g`.execute(db);
// The province: a loan of five years ago, paid off, and one of two years ago, paid on time — except one debtor in ten
// who stopped 1 to 12 months ago; one in a hundred in court, one in a hundred in a relief measure, one in fifty
// restructured. The neighbour: one loan each, the same pattern.
await sql`
  INSERT INTO loans (contract_no, borrower_id, principal_satang, annual_interest_bp, installment_count, frequency, first_due_on, paid_total_satang, litigation, schedule_source)
  SELECT 'A-' || b.id, b.id, 3600000, 300, 36, 'monthly', (${today}::date - interval '5 years')::date, 0, false, 'registry' FROM borrowers b WHERE b.id <= ${PROVINCE_DEBTORS}
  UNION ALL
  SELECT 'B-' || b.id, b.id, 4800000, 300, 48, 'monthly', (${today}::date - interval '24 months' + (b.id % 28)::int * interval '1 day')::date, 0, b.id % 100 = 7,
         CASE WHEN b.id % 50 = 13 THEN 'restructured' ELSE 'registry' END
  FROM borrowers b`.execute(db);
await sql`
  INSERT INTO installments (loan_id, seq, due_on, principal_satang, interest_satang, paid_satang)
  SELECT l.id, s, (l.first_due_on + (s - 1) * interval '1 month')::date, l.principal_satang / l.installment_count, 10000,
         CASE WHEN (l.first_due_on + (s - 1) * interval '1 month')::date
                   < ${today}::date - CASE WHEN l.borrower_id % 10 = 3 AND l.contract_no LIKE 'B-%' THEN ((1 + l.borrower_id % 12) * 30)::int ELSE 0 END
              THEN l.principal_satang / l.installment_count + 10000 ELSE 0 END
  FROM loans l CROSS JOIN LATERAL generate_series(1, l.installment_count) s`.execute(db);
await sql`UPDATE loans l SET paid_total_satang = t.paid FROM (SELECT loan_id, SUM(paid_satang) AS paid FROM installments GROUP BY loan_id) t WHERE t.loan_id = l.id`.execute(db);
// The registry's first paid totals (the opening balances), imported a year ago.
await sql`
  INSERT INTO payments (loan_id, amount_satang, source, recorded_at, note)
  SELECT id, paid_total_satang, 'registry_import', now() - interval '365 days', 'bench.csv' FROM loans WHERE paid_total_satang > 0`.execute(db);
  const officerId = (await db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', provinceUser).executeTakeFirstOrThrow()).officer_id!;
// Since then, one debtor in three paid at the counter each month for the last four months (so "as of" an earlier day
// has payments to take back): recorded payments of the last installments paid.
await sql`
  INSERT INTO payments (loan_id, amount_satang, source, recorded_at, paid_on, channel, receipt_no, recorded_by, note)
  SELECT l.id, 130000, 'officer', now(), (${today}::date - k * 30), 'counter', 'R-' || l.id || '-' || k, ${officerId}::int, 'bench'
  FROM loans l CROSS JOIN generate_series(1, 4) k WHERE l.contract_no LIKE 'B-%' AND l.borrower_id % 3 = 0 AND l.borrower_id % 10 <> 3`.execute(db);
await sql`
  INSERT INTO loan_measures (loan_id, measure_code, starts_on, ends_on, created_at)
  SELECT l.id, CASE WHEN l.borrower_id % 200 = 11 THEN 'debt_suspension' ELSE 'keep_paying' END, ${today}::date - 60, ${today}::date + 300, now()
  FROM loans l WHERE l.borrower_id % 100 = 11 AND l.contract_no LIKE 'B-%'`.execute(db);

// Follow-ups: every debtor of the province twice a year for five years, those behind every month for a year.
await sql`
  INSERT INTO follow_ups (borrower_id, officer_id, idempotency_key, kind, stage, contacted_on, outcome, note, next_action_on, created_at, updated_at)
  SELECT b.id, ${officerId}::int, 'bench-' || b.id || '-' || k,
         (ARRAY['visit','phone','line','letter','forum','warning_letter'])[1 + (b.id + k) % 6],
         (ARRAY['check','follow','warn','persist','contact'])[1 + (b.id + k) % 5],
         (${today}::date - k * 182 - (b.id % 30)::int),
         (ARRAY['met','not_home','refused','promised','paid','moved','other','met'])[1 + (b.id * 7 + k) % 8],
         'เยี่ยมบ้านตามแผน', NULL::date, now(), now()
  FROM borrowers b CROSS JOIN generate_series(0, 9) k WHERE b.id <= ${PROVINCE_DEBTORS}
  UNION ALL
  SELECT b.id, ${officerId}::int, 'bench-late-' || b.id || '-' || k, 'phone', 'warn', (${today}::date - k * 30 - (b.id % 7)::int), 'promised', NULL, NULL, now(), now()
  FROM borrowers b CROSS JOIN generate_series(0, 11) k WHERE b.id % 10 = 3 AND b.id <= ${PROVINCE_DEBTORS}`.execute(db);
await sql`
  INSERT INTO payment_promises (follow_up_id, borrower_id, loan_id, amount_satang, made_on, promised_on, status, paid_satang, judged_at, created_at)
  SELECT f.id, f.borrower_id, NULL, 150000, f.contacted_on, f.contacted_on + 7,
         CASE WHEN f.contacted_on + 7 >= ${today}::date THEN 'open' WHEN f.id % 3 = 0 THEN 'kept' ELSE 'broken' END,
         0, CASE WHEN f.contacted_on + 7 < ${today}::date THEN (f.contacted_on + 8)::timestamptz END, now()
  FROM follow_ups f WHERE f.outcome = 'promised'`.execute(db);
await sql`ANALYZE`.execute(db);
}
const counts = await sql<{ borrowers: number; loans: number; installments: number; payments: number; follow_ups: number }>`
  SELECT (SELECT count(*) FROM borrowers)::int AS borrowers, (SELECT count(*) FROM loans)::int AS loans, (SELECT count(*) FROM installments)::int AS installments,
         (SELECT count(*) FROM payments)::int AS payments, (SELECT count(*) FROM follow_ups)::int AS follow_ups`.execute(db);
console.log(`data: ${JSON.stringify(counts.rows[0])} in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// ---------- the reports, over HTTP ----------

const app = await buildApp(context);
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const tokens = { province: fake.issueIdToken(provinceUser, 7200), department: fake.issueIdToken(departmentUser, 7200) };
const get = async (path: string, who: keyof typeof tokens = 'province') => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${Buffer.from(body).toString().slice(0, 200)}`);
  return body;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(label: string, path: string): Promise<number> {
  await get(path); // warm
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    await get(path);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(0).padStart(5)} ms`;
  console.log(`${label.padEnd(52)} n=${String(times.length).padStart(3)}  p50 ${ms(percentile(times, 50))}  p95 ${ms(percentile(times, 95))}  max ${ms(times.at(-1)!)}`);
  return percentile(times, 95);
}

const lastQuarterEnd = addDays(fiscalQuarterOf(today).startsOn, -1);
const p95s: number[] = [];
for (const kind of ['ageing', 'collections', 'activity', 'measures', 'debtors']) {
  p95s.push(await measure(`${kind}, province, today`, `/api/liff/officer/reports/${kind}`));
}
p95s.push(await measure(`ageing, province, as of ${lastQuarterEnd}`, `/api/liff/officer/reports/ageing?asOf=${lastQuarterEnd}`));
p95s.push(await measure('debtors, province, red only', `/api/liff/officer/reports/debtors?colour=red`));
p95s.push(await measure('budget page (bases + overdue rate per district)', '/api/liff/officer/budget'));
console.log(`reports p95, worst: ${Math.max(...p95s).toFixed(0)} ms for a province of ${PROVINCE_DEBTORS.toLocaleString('en-US')} debtors (target < 1000 ms)`);

// ---------- the XLSX of 100,000 debtors, streamed ----------

const baseline = process.memoryUsage();
let peakRss = baseline.rss;
let peakHeap = baseline.heapUsed;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed);
}, 20);
const t0 = performance.now();
const response = await fetch(`${base}/api/liff/officer/reports/debtors/xlsx`, { headers: { authorization: `Bearer ${tokens.department}` } });
if (!response.ok || !response.body) throw new Error(`xlsx: ${response.status}`);
let bytes = 0;
let firstByteMs = 0;
for await (const chunk of response.body) {
  if (bytes === 0) firstByteMs = performance.now() - t0;
  bytes += (chunk as Uint8Array).byteLength;
}
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
const mb = (v: number) => `${(v / 1024 / 1024).toFixed(0)} MB`;
const rows = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM debtor_positions WHERE unpaid_total_satang > 0`.execute(db)).rows[0]!.n;
console.log(
  `XLSX debtor list: ${rows.toLocaleString('en-US')} debtors with something owed, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${seconds.toFixed(2)} s ` +
    `(first byte after ${firstByteMs.toFixed(0)} ms); peak RSS ${mb(peakRss)} (before ${mb(baseline.rss)}), peak heap ${mb(peakHeap)} — targets < 10 s, < 300 MB`,
);
console.log(`load average now ${loadavg()[0]!.toFixed(1)}`);

await app.close();
await context.close();
await database.close();
await fake.stop();
