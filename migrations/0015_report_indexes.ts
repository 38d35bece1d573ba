// Indexes for the reports. What each loan had due in a month, quarter or year, as a range per loan with the amounts
// included, so the collections report need not read the schedule rows (added after 0012 had already run on some
// databases). And the money that reached loans in a window of days (reports "as of a day", collections): recorded
// payments by the day paid, registry changes and confirmations by when they were imported — without these every
// report read every payment ever made.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS installments_loan_due ON installments (loan_id, due_on) INCLUDE (principal_satang, interest_satang)`.execute(db);
  await sql`CREATE INDEX payments_recorded_paid_on ON payments (paid_on) WHERE source IN ('officer', 'officer_reversal')`.execute(db);
  await sql`CREATE INDEX payments_registry_recorded_at ON payments (recorded_at) WHERE source = 'registry_import'`.execute(db);
  await sql`CREATE INDEX payment_registry_confirmations_at ON payment_registry_confirmations (confirmed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS payment_registry_confirmations_at`.execute(db);
  await sql`DROP INDEX IF EXISTS payments_registry_recorded_at`.execute(db);
  await sql`DROP INDEX IF EXISTS payments_recorded_paid_on`.execute(db);
  await sql`DROP INDEX IF EXISTS installments_loan_due`.execute(db);
}
