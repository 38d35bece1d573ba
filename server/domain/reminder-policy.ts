// Which reminders a borrower's loan calls for on a given day. Pure: the schedule and the policy in, a plan out.
// Planning is repeatable: each reminder has a key (who, what, which installment — number and due date, since a
// restructuring renumbers them — or period), so running it again, or on several replicas at once, plans nothing twice.
import { addDays, dayOfMonth, daysBetween, addMonths, type LocalDate } from './local-date.ts';
import type { Satang } from './money.ts';
import { isOverdueOn } from './debtor-status.ts';

export type BorrowerReminderKind = 'due_soon' | 'due_today' | 'overdue_1' | 'overdue_7' | 'overdue_30' | 'overdue_repeat' | 'keep_paying';

export interface ReminderOffsets {
  dueSoonDaysBefore: number;
  /** Days after the due date for the first overdue reminders, ascending (e.g. 1, 7, 30). */
  overdueDaysAfter: number[];
  /** After the last of those, one more every this many days while unpaid. */
  overdueRepeatEveryDays: number;
  urgency: Record<BorrowerReminderKind, number>;
}

export interface UnpaidInstallment {
  seq: number;
  dueOn: LocalDate;
  /** What is still owed on it. */
  unpaid: Satang;
}

export interface LoanReminderFacts {
  loanId: number;
  contractNo: string;
  litigation: boolean;
  /** An active measure that suspends the debt (พักหนี้ / พักหนี้ไม่พักจ่าย): no dues, only the keep-paying nudge. */
  inSuspension: boolean;
  firstDueOn: LocalDate;
  /** Installments with something left to pay, oldest first. */
  unpaid: UnpaidInstallment[];
}

export interface PlannedReminder {
  kind: BorrowerReminderKind;
  dedupeKey: string;
  loanId: number;
  contractNo: string;
  installmentSeq: number | null;
  dueOn: LocalDate | null;
  amount: Satang;
  /** Days until the due date (due soon) or past it (overdue). */
  days: number;
  urgency: number;
  /** The last day on which this reminder still makes sense. */
  lastRelevantDay: LocalDate;
}

/** The overdue stages: the configured offsets, then every `repeat` days after the last one. */
export function overdueStageFor(daysPastDue: number, offsets: ReminderOffsets): { stage: number; next: number } | undefined {
  const fixed = offsets.overdueDaysAfter;
  if (fixed.length === 0 || daysPastDue < fixed[0]!) return undefined;
  for (let i = fixed.length - 1; i >= 0; i--) {
    if (daysPastDue >= fixed[i]!) {
      if (i < fixed.length - 1) return { stage: fixed[i]!, next: fixed[i + 1]! };
      const last = fixed[i]!;
      const repeats = Math.floor((daysPastDue - last) / offsets.overdueRepeatEveryDays);
      const stage = last + repeats * offsets.overdueRepeatEveryDays;
      return { stage, next: stage + offsets.overdueRepeatEveryDays };
    }
  }
  return undefined;
}

function overdueKind(stage: number, offsets: ReminderOffsets): BorrowerReminderKind {
  const fixed = offsets.overdueDaysAfter;
  if (stage > fixed[fixed.length - 1]!) return 'overdue_repeat';
  const index = fixed.indexOf(stage);
  return (['overdue_1', 'overdue_7', 'overdue_30'] as const)[Math.min(index, 2)]!;
}

/** The loan's usual monthly due day this month (the first due date's day, clamped to the month's end). */
export function usualDueDayIn(month: LocalDate, firstDueOn: LocalDate): LocalDate {
  return addMonths(`${month.slice(0, 7)}-01`, 0, dayOfMonth(firstDueOn));
}

export function planLoanReminders(loan: LoanReminderFacts, today: LocalDate, offsets: ReminderOffsets): PlannedReminder[] {
  // Loans in litigation are in the hands of the legal process; automated reminders would cut across it.
  if (loan.litigation) return [];
  const base = { loanId: loan.loanId, contractNo: loan.contractNo };

  if (loan.inSuspension) {
    if (usualDueDayIn(today, loan.firstDueOn) !== today) return [];
    return [{
      ...base, kind: 'keep_paying', dedupeKey: `keep_paying:${loan.loanId}:${today.slice(0, 7)}`, installmentSeq: null, dueOn: null,
      amount: 0, days: 0, urgency: offsets.urgency.keep_paying, lastRelevantDay: today,
    }];
  }

  const plans: PlannedReminder[] = [];
  const overdue = loan.unpaid.filter((i) => isOverdueOn(i.dueOn, today));
  if (overdue.length > 0) {
    const oldest = overdue[0]!;
    const daysPastDue = daysBetween(oldest.dueOn, today);
    const stage = overdueStageFor(daysPastDue, offsets);
    if (stage) {
      const kind = overdueKind(stage.stage, offsets);
      plans.push({
        ...base, kind, dedupeKey: `${kind}:${loan.loanId}:${oldest.seq}:${oldest.dueOn}:${stage.stage}`, installmentSeq: oldest.seq, dueOn: oldest.dueOn,
        amount: overdue.reduce((sum, i) => sum + i.unpaid, 0), days: daysPastDue, urgency: offsets.urgency[kind],
        lastRelevantDay: addDays(oldest.dueOn, stage.next - 1),
      });
    }
  }

  const upcoming = loan.unpaid.find((i) => !isOverdueOn(i.dueOn, today));
  if (upcoming) {
    const daysUntil = daysBetween(today, upcoming.dueOn);
    if (daysUntil === 0) {
      plans.push({
        ...base, kind: 'due_today', dedupeKey: `due_today:${loan.loanId}:${upcoming.seq}:${upcoming.dueOn}`, installmentSeq: upcoming.seq, dueOn: upcoming.dueOn,
        amount: upcoming.unpaid, days: 0, urgency: offsets.urgency.due_today, lastRelevantDay: upcoming.dueOn,
      });
    } else if (daysUntil <= offsets.dueSoonDaysBefore) {
      plans.push({
        ...base, kind: 'due_soon', dedupeKey: `due_soon:${loan.loanId}:${upcoming.seq}:${upcoming.dueOn}`, installmentSeq: upcoming.seq, dueOn: upcoming.dueOn,
        amount: upcoming.unpaid, days: daysUntil, urgency: offsets.urgency.due_soon, lastRelevantDay: addDays(upcoming.dueOn, -1),
      });
    }
  }
  return plans;
}

/** Fills {placeholders} in a configured text. Unknown placeholders stay visible rather than vanish. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
