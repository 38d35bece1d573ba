// Bank and counter statements: each import, and every line ever seen (its reference is unique: the import's
// idempotency key). Lines nobody could match stay open as exceptions, visible to officers in SQL scope.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StatementLineStatus } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { withinScope } from './areas.repo.ts';
import type { Viewer } from './debtor-scope.repo.ts';

export async function insertStatementImport(
  db: Kysely<Database>,
  i: { fileName: string; sha256: string; importedBy: number | null; at: Date; lineCount: number },
): Promise<number> {
  const row = await db
    .insertInto('statement_imports')
    .values({ file_name: i.fileName, sha256: i.sha256, imported_by: i.importedBy, imported_at: i.at, line_count: i.lineCount, recorded_count: 0, known_count: 0, exception_count: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setStatementImportCounts(db: Kysely<Database>, id: number, c: { recorded: number; known: number; exceptions: number }): Promise<void> {
  await db.updateTable('statement_imports').set({ recorded_count: c.recorded, known_count: c.known, exception_count: c.exceptions }).where('id', '=', id).execute();
}

/** References among these already seen in an earlier statement. */
export async function knownStatementReferences(db: Kysely<Database>, references: readonly string[]): Promise<Set<string>> {
  if (references.length === 0) return new Set();
  const { rows } = await sql<{ reference: string }>`SELECT reference FROM statement_lines WHERE reference = ANY(${[...references]}::text[])`.execute(db);
  return new Set(rows.map((row) => row.reference));
}

export interface NewStatementLine {
  importId: number;
  line: number;
  reference: string;
  paidOn: LocalDate;
  amount: number;
  ref1: string;
  ref2: string | null;
  status: StatementLineStatus;
  loanId: number | null;
  reason: string | null;
  candidateLoanIds: number[] | null;
}

/** Undefined when the reference was seen before (another import got there first). */
export async function insertStatementLine(db: Kysely<Database> | Transaction<Database>, l: NewStatementLine): Promise<number | undefined> {
  const row = await db
    .insertInto('statement_lines')
    .values({
      import_id: l.importId,
      line: l.line,
      reference: l.reference,
      paid_on: l.paidOn,
      amount_satang: l.amount,
      ref1: l.ref1,
      ref2: l.ref2,
      status: l.status,
      loan_id: l.loanId,
      payment_id: null,
      reason: l.reason,
      candidate_loan_ids: l.candidateLoanIds,
    })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function setStatementLinePayment(trx: Transaction<Database>, id: number, paymentId: number): Promise<void> {
  await trx.updateTable('statement_lines').set({ payment_id: paymentId }).where('id', '=', id).execute();
}

export interface StatementExceptionRow {
  id: number;
  importId: number;
  fileName: string;
  importedAt: Date;
  line: number;
  reference: string;
  paidOn: LocalDate;
  amount: number;
  ref1: string;
  ref2: string | null;
  status: StatementLineStatus;
  reason: string | null;
  contractNo: string | null;
  borrowerId: number | null;
  candidateContractNos: string[];
}

/**
 * Open exceptions this viewer may see: a line whose loan (or a candidate loan) is in the viewer's area, or — for a
 * line matching no loan — one imported by an officer inside the viewer's area, or by the CLI for national roles.
 */
export async function openExceptionsForViewer(db: Kysely<Database>, viewer: Viewer, limit: number, onlyId?: number): Promise<StatementExceptionRow[]> {
  const national = viewer.scopePath === null;
  const { rows } = await sql<StatementExceptionRow>`
    SELECT sl.id, sl.import_id AS "importId", si.file_name AS "fileName", si.imported_at AS "importedAt", sl.line, sl.reference,
           sl.paid_on AS "paidOn", sl.amount_satang AS amount, sl.ref1, sl.ref2, sl.status, sl.reason,
           l.contract_no AS "contractNo", l.borrower_id AS "borrowerId",
           COALESCE((SELECT array_agg(c.contract_no ORDER BY c.contract_no) FROM loans c WHERE c.id = ANY(sl.candidate_loan_ids)), '{}') AS "candidateContractNos"
    FROM statement_lines sl
    JOIN statement_imports si ON si.id = sl.import_id
    LEFT JOIN loans l ON l.id = sl.loan_id
    LEFT JOIN borrowers b ON b.id = l.borrower_id
    LEFT JOIN areas a ON a.id = b.area_id
    LEFT JOIN officers io ON io.id = si.imported_by
    LEFT JOIN areas ia ON ia.id = io.area_id
    WHERE sl.status <> 'recorded' AND sl.resolved_at IS NULL
      AND ${onlyId === undefined ? sql`true` : sql`sl.id = ${onlyId}`}
      AND (
        (l.id IS NOT NULL AND ${withinScope(sql.ref('a.path'), viewer.scopePath)})
        OR EXISTS (SELECT 1 FROM loans cl JOIN borrowers cb ON cb.id = cl.borrower_id JOIN areas ca ON ca.id = cb.area_id
                   WHERE cl.id = ANY(sl.candidate_loan_ids) AND ${withinScope(sql.ref('ca.path'), viewer.scopePath)})
        OR (l.id IS NULL AND (${national} OR (ia.path IS NOT NULL AND ${withinScope(sql.ref('ia.path'), viewer.scopePath)})))
      )
    ORDER BY sl.paid_on DESC, sl.id DESC
    LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({ ...row, candidateContractNos: Array.isArray(row.candidateContractNos) ? row.candidateContractNos : [] }));
}

/** Whether a line exists and is settled (recorded when imported, or resolved by an officer since). */
export async function statementLineState(
  db: Kysely<Database>,
  id: number,
): Promise<{ settled: boolean; resolvedPaymentId: number | null; resolvedBy: number | null; dismissalReason: string | null } | undefined> {
  const row = await db
    .selectFrom('statement_lines')
    .select(['status', 'resolved_at', 'resolved_payment_id', 'resolved_by', 'dismissal_reason'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      settled: row.status === 'recorded' || row.resolved_at !== null,
      resolvedPaymentId: row.resolved_payment_id,
      resolvedBy: row.resolved_by,
      dismissalReason: row.dismissal_reason,
    }
  );
}

/** Locks an exception for an officer's decision; what it says under the lock. */
export async function lockStatementLine(trx: Transaction<Database>, id: number): Promise<{ resolvedPaymentId: number | null; resolvedAt: Date | null } | undefined> {
  return trx.selectFrom('statement_lines').select(['resolved_payment_id as resolvedPaymentId', 'resolved_at as resolvedAt']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Closes an exception as not the fund's money (no payment), with the officer's reason. */
export async function markStatementLineDismissed(trx: Transaction<Database>, id: number, d: { reason: string; officerId: number; at: Date }): Promise<void> {
  await trx.updateTable('statement_lines').set({ dismissal_reason: d.reason, resolved_by: d.officerId, resolved_at: d.at }).where('id', '=', id).execute();
}

export async function markStatementLineResolved(trx: Transaction<Database>, id: number, r: { paymentId: number; officerId: number; at: Date }): Promise<void> {
  await trx.updateTable('statement_lines').set({ resolved_payment_id: r.paymentId, resolved_by: r.officerId, resolved_at: r.at }).where('id', '=', id).execute();
}
