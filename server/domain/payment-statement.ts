// Validation of a bank or counter payment statement CSV, and the decision of which loan a row pays.
// Every row is checked before anything is written, like the loan registry.
import { parseRegistryDate, type LocalDate } from './local-date.ts';
import { parseBahtToSatang, formatSatang, type Satang } from './money.ts';
import { isValidRef1, isValidRef2, normalizeRef, readableRef1, readRef2, REF_MAX_LENGTH } from './promptpay.ts';

export const STATEMENT_COLUMNS = ['paid_on', 'amount', 'ref1', 'ref2', 'reference'] as const;
export const STATEMENT_REFERENCE_MAX_LENGTH = 100;

export type StatementColumn = (typeof STATEMENT_COLUMNS)[number];
export type RawStatementRow = Partial<Record<StatementColumn, string>>;

export interface StatementRow {
  line: number;
  paidOn: LocalDate;
  amount: Satang;
  /** Normalised: upper-case, no spaces. */
  ref1: string;
  ref2: string | undefined;
  /** The installment our Ref2 names, when Ref2 is one of ours for this Ref1 (a counter may leave it blank). */
  installmentSeq: number | undefined;
  /** The statement's own unique reference for the transaction. */
  reference: string;
}

export interface StatementRowError {
  line: number;
  reference: string | undefined;
  reasons: string[];
}

/**
 * Header problems as Thai sentences; empty when the header is exactly the five columns, each once
 * (order does not matter: rows are read by name).
 */
export function checkStatementHeader(columns: readonly string[]): string[] {
  const problems: string[] = [];
  const known = STATEMENT_COLUMNS as readonly string[];
  const missing = STATEMENT_COLUMNS.filter((column) => !columns.includes(column));
  const unknown = columns.filter((column) => !known.includes(column));
  const repeated = [...new Set(columns.filter((column, index) => columns.indexOf(column) !== index))];
  if (missing.length) problems.push(`หัวตารางขาดคอลัมน์: ${missing.join(', ')}`);
  if (unknown.length) problems.push(`หัวตารางมีคอลัมน์ที่ไม่รู้จัก: ${unknown.join(', ')}`);
  if (repeated.length) problems.push(`หัวตารางมีคอลัมน์ซ้ำ: ${repeated.join(', ')}`);
  return problems;
}

/** Validates one row; `line` is the row's line number in the file (the header is line 1). */
export function validateStatementRow(raw: RawStatementRow, line: number): { row: StatementRow } | { error: StatementRowError } {
  const reasons: string[] = [];
  const text = (column: StatementColumn) => (raw[column] ?? '').trim();

  const paidOn = parseRegistryDate(text('paid_on'));
  if (!paidOn) reasons.push(`วันที่ชำระต้องเป็นวันที่จริง เช่น 2569-11-20 หรือ 20/11/2569 (ปี 4 หลัก ค.ศ. หรือ พ.ศ.): "${text('paid_on')}" (paid_on)`);

  const amount = parseBahtToSatang(text('amount'));
  if (amount === undefined) reasons.push(`จำนวนเงินไม่ถูกต้อง: "${text('amount')}" (amount)`);
  else if (amount <= 0) reasons.push(`จำนวนเงินต้องมากกว่า 0: "${text('amount')}" (amount)`);

  // A contract number as the counter wrote it ("TRT-2566-1008") is its readable Ref1 without the separators.
  const ref1 = readableRef1(text('ref1')) ?? normalizeRef(text('ref1'));
  if (!ref1) reasons.push('ไม่มี Ref1 (ref1)');
  else if (!isValidRef1(ref1)) reasons.push(`Ref1 ต้องเป็นอักษรภาษาอังกฤษหรือตัวเลข ไม่เกิน ${REF_MAX_LENGTH} ตัว: "${text('ref1')}" (ref1)`);

  const ref2 = normalizeRef(text('ref2')) || undefined;
  if (ref2 !== undefined && !isValidRef2(ref2)) {
    reasons.push(`Ref2 ต้องเป็นอักษรภาษาอังกฤษหรือตัวเลข ไม่เกิน ${REF_MAX_LENGTH} ตัว: "${text('ref2')}" (ref2)`);
  }

  const reference = text('reference');
  if (!reference) reasons.push('ไม่มีเลขอ้างอิงรายการของธนาคาร (reference)');
  else if (reference.length > STATEMENT_REFERENCE_MAX_LENGTH) {
    reasons.push(`เลขอ้างอิงรายการยาวเกิน ${STATEMENT_REFERENCE_MAX_LENGTH} ตัวอักษร (reference)`);
  }

  if (reasons.length > 0) return { error: { line, reference: reference || undefined, reasons } };
  return {
    row: {
      line,
      paidOn: paidOn!,
      amount: amount!,
      ref1,
      ref2,
      installmentSeq: ref2 === undefined ? undefined : readRef2(ref1, ref2),
      reference,
    },
  };
}

/**
 * Validates a whole file's rows. A reference repeated in the file is an error on every later row
 * (the first stays, as in the registry), so the officer sees which lines to look at.
 */
export function validateStatement(
  records: Iterable<{ raw: RawStatementRow; line: number }>,
): { rows: StatementRow[]; errors: StatementRowError[] } {
  const rows: StatementRow[] = [];
  const errors: StatementRowError[] = [];
  const firstLineOfReference = new Map<string, number>();
  for (const { raw, line } of records) {
    const reference = (raw.reference ?? '').trim();
    const earlier = reference ? firstLineOfReference.get(reference) : undefined;
    const result = validateStatementRow(raw, line);
    if (earlier !== undefined) {
      const reasons = 'error' in result ? result.error.reasons : [];
      errors.push({ line, reference, reasons: [`เลขอ้างอิงรายการซ้ำกับบรรทัด ${earlier}`, ...reasons] });
      continue;
    }
    if (reference) firstLineOfReference.set(reference, line);
    if ('error' in result) errors.push(result.error);
    else rows.push(result.row);
  }
  return { rows, errors };
}

export interface LoanCandidate {
  loanId: number;
  contractNo: string;
}

export interface StatementCandidates {
  /** Loans whose stored Ref1 equals the row's Ref1 (the column is unique, so at most one). */
  byRef1: readonly LoanCandidate[];
  /** Loans whose contract number, written the way Ref1s are (readableRef1), equals the row's Ref1. */
  byContractNo: readonly LoanCandidate[];
}

export type StatementMatch =
  | { status: 'matched'; loanId: number; contractNo: string; reason: string }
  | { status: 'unmatched'; reason: string }
  | { status: 'ambiguous'; loanIds: number[]; contractNos: string[]; reason: string };

/**
 * Which loan a statement row pays. One loan among both lists: matched. None: unmatched. More than one
 * (a Ref1 that is one loan's and, spelt as a contract number, another's): ambiguous, for an officer.
 */
export function matchStatementRow(row: Pick<StatementRow, 'ref1' | 'amount' | 'reference'>, candidates: StatementCandidates): StatementMatch {
  const loans = new Map<number, LoanCandidate>();
  for (const loan of [...candidates.byRef1, ...candidates.byContractNo]) if (!loans.has(loan.loanId)) loans.set(loan.loanId, loan);
  const found = [...loans.values()];
  const what = `รายการ ${row.reference} (${formatSatang(row.amount)})`;

  if (found.length === 0) {
    return { status: 'unmatched', reason: `${what}: ไม่พบสัญญาที่มี Ref1 หรือเลขที่สัญญาตรงกับ ${row.ref1}` };
  }
  if (found.length > 1) {
    const contractNos = found.map((loan) => loan.contractNo);
    return {
      status: 'ambiguous',
      loanIds: found.map((loan) => loan.loanId),
      contractNos,
      reason: `${what}: Ref1 ${row.ref1} ตรงกับหลายสัญญา (${contractNos.join(', ')}) ให้เจ้าหน้าที่ตรวจสอบ`,
    };
  }
  const [loan] = found as [LoanCandidate];
  const how = candidates.byRef1.some((c) => c.loanId === loan.loanId) ? 'ตรงกับ Ref1 ของสัญญา' : 'ตรงกับเลขที่สัญญา';
  return { status: 'matched', loanId: loan.loanId, contractNo: loan.contractNo, reason: `${what}: ${how} ${loan.contractNo}` };
}
