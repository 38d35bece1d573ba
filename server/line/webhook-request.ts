// A webhook request as LINE sends it: checked against the channel secret over the exact bytes, then read into
// events that can always be stored. What the HTTP route answers follows from the outcome.
//
// Poison stays out: a body nested deeper than any LINE event is not parsed at all (parsing a megabyte of brackets
// costs half a second of CPU); an event nested too deeply is skipped as malformed; NUL characters and lone UTF-16
// surrogates (which PostgreSQL refuses in text and jsonb) become U+FFFD; a text is cut at LINE's 5,000 characters.
// A national ID number someone typed into the chat is masked before the event is stored (PDPA: never kept as typed).
import { validateSignature } from '@line/bot-sdk';
import type { InboxEvent } from '../services/webhook-inbox.service.ts';
import { cutToLineTextLimit, sourceUserId, webhookBodySchema, webhookEventSchema } from './webhook-events.ts';
import { maskNationalIdsInText } from '../domain/thai-national-id.ts';

/** Far beyond any LINE event (they nest 4–6 levels), far below what costs time to parse. */
const MAX_BODY_DEPTH = 256;
const MAX_EVENT_DEPTH = 32;

export type WebhookRequestReading =
  | { outcome: 'bad_signature' }
  | { outcome: 'malformed_body'; reason: 'json' | 'shape' }
  | { outcome: 'ok'; events: InboxEvent[]; malformed: number; repaired: number; nationalIdsMasked: number; tooDeep?: boolean };

export function readWebhookRequest(raw: unknown, signature: unknown, channelSecret: string): WebhookRequestReading {
  if (typeof signature !== 'string' || !Buffer.isBuffer(raw) || !validateSignature(raw, channelSecret, signature)) return { outcome: 'bad_signature' };
  // Signed by LINE, yet nested beyond reason: acknowledged (so it is not redelivered forever) and logged, never parsed.
  if (nestingExceeds(raw, MAX_BODY_DEPTH)) return { outcome: 'ok', events: [], malformed: 1, repaired: 0, nationalIdsMasked: 0, tooDeep: true };
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(raw.toString('utf8'));
  } catch {
    return { outcome: 'malformed_body', reason: 'json' };
  }
  const body = webhookBodySchema.safeParse(parsedJson);
  if (!body.success) return { outcome: 'malformed_body', reason: 'shape' };

  const events: InboxEvent[] = [];
  let malformed = 0;
  let repaired = 0;
  let nationalIdsMasked = 0;
  for (const candidate of body.data.events) {
    const clean = sanitizeJson(candidate, MAX_EVENT_DEPTH);
    const event = clean ? webhookEventSchema.safeParse(clean.value) : undefined;
    if (!clean || !event?.success) {
      malformed += 1;
      continue;
    }
    if (clean.repaired) repaired += 1;
    const message = event.data.message;
    if (message && typeof message.text === 'string' && message.text !== cutToLineTextLimit(message.text)) {
      message.text = cutToLineTextLimit(message.text);
      repaired += 1;
    }
    if (message && typeof message.text === 'string') {
      const masked = maskNationalIdsInText(message.text);
      if (masked !== message.text) {
        message.text = masked;
        nationalIdsMasked += 1;
      }
    }
    events.push({ eventId: event.data.webhookEventId, eventType: event.data.type, sourceUserId: sourceUserId(event.data), payload: event.data });
  }
  return { outcome: 'ok', events, malformed, repaired, nationalIdsMasked };
}

/** Whether brackets outside strings nest deeper than `limit`: one pass over the bytes, before any parsing. */
export function nestingExceeds(raw: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

// NUL, and a high surrogate not followed by a low one or a low one not preceded by a high one.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanString(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/**
 * A copy of parsed JSON that PostgreSQL can store (see UNSTORABLE), or undefined when it nests deeper than
 * `maxDepth`. `repaired` says whether any text had to change.
 */
export function sanitizeJson(value: unknown, maxDepth: number): { value: unknown; repaired: boolean } | undefined {
  let repaired = false;
  const visit = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') {
      const clean = cleanString(node);
      if (clean !== node) repaired = true;
      return clean;
    }
    if (node === null || typeof node !== 'object') return node;
    if (depth >= maxDepth) throw TOO_DEEP;
    if (Array.isArray(node)) return node.map((item) => visit(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(node)) {
      const cleanKey = cleanString(key);
      if (cleanKey !== key) repaired = true;
      // defineProperty: a key "__proto__" stays a plain key instead of replacing the copy's prototype.
      Object.defineProperty(copy, cleanKey, { value: visit(item, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  };
  try {
    return { value: visit(value, 0), repaired };
  } catch (error) {
    if (error === TOO_DEEP) return undefined;
    throw error;
  }
}

const TOO_DEEP = Symbol('too deep');
