// Validation of the loan registry CSV: every row is checked before anything is written.
import { parseRegistryDate, type LocalDate } from './local-date.ts';
import { formatSatang, parseBahtToSatang, type Satang } from './money.ts';
import { generateSchedule, scheduleTotal, type LoanTerms, type RepaymentFrequency } from './loan-schedule.ts';
import { isValidNationalId, normalizeNationalId } from './thai-national-id.ts';
import { areaNameWithoutPrefix, knownProvince, nearestProvince } from './thai-areas.ts';

export const REGISTRY_COLUMNS = [
  'contract_no', 'national_id', 'full_name', 'phone', 'province', 'district', 'subdistrict',
  'principal', 'annual_interest_rate', 'installments', 'frequency', 'first_due_on', 'paid_total', 'litigation',
] as const;

export type RegistryColumn = (typeof REGISTRY_COLUMNS)[number];
export type RawRegistryRow = Partial<Record<RegistryColumn, string>>;

export interface RegistryLoan {
  line: number;
  contractNo: string;
  nationalId: string;
  fullName: string;
  phone: string | undefined;
  province: string;
  district: string;
  subdistrict: string;
  principal: Satang;
  annualInterestBp: number;
  installmentCount: number;
  frequency: RepaymentFrequency;
  firstDueOn: LocalDate;
  paidTotal: Satang;
  litigation: boolean;
}

export interface RegistryRowError {
  line: number;
  contractNo: string | undefined;
  reasons: string[];
}

const FREQUENCIES: Record<string, RepaymentFrequency> = { monthly: 'monthly', quarterly: 'quarterly', yearly: 'yearly' };
const RATE_PATTERN = /^(\d{1,2})(?:\.(\d{1,2}))?\s*%?$/;

/** Header problems (missing or unknown columns) as Thai sentences; empty when the header is right. */
export function checkRegistryHeader(columns: readonly string[]): string[] {
  const problems: string[] = [];
  const missing = REGISTRY_COLUMNS.filter((column) => !columns.includes(column));
  const unknown = columns.filter((column) => !(REGISTRY_COLUMNS as readonly string[]).includes(column));
  if (missing.length) problems.push(`หัวตารางขาดคอลัมน์: ${missing.join(', ')}`);
  if (unknown.length) problems.push(`หัวตารางมีคอลัมน์ที่ไม่รู้จัก: ${unknown.join(', ')}`);
  return problems;
}

function parseRatePercentToBp(text: string): number | undefined {
  const match = RATE_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function parseLitigation(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return undefined;
}

const totalOfTerms = (terms: LoanTerms): Satang => scheduleTotal(generateSchedule(terms));

/**
 * Validates one row; `line` is the row's line number in the file (the header is line 1). `totalOf` computes what
 * the whole contract comes to (a bulk import passes one that remembers schedules it has generated).
 */
export function validateRegistryRow(
  raw: RawRegistryRow,
  line: number,
  totalOf: (terms: LoanTerms) => Satang = totalOfTerms,
): { loan: RegistryLoan } | { error: RegistryRowError } {
  const reasons: string[] = [];
  const text = (column: RegistryColumn) => (raw[column] ?? '').trim();

  const contractNo = text('contract_no');
  if (!contractNo) reasons.push('ไม่มีเลขที่สัญญา (contract_no)');
  else if (contractNo.length > 40) reasons.push('เลขที่สัญญายาวเกิน 40 ตัวอักษร');

  const nationalId = normalizeNationalId(text('national_id'));
  if (!/^\d{13}$/.test(nationalId)) reasons.push('เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก (national_id)');
  else if (!isValidNationalId(nationalId)) reasons.push('เลขประจำตัวประชาชนไม่ถูกต้อง: หลักตรวจสอบไม่ตรง (national_id)');

  const fullName = text('full_name').replace(/\s+/g, ' ');
  if (!fullName) reasons.push('ไม่มีชื่อ-นามสกุล (full_name)');

  // Excel drops a number's leading zero ("812345678"): a mobile of 9 digits from 6/8/9, or a landline of 8 from 2–7, gets
  // it back. Anything else must be a whole Thai number.
  const typedPhone = text('phone').replace(/[\s-]/g, '');
  const phoneDigits = /^[689]\d{8}$/.test(typedPhone) || /^[2-7]\d{7}$/.test(typedPhone) ? `0${typedPhone}` : typedPhone;
  if (phoneDigits && !/^0\d{8,9}$/.test(phoneDigits)) reasons.push(`เบอร์โทรศัพท์ไม่ถูกต้อง: "${text('phone')}" (phone)`);

  // "จ.ตราด", "อำเภอเมืองตราด", "ต.บางพระ": the names without their level's prefix, so one area is one area.
  const area = {
    province: areaNameWithoutPrefix('province', text('province')),
    district: areaNameWithoutPrefix('district', text('district')),
    subdistrict: areaNameWithoutPrefix('subdistrict', text('subdistrict')),
  };
  for (const column of ['province', 'district', 'subdistrict'] as const) {
    if (!text(column)) reasons.push(`ไม่มีชื่อ${column === 'province' ? 'จังหวัด' : column === 'district' ? 'อำเภอ' : 'ตำบล'} (${column})`);
    else if (text(column).includes('/')) reasons.push(`ชื่อพื้นที่ต้องไม่มีเครื่องหมาย / (${column})`);
  }
  const province = area.province ? knownProvince(area.province) : undefined;
  if (area.province && !text('province').includes('/') && !province) {
    const meant = nearestProvince(area.province);
    reasons.push(`ไม่มีจังหวัดชื่อ "${text('province')}"${meant ? ` หมายถึง "${meant}" หรือเปล่า` : ' กรุณาตรวจการสะกด'} (province)`);
  }

  const principal = parseBahtToSatang(text('principal'));
  if (principal === undefined || principal <= 0) reasons.push(`เงินต้นต้องเป็นจำนวนเงินมากกว่า 0: "${text('principal')}" (principal)`);

  const annualInterestBp = parseRatePercentToBp(text('annual_interest_rate'));
  if (annualInterestBp === undefined) reasons.push(`อัตราดอกเบี้ยต่อปีไม่ถูกต้อง: "${text('annual_interest_rate')}" (annual_interest_rate)`);

  const installmentCount = Number(text('installments'));
  if (!/^\d+$/.test(text('installments')) || installmentCount < 1 || installmentCount > 600) {
    reasons.push(`จำนวนงวดต้องเป็นจำนวนเต็ม 1–600: "${text('installments')}" (installments)`);
  }

  const frequency = FREQUENCIES[text('frequency').toLowerCase()];
  if (!frequency) reasons.push(`ความถี่การชำระต้องเป็น monthly, quarterly หรือ yearly: "${text('frequency')}" (frequency)`);

  const firstDueOn = parseRegistryDate(text('first_due_on'));
  if (!firstDueOn) reasons.push(`วันครบกำหนดงวดแรกต้องเป็นวันที่จริง เช่น 2569-01-15 หรือ 15/01/2569 (ปี 4 หลัก ค.ศ. หรือ พ.ศ.): "${text('first_due_on')}" (first_due_on)`);

  const paidText = text('paid_total');
  const paidTotal = paidText === '' ? 0 : parseBahtToSatang(paidText);
  if (paidTotal === undefined || paidTotal < 0) reasons.push(`ยอดชำระแล้วต้องเป็นจำนวนเงินไม่ติดลบ: "${paidText}" (paid_total)`);

  const litigation = parseLitigation(text('litigation'));
  if (litigation === undefined) reasons.push(`สถานะดำเนินคดีต้องเป็น true หรือ false: "${text('litigation')}" (litigation)`);

  if (reasons.length === 0) {
    const total = totalOf({ principal: principal!, annualInterestBp: annualInterestBp!, installmentCount, frequency: frequency!, firstDueOn: firstDueOn! });
    if (paidTotal! > total) reasons.push(`ยอดชำระแล้ว ${formatSatang(paidTotal!)} เกินยอดที่ต้องชำระทั้งสัญญา ${formatSatang(total)} (paid_total)`);
  }
  if (reasons.length > 0) return { error: { line, contractNo: contractNo || undefined, reasons } };

  return {
    loan: {
      line,
      contractNo,
      nationalId,
      fullName,
      phone: phoneDigits || undefined,
      province: province!,
      district: area.district,
      subdistrict: area.subdistrict,
      principal: principal!,
      annualInterestBp: annualInterestBp!,
      installmentCount,
      frequency: frequency!,
      firstDueOn: firstDueOn!,
      paidTotal: paidTotal!,
      litigation: litigation!,
    },
  };
}

/** Validates a whole file's rows, including contract numbers repeated inside the file. */
export function validateRegistry(rows: Iterable<{ raw: RawRegistryRow; line: number }>): { loans: RegistryLoan[]; errors: RegistryRowError[] } {
  const loans: RegistryLoan[] = [];
  const errors: RegistryRowError[] = [];
  const firstLineOfContract = new Map<string, number>();
  for (const { raw, line } of rows) {
    const result = validateRegistryRow(raw, line);
    if ('error' in result) {
      errors.push(result.error);
      continue;
    }
    const earlier = firstLineOfContract.get(result.loan.contractNo);
    if (earlier !== undefined) {
      errors.push({ line, contractNo: result.loan.contractNo, reasons: [`เลขที่สัญญาซ้ำกับบรรทัด ${earlier}`] });
      continue;
    }
    firstLineOfContract.set(result.loan.contractNo, line);
    loans.push(result.loan);
  }
  return { loans, errors };
}
