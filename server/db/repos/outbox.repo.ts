// The outbox: LINE messages waiting to be sent, one row per recipient, each under a unique key.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OutboundStatus } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';

export interface OutboxRow {
  dedupeKey: string;
  kind: string;
  recipientType: 'borrower' | 'officer';
  borrowerId: number | null;
  officerId: number | null;
  notification: unknown;
  urgency: number;
  contactWindow: 'borrower' | 'anytime';
  oncePerDay: boolean;
  batchKey: string | null;
  loanId: number | null;
  installmentSeq: number | null;
  installmentDueOn: LocalDate | null;
  notBefore: Date;
  expiresAt: Date;
  retryKey: string;
  /** Set: the message goes to this LINE account whoever is linked when it is sent (kept in line_user_id). */
  toLineUserId: string | null;
}

/**
 * Inserts rows whose key is new; returns how many were. One statement per chunk: the rows travel as one JSON
 * document; a key already queued (the usual case for a repeated planning run) is found by the unique index before
 * anything is inserted for it.
 */
export async function insertOutboxRows(db: Kysely<Database>, rows: readonly OutboxRow[], chunkSize = 5000): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const document = JSON.stringify(
      chunk.map((r) => ({
        dedupe_key: r.dedupeKey, kind: r.kind, recipient_type: r.recipientType, borrower_id: r.borrowerId, officer_id: r.officerId,
        notification: r.notification, urgency: r.urgency, contact_window: r.contactWindow, once_per_day: r.oncePerDay, batch_key: r.batchKey, loan_id: r.loanId,
        installment_seq: r.installmentSeq, installment_due_on: r.installmentDueOn, not_before: r.notBefore.toISOString(), expires_at: r.expiresAt.toISOString(), retry_key: r.retryKey,
        line_user_id: r.toLineUserId,
      })),
    );
    const result = await sql<{ n: number }>`
      WITH inserted AS (
        INSERT INTO outbound_messages (dedupe_key, kind, recipient_type, borrower_id, officer_id, notification, urgency, contact_window,
                                       once_per_day, batch_key, loan_id, installment_seq, installment_due_on, not_before, expires_at,
                                       next_attempt_at, retry_key, line_user_id)
        SELECT u.dedupe_key, u.kind, u.recipient_type, u.borrower_id, u.officer_id, u.notification, u.urgency, u.contact_window,
               u.once_per_day, u.batch_key, u.loan_id, u.installment_seq, u.installment_due_on, u.not_before, u.expires_at,
               u.not_before, u.retry_key, u.line_user_id
        FROM jsonb_to_recordset(${document}::jsonb) AS u(
          dedupe_key text, kind text, recipient_type text, borrower_id bigint, officer_id int, notification jsonb, urgency int,
          contact_window text, once_per_day boolean, batch_key text, loan_id bigint, installment_seq int, installment_due_on date, not_before timestamptz, expires_at timestamptz, retry_key uuid,
          line_user_id text)
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM inserted`.execute(db);
    inserted += result.rows[0]?.n ?? 0;
  }
  return inserted;
}

/** Which of these dedupe keys are already queued (sent or not): lets a planner skip work a replica already did. */
export async function existingDedupeKeys(db: Kysely<Database>, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('outbound_messages').select('dedupe_key').where('dedupe_key', 'in', keys).execute();
  return new Set(rows.map((row) => row.dedupe_key));
}

export interface ClaimedMessage {
  id: number;
  kind: string;
  recipientType: 'borrower' | 'officer';
  borrowerId: number | null;
  officerId: number | null;
  /** What to say, as data (rendered when sent); rows queued before notifications were data hold `messages`. */
  notification: unknown;
  messages: unknown[] | null;
  urgency: number;
  contactWindow: 'borrower' | 'anytime';
  oncePerDay: boolean;
  batchKey: string | null;
  loanId: number | null;
  installmentSeq: number | null;
  expiresAt: Date;
  attempts: number;
  retryKey: string;
  /** The retry key of a multicast this message already went out in (or may have): a retry must reuse it. */
  multicastRetryKey: string | null;
  /** The recipient's LINE account now, and whether it still follows us. */
  lineUserId: string | null;
  following: boolean;
  /** False when the installment the reminder is about was paid since it was planned, or replaced by a new schedule. */
  stillDue: boolean;
}

/**
 * Claims due messages, most urgent first, for `claimSeconds`, with every due member of a multicast batch
 * they belong to (a batch is always sent whole). FOR UPDATE SKIP LOCKED: concurrent claimers never share a row.
 */
export async function claimDueMessages(db: Kysely<Database>, now: Date, limit: number, claimSeconds: number): Promise<ClaimedMessage[]> {
  const result = await sql<ClaimedMessage>`
    WITH picked AS (
      SELECT id, batch_key FROM outbound_messages
      WHERE status = 'pending' AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until < now())
      ORDER BY urgency DESC, next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), mates AS (
      SELECT m.id FROM outbound_messages m
      WHERE m.status = 'pending' AND m.next_attempt_at <= ${now} AND (m.claimed_until IS NULL OR m.claimed_until < now())
        AND m.batch_key IN (SELECT batch_key FROM picked WHERE batch_key IS NOT NULL)
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE outbound_messages m SET claimed_until = now() + make_interval(secs => ${claimSeconds})
      WHERE m.id IN (SELECT id FROM picked UNION SELECT id FROM mates)
      RETURNING m.*
    )
    SELECT c.id, c.kind, c.recipient_type AS "recipientType", c.borrower_id AS "borrowerId", c.officer_id AS "officerId",
           c.notification, c.messages, c.urgency, c.contact_window AS "contactWindow", c.once_per_day AS "oncePerDay", c.batch_key AS "batchKey", c.loan_id AS "loanId",
           c.installment_seq AS "installmentSeq", c.expires_at AS "expiresAt", c.attempts, c.retry_key::text AS "retryKey",
           c.multicast_retry_key::text AS "multicastRetryKey",
           -- A pending message holds a LINE user only when it was queued for that account (OutboxRow.toLineUserId).
           COALESCE(c.line_user_id, kb.line_user_id, ko.line_user_id) AS "lineUserId", COALESCE(u.following, false) AS following,
           (c.loan_id IS NULL OR (i.loan_id IS NOT NULL AND i.paid_satang < i.principal_satang + i.interest_satang)) AS "stillDue"
    FROM claimed c
    LEFT JOIN line_links kb ON kb.borrower_id = c.borrower_id
    LEFT JOIN line_links ko ON ko.officer_id = c.officer_id
    LEFT JOIN line_users u ON u.line_user_id = COALESCE(c.line_user_id, kb.line_user_id, ko.line_user_id)
    LEFT JOIN installments i ON i.loan_id = c.loan_id AND i.seq = c.installment_seq AND i.due_on = c.installment_due_on
    ORDER BY c.urgency DESC, c.id`.execute(db);
  return result.rows;
}

export type Outcome =
  | { status: 'sent'; outcome: string; lineUserId: string; httpStatus: number }
  | { status: 'pending'; outcome: string; nextAttemptAt: Date; countsAsAttempt: boolean; httpStatus?: number; detail?: string }
  | { status: 'dead' | 'cancelled'; outcome: string; httpStatus?: number; detail?: string };

/** Records what happened to one claimed message, and releases the claim. */
export async function recordOutcome(db: Kysely<Database>, messageId: number, outcome: Outcome, at: Date): Promise<void> {
  await recordOutcomes(db, [{ messageId, outcome }], at);
}

/**
 * Records what happened to claimed messages, and releases their claims: one statement for many (the dispatcher
 * records a batch at a time). Only rows still claimed change, so recording the same outcome twice (a retry after
 * the database went away mid-commit) changes nothing the second time.
 */
export async function recordOutcomes(db: Kysely<Database>, outcomes: ReadonlyArray<{ messageId: number; outcome: Outcome }>, at: Date): Promise<void> {
  if (outcomes.length === 0) return;
  const document = JSON.stringify(
    outcomes.map(({ messageId, outcome }) => ({
      id: messageId,
      status: outcome.status satisfies OutboundStatus,
      outcome: outcome.outcome,
      counts: (outcome.status === 'pending' ? outcome.countsAsAttempt : outcome.status !== 'cancelled') ? 1 : 0,
      line_user_id: outcome.status === 'sent' ? outcome.lineUserId : null,
      next_attempt_at: outcome.status === 'pending' ? outcome.nextAttemptAt.toISOString() : null,
      http_status: 'httpStatus' in outcome ? (outcome.httpStatus ?? null) : null,
      detail: 'detail' in outcome && outcome.detail ? outcome.detail.slice(0, 500) : null,
    })),
  );
  // One statement, so the rows and their history change together in a single round trip.
  await sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${document}::jsonb)
        AS u(id bigint, status text, outcome text, counts int, line_user_id text, next_attempt_at timestamptz, http_status int, detail text)
    ), updated AS (
      UPDATE outbound_messages m SET
        status = i.status,
        outcome = i.outcome,
        claimed_until = NULL,
        attempts = m.attempts + i.counts,
        sent_at = CASE WHEN i.status = 'sent' THEN ${at}::timestamptz ELSE m.sent_at END,
        line_user_id = COALESCE(i.line_user_id, m.line_user_id),
        next_attempt_at = COALESCE(i.next_attempt_at, m.next_attempt_at),
        last_error = CASE WHEN i.status = 'sent' THEN NULL ELSE COALESCE(i.detail, m.last_error) END
      FROM input i
      WHERE m.id = i.id AND m.claimed_until IS NOT NULL
      RETURNING m.id
    )
    INSERT INTO outbound_attempts (message_id, attempted_at, outcome, http_status, detail)
    SELECT i.id, ${at}, i.outcome, i.http_status, i.detail FROM input i JOIN updated u ON u.id = i.id`.execute(db);
}

/** Gives claims back (messages claimed but not sent), so the next run takes them at once. */
export async function releaseMessageClaims(db: Kysely<Database>, messageIds: readonly number[]): Promise<void> {
  if (messageIds.length === 0) return;
  await sql`UPDATE outbound_messages SET claimed_until = NULL WHERE id = ANY(${messageIds}::bigint[]) AND status = 'pending'`.execute(db);
}

/**
 * Takes the borrowers' one contact of the day for these messages, in one statement; returns the messages that
 * have their borrower's day (now, or from before). Where several messages of one borrower ask, the first listed
 * (the caller lists the most urgent first) gets it.
 */
export async function takeDailyContacts(
  db: Kysely<Database>,
  requests: ReadonlyArray<{ borrowerId: number; day: LocalDate; messageId: number }>,
): Promise<Set<number>> {
  if (requests.length === 0) return new Set();
  const document = JSON.stringify(requests.map((r, order) => ({ borrower_id: r.borrowerId, day: r.day, message_id: r.messageId, ord: order })));
  // The INSERT's own rows, and (same statement, same snapshot) the rows that were there first.
  const result = await sql<{ message_id: number }>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${document}::jsonb) AS u(borrower_id bigint, day date, message_id bigint, ord int)
    ), taken AS (
      INSERT INTO borrower_daily_contacts (borrower_id, day, message_id)
      SELECT DISTINCT ON (borrower_id, day) borrower_id, day, message_id FROM input ORDER BY borrower_id, day, ord
      ON CONFLICT (borrower_id, day) DO NOTHING
      RETURNING message_id
    )
    SELECT message_id FROM taken
    UNION ALL
    SELECT d.message_id FROM borrower_daily_contacts d JOIN (SELECT DISTINCT borrower_id, day FROM input) i ON i.borrower_id = d.borrower_id AND i.day = d.day`.execute(db);
  return new Set(result.rows.map((row) => row.message_id));
}

/** Stores the retry key a multicast is about to use on its recipients, before the request. */
export async function assignMulticastKey(db: Kysely<Database>, messageIds: readonly number[], retryKey: string): Promise<void> {
  await sql`
    UPDATE outbound_messages SET multicast_retry_key = ${retryKey}::uuid
    WHERE id = ANY(${messageIds}::bigint[]) AND multicast_retry_key IS NULL`.execute(db);
}

/**
 * LINE accepted a multicast under this key as new (200): the earlier attempt never went. Recipients that were in
 * it but not in this one (they dropped out meanwhile) got nothing, and go later under a key of their own.
 */
export async function detachMulticastKey(db: Kysely<Database>, retryKey: string, sentIds: readonly number[]): Promise<void> {
  await sql`
    UPDATE outbound_messages SET multicast_retry_key = NULL
    WHERE multicast_retry_key = ${retryKey}::uuid AND status = 'pending' AND NOT (id = ANY(${sentIds}::bigint[]))`.execute(db);
}

/**
 * LINE answered 409 for this key: the earlier attempt did go, to everyone in it — including recipients that
 * dropped out of this one. Those are delivered too.
 */
export async function markMulticastDelivered(db: Kysely<Database>, retryKey: string, exceptIds: readonly number[], at: Date): Promise<number> {
  const result = await sql<{ id: number }>`
    WITH updated AS (
      UPDATE outbound_messages SET status = 'sent', outcome = 'multicast_duplicate', claimed_until = NULL, sent_at = ${at}::timestamptz, last_error = NULL
      WHERE multicast_retry_key = ${retryKey}::uuid AND status = 'pending' AND NOT (id = ANY(${exceptIds}::bigint[]))
      RETURNING id
    )
    INSERT INTO outbound_attempts (message_id, attempted_at, outcome, http_status)
    SELECT id, ${at}, 'multicast_duplicate', 409 FROM updated
    RETURNING message_id AS id`.execute(db);
  return result.rows.length;
}

/**
 * Takes the borrower's one contact of the day for this message. True when the day is (now) this message's;
 * false when another message already has it.
 */
export async function takeDailyContact(db: Kysely<Database>, borrowerId: number, day: LocalDate, messageId: number): Promise<boolean> {
  // The INSERT's own row, or else (same statement, same snapshot) the row that was there first.
  const result = await sql<{ message_id: number }>`
    WITH taken AS (
      INSERT INTO borrower_daily_contacts (borrower_id, day, message_id) VALUES (${borrowerId}, ${day}::date, ${messageId})
      ON CONFLICT (borrower_id, day) DO NOTHING
      RETURNING message_id
    )
    SELECT message_id FROM taken
    UNION ALL
    SELECT message_id FROM borrower_daily_contacts WHERE borrower_id = ${borrowerId} AND day = ${day}::date
    LIMIT 1`.execute(db);
  return result.rows[0]?.message_id === messageId;
}

/** Gives the day back when the message that took it could not be delivered at all. */
export async function releaseDailyContact(db: Kysely<Database>, borrowerId: number, day: LocalDate, messageId: number): Promise<void> {
  await db.deleteFrom('borrower_daily_contacts').where('borrower_id', '=', borrowerId).where('day', '=', day).where('message_id', '=', messageId).execute();
}

export async function countDueMessages(db: Kysely<Database>, now: Date): Promise<number> {
  const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbound_messages WHERE status = 'pending' AND next_attempt_at <= ${now}`.execute(db);
  return row.rows[0]!.n;
}

/** When the next pending message falls due, among those no run is sending now (claimed ones are theirs). */
export async function earliestPendingAttempt(db: Kysely<Database>): Promise<Date | undefined> {
  const row = await sql<{ at: Date | null }>`
    SELECT min(next_attempt_at) AS at FROM outbound_messages
    WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())`.execute(db);
  return row.rows[0]?.at ?? undefined;
}

export async function holidaysBetween(db: Kysely<Database>, from: LocalDate, to: LocalDate): Promise<Set<LocalDate>> {
  const rows = await db.selectFrom('public_holidays').select('day').where('day', '>=', from).where('day', '<=', to).execute();
  return new Set(rows.map((row) => row.day));
}

export interface DeliveryHistoryRow {
  kind: string;
  status: OutboundStatus;
  outcome: string | null;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  /** When it may go (a reminder queued today for the day before a promise goes then). */
  notBefore: Date;
  lastError: string | null;
}

export async function deliveryHistoryOfBorrower(db: Kysely<Database>, borrowerId: number, limit: number): Promise<DeliveryHistoryRow[]> {
  return db
    .selectFrom('outbound_messages')
    .select(['kind', 'status', 'outcome', 'attempts', 'created_at as createdAt', 'sent_at as sentAt', 'not_before as notBefore', 'last_error as lastError'])
    .where('borrower_id', '=', borrowerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** A cancelled message's key freed for the message that replaces it; the old row keeps its history under it. */
const FREED_KEY = sql<string>`dedupe_key || ':replaced:' || id`;

/**
 * A reversed payment makes installments unpaid again: the reminders cancelled because they were paid free their keys
 * (kept under `:replaced:{id}`), so the next planning run queues them again if they are still due.
 */
export async function reopenRemindersCancelledAsPaid(db: Kysely<Database>, loanId: number): Promise<number> {
  const result = await db
    .updateTable('outbound_messages')
    .set({ dedupe_key: FREED_KEY })
    .where('loan_id', '=', loanId)
    .where('status', '=', 'cancelled')
    .where('outcome', '=', 'no_longer_due')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Cancels the loan's pending reminders whose installment is now paid (an officer recorded a payment). */
export async function cancelRemindersForPaidInstallments(db: Kysely<Database>, loanId: number): Promise<number> {
  const result = await sql`
    UPDATE outbound_messages m SET status = 'cancelled', outcome = 'no_longer_due', claimed_until = NULL
    FROM installments i
    WHERE m.status = 'pending' AND m.loan_id = ${loanId} AND i.loan_id = m.loan_id AND i.seq = m.installment_seq
      AND i.paid_satang >= i.principal_satang + i.interest_satang`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Cancels a message still waiting to be sent and frees its key for the message that replaces it (a promise whose
 * amount was corrected): the cancelled row keeps its history under the key with `:replaced:{id}` added.
 */
export async function cancelPendingMessageForReplacement(db: Kysely<Database>, dedupeKey: string, outcome: string): Promise<boolean> {
  const result = await db
    .updateTable('outbound_messages')
    .set({ status: 'cancelled', outcome, claimed_until: null, dedupe_key: FREED_KEY })
    .where('dedupe_key', '=', dedupeKey)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Updates what a waiting promise reminder says was paid towards the promise (a payment or a reversal since). */
export async function setPendingPromiseReminderPaid(db: Kysely<Database>, dedupeKey: string, paid: number): Promise<void> {
  await db
    .updateTable('outbound_messages')
    .set({ notification: sql`jsonb_set(notification, '{paid}', to_jsonb(${paid}::bigint))` })
    .where('dedupe_key', '=', dedupeKey)
    .where('status', '=', 'pending')
    .where('notification', 'is not', null)
    .execute();
}

/** Cancels a message still waiting to be sent (e.g. a promise reminder once the promise is kept). */
export async function cancelPendingMessage(db: Kysely<Database>, dedupeKey: string, outcome: string): Promise<boolean> {
  const result = await db
    .updateTable('outbound_messages')
    .set({ status: 'cancelled', outcome, claimed_until: null })
    .where('dedupe_key', '=', dedupeKey)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Cancels these messages where they still wait and no dispatcher holds them (inside the caller's transaction): news
 * a later step has made untrue. Exact keys, so the unique index finds them.
 */
export async function cancelWaitingMessages(db: Kysely<Database>, dedupeKeys: readonly string[], outcome: string, at: Date): Promise<number> {
  if (dedupeKeys.length === 0) return 0;
  const result = await db
    .updateTable('outbound_messages')
    .set({ status: 'cancelled', outcome, claimed_until: null })
    .where('dedupe_key', 'in', dedupeKeys)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Cancels the messages under a key prefix that have not gone yet (inside the caller's transaction). `stillSending`
 * counts those already sent or claimed by a dispatcher right now: they can no longer be stopped.
 */
export async function cancelPendingByKeyPrefix(trx: Transaction<Database>, prefix: string, at: Date): Promise<{ cancelled: number; stillSending: number }> {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await sql<{ cancelled: number; still_sending: number }>`
    WITH matching AS (
      SELECT id, status, claimed_until FROM outbound_messages WHERE dedupe_key LIKE ${pattern} FOR UPDATE
    ), cancelled AS (
      UPDATE outbound_messages m SET status = 'cancelled', outcome = 'taken_back', claimed_until = NULL
      FROM matching WHERE m.id = matching.id AND matching.status = 'pending' AND (matching.claimed_until IS NULL OR matching.claimed_until < ${at})
      RETURNING m.id
    )
    SELECT (SELECT count(*) FROM cancelled)::int AS cancelled,
           (SELECT count(*) FROM matching WHERE status = 'sent' OR (status = 'pending' AND claimed_until >= ${at}))::int AS still_sending`.execute(trx);
  return { cancelled: rows[0]?.cancelled ?? 0, stillSending: rows[0]?.still_sending ?? 0 };
}

/** Messages still waiting for a borrower who unlinked, or an officer who left: they will not go. Returns how many. */
export async function cancelPendingFor(trx: Transaction<Database>, recipient: { borrowerId: number } | { officerId: number }, outcome: string): Promise<number> {
  const result = await trx
    .updateTable('outbound_messages')
    .set({ status: 'cancelled', outcome, claimed_until: null })
    .$call((qb) => ('borrowerId' in recipient ? qb.where('borrower_id', '=', recipient.borrowerId) : qb.where('officer_id', '=', recipient.officerId)))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What was sent (or queued) to a borrower: kinds and times, newest first, for the copy of her data. */
export async function messagesToBorrower(db: Kysely<Database>, borrowerId: number, limit: number) {
  return db
    .selectFrom('outbound_messages')
    .select(['kind', 'status', 'created_at as createdAt', 'sent_at as sentAt', 'notification'])
    .where('borrower_id', '=', borrowerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
