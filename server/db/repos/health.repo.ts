// The cheapest round trip to the database: is it there?
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

export interface QueueDepths {
  inboxPending: number;
  /** When the oldest unhandled webhook event arrived (null: none waiting). */
  inboxOldestPendingAt: Date | null;
  inboxFailed: number;
  outboxPending: number;
  outboxDead: number;
}

/**
 * What is waiting: webhook events not handled yet, messages not sent yet, messages given up on. One round trip of
 * scalar subqueries, each on its own partial index (a combined `status IN (…)` filter would scan the tables).
 */
export async function queueDepths(db: Kysely<Database>): Promise<QueueDepths> {
  const { rows } = await sql<{ inbox_pending: string; inbox_oldest: Date | string | null; inbox_failed: string; outbox_pending: string; outbox_dead: string }>`
    SELECT
      (SELECT count(*) FROM webhook_events WHERE status = 'pending') AS inbox_pending,
      (SELECT min(received_at) FROM webhook_events WHERE status = 'pending') AS inbox_oldest,
      (SELECT count(*) FROM webhook_events WHERE status = 'failed') AS inbox_failed,
      (SELECT count(*) FROM outbound_messages WHERE status = 'pending') AS outbox_pending,
      (SELECT count(*) FROM outbound_messages WHERE status = 'dead') AS outbox_dead`.execute(db);
  const row = rows[0]!;
  return {
    inboxPending: Number(row.inbox_pending),
    inboxOldestPendingAt: row.inbox_oldest === null ? null : new Date(row.inbox_oldest),
    inboxFailed: Number(row.inbox_failed),
    outboxPending: Number(row.outbox_pending),
    outboxDead: Number(row.outbox_dead),
  };
}
