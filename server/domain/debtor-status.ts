// The four debtor types of the seed documents, with their colours and precedence.
import { addDays, daysBetween, type LocalDate } from './local-date.ts';
import type { Satang } from './money.ts';
import { installmentTotal, principalPaidOf, type Installment } from './loan-schedule.ts';

export type DebtorStatus = 'normal' | 'in_measure' | 'defaulted' | 'litigation';

export const DEBTOR_STATUSES: readonly DebtorStatus[] = ['normal', 'in_measure', 'defaulted', 'litigation'];

export const DEBTOR_STATUS_LABEL: Record<DebtorStatus, { thai: string; colour: 'green' | 'yellow' | 'red' | 'black'; colourThai: string; hex: string }> = {
  normal: { thai: 'ลูกหนี้ปกติ', colour: 'green', colourThai: 'สีเขียว', hex: '#1E9E4A' },
  in_measure: { thai: 'ลูกหนี้เข้าร่วมมาตรการ', colour: 'yellow', colourThai: 'สีเหลือง', hex: '#E0A800' },
  defaulted: { thai: 'ลูกหนี้ผิดนัดชำระ', colour: 'red', colourThai: 'สีแดง', hex: '#D32F2F' },
  litigation: { thai: 'ลูกหนี้ดำเนินคดี', colour: 'black', colourThai: 'สีดำ', hex: '#212121' },
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
  /** Days since the oldest unpaid due date; 0 when nothing is overdue. */
  daysPastDue: number;
  /** Unpaid amount of installments whose due date has passed. */
  overdue: Satang;
  outstandingPrincipal: Satang;
  /** Everything still owed on the schedule, principal and interest. */
  outstandingTotal: Satang;
  nextDue: { dueOn: LocalDate; amount: Satang; seq: number } | undefined;
  oldestUnpaidDueOn: LocalDate | undefined;
}

export interface LoanFacts {
  litigation: boolean;
  hasActiveMeasure: boolean;
  principal: Satang;
  installments: readonly Installment[];
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
  let oldestUnpaidDueOn: LocalDate | undefined;
  let nextDue: LoanPosition['nextDue'];
  for (const installment of facts.installments) {
    const unpaid = installmentTotal(installment) - installment.paid;
    principalPaid += principalPaidOf(installment);
    if (unpaid <= 0) continue;
    outstandingTotal += unpaid;
    if (isOverdueOn(installment.dueOn, today)) {
      overdue += unpaid;
      if (!oldestUnpaidDueOn || installment.dueOn < oldestUnpaidDueOn) oldestUnpaidDueOn = installment.dueOn;
    } else if (!nextDue || installment.dueOn < nextDue.dueOn) {
      nextDue = { dueOn: installment.dueOn, amount: unpaid, seq: installment.seq };
    }
  }
  return {
    status: classifyStatus({ litigation: facts.litigation, hasActiveMeasure: facts.hasActiveMeasure, overdue }),
    daysPastDue: oldestUnpaidDueOn ? daysBetween(oldestUnpaidDueOn, today) : 0,
    overdue,
    outstandingPrincipal: facts.principal - principalPaid,
    outstandingTotal,
    nextDue,
    oldestUnpaidDueOn,
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
