// Calendar dates are 'YYYY-MM-DD' strings in Asia/Bangkok; no Date at midnight ever stands for a day.
import { normalizeThaiDigits } from './thai-text.ts';

export type LocalDate = string;

/** Thailand has kept UTC+7 without daylight saving since 1920, so a fixed offset is exact. */
export const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const BUDDHIST_ERA_OFFSET = 543;

// Date arithmetic runs millions of times when 100,000 borrowers are planned, over a few hundred distinct days:
// both conversions are remembered (bounded; pure functions, so a cache changes nothing but the time).
const CACHE_LIMIT = 10_000;
const msOfDate = new Map<string, number>();
const dateOfMs = new Map<number, LocalDate>();

function toUtcMs(date: LocalDate): number {
  const known = msOfDate.get(date);
  if (known !== undefined) return known;
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (msOfDate.size >= CACHE_LIMIT) msOfDate.clear();
  msOfDate.set(date, ms);
  return ms;
}

function fromUtcMs(ms: number): LocalDate {
  const known = dateOfMs.get(ms);
  if (known !== undefined) return known;
  const date = new Date(ms).toISOString().slice(0, 10);
  if (dateOfMs.size >= CACHE_LIMIT) dateOfMs.clear();
  dateOfMs.set(ms, date);
  return date;
}

export function isValidLocalDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Year first: 2569-01-15, 2026/1/15. */
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
/** Day first, as Thai offices write a date: 15/01/2569, 5-1-2026, 15.01.2569 (never month first). */
const DAY_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
/** A Thai month by name: 1 ม.ค. 2568, 1 มกราคม 2568, 1ม.ค.2568. */
const DAY_MONTH_NAME = /^(\d{1,2})\s*([\u0E01-\u0E4F.]+?)\s*(\d{4})$/;

/**
 * Reads a registry date as Thai spreadsheets write it, in either calendar (a year above 2400 is Buddhist Era, 2569 →
 * 2026): 2569-01-15, 15/01/2569, 15-1-2026, 1 ม.ค. 2569, 1 มกราคม 2569, in Thai digits too. Day before month unless
 * the year comes first. Undefined for anything else (a two-digit year included) and for a day the calendar lacks.
 */
export function parseRegistryDate(text: string): LocalDate | undefined {
  const clean = normalizeThaiDigits(text.trim());
  let parts: [year: string, month: string, day: string] | undefined;
  let match = YEAR_FIRST.exec(clean);
  if (match) parts = [match[1]!, match[2]!, match[3]!];
  else if ((match = DAY_FIRST.exec(clean))) parts = [match[3]!, match[2]!, match[1]!];
  else if ((match = DAY_MONTH_NAME.exec(clean))) {
    const name = match[2]!.replace(/\./g, '');
    const long = THAI_MONTHS_LONG.indexOf(name);
    const index = long >= 0 ? long : THAI_MONTHS_SHORT.findIndex((m) => m.replace(/\./g, '') === name);
    if (index >= 0) parts = [match[3]!, String(index + 1), match[1]!];
  }
  if (!parts) return undefined;
  let year = Number(parts[0]);
  if (year > 2400) year -= BUDDHIST_ERA_OFFSET;
  const candidate = `${String(year).padStart(4, '0')}-${parts[1].padStart(2, '0')}-${parts[2].padStart(2, '0')}`;
  return isValidLocalDate(candidate) ? candidate : undefined;
}

/** The Bangkok calendar day of an instant. */
export function bangkokDate(instant: Date): LocalDate {
  return fromUtcMs(instant.getTime() + BANGKOK_OFFSET_MS);
}

/** Minutes since Bangkok midnight of an instant, and its weekday (0 = Sunday). */
export function bangkokClock(instant: Date): { date: LocalDate; minuteOfDay: number; weekday: number } {
  const shifted = new Date(instant.getTime() + BANGKOK_OFFSET_MS);
  return {
    date: shifted.toISOString().slice(0, 10),
    minuteOfDay: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    weekday: shifted.getUTCDay(),
  };
}

/** The instant at which a Bangkok wall-clock time occurs. */
export function bangkokInstant(date: LocalDate, minuteOfDay = 0): Date {
  return new Date(toUtcMs(date) + minuteOfDay * 60_000 - BANGKOK_OFFSET_MS);
}

export function weekdayOf(date: LocalDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/**
 * Adds calendar months keeping the anchor day where the month allows it:
 * anchored on the 31st, Jan 31 → Feb 28 → Mar 31.
 */
export function addMonths(date: LocalDate, months: number, anchorDay?: number): LocalDate {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const totalMonths = Number(match[1]) * 12 + (Number(match[2]) - 1) + months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths % 12;
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
  const day = Math.min(anchorDay ?? Number(match[3]), lastDay);
  return fromUtcMs(Date.UTC(year, monthIndex, day));
}

export function dayOfMonth(date: LocalDate): number {
  return Number(date.slice(8, 10));
}

const THAI_MONTHS_SHORT = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const THAI_MONTHS_LONG = [
  'มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน',
  'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม',
];

/** "5 ม.ค. 2570" (short) or "5 มกราคม 2570" (long), in the Buddhist Era. */
export function formatThaiDate(date: LocalDate, style: 'short' | 'long' = 'short'): string {
  const year = Number(date.slice(0, 4)) + BUDDHIST_ERA_OFFSET;
  const monthIndex = Number(date.slice(5, 7)) - 1;
  const months = style === 'short' ? THAI_MONTHS_SHORT : THAI_MONTHS_LONG;
  return `${dayOfMonth(date)} ${months[monthIndex]} ${year}`;
}

/** "23 พ.ย. 2569 เวลา 08.30 น." for an instant, in Bangkok time (the dot, as Thai official writing has it). */
export function formatThaiDateTime(instant: Date): string {
  const { date, minuteOfDay } = bangkokClock(instant);
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return `${formatThaiDate(date)} เวลา ${hh}.${mm} น.`;
}
