// The quote token LINE gave the photo a borrower sent as a transfer slip, so that an officer's rejection can quote
// that very photo in the chat (several photos sent in the same minute are otherwise told apart by time alone).
// Nullable: slips stored before, and photos LINE delivered without one, are told apart by time as before.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_slips ADD COLUMN quote_token text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_slips DROP COLUMN quote_token`.execute(db);
}
