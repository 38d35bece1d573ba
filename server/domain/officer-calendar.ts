// The officers' calendar: weekly digests, the monthly debtor forum, and the quarterly report due on the
// 5th of each quarter-end month (Thai fiscal quarters end in December, March, June and September).
import { addDays, daysBetween, type LocalDate } from './local-date.ts';

const QUARTER_END_MONTHS = [3, 6, 9, 12];
export const REPORT_DAY_OF_MONTH = 5;

/** The next report date on or after `today`. */
export function nextQuarterReportDate(today: LocalDate): LocalDate {
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    for (const month of QUARTER_END_MONTHS) {
      const candidate = `${y}-${String(month).padStart(2, '0')}-0${REPORT_DAY_OF_MONTH}`;
      if (candidate >= today) return candidate;
    }
  }
  throw new Error('unreachable');
}

/**
 * Report reminders due today: "7 days before" from 7 days ahead until 2 days ahead (so a missed run
 * catches up), "1 day before" on the day before and on the day itself.
 */
export function reportRemindersDue(today: LocalDate): Array<{ reportDate: LocalDate; daysBefore: 7 | 1; daysLeft: number }> {
  const reportDate = nextQuarterReportDate(today);
  const daysLeft = daysBetween(today, reportDate);
  if (daysLeft <= 1) return [{ reportDate, daysBefore: 1, daysLeft }];
  if (daysLeft <= 7) return [{ reportDate, daysBefore: 7, daysLeft }];
  return [];
}

/**
 * A reminder before a deadline that is due today, if any (a model-centre selection round's last day): "7 days
 * before" from 7 days ahead until 2 days ahead, "1 day before" on the day before and on the last day itself, none
 * after it. The same catch-up as the report reminders: a missed morning is made up the next.
 */
export function deadlineReminderDue(today: LocalDate, lastDay: LocalDate): { daysBefore: 7 | 1; daysLeft: number } | undefined {
  const daysLeft = daysBetween(today, lastDay);
  if (daysLeft < 0) return undefined;
  if (daysLeft <= 1) return { daysBefore: 1, daysLeft };
  if (daysLeft <= 7) return { daysBefore: 7, daysLeft };
  return undefined;
}

/** The Monday starting the ISO week of a date, which also names the week. */
export function weekStart(date: LocalDate): LocalDate {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}
