// A line of a bank statement that is not the fund's money (another transfer into the same account, a bank fee, a
// line already settled at the counter) can be closed by an officer with a reason, instead of staying on the
// exceptions list for ever. Closed like a recorded one (resolved_at, resolved_by), with no payment.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE statement_lines ADD COLUMN dismissal_reason text`.execute(db);
  await sql`ALTER TABLE statement_lines ADD CONSTRAINT statement_lines_dismissal CHECK (
    dismissal_reason IS NULL OR (resolved_at IS NOT NULL AND resolved_by IS NOT NULL AND resolved_payment_id IS NULL))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE statement_lines DROP CONSTRAINT statement_lines_dismissal`.execute(db);
  await sql`ALTER TABLE statement_lines DROP COLUMN dismissal_reason`.execute(db);
}
