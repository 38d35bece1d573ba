// When a borrower may be contacted (Thailand's debt-collection conduct rules are the model):
// Monday–Friday 08:00–20:00, Saturday, Sunday and public holidays 08:00–18:00, Asia/Bangkok.
import { addDays, bangkokClock, bangkokInstant, weekdayOf, type LocalDate } from './local-date.ts';

export interface ContactHours {
  /** Minutes since midnight; `from` inclusive, `until` exclusive (20:00 itself is already too late). */
  weekday: { from: number; until: number };
  weekendOrHoliday: { from: number; until: number };
}

export function parseClockTime(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59) throw new RangeError(`not a HH:MM time: ${text}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Saturday, Sunday or a public holiday. */
export function isRestDay(date: LocalDate, holidays: ReadonlySet<LocalDate>): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6 || holidays.has(date);
}

function windowOf(date: LocalDate, hours: ContactHours, holidays: ReadonlySet<LocalDate>) {
  return isRestDay(date, holidays) ? hours.weekendOrHoliday : hours.weekday;
}

export function isWithinContactHours(instant: Date, hours: ContactHours, holidays: ReadonlySet<LocalDate>): boolean {
  const { date, minuteOfDay } = bangkokClock(instant);
  const window = windowOf(date, hours, holidays);
  return minuteOfDay >= window.from && minuteOfDay < window.until;
}

/** The instant itself when contact is allowed then, otherwise the start of the next allowed period. */
export function nextContactTime(instant: Date, hours: ContactHours, holidays: ReadonlySet<LocalDate>): Date {
  if (isWithinContactHours(instant, hours, holidays)) return instant;
  const { date, minuteOfDay } = bangkokClock(instant);
  const today = windowOf(date, hours, holidays);
  if (minuteOfDay < today.from) return bangkokInstant(date, today.from);
  return startOfContactDay(addDays(date, 1), hours, holidays);
}

/** When contact opens on the given day. */
export function startOfContactDay(date: LocalDate, hours: ContactHours, holidays: ReadonlySet<LocalDate>): Date {
  return bangkokInstant(date, windowOf(date, hours, holidays).from);
}
