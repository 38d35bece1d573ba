// Payment records. Today they come from registry imports (each change of a loan's paid total).
import { sql, type Transaction } from 'kysely';
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
