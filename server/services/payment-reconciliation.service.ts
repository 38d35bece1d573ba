// A registry import meets the payments officers recorded: each rise of a loan's paid_total confirms recorded
// payments first (oldest first), what they do not explain is kept as a registry payment record, and the schedule
// carries the registry's total plus whatever recorded payments it has still not counted. The rule itself is
// domain/payment-reconciliation.ts; this runs it inside the import's transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { insertRegistryConfirmations, unconfirmedRecordedPayments } from '../db/repos/recorded-payments.repo.ts';
import { effectivePaidTotal, reconcileRegistryChange } from '../domain/payment-reconciliation.ts';

export interface RegistryPaidChange {
  loanId: number;
  /** The registry's paid total before this import (0 for a new loan). */
  before: number;
  after: number;
}

export interface ImportReconciliation {
  /** The paid amount to apply to a loan's schedule, for the registry total this import brings. */
  effectivePaid(loanId: number, registryPaidTotal: number): number;
  /** Changes of paid_total no recorded payment explains: these are kept as registry payment records. */
  registryDeltas: Array<{ loanId: number; delta: number }>;
  confirmed: number;
}

export async function reconcileRegistryImport(
  trx: Transaction<Database>,
  changes: readonly RegistryPaidChange[],
  meta: { at: Date; fileName: string },
): Promise<ImportReconciliation> {
  const pending = await unconfirmedRecordedPayments(
    trx,
    changes.map((c) => c.loanId),
  );
  const stillUnconfirmed = new Map<number, number>();
  const confirmations: Array<{ paymentId: number; amount: number }> = [];
  const registryDeltas: Array<{ loanId: number; delta: number }> = [];
  for (const change of changes) {
    const delta = change.after - change.before;
    const recorded = pending.get(change.loanId) ?? [];
    const result = reconcileRegistryChange(delta, recorded);
    confirmations.push(...result.confirmations);
    if (result.stillUnconfirmed > 0) stillUnconfirmed.set(change.loanId, result.stillUnconfirmed);
    if (result.registryOnlyDelta !== 0) registryDeltas.push({ loanId: change.loanId, delta: result.registryOnlyDelta });
  }
  await insertRegistryConfirmations(trx, confirmations, meta);
  return {
    effectivePaid: (loanId, registryPaidTotal) => effectivePaidTotal(registryPaidTotal, stillUnconfirmed.get(loanId) ?? 0),
    registryDeltas,
    confirmed: confirmations.reduce((sum, c) => sum + c.amount, 0),
  };
}
