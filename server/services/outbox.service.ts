// TEMPORARY: replaced by main's durable outbox on merge
//
// Same exported signature as main's `enqueueOutboxMessages`, but with no table behind it: each message is pushed
// at once through the Messenger port, with LINE's X-Line-Retry-Key derived from the dedupe key (a repeat within
// LINE's 24 h answers 409 and counts as delivered). notBefore, urgency order across calls and the borrower contact
// window are NOT honoured here; a failed push is logged and dropped. Callers call it after their transaction commits.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { followingLineUserOf } from '../db/repos/enrollments.repo.ts';
import { retryKeyFor } from '../line/retry-key.ts';
import type { LineMessage, Messenger } from './ports.ts';

export interface OutboxMessageInput {
  dedupeKey: string; // unique: who/what/which, e.g. `enrollment:${id}:to:${status}:officer:${officerId}`
  kind: string; // e.g. 'enrollment_review' | 'enrollment_update'
  recipient: { type: 'borrower'; borrowerId: number } | { type: 'officer'; officerId: number };
  messages: LineMessage[]; // ≤ 5 LINE message objects
  urgency?: number; // higher first; default 0
  notBefore: Date;
  contactWindow: 'borrower' | 'anytime'; // borrower = Thai debt-collection contact hours
}

const senders = new WeakMap<Kysely<Database>, { messenger: Messenger; log: Logger }>();

/** TEMPORARY: context.ts tells this stand-in which messenger pushes for a database. Gone with the durable outbox. */
export function useMessengerForTemporaryOutbox(db: Kysely<Database>, messenger: Messenger, log: Logger): void {
  senders.set(db, { messenger, log });
}

export async function enqueueOutboxMessages(db: Kysely<Database>, messages: OutboxMessageInput[]): Promise<void> {
  const sender = senders.get(db);
  if (!sender) throw new Error('temporary outbox: no messenger registered for this database');
  const ordered = [...messages].sort((a, b) => (b.urgency ?? 0) - (a.urgency ?? 0));
  for (const item of ordered) {
    try {
      const to = await followingLineUserOf(
        db,
        item.recipient.type === 'borrower' ? { borrowerId: item.recipient.borrowerId } : { officerId: item.recipient.officerId },
      );
      if (!to) continue; // not linked, or blocked the account: nothing to deliver
      await sender.messenger.push(to, item.messages.slice(0, 5), retryKeyFor(item.dedupeKey));
    } catch (error) {
      sender.log.warn({ err: error, kind: item.kind, dedupeKey: item.dedupeKey }, 'temporary outbox: push failed, message dropped');
    }
  }
}
