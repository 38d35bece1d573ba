import { describe, expect, it } from 'vitest';
import { applyPaidTotal, generateSchedule, scheduleTotal } from '../../server/domain/loan-schedule.ts';
import { assessLoan, classifyStatus, summarisePortfolio, worstStatus } from '../../server/domain/debtor-status.ts';

describe('schedule generation', () => {
  it('splits principal equally and charges interest on the declining balance', () => {
    const schedule = generateSchedule({ principal: 1_200_000, annualInterestBp: 600, installmentCount: 3, frequency: 'monthly', firstDueOn: '2026-01-31' });
    expect(schedule.map((i) => i.dueOn)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(schedule.map((i) => i.principal)).toEqual([400_000, 400_000, 400_000]);
    // 12,000 × 6 % ÷ 12 = 60.00; then 8,000 → 40.00; then 4,000 → 20.00
    expect(schedule.map((i) => i.interest)).toEqual([6_000, 4_000, 2_000]);
    expect(scheduleTotal(schedule)).toBe(1_212_000);
  });

  it('puts the rounding remainder on the last installment', () => {
    const schedule = generateSchedule({ principal: 1_000_000, annualInterestBp: 0, installmentCount: 3, frequency: 'quarterly', firstDueOn: '2026-02-15' });
    expect(schedule.map((i) => i.principal)).toEqual([333_333, 333_333, 333_334]);
    expect(schedule.map((i) => i.dueOn)).toEqual(['2026-02-15', '2026-05-15', '2026-08-15']);
  });

  it('applies payments to the oldest installments first, interest before principal', () => {
    const schedule = generateSchedule({ principal: 1_200_000, annualInterestBp: 600, installmentCount: 3, frequency: 'monthly', firstDueOn: '2026-01-31' });
    const paid = applyPaidTotal(schedule, 500_000);
    expect(paid.map((i) => i.paid)).toEqual([406_000, 94_000, 0]);
  });
});

describe('debtor status', () => {
  const schedule = generateSchedule({ principal: 1_200_000, annualInterestBp: 0, installmentCount: 12, frequency: 'monthly', firstDueOn: '2026-01-15' });

  it('is overdue from the day after the due date', () => {
    const installments = applyPaidTotal(schedule, 1_000_000); // 10 of 12 paid; the 11th is due 2026-11-15
    expect(assessLoan({ litigation: false, hasActiveMeasure: false, principal: 1_200_000, installments }, '2026-11-15').status).toBe('normal');
    const next = assessLoan({ litigation: false, hasActiveMeasure: false, principal: 1_200_000, installments }, '2026-11-16');
    expect(next.status).toBe('defaulted');
    expect(next.daysPastDue).toBe(1);
    expect(next.overdue).toBe(100_000);
  });

  it('reports outstanding principal, overdue amount, days past due and the next due installment', () => {
    const installments = applyPaidTotal(schedule, 300_000);
    const position = assessLoan({ litigation: false, hasActiveMeasure: false, principal: 1_200_000, installments }, '2026-11-23');
    expect(position).toMatchObject({
      status: 'defaulted',
      overdue: 800_000,
      outstandingPrincipal: 900_000,
      outstandingTotal: 900_000,
      daysPastDue: 222,
      nextDue: { dueOn: '2026-12-15', amount: 100_000, seq: 12 },
      oldestUnpaidDueOn: '2026-04-15',
    });
  });

  it('follows the precedence litigation > in measure > defaulted > normal', () => {
    expect(classifyStatus({ litigation: true, hasActiveMeasure: true, overdue: 1 })).toBe('litigation');
    expect(classifyStatus({ litigation: false, hasActiveMeasure: true, overdue: 1 })).toBe('in_measure');
    expect(classifyStatus({ litigation: false, hasActiveMeasure: false, overdue: 1 })).toBe('defaulted');
    expect(classifyStatus({ litigation: false, hasActiveMeasure: false, overdue: 0 })).toBe('normal');
    expect(worstStatus(['normal', 'defaulted', 'in_measure'])).toBe('in_measure');
    expect(worstStatus([])).toBe('normal');
  });

  it('summarises a portfolio against the 5 % target', () => {
    const summary = summarisePortfolio([
      { status: 'normal', outstandingTotal: 900_000, overdue: 0 },
      { status: 'defaulted', outstandingTotal: 100_000, overdue: 60_000 },
    ]);
    expect(summary.debtorsByStatus).toEqual({ normal: 1, in_measure: 0, defaulted: 1, litigation: 0 });
    expect(summary.overdueRatePercent).toBe(6);
    expect(summary.meetsTarget).toBe(false);
    expect(summarisePortfolio([]).overdueRatePercent).toBe(0);
  });
});
