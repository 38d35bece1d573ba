// How the registry's paid_total and the payments officers record agree, without counting anything twice.
//
// The registry (the fund's accounting) is the authority on what was paid, but it learns of a payment made at
// the district office days or weeks after the officer records it here, and its CSV carries no receipt numbers.
// So a loan's paid amount is:
//
//     effective paid = registry paid_total (as last imported) + what officers recorded that the registry has
//                      not counted yet ("unconfirmed")
//
// and when an import raises the registry's paid_total by Δ, that increase is taken to include our unconfirmed
// payments first, oldest first (each is confirmed up to what Δ covers); only what is left of Δ is money we had
// not heard of (e.g. a bank transfer the borrower made on their own). When the file cannot tell, this shows
// less paid than the truth for a while, never more, and it converges as soon as the registry catches up.
// A fall in paid_total (a correction) confirms nothing.
import type { Satang } from './money.ts';

export interface UnconfirmedPayment {
  paymentId: number;
  /** The part of the payment the registry has not counted yet (> 0). */
  unconfirmed: Satang;
}

export interface Reconciliation {
  /** Parts of recorded payments the registry's increase now counts, oldest first. */
  confirmations: Array<{ paymentId: number; amount: Satang }>;
  /** The change of paid_total that no recorded payment explains: kept as a registry payment record. */
  registryOnlyDelta: Satang;
  /** What officers recorded that the registry still has not counted, after this import. */
  stillUnconfirmed: Satang;
}

/** `pending` must be oldest first. */
export function reconcileRegistryChange(delta: Satang, pending: readonly UnconfirmedPayment[]): Reconciliation {
  const confirmations: Reconciliation['confirmations'] = [];
  let left = Math.max(0, delta);
  let stillUnconfirmed = 0;
  for (const payment of pending) {
    const take = Math.min(left, payment.unconfirmed);
    if (take > 0) confirmations.push({ paymentId: payment.paymentId, amount: take });
    left -= take;
    stillUnconfirmed += payment.unconfirmed - take;
  }
  const confirmed = confirmations.reduce((sum, c) => sum + c.amount, 0);
  return { confirmations, registryOnlyDelta: delta - confirmed, stillUnconfirmed };
}

/** The paid amount a loan's schedule carries: the registry's total plus our payments it has not counted yet. */
export function effectivePaidTotal(registryPaidTotal: Satang, unconfirmed: Satang): Satang {
  return registryPaidTotal + unconfirmed;
}
