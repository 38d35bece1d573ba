// A recorded answer (0008) is stored as the JSON text it was rendered to, compressed with lz4 where the server has it.
//
// The answer is written once, before the first call to LINE, and read back only by a retry that sends it again: it is
// never queried inside. As jsonb, PostgreSQL parsed every answer (1.5–6.5 kB of Flex JSON) into its binary form and
// then compressed it with pglz: 128 µs an answer, measured on 4,000 recorded answers; recording them was 63 % of the
// statement time PostgreSQL spent on the webhook under load. As text: 62 µs with pglz, 18 µs with lz4.
// PostgreSQL built without lz4 (PGlite) refuses the method with feature_not_supported and keeps pglz.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE webhook_events ALTER COLUMN answer TYPE text USING answer::text`.execute(db);
  await sql`
    DO $$ BEGIN
      ALTER TABLE webhook_events ALTER COLUMN answer SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE webhook_events ALTER COLUMN answer SET COMPRESSION default`.execute(db);
  await sql`ALTER TABLE webhook_events ALTER COLUMN answer TYPE jsonb USING answer::jsonb`.execute(db);
}
