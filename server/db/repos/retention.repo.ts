// Retention (PDPA): finding borrowers whose every loan closed long ago, anonymising them, and purging operational
// records (webhook payloads, link attempts) that have served their purpose.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';

/** A borrower whose loans are all closed — fully paid, not in litigation — since before the cutoff, with no open application. */
function isDue(cutoff: LocalDate) {
  return sql<boolean>`
    b.anonymised_at IS NULL
    AND EXISTS (SELECT 1 FROM loans l WHERE l.borrower_id = b.id)
    AND NOT EXISTS (
      SELECT 1 FROM enrollments e WHERE e.borrower_id = b.id
        AND e.status IN ('district_review', 'province_review', 'department_review', 'needs_documents'))
    AND NOT EXISTS (
      SELECT 1 FROM loans l WHERE l.borrower_id = b.id AND (
        l.litigation
        OR EXISTS (SELECT 1 FROM installments i WHERE i.loan_id = l.id AND i.paid_satang < i.principal_satang + i.interest_satang)
        OR GREATEST(
             COALESCE((SELECT max(p.recorded_at AT TIME ZONE 'Asia/Bangkok')::date FROM payments p WHERE p.loan_id = l.id), DATE '1900-01-01'),
             COALESCE((SELECT max(i.due_on) FROM installments i WHERE i.loan_id = l.id), DATE '1900-01-01')) >= ${cutoff}::date))`;
}

/**
 * Borrowers not anonymised yet whose loans are all closed since before `cutoff` (closed on the later of the last
 * payment and the last due date), with no application still open.
 */
export async function borrowersDueForAnonymising(db: Kysely<Database>, cutoff: LocalDate, limit: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT b.id FROM borrowers b WHERE ${isDue(cutoff)} ORDER BY b.id LIMIT ${limit}`.execute(db);
  return rows.map((row) => row.id);
}

/**
 * Locks the borrower and checks again, inside the anonymising transaction: a loan imported or an application made
 * since the batch was read keeps her (the lock makes a concurrent loan insert for her wait for this transaction).
 */
export async function lockIfStillDue(trx: Transaction<Database>, borrowerId: number, cutoff: LocalDate): Promise<boolean> {
  await sql`SELECT id FROM borrowers WHERE id = ${borrowerId} FOR UPDATE`.execute(trx);
  const { rows } = await sql<{ id: number }>`SELECT b.id FROM borrowers b WHERE b.id = ${borrowerId} AND ${isDue(cutoff)}`.execute(trx);
  return rows.length > 0;
}

/** Which of these contracts belong to borrowers anonymised under the retention rule. */
export async function contractsOfAnonymisedBorrowers(db: Kysely<Database>, contractNos: readonly string[]): Promise<Set<string>> {
  if (contractNos.length === 0) return new Set();
  const { rows } = await sql<{ contract_no: string }>`
    SELECT l.contract_no FROM loans l JOIN borrowers b ON b.id = l.borrower_id
    WHERE l.contract_no = ANY(${contractNos}::text[]) AND b.anonymised_at IS NOT NULL`.execute(db);
  return new Set(rows.map((row) => row.contract_no));
}

export const ANONYMISED_NAME = 'ผู้กู้ (ลบข้อมูลส่วนบุคคลตามระยะเวลาเก็บรักษาแล้ว)';

/**
 * Removes what identifies a person and keeps the fund's accounting (loans, schedules, payments by contract). Their
 * LINE link, the messages sent to them and their events, application texts and documents go.
 */
export async function anonymiseBorrower(trx: Transaction<Database>, borrowerId: number, at: Date): Promise<void> {
  const lineUsers = (await trx.selectFrom('line_links').select('line_user_id').where('borrower_id', '=', borrowerId).execute()).map((r) => r.line_user_id);
  if (lineUsers.length > 0) {
    await trx.deleteFrom('webhook_events').where('source_user_id', 'in', lineUsers).execute();
    await trx.deleteFrom('chat_taps').where('line_user_id', 'in', lineUsers).execute();
    await trx.deleteFrom('line_links').where('line_user_id', 'in', lineUsers).execute();
  }
  await trx.deleteFrom('outbound_messages').where('borrower_id', '=', borrowerId).execute();
  const enrollmentIds = (await trx.selectFrom('enrollments').select('id').where('borrower_id', '=', borrowerId).execute()).map((r) => r.id);
  if (enrollmentIds.length > 0) {
    await trx.deleteFrom('enrollment_documents').where('enrollment_id', 'in', enrollmentIds).execute();
    await trx
      .updateTable('enrollments')
      .set({ reason: '', phone: '', decision_note: null, monthly_income_satang: null, monthly_expenses_satang: null, affordable_payment_satang: null, requested_documents: null })
      .where('id', 'in', enrollmentIds)
      .execute();
    await trx.updateTable('enrollment_transitions').set({ note: null }).where('enrollment_id', 'in', enrollmentIds).execute();
    // Her LINE user id goes too (unique with the idempotency key, so each application keeps a distinct stand-in).
    await sql`UPDATE enrollments SET submitted_by_line_user_id = 'anonymised:' || id WHERE id = ANY(${enrollmentIds}::bigint[])`.execute(trx);
  }
  // The officers' log keeps what was done and when (kind, outcome, dates, promised amounts), not what was written
  // down or photographed; reversal reasons go too.
  const followUpIds = (await trx.selectFrom('follow_ups').select('id').where('borrower_id', '=', borrowerId).execute()).map((r) => r.id);
  if (followUpIds.length > 0) {
    await trx.deleteFrom('follow_up_photos').where('follow_up_id', 'in', followUpIds).execute();
    await trx.updateTable('follow_ups').set({ note: null }).where('id', 'in', followUpIds).execute();
  }
  await trx.deleteFrom('debtor_mentors').where('borrower_id', '=', borrowerId).execute();
  // Photos of her transfer slips (the payments they became stay).
  await trx.deleteFrom('payment_slips').where('borrower_id', '=', borrowerId).execute();
  await sql`UPDATE payments p SET note = NULL FROM loans l
            WHERE l.id = p.loan_id AND l.borrower_id = ${borrowerId} AND p.source = 'officer_reversal'`.execute(trx);
  // Codes issued for her: the used ones forget who used them, the unused ones can no longer link anyone to her.
  await trx.updateTable('link_codes').set({ used_by_line_user_id: null }).where('borrower_id', '=', borrowerId).execute();
  await trx.deleteFrom('link_codes').where('borrower_id', '=', borrowerId).where('used_at', 'is', null).execute();
  await trx
    .updateTable('borrowers')
    .set({
      full_name: ANONYMISED_NAME,
      phone: null,
      national_id_cipher: '',
      national_id_hash: `anonymised:${borrowerId}`,
      national_id_masked: 'x-xxxx-xxxxx-xx-x',
      anonymised_at: at,
      updated_at: at,
    })
    .where('id', '=', borrowerId)
    .execute();
}

/** Webhook payloads (people's messages) and link attempts older than `before`: they served their purpose. */
export async function purgeOperationalRecords(db: Kysely<Database>, before: Date): Promise<{ webhookEvents: number; linkAttempts: number }> {
  const events = await db.deleteFrom('webhook_events').where('received_at', '<', before).where('status', '!=', 'pending').executeTakeFirst();
  const attempts = await db.deleteFrom('link_attempts').where('attempted_at', '<', before).executeTakeFirst();
  return { webhookEvents: Number(events.numDeletedRows), linkAttempts: Number(attempts.numDeletedRows) };
}
