// Each loan's PromptPay Ref1 (loans.payment_ref1, unique): which loans still need one, which are taken, and the loan
// a QR or a statement line names.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export async function loansWithoutPaymentRef1(db: Kysely<Database>, limit: number): Promise<Array<{ id: number; contractNo: string }>> {
  return db.selectFrom('loans').select(['id', 'contract_no as contractNo']).where('payment_ref1', 'is', null).orderBy('id').limit(limit).execute();
}

export async function takenPaymentRef1s(db: Kysely<Database>, candidates: readonly string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const { rows } = await sql<{ ref: string }>`SELECT payment_ref1 AS ref FROM loans WHERE payment_ref1 = ANY(${[...candidates]}::text[])`.execute(db);
  return new Set(rows.map((row) => row.ref));
}

export async function setPaymentRef1s(db: Kysely<Database>, assignments: ReadonlyArray<{ loanId: number; ref1: string }>): Promise<void> {
  if (assignments.length === 0) return;
  await sql`
    UPDATE loans l SET payment_ref1 = u.ref1
    FROM unnest(${assignments.map((a) => a.loanId)}::bigint[], ${assignments.map((a) => a.ref1)}::text[]) AS u(loan_id, ref1)
    WHERE l.id = u.loan_id AND l.payment_ref1 IS NULL`.execute(db);
}

export interface PayableLoan {
  id: number;
  contractNo: string;
  borrowerId: number;
  ref1: string | null;
}

export async function findPayableLoan(db: Kysely<Database>, loanId: number): Promise<PayableLoan | undefined> {
  return db
    .selectFrom('loans')
    .select(['id', 'contract_no as contractNo', 'borrower_id as borrowerId', 'payment_ref1 as ref1'])
    .where('id', '=', loanId)
    .executeTakeFirst();
}

/** Per Ref1: the loan whose stored Ref1 it is. */
export async function loansByPaymentRef1(db: Kysely<Database>, refs: readonly string[]): Promise<Map<string, { loanId: number; contractNo: string }>> {
  const found = new Map<string, { loanId: number; contractNo: string }>();
  if (refs.length === 0) return found;
  const { rows } = await sql<{ ref: string; loanId: number; contractNo: string }>`
    SELECT payment_ref1 AS ref, id AS "loanId", contract_no AS "contractNo" FROM loans WHERE payment_ref1 = ANY(${[...new Set(refs)]}::text[])`.execute(db);
  for (const row of rows) found.set(row.ref, { loanId: row.loanId, contractNo: row.contractNo });
  return found;
}

/** Every loan's contract number (id order): the statement import spells each the way Ref1s are written to match a row by it. */
export async function allContractNumbers(db: Kysely<Database>): Promise<Array<{ loanId: number; contractNo: string }>> {
  return db.selectFrom('loans').select(['id as loanId', 'contract_no as contractNo']).orderBy('id').execute();
}
