// The four debtor types of the seed documents, with their colours and precedence.
import { addDays, daysBetween, type LocalDate } from './local-date.ts';
import type { Satang } from './money.ts';
import { installmentTotal, principalPaidOf, type Installment } from './loan-schedule.ts';
import type { MeasureEffect } from './restructuring.ts';

export type DebtorStatus = 'normal' | 'in_measure' | 'defaulted' | 'litigation';

export const DEBTOR_STATUSES: readonly DebtorStatus[] = ['normal', 'in_measure', 'defaulted', 'litigation'];

/**
 * `thai` and the colour are the officers' sorting words (the seed documents'); `borrowerThai` is what the borrower
 * reads about herself: the same fact without a label or a colour put on her.
 */
export const DEBTOR_STATUS_LABEL: Record<DebtorStatus, { thai: string; borrowerThai: string; colour: 'green' | 'yellow' | 'red' | 'black'; colourThai: string; hex: string }> = {
  normal: { thai: 'ลูกหนี้ปกติ', borrowerThai: 'ชำระปกติ', colour: 'green', colourThai: 'สีเขียว', hex: '#1E9E4A' },
  in_measure: { thai: 'ลูกหนี้เข้าร่วมมาตรการ', borrowerThai: 'อยู่ในมาตรการช่วยเหลือ', colour: 'yellow', colourThai: 'สีเหลือง', hex: '#E0A800' },
  defaulted: { thai: 'ลูกหนี้ผิดนัดชำระ', borrowerThai: 'มียอดค้างชำระ', colour: 'red', colourThai: 'สีแดง', hex: '#D32F2F' },
  litigation: { thai: 'ลูกหนี้ดำเนินคดี', borrowerThai: 'อยู่ระหว่างดำเนินคดี', colour: 'black', colourThai: 'สีดำ', hex: '#212121' },
};

/** Higher wins: ดำเนินคดี > เข้าร่วมมาตรการ > ผิดนัดชำระ > ปกติ. */
const PRECEDENCE: Record<DebtorStatus, number> = { normal: 0, defaulted: 1, in_measure: 2, litigation: 3 };

export function worstStatus(statuses: Iterable<DebtorStatus>): DebtorStatus {
  let worst: DebtorStatus = 'normal';
  for (const status of statuses) if (PRECEDENCE[status] > PRECEDENCE[worst]) worst = status;
  return worst;
}

export interface LoanPosition {
  status: DebtorStatus;
  /** Days since the oldest due date with something expected and unpaid; 0 when nothing is overdue. */
  daysPastDue: number;
  /** What was expected by a due date that has passed and is still unpaid (a measure's suspended part is not). */
  overdue: Satang;
  outstandingPrincipal: Satang;
  /** Everything still owed on the schedule, principal and interest (suspended or not). */
  outstandingTotal: Satang;
  /** The next payment expected: its date, and what is expected then (under a principal pause: the interest). */
  nextDue: { dueOn: LocalDate; amount: Satang; seq: number; interestOnly: boolean } | undefined;
  oldestUnpaidDueOn: LocalDate | undefined;
  /** Unpaid installments a measure in force holds back: not overdue, not expected now. */
  suspended: Satang;
  /** Paid since a "payments go to principal" measure began: every baht of it reduced principal. */
  paidToPrincipalDuringMeasure: Satang;
}

/** A relief measure in force on a loan, with what it changes about what is owed now. */
export interface MeasureInForce {
  effect: MeasureEffect;
  startsOn: LocalDate;
  /** The last day of the measure; null when officers end it. */
  endsOn: LocalDate | null;
  /** The loan's paid total and outstanding principal on the day it began (null for measures recorded before these were kept). */
  paidTotalAtStart: Satang | null;
  principalOutstandingAtStart: Satang | null;
}

export interface LoanFacts {
  litigation: boolean;
  hasActiveMeasure: boolean;
  principal: Satang;
  installments: readonly Installment[];
  /** The measure in force today, if any. */
  measure?: MeasureInForce | null;
  /** The loan's paid total now (for payments made during a measure). */
  paidTotal?: Satang;
}

/**
 * What of an unpaid installment is expected from the borrower, and what a measure in force holds back:
 * - a suspension (พักหนี้, พักหนี้ไม่พักจ่าย) holds back every installment due up to its end — arrears from before it
 *   included: the fund does not collect scheduled installments while it lasts;
 * - a principal pause holds back the principal of every installment due up to its end: only interest is expected;
 * - every other measure changed the schedule itself (or nothing), so the schedule is what is owed.
 * Interest is paid before principal, as everywhere.
 */
export function expectedUnderMeasure(installment: Installment, measure: MeasureInForce | null | undefined): { expected: Satang; suspended: Satang; interestOnly: boolean } {
  const unpaid = Math.max(0, installmentTotal(installment) - installment.paid);
  const held = measure !== null && measure !== undefined && (measure.endsOn === null || installment.dueOn <= measure.endsOn);
  if (held && measure.effect.type === 'suspend') return { expected: 0, suspended: unpaid, interestOnly: false };
  if (held && measure.effect.type === 'pause_principal') {
    const interestUnpaid = Math.max(0, installment.interest - installment.paid);
    return { expected: interestUnpaid, suspended: unpaid - interestUnpaid, interestOnly: true };
  }
  return { expected: unpaid, suspended: 0, interestOnly: false };
}

/** An installment is overdue from the day after its due date. */
export function isOverdueOn(dueOn: LocalDate, today: LocalDate): boolean {
  return addDays(dueOn, 1) <= today;
}

export function classifyStatus(facts: { litigation: boolean; hasActiveMeasure: boolean; overdue: Satang }): DebtorStatus {
  if (facts.litigation) return 'litigation';
  if (facts.hasActiveMeasure) return 'in_measure';
  if (facts.overdue > 0) return 'defaulted';
  return 'normal';
}

export function assessLoan(facts: LoanFacts, today: LocalDate): LoanPosition {
  let overdue = 0;
  let outstandingTotal = 0;
  let principalPaid = 0;
  let suspended = 0;
  let oldestUnpaidDueOn: LocalDate | undefined;
  let nextDue: LoanPosition['nextDue'];
  for (const installment of facts.installments) {
    principalPaid += principalPaidOf(installment);
    const { expected, suspended: held, interestOnly } = expectedUnderMeasure(installment, facts.measure);
    outstandingTotal += expected + held;
    suspended += held;
    if (expected <= 0) continue;
    if (isOverdueOn(installment.dueOn, today)) {
      overdue += expected;
      if (!oldestUnpaidDueOn || installment.dueOn < oldestUnpaidDueOn) oldestUnpaidDueOn = installment.dueOn;
    } else if (!nextDue || installment.dueOn < nextDue.dueOn) {
      nextDue = { dueOn: installment.dueOn, amount: expected, seq: installment.seq, interestOnly };
    }
  }
  // พักหนี้ไม่พักจ่าย: what was paid since it began went wholly to principal.
  const measure = facts.measure;
  let outstandingPrincipal = facts.principal - principalPaid;
  let paidToPrincipalDuringMeasure = 0;
  if (measure?.effect.type === 'suspend' && measure.effect.paymentsGoToPrincipal && measure.paidTotalAtStart !== null && measure.principalOutstandingAtStart !== null && facts.paidTotal !== undefined) {
    paidToPrincipalDuringMeasure = Math.max(0, facts.paidTotal - measure.paidTotalAtStart);
    outstandingPrincipal = Math.max(0, measure.principalOutstandingAtStart - paidToPrincipalDuringMeasure);
  }
  return {
    status: classifyStatus({ litigation: facts.litigation, hasActiveMeasure: facts.hasActiveMeasure, overdue }),
    daysPastDue: oldestUnpaidDueOn ? daysBetween(oldestUnpaidDueOn, today) : 0,
    overdue,
    outstandingPrincipal,
    outstandingTotal,
    nextDue,
    oldestUnpaidDueOn,
    suspended,
    paidToPrincipalDuringMeasure,
  };
}

/** The fund's target keeps overdue debt below 5 % of what is owed. */
export const OVERDUE_RATE_TARGET_PERCENT = 5;

export interface PortfolioSummary {
  debtorsByStatus: Record<DebtorStatus, number>;
  debtorCount: number;
  outstandingTotal: Satang;
  overdueTotal: Satang;
  /** Overdue ÷ outstanding, in percent with two decimals; 0 for an empty portfolio. */
  overdueRatePercent: number;
  meetsTarget: boolean;
}

export function summarisePortfolio(
  debtors: Iterable<{ status: DebtorStatus; outstandingTotal: Satang; overdue: Satang }>,
): PortfolioSummary {
  const debtorsByStatus: Record<DebtorStatus, number> = { normal: 0, in_measure: 0, defaulted: 0, litigation: 0 };
  let outstandingTotal = 0;
  let overdueTotal = 0;
  let debtorCount = 0;
  for (const debtor of debtors) {
    debtorsByStatus[debtor.status] += 1;
    outstandingTotal += debtor.outstandingTotal;
    overdueTotal += debtor.overdue;
    debtorCount += 1;
  }
  const overdueRatePercent = outstandingTotal === 0 ? 0 : Math.round((overdueTotal / outstandingTotal) * 10_000) / 100;
  return {
    debtorsByStatus,
    debtorCount,
    outstandingTotal,
    overdueTotal,
    overdueRatePercent,
    meetsTarget: overdueRatePercent < OVERDUE_RATE_TARGET_PERCENT,
  };
}
