// npm run bench:officer — a province of 20,000 debtors with five years of history (and two neighbouring provinces
// of 10,000 each, so the area filter has work to do), then the officers' pages over HTTP as a province officer: the
// debtor list with each filter (p50 / p95 / p99, one at a time and 4 at a time), My area, My work, a debtor's page,
// and a tambon's 300 link-code slips as a PDF. PostgreSQL when DATABASE_URL is set (the figure that matters),
// else PGlite. BENCH_DEBTORS changes the province's size; BENCH_REQUESTS the requests per scenario.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { buildApp } from '../server/http/app.ts';
import { FakeLinePlatform, fakeLineUserId } from '../server/dev/fake-line-platform.ts';
import { ensureAreaPaths } from '../server/db/repos/areas.repo.ts';
import { bangkokDate } from '../server/domain/local-date.ts';
import { createTestDatabase } from '../test/support/database.ts';

const PROVINCE_DEBTORS = Number(process.env.BENCH_DEBTORS ?? 20_000);
const NEIGHBOUR_DEBTORS = Math.round(PROVINCE_DEBTORS / 2);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const PROVINCES = ['ตราด', 'จันทบุรี', 'ระยอง'];
const DISTRICTS = 8;
const TAMBONS = 10;
const SLIP_TAMBON_DEBTORS = 300;

const fake = new FakeLinePlatform();
await fake.start();
const database = await createTestDatabase();
const config = loadConfig({
  PORT: '0',
  LINE_CHANNEL_SECRET: fake.channelSecret,
  LINE_CHANNEL_ACCESS_TOKEN: fake.channelAccessToken,
  LINE_API_BASE_URL: fake.url,
  LINE_LOGIN_CHANNEL_ID: fake.loginChannelId,
  LIFF_ID: '1650000000-bench',
  LINE_ADD_FRIEND_URL: 'https://line.me/R/ti/p/@wdf-bench',
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  SCHEDULER: 'off',
  LOG_LEVEL: 'warn',
});
const context = await createContext(config, { database, log: pino({ level: 'warn' }) });
const { db } = context;
const today = bangkokDate(new Date());
console.log(`database: ${database.kind}; a province of ${PROVINCE_DEBTORS.toLocaleString('en-US')} debtors and two of ${NEIGHBOUR_DEBTORS.toLocaleString('en-US')}; load average ${loadavg()[0]!.toFixed(1)}`);

// ---------- five years of a province, written in the database directly (the import is benched elsewhere) ----------

const started = performance.now();
const paths = PROVINCES.flatMap((p, pi) => Array.from({ length: DISTRICTS * TAMBONS }, (_, i) => `${p}/อำเภอ${pi}${Math.floor(i / TAMBONS)}/ตำบล${pi}${i}`));
const areaIds = await ensureAreaPaths(db, paths);
const tambonIds = paths.map((path) => areaIds.get(path)!);
const total = PROVINCE_DEBTORS + 2 * NEIGHBOUR_DEBTORS;
const GIVEN = ['สมศรี', 'มาลี', 'บุญมี', 'ประไพ', 'จันทร์เพ็ญ', 'สุดา', 'วันเพ็ญ', 'ละเอียด', 'คำปุน', 'อรุณี', 'ทองใบ', 'เรไร', 'สมใจ', 'บุษบา', 'ลำดวน', 'นงลักษณ์', 'พิมพา', 'รัตนา', 'ศิริพร', 'อำไพ'];
const FAMILY = ['ใจดี', 'ทองคำ', 'ศรีสุข', 'แก้วมณี', 'รุ่งเรือง', 'พรหมมา', 'สายทอง', 'มีสุข', 'ดวงดี', 'แสงทอง', 'นาคสวัสดิ์', 'บุญมา', 'ทองสุข', 'ใจงาม', 'ศรีสวัสดิ์', 'บุญเรือง', 'แสงจันทร์', 'มั่นคง', 'พูลผล', 'ชัยมงคล'];

// Borrower g: province by range; in the province the first 300 live in one tambon (the slips), the rest spread out.
await sql`
  INSERT INTO borrowers (national_id_hash, national_id_cipher, national_id_masked, full_name, phone, area_id)
  SELECT 'bench:' || g, 'bench', '3-xxxx-xxxxx-' || lpad((g % 100)::text, 2, '0') || '-' || (g % 10),
         (${GIVEN}::text[])[1 + g % 20] || ' ' || (${FAMILY}::text[])[1 + (g / 20) % 20] || ' ' || g,
         NULL,
         (${tambonIds}::int[])[1 + CASE
           WHEN g <= ${SLIP_TAMBON_DEBTORS} THEN 0
           WHEN g <= ${PROVINCE_DEBTORS} THEN 1 + g % ${DISTRICTS * TAMBONS - 1}
           WHEN g <= ${PROVINCE_DEBTORS + NEIGHBOUR_DEBTORS} THEN ${DISTRICTS * TAMBONS} + g % ${DISTRICTS * TAMBONS}
           ELSE ${2 * DISTRICTS * TAMBONS} + g % ${DISTRICTS * TAMBONS} END]
  FROM generate_series(1, ${total}) g`.execute(db);

// Two loans each: one of five years ago, paid off; one of two years ago, paid on time — except one debtor in ten
// who stopped 1 to 8 months ago; one in a hundred is in court, one in a hundred in a relief measure.
await sql`
  INSERT INTO loans (contract_no, borrower_id, principal_satang, annual_interest_bp, installment_count, frequency, first_due_on, paid_total_satang, litigation)
  SELECT 'A-' || b.id, b.id, 3600000, 300, 36, 'monthly', (${today}::date - interval '5 years')::date, 0, false FROM borrowers b
  UNION ALL
  SELECT 'B-' || b.id, b.id, 4800000, 300, 48, 'monthly', (${today}::date - interval '24 months' + (b.id % 28)::int * interval '1 day')::date, 0, b.id % 100 = 7
  FROM borrowers b`.execute(db);
await sql`
  INSERT INTO installments (loan_id, seq, due_on, principal_satang, interest_satang, paid_satang)
  SELECT l.id, s, (l.first_due_on + (s - 1) * interval '1 month')::date, l.principal_satang / l.installment_count, 10000,
         CASE WHEN (l.first_due_on + (s - 1) * interval '1 month')::date
                   < ${today}::date - CASE WHEN l.borrower_id % 10 = 3 AND l.contract_no LIKE 'B-%' THEN ((1 + l.borrower_id % 8) * 30)::int ELSE 0 END
              THEN l.principal_satang / l.installment_count + 10000 ELSE 0 END
  FROM loans l CROSS JOIN LATERAL generate_series(1, l.installment_count) s`.execute(db);
await sql`UPDATE loans l SET paid_total_satang = t.paid FROM (SELECT loan_id, SUM(paid_satang) AS paid FROM installments GROUP BY loan_id) t WHERE t.loan_id = l.id`.execute(db);
await sql`
  INSERT INTO payments (loan_id, amount_satang, source, recorded_at, note)
  SELECT id, paid_total_satang, 'registry_import', now() - interval '30 days', 'bench.csv' FROM loans WHERE paid_total_satang > 0`.execute(db);
await sql`
  INSERT INTO loan_measures (loan_id, measure_code, starts_on, ends_on, created_at)
  SELECT l.id, 'keep_paying', ${today}::date - 60, ${today}::date + 300, now() FROM loans l WHERE l.borrower_id % 100 = 11 AND l.contract_no LIKE 'B-%'`.execute(db);

// The officers, and five years of their follow-ups: every debtor twice a year, those behind every month for a year.
const officerUser = fakeLineUserId('bench-province-officer');
const { code } = await context.services.linking.issueOfficerCode({ fullName: 'พรทิพย์ ใจงาม', role: 'province', areaPath: PROVINCES[0] }, { actor: 'bench', at: new Date() });
await context.services.linking.redeem(officerUser, code, new Date());
const officerId = (await db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', officerUser).executeTakeFirstOrThrow()).officer_id!;
await sql`
  INSERT INTO follow_ups (borrower_id, officer_id, idempotency_key, kind, stage, contacted_on, outcome, note, next_action_on, created_at, updated_at)
  SELECT b.id, ${officerId}::int, 'bench-' || b.id || '-' || k,
         (ARRAY['visit','phone','line','letter','forum','warning_letter'])[1 + (b.id + k) % 6],
         (ARRAY['check','follow','warn','persist','contact'])[1 + (b.id + k) % 5],
         (${today}::date - k * 182 - (b.id % 30)::int),
         (ARRAY['met','not_home','refused','promised','paid','moved','other','met'])[1 + (b.id * 7 + k) % 8],
         'เยี่ยมบ้านตามแผน', CASE WHEN k = 0 THEN ${today}::date + (b.id % 14)::int END, now(), now()
  FROM borrowers b CROSS JOIN generate_series(0, 9) k
  UNION ALL
  SELECT b.id, ${officerId}::int, 'bench-late-' || b.id || '-' || k, 'phone', 'warn', (${today}::date - k * 30 - (b.id % 7)::int), 'promised',
         NULL, CASE WHEN k = 0 THEN ${today}::date + 3 END, now(), now()
  FROM borrowers b CROSS JOIN generate_series(0, 11) k WHERE b.id % 10 = 3`.execute(db);
await sql`
  INSERT INTO payment_promises (follow_up_id, borrower_id, loan_id, amount_satang, made_on, promised_on, status, paid_satang, judged_at, created_at)
  SELECT f.id, f.borrower_id, NULL, 150000, f.contacted_on, f.contacted_on + 7,
         CASE WHEN f.contacted_on + 7 >= ${today}::date THEN 'open' WHEN f.id % 3 = 0 THEN 'kept' ELSE 'broken' END,
         0, CASE WHEN f.contacted_on + 7 < ${today}::date THEN (f.contacted_on + 8)::timestamptz END, now()
  FROM follow_ups f WHERE f.outcome = 'promised'`.execute(db);
await sql`ANALYZE`.execute(db);
const counts = await sql<{ borrowers: number; installments: number; follow_ups: number; promises: number }>`
  SELECT (SELECT count(*) FROM borrowers)::int AS borrowers, (SELECT count(*) FROM installments)::int AS installments,
         (SELECT count(*) FROM follow_ups)::int AS follow_ups, (SELECT count(*) FROM payment_promises)::int AS promises`.execute(db);
console.log(`data: ${JSON.stringify(counts.rows[0])} in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// ---------- the pages, over HTTP ----------

const app = await buildApp(context);
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const token = fake.issueIdToken(officerUser, 7200);
const get = async (path: string) => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${Buffer.from(body).toString().slice(0, 200)}`);
  return body;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(label: string, path: string | (() => string), options: { requests?: number; concurrency?: number } = {}) {
  const requests = options.requests ?? REQUESTS;
  const concurrency = options.concurrency ?? 1;
  const pathOf = typeof path === 'string' ? () => path : path;
  await get(pathOf()); // warm: the token check is remembered, the plan cached
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const t0 = performance.now();
      await get(pathOf());
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(0).padStart(4)} ms`;
  console.log(`${label.padEnd(48)} n=${String(times.length).padStart(3)} ×${concurrency}  p50 ${ms(percentile(times, 50))}  p95 ${ms(percentile(times, 95))}  p99 ${ms(percentile(times, 99))}  max ${ms(times.at(-1)!)}`);
  return percentile(times, 95);
}

const tambon = tambonIds[5]!;
const list = '/api/liff/officer/debtors';
const p95s: number[] = [];
p95s.push(await measure('debtor list, first page', list));
p95s.push(await measure('debtor list, colour=red', `${list}?colour=red`));
p95s.push(await measure('debtor list, dpd=90+', `${list}?dpd=90%2B`));
p95s.push(await measure('debtor list, search by name', () => `${list}?q=${encodeURIComponent(`${GIVEN[Math.floor(Math.random() * 20)]} ${FAMILY[Math.floor(Math.random() * 20)]}`)}`));
p95s.push(await measure('debtor list, search by contract', () => `${list}?q=B-${1 + Math.floor(Math.random() * PROVINCE_DEBTORS)}`));
p95s.push(await measure('debtor list, tambon', `${list}?tambon=${tambon}`));
p95s.push(await measure('debtor list, no contact in 30 days', `${list}?noContactDays=30`));
p95s.push(await measure('debtor list, promise due this week', `${list}?promiseDue=week`));
p95s.push(await measure('debtor list, page 40 of 20', `${list}?page=40&pageSize=20`));
p95s.push(await measure('debtor list, first page, 4 at a time', list, { concurrency: 4, requests: REQUESTS * 2 }));
console.log(`debtor list p95, worst scenario: ${Math.max(...p95s).toFixed(0)} ms (target < 300 ms)`);
const borrowerIds = (await sql<{ id: number }>`SELECT id FROM borrowers WHERE id <= ${PROVINCE_DEBTORS} ORDER BY random() LIMIT 200`.execute(db)).rows.map((r) => r.id);
await measure('debtor page (5 years of timeline)', () => `${list}/${borrowerIds[Math.floor(Math.random() * borrowerIds.length)]}`);
await measure('My work this week', '/api/liff/officer/work', { requests: Math.max(10, REQUESTS / 3) });
await measure('My area (province, per district)', '/api/liff/officer/area', { requests: Math.max(10, REQUESTS / 6) });

// A tambon's 300 slips: the one-time link draws the codes and streams the PDF.
const slipTimes: number[] = [];
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  const created = await fetch(`${base}/api/liff/officer/link-code-batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tambon: tambonIds[0] }),
  }).then((r) => r.json() as Promise<{ downloadUrl: string; slipCount: number }>);
  const pdf = await fetch(`${base}${created.downloadUrl}`).then((r) => r.arrayBuffer());
  slipTimes.push(performance.now() - t0);
  if (run === 0) console.log(`slips: ${created.slipCount} borrowers, ${(pdf.byteLength / 1024).toFixed(0)} KiB of PDF`);
}
console.log(`a tambon's ${SLIP_TAMBON_DEBTORS} slips (codes + PDF): ${slipTimes.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} (target < 5 s)`);
console.log(`load average now ${loadavg()[0]!.toFixed(1)}`);

await app.close();
await context.close();
await database.close();
await fake.stop();
