// How amounts and dates read on screen: the same pure functions the server uses, so ฿ and Buddhist-Era dates agree.
import { bangkokDate, formatThaiDate } from '../../server/domain/local-date.ts';

export { formatSatang } from '../../server/domain/money.ts';
export { formatThaiPhone } from '../../server/domain/phone.ts';
export { formatThaiDate, formatThaiDateTime } from '../../server/domain/local-date.ts';

/** Thai digits as phones type them ("๐๘๙", "๘๘") as 0–9, as the server reads them. */
export { normalizeThaiDigits } from '../../server/domain/thai-text.ts';

/** "1 ธ.ค. 2569 เวลา 10.35 น." in Bangkok. */
export function formatInstantTime(iso: string): string {
  const at = new Date(iso);
  const time = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(11, 16).replace(':', '.');
  return `${formatThaiDate(bangkokDate(at))} เวลา ${time} น.`;
}

/** "2026-12-08T03:00:00.000Z" → its Bangkok calendar day, "8 ธ.ค. 2569". */
export function formatInstantDay(iso: string): string {
  return formatThaiDate(bangkokDate(new Date(iso)));
}

/** Bytes for people: "1.2 MB", "340 KB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
