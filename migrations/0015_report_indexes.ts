// What each loan had due in a month, quarter or year, as a range per loan with the amounts included, so the
// collections report need not read the schedule rows (added after 0012 had already run on some databases).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS installments_loan_due ON installments (loan_id, due_on) INCLUDE (principal_satang, interest_satang)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS installments_loan_due`.execute(db);
}
