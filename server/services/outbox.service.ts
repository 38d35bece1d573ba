// The durable outbox every push goes through: enqueue under a unique key, and the dispatcher sends it
// (contact hours, one reminder a day, retry keys, retries, rate limit). Enqueuing twice is harmless.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { insertOutboxRows } from '../db/repos/outbox.repo.ts';
import { retryKeyFor } from '../line/retry-key.ts';
import type { LineMessage } from './ports.ts';

const DEFAULT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface OutboxMessageInput {
  /** Unique: who, what, which installment or period — e.g. `due_soon:{loanId}:{seq}`. */
  dedupeKey: string;
  kind: string;
  recipient: { type: 'borrower'; borrowerId: number } | { type: 'officer'; officerId: number };
  /** At most 5 LINE message objects. */
  messages: LineMessage[];
  /** Higher goes first; the borrower's one reminder of the day is the most urgent one. */
  urgency?: number;
  notBefore: Date;
  /** 'borrower': only inside the debt-collection contact hours. */
  contactWindow: 'borrower' | 'anytime';
  /** A reminder: counts against the borrower's one reminder a day (the most urgent goes, the rest wait). */
  oncePerDay?: boolean;
  /** After this the message is no longer worth sending (default: a week after notBefore). */
  expiresAt?: Date;
  /** Recipients sharing a batch key receive one multicast (identical messages, officers). */
  batchKey?: string;
  /** The installment a reminder is about: paid, or replaced by a new schedule, before sending → cancelled. */
  installment?: { loanId: number; seq: number; dueOn: string };
}

export async function enqueueOutboxMessages(db: Kysely<Database>, inputs: readonly OutboxMessageInput[]): Promise<number> {
  return insertOutboxRows(
    db,
    inputs.map((input) => {
      if (input.messages.length < 1 || input.messages.length > 5) throw new RangeError(`${input.dedupeKey}: 1 to 5 messages per push`);
      return {
        dedupeKey: input.dedupeKey,
        kind: input.kind,
        recipientType: input.recipient.type,
        borrowerId: input.recipient.type === 'borrower' ? input.recipient.borrowerId : null,
        officerId: input.recipient.type === 'officer' ? input.recipient.officerId : null,
        messages: input.messages,
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
      };
    }),
  );
}
