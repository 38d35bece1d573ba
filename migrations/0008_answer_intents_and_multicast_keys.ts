// What makes answers and multicasts safe to retry after a crash:
// - webhook_events.answer: the rendered answer to an event and how it is being sent ('reply', or 'push' once the
//   reply token was refused), recorded before the first call to LINE. A retry sends the same answer the same way and
//   never falls back to a push when a reply may already have gone.
// - outbound_messages.multicast_retry_key: the X-Line-Retry-Key a multicast used, stored on its recipients before
//   the request, so a retry reuses it even when a recipient has dropped out meanwhile.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE webhook_events ADD COLUMN answer jsonb`.execute(db);
  await sql`ALTER TABLE webhook_events ADD COLUMN answer_via text CHECK (answer_via IN ('reply', 'push'))`.execute(db);
  await sql`ALTER TABLE outbound_messages ADD COLUMN multicast_retry_key uuid`.execute(db);
  await sql`CREATE INDEX outbound_messages_multicast_key ON outbound_messages (multicast_retry_key) WHERE multicast_retry_key IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS outbound_messages_multicast_key`.execute(db);
  await sql`ALTER TABLE outbound_messages DROP COLUMN IF EXISTS multicast_retry_key`.execute(db);
  await sql`ALTER TABLE webhook_events DROP COLUMN IF EXISTS answer_via`.execute(db);
  await sql`ALTER TABLE webhook_events DROP COLUMN IF EXISTS answer`.execute(db);
}
