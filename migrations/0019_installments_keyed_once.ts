// Installments keep one index: the primary key (loan_id, seq), which carries every other column (0018).
//
// Every read of installments goes through its loan — reminders, the debtor list and My area, positions, reports,
// retention — and the key answers each of them from its own entries, unpaid ones by their included amounts. The two
// partial indexes of unpaid installments only cost writes: of the 7.5 s PostgreSQL spent writing a first import's
// 2.4 million installments, 2.1 s went to the one on due_on alone (0001, from when reminders were planned by due
// date; nothing asks "which installments fall due on day X" across loans any more) and 1.5 s to the one by loan
// (0010). The first also tempted the planner into reading every unpaid installment (reminders.repo.ts), and the
// two together into the BitmapAnd described in 0018's header. Measured before dropping them: bench:reports scanned
// neither (920,000 scans of the key), bench:officer used the one by loan, and is no slower on the key alone. The one
// read that pays: right after a bulk load, before autovacuum marks the new pages all-visible, the key's entries are
// checked against the table (planning reminders for 100,000 borrowers then took 9–10 s instead of 7–7.7 s), so a
// bulk import vacuums its installments once committed (loans.repo.ts, vacuumInstallments).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS installments_unpaid_by_due`.execute(db);
  await sql`DROP INDEX IF EXISTS installments_unpaid_by_loan`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS installments_unpaid_by_loan ON installments (loan_id, due_on) WHERE paid_satang < principal_satang + interest_satang`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS installments_unpaid_by_due ON installments (due_on) WHERE paid_satang < principal_satang + interest_satang`.execute(db);
}
