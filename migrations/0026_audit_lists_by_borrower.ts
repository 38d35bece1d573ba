// A borrower's "who looked at my data" (her data copy) now includes the lists she appeared on — the debtor list,
// the debtors report, an officer's work queue, the slips queue — not only her own page. Those entries name her in
// their details (the ids they showed), so each kind gets a partial GIN index on that array: her entries are found
// without reading every list anyone opened. Only list entries are indexed, so the index stays small; building it
// takes a lock on audit_log for as long as it reads those rows (seconds for hundreds of thousands).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX audit_log_lists_shown ON audit_log USING gin ((details -> 'shown') jsonb_path_ops)
            WHERE action IN ('debtor.list', 'report.debtors', 'officer.work_queue')`.execute(db);
  await sql`CREATE INDEX audit_log_slips_shown ON audit_log USING gin ((details -> 'borrowerIds') jsonb_path_ops)
            WHERE action = 'slips.list'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX audit_log_slips_shown`.execute(db);
  await sql`DROP INDEX audit_log_lists_shown`.execute(db);
}
