// `npm run cli -- import payments FILE.csv` as an operator runs it: the last stdout line is the one-line summary
// (recorded, already known, unmatched); the same file twice records nothing more; a malformed row writes nothing.
// Runs on PostgreSQL (DATABASE_URL: a database of its own) or on an embedded PGlite folder of its own.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, POSTGRES_URL } from '../support/database.ts';
import { registryCsv, registryRow } from '../support/registry.ts';

let dir: string;
let env: Record<string, string>;
let closeDatabase: () => Promise<void> = async () => undefined;

const AREA = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wdf-statement-'));
  const key = randomBytes(32).toString('base64');
  if (POSTGRES_URL) {
    const database = await createTestDatabase();
    env = { DATABASE_URL: database.url!, DATA_ENCRYPTION_KEY: key };
    closeDatabase = () => database.close();
  } else {
    env = { PGLITE_DIR: path.join(dir, 'pglite'), DATA_ENCRYPTION_KEY: key };
  }
  await writeFile(
    path.join(dir, 'loans.csv'),
    registryCsv([
      registryRow({ ...AREA, contract_no: 'CLI-2566-0001', full_name: 'สมศรี ใจดี', paid_total: '10,000' }),
      registryRow({ ...AREA, contract_no: 'CLI-2566-0002', full_name: 'มาลี ทองคำ', paid_total: '0' }),
    ]),
  );
  const loans = await runCli(['import', 'loans', path.join(dir, 'loans.csv')], env);
  expect(loans.code, loans.stdout + loans.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await closeDatabase();
  await rm(dir, { recursive: true, force: true });
});

describe('import payments from the CLI', () => {
  const statement = ['paid_on,amount,ref1,ref2,reference', '2026-11-20,"1,000.00",CLI25660001,,SCB-1', '2026-11-20,250,NOBODY01,,SCB-2', '2026-11-21,300,CLI25660002,,SCB-3'].join('\n');

  it('records matched lines, lists the exceptions, and ends with the summary line', async () => {
    await writeFile(path.join(dir, 'statement.csv'), statement);
    const result = await runCli(['import', 'payments', path.join(dir, 'statement.csv')], env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.lastLine).toBe('statement import: recorded 2, already known 0, unmatched 1');
    expect(result.stdout).toContain('บรรทัด 3 (รายการ SCB-2)');
  }, 60_000);

  it('the same file again records nothing', async () => {
    const result = await runCli(['import', 'payments', path.join(dir, 'statement.csv')], env);
    expect(result.code).toBe(0);
    expect(result.lastLine).toBe('statement import: recorded 0, already known 3, unmatched 0');
  }, 60_000);

  it('a malformed row: nothing written, every bad row listed, exit code 1', async () => {
    const bad = ['paid_on,amount,ref1,ref2,reference', '2026-11-22,100,CLI25660002,,SCB-10', '2026-13-01,100,CLI25660002,,SCB-11', '2026-11-22,abc,CLI25660002,,SCB-12'].join('\n');
    await writeFile(path.join(dir, 'bad.csv'), bad);
    const result = await runCli(['import', 'payments', path.join(dir, 'bad.csv')], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('บรรทัด 3 (รายการ SCB-11)');
    expect(result.stdout).toContain('บรรทัด 4 (รายการ SCB-12)');
    expect(result.lastLine).toBe('statement import failed: 2 bad rows, nothing recorded');
    // Nothing of the file was written: its good line is still new.
    await writeFile(path.join(dir, 'good.csv'), ['paid_on,amount,ref1,ref2,reference', '2026-11-22,100,CLI25660002,,SCB-10'].join('\n'));
    expect((await runCli(['import', 'payments', path.join(dir, 'good.csv')], env)).lastLine).toBe('statement import: recorded 1, already known 0, unmatched 0');
  }, 90_000);
});
