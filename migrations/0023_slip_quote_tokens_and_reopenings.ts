// Two facts about a transfer slip a borrower sent:
// - quote_token: LINE's quote token of her photo, so that an officer's rejection can quote that very photo in the chat
//   (several photos sent in the same minute are otherwise told apart by time alone). Nullable: slips stored before,
//   and photos LINE delivered without one, are told apart by time as before.
// - reopened: how many times a payment recorded from it was reversed, putting it back in the queue. Confirming it
//   again is then a new request, not a repeat of the reversed one (its idempotency key counts the reopenings).
// Both are instant: a nullable column, and one with a constant default.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_slips ADD COLUMN quote_token text`.execute(db);
  await sql`ALTER TABLE payment_slips ADD COLUMN reopened integer NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE payment_slips DROP COLUMN reopened`.execute(db);
  await sql`ALTER TABLE payment_slips DROP COLUMN quote_token`.execute(db);
}
