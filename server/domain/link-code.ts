// One-time codes that tie a LINE account to a borrower or officer record.
import { normalizeThaiDigits } from './thai-text.ts';

export const LINK_CODE_DIGITS = 8;
export const LINK_CODE_LIFETIME_DAYS = 7;
/** Wrong codes a LINE user may send inside the window before further tries are refused. */
export const LINK_CODE_MAX_FAILURES = 5;
export const LINK_CODE_FAILURE_WINDOW_MINUTES = 15;

/**
 * "1234 5678", "1234-5678", "12345678" or in Thai digits "๑๒๓๔ ๕๖๗๘" → "12345678", also said with words around it
 * ("รหัสคือ ๓๖๓๓ ๕๑๙๔", "3633 5194 ค่ะ"); undefined when the text holds no code.
 */
export function normalizeLinkCode(text: string): string | undefined {
  if (text.length > 120) return undefined; // a code with a sentence around it is far shorter; skip long texts cheaply
  const digitsText = normalizeThaiDigits(text);
  const compact = digitsText.trim().replace(/[\s-]/g, '');
  if (/^\d{8}$/.test(compact)) return compact;
  // With words around it: the message's only digits, one group of eight or two of four, and not part of a contract
  // number such as TRT-2566-0001 (a Latin letter or a dash before or after). A phone number has ten digits.
  const match = /(?:^|[^\dA-Za-z-])(\d{4})[ -]?(\d{4})(?=$|[^\dA-Za-z-])/.exec(digitsText);
  if (!match || digitsText.replace(/\D/g, '').length !== LINK_CODE_DIGITS) return undefined;
  return match[1]! + match[2]!;
}

export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4)}`;
}

export function isThrottled(recentFailures: number): boolean {
  return recentFailures >= LINK_CODE_MAX_FAILURES;
}
