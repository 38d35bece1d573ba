// A recorded answer (0008) is kept as the JSON text it was rendered to, in a column of its own (answer_json),
// compressed with lz4 where the server has it.
//
// The answer is written once, before the first call to LINE, and read back only by a retry that sends it again: it is
// never queried inside. As jsonb, PostgreSQL parsed every answer (1.5–6.5 kB of Flex JSON) into its binary form and
// then compressed it with pglz: 128 µs an answer, measured on 4,000 recorded answers; recording them was 63 % of the
// statement time PostgreSQL spent on the webhook under load. As text: 62 µs with pglz, 18 µs with lz4.
// PostgreSQL built without lz4 (PGlite) refuses the method with feature_not_supported and keeps pglz.
//
// A new column, not ALTER COLUMN answer TYPE text: that rewrites the table under an exclusive lock (35 s for 500,000
// events with answers, measured here), and webhooks would wait on it. Adding a column is instant. Answers recorded
// before stay in `answer` and are still read from there (webhook-events.repo.ts). While replicas of the version before
// may still run, recording an answer also sets `answer` to JSON null, so their compare-and-set (which checks only
// that column) sees it taken. `answer` can be dropped once no replica that old runs and no pending event still has
// an answer there (retention purges handled events after 90 days, never pending ones).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE webhook_events ADD COLUMN answer_json text`.execute(db);
  await sql`
    DO $$ BEGIN
      ALTER TABLE webhook_events ALTER COLUMN answer_json SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Only an event still to be answered needs its recorded answer back.
  await sql`UPDATE webhook_events SET answer = answer_json::jsonb WHERE answer_json IS NOT NULL AND status = 'pending'`.execute(db);
  await sql`ALTER TABLE webhook_events DROP COLUMN IF EXISTS answer_json`.execute(db);
}
