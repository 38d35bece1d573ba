// Running it for real: the holiday table says which days an administrator confirmed (the lunar holidays are
// estimated until then), borrowers remember when their data was anonymised under the retention rule, and what
// /metrics counts is indexed; running processes say which encryption key they write with.
import { sql, type Kysely } from 'kysely';

const LUNAR = ['มาฆบูชา', 'วิสาขบูชา', 'อาสาฬหบูชา', 'เข้าพรรษา'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE public_holidays
              ADD COLUMN estimated boolean NOT NULL DEFAULT false,
              ADD COLUMN confirmed_at timestamptz,
              ADD COLUMN confirmed_by text`.execute(db);
  // The Buddhist holidays follow the lunar calendar: the seeded dates are estimates until someone confirms them.
  for (const name of LUNAR) {
    await sql`UPDATE public_holidays SET estimated = true WHERE name LIKE ${`%${name}%`}`.execute(db);
  }
  await sql`ALTER TABLE borrowers ADD COLUMN anonymised_at timestamptz`.execute(db);
  // /metrics counts what was given up on at every scrape; without these it would scan years of history.
  await sql`CREATE INDEX outbound_messages_dead ON outbound_messages (id) WHERE status = 'dead'`.execute(db);
  await sql`CREATE INDEX webhook_events_failed ON webhook_events (received_at) WHERE status = 'failed'`.execute(db);
  // Every running process says which key it encrypts with, every minute: a key rotation refuses to retire a key
  // some live process still writes with.
  await sql`CREATE TABLE encryption_key_holders (
              process_id text PRIMARY KEY,
              key_id text NOT NULL,
              host text NOT NULL,
              pid integer NOT NULL,
              started_at timestamptz NOT NULL DEFAULT now(),
              seen_at timestamptz NOT NULL DEFAULT now())`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE encryption_key_holders`.execute(db);
  await sql`DROP INDEX webhook_events_failed`.execute(db);
  await sql`DROP INDEX outbound_messages_dead`.execute(db);
  await sql`ALTER TABLE borrowers DROP COLUMN anonymised_at`.execute(db);
  await sql`ALTER TABLE public_holidays DROP COLUMN estimated, DROP COLUMN confirmed_at, DROP COLUMN confirmed_by`.execute(db);
}
