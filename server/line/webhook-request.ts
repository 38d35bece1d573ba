// A webhook request as LINE sends it: checked against the channel secret over the exact bytes, then read into
// events. What the HTTP route answers follows from the outcome.
import { validateSignature } from '@line/bot-sdk';
import type { InboxEvent } from '../db/repos/webhook-events.repo.ts';
import { sourceUserId, webhookBodySchema, webhookEventSchema } from './webhook-events.ts';

export type WebhookRequestReading =
  | { outcome: 'bad_signature' }
  | { outcome: 'malformed_body'; reason: 'json' | 'shape' }
  | { outcome: 'ok'; events: InboxEvent[]; malformed: number };

export function readWebhookRequest(raw: unknown, signature: unknown, channelSecret: string): WebhookRequestReading {
  if (typeof signature !== 'string' || !Buffer.isBuffer(raw) || !validateSignature(raw, channelSecret, signature)) return { outcome: 'bad_signature' };
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
  for (const candidate of body.data.events) {
    const event = webhookEventSchema.safeParse(candidate);
    if (!event.success) {
      malformed += 1;
      continue;
    }
    events.push({ eventId: event.data.webhookEventId, eventType: event.data.type, sourceUserId: sourceUserId(event.data), payload: event.data });
  }
  return { outcome: 'ok', events, malformed };
}
