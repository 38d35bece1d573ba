// Importing the loan registry: all-or-nothing validation, re-import by contract number, BOM and calendars,
// and the CLI that operators use.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createContext, type AppContext } from '../../server/context.ts';
import { loadConfig } from '../../server/config.ts';
import { loadInstallments } from '../../server/db/repos/loans.repo.ts';
import { anonymiseBorrower } from '../../server/db/repos/retention.repo.ts';
import { createTestDatabase } from '../support/database.ts';
import { registryCsv, registryRow, validNationalId } from '../support/registry.ts';
import { runCli } from '../support/cli.ts';
import pino from 'pino';
import pg from 'pg';

let context: AppContext;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const key = randomBytes(32).toString('base64');
const at = new Date('2026-11-23T03:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  context = await createContext(loadConfig({ DATA_ENCRYPTION_KEY: key, LOG_LEVEL: 'silent' }), { database, log: pino({ level: 'silent' }) }, { withoutLine: 'plan-only' });
});
afterAll(async () => {
  await context?.close();
  await database?.close();
});

const importCsv = (csv: string, options: { allowNewBorrower?: boolean } = {}) => context.services.registry.importCsv(csv, { actor: 'test', fileName: 'x.csv', at, ...options });
const count = async (table: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(context.db)).rows[0]!.n;

describe('registry import', () => {
  it('imports nothing and reports every bad row with its line number and reason', async () => {
    const before = await count('loans');
    const csv = registryCsv([
      registryRow({ contract_no: 'BAD-1' }),
      registryRow({ contract_no: 'BAD-2', national_id: '1111111111111' }),
      registryRow({ contract_no: 'BAD-3', first_due_on: '2026-02-30' }),
      registryRow({ contract_no: 'BAD-1' }),
      registryRow({ contract_no: 'BAD-5', principal: '12,00' }),
    ]);
    const result = await importCsv(csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rowErrors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(result.rowErrors[0]!.reasons[0]).toContain('เลขประจำตัวประชาชน');
    expect(result.rowErrors[1]!.reasons[0]).toContain('first_due_on');
    expect(result.rowErrors[2]!.reasons[0]).toContain('ซ้ำกับบรรทัด 2');
    expect(result.rowErrors[3]!.reasons[0]).toContain('principal');
    expect(await count('loans')).toBe(before);
    expect(await count('borrowers')).toBe(0);
  });

  it('reports a wrong header and rows with the wrong number of columns', async () => {
    const header = await importCsv('contract_no,name\nX,Y\n');
    expect(!header.ok && header.fileProblems[0]).toContain('ขาดคอลัมน์');
    const short = await importCsv(registryCsv([registryRow()]).replace(/\n$/, '\nONLY,TWO\n'));
    expect(!short.ok && short.rowErrors[0]).toMatchObject({ line: 3 });
  });

  it('accepts a UTF-8 BOM, Buddhist Era dates and thousands separators, and builds the schedule', async () => {
    const csv = `\uFEFF${registryCsv([registryRow({ contract_no: 'OK-1', principal: '1,200.00', annual_interest_rate: '6', installments: 3, first_due_on: '2569-01-31', paid_total: '500' })])}`;
    const result = await importCsv(csv);
    expect(result).toMatchObject({ ok: true, loansCreated: 1, loansUpdated: 0, installmentsWritten: 3 });
    const loan = await context.db.selectFrom('loans').selectAll().where('contract_no', '=', 'OK-1').executeTakeFirstOrThrow();
    expect(loan).toMatchObject({ principal_satang: 120_000, annual_interest_bp: 600, first_due_on: '2026-01-31', paid_total_satang: 50_000 });
    const schedule = (await loadInstallments(context.db, [loan.id])).get(loan.id)!;
    expect(schedule).toEqual([
      { seq: 1, dueOn: '2026-01-31', principal: 40_000, interest: 600, paid: 40_600 },
      { seq: 2, dueOn: '2026-02-28', principal: 40_000, interest: 400, paid: 9_400 },
      { seq: 3, dueOn: '2026-03-31', principal: 40_000, interest: 200, paid: 0 },
    ]);
  });

  describe('files as Excel saves them, and registries as people write them', () => {
    const importBytes = (bytes: Buffer) => context.services.registry.importStream((async function* () { yield bytes; })(), { actor: 'test', fileName: 'x.csv', at });
    /** Thai Windows' "CSV (Comma delimited)": TIS-620, Thai letters one byte each (U+0E01 → 0xA1). */
    const tis620 = (text: string) => Buffer.from([...text].map((ch) => (ch >= '\u0E01' && ch <= '\u0E5B' ? ch.charCodeAt(0) - 0x0e00 + 0xa0 : ch.charCodeAt(0))));

    it('refuses a file saved as Thai Windows CSV (not UTF-8), which would have turned every name into garbage', async () => {
      const before = await count('borrowers');
      const result = await importBytes(tis620(registryCsv([registryRow({ contract_no: 'TIS-1', full_name: 'สมศรี ใจดี' })])));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.fileProblems[0]).toContain('ไม่ได้บันทึกเป็น UTF-8');
      expect(!result.ok && result.fileProblems[0]).toContain('CSV UTF-8');
      expect(await count('borrowers')).toBe(before);
      expect(await context.db.selectFrom('areas').select('path').where('path', 'like', '%\uFFFD%').execute()).toEqual([]);
    });

    it('says an Excel workbook is not a CSV, and how to save one', async () => {
      const result = await importBytes(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]));
      expect(!result.ok && result.fileProblems).toEqual([expect.stringContaining('ไฟล์ Excel (.xlsx หรือ .xls) ไม่ใช่ CSV')]);
    });

    it('skips the rows of empty cells Excel leaves after the data', async () => {
      const csv = `${registryCsv([registryRow({ contract_no: 'EMPTY-TAIL-1' })])},,,,,,,,,,,,,\r\n,,,,,,,,,,,,,\r\n`;
      expect(await importCsv(csv)).toMatchObject({ ok: true, loansCreated: 1 });
    });

    it('reads "จ.ตราด", "อำเภอเมืองตราด", "ต.บางพระ" as the one area, and refuses a province that does not exist', async () => {
      const result = await importCsv(registryCsv([registryRow({ contract_no: 'PREFIX-1', province: 'จ.ตราด', district: 'อำเภอเมืองตราด', subdistrict: 'ต. บางพระ' })]));
      expect(result).toMatchObject({ ok: true });
      const area = await sql<{ path: string }>`SELECT a.path FROM loans l JOIN borrowers b ON b.id = l.borrower_id JOIN areas a ON a.id = b.area_id WHERE l.contract_no = 'PREFIX-1'`.execute(context.db);
      expect(area.rows[0]!.path).toBe('ตราด/เมืองตราด/บางพระ');
      const typo = await importCsv(registryCsv([registryRow({ contract_no: 'PREFIX-2', province: 'ตราต' })]));
      expect(!typo.ok && typo.rowErrors[0]!.reasons).toEqual(['ไม่มีจังหวัดชื่อ "ตราต" หมายถึง "ตราด" หรือเปล่า (province)']);
      expect(await context.db.selectFrom('areas').select('path').where('path', 'like', 'ตราต%').execute()).toEqual([]);
    });

    it('refuses a row that gives an existing contract to another person, unless told it passed to an heir', async () => {
      const owner = validNationalId(515_151);
      const other = validNationalId(525_252);
      expect((await importCsv(registryCsv([registryRow({ contract_no: 'OWN-1', national_id: owner, full_name: 'สุดา พรหมมา' })]))).ok).toBe(true);
      const mistyped = await importCsv(registryCsv([registryRow({ contract_no: 'OWN-2', national_id: other, full_name: 'ลำดวน ทองคำ' }), registryRow({ contract_no: 'OWN-1', national_id: other, full_name: 'ลำดวน ทองคำ' })]));
      expect(mistyped.ok).toBe(false);
      expect(!mistyped.ok && mistyped.rowErrors).toEqual([{ line: 3, contractNo: 'OWN-1', reasons: [expect.stringContaining('--allow-new-borrower')] }]);
      const holder = async () => (await sql<{ name: string }>`SELECT b.full_name AS name FROM loans l JOIN borrowers b ON b.id = l.borrower_id WHERE l.contract_no = 'OWN-1'`.execute(context.db)).rows[0]!.name;
      expect(await holder()).toBe('สุดา พรหมมา');
      expect(await context.db.selectFrom('loans').select('id').where('contract_no', '=', 'OWN-2').execute()).toEqual([]);
      // Beside a row bad in itself (before or after it), the report still names the contract given to another person:
      // one report lists every bad row (found by following README as a new operator, where it took two runs).
      for (const rows of [
        [registryRow({ contract_no: 'OWN-3', principal: 'ห้าพัน' }), registryRow({ contract_no: 'OWN-1', national_id: other, full_name: 'ลำดวน ทองคำ' })],
        [registryRow({ contract_no: 'OWN-1', national_id: other, full_name: 'ลำดวน ทองคำ' }), registryRow({ contract_no: 'OWN-3', principal: 'ห้าพัน' })],
      ]) {
        const both = await importCsv(registryCsv(rows));
        expect(!both.ok && both.rowErrors.map((error) => error.contractNo).sort()).toEqual(['OWN-1', 'OWN-3']);
        expect(!both.ok && both.rowErrors.find((error) => error.contractNo === 'OWN-1')!.reasons).toEqual([expect.stringContaining('--allow-new-borrower')]);
      }
      // A contract of a borrower retention anonymised is skipped by an import, so it is no owner change beside a bad row.
      expect((await importCsv(registryCsv([registryRow({ contract_no: 'OWN-ANON', national_id: validNationalId(545_454), full_name: 'ลบ ข้อมูลแล้ว' })]))).ok).toBe(true);
      const anonymised = await context.db.selectFrom('loans').select('borrower_id').where('contract_no', '=', 'OWN-ANON').executeTakeFirstOrThrow();
      await context.db.transaction().execute((trx) => anonymiseBorrower(trx, anonymised.borrower_id, at));
      const besideAnonymised = await importCsv(registryCsv([registryRow({ contract_no: 'OWN-3', principal: 'ห้าพัน' }), registryRow({ contract_no: 'OWN-ANON', national_id: validNationalId(545_454), full_name: 'ลบ ข้อมูลแล้ว' })]));
      expect(!besideAnonymised.ok && besideAnonymised.rowErrors.map((error) => error.contractNo)).toEqual(['OWN-3']);
      const sameOwnerBesideBadRow = await importCsv(registryCsv([registryRow({ contract_no: 'OWN-3', principal: 'ห้าพัน' }), registryRow({ contract_no: 'OWN-1', national_id: owner, full_name: 'สุดา พรหมมา' })]));
      expect(!sameOwnerBesideBadRow.ok && sameOwnerBesideBadRow.rowErrors.map((error) => error.contractNo)).toEqual(['OWN-3']);
      expect(await holder()).toBe('สุดา พรหมมา');

      const heir = await importCsv(registryCsv([registryRow({ contract_no: 'OWN-1', national_id: other, full_name: 'ลำดวน ทองคำ' })]), { allowNewBorrower: true });
      expect(heir.ok).toBe(true);
      expect(await holder()).toBe('ลำดวน ทองคำ');
    });

    it('refuses one national ID written with two names or two areas in one file', async () => {
      const id = validNationalId(535_353);
      const result = await importCsv(registryCsv([
        registryRow({ contract_no: 'TWICE-1', national_id: id, full_name: 'สมหญิง ใจงาม', subdistrict: 'บางพระ' }),
        registryRow({ contract_no: 'TWICE-2', national_id: id, full_name: 'สมหญิง ใจงาม', subdistrict: 'บางพระ' }),
        registryRow({ contract_no: 'TWICE-3', national_id: id, full_name: 'สมหญิง ใจงามมาก', district: 'เขาสมิง', subdistrict: 'แสนตุ้ง' }),
      ]));
      expect(!result.ok && result.rowErrors).toEqual([{ line: 4, contractNo: 'TWICE-3', reasons: [expect.stringContaining('เลขประจำตัวประชาชนเดียวกับบรรทัด 2 แต่ชื่อและพื้นที่ไม่ตรงกัน')] }]);
    });
  });

  it('updates by contract number on re-import and never duplicates', async () => {
    const nationalId = validNationalId(424_242);
    const rows = [
      registryRow({ contract_no: 'RE-1', national_id: nationalId, full_name: 'ชื่อเดิม', paid_total: '0' }),
      registryRow({ contract_no: 'RE-2', national_id: nationalId, full_name: 'ชื่อเดิม', paid_total: '0' }),
    ];
    await importCsv(registryCsv(rows));
    const loansBefore = await count('loans');
    const borrowersBefore = await count('borrowers');
    rows[0]!.paid_total = '2,000';
    rows[0]!.full_name = 'ชื่อใหม่';
    rows[1]!.full_name = 'ชื่อใหม่';
    const again = await importCsv(registryCsv(rows));
    expect(again).toMatchObject({ ok: true, loansCreated: 0, loansUpdated: 2, borrowersCreated: 0 });
    // What the re-import changed: RE-1's paid total rose by 2,000; RE-2 only had its borrower's name corrected.
    expect(again).toMatchObject({ loansUnchanged: 1, paidTotalRaised: 1, paidTotalRaisedBy: 200_000, paidTotalLowered: 0 });
    expect(await count('loans')).toBe(loansBefore);
    expect(await count('borrowers')).toBe(borrowersBefore);
    const loan = await context.db.selectFrom('loans').select(['id', 'paid_total_satang']).where('contract_no', '=', 'RE-1').executeTakeFirstOrThrow();
    expect(loan.paid_total_satang).toBe(200_000);
    expect((await loadInstallments(context.db, [loan.id])).get(loan.id)).toHaveLength(12);
    const payments = await context.db.selectFrom('payments').select('amount_satang').where('loan_id', '=', loan.id).execute();
    expect(payments.map((p) => p.amount_satang)).toEqual([200_000]);
    const borrower = await context.db.selectFrom('borrowers').select('full_name').where('national_id_masked', 'like', '1-xxxx%').where('full_name', '=', 'ชื่อใหม่').execute();
    expect(borrower).toHaveLength(1);
  });

  it('leaves every debtor where the triggers would have placed them: new, repaid, new terms, litigation, a contract that changed hands', async () => {
    // The import places debtors itself (migration 0016): after each import, debtor_positions must equal a recount
    // of everyone from the schedules.
    const positions = async () =>
      (await sql<Record<string, unknown>>`SELECT * FROM debtor_positions ORDER BY borrower_id`.execute(context.db)).rows.map((row) => JSON.stringify(row));
    const recounted = async () => {
      const before = await positions();
      await sql`SELECT refresh_debtor_positions(ARRAY(SELECT id FROM borrowers))`.execute(context.db);
      return { before, after: await positions() };
    };
    const first = validNationalId(81_001);
    const second = validNationalId(81_002);
    const rows = {
      moving: registryRow({ contract_no: 'POS-MOVE', national_id: first, first_due_on: '2026-01-15' }),
      repaid: registryRow({ contract_no: 'POS-PAID', national_id: first, first_due_on: '2026-03-15' }),
      terms: registryRow({ contract_no: 'POS-TERMS', national_id: second }),
      court: registryRow({ contract_no: 'POS-COURT', national_id: validNationalId(81_003) }),
    };
    expect((await importCsv(registryCsv(Object.values(rows)))).ok).toBe(true);
    let check = await recounted();
    expect(check.before).toEqual(check.after);
    const borrowersBefore = await count('borrowers');

    expect(
      (
        await importCsv(
          registryCsv([
            { ...rows.moving, national_id: second }, // the contract is now the second borrower's
            { ...rows.repaid, paid_total: '5,000.00' },
            { ...rows.terms, installments: '24' },
            { ...rows.court, litigation: 'true' },
          ]),
          { allowNewBorrower: true },
        )
      ).ok,
    ).toBe(true);
    check = await recounted();
    expect(check.before).toEqual(check.after);
    expect(await count('borrowers')).toBe(borrowersBefore);
    const owner = (await sql<{ loanCount: number; oldest: string | null }>`
      SELECT p.loan_count AS "loanCount", p.oldest_unpaid_due_on::text AS oldest FROM debtor_positions p
      JOIN loans l ON l.borrower_id = p.borrower_id WHERE l.contract_no = 'POS-PAID'`.execute(context.db)).rows[0]!;
    // The first borrower kept one contract (the other moved): her oldest unpaid installment is that one's.
    expect(owner.loanCount).toBe(1);
    expect(owner.oldest).toBe('2026-08-15');
  });

  // 6,000 loans are three slices of the import (2,500 a slice); a slice's schedules are written while the next slice
  // is prepared.
  const manySlices = (prefix: string, seed: number, { rows = 6_000, poisoned }: { rows?: number; poisoned?: number } = {}) =>
    registryCsv(
      Array.from({ length: rows }, (_, i) =>
        registryRow({
          contract_no: `${prefix}-${i}`,
          // Rows 10, 3,000 and 5,990 are one person: her loans are written in three different slices.
          national_id: validNationalId(seed + ([10, 3_000, 5_990].includes(i) ? 0 : i + 1)),
          installments: i === poisoned ? 37 : 6 + (i % 7),
          first_due_on: `2026-0${1 + (i % 9)}-15`,
          paid_total: String((i % 5) * 1_000),
        }),
      ),
    );

  it('writes a file of several slices whole: every schedule, and every debtor placed as a recount would place her', async () => {
    const before = { loans: await count('loans'), installments: await count('installments') };
    // Vacuumed by the import itself (manual VACUUMs; autovacuum counts apart), so reads right after it answer from
    // the key's entries alone.
    const vacuums = async () =>
      (await sql<{ n: number }>`SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname = 'installments'`.execute(context.db)).rows[0]!.n;
    const vacuumedBefore = await vacuums();
    const result = await importCsv(manySlices('SLC', 700_000));
    expect(result).toMatchObject({ ok: true, loansCreated: 6_000, borrowersCreated: 5_998 });
    expect(await vacuums()).toBe(vacuumedBefore + 1);
    const expectedRows = Array.from({ length: 6_000 }, (_, i) => 6 + (i % 7)).reduce((a, b) => a + b, 0);
    expect(result.ok && result.installmentsWritten).toBe(expectedRows);
    expect(await count('loans')).toBe(before.loans + 6_000);
    expect(await count('installments')).toBe(before.installments + expectedRows);
    // Each schedule as generated, dates included (they travel as day numbers).
    const loan = await context.db.selectFrom('loans').select('id').where('contract_no', '=', 'SLC-5999').executeTakeFirstOrThrow();
    const schedule = (await loadInstallments(context.db, [loan.id])).get(loan.id)!;
    // Row 5,999: first due in month 1 + 5,999 % 9 = June, 6 + 5,999 % 7 = 6 installments.
    expect(schedule.map((i) => i.dueOn)).toEqual(['2026-06-15', '2026-07-15', '2026-08-15', '2026-09-15', '2026-10-15', '2026-11-15']);
    expect(schedule.reduce((sum, i) => sum + i.paid, 0)).toBe((5_999 % 5) * 100_000);

    const positions = async () =>
      (await sql<Record<string, unknown>>`SELECT * FROM debtor_positions ORDER BY borrower_id`.execute(context.db)).rows.map((row) => JSON.stringify(row));
    const placed = await positions();
    await sql`SELECT refresh_debtor_positions(ARRAY(SELECT id FROM borrowers))`.execute(context.db);
    expect(placed).toEqual(await positions());
    const spanning = await sql<{ loanCount: number }>`
      SELECT p.loan_count AS "loanCount" FROM debtor_positions p JOIN loans l ON l.borrower_id = p.borrower_id WHERE l.contract_no = 'SLC-3000'`.execute(context.db);
    expect(spanning.rows[0]!.loanCount).toBe(3);
  });

  it('when writing one slice\'s schedules fails, reports that failure (not a later "transaction is aborted") and keeps nothing', async () => {
    await sql`CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'poisoned schedule'; END $$`.execute(context.db);
    await sql`CREATE TRIGGER test_poison BEFORE INSERT ON installments FOR EACH ROW WHEN (NEW.seq = 37) EXECUTE FUNCTION test_poison()`.execute(context.db);
    try {
      const before = { loans: await count('loans'), installments: await count('installments'), borrowers: await count('borrowers'), payments: await count('payments') };
      // The poisoned loan is in the first slice: the second is being prepared when its schedules fail, and the third
      // is read while the second fails behind it ("current transaction is aborted").
      await expect(importCsv(manySlices('PSN', 800_000, { rows: 8_000, poisoned: 7 }))).rejects.toThrow(/poisoned schedule/);
      expect({ loans: await count('loans'), installments: await count('installments'), borrowers: await count('borrowers'), payments: await count('payments') }).toEqual(before);
    } finally {
      await sql`DROP TRIGGER test_poison ON installments`.execute(context.db);
      await sql`DROP FUNCTION test_poison()`.execute(context.db);
    }
  });

  it('when preparing a slice fails while the one before is still being written, reports that failure and keeps nothing', async () => {
    await sql`CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'poisoned loan'; END $$`.execute(context.db);
    await sql`CREATE TRIGGER test_poison BEFORE INSERT ON loans FOR EACH ROW WHEN (NEW.contract_no = 'PSL-2600') EXECUTE FUNCTION test_poison()`.execute(context.db);
    try {
      const before = { loans: await count('loans'), installments: await count('installments'), borrowers: await count('borrowers') };
      // Contract 2,600 is in the second slice: its loans are written while the first slice's schedules may still be
      // (which then fail with "current transaction is aborted", not the reason).
      await expect(importCsv(manySlices('PSL', 900_000, { rows: 8_000 }))).rejects.toThrow(/poisoned loan/);
      expect({ loans: await count('loans'), installments: await count('installments'), borrowers: await count('borrowers') }).toEqual(before);
    } finally {
      await sql`DROP TRIGGER test_poison ON loans`.execute(context.db);
      await sql`DROP FUNCTION test_poison()`.execute(context.db);
    }
  });

  it('keeps installments to loans that exist, as the foreign key did: checked per statement, deleted with their loan, never moved', async () => {
    await importCsv(registryCsv([registryRow({ contract_no: 'FK-1' }), registryRow({ contract_no: 'FK-2' })]));
    const ids = await context.db.selectFrom('loans').select(['id', 'contract_no']).where('contract_no', 'in', ['FK-1', 'FK-2']).orderBy('contract_no').execute();
    const [first, second] = ids.map((row) => row.id);
    const missing = 9_000_000_000;
    const insert = (loanId: number, seq: number) =>
      sql`INSERT INTO installments (loan_id, seq, due_on, principal_satang, interest_satang) VALUES (${loanId}, ${seq}, '2027-01-15', 100, 0)`.execute(context.db);
    await expect(insert(missing, 1)).rejects.toMatchObject({ code: '23503' });
    // One missing loan among good ones refuses the whole statement.
    await expect(
      sql`INSERT INTO installments (loan_id, seq, due_on, principal_satang, interest_satang)
          VALUES (${first}, 50, '2027-01-15', 100, 0), (${missing}, 1, '2027-01-15', 100, 0)`.execute(context.db),
    ).rejects.toMatchObject({ code: '23503', detail: expect.stringContaining('(loan_id)=(9000000000)') });
    expect(await sql<{ n: number }>`SELECT count(*)::int AS n FROM installments WHERE seq = 50`.execute(context.db).then((r) => r.rows[0]!.n)).toBe(0);
    await expect(sql`UPDATE installments SET loan_id = ${second} WHERE loan_id = ${first} AND seq = 1`.execute(context.db)).rejects.toMatchObject({ code: '23503' });
    await expect(sql`UPDATE loans SET id = ${missing} WHERE id = ${first}`.execute(context.db)).rejects.toMatchObject({ code: '23503' });
    // Deleting a loan deletes its schedule (ON DELETE CASCADE).
    await sql`DELETE FROM payments WHERE loan_id = ${first}`.execute(context.db);
    await sql`DELETE FROM loans WHERE id = ${first}`.execute(context.db);
    expect(await sql<{ n: number }>`SELECT count(*)::int AS n FROM installments WHERE loan_id = ${first}`.execute(context.db).then((r) => r.rows[0]!.n)).toBe(0);
    expect((await loadInstallments(context.db, [second!])).get(second!)).toHaveLength(12);
    // A cascade that could not see installments written after its snapshot is refused.
    await expect(
      context.db.transaction().setIsolationLevel('repeatable read').execute((trx) => sql`DELETE FROM loans WHERE id = ${second}`.execute(trx)),
    ).rejects.toMatchObject({ code: '40001' });
    // TRUNCATE … CASCADE of loans takes the installments too (inside a transaction rolled back: the rest of the file
    // needs its data).
    const rolledBack = new Error('roll back');
    await expect(
      context.db.transaction().execute(async (trx) => {
        await sql`TRUNCATE loans CASCADE`.execute(trx);
        expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM installments`.execute(trx)).rows[0]!.n).toBe(0);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect((await loadInstallments(context.db, [second!])).get(second!)).toHaveLength(12);
  });

  // Two sessions: PostgreSQL only (PGlite is one session).
  it.runIf(Boolean(process.env.DATABASE_URL))('holds a loan while its schedule is written: a delete waits, then takes the new installments with it', async () => {
    await importCsv(registryCsv([registryRow({ contract_no: 'FK-LOCK' })]));
    const { id } = await context.db.selectFrom('loans').select('id').where('contract_no', '=', 'FK-LOCK').executeTakeFirstOrThrow();
    const writer = new pg.Client({ connectionString: database.url });
    const deleter = new pg.Client({ connectionString: database.url });
    await Promise.all([writer.connect(), deleter.connect()]);
    try {
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO installments (loan_id, seq, due_on, principal_satang, interest_satang) VALUES ($1, 99, '2028-01-15', 100, 0)`, [id]);
      await deleter.query('BEGIN');
      await deleter.query('DELETE FROM payments WHERE loan_id = $1', [id]);
      let deleted = false;
      const deleting = deleter.query('DELETE FROM loans WHERE id = $1', [id]).then(() => (deleted = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(deleted).toBe(false); // waits for the writer's lock on the loan
      await writer.query('COMMIT');
      await deleting;
      await deleter.query('COMMIT');
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM installments WHERE loan_id = ${id}`.execute(context.db);
      expect(left.rows[0]!.n).toBe(0);
    } finally {
      await writer.end();
      await deleter.end();
    }
  });

  it('stores national IDs encrypted, never in the clear', async () => {
    const nationalId = validNationalId(515_151);
    await importCsv(registryCsv([registryRow({ contract_no: 'PRIV-1', national_id: nationalId })]));
    const dump = await sql<{ row: string }>`SELECT row_to_json(b)::text AS row FROM borrowers b`.execute(context.db);
    expect(dump.rows.map((r) => r.row).join('\n')).not.toContain(nationalId);
    const row = await context.db
      .selectFrom('borrowers')
      .select(['national_id_cipher', 'national_id_masked'])
      .where('national_id_hash', '=', context.cipher.lookupHash(nationalId))
      .executeTakeFirstOrThrow();
    expect(context.cipher.decrypt(row.national_id_cipher)).toBe(nationalId);
    expect(row.national_id_masked).toBe(`${nationalId[0]}-xxxx-xxxxx-${nationalId.slice(10, 12)}-${nationalId[12]}`);
  });

  it('keeps the audit trail append-only', async () => {
    await expect(sql`UPDATE audit_log SET actor = 'someone else'`.execute(context.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(context.db)).rejects.toThrow(/append-only/);
    expect(await count('audit_log')).toBeGreaterThan(0);
  });
});

describe('CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wdf-cli-'));
  const env = () => (database.url ? { DATABASE_URL: database.url, DATA_ENCRYPTION_KEY: key } : undefined);

  // Seven CLI processes, each loading the app: generous time on a busy 2-core machine.
  it.runIf(Boolean(process.env.DATABASE_URL))('imports a file, prints the report of bad rows and exits non-zero', { timeout: 150_000 }, async () => {
    // Eight CLI processes in a row: on a busy 2-core machine that alone can take half a minute.
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, registryCsv([registryRow({ contract_no: 'CLI-1' }), registryRow({ contract_no: 'CLI-2', frequency: 'weekly' })]));
    const failed = await runCli(['import', 'loans', bad], env()!);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('ไม่ได้บันทึกข้อมูลใดเลย');
    expect(failed.stdout).toContain('บรรทัด 3 (สัญญา CLI-2)');

    const good = path.join(dir, 'good.csv');
    const nationalId = validNationalId(909_090);
    writeFileSync(good, registryCsv([registryRow({ contract_no: 'CLI-1', national_id: nationalId, full_name: 'ลำดวน ซีแอลไอ' })]));
    const ok = await runCli(['import', 'loans', good], env()!);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('นำเข้าสำเร็จ');
    // The next month's registry: the line says what changed, after its older parts.
    writeFileSync(good, registryCsv([registryRow({ contract_no: 'CLI-1', national_id: nationalId, full_name: 'ลำดวน ซีแอลไอ', paid_total: '2,000' })]));
    const next = await runCli(['import', 'loans', good], env()!);
    expect(next.stdout).toMatch(/สัญญาใหม่ 0 ปรับปรุง 1 ผู้กู้ 1 ราย \(ใหม่ 0\) งวดผ่อน \d+ งวด · ไม่เปลี่ยน 0 สัญญา ยอดชำระเพิ่ม 1 สัญญา รวม ฿2,000\.00/);

    const code = await runCli(['link-code', 'borrower', '--national-id', nationalId], env()!);
    expect(code.code).toBe(0);
    expect(code.lastLine).toMatch(/^\d{8}$/);
    expect(code.stdout + code.stderr).not.toContain(nationalId);

    // Read from standard input, the number stays out of the shell's history; an empty input is refused.
    const piped = await runCli(['link-code', 'borrower', '--national-id', '-'], env()!, `${nationalId}\n`);
    expect(piped.code).toBe(0);
    expect(piped.lastLine).toMatch(/^\d{8}$/);
    expect(piped.stdout).toContain('ลำดวน');
    expect(piped.stdout + piped.stderr).not.toContain(nationalId);
    const nothing = await runCli(['link-code', 'borrower', '--national-id', '-'], env()!, '');
    expect(nothing.code).not.toBe(0);
    expect(nothing.stderr).toContain('ไม่ได้รับเลขประจำตัวประชาชน');

    const byContract = await runCli(['link-code', 'borrower', '--contract', 'CLI-1'], env()!);
    expect(byContract.lastLine).toMatch(/^\d{8}$/);
    expect(byContract.lastLine).not.toBe(code.lastLine);

    const missing = await runCli(['link-code', 'borrower', '--national-id', validNationalId(123)], env()!);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ไม่พบผู้กู้');

    const officer = await runCli(['link-code', 'officer', '--name', 'วิชัย ทองดี', '--role', 'district', '--area', 'ตราด/เมืองตราด'], env()!);
    expect(officer.code).toBe(0);
    expect(officer.lastLine).toMatch(/^\d{8}$/);

    // Run again (her code lost), with the area as the registry writes it: the same officer, a new code.
    const again = await runCli(['link-code', 'officer', '--name', 'วิชัย ทองดี', '--role', 'district', '--area', 'จ.ตราด/อ.เมืองตราด'], env()!);
    expect(again.code).toBe(0);
    expect(again.lastLine).toMatch(/^\d{8}$/);
    expect(again.lastLine).not.toBe(officer.lastLine);
    expect(await context.db.selectFrom('officers').select('id').where('full_name', '=', 'วิชัย ทองดี').execute()).toHaveLength(1);

    const national = await runCli(['link-code', 'officer', '--name', 'สมชาย', '--role', 'department'], env()!);
    expect(national.lastLine).toMatch(/^\d{8}$/);

    const badArea = await runCli(['link-code', 'officer', '--name', 'x', '--role', 'district', '--area', 'ไม่มี/ที่นี่'], env()!);
    expect(badArea.code).not.toBe(0);
    expect(badArea.stderr).toContain('ไม่พบพื้นที่');

    const usage = await runCli(['link-code', 'officer', '--name', 'x', '--role', 'boss'], env()!);
    expect(usage.code).toBe(2);
  });

  // Found by following README as a new operator: with a DATABASE_URL and no key, the CLI made one up in ./data and
  // encrypted the first import with it; the server then refused the real key.
  it.runIf(Boolean(process.env.DATABASE_URL))('refuses to run against PostgreSQL without DATA_ENCRYPTION_KEY, and makes no key of its own', async () => {
    const keyFile = path.resolve('data', 'data-encryption.key');
    const existed = existsSync(keyFile);
    const withoutKey = await runCli(['db', 'migrate'], { DATABASE_URL: database.url });
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toContain('DATA_ENCRYPTION_KEY: ต้องตั้งค่าเมื่อใช้ DATABASE_URL');
    expect(existsSync(keyFile)).toBe(existed);
  });

  it.runIf(Boolean(process.env.DATABASE_URL))('refuses to run with a different encryption key than the database has', async () => {
    const wrongKey = await runCli(['db', 'migrate'], { DATABASE_URL: database.url, DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('DATA_ENCRYPTION_KEY');
  });
});
