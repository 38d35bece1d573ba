// Ageing of the loan portfolio and portfolio at risk (PAR), as of a day: pure arithmetic over per-loan facts.
//
// Every loan lands in exactly one row of the ageing table, so the rows add up to the portfolio:
// - a loan under a suspension in force (พักหนี้, พักหนี้ไม่พักจ่าย) is "suspended": nothing is expected from it, so it
//   is not aged and never counts towards PAR; its outstanding stays in the denominator;
// - otherwise a restructured loan (its schedule was replaced by an approved measure) is counted apart, with its own
//   overdue and days past due, and it DOES count towards PAR (CGAP: restructured loans stay in PAR);
// - every other loan goes to the band of its days past due.
import type { Satang } from './money.ts';

export type AgeingBand = 'current' | '1-30' | '31-60' | '61-90' | '91-180' | '181-360' | 'over-360';

/** Bands by days past due, inclusive bounds; `current` is 0 (nothing expected is unpaid past its due date). */
export const AGEING_BANDS: ReadonlyArray<{ band: AgeingBand; from: number; to: number }> = [
  { band: 'current', from: 0, to: 0 },
  { band: '1-30', from: 1, to: 30 },
  { band: '31-60', from: 31, to: 60 },
  { band: '61-90', from: 61, to: 90 },
  { band: '91-180', from: 91, to: 180 },
  { band: '181-360', from: 181, to: 360 },
  { band: 'over-360', from: 361, to: Number.POSITIVE_INFINITY },
];

export function ageingBandOf(daysPastDue: number): AgeingBand {
  for (const { band, from, to } of AGEING_BANDS) if (daysPastDue >= from && daysPastDue <= to) return band;
  return 'current';
}

/** PAR thresholds: a loan is "at risk N" when an installment is MORE than N days overdue (days past due > N). */
export const PAR_THRESHOLDS = [1, 30, 90] as const;
export type ParThreshold = (typeof PAR_THRESHOLDS)[number];

export interface LoanAgeingFacts {
  /** The child area the loan is reported under (or any grouping key). */
  groupKey: string;
  /** Everything still owed on the schedule as of the day (principal and interest, suspended or not). */
  outstanding: Satang;
  /** What was expected by a due date before the day and is still unpaid (the KPI's overdue). */
  overdue: Satang;
  /** Days since the oldest due date with something expected and unpaid; 0 when nothing is overdue. */
  daysPastDue: number;
  restructured: boolean;
  /** A suspension measure is in force on the day. */
  suspended: boolean;
}

export type AgeingRowKey = AgeingBand | 'restructured' | 'suspended';
export const AGEING_ROW_KEYS: readonly AgeingRowKey[] = [...AGEING_BANDS.map((b) => b.band), 'restructured', 'suspended'];

export interface AgeingCell {
  loans: number;
  outstanding: Satang;
  overdue: Satang;
}

export interface AgeingSummary {
  rows: Record<AgeingRowKey, AgeingCell>;
  loans: number;
  outstanding: Satang;
  overdue: Satang;
  /** Outstanding of loans more than N days past due (restructured included, suspended never). */
  atRisk: Record<ParThreshold, Satang>;
  /** atRisk ÷ outstanding, as a ratio (0.0525); 0 for an empty portfolio. */
  par: Record<ParThreshold, number>;
  /** Overdue ÷ outstanding in percent with two decimals, as the fund's KPI (debtor-status.summarisePortfolio). */
  overdueRatePercent: number;
  /** Restructured loans only: how many are more than 30 days past due (the usual question about them). */
  restructuredOver30: number;
}

export function rowKeyOf(loan: Pick<LoanAgeingFacts, 'suspended' | 'restructured' | 'daysPastDue'>): AgeingRowKey {
  if (loan.suspended) return 'suspended';
  if (loan.restructured) return 'restructured';
  return ageingBandOf(loan.daysPastDue);
}

function emptyRows(): Record<AgeingRowKey, AgeingCell> {
  return Object.fromEntries(AGEING_ROW_KEYS.map((key) => [key, { loans: 0, outstanding: 0, overdue: 0 }])) as Record<AgeingRowKey, AgeingCell>;
}

export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function summariseAgeing(loans: Iterable<LoanAgeingFacts>): AgeingSummary {
  const rows = emptyRows();
  const atRisk: Record<ParThreshold, Satang> = { 1: 0, 30: 0, 90: 0 };
  let count = 0;
  let outstanding = 0;
  let overdue = 0;
  let restructuredOver30 = 0;
  for (const loan of loans) {
    const key = rowKeyOf(loan);
    const cell = rows[key];
    cell.loans += 1;
    cell.outstanding += loan.outstanding;
    cell.overdue += loan.overdue;
    count += 1;
    outstanding += loan.outstanding;
    overdue += loan.overdue;
    if (!loan.suspended) {
      for (const threshold of PAR_THRESHOLDS) if (loan.daysPastDue > threshold) atRisk[threshold] += loan.outstanding;
      if (loan.restructured && loan.daysPastDue > 30) restructuredOver30 += 1;
    }
  }
  return {
    rows,
    loans: count,
    outstanding,
    overdue,
    atRisk,
    par: { 1: ratio(atRisk[1], outstanding), 30: ratio(atRisk[30], outstanding), 90: ratio(atRisk[90], outstanding) },
    overdueRatePercent: outstanding === 0 ? 0 : Math.round((overdue / outstanding) * 10_000) / 100,
    restructuredOver30,
  };
}

/** One summary per group key (child area), in first-seen order, and the whole. */
export function summariseAgeingByGroup(loans: readonly LoanAgeingFacts[]): { groups: Map<string, AgeingSummary>; total: AgeingSummary } {
  const byGroup = new Map<string, LoanAgeingFacts[]>();
  for (const loan of loans) {
    const list = byGroup.get(loan.groupKey) ?? [];
    list.push(loan);
    byGroup.set(loan.groupKey, list);
  }
  return { groups: new Map([...byGroup].map(([key, list]) => [key, summariseAgeing(list)])), total: summariseAgeing(loans) };
}
