// npm run bench:import — imports a generated 100,000-row registry (24 monthly installments each: 2.4 million
// installment rows) through the CLI, on a file, as an operator runs it (`npm run cli -- import loans FILE`), into a
// fresh database (PostgreSQL when DATABASE_URL is set, else a PGlite folder). Reports the wall time and the CLI
// process's peak RSS; then imports the same file again, and a "next month" file; then a file with one bad row at the
// end, which must leave the database exactly as it was (all or nothing).
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { nationalIdCheckDigit } from '../server/domain/thai-national-id.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DISTRICTS = ['เมืองตราด', 'แหลมงอบ', 'บ่อไร่', 'คลองใหญ่', 'เขาสมิง'];
const HEADER = 'contract_no,national_id,full_name,phone,province,district,subdistrict,principal,annual_interest_rate,installments,frequency,first_due_on,paid_total,litigation';

/** Writes the registry line by line (the generator must not be what holds 100,000 rows in memory either). */
async function writeRegistry(file: string, variant: 'first' | 'next-month' | 'bad-last-row'): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${HEADER}\n`);
  for (let i = 0; i < ROWS; i++) {
    const person = Math.floor(i * 0.9); // some borrowers hold two contracts
    const first12 = `3${String(100_000 + person).padStart(11, '0')}`;
    // One borrower lives in one tambon, whichever of her contracts the row is (the import refuses two areas for one ID).
    const district = DISTRICTS[person % DISTRICTS.length];
    // A month later: every tenth borrower paid 500 baht more, one contract in a hundred changed its terms.
    let installments = 24;
    let paid = (i % 7) * 500;
    if (variant === 'next-month' && i % 100 === 0) installments = 36;
    else if (variant === 'next-month' && i % 10 === 0) paid += 500;
    const nationalId = variant === 'bad-last-row' && i === ROWS - 1 ? '1111111111111' : `${first12}${nationalIdCheckDigit(first12)}`;
    await write(
      `IMP-${i},${nationalId},ผู้กู้ ทดสอบที่${person},08${String(10_000_000 + (person % 89_999_999)).slice(0, 8)},ตราด,${district},บางพระ${person % 40},` +
        `"${(10_000 + (i % 20) * 1_000).toLocaleString('en-US')}.00",3,${installments},monthly,2568-0${1 + (i % 9)}-15,${paid},${i % 97 === 0}\n`,
    );
  }
  out.end();
  await once(out, 'close');
}

/** Runs the CLI as an operator would and samples its peak RSS (VmHWM) until it exits. */
function runImport(file: string, env: Record<string, string>): Promise<{ code: number; seconds: number; peakRssMb: number; lastLine: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // What `npm run cli` runs (package.json), without npm's own process in between: its flags matter for memory.
    const child = spawn(process.execPath, ['--max-semi-space-size=8', '--max-old-space-size=512', '--import', 'tsx', 'server/cli/main.ts', 'import', 'loans', file], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let peakKb = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // gone already
      }
    };
    const sampler = setInterval(sample, 50);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      resolve({ code: code ?? -1, seconds: (performance.now() - started) / 1000, peakRssMb: Math.round(peakKb / 1024), lastLine: stdout.trim().split('\n').at(-1) ?? '' });
    });
  });
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'wdf-import-bench-'));
  const env: Record<string, string> = { DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  let dropDatabase = async () => undefined as void;
  let counts = async (): Promise<string> => 'n/a';
  if (process.env.DATABASE_URL) {
    const name = `wdf_bench_import_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    counts = async () => {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      const row = (await client.query(`SELECT (SELECT count(*) FROM loans) AS loans, (SELECT count(*) FROM installments) AS installments,
        (SELECT sum(paid_satang) FROM installments) AS paid, (SELECT count(*) FROM payments) AS payments`)).rows[0];
      await client.end();
      return JSON.stringify(row);
    };
    dropDatabase = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    };
  } else {
    env.PGLITE_DIR = path.join(dir, 'pglite');
  }
  try {
    const files = { first: path.join(dir, 'registry.csv'), next: path.join(dir, 'next-month.csv'), bad: path.join(dir, 'bad-last-row.csv') };
    await writeRegistry(files.first, 'first');
    await writeRegistry(files.next, 'next-month');
    await writeRegistry(files.bad, 'bad-last-row');
    console.log(
      `database: ${process.env.DATABASE_URL ? 'postgres' : 'pglite'}; ${ROWS.toLocaleString('en-US')} rows (24 monthly installments each), ` +
        `${(statSync(files.first).size / 1e6).toFixed(1)} MB of CSV; through the CLI (npm run cli -- import loans FILE), its own process`,
    );
    for (const [run, file] of [['first import', files.first], ['same file again', files.first], ['next month (10% paid, 1% new terms)', files.next]] as const) {
      const result = await runImport(file, env);
      if (result.code !== 0) throw new Error(`import failed (${result.code}): ${result.lastLine}`);
      console.log(`${run.padEnd(38)} ${result.seconds.toFixed(1)} s (${Math.round(ROWS / result.seconds).toLocaleString('en-US')} rows/s), peak RSS ${result.peakRssMb} MB — ${result.lastLine}`);
    }
    const before = await counts();
    const bad = await runImport(files.bad, env);
    const after = await counts();
    console.log(
      `${'a bad row on the last line'.padEnd(38)} ${bad.seconds.toFixed(1)} s, peak RSS ${bad.peakRssMb} MB, exit ${bad.code} — ` +
        `${after === before ? 'database unchanged (all or nothing)' : `DATABASE CHANGED: ${before} → ${after}`}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
