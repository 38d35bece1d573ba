// The officer's working rules, pure: days-past-due bands, the working week, overdue thresholds crossed, the
// follow-up edit window, receipt numbers and masked contract numbers.
import { addDays, daysBetween, type LocalDate } from './local-date.ts';
import { weekStart } from './officer-calendar.ts';
import { normalizeThaiDigits } from './thai-text.ts';

/** The debtor list's days-past-due bands; the names are a contract other tools use. */
export const DPD_BANDS = ['1-30', '31-60', '61-90', '90+'] as const;
export type DpdBand = (typeof DPD_BANDS)[number];

export const DPD_BAND_RANGE: Record<DpdBand, { min: number; max: number | null }> = {
  '1-30': { min: 1, max: 30 },
  '31-60': { min: 31, max: 60 },
  '61-90': { min: 61, max: 90 },
  '90+': { min: 91, max: null },
};

/** Monday to Sunday of the ISO week `today` falls in: "this week" for the work queue and promise filters. */
export function workWeek(today: LocalDate): { start: LocalDate; end: LocalDate } {
  const start = weekStart(today);
  return { start, end: addDays(start, 6) };
}

/** Days past due that officers act on: a debtor crossing one is worth a call or a visit that week. */
export const OVERDUE_THRESHOLDS = [30, 60, 90] as const;

/**
 * The thresholds a debtor whose oldest unpaid installment fell due on `oldestUnpaidDueOn` reaches during the
 * week. An installment is overdue from the day after its due date, so day N past due is dueOn + N.
 */
export function thresholdsCrossedDuring(oldestUnpaidDueOn: LocalDate, week: { start: LocalDate; end: LocalDate }): number[] {
  return OVERDUE_THRESHOLDS.filter((threshold) => {
    const reachedOn = addDays(oldestUnpaidDueOn, threshold);
    return reachedOn >= week.start && reachedOn <= week.end;
  });
}

/** The author may correct a follow-up for this long; after that it stands as written (never deleted). */
export const FOLLOW_UP_EDIT_HOURS = 24;

export function canEditFollowUp(followUp: { officerId: number; createdAt: Date }, editor: { officerId: number }, now: Date): boolean {
  return followUp.officerId === editor.officerId && now.getTime() - followUp.createdAt.getTime() < FOLLOW_UP_EDIT_HOURS * 60 * 60 * 1000;
}

/** How far back an officer may date a contact or a payment they record late. */
export const MAX_BACKDATE_DAYS = { contact: 60, payment: 365 } as const;
/** How far ahead a promise to pay may reach. */
export const MAX_PROMISE_DAYS_AHEAD = 366;

export function isWithinBackdate(day: LocalDate, today: LocalDate, maxDays: number): boolean {
  const back = daysBetween(day, today);
  return back >= 0 && back <= maxDays;
}

/**
 * "rc 000123 " → "RC000123", "รบ. ๑๒๓/๒๕๖๙" → "รบ.123/2569": a receipt number without spaces, case differences or
 * Thai digits — one receipt typed two ways is still one payment (spacing on a receipt is not part of its number).
 */
export function normalizeReceiptNo(text: string): string {
  return normalizeThaiDigits(text.normalize('NFC')).replace(/\s+/g, '').toUpperCase();
}

/**
 * "TRT-2566-0123" → "TRT-xxxx-0123": enough for the borrower to recognise their slip, not enough to be useful
 * to whoever finds it. The last four characters and any leading letters stay.
 */
export function maskContractNo(contractNo: string): string {
  const keepTail = contractNo.length > 8 ? 4 : 2;
  const tail = contractNo.slice(-keepTail);
  const rest = contractNo.slice(0, contractNo.length - keepTail);
  const head = /^[A-Za-zก-ฮ]+/.exec(rest)?.[0] ?? '';
  return `${head}${rest.slice(head.length).replace(/[A-Za-z0-9ก-๙]/g, 'x')}${tail}`;
}
