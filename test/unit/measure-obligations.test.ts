// What a borrower in a relief measure really owes: a suspension holds back every installment due while it lasts (the
// arrears it found included), a principal pause holds back principal only, and what is paid during พักหนี้ไม่พักจ่าย
// goes wholly to principal.
import { describe, expect, it } from 'vitest';
import { applyPaidTotal, generateSchedule } from '../../server/domain/loan-schedule.ts';
import { assessLoan, expectedUnderMeasure, type MeasureInForce } from '../../server/domain/debtor-status.ts';

// 24 monthly installments of ฿1,000 principal, 3 % a year, from 15 Jan 2026.
const terms = { principal: 2_400_000, annualInterestBp: 300, installmentCount: 24, frequency: 'monthly' as const, firstDueOn: '2026-01-15' };
const schedule = generateSchedule(terms);
const paidThroughAugust = schedule.slice(0, 8).reduce((sum, i) => sum + i.principal + i.interest, 0);
const behind = applyPaidTotal(schedule, paidThroughAugust); // September, October and November unpaid

const keepPaying = (extra: Partial<MeasureInForce> = {}): MeasureInForce => ({
  effect: { type: 'suspend', months: 12, paymentsGoToPrincipal: true },
  startsOn: '2026-10-01',
  endsOn: '2027-09-30',
  paidTotalAtStart: paidThroughAugust,
  principalOutstandingAtStart: 1_600_000,
  ...extra,
});

describe('a loan without a measure', () => {
  it('is overdue for everything past due, as always', () => {
    const position = assessLoan({ litigation: false, hasActiveMeasure: false, principal: terms.principal, installments: behind }, '2026-11-29');
    expect(position.status).toBe('defaulted');
    expect(position.daysPastDue).toBe(75); // since 15 Sep
    expect(position.overdue).toBe(schedule.slice(8, 11).reduce((sum, i) => sum + i.principal + i.interest, 0));
    expect(position.suspended).toBe(0);
  });
});

describe('พักหนี้ไม่พักจ่าย (a suspension where payments go to principal)', () => {
  it('holds back the arrears it found and everything due while it lasts: nothing overdue, no days past due', () => {
    const position = assessLoan({ litigation: false, hasActiveMeasure: true, principal: terms.principal, installments: behind, measure: keepPaying(), paidTotal: paidThroughAugust }, '2026-11-29');
    expect(position.status).toBe('in_measure');
    expect(position.overdue).toBe(0);
    expect(position.daysPastDue).toBe(0);
    expect(position.suspended).toBe(position.outstandingTotal - schedule.slice(21).reduce((sum, i) => sum + i.principal + i.interest, 0));
    // The next payment asked for is the first installment after the suspension ends.
    expect(position.nextDue).toMatchObject({ dueOn: '2027-10-15', interestOnly: false });
  });

  it('counts what was paid since it began wholly against principal', () => {
    const paidSince = 150_000;
    const installments = applyPaidTotal(schedule, paidThroughAugust + paidSince);
    const position = assessLoan(
      { litigation: false, hasActiveMeasure: true, principal: terms.principal, installments, measure: keepPaying(), paidTotal: paidThroughAugust + paidSince },
      '2026-11-29',
    );
    expect(position.paidToPrincipalDuringMeasure).toBe(150_000);
    expect(position.outstandingPrincipal).toBe(1_600_000 - 150_000);
  });

  it('ends: once past its last day the schedule is owed again', () => {
    const position = assessLoan({ litigation: false, hasActiveMeasure: false, principal: terms.principal, installments: behind, measure: null }, '2027-10-20');
    expect(position.overdue).toBeGreaterThan(0);
  });
});

describe('a principal pause', () => {
  it('expects only the interest of installments due while it lasts', () => {
    const measure: MeasureInForce = { effect: { type: 'pause_principal', months: 12 }, startsOn: '2026-09-01', endsOn: '2027-08-31', paidTotalAtStart: null, principalOutstandingAtStart: null };
    const september = behind[8]!;
    expect(expectedUnderMeasure(september, measure)).toEqual({ expected: september.interest, suspended: september.principal, interestOnly: true });
    const position = assessLoan({ litigation: false, hasActiveMeasure: true, principal: terms.principal, installments: behind, measure }, '2026-11-29');
    expect(position.overdue).toBe(behind[8]!.interest + behind[9]!.interest + behind[10]!.interest);
    expect(position.daysPastDue).toBe(75);
    expect(position.nextDue).toMatchObject({ dueOn: '2026-12-15', amount: behind[11]!.interest, interestOnly: true });
  });

  it('counts an interest payment: then nothing of that installment is expected', () => {
    const measure: MeasureInForce = { effect: { type: 'pause_principal', months: 12 }, startsOn: '2026-09-01', endsOn: '2027-08-31', paidTotalAtStart: null, principalOutstandingAtStart: null };
    const interestPaid = { ...behind[8]!, paid: behind[8]!.interest };
    expect(expectedUnderMeasure(interestPaid, measure)).toMatchObject({ expected: 0 });
  });
});

describe('measures that changed the schedule itself', () => {
  it('leave the (new) schedule as what is owed', () => {
    const measure: MeasureInForce = { effect: { type: 'extend_term', extraMonths: 36 }, startsOn: '2026-09-01', endsOn: '2030-01-15', paidTotalAtStart: 0, principalOutstandingAtStart: 0 };
    expect(expectedUnderMeasure(behind[8]!, measure)).toMatchObject({ suspended: 0, interestOnly: false });
    const position = assessLoan({ litigation: false, hasActiveMeasure: true, principal: terms.principal, installments: behind, measure }, '2026-11-29');
    expect(position.status).toBe('in_measure');
    expect(position.overdue).toBeGreaterThan(0);
  });
});
