// Payment records. Today they come from registry imports (each change of a loan's paid total).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** Keeps each change of a loan's paid total seen in a registry import as a payment record (a correction may be negative). */
export async function insertRegistryPaymentDeltas(
  trx: Transaction<Database>,
  deltas: ReadonlyArray<{ loanId: number; delta: number }>,
  meta: { at: Date; fileName: string },
  chunkSize = 10_000,
): Promise<void> {
  for (let start = 0; start < deltas.length; start += chunkSize) {
    const chunk = deltas.slice(start, start + chunkSize);
    await sql`
      INSERT INTO payments (loan_id, amount_satang, source, recorded_at, note)
      SELECT loan_id, amount, 'registry_import', ${meta.at}, ${meta.fileName}
      FROM unnest(${chunk.map((p) => p.loanId)}::bigint[], ${chunk.map((p) => p.delta)}::bigint[]) AS u(loan_id, amount)`.execute(trx);
  }
}

export interface PaymentRecord {
  contractNo: string;
  amount: number;
  recordedAt: Date;
  source: string;
  /** The loan's first registry record: what was paid before the fund used this system, not a payment of that day. */
  opening?: boolean;
}

/**
 * Of a payment row aliased `p`: the loan's first registry record, i.e. what was paid before the fund used this system
 * (the registry's paid total at the first import), not a payment made on the day it was imported.
 */
export const isOpeningRegistryRecord = sql<boolean>`(p.source = 'registry_import' AND NOT EXISTS (SELECT 1 FROM payments p0 WHERE p0.loan_id = p.loan_id AND p0.source = 'registry_import' AND p0.id < p.id))`;

/** A borrower's most recent payment records (corrections, which are negative, included), newest first. */
export async function recentPaymentsOfBorrower(db: Kysely<Database>, borrowerId: number, limit: number): Promise<PaymentRecord[]> {
  return db
    .selectFrom('payments as p')
    .innerJoin('loans as l', 'l.id', 'p.loan_id')
    .select(['l.contract_no as contractNo', 'p.amount_satang as amount', 'p.recorded_at as recordedAt', 'p.source'])
    .select(isOpeningRegistryRecord.as('opening'))
    .where('l.borrower_id', '=', borrowerId)
    .orderBy('p.recorded_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

/** Every payment record of a borrower's loans, oldest first. */
export async function paymentsOfBorrower(db: Kysely<Database>, borrowerId: number): Promise<PaymentRecord[]> {
  return db
    .selectFrom('payments as p')
    .innerJoin('loans as l', 'l.id', 'p.loan_id')
    .select(['l.contract_no as contractNo', 'p.amount_satang as amount', 'p.recorded_at as recordedAt', 'p.source'])
    .where('l.borrower_id', '=', borrowerId)
    .orderBy('p.recorded_at')
    .orderBy('p.id')
    .execute();
}
