// The outbox keeps what to say as data (a notification, rendered for LINE when it is sent) instead of LINE JSON.
// Rows queued before this keep their rendered `messages` and are sent as they are.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbound_messages ADD COLUMN notification jsonb`.execute(db);
  await sql`ALTER TABLE outbound_messages ALTER COLUMN messages DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_has_content CHECK (notification IS NOT NULL OR messages IS NOT NULL)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_has_content`.execute(db);
  await sql`ALTER TABLE outbound_messages DROP COLUMN notification`.execute(db);
}
