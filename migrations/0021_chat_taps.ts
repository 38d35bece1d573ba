// The last button each LINE user tapped (a postback), so that a double tap is answered once. One row per user,
// overwritten on each tap: a double tap is two identical taps in a row, so the last one is all that is needed.
// A table of its own (created empty, instantly) rather than an index on webhook_events, whose build would hold up
// incoming webhooks on a large table.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE chat_taps (
      line_user_id text PRIMARY KEY,
      tap_key text NOT NULL,
      event_id text NOT NULL,
      tapped_at timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE chat_taps`.execute(db);
}
