// EMVCo QR data objects: two-digit tag, two-digit length, value; closed by a CRC-16/CCITT-FALSE tag.
// Thai QR Payment (PromptPay) and the banks' slip-verify "mini QR" both use this layout.

export interface TlvField {
  tag: string;
  value: string;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) of ASCII text. */
export function crc16CcittFalse(text: string): number {
  let crc = 0xffff;
  for (let i = 0; i < text.length; i++) {
    crc ^= (text.charCodeAt(i) & 0xff) << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** One data object. Values are printable ASCII, 1–99 characters (the length field has two digits). */
export function encodeTlv(tag: string, value: string): string {
  if (!/^\d{2}$/.test(tag)) throw new RangeError(`EMV tag must be two digits: ${tag}`);
  if (value.length < 1 || value.length > 99) throw new RangeError(`EMV tag ${tag} value must be 1–99 characters, got ${value.length}`);
  if (!PRINTABLE_ASCII.test(value)) throw new RangeError(`EMV tag ${tag} value must be printable ASCII`);
  return `${tag}${String(value.length).padStart(2, '0')}${value}`;
}

/** Appends the CRC data object: the checksum covers everything before it, including its own tag and length. */
export function appendCrc(body: string, crcTag: string): string {
  const head = `${body}${crcTag}04`;
  return `${head}${crc16CcittFalse(head).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** True when the payload ends with a CRC data object `crcTag` whose checksum (either case) is right. */
export function hasValidCrc(payload: string, crcTag: string): boolean {
  if (payload.length < 8) return false;
  const head = payload.slice(0, -4);
  const written = payload.slice(-4);
  if (!head.endsWith(`${crcTag}04`) || !/^[0-9A-Fa-f]{4}$/.test(written)) return false;
  return parseInt(written, 16) === crc16CcittFalse(head);
}

/**
 * Splits text into data objects; undefined unless the whole text is well-formed
 * (every length is two digits and no value runs past the end).
 */
export function decodeTlv(text: string): TlvField[] | undefined {
  const fields: TlvField[] = [];
  let at = 0;
  while (at < text.length) {
    const header = text.slice(at, at + 4);
    if (!/^\d{4}$/.test(header)) return undefined;
    const length = Number(header.slice(2));
    const value = text.slice(at + 4, at + 4 + length);
    if (length === 0 || value.length !== length) return undefined;
    fields.push({ tag: header.slice(0, 2), value });
    at += 4 + length;
  }
  return fields;
}

export function tlvValue(fields: readonly TlvField[], tag: string): string | undefined {
  return fields.find((field) => field.tag === tag)?.value;
}
