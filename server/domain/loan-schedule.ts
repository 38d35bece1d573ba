// Repayment schedules: generated from the registry's loan terms, and payments applied oldest first.
import { addMonths, dayOfMonth, type LocalDate } from './local-date.ts';
import { divideRounded, type Satang } from './money.ts';

export type RepaymentFrequency = 'monthly' | 'quarterly' | 'yearly';

export const MONTHS_PER_PERIOD: Record<RepaymentFrequency, number> = { monthly: 1, quarterly: 3, yearly: 12 };
const PERIODS_PER_YEAR: Record<RepaymentFrequency, number> = { monthly: 12, quarterly: 4, yearly: 1 };

export interface LoanTerms {
  principal: Satang;
  /** Annual interest rate in basis points (3.5 % = 350). */
  annualInterestBp: number;
  installmentCount: number;
  frequency: RepaymentFrequency;
  firstDueOn: LocalDate;
}

export interface ScheduledInstallment {
  seq: number;
  dueOn: LocalDate;
  principal: Satang;
  interest: Satang;
}

export interface Installment extends ScheduledInstallment {
  paid: Satang;
}

export function installmentTotal(installment: ScheduledInstallment): Satang {
  return installment.principal + installment.interest;
}

/** What is left to pay on a schedule: every installment's principal and interest, less what was paid on it. */
export function outstandingOfSchedule(schedule: readonly Installment[]): Satang {
  return schedule.reduce((sum, installment) => sum + installmentTotal(installment) - installment.paid, 0);
}

/** The due date of the n-th installment (1-based) counted from the first, keeping the first due day. */
export function nthDueDate(firstDueOn: LocalDate, frequency: RepaymentFrequency, seq: number): LocalDate {
  return addMonths(firstDueOn, (seq - 1) * MONTHS_PER_PERIOD[frequency], dayOfMonth(firstDueOn));
}

/**
 * Equal principal per installment (the remainder on the last), interest on the declining balance:
 * each installment's interest is the principal still owed before it × annual rate ÷ periods per year,
 * rounded to the satang. This is the method README.md documents for the registry import.
 */
export function generateSchedule(terms: LoanTerms): ScheduledInstallment[] {
  const { principal, annualInterestBp, installmentCount, frequency, firstDueOn } = terms;
  const basePrincipal = Math.floor(principal / installmentCount);
  const schedule: ScheduledInstallment[] = [];
  let owed = principal;
  for (let seq = 1; seq <= installmentCount; seq++) {
    const principalPart = seq === installmentCount ? owed : basePrincipal;
    const interest = divideRounded(owed * annualInterestBp, 10_000 * PERIODS_PER_YEAR[frequency]);
    schedule.push({ seq, dueOn: nthDueDate(firstDueOn, frequency, seq), principal: principalPart, interest });
    owed -= principalPart;
  }
  return schedule;
}

export function scheduleTotal(schedule: readonly ScheduledInstallment[]): Satang {
  return schedule.reduce((sum, installment) => sum + installmentTotal(installment), 0);
}

/** Applies everything paid so far to the oldest installments first. */
export function applyPaidTotal(schedule: readonly ScheduledInstallment[], paidTotal: Satang): Installment[] {
  const paid = paidPerInstallment(schedule, paidTotal);
  return schedule.map((installment, index) => ({ ...installment, paid: paid[index]! }));
}

/** What `applyPaidTotal` puts on each installment, without copying the schedule (bulk imports). */
export function paidPerInstallment(schedule: readonly ScheduledInstallment[], paidTotal: Satang): Satang[] {
  let remaining = paidTotal;
  return schedule.map((installment) => {
    const paid = Math.min(remaining, installmentTotal(installment));
    remaining -= paid;
    return paid;
  });
}

/** Within an installment, interest is settled before principal. */
export function principalPaidOf(installment: Installment): Satang {
  return Math.max(0, installment.paid - installment.interest);
}
