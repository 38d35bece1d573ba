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

// Thirteen digits (ASCII or Thai), each group optionally set apart by one space or dash, with no digit either side.
const NATIONAL_ID_IN_TEXT = /(?<![\d\u0E50-\u0E59])[\d\u0E50-\u0E59](?:[\s-]?[\d\u0E50-\u0E59]){12}(?![\d\u0E50-\u0E59])/g;
/** What maskNationalIdsInText leaves of a number: its first digit, x's, its last three. */
export const MASKED_NATIONAL_ID_IN_TEXT = /[\d\u0E50-\u0E59][\s-]?x{4}[\s-]?x{5}[\s-]?[\d\u0E50-\u0E59]{2}[\s-]?[\d\u0E50-\u0E59]/;

/**
 * A text with every national ID in it masked where it stands ("3 1099 00000 02 5" → "3 xxxx xxxxx 02 5"): the same
 * length, so offsets LINE gives into the text (emoji, mentions) still hold. People type their number into a chat; it
 * must never be stored or logged as typed. Any thirteen digits count, the check digit right or not: a number typed
 * with one digit wrong is still twelve digits of hers.
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
