// Postback data carried by buttons and menus: short query strings (LINE allows 300 characters).
import { z } from 'zod';
import type { ChatAction } from '../services/chat-answers.ts';

const chatActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('debt') }),
  z.object({ action: z.literal('measures') }),
  z.object({ action: z.literal('pay') }),
  z.object({ action: z.literal('contact') }),
  z.object({ action: z.literal('menu') }),
  z.object({ action: z.literal('summary') }),
  z.object({ action: z.literal('lookup_help') }),
  z.object({ action: z.literal('link_help') }),
  z.object({ action: z.literal('history'), borrower: z.coerce.number().int().positive() }),
]);

export const POSTBACK_MAX_LENGTH = 300;

export function encodePostback(action: Record<string, string | number>): string {
  const data = new URLSearchParams(Object.entries(action).map(([key, value]) => [key, String(value)])).toString();
  if (data.length > POSTBACK_MAX_LENGTH) throw new RangeError(`postback data longer than ${POSTBACK_MAX_LENGTH}: ${data}`);
  return data;
}

export function decodePostbackFields(data: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(data));
}

export function decodeChatAction(data: string): ChatAction | undefined {
  const parsed = chatActionSchema.safeParse(decodePostbackFields(data));
  return parsed.success ? parsed.data : undefined;
}
