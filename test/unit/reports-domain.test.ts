import { describe, expect, it } from 'vitest';
import { ageingBandOf, summariseAgeing, type LoanAgeingFacts } from '../../server/domain/portfolio-ageing.ts';
import { allocateBudget, AllocationError } from '../../server/domain/budget-allocation.ts';
import { fiscalQuarterOf, previousQuarter, quarterDraftDue } from '../../server/domain/fiscal-quarter.ts';

describe('ageing bands', () => {
  it.each([
    [0, 'current'], [1, '1-30'], [30, '1-30'], [31, '31-60'], [60, '31-60'], [61, '61-90'], [90, '61-90'],
    [91, '91-180'], [180, '91-180'], [181, '181-360'], [360, '181-360'], [361, 'over-360'], [2000, 'over-360'],
  ])('%i days past due → %s', (days, band) => expect(ageingBandOf(days)).toBe(band));

  it('puts suspended loans apart from PAR and restructured loans apart from the bands but inside PAR', () => {
    const loan = (over: Partial<LoanAgeingFacts>): LoanAgeingFacts => ({ groupKey: 'a', outstanding: 1000, overdue: 0, daysPastDue: 0, restructured: false, suspended: false, ...over });
    const summary = summariseAgeing([
      loan({}),
      loan({ daysPastDue: 1, overdue: 100 }),
      loan({ daysPastDue: 45, overdue: 200, restructured: true }),
      loan({ daysPastDue: 400, overdue: 900, suspended: true }),
    ]);
    expect(summary.rows.current.loans).toBe(1);
    expect(summary.rows['1-30'].loans).toBe(1);
    expect(summary.rows.restructured).toEqual({ loans: 1, outstanding: 1000, overdue: 200 });
    expect(summary.rows.suspended.loans).toBe(1);
    expect(summary.atRisk).toEqual({ 1: 1000, 30: 1000, 90: 0 });
    expect(summary.par[30]).toBe(0.25);
    expect(summary.outstanding).toBe(4000);
    expect(summary.restructuredOver30).toBe(1);
  });
});

describe('budget allocation', () => {
  const districts = [
    { key: 'เมืองตราด', tambons: 14, members: 300, overdueRatePercent: 4 },
    { key: 'คลองใหญ่', tambons: 3, members: 100, overdueRatePercent: 12 },
    { key: 'เขาสมิง', tambons: 8, members: 200, overdueRatePercent: 0 },
  ];

  it('sums exactly to the budget in whole baht, by largest remainder', () => {
    // 100,000 × 14/25 = 56,000; × 3/25 = 12,000; × 8/25 = 32,000
    expect(allocateBudget(100_000, districts, { tambons: 1 }).map((d) => d.amountBaht)).toEqual([56_000, 12_000, 32_000]);
    // 100 × 300/600 = 50, × 100/600 = 16.67 → 17 (largest remainder), × 200/600 = 33.33
    expect(allocateBudget(100, districts, { members: 1 }).map((d) => d.amountBaht)).toEqual([50, 17, 33]);
    for (const budget of [1, 7, 999_999, 1_605_730]) {
      for (const weights of [{ tambons: 1 }, { members: 2, overdue_inverse: 1 }, { overdue_direct: 1 }, { tambons: 1, members: 1, overdue_direct: 1 }]) {
        const rows = allocateBudget(budget, districts, weights);
        expect(rows.reduce((s, r) => s + r.amountBaht, 0)).toBe(budget);
        rows.forEach((r) => expect(Number.isInteger(r.amountBaht) && r.amountBaht >= 0).toBe(true));
      }
    }
  });

  it('direct follows the overdue rate, inverse the part not overdue', () => {
    expect(allocateBudget(1600, districts, { overdue_direct: 1 }).map((d) => d.amountBaht)).toEqual([400, 1200, 0]);
    // 96 : 88 : 100 of 284
    const inverse = allocateBudget(284, districts, { overdue_inverse: 1 }).map((d) => d.amountBaht);
    expect(inverse).toEqual([96, 88, 100]);
  });

  it('a weighted mix is the weighted sum of the shares', () => {
    // tambons shares .56 .12 .32; members .5 .1667 .3333; 50/50 → .53 .14333 .32667
    expect(allocateBudget(3000, districts, { tambons: 50, members: 50 }).map((d) => d.amountBaht)).toEqual([1590, 430, 980]);
  });

  it('refuses a bad budget or no weights', () => {
    expect(() => allocateBudget(0, districts, { tambons: 1 })).toThrow(AllocationError);
    expect(() => allocateBudget(10.5, districts, { tambons: 1 })).toThrow(AllocationError);
    expect(() => allocateBudget(10, districts, {})).toThrow(AllocationError);
    expect(() => allocateBudget(10, districts.map((d) => ({ ...d, overdueRatePercent: 0 })), { overdue_direct: 1 })).toThrow(AllocationError);
  });
});

describe('Thai fiscal quarters', () => {
  it('names quarters by the Buddhist-era fiscal year', () => {
    expect(fiscalQuarterOf('2026-11-30')).toMatchObject({ key: '2570-Q1', startsOn: '2026-10-01', endsOn: '2026-12-31' });
    expect(fiscalQuarterOf('2027-02-28')).toMatchObject({ key: '2570-Q2', startsOn: '2027-01-01', endsOn: '2027-03-31' });
    expect(fiscalQuarterOf('2026-09-30')).toMatchObject({ key: '2569-Q4', startsOn: '2026-07-01', endsOn: '2026-09-30' });
    expect(previousQuarter(fiscalQuarterOf('2027-01-10')).key).toBe('2570-Q1');
  });
  it('drafts from the 1st to the 5th of a quarter-end month, counting to the day before the 1st', () => {
    expect(quarterDraftDue('2026-12-01')).toMatchObject({ asOf: '2026-11-30', quarter: { key: '2570-Q1' } });
    expect(quarterDraftDue('2026-12-05')?.asOf).toBe('2026-11-30');
    expect(quarterDraftDue('2026-12-06')).toBeUndefined();
    expect(quarterDraftDue('2026-11-01')).toBeUndefined();
    expect(quarterDraftDue('2027-03-01')?.quarter.key).toBe('2570-Q2');
  });
});
