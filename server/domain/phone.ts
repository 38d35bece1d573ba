// Thai phone numbers as people read them: "0812345678" → "081-234-5678". Stored as digits (contracts/liff.ts).

/** A mobile number 3-3-4, a Bangkok line 2-3-4, another landline 3-3-3; anything else as it came. */
export function formatThaiPhone(phone: string): string {
  if (/^02\d{7}$/.test(phone)) return `${phone.slice(0, 2)}-${phone.slice(2, 5)}-${phone.slice(5)}`;
  if (/^0\d{8,9}$/.test(phone)) return `${phone.slice(0, 3)}-${phone.slice(3, 6)}-${phone.slice(6)}`;
  return phone;
}
