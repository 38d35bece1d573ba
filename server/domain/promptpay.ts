// PromptPay bill payment (Thai QR Payment, tag 30): the references that tie a transfer to a loan, and the payload.
//
// The TLV/CRC is written here rather than calling promptparse at run time: it is ~40 lines, domain code stays
// free of npm packages, and we own the validation (promptparse accepts any string and silently drops an amount
// of 0). The tests compare every payload with promptparse's output byte for byte, so the library is our oracle.
import { DomainError } from './errors.ts';
import { appendCrc, encodeTlv } from './emv-tlv.ts';
import type { Satang } from './money.ts';
import { normalizeThaiDigits } from './thai-text.ts';

export const BILL_PAYMENT_AID = 'A000000677010112';
export const REF_MAX_LENGTH = 20;
/** Tag 54 holds at most 13 characters: "9999999999.99". */
export const MAX_QR_AMOUNT_SATANG: Satang = 999_999_999_999;
export const MAX_INSTALLMENT_SEQ = 999;

const REF_PATTERN = /^[A-Z0-9]{1,20}$/;
const REF1_SEPARATORS = /[\s\-/._\u2010-\u2015]/g;

/** Ref1 as banks accept it: upper-case A–Z and 0–9, 1 to 20 characters. */
export function isValidRef1(text: string): boolean {
  return REF_PATTERN.test(text);
}

/** Ref2 has the same shape as Ref1 (our own Ref2s are five digits, see paymentRef2). */
export function isValidRef2(text: string): boolean {
  return REF_PATTERN.test(text);
}

/** How a Ref1 or Ref2 read from a statement or typed by a person is compared: upper-case, no spaces. */
export function normalizeRef(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * The readable Ref1 of a contract number, or undefined when there is none:
 * NFKC, upper-case, Thai digits to 0–9, separators (spaces - / . _ and dashes) removed.
 * Any other character left (a Thai letter, say) means no readable candidate: silently dropping it would
 * make unrelated contracts collide.
 */
export function readableRef1(contractNo: string): string | undefined {
  const candidate = normalizeThaiDigits(contractNo.normalize('NFKC').toUpperCase()).replace(REF1_SEPARATORS, '');
  return isValidRef1(candidate) ? candidate : undefined;
}

/**
 * The fallback Ref1: "X" + the 64-bit FNV-1a hash of the trimmed contract number's UTF-8 bytes in base 36,
 * padded to 13 characters (14 in all). Used when there is no readable candidate, and by the importer
 * when the readable candidate is already taken by another loan (the DB column is unique).
 */
export function hashedRef1(contractNo: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(contractNo.trim())) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `X${hash.toString(36).toUpperCase().padStart(13, '0')}`;
}

/**
 * A loan's Ref1: "TRT-2566-0001" → "TRT25660001". When the readable candidate is empty, longer than
 * 20 characters or holds other letters, the hashed fallback. Deterministic; the DB keeps it unique.
 */
export function paymentRef1(contractNo: string): string {
  return readableRef1(contractNo) ?? hashedRef1(contractNo);
}

/**
 * Ref1s for loans that have none, given those already taken: the readable form unless another loan holds it (or
 * gets it earlier in this list), then the hashed one. Every Ref1 maps back to exactly one loan.
 */
export function chooseRef1s(loans: ReadonlyArray<{ id: number; contractNo: string }>, taken: ReadonlySet<string>): Array<{ loanId: number; ref1: string }> {
  const used = new Set(taken);
  return loans.map((loan) => {
    const readable = paymentRef1(loan.contractNo);
    const ref1 = used.has(readable) ? hashedRef1(loan.contractNo) : readable;
    used.add(ref1);
    return { loanId: loan.id, ref1 };
  });
}

/** ISO 7064 MOD 97-10 remainder of a string of digits and letters (A = 10 … Z = 35), as in IBANs. */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = parseInt(char, 36);
    remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
  }
  return remainder;
}

/**
 * Ref2: the installment number in three digits (000 = a payment towards the loan, not one installment)
 * followed by two ISO 7064 MOD 97-10 check digits computed over Ref1 and those three digits.
 * Five digits, so every bank accepts it; a mistyped digit, a swapped pair, or a Ref2 paired with
 * another loan's Ref1 fails the check.
 */
export function paymentRef2(ref1: string, installmentSeq: number): string {
  if (!isValidRef1(ref1)) throw invalid('ref1', ref1, 'Ref1 ต้องเป็นอักษรภาษาอังกฤษตัวพิมพ์ใหญ่หรือตัวเลข 1–20 ตัว');
  if (!Number.isInteger(installmentSeq) || installmentSeq < 0 || installmentSeq > MAX_INSTALLMENT_SEQ) {
    throw invalid('installmentSeq', installmentSeq, `งวดที่ต้องเป็นจำนวนเต็ม 0–${MAX_INSTALLMENT_SEQ}`);
  }
  const seq = String(installmentSeq).padStart(3, '0');
  const check = 98 - mod97(`${ref1}${seq}00`);
  return `${seq}${String(check).padStart(2, '0')}`;
}

/** The installment number a Ref2 names for this Ref1; undefined when Ref2 is not one of ours for it. */
export function readRef2(ref1: string, ref2: string): number | undefined {
  if (!isValidRef1(ref1) || !/^\d{5}$/.test(ref2)) return undefined;
  return mod97(`${ref1}${ref2}`) === 1 ? Number(ref2.slice(0, 3)) : undefined;
}

export interface BillPaymentInput {
  /** The fund's biller ID: its 13-digit tax ID and a 2-digit suffix given by the bank. */
  billerId: string;
  ref1: string;
  ref2?: string;
  /** Omitted: a static QR, the payer types the amount. Given: at least 1 satang. */
  amountSatang?: Satang;
}

function invalid(field: string, value: unknown, message: string): DomainError {
  return new DomainError('VALIDATION', message, { field, value });
}

/** "1234.50" for tag 54. */
function qrAmount(amount: Satang): string {
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

/**
 * The PromptPay bill payment payload (merchant-presented, tag 30). Fields in promptparse's order:
 * 00 format, 01 static (11) or dynamic with amount (12), 30 AID/biller/Ref1/Ref2, 53 THB, 58 TH, 54 amount, 63 CRC.
 */
export function buildBillPaymentPayload({ billerId, ref1, ref2, amountSatang }: BillPaymentInput): string {
  if (!/^\d{15}$/.test(billerId)) throw invalid('billerId', billerId, 'รหัสผู้รับชำระ (Biller ID) ต้องเป็นตัวเลข 15 หลัก');
  if (!isValidRef1(ref1)) throw invalid('ref1', ref1, 'Ref1 ต้องเป็นอักษรภาษาอังกฤษตัวพิมพ์ใหญ่หรือตัวเลข 1–20 ตัว');
  if (ref2 !== undefined && !isValidRef2(ref2)) {
    throw invalid('ref2', ref2, 'Ref2 ต้องเป็นอักษรภาษาอังกฤษตัวพิมพ์ใหญ่หรือตัวเลข 1–20 ตัว');
  }
  if (amountSatang !== undefined && (!Number.isSafeInteger(amountSatang) || amountSatang < 1 || amountSatang > MAX_QR_AMOUNT_SATANG)) {
    throw invalid('amountSatang', amountSatang, 'จำนวนเงินต้องมากกว่า 0 และไม่เกิน 9,999,999,999.99 บาท');
  }
  const merchant = encodeTlv('00', BILL_PAYMENT_AID) + encodeTlv('01', billerId) + encodeTlv('02', ref1) + (ref2 ? encodeTlv('03', ref2) : '');
  const body =
    encodeTlv('00', '01') +
    encodeTlv('01', amountSatang === undefined ? '11' : '12') +
    encodeTlv('30', merchant) +
    encodeTlv('53', '764') +
    encodeTlv('58', 'TH') +
    (amountSatang === undefined ? '' : encodeTlv('54', qrAmount(amountSatang)));
  return appendCrc(body, '63');
}
