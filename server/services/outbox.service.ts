// The durable outbox every push goes through: enqueue under a unique key, and the dispatcher sends it
// (contact hours, one reminder a day, retry keys, retries, rate limit). Enqueuing twice is harmless.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { insertOutboxRows } from '../db/repos/outbox.repo.ts';
import { retryKeyFor } from './retry-key.ts';
import type { Notification } from './notifications.ts';

const DEFAULT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** LINE's multicast takes at most 500 recipients. */
export const MULTICAST_MAX_RECIPIENTS = 500;

export interface OutboxMessageInput {
  /** Unique: who, what, which installment or period — e.g. `due_soon:{loanId}:{seq}`. */
  dedupeKey: string;
  kind: string;
  recipient: { type: 'borrower'; borrowerId: number } | { type: 'officer'; officerId: number };
  /** What to tell the recipient; rendered for LINE when it is sent. */
  notification: Notification;
  /** Higher goes first; the borrower's one reminder of the day is the most urgent one. */
  urgency?: number;
  notBefore: Date;
  /** 'borrower': only inside the debt-collection contact hours. */
  contactWindow: 'borrower' | 'anytime';
  /** A reminder: counts against the borrower's one reminder a day (the most urgent goes, the rest wait). */
  oncePerDay?: boolean;
  /** After this the message is no longer worth sending (default: a week after notBefore). */
  expiresAt?: Date;
  /** Recipients sharing a batch key receive one multicast (identical notifications, officers). */
  batchKey?: string;
  /** The installment a reminder is about: paid, or replaced by a new schedule, before sending → cancelled. */
  installment?: { loanId: number; seq: number; dueOn: string };
  /** Sent to this LINE account, not to the one linked to the recipient when it goes (a notice to an account just unlinked). */
  toLineUserId?: string;
}

/**
 * A notice answering something the borrower did (her payment recorded or reversed, her slip refused): it goes at once,
 * at any hour, ahead of routine reminders.
 */
export function borrowerNoticeNow(dedupeKey: string, borrowerId: number, notification: Notification, at: Date): OutboxMessageInput {
  return { dedupeKey, kind: notification.kind, recipient: { type: 'borrower', borrowerId }, notification, urgency: 80, notBefore: at, contactWindow: 'anytime' };
}

/**
 * A notice at once, at any hour, to one LINE account that is no longer linked to its person (replaced by a new
 * phone, or an officer who left): the row keeps its person, the message goes to that account.
 */
export function accountNoticeNow(
  dedupeKey: string,
  recipient: OutboxMessageInput['recipient'],
  lineUserId: string,
  notification: Notification,
  at: Date,
): OutboxMessageInput {
  return { dedupeKey, kind: notification.kind, recipient, toLineUserId: lineUserId, notification, urgency: 80, notBefore: at, contactWindow: 'anytime' };
}

/**
 * Batch keys for one notification to many officers: the key names the notification itself, so officers planned
 * on another day (with other facts) never join a batch whose message is not theirs; ≤ 500 recipients a batch.
 */
export function multicastBatchKey(prefix: string, notification: Notification, recipientIndex: number): string {
  const hash = createHash('sha256').update(JSON.stringify(notification)).digest('hex').slice(0, 16);
  return `${prefix}:${hash}:${Math.floor(recipientIndex / MULTICAST_MAX_RECIPIENTS)}`;
}

export async function enqueueOutboxMessages(db: Kysely<Database>, inputs: readonly OutboxMessageInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  return insertOutboxRows(
    db,
    inputs.map((input) => ({
      dedupeKey: input.dedupeKey,
      kind: input.kind,
      recipientType: input.recipient.type,
      borrowerId: input.recipient.type === 'borrower' ? input.recipient.borrowerId : null,
      officerId: input.recipient.type === 'officer' ? input.recipient.officerId : null,
      notification: input.notification,
      urgency: input.urgency ?? 0,
      contactWindow: input.contactWindow,
      oncePerDay: input.oncePerDay ?? false,
      batchKey: input.batchKey ?? null,
      loanId: input.installment?.loanId ?? null,
      installmentSeq: input.installment?.seq ?? null,
      installmentDueOn: input.installment?.dueOn ?? null,
      notBefore: input.notBefore,
      expiresAt: input.expiresAt ?? new Date(input.notBefore.getTime() + DEFAULT_LIFETIME_MS),
      retryKey: retryKeyFor(`outbox:${input.dedupeKey}`),
      toLineUserId: input.toLineUserId ?? null,
    })),
  );
}
