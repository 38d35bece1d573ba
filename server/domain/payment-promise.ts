// Promises to pay (from a follow-up): judged on the day after the promised date plus the grace days, against
// the payments made since the promise was given. Pure: "today" and the payments are parameters.
import { addDays, type LocalDate } from './local-date.ts';
import type { Satang } from './money.ts';

export type PromiseStatus = 'open' | 'kept' | 'partly_kept' | 'broken';

export interface PromiseTerms {
  amount: Satang;
  /** The day the promise was given: payments from this day on count. */
  madeOn: LocalDate;
  promisedOn: LocalDate;
}

/** The last day a payment still counts towards the promise. */
export function lastCountingDay(terms: Pick<PromiseTerms, 'promisedOn'>, graceDays: number): LocalDate {
  return addDays(terms.promisedOn, graceDays);
}

/** The day the promise is judged if it was not kept before: the day after the last counting day. */
export function judgementDay(terms: Pick<PromiseTerms, 'promisedOn'>, graceDays: number): LocalDate {
  return addDays(lastCountingDay(terms, graceDays), 1);
}

/**
 * Kept as soon as what was paid reaches the amount; otherwise open until the judgement day, then partly kept
 * (something was paid) or broken (nothing was). A payment reversed later is simply no longer in `paid`, so
 * judging again reopens a promise whose day has not come, or changes the verdict of one whose day has.
 */
export function judgePromise(terms: PromiseTerms, paid: Satang, today: LocalDate, graceDays: number): PromiseStatus {
  if (paid >= terms.amount) return 'kept';
  if (today < judgementDay(terms, graceDays)) return 'open';
  return paid > 0 ? 'partly_kept' : 'broken';
}

/** The borrower's one polite reminder goes out the day before the promised date (if that day is still ahead). */
export function promiseReminderDay(terms: Pick<PromiseTerms, 'promisedOn'>, today: LocalDate): LocalDate | undefined {
  const day = addDays(terms.promisedOn, -1);
  return day >= today ? day : undefined;
}

/** Money that may count towards a promise: a payment an officer recorded (not reversed) or a registry record. */
export interface PromiseCredit {
  loanId: number;
  amount: Satang;
  /** The day it was paid (a registry record: the Bangkok day it was imported). */
  paidOn: LocalDate;
  recordedAt: Date;
  source: 'officer' | 'registry';
}

/** A promise as the allocation sees it: which loan (null: any of hers) and which days count. */
export interface PromiseWindow {
  id: number;
  loanId: number | null;
  amount: Satang;
  madeOn: LocalDate;
  /** When the promise was recorded: money recorded on its day but before it does not count. */
  givenAt: Date;
  lastCountingDay: LocalDate;
}

function counts(credit: PromiseCredit, promise: PromiseWindow): boolean {
  if (promise.loanId !== null && credit.loanId !== promise.loanId) return false;
  if (credit.paidOn > promise.lastCountingDay) return false;
  // An officer's payment: paid after the day the promise was given, or that day but recorded after it.
  if (credit.source === 'officer') return credit.paidOn > promise.madeOn || (credit.paidOn === promise.madeOn && credit.recordedAt > promise.givenAt);
  return credit.recordedAt > promise.givenAt;
}

/**
 * How much of her money each promise counts, each baht once: promises in the order given (the earliest promised day
 * first) take from the oldest money their window holds, up to their amount; what is left over counts for the next.
 * Two open promises and one payment: the first is kept, the second still waits. A registry correction (a negative
 * record) first takes back the newest registry money of its loan before it.
 */
export function allocatePromisePayments(promises: readonly PromiseWindow[], credits: readonly PromiseCredit[]): Map<number, Satang> {
  const pool = nettedCredits(credits);
  const paid = new Map<number, Satang>();
  for (const promise of promises) {
    let taken = 0;
    for (const credit of pool) {
      if (taken >= promise.amount) break;
      if (credit.left <= 0 || !counts(credit, promise)) continue;
      const take = Math.min(credit.left, promise.amount - taken);
      credit.left -= take;
      taken += take;
    }
    paid.set(promise.id, taken as Satang);
  }
  return paid;
}

function nettedCredits(credits: readonly PromiseCredit[]): Array<PromiseCredit & { left: number }> {
  const ordered = [...credits].sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : a.recordedAt.getTime() - b.recordedAt.getTime()));
  const pool: Array<PromiseCredit & { left: number }> = [];
  for (const credit of ordered) {
    if (credit.amount > 0) {
      pool.push({ ...credit, left: credit.amount });
      continue;
    }
    let owed = -credit.amount;
    for (let i = pool.length - 1; i >= 0 && owed > 0; i--) {
      const earlier = pool[i]!;
      if (earlier.source !== 'registry' || earlier.loanId !== credit.loanId) continue;
      const back = Math.min(earlier.left, owed);
      earlier.left -= back;
      owed -= back;
    }
  }
  return pool;
}
