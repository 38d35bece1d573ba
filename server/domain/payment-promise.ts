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
