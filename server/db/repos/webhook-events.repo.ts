// The webhook inbox: every event is stored before LINE gets its 200, and handled at most once.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface InboxEvent {
  eventId: string;
  eventType: string;
  sourceUserId: string | null;
  payload: unknown;
}

/**
 * Stores events not seen before and returns those, already claimed by the caller for `claimSeconds`.
 * A redelivered event (same webhookEventId) is not returned again.
 */
export async function insertNewEvents(db: Kysely<Database>, events: readonly InboxEvent[], claimSeconds: number): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const result = await sql<{ event_id: string }>`
    INSERT INTO webhook_events (event_id, event_type, source_user_id, payload, locked_until)
    SELECT e.event_id, e.event_type, e.source_user_id, e.payload, now() + make_interval(secs => ${claimSeconds})
    FROM unnest(${events.map((e) => e.eventId)}::text[], ${events.map((e) => e.eventType)}::text[],
                ${events.map((e) => e.sourceUserId)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::jsonb[])
      AS e(event_id, event_type, source_user_id, payload)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id`.execute(db);
  return new Set(result.rows.map((row) => row.event_id));
}

export async function markEventsDone(db: Kysely<Database>, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await sql`
    UPDATE webhook_events SET status = 'done', processed_at = now(), locked_until = NULL, attempts = attempts + 1
    WHERE event_id = ANY(${eventIds}::text[])`.execute(db);
}

/** Records a failed attempt: the event waits `retryInSeconds` and is retried, or fails for good at the bound. */
export async function markEventAttemptFailed(
  db: Kysely<Database>,
  eventId: string,
  error: string,
  maxAttempts: number,
  retryInSeconds: number,
): Promise<void> {
  await sql`
    UPDATE webhook_events
    SET attempts = attempts + 1, last_error = ${error.slice(0, 500)},
        status = CASE WHEN attempts + 1 >= ${maxAttempts} THEN 'failed' ELSE 'pending' END,
        locked_until = now() + make_interval(secs => ${retryInSeconds})
    WHERE event_id = ${eventId}`.execute(db);
}

/** Extends this process's claim on events it still holds. */
export async function renewEventClaims(db: Kysely<Database>, eventIds: readonly string[], claimSeconds: number): Promise<void> {
  await sql`
    UPDATE webhook_events SET locked_until = now() + make_interval(secs => ${claimSeconds})
    WHERE event_id = ANY(${eventIds}::text[]) AND status = 'pending'`.execute(db);
}

/** Makes stored events immediately claimable by any replica's sweep. */
export async function releaseEventClaims(db: Kysely<Database>, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await sql`UPDATE webhook_events SET locked_until = NULL WHERE event_id = ANY(${eventIds}::text[]) AND status = 'pending'`.execute(db);
}

/** An answer recorded before it was first sent (what to send, as the answerer prepared it) and how it goes out. */
export interface RecordedAnswer {
  answer: unknown;
  via: 'reply' | 'push';
}

/** Claims pending events whose claim lapsed (their handler crashed or a retry is due). Safe across replicas. */
export async function claimStaleEvents(
  db: Kysely<Database>,
  limit: number,
  claimSeconds: number,
): Promise<Array<{ eventId: string; payload: unknown; attempts: number; answer: RecordedAnswer | undefined }>> {
  const result = await sql<{ event_id: string; payload: unknown; attempts: number; answer: string | null; answer_via: 'reply' | 'push' | null }>`
    UPDATE webhook_events SET locked_until = now() + make_interval(secs => ${claimSeconds})
    WHERE event_id IN (
      SELECT event_id FROM webhook_events
      WHERE status = 'pending' AND (locked_until IS NULL OR locked_until < now())
      ORDER BY received_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    -- Answers recorded before migration 0020 are in the jsonb column.
    RETURNING event_id, payload, attempts, COALESCE(answer_json, answer::text) AS answer, answer_via`.execute(db);
  return result.rows.map((row) => ({
    eventId: row.event_id,
    payload: row.payload,
    attempts: row.attempts,
    answer: row.answer !== null && row.answer_via !== null ? { answer: JSON.parse(row.answer) as unknown, via: row.answer_via } : undefined,
  }));
}

/**
 * Records the answers about to be sent, each only if its event has none yet (compare-and-set), and returns the
 * events whose answer was recorded by this call: only their handler may send. Committed before LINE is called.
 */
export async function recordAnswers(db: Kysely<Database>, answers: ReadonlyArray<{ eventId: string } & RecordedAnswer>): Promise<Set<string>> {
  if (answers.length === 0) return new Set();
  const eventIds = answers.map((a) => a.eventId);
  // Three arrays side by side, each answer its own value (JSON text since 0020): one JSON document of them all,
  // taken apart with jsonb_to_recordset(), cost PostgreSQL 3.3–3.6 ms for 12 answers (parsing 53 kB, then copying
  // each answer out of it), the arrays 1.9 ms. The event ids also restrict the rows by the primary key: joined to the answers alone, a
  // plan made on stale statistics (the table small when last analysed) read every pending event for each batch —
  // under a backlog 57 pages per answer.
  const result = await sql<{ event_id: string }>`
    -- answer (jsonb, before 0020) gets JSON null: a replica still on the version before checks only that column, and
    -- must see the answer as recorded by someone else, or it would decide and send a second one during a deploy.
    UPDATE webhook_events w SET answer_json = u.answer, answer = 'null'::jsonb, answer_via = u.via
    FROM unnest(${eventIds}::text[], ${answers.map((a) => JSON.stringify(a.answer))}::text[], ${answers.map((a) => a.via)}::text[]) AS u(event_id, answer, via)
    WHERE w.event_id = ANY(${eventIds}::text[]) AND w.event_id = u.event_id AND w.answer_json IS NULL AND w.answer IS NULL
      AND w.status = 'pending'
    RETURNING w.event_id`.execute(db);
  return new Set(result.rows.map((row) => row.event_id));
}

/** The reply token was refused on its first use (no reply went): from now on the answer is pushed. */
export async function switchAnswerToPush(db: Kysely<Database>, eventId: string): Promise<void> {
  await sql`UPDATE webhook_events SET answer_via = 'push' WHERE event_id = ${eventId} AND answer_via = 'reply'`.execute(db);
}

export async function eventStatus(db: Kysely<Database>, eventId: string) {
  return db.selectFrom('webhook_events').select(['status', 'attempts', 'last_error']).where('event_id', '=', eventId).executeTakeFirst();
}
