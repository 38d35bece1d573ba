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

/** What is waiting: webhook events not handled yet, messages not sent yet, messages given up on. */
export async function queueDepths(db: Kysely<Database>): Promise<QueueDepths> {
  const [inbox, outbox] = await Promise.all([
    db
      .selectFrom('webhook_events')
      .select((eb) => [
        eb.fn.count<string>('event_id').filterWhere('status', '=', 'pending').as('pending'),
        eb.fn.min('received_at').filterWhere('status', '=', 'pending').as('oldest'),
        eb.fn.count<string>('event_id').filterWhere('status', '=', 'failed').as('failed'),
      ])
      .where('status', 'in', ['pending', 'failed'])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('outbound_messages')
      .select((eb) => [
        eb.fn.count<string>('id').filterWhere('status', '=', 'pending').as('pending'),
        eb.fn.count<string>('id').filterWhere('status', '=', 'dead').as('dead'),
      ])
      .where('status', 'in', ['pending', 'dead'])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    inboxPending: Number(inbox.pending),
    inboxOldestPendingAt: inbox.oldest ? new Date(inbox.oldest as unknown as string) : null,
    inboxFailed: Number(inbox.failed),
    outboxPending: Number(outbox.pending),
    outboxDead: Number(outbox.dead),
  };
}
