// Postback data carried by buttons and menus: short query strings (LINE allows 300 characters). Decoding happens
// here; what a postback asks for is then a plain call into a service.
import { z } from 'zod';
import type { ChatAction } from '../services/chat-answers.ts';
import type { OfficerDecision } from '../domain/enrollment-workflow.ts';

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

// ---------- the decision buttons of an application's review card ----------

const DECISION_CODES: Record<OfficerDecision, string> = { forward: 'fwd', request_documents: 'docs', reject: 'rej', approve: 'ok' };

export interface EnrollmentDecisionPostback {
  enrollmentId: number;
  decision: OfficerDecision;
  /** The application's version the card was made for: a tap on an older card changes nothing. */
  version: number;
}

export function enrollmentDecisionData(enrollmentId: number, decision: OfficerDecision, version: number): string {
  return encodePostback({ a: 'enr', id: enrollmentId, d: DECISION_CODES[decision], v: version });
}

export function decodeEnrollmentDecision(fields: Record<string, string>): EnrollmentDecisionPostback | undefined {
  if (fields.a !== 'enr') return undefined;
  const decision = (Object.keys(DECISION_CODES) as OfficerDecision[]).find((d) => DECISION_CODES[d] === fields.d);
  const enrollmentId = Number(fields.id);
  const version = Number(fields.v);
  if (!decision || !Number.isSafeInteger(enrollmentId) || enrollmentId <= 0 || !Number.isSafeInteger(version) || version <= 0) return undefined;
  return { enrollmentId, decision, version };
}
