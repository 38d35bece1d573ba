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
