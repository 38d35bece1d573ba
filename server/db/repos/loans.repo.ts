// Loans and their installment schedules.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { Installment, RepaymentFrequency } from '../../domain/loan-schedule.ts';
import { daysBetween, type LocalDate } from '../../domain/local-date.ts';
import { coalescedRead } from '../batched-reads.ts';
import { withinScope } from './areas.repo.ts';
import type { BorrowerProfile } from './borrowers.repo.ts';

export interface LoanUpsert {
  contractNo: string;
  borrowerId: number;
  principal: number;
  annualInterestBp: number;
  installmentCount: number;
  frequency: RepaymentFrequency;
  firstDueOn: LocalDate;
  paidTotal: number;
  litigation: boolean;
}

export interface ExistingLoan {
  id: number;
  contractNo: string;
  principal: number;
  annualInterestBp: number;
  installmentCount: number;
  frequency: RepaymentFrequency;
  firstDueOn: LocalDate;
  paidTotal: number;
  scheduleSource: 'registry' | 'restructured';
  borrowerId: number;
  litigation: boolean;
}

export async function findLoansByContract(db: Kysely<Database>, contractNos: readonly string[]): Promise<Map<string, ExistingLoan>> {
  const found = new Map<string, ExistingLoan>();
  const chunkSize = 10_000;
  for (let start = 0; start < contractNos.length; start += chunkSize) {
    const chunk = contractNos.slice(start, start + chunkSize);
    const rows = await sql<ExistingLoan>`
      SELECT id, contract_no AS "contractNo", principal_satang AS principal, annual_interest_bp AS "annualInterestBp",
             installment_count AS "installmentCount", frequency, first_due_on AS "firstDueOn",
             paid_total_satang AS "paidTotal", schedule_source AS "scheduleSource", borrower_id AS "borrowerId", litigation
      FROM loans WHERE contract_no = ANY(${chunk}::text[])`.execute(db);
    for (const row of rows.rows) found.set(row.contractNo, row);
  }
  return found;
}

/**
 * The national-ID hash of each existing contract's borrower (read only: for a file that will not be written). A
 * borrower retention anonymised has no hash to compare (the import skips her contracts), so hers are left out.
 */
export async function contractOwnerHashes(db: Kysely<Database>, contractNos: readonly string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const chunkSize = 10_000;
  for (let start = 0; start < contractNos.length; start += chunkSize) {
    const chunk = contractNos.slice(start, start + chunkSize);
    const rows = await sql<{ contractNo: string; hash: string }>`
      SELECT l.contract_no AS "contractNo", b.national_id_hash AS hash
      FROM loans l JOIN borrowers b ON b.id = l.borrower_id
      WHERE l.contract_no = ANY(${chunk}::text[]) AND b.anonymised_at IS NULL`.execute(db);
    for (const row of rows.rows) owners.set(row.contractNo, row.hash);
  }
  return owners;
}

/**
 * For the rest of this transaction, writes to schedules and loans leave debtor_positions to the caller (migration
 * 0016): a registry import places each slice's debtors itself with refreshDebtorPositions.
 */
export async function deferDebtorPositions(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT set_config('wdf.defer_debtor_positions', 'on', true)`.execute(trx);
}

/** Works out where these debtors stand now (debtor_positions), as the triggers would. */
export async function refreshDebtorPositions(db: Kysely<Database>, borrowerIds: readonly number[], chunkSize = 5000): Promise<void> {
  for (let start = 0; start < borrowerIds.length; start += chunkSize) {
    await sql`SELECT refresh_debtor_positions(${borrowerIds.slice(start, start + chunkSize)}::bigint[])`.execute(db);
  }
}

/** Inserts or updates loans by contract number; returns contract → id. */
export async function upsertLoans(db: Kysely<Database>, rows: readonly LoanUpsert[], chunkSize = 5000): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const result = await sql<{ id: number; contract_no: string }>`
      INSERT INTO loans (contract_no, borrower_id, principal_satang, annual_interest_bp, installment_count, frequency,
                         first_due_on, paid_total_satang, litigation)
      SELECT * FROM unnest(
        ${chunk.map((r) => r.contractNo)}::text[], ${chunk.map((r) => r.borrowerId)}::bigint[],
        ${chunk.map((r) => r.principal)}::bigint[], ${chunk.map((r) => r.annualInterestBp)}::int[],
        ${chunk.map((r) => r.installmentCount)}::int[], ${chunk.map((r) => r.frequency)}::text[],
        ${chunk.map((r) => r.firstDueOn)}::date[], ${chunk.map((r) => r.paidTotal)}::bigint[],
        ${chunk.map((r) => r.litigation)}::boolean[])
      ON CONFLICT (contract_no) DO UPDATE SET
        borrower_id = excluded.borrower_id, principal_satang = excluded.principal_satang,
        annual_interest_bp = excluded.annual_interest_bp, installment_count = excluded.installment_count,
        frequency = excluded.frequency, first_due_on = excluded.first_due_on,
        paid_total_satang = excluded.paid_total_satang, litigation = excluded.litigation, updated_at = now()
      RETURNING id, contract_no`.execute(db);
    for (const row of result.rows) ids.set(row.contract_no, row.id);
  }
  return ids;
}

export interface InstallmentRow extends Installment {
  loanId: number;
}

export async function deleteInstallmentsOf(db: Kysely<Database>, loanIds: readonly number[]): Promise<void> {
  const chunkSize = 10_000;
  for (let start = 0; start < loanIds.length; start += chunkSize) {
    await sql`DELETE FROM installments WHERE loan_id = ANY(${loanIds.slice(start, start + chunkSize)}::bigint[])`.execute(db);
  }
}

export async function insertInstallments(db: Kysely<Database>, rows: readonly InstallmentRow[], chunkSize = 20_000): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    await sql`
      INSERT INTO installments (loan_id, seq, due_on, principal_satang, interest_satang, paid_satang)
      SELECT * FROM unnest(
        ${chunk.map((r) => r.loanId)}::bigint[], ${chunk.map((r) => r.seq)}::int[], ${chunk.map((r) => r.dueOn)}::date[],
        ${chunk.map((r) => r.principal)}::bigint[], ${chunk.map((r) => r.interest)}::bigint[], ${chunk.map((r) => r.paid)}::bigint[])`.execute(db);
  }
}

/**
 * A PostgreSQL array literal of integers or YYYY-MM-DD dates, which need no quoting: built with one join instead
 * of pg's per-element escaping (measured: a third of the CPU spent sending 2.4 million installments).
 */
function plainArrayLiteral(values: ReadonlyArray<number | string>): string {
  return `{${values.join(',')}}`;
}

/**
 * A generated schedule as the comma-separated text of each column: what many loans of an import share. Due dates
 * go as days since 1970-01-01: PostgreSQL reads a date literal through its general date/time parser, and that was
 * more than half of the cost of reading a slice's arrays (55 of 100 ms for 60,000 installments).
 */
export interface ScheduleText {
  count: number;
  seq: string;
  dueDay: string;
  principal: string;
  interest: string;
}

const EPOCH = '1970-01-01' as LocalDate;

export function scheduleText(schedule: readonly Omit<Installment, 'paid'>[]): ScheduleText {
  const column = (pick: (installment: Omit<Installment, 'paid'>) => number | string) => schedule.map(pick).join(',');
  return {
    count: schedule.length,
    seq: column((i) => i.seq),
    dueDay: column((i) => daysBetween(EPOCH, i.dueOn)),
    principal: column((i) => i.principal),
    interest: column((i) => i.interest),
  };
}

/** One loan's new schedule: its shared text, and what is paid of each installment (same order). */
export interface LoanScheduleRows {
  loanId: number;
  schedule: ScheduleText;
  paid: readonly number[];
}

/**
 * Inserts schedules a few tens of thousands of rows a statement, each column sent as one array literal built from
 * the schedules' shared text: a bulk import sends 2.4 million installments without an object or an array element
 * per installment (those made the collector and the joining most of the import's own CPU).
 */
export async function insertLoanSchedules(db: Kysely<Database>, loans: readonly LoanScheduleRows[], chunkRows = 50_000): Promise<void> {
  let start = 0;
  while (start < loans.length) {
    let end = start;
    let rows = 0;
    while (end < loans.length && (end === start || rows + loans[end]!.schedule.count <= chunkRows)) rows += loans[end++]!.schedule.count;
    const chunk = loans.slice(start, end).filter((loan) => loan.schedule.count > 0);
    start = end;
    if (chunk.length === 0) continue;
    const literal = (part: (loan: LoanScheduleRows) => string) => `{${chunk.map(part).join(',')}}`;
    // unnest() in the select list, not in FROM: there it streams the rows instead of first copying them all into a
    // tuplestore (45 instead of 105 ms for 60,000 rows). The arrays have one length, so they are read side by side.
    await sql`
      INSERT INTO installments (loan_id, seq, due_on, principal_satang, interest_satang, paid_satang)
      SELECT unnest(${literal((l) => `${l.loanId},`.repeat(l.schedule.count - 1) + l.loanId)}::bigint[]),
             unnest(${literal((l) => l.schedule.seq)}::int[]), DATE '1970-01-01' + unnest(${literal((l) => l.schedule.dueDay)}::int[]),
             unnest(${literal((l) => l.schedule.principal)}::bigint[]), unnest(${literal((l) => l.schedule.interest)}::bigint[]),
             unnest(${literal((l) => l.paid.join(','))}::bigint[])`.execute(db);
  }
}

/** Paid amounts by (loan, seq), column by column: one array per column, the same length. */
export interface InstallmentPaidColumns {
  loanId: number[];
  seq: number[];
  paid: number[];
}

/** Sets the paid amount of each (loan, seq) given; the other columns are not read. */
export async function updateInstallmentPaidColumns(db: Kysely<Database>, columns: InstallmentPaidColumns, chunkSize = 50_000) {
  for (let start = 0; start < columns.loanId.length; start += chunkSize) {
    const part = (values: number[]) => plainArrayLiteral(values.slice(start, start + chunkSize));
    // The loan ids restrict installments by index: without them the planner hashed all 2.4 million installments
    // for every chunk (1.3 s a statement).
    const loanIds = plainArrayLiteral([...new Set(columns.loanId.slice(start, start + chunkSize))]);
    await sql`
      UPDATE installments AS i SET paid_satang = u.paid
      FROM unnest(${part(columns.loanId)}::bigint[], ${part(columns.seq)}::int[], ${part(columns.paid)}::bigint[]) AS u(loan_id, seq, paid)
      WHERE i.loan_id = ANY(${loanIds}::bigint[]) AND i.loan_id = u.loan_id AND i.seq = u.seq AND i.paid_satang IS DISTINCT FROM u.paid`.execute(db);
  }
}

/**
 * Fresh statistics after a bulk load: a plan made before autovacuum gets round to it mistook 2.4 million fresh
 * installments for a small table (planning reminders right after an import took 65 s instead of 7).
 */
export async function analyzeLoanTables(db: Kysely<Database>): Promise<void> {
  await sql`ANALYZE borrowers, loans, installments`.execute(db);
}

/**
 * Marks a bulk load's installments all-visible, so that reads answer from the primary key's entries alone instead of
 * checking each against the table (planning reminders right after an import: 9–10 s before, 7.7 s after). Autovacuum
 * would do it too, but up to minutes later. Outside any transaction: VACUUM cannot run inside one. 0.4 s for 2.4
 * million fresh installments.
 */
export async function vacuumInstallments(db: Kysely<Database>): Promise<void> {
  await sql`VACUUM installments`.execute(db);
}

export async function loadInstallments(db: Kysely<Database>, loanIds: readonly number[]): Promise<Map<number, Installment[]>> {
  if (loanIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('installments')
    .select(['loan_id', 'seq', 'due_on', 'principal_satang', 'interest_satang', 'paid_satang'])
    .where('loan_id', 'in', loanIds)
    .orderBy('loan_id')
    .orderBy('seq')
    .execute();
  return groupInstallments(rows);
}

function groupInstallments(
  rows: Array<{ loan_id: number; seq: number; due_on: string; principal_satang: number; interest_satang: number; paid_satang: number }>,
): Map<number, Installment[]> {
  const byLoan = new Map<number, Installment[]>();
  for (const row of rows) {
    const list = byLoan.get(row.loan_id) ?? [];
    list.push({ seq: row.seq, dueOn: row.due_on, principal: row.principal_satang, interest: row.interest_satang, paid: row.paid_satang });
    byLoan.set(row.loan_id, list);
  }
  return byLoan;
}

/** Sets each installment's paid amount from the given schedule (same seqs), e.g. after a new paid total. */
export async function updateInstallmentPayments(db: Kysely<Database>, rows: readonly InstallmentRow[], chunkSize = 20_000) {
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    // The loan ids restrict installments by index: without them the planner hashed every installment of the table.
    await sql`
      UPDATE installments AS i SET paid_satang = u.paid
      FROM unnest(${chunk.map((r) => r.loanId)}::bigint[], ${chunk.map((r) => r.seq)}::int[], ${chunk.map((r) => r.paid)}::bigint[])
        AS u(loan_id, seq, paid)
      WHERE i.loan_id = ANY(${[...new Set(chunk.map((r) => r.loanId))]}::bigint[]) AND i.loan_id = u.loan_id AND i.seq = u.seq`.execute(db);
  }
}

export interface LoanSummaryRow {
  id: number;
  contractNo: string;
  borrowerId: number;
  principal: number;
  annualInterestBp: number;
  frequency: RepaymentFrequency;
  installmentCount: number;
  litigation: boolean;
  paidTotal: number;
  activeMeasureCode: string | null;
  activeMeasureTitle: string | null;
  /** The measure in force today, as stored: its effect (JSON), window and where the loan stood when it began. */
  activeMeasure: {
    effect: unknown;
    startsOn: LocalDate;
    endsOn: LocalDate | null;
    paidTotalAtStart: number | null;
    principalOutstandingAtStart: number | null;
  } | null;
}

type BorrowerWithLoans = { borrower: BorrowerProfile; loans: LoanWithInstallments[] };

/**
 * A borrower (with area) and their loans, schedules and the relief measure active on `today`, in one round trip:
 * this is what every debt question reads. Undefined when there is no such borrower. Borrowers asked for at the same
 * moment are read by one query (batched-reads.ts).
 */
export async function borrowerWithLoans(db: Kysely<Database>, borrowerId: number, today: LocalDate): Promise<BorrowerWithLoans | undefined> {
  return borrowersWithLoans(db, `${today}|${borrowerId}`);
}

const borrowersWithLoans = coalescedRead(async (db: Kysely<Database>, keys: readonly string[]) => {
  const found = new Map<string, BorrowerWithLoans>();
  const idsByDay = new Map<LocalDate, Set<number>>();
  for (const key of keys) {
    const [today, id] = key.split('|') as [LocalDate, string];
    idsByDay.set(today, (idsByDay.get(today) ?? new Set()).add(Number(id)));
  }
  for (const [today, ids] of idsByDay) {
    for (const [borrowerId, value] of await readBorrowersWithLoans(db, [...ids], today)) found.set(`${today}|${borrowerId}`, value);
  }
  return found;
});

async function readBorrowersWithLoans(db: Kysely<Database>, borrowerIds: number[], today: LocalDate): Promise<Map<number, BorrowerWithLoans>> {
  type Row = Omit<LoanSummaryRow, 'id'> & {
    id: number | null;
    fullName: string;
    phone: string | null;
    nationalIdMasked: string;
    areaId: number;
    areaPath: string;
    schedule: Array<[number, LocalDate, number, number, number]> | null;
    measureEffect: unknown;
    measureStartsOn: LocalDate | null;
    measureEndsOn: LocalDate | null;
    paidTotalAtStart: number | null;
    principalOutstandingAtStart: number | null;
  };
  const { rows } = await sql<Row>`
    SELECT b.full_name AS "fullName", b.phone, b.national_id_masked AS "nationalIdMasked", b.area_id AS "areaId", a.path AS "areaPath",
           l.id, l.contract_no AS "contractNo", b.id AS "borrowerId", l.principal_satang AS principal,
           l.annual_interest_bp AS "annualInterestBp", l.frequency, l.installment_count AS "installmentCount",
           l.litigation,
           -- What the schedule carries: the registry's total plus recorded payments it has not counted yet.
           (l.paid_total_satang
            + COALESCE((SELECT SUM(p.amount_satang) FROM payments p WHERE p.loan_id = l.id AND p.source IN ('officer', 'officer_reversal')), 0)
            - COALESCE((SELECT SUM(c.amount_satang) FROM payment_registry_confirmations c JOIN payments p ON p.id = c.payment_id
                        WHERE p.loan_id = l.id), 0))::bigint AS "paidTotal",
           m.measure_code AS "activeMeasureCode", rm.title AS "activeMeasureTitle", rm.effect AS "measureEffect",
           m.starts_on AS "measureStartsOn", m.ends_on AS "measureEndsOn",
           m.paid_total_at_start_satang AS "paidTotalAtStart", m.principal_outstanding_at_start_satang AS "principalOutstandingAtStart",
           (SELECT json_agg(json_build_array(i.seq, i.due_on, i.principal_satang, i.interest_satang, i.paid_satang) ORDER BY i.seq)
            FROM installments i WHERE i.loan_id = l.id) AS schedule
    FROM borrowers b
    JOIN areas a ON a.id = b.area_id
    LEFT JOIN loans l ON l.borrower_id = b.id
    LEFT JOIN LATERAL (
      SELECT measure_code, starts_on, ends_on, paid_total_at_start_satang, principal_outstanding_at_start_satang FROM loan_measures lm
      WHERE lm.loan_id = l.id AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)
      ORDER BY lm.starts_on DESC, lm.id DESC LIMIT 1
    ) m ON true
    LEFT JOIN relief_measures rm ON rm.code = m.measure_code
    WHERE b.id = ANY(${borrowerIds}::bigint[])
    ORDER BY b.id, l.contract_no`.execute(db);
  const found = new Map<number, BorrowerWithLoans>();
  for (const row of rows) {
    let entry = found.get(row.borrowerId);
    if (!entry) {
      const borrower: BorrowerProfile = {
        id: row.borrowerId, fullName: row.fullName, phone: row.phone, nationalIdMasked: row.nationalIdMasked, areaId: row.areaId, areaPath: row.areaPath,
      };
      entry = { borrower, loans: [] };
      found.set(row.borrowerId, entry);
    }
    // A borrower without loans is one row with no loan in it.
    if (row.id === null) continue;
    entry.loans.push({
      id: row.id,
      contractNo: row.contractNo,
      borrowerId: row.borrowerId,
      principal: row.principal,
      annualInterestBp: row.annualInterestBp,
      frequency: row.frequency,
      installmentCount: row.installmentCount,
      litigation: row.litigation,
      paidTotal: row.paidTotal,
      activeMeasureCode: row.activeMeasureCode,
      activeMeasureTitle: row.activeMeasureTitle,
      activeMeasure:
        row.activeMeasureCode !== null && row.measureStartsOn !== null
          ? {
              effect: row.measureEffect,
              startsOn: row.measureStartsOn,
              endsOn: row.measureEndsOn,
              paidTotalAtStart: row.paidTotalAtStart,
              principalOutstandingAtStart: row.principalOutstandingAtStart,
            }
          : null,
      installments: (row.schedule ?? []).map(([seq, dueOn, principal, interest, paid]) => ({ seq, dueOn, principal, interest, paid })),
    });
  }
  return found;
}

/** A borrower's loans, schedules and active measures. */
export async function loansOfBorrower(db: Kysely<Database>, borrowerId: number, today: LocalDate): Promise<LoanWithInstallments[]> {
  return (await borrowerWithLoans(db, borrowerId, today))?.loans ?? [];
}

export interface LoanWithInstallments extends LoanSummaryRow {
  installments: Installment[];
}

export interface LoanAggregateRow {
  loanId: number;
  borrowerId: number;
  litigation: boolean;
  hasActiveMeasure: boolean;
  overdue: number;
  outstandingTotal: number;
  oldestUnpaidDueOn: LocalDate | null;
}

/**
 * Per-loan facts for every loan in an area, aggregated in SQL so a province's portfolio is one query.
 * "Overdue" is domain/debtor-status's assessLoan: what was expected by a due date before today and is unpaid —
 * under a suspension nothing due up to its end is expected, under a principal pause only the interest is
 * (expectedUnderMeasure; a test keeps the two in agreement).
 */
export async function loanAggregatesInScope(db: Kysely<Database>, scopePath: string | null, today: LocalDate): Promise<LoanAggregateRow[]> {
  const rows = await sql<LoanAggregateRow>`
    WITH scoped AS (
      SELECT l.id, l.borrower_id, l.litigation, m.effect_type, m.ends_on
      FROM loans l
      JOIN borrowers b ON b.id = l.borrower_id
      JOIN areas a ON a.id = b.area_id
      LEFT JOIN LATERAL (
        SELECT rm.effect->>'type' AS effect_type, lm.ends_on FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
        WHERE lm.loan_id = l.id AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)
        ORDER BY lm.starts_on DESC, lm.id DESC LIMIT 1
      ) m ON true
      WHERE ${withinScope(sql.ref('a.path'), scopePath)}
    ), expected AS (
      SELECT s.id, s.borrower_id, s.litigation, s.effect_type IS NOT NULL AS has_measure, i.due_on,
             (i.principal_satang + i.interest_satang - i.paid_satang) AS unpaid,
             CASE
               WHEN i.loan_id IS NULL THEN 0
               WHEN s.effect_type = 'suspend' AND (s.ends_on IS NULL OR i.due_on <= s.ends_on) THEN 0
               WHEN s.effect_type = 'pause_principal' AND (s.ends_on IS NULL OR i.due_on <= s.ends_on) THEN GREATEST(i.interest_satang - i.paid_satang, 0)
               ELSE GREATEST(i.principal_satang + i.interest_satang - i.paid_satang, 0)
             END AS expected
      FROM scoped s LEFT JOIN installments i ON i.loan_id = s.id
    )
    SELECT id AS "loanId", borrower_id AS "borrowerId", litigation, bool_or(has_measure) AS "hasActiveMeasure",
           COALESCE(SUM(expected) FILTER (WHERE due_on < ${today}::date), 0)::bigint AS overdue,
           COALESCE(SUM(GREATEST(unpaid, 0)), 0)::bigint AS "outstandingTotal",
           MIN(due_on) FILTER (WHERE due_on < ${today}::date AND expected > 0) AS "oldestUnpaidDueOn"
    FROM expected
    GROUP BY id, borrower_id, litigation`.execute(db);
  return rows.rows;
}
