// Applying a measure's effect to a loan's remaining schedule: preview and approval use the same function.
import { describe, expect, it } from 'vitest';
import { applyPaidTotal, generateSchedule, installmentTotal, scheduleTotal, type Installment, type LoanTerms } from '../../server/domain/loan-schedule.ts';
import { explainRestructuring, nextCadenceDate, parseMeasureEffect, restructureSchedule, type MeasureEffect } from '../../server/domain/restructuring.ts';

const today = '2026-11-23';

function loanWith(terms: Partial<LoanTerms>, paidTotal: number) {
  const full: LoanTerms = { principal: 1_200_000, annualInterestBp: 0, installmentCount: 12, frequency: 'monthly', firstDueOn: '2026-01-15', ...terms };
  return { loan: full, installments: applyPaidTotal(generateSchedule(full), paidTotal) };
}

function restructure(effect: MeasureEffect, terms: Partial<LoanTerms> = {}, paidTotal = 300_000) {
  const { loan, installments } = loanWith(terms, paidTotal);
  return { loan, installments, result: restructureSchedule({ loan, installments, today, effect }) };
}

/** The registry import re-applies the paid total oldest-first; a restructured schedule must survive that. */
function expectPaidTotalReapplies(schedule: Installment[], paidTotal: number) {
  const reapplied = applyPaidTotal(schedule.map(({ paid: _paid, ...rest }) => rest), paidTotal);
  expect(reapplied).toEqual(schedule);
}

describe('restructuring a schedule', () => {
  it('extends the term: 9,000 baht left over 37 months instead of 1, the paid months kept as paid', () => {
    const { result } = restructure({ type: 'extend_term', extraMonths: 36 });
    expect(result.changesSchedule).toBe(true);
    expect(result.keptCount).toBe(3);
    expect(result.schedule.slice(0, 3).every((i) => i.paid === installmentTotal(i) && i.paid === 100_000)).toBe(true);
    const fresh = result.schedule.slice(3);
    expect(fresh).toHaveLength(37);
    expect(fresh[0]).toMatchObject({ seq: 4, dueOn: '2026-12-15', principal: 24_324, interest: 0, paid: 0 });
    expect(fresh[36]).toMatchObject({ seq: 40, dueOn: '2029-12-15', principal: 24_336 });
    expect(result.before).toMatchObject({ regularInstallment: 100_000, lastDueOn: '2026-12-15', remainingTotal: 900_000 });
    expect(result.after).toMatchObject({ regularInstallment: 24_324, firstDueOn: '2026-12-15', lastDueOn: '2029-12-15', remainingTotal: 900_000, remainingInstallments: 37 });
    expect(result.measureEndsOn).toBe('2029-12-15');
    expectPaidTotalReapplies(result.schedule, 300_000);
  });

  it('keeps principal whole and carries unpaid interest that had fallen due, interest-free', () => {
    const { loan, installments, result } = restructure({ type: 'extend_term', extraMonths: 36 }, { annualInterestBp: 300 }, 300_000);
    const principal = result.schedule.reduce((sum, i) => sum + i.principal, 0);
    expect(principal).toBe(loan.principal);
    const dueInterestUnpaid = installments
      .filter((i) => i.dueOn <= today)
      .reduce((sum, i) => sum + i.interest - Math.min(i.interest, i.paid), 0);
    expect(result.carriedInterest).toBe(dueInterestUnpaid);
    expect(result.carriedInterest).toBeGreaterThan(0);
    expectPaidTotalReapplies(result.schedule, 300_000);
    expect(explainRestructuring(result, { type: 'extend_term', extraMonths: 36 }).join('\n')).toContain('ดอกเบี้ยที่ค้างอยู่');
  });

  it('keeps a partly paid installment as exactly what was paid on it', () => {
    const { result } = restructure({ type: 'reduce_rate', annualInterestBp: 100 }, { annualInterestBp: 300 }, 250_000);
    const kept = result.schedule.slice(0, result.keptCount);
    expect(kept.reduce((sum, i) => sum + i.paid, 0)).toBe(250_000);
    expect(kept.every((i) => i.paid === installmentTotal(i))).toBe(true);
    expectPaidTotalReapplies(result.schedule, 250_000);
  });

  it('lowers the rate over the same remaining term', () => {
    const { result } = restructure({ type: 'reduce_rate', annualInterestBp: 100 }, { annualInterestBp: 300, installmentCount: 24 }, 0);
    expect(result.after.annualInterestBp).toBe(100);
    expect(result.after.remainingInstallments).toBe(13); // Dec 2026 … Dec 2027 were still ahead
    expect(result.after.lastDueOn).toBe(result.before.lastDueOn);
    // 1 % a month on the first balance instead of 3 %, plus the carried interest spread
    expect(result.after.remainingTotal).toBeLessThan(result.before.remainingTotal);
    expect(explainRestructuring(result, { type: 'reduce_rate', annualInterestBp: 100 })).toContain('อัตราดอกเบี้ยเปลี่ยนจาก 3% เป็น 1% ต่อปี');
  });

  it('pauses principal: interest only for 12 months, then the remaining installments', () => {
    const { result } = restructure({ type: 'pause_principal', months: 12 }, { annualInterestBp: 600, installmentCount: 24 }, 0);
    const fresh = result.schedule.slice(result.keptCount);
    expect(fresh.slice(0, 12).every((i) => i.principal === 0 && i.interest === 6_000)).toBe(true); // 12,000 baht × 6 % ÷ 12
    expect(fresh[12]!.principal).toBeGreaterThan(0);
    expect(fresh).toHaveLength(12 + 13);
    expect(result.pause).toEqual({ months: 12, until: '2027-11-22', paymentDuring: 6_000 });
    expect(result.measureEndsOn).toBe('2027-11-22');
    expect(result.after.regularInstallment).toBe(installmentTotal(fresh[12]!));
  });

  it('suspends the debt: nothing due for 12 months, then the same number of installments', () => {
    const { result } = restructure({ type: 'suspend', months: 12, paymentsGoToPrincipal: true });
    const fresh = result.schedule.slice(result.keptCount);
    expect(fresh[0]!.dueOn).toBe('2027-12-15');
    expect(fresh).toHaveLength(1);
    expect(result.pause).toMatchObject({ months: 12, until: '2027-11-22', paymentDuring: 0 });
    expect(result.measureEndsOn).toBe('2027-11-22');
    expect(explainRestructuring(result, { type: 'suspend', months: 12, paymentsGoToPrincipal: true }).join('\n')).toContain('ทุกบาท');
  });

  it('says why the installment after a suspension is higher than before, and what lowers it', () => {
    // 24 months at 3 % from January, four paid: seven installments overdue on 23 Nov, folded into those left.
    const { result } = restructure({ type: 'suspend', months: 12, paymentsGoToPrincipal: true }, { installmentCount: 24, annualInterestBp: 300, principal: 2_400_000 }, 400_000);
    expect(result.after.regularInstallment).toBeGreaterThan(result.before.regularInstallment);
    const lines = explainRestructuring(result, { type: 'suspend', months: 12, paymentsGoToPrincipal: true });
    expect(lines).toContain('ค่างวดใหม่สูงกว่าเดิม เพราะยอดที่ค้างชำระอยู่ตอนนี้ถูกเฉลี่ยเข้าไปในงวดที่เหลือ ถ้าระหว่างพักจ่ายได้บ้าง ค่างวดหลังพ้นช่วงพักจะลดลงตามยอดที่จ่าย');
    const added = result.after.remainingTotal - result.before.remainingTotal;
    expect(added).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^ยอดรวมมากกว่าเดิม ฿[\d,]+\.\d\d เป็นดอกเบี้ยตามอัตราเดิมของเงินต้นที่ย้ายไปผ่อนในงวดหลัง$/);
    // No such line where the installment falls (an extension spreads the debt thinner).
    const { result: extended } = restructure({ type: 'extend_term', extraMonths: 36 });
    expect(explainRestructuring(extended, { type: 'extend_term', extraMonths: 36 }).join('\n')).not.toContain('สูงกว่าเดิม');
  });

  it('refinances a quarterly loan into 36 monthly installments at the new rate, on the same day of month', () => {
    const { result } = restructure({ type: 'refinance', installmentMonths: 36, annualInterestBp: 300 }, { frequency: 'quarterly', firstDueOn: '2025-01-31', installmentCount: 8, annualInterestBp: 500 }, 0);
    const fresh = result.schedule.slice(result.keptCount);
    expect(fresh).toHaveLength(36);
    expect(fresh[0]!.dueOn).toBe('2026-11-30');
    expect(fresh[3]!.dueOn).toBe('2027-02-28');
    expect(fresh[4]!.dueOn).toBe('2027-03-31');
    expect(result.after.annualInterestBp).toBe(300);
  });

  it('changes nothing for a measure without a schedule effect', () => {
    const { installments, result } = restructure({ type: 'none' });
    expect(result.changesSchedule).toBe(false);
    expect(result.schedule).toEqual(installments);
    expect(scheduleTotal(result.schedule)).toBe(scheduleTotal(installments));
    expect(explainRestructuring(result, { type: 'none' })[0]).toContain('ไม่เปลี่ยนตารางผ่อน');
  });

  it('starts new installments after ones already paid ahead', () => {
    // 5 installments paid: Jan–May; today is 23 Nov, so nothing is paid ahead. Pay through Feb 2027 instead.
    const { result } = restructure({ type: 'extend_term', extraMonths: 12 }, { installmentCount: 24 }, 14 * 50_000);
    const fresh = result.schedule.slice(result.keptCount);
    expect(result.schedule[result.keptCount - 1]!.dueOn).toBe('2027-02-15');
    expect(fresh[0]!.dueOn).toBe('2027-03-15');
    expectPaidTotalReapplies(result.schedule, 14 * 50_000);
  });

  it('reads effects from the catalogue and refuses shapes it does not know', () => {
    expect(parseMeasureEffect({ type: 'extend_term', extraMonths: 36 })).toEqual({ type: 'extend_term', extraMonths: 36 });
    expect(parseMeasureEffect({ type: 'extend_term', extraMonths: -1 })).toBeUndefined();
    expect(parseMeasureEffect({ type: 'teleport' })).toBeUndefined();
  });

  it('finds the next date of a cadence, keeping the anchor day', () => {
    expect(nextCadenceDate('2026-01-31', 1, 31, '2026-02-10')).toBe('2026-02-28');
    expect(nextCadenceDate('2026-01-31', 1, 31, '2026-02-28')).toBe('2026-03-31');
    expect(nextCadenceDate('2020-05-15', 3, 15, '2026-11-23')).toBe('2027-02-15');
  });
});
