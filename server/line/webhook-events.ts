// Shapes of LINE webhook bodies we accept. Unknown event types pass through (and are ignored later);
// an event without the fields every LINE event carries is malformed.
import { z } from 'zod';

const sourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: z.string().min(1) }),
  z.object({ type: z.literal('group'), groupId: z.string().min(1), userId: z.string().optional() }),
  z.object({ type: z.literal('room'), roomId: z.string().min(1), userId: z.string().optional() }),
]);

export const webhookEventSchema = z
  .object({
    type: z.string().min(1),
    webhookEventId: z.string().min(1).max(100),
    timestamp: z.number(),
    mode: z.string().optional(),
    source: sourceSchema.optional(),
    replyToken: z.string().optional(),
    deliveryContext: z.object({ isRedelivery: z.boolean() }).optional(),
    message: z.object({ type: z.string(), id: z.string().optional(), text: z.string().optional() }).passthrough().optional(),
    postback: z.object({ data: z.string() }).passthrough().optional(),
  })
  .passthrough();

export type LineWebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookBodySchema = z.object({
  destination: z.string().optional(),
  events: z.array(z.unknown()),
});

export function sourceUserId(event: LineWebhookEvent): string | null {
  return event.source?.userId ?? null;
}

/** Where a reply or push for this event goes: the user in a 1:1 chat, else the group or room. */
export function chatIdOf(event: LineWebhookEvent): string | undefined {
  const source = event.source;
  if (!source) return undefined;
  if (source.type === 'user') return source.userId;
  if (source.type === 'group') return source.groupId;
  return source.roomId;
}

/** LINE caps a text message at 5,000 characters; a longer one did not come from a LINE chat. */
export const LINE_TEXT_MAX_CHARS = 5_000;

/** The text cut to LINE's limit, never through the middle of a surrogate pair. */
export function cutToLineTextLimit(text: string): string {
  if (text.length <= LINE_TEXT_MAX_CHARS) return text;
  const end = isHighSurrogate(text.charCodeAt(LINE_TEXT_MAX_CHARS - 1)) ? LINE_TEXT_MAX_CHARS - 1 : LINE_TEXT_MAX_CHARS;
  return text.slice(0, end);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
