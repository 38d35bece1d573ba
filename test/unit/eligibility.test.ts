// Eligibility rules are data; each "no" carries a Thai reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateEligibility, type EligibilityFacts } from '../../server/domain/eligibility.ts';

const catalogue = JSON.parse(readFileSync(new URL('../../migrations/data/relief-measures.v1.json', import.meta.url), 'utf8')) as Array<{
  code: string;
  eligibility: unknown;
}>;
const rulesOf = (code: string) => catalogue.find((m) => m.code === code)!.eligibility;

const defaulted: EligibilityFacts = {
  loanStatus: 'defaulted',
  outstandingTotal: 900_000,
  daysPastDue: 40,
  activeMeasureTitle: null,
  openLoanCount: 1,
  openApplication: null,
};

describe('eligibility', () => {
  it('lets an overdue borrower apply for a longer term', () => {
    expect(evaluateEligibility(rulesOf('term_extension'), defaulted)).toEqual({ eligible: true, reasons: [] });
  });

  it('refuses litigation with a reason that points to an officer', () => {
    const verdict = evaluateEligibility(rulesOf('term_extension'), { ...defaulted, loanStatus: 'litigation' });
    expect(verdict.eligible).toBe(false);
    expect(verdict.reasons).toEqual([expect.stringContaining('ดำเนินคดี')]);
  });

  it('refuses a loan already in a measure, naming the measure', () => {
    const verdict = evaluateEligibility(rulesOf('rate_reduction'), { ...defaulted, loanStatus: 'in_measure', activeMeasureTitle: 'พักหนี้ไม่พักจ่าย' });
    expect(verdict.reasons).toEqual(['สัญญานี้เข้าร่วมมาตรการ "พักหนี้ไม่พักจ่าย" อยู่แล้วค่ะ']);
  });

  it('keeps the penalty waiver for overdue loans only', () => {
    expect(evaluateEligibility(rulesOf('penalty_waiver'), defaulted).eligible).toBe(true);
    const normal = evaluateEligibility(rulesOf('penalty_waiver'), { ...defaulted, loanStatus: 'normal', daysPastDue: 0 });
    expect(normal.eligible).toBe(false);
    expect(normal.reasons).toHaveLength(1);
    expect(normal.reasons[0]).toContain('ค้างชำระ');
  });

  it('needs two loans for consolidation', () => {
    expect(evaluateEligibility(rulesOf('consolidation'), defaulted).reasons).toEqual([expect.stringContaining('2 สัญญา')]);
    expect(evaluateEligibility(rulesOf('consolidation'), { ...defaulted, openLoanCount: 2 }).eligible).toBe(true);
  });

  it('refuses a loan paid in full, and a second application for the same loan, for this measure or another', () => {
    expect(evaluateEligibility(rulesOf('refinance'), { ...defaulted, loanStatus: 'normal', outstandingTotal: 0 }).reasons).toEqual([
      expect.stringContaining('ชำระครบแล้ว'),
    ]);
    expect(evaluateEligibility(rulesOf('refinance'), { ...defaulted, openApplication: { id: 4, measureTitle: 'ปรับโครงสร้างหนี้', sameMeasure: true } }).reasons).toEqual([
      'ท่านส่งคำขอเข้าร่วมมาตรการนี้สำหรับสัญญานี้แล้ว และกำลังอยู่ระหว่างพิจารณาค่ะ',
    ]);
    const other = evaluateEligibility(rulesOf('refinance'), { ...defaulted, openApplication: { id: 4, measureTitle: 'ขยายระยะเวลา', sameMeasure: false } });
    expect(other.eligible).toBe(false);
    expect(other.reasons[0]).toContain('สัญญานี้มีคำขอเลขที่ 4 เข้าร่วมมาตรการ "ขยายระยะเวลา" อยู่ระหว่างพิจารณาแล้วค่ะ');
  });

  it('fails closed on a rule it does not know', () => {
    const verdict = evaluateEligibility({ statuses: ['defaulted'], maxAge: 60 }, defaulted);
    expect(verdict.eligible).toBe(false);
    expect(verdict.reasons[0]).toContain('รายกรณี');
  });
});
