// Thai fiscal quarters (the government year starts 1 October): Q1 Oct–Dec, Q2 Jan–Mar, Q3 Apr–Jun, Q4 Jul–Sep.
// The quarter's report is due on the 5th of its last month; the system drafts it on the 1st of that month.
import { addDays, BUDDHIST_ERA_OFFSET, type LocalDate } from './local-date.ts';

export interface FiscalQuarter {
  /** Buddhist-era fiscal year (the year in which it ends): Oct 2026 – Sep 2027 is 2570. */
  fiscalYearBe: number;
  quarter: 1 | 2 | 3 | 4;
  startsOn: LocalDate;
  endsOn: LocalDate;
  /** A stable key, e.g. "2570-Q1". */
  key: string;
}

function pad(month: number): string {
  return String(month).padStart(2, '0');
}

const LAST_DAY = [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function lastDayOf(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return LAST_DAY[month - 1]!;
}

export function fiscalQuarterOf(date: LocalDate): FiscalQuarter {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const fiscalYear = month >= 10 ? year + 1 : year;
  const quarter = (month >= 10 ? 1 : Math.floor((month - 1) / 3) + 2) as 1 | 2 | 3 | 4;
  const firstMonth = quarter === 1 ? 10 : (quarter - 2) * 3 + 1;
  const calendarYear = quarter === 1 ? fiscalYear - 1 : fiscalYear;
  const lastMonth = firstMonth + 2;
  const fiscalYearBe = fiscalYear + BUDDHIST_ERA_OFFSET;
  return {
    fiscalYearBe,
    quarter,
    startsOn: `${calendarYear}-${pad(firstMonth)}-01`,
    endsOn: `${calendarYear}-${pad(lastMonth)}-${pad(lastDayOf(calendarYear, lastMonth))}`,
    key: `${fiscalYearBe}-Q${quarter}`,
  };
}

export function previousQuarter(quarter: FiscalQuarter): FiscalQuarter {
  return fiscalQuarterOf(addDays(quarter.startsOn, -1));
}

/** The start of the Thai fiscal year a day falls in (1 October). */
export function fiscalYearStart(date: LocalDate): LocalDate {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return `${month >= 10 ? year : year - 1}-10-01`;
}

export function isQuarterEndMonth(date: LocalDate): boolean {
  return [3, 6, 9, 12].includes(Number(date.slice(5, 7)));
}

/**
 * The quarter whose draft is due on `today`: from the 1st of a quarter-end month up to the report day (the 5th),
 * so a replica that was down on the 1st still drafts it; undefined otherwise. The draft counts up to the day before.
 */
export function quarterDraftDue(today: LocalDate, reportDay = 5): { quarter: FiscalQuarter; asOf: LocalDate } | undefined {
  if (!isQuarterEndMonth(today)) return undefined;
  const day = Number(today.slice(8, 10));
  if (day < 1 || day > reportDay) return undefined;
  const quarter = fiscalQuarterOf(today);
  return { quarter, asOf: addDays(`${today.slice(0, 7)}-01`, -1) };
}

export function monthStart(date: LocalDate): LocalDate {
  return `${date.slice(0, 7)}-01`;
}

export function calendarYearStart(date: LocalDate): LocalDate {
  return `${date.slice(0, 4)}-01-01`;
}
