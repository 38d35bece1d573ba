// Money is integer satang (1 baht = 100 satang); floats never hold an amount.
import { normalizeThaiDigits } from './thai-text.ts';

export type Satang = number;

const BAHT_PATTERN = /^(-)?(?:฿\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** Parses "1,234.50", "1234.5", "฿1,234", "๙,๐๐๐", "8000 บาท" into satang; undefined when the text is not an amount. */
export function parseBahtToSatang(text: string): Satang | undefined {
  const match = BAHT_PATTERN.exec(normalizeThaiDigits(text).trim().replace(/\s*บาท$/, ''));
  if (!match) return undefined;
  const [, minus, whole = '0', fraction = ''] = match;
  const satang = Number(whole.replaceAll(',', '')) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(satang)) return undefined;
  return minus ? -satang : satang;
}

export function bahtToSatang(baht: number): Satang {
  return Math.round(baht * 100);
}

/** "฿1,234.50" — the way amounts are shown everywhere. */
export function formatSatang(amount: Satang): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${sign}฿${whole.toLocaleString('en-US')}.${fraction}`;
}

/** Integer division rounded half away from zero, exact for safe integers. */
export function divideRounded(numerator: number, denominator: number): number {
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  return sign * Math.floor((2 * n + d) / (2 * d));
}
