// LINE's X-Line-Retry-Key must be a UUID; we derive it from a stable name so every retry reuses it.
import { createHash } from 'node:crypto';

/** A name-based UUID (version 5 layout over SHA-256 bytes): the same name always gives the same key. */
export function retryKeyFor(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
