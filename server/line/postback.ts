// Postback data carried by buttons and menus: short query strings (LINE allows 300 characters). Decoding happens
// here; what a postback asks for is then a plain call into a service.
import { z } from 'zod';
import type { ChatAction, DecisionChoice } from '../services/chat-answers.ts';
import type { OfficerDecision } from '../domain/enrollment-workflow.ts';

const chatActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('debt') }),
  z.object({ action: z.literal('next_payment') }),
  z.object({ action: z.literal('pending_reviews') }),
  z.object({ action: z.literal('measures') }),
  z.object({ action: z.literal('pay') }),
  z.object({ action: z.literal('contact') }),
  z.object({ action: z.literal('menu') }),
  z.object({ action: z.literal('summary') }),
  z.object({ action: z.literal('lookup_help') }),
  z.object({ action: z.literal('link_help') }),
  z.object({ action: z.literal('history'), borrower: z.coerce.number().int().positive() }),
  z.object({ action: z.literal('code_for'), borrower: z.coerce.number().int().positive() }),
  z.object({ action: z.literal('unlink') }),
  z.object({ action: z.literal('unlink_confirm') }),
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

export function chatActionData(action: ChatAction): string {
  return encodePostback({ ...action });
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

// ---------- the buttons of a decision drafted in chat ----------

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const draftChoiceSchema = z.discriminatedUnion('k', [
  z.object({ a: z.literal('drf'), k: z.literal('reason'), id, v: id, i: z.coerce.number().int().min(0).max(50) }),
  z.object({ a: z.literal('drf'), k: z.literal('free_text'), id, v: id }),
  z.object({ a: z.literal('drf'), k: z.literal('document'), id, v: id, c: z.string().regex(/^[a-z_]{1,40}$/) }),
  z.object({ a: z.literal('drf'), k: z.literal('confirm'), id, v: id }),
  z.object({ a: z.literal('drf'), k: z.literal('cancel'), id, v: id }),
  z.object({ a: z.literal('drf'), k: z.literal('undo'), id, v: id }),
  z.object({ a: z.literal('drf'), k: z.literal('approve'), id, v: id }),
  z.object({ a: z.literal('drf'), k: z.literal('hold'), id, v: id }),
]);

export function decisionChoiceData(choice: DecisionChoice): string {
  const base = { a: 'drf', k: choice.kind, id: choice.enrollmentId, v: choice.version };
  if (choice.kind === 'reason') return encodePostback({ ...base, i: choice.index });
  if (choice.kind === 'document') return encodePostback({ ...base, c: choice.code });
  return encodePostback(base);
}

export function decodeDecisionChoice(fields: Record<string, string>): DecisionChoice | undefined {
  const parsed = draftChoiceSchema.safeParse(fields);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const base = { enrollmentId: p.id, version: p.v };
  switch (p.k) {
    case 'reason':
      return { kind: 'reason', ...base, index: p.i };
    case 'document':
      return { kind: 'document', ...base, code: p.c };
    default:
      return { kind: p.k, ...base };
  }
}
