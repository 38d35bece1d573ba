import { describe, expect, it } from 'vitest';
import {
  checkStatementHeader,
  matchStatementRow,
  STATEMENT_COLUMNS,
  validateStatement,
  validateStatementRow,
  type RawStatementRow,
  type StatementRow,
} from '../../server/domain/payment-statement.ts';
import { paymentRef2 } from '../../server/domain/promptpay.ts';

let counter = 0;
function statementRow(overrides: RawStatementRow = {}): RawStatementRow {
  return { paid_on: '2026-01-15', amount: '1,234.50', ref1: 'TRT25660001', ref2: '', reference: `BANK-${++counter}`, ...overrides };
}

function reasonsOf(raw: RawStatementRow): string {
  const result = validateStatementRow(raw, 9);
  if (!('error' in result)) throw new Error('expected the row to be refused');
  expect(result.error.line).toBe(9);
  return result.error.reasons.join('\n');
}

describe('statement header', () => {
  it('accepts exactly the five columns, in any order', () => {
    expect(checkStatementHeader([...STATEMENT_COLUMNS])).toEqual([]);
    expect(checkStatementHeader(['reference', 'ref2', 'ref1', 'amount', 'paid_on'])).toEqual([]);
  });

  it('names missing, unknown and repeated columns in Thai', () => {
    expect(checkStatementHeader(['paid_on', 'amount', 'ref1'])).toEqual(['หัวตารางขาดคอลัมน์: ref2, reference']);
    expect(checkStatementHeader([...STATEMENT_COLUMNS, 'note'])).toEqual(['หัวตารางมีคอลัมน์ที่ไม่รู้จัก: note']);
    expect(checkStatementHeader([...STATEMENT_COLUMNS, 'amount'])).toEqual(['หัวตารางมีคอลัมน์ซ้ำ: amount']);
    expect(checkStatementHeader(['Paid_On', 'amount', 'ref1', 'ref2', 'reference'])).toEqual([
      'หัวตารางขาดคอลัมน์: paid_on',
      'หัวตารางมีคอลัมน์ที่ไม่รู้จัก: Paid_On',
    ]);
  });
});

describe('statement rows', () => {
  it('reads a good row: Buddhist Era date, thousands separators, Ref1 as a person typed it, our Ref2', () => {
    const result = validateStatementRow(
      statementRow({ paid_on: '2569-01-15', amount: '1,234,567.89', ref1: ' trt 2566 0001 ', ref2: paymentRef2('TRT25660001', 7), reference: ' FT26015ABC ' }),
      2,
    );
    expect(result).toEqual({
      row: {
        line: 2, paidOn: '2026-01-15', amount: 123_456_789, ref1: 'TRT25660001', ref2: paymentRef2('TRT25660001', 7),
        installmentSeq: 7, reference: 'FT26015ABC',
      },
    });
  });

  it('reads a Ref1 written as the contract number, dashes and all, and a day-first date (an operator\'s export)', () => {
    expect(validateStatementRow(statementRow({ ref1: 'TRT-2566-1008', paid_on: '20/11/2569' }), 2)).toMatchObject({ row: { ref1: 'TRT25661008', paidOn: '2026-11-20' } });
  });

  it('keeps a row whose Ref2 is blank or not one of ours, without an installment', () => {
    expect(validateStatementRow(statementRow({ ref2: '' }), 2)).toMatchObject({ row: { ref2: undefined, installmentSeq: undefined } });
    expect(validateStatementRow(statementRow({ ref2: '00799' }), 2)).toMatchObject({ row: { ref2: '00799', installmentSeq: undefined } });
    expect(validateStatementRow(statementRow({ ref2: 'counter7' }), 2)).toMatchObject({ row: { ref2: 'COUNTER7', installmentSeq: undefined } });
    expect(validateStatementRow(statementRow({ amount: '฿0.01' }), 2)).toMatchObject({ row: { amount: 1 } });
  });

  it.each([
    ['a date in another shape', { paid_on: '15/01/26' }, '(paid_on)'],
    ['a day that does not exist', { paid_on: '2026-02-30' }, '(paid_on)'],
    ['a Buddhist Era day that does not exist', { paid_on: '2569-02-29' }, '(paid_on)'],
    ['no date', { paid_on: '' }, '(paid_on)'],
    ['an amount of zero', { amount: '0.00' }, 'จำนวนเงินต้องมากกว่า 0: "0.00" (amount)'],
    ['a negative amount', { amount: '-500' }, 'จำนวนเงินต้องมากกว่า 0: "-500" (amount)'],
    ['an amount that is not money', { amount: '1.234,50' }, 'จำนวนเงินไม่ถูกต้อง: "1.234,50" (amount)'],
    ['three decimals', { amount: '10.005' }, 'จำนวนเงินไม่ถูกต้อง'],
    ['no amount', { amount: '' }, 'จำนวนเงินไม่ถูกต้อง: "" (amount)'],
    ['no Ref1', { ref1: '  ' }, 'ไม่มี Ref1 (ref1)'],
    ['a Ref1 with a sign that is no separator', { ref1: 'TRT+2566' }, '(ref1)'],
    ['a Ref1 in Thai', { ref1: 'สัญญา1' }, '(ref1)'],
    ['a Ref1 longer than 20', { ref1: 'A'.repeat(21) }, 'ไม่เกิน 20 ตัว'],
    ['a Ref2 in Thai', { ref2: 'งวด7' }, '(ref2)'],
    ['a Ref2 longer than 20', { ref2: '1'.repeat(21) }, '(ref2)'],
    ['no reference', { reference: '' }, 'ไม่มีเลขอ้างอิงรายการของธนาคาร (reference)'],
    ['a reference longer than 100', { reference: 'R'.repeat(101) }, 'ยาวเกิน 100 ตัวอักษร (reference)'],
  ])('refuses %s', (_what, overrides, reason) => {
    expect(reasonsOf(statementRow(overrides))).toContain(reason);
  });

  it('gives every reason a row is wrong at once', () => {
    const result = validateStatementRow({ paid_on: 'yesterday', amount: '0', ref1: 'TRT#1', ref2: 'งวด', reference: '' }, 4);
    expect(result).toEqual({
      error: {
        line: 4,
        reference: undefined,
        reasons: [
          'วันที่ชำระต้องเป็นวันที่จริง เช่น 2569-11-20 หรือ 20/11/2569 (ปี 4 หลัก ค.ศ. หรือ พ.ศ.): "yesterday" (paid_on)',
          'จำนวนเงินต้องมากกว่า 0: "0" (amount)',
          'Ref1 ต้องเป็นอักษรภาษาอังกฤษหรือตัวเลข ไม่เกิน 20 ตัว: "TRT#1" (ref1)',
          'Ref2 ต้องเป็นอักษรภาษาอังกฤษหรือตัวเลข ไม่เกิน 20 ตัว: "งวด" (ref2)',
          'ไม่มีเลขอ้างอิงรายการของธนาคาร (reference)',
        ],
      },
    });
  });

  it('treats a missing column like an empty one', () => {
    expect(reasonsOf({ paid_on: '2026-01-15', amount: '100', reference: 'X' })).toContain('ไม่มี Ref1');
  });
});

describe('a whole statement', () => {
  it('lists every bad row with its line, and keeps the good ones', () => {
    const { rows, errors } = validateStatement([
      { raw: statementRow({ reference: 'A' }), line: 2 },
      { raw: statementRow({ amount: '0', reference: 'B' }), line: 3 },
      { raw: statementRow({ reference: 'C' }), line: 4 },
      { raw: statementRow({ paid_on: '2026-13-01', reference: 'D' }), line: 5 },
    ]);
    expect(rows.map((row) => row.line)).toEqual([2, 4]);
    expect(errors.map((error) => [error.line, error.reference])).toEqual([[3, 'B'], [5, 'D']]);
  });

  it('finds a reference repeated in the file: each later row names the first line', () => {
    const { rows, errors } = validateStatement([
      { raw: statementRow({ reference: 'FT1' }), line: 2 },
      { raw: statementRow({ reference: 'FT2' }), line: 3 },
      { raw: statementRow({ reference: ' FT1 ' }), line: 4 },
      { raw: statementRow({ reference: 'FT1', amount: '-1' }), line: 5 },
    ]);
    expect(rows.map((row) => row.reference)).toEqual(['FT1', 'FT2']);
    expect(errors).toEqual([
      { line: 4, reference: 'FT1', reasons: ['เลขอ้างอิงรายการซ้ำกับบรรทัด 2'] },
      { line: 5, reference: 'FT1', reasons: ['เลขอ้างอิงรายการซ้ำกับบรรทัด 2', 'จำนวนเงินต้องมากกว่า 0: "-1" (amount)'] },
    ]);
  });

  it('counts a reference as used even when its first row was refused', () => {
    const { rows, errors } = validateStatement([
      { raw: statementRow({ reference: 'FT9', amount: 'abc' }), line: 2 },
      { raw: statementRow({ reference: 'FT9' }), line: 3 },
    ]);
    expect(rows).toEqual([]);
    expect(errors.map((error) => error.line)).toEqual([2, 3]);
    expect(errors[1]?.reasons).toEqual(['เลขอ้างอิงรายการซ้ำกับบรรทัด 2']);
  });

  it('does not call references repeated when they differ in case', () => {
    const { rows } = validateStatement([
      { raw: statementRow({ reference: 'ft1' }), line: 2 },
      { raw: statementRow({ reference: 'FT1' }), line: 3 },
    ]);
    expect(rows).toHaveLength(2);
  });
});

describe('matching a statement row to a loan', () => {
  const row: Pick<StatementRow, 'ref1' | 'amount' | 'reference'> = { ref1: 'TRT25660001', amount: 123_450, reference: 'FT1' };
  const loanA = { loanId: 1, contractNo: 'TRT-2566-0001' };
  const loanB = { loanId: 2, contractNo: 'TRT2566-0001' };

  it('matches the loan whose Ref1 it carries', () => {
    expect(matchStatementRow(row, { byRef1: [loanA], byContractNo: [] })).toEqual({
      status: 'matched', loanId: 1, contractNo: 'TRT-2566-0001', reason: 'รายการ FT1 (฿1,234.50): ตรงกับ Ref1 ของสัญญา TRT-2566-0001',
    });
  });

  it('matches by contract number when a counter wrote the contract number as Ref1', () => {
    expect(matchStatementRow(row, { byRef1: [], byContractNo: [loanA] })).toMatchObject({
      status: 'matched', loanId: 1, reason: 'รายการ FT1 (฿1,234.50): ตรงกับเลขที่สัญญา TRT-2566-0001',
    });
  });

  it('counts one loan found both ways once', () => {
    expect(matchStatementRow(row, { byRef1: [loanA], byContractNo: [loanA] })).toMatchObject({ status: 'matched', loanId: 1, reason: expect.stringContaining('Ref1') });
  });

  it('leaves a row with no candidate unmatched', () => {
    expect(matchStatementRow(row, { byRef1: [], byContractNo: [] })).toEqual({
      status: 'unmatched', reason: 'รายการ FT1 (฿1,234.50): ไม่พบสัญญาที่มี Ref1 หรือเลขที่สัญญาตรงกับ TRT25660001',
    });
  });

  it('hands a Ref1 that is one loan\'s and, as a contract number, another\'s to an officer', () => {
    expect(matchStatementRow(row, { byRef1: [loanA], byContractNo: [loanB] })).toEqual({
      status: 'ambiguous', loanIds: [1, 2], contractNos: ['TRT-2566-0001', 'TRT2566-0001'],
      reason: 'รายการ FT1 (฿1,234.50): Ref1 TRT25660001 ตรงกับหลายสัญญา (TRT-2566-0001, TRT2566-0001) ให้เจ้าหน้าที่ตรวจสอบ',
    });
    expect(matchStatementRow(row, { byRef1: [], byContractNo: [loanA, loanB] })).toMatchObject({ status: 'ambiguous', loanIds: [1, 2] });
  });
});
