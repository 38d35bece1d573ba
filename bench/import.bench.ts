// npm run bench:import — imports a generated 100,000-row registry (24 monthly installments each) into a
// fresh database (PostgreSQL when DATABASE_URL is set, else PGlite) and reports the time; then re-imports it.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { nationalIdCheckDigit } from '../server/domain/thai-national-id.ts';
import { createTestDatabase } from '../test/support/database.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DISTRICTS = ['เมืองตราด', 'แหลมงอบ', 'บ่อไร่', 'คลองใหญ่', 'เขาสมิง'];

function generateCsv(): string {
  const lines = ['contract_no,national_id,full_name,phone,province,district,subdistrict,principal,annual_interest_rate,installments,frequency,first_due_on,paid_total,litigation'];
  for (let i = 0; i < ROWS; i++) {
    const person = Math.floor(i * 0.9); // some borrowers hold two contracts
    const first12 = `3${String(100_000 + person).padStart(11, '0')}`;
    const district = DISTRICTS[i % DISTRICTS.length];
    lines.push(
      `IMP-${i},${first12}${nationalIdCheckDigit(first12)},ผู้กู้ ทดสอบที่${person},08${String(10_000_000 + (person % 89_999_999)).slice(0, 8)},ตราด,${district},ตำบล${i % 40},` +
        `"${(10_000 + (i % 20) * 1_000).toLocaleString('en-US')}.00",3,24,monthly,2568-0${1 + (i % 9)}-15,${(i % 7) * 500},${i % 97 === 0}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const database = await createTestDatabase();
const context = await createContext(loadConfig({ DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') }), { database, log: pino({ level: 'warn' }) }, { withoutLine: 'plan-only' });
const csv = generateCsv();
console.log(`database: ${database.kind}; ${ROWS.toLocaleString('en-US')} rows, ${(csv.length / 1e6).toFixed(1)} MB of CSV`);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
// A month later: every tenth borrower paid 500 baht more, one contract in a hundred changed its terms.
const nextMonth = csv.replace(/^(IMP-(\d+),.*),(\d+),(true|false)$/gm, (line, head: string, index: string, paid: string, litigation: string) => {
  const i = Number(index);
  if (i % 100 === 0) return `${head.replace(',24,monthly,', ',36,monthly,')},${paid},${litigation}`;
  return i % 10 === 0 ? `${head},${Number(paid) + 500},${litigation}` : line;
});
for (const [run, file] of [['first import', csv], ['same file again', csv], ['next month (10% paid, 1% new terms)', nextMonth]] as const) {
  const started = performance.now();
  const result = await context.services.registry.importCsv(file, { actor: 'bench', fileName: 'bench.csv', at: new Date() });
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(JSON.stringify(result).slice(0, 500));
  console.log(
    `${run.padEnd(38)} ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s): ` +
      `${result.loansCreated} created, ${result.loansUpdated} updated, ${result.borrowersTotal} borrowers, ${result.installmentsWritten} installments written`,
  );
}
clearInterval(sampler);
console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
await context.close();
await database.close();
