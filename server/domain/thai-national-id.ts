// Thai national ID: 13 digits, the last a mod-11 check digit.

export function normalizeNationalId(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export function nationalIdCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

export function isValidNationalId(text: string): boolean {
  const digits = normalizeNationalId(text);
  if (!/^\d{13}$/.test(digits)) return false;
  return nationalIdCheckDigit(digits.slice(0, 12)) === Number(digits[12]);
}

/** "1-xxxx-xxxxx-12-3": enough for a person to recognise their own number, too little to misuse it. */
export function maskNationalId(text: string): string {
  const d = normalizeNationalId(text);
  return `${d[0]}-xxxx-xxxxx-${d.slice(10, 12)}-${d[12]}`;
}

// Thirteen digits (ASCII or Thai), in one run or grouped as the card prints them, 1-4-5-2-1, set apart by spaces or
// by dashes; no digit either side. Other groupings ("0812345678 500": a phone and an amount) are not an ID.
const D = '[\\d\\u0E50-\\u0E59]';
const NATIONAL_ID_IN_TEXT = new RegExp(`(?<!${D})(?:${D}{13}|${D}([ -])${D}{4}\\1${D}{5}\\1${D}{2}\\1${D})(?!${D})`, 'g');
/** What maskNationalIdsInText leaves of a number: its first digit, x's, its last three. */
export const MASKED_NATIONAL_ID_IN_TEXT = new RegExp(`${D}x{9}${D}{3}|${D}([ -])x{4}\\1x{5}\\1${D}{2}\\1${D}`);

/**
 * A text with every national ID in it masked where it stands ("3 1099 00000 02 5" → "3 xxxx xxxxx 02 5"): the same
 * length, so offsets LINE gives into the text (emoji, mentions) still hold. People type their number into a chat; it
 * must never be stored or logged as typed. The check digit need not hold: a number typed with one digit wrong is
 * still twelve digits of hers.
 */
export function maskNationalIdsInText(text: string): string {
  return text.replace(NATIONAL_ID_IN_TEXT, (found) => {
    let seen = 0;
    return found.replace(/[\d\u0E50-\u0E59]/g, (digit) => (++seen >= 2 && seen <= 10 ? 'x' : digit));
  });
}

// What people say around the number they type: "เลขบัตรประชาชนของฉันคือ … ค่ะ".
const AROUND_A_NATIONAL_ID = /เลข(ที่)?บัตร(ประจำตัว)?(ประชาชน)?|เลขประจำตัว(ประชาชน)?|บัตรประชาชน|ของ(ฉัน|หนู|ดิฉัน|ผม|แม่|พ่อ|ยาย|ป้า)|นี่|นี้|คือ|ค่ะ|คะ|ครับ|ค่า|จ้ะ|จ้า|นะ|[\s.,:;!?()"']/g;

/** True when a text holds nothing but a masked national ID and the words people say around one. */
export function isOnlyNationalId(text: string): boolean {
  const rest = text.replace(new RegExp(MASKED_NATIONAL_ID_IN_TEXT.source, 'g'), '');
  return rest !== text && rest.replace(AROUND_A_NATIONAL_ID, '') === '';
}
