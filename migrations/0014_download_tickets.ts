// One-time download links for the officers' files (XLSX reports, PDFs). LINE's in-app browser cannot save a file the
// page fetched itself, so the page asks for a ticket and opens the file in the phone's browser: the ticket, bound to
// one officer and one address, is the credential there. Only its hash is kept.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE download_tickets (
    token_hash text PRIMARY KEY,
    line_user_id text NOT NULL,
    path text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX download_tickets_expires ON download_tickets (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE download_tickets`.execute(db);
}
