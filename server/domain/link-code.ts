// One-time codes that tie a LINE account to a borrower or officer record.
import { normalizeThaiDigits } from './thai-text.ts';

export const LINK_CODE_DIGITS = 8;
export const LINK_CODE_LIFETIME_DAYS = 7;
/** Wrong codes a LINE user may send inside the window before further tries are refused. */
export const LINK_CODE_MAX_FAILURES = 5;
export const LINK_CODE_FAILURE_WINDOW_MINUTES = 15;

/**
 * "1234 5678", "1234-5678", "12345678" or in Thai digits "๑๒๓๔ ๕๖๗๘" → "12345678"; undefined when the text is
 * not shaped like a code.
 */
export function normalizeLinkCode(text: string): string | undefined {
  if (text.length > 64) return undefined; // a code with generous spacing is far shorter; skip long texts cheaply
  const compact = normalizeThaiDigits(text).trim().replace(/[\s-]/g, '');
  return /^\d{8}$/.test(compact) ? compact : undefined;
}

/**
 * A code said with words around it, as a borrower types it: "รหัสคือ ๓๖๓๓ ๕๑๙๔", "3633 5194 ค่ะ", "รหัส ๕๑๖๑ ๒๔๘๘
 * สัญญา TRT-2566-0001". It must be the message's only digits outside contract numbers (words with Latin letters and
 * digits, such as TRT-2566-0001) and phone numbers, one group of eight or two of four, and not part of one (a Latin
 * letter or a dash before or after). Read only for someone not linked yet: an officer's commands and a
 * borrower's questions may carry contract numbers of eight digits ("ค้นหา 2566-0001").
 */
export function findLinkCodeInSentence(text: string): string | undefined {
  if (text.length > 160) return undefined;
  // Her phone number beside the code ("เบอร์ 0891234567 รหัส ๘๔๙๑ ๑๓๒๒") is not part of it.
  const digitsText = normalizeThaiDigits(text).replace(CONTRACT_NUMBER_WORD, ' ').replace(PHONE_NUMBER, ' ');
  const match = /(?:^|[^\dA-Za-z-])(\d{4})[ -]?(\d{4})(?=$|[^\dA-Za-z-])/.exec(digitsText);
  if (!match || digitsText.replace(/\D/g, '').length !== LINK_CODE_DIGITS) return undefined;
  return match[1]! + match[2]!;
}

/**
 * How many digits she typed when a message looks like a code gone wrong — a digit missed or doubled: "รหัส ๖๙๙๙๙๖๙",
 * "6999 696". The message says รหัส, or holds nothing but digits, spaces, dashes and a polite word; 5 to 12 digits
 * and not 8. Undefined otherwise (an amount in a sentence, a contract number, a date are not codes).
 */
export function linkCodeNearMiss(text: string): number | undefined {
  if (text.length > 80) return undefined;
  const digitsText = normalizeThaiDigits(text).replace(CONTRACT_NUMBER_WORD, ' ');
  const digits = digitsText.replace(/\D/g, '').length;
  if (digits < 5 || digits > 12 || digits === LINK_CODE_DIGITS) return undefined;
  const saysCode = /รหัส/.test(digitsText);
  const onlyDigits = /^[\d\s-]+$/.test(digitsText.replace(/ค่ะ|คะ|ครับ|นะ|จ้า|จ้ะ/g, '').trim());
  return saysCode || onlyDigits ? digits : undefined;
}

/**
 * A Thai phone number written whole or with dashes: 0891234567, 089-123-4567, 038-511234 (9 or 10 digits from a 0).
 * Never a code: a code has 8 digits, and its two halves are split by one space or dash at most.
 */
const PHONE_NUMBER = /(?<![\dA-Za-z-])(?:0\d{8,9}|0\d{1,2}-\d{3}-?\d{3,4})(?![\dA-Za-z-])/g;

/** A whitespace-separated word with both a Latin letter and a digit in it: TRT-2566-0001, WS-6, ตร.AB12. */
const CONTRACT_NUMBER_WORD = /\S*[A-Za-z]\S*\d\S*|\S*\d\S*[A-Za-z]\S*/g;

export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4)}`;
}

export function isThrottled(recentFailures: number): boolean {
  return recentFailures >= LINK_CODE_MAX_FAILURES;
}
