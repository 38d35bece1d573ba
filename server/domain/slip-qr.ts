// The "mini QR" printed on Thai bank transfer slips (slip verify): which bank sent the money and its
// transaction reference, which a bank's slip-verification API can then confirm.
//
// Layout, as banks print it and as promptparse reads it:
//   00 (template)  00 API id "000001" · 01 sending bank code (3 digits, e.g. 004 KBank, 014 SCB) · 02 transaction ref
//   51 country "TH" (some apps leave it out) · 91 CRC-16/CCITT-FALSE
import { decodeTlv, hasValidCrc, tlvValue } from './emv-tlv.ts';

export const SLIP_VERIFY_API_ID = '000001';

export interface SlipQr {
  bankCode: string;
  transRef: string;
  /** The payload as read, before any repair of its checksum. */
  raw: string;
}

/**
 * Some bank apps print the CRC without its leading zeros ("91043A7" for "9104 03A7");
 * pads it back so the checksum can be checked. Same repair as promptparse's crcAutoFix.
 */
function padShortCrc(payload: string): string | undefined {
  const at = payload.lastIndexOf('9104');
  const crc = at === -1 ? '' : payload.slice(at + 4);
  if (crc.length < 1 || crc.length > 3 || !/^[0-9A-Fa-f]+$/.test(crc)) return undefined;
  return `${payload.slice(0, at + 4)}${crc.padStart(4, '0')}`;
}

/** Reads a slip-verify payload; undefined for anything else (a PromptPay QR, a URL, a bad checksum). */
export function parseSlipQr(raw: string): SlipQr | undefined {
  const text = raw.trim();
  let payload: string | undefined = text;
  if (!hasValidCrc(payload, '91')) {
    payload = padShortCrc(text);
    if (!payload || !hasValidCrc(payload, '91')) return undefined;
  }
  const fields = decodeTlv(payload);
  if (!fields || fields[fields.length - 1]?.tag !== '91') return undefined;
  const template = tlvValue(fields, '00');
  const country = tlvValue(fields, '51');
  if (!template || (country !== undefined && country !== 'TH')) return undefined;
  const sub = decodeTlv(template);
  if (!sub) return undefined;
  const bankCode = tlvValue(sub, '01');
  const transRef = tlvValue(sub, '02');
  if (tlvValue(sub, '00') !== SLIP_VERIFY_API_ID || !bankCode || !/^\d{3}$/.test(bankCode)) return undefined;
  if (!transRef || !/^[0-9A-Za-z]+$/.test(transRef)) return undefined;
  return { bankCode, transRef, raw: text };
}
