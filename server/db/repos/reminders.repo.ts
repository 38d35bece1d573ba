// What borrower reminders are planned from: linked, following borrowers a page at a time, and their unpaid installments.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { OPEN_ENROLLMENT_STATUSES } from '../../domain/enrollment-workflow.ts';

export interface ReminderLoanRow {
  borrowerId: number;
  fullName: string;
  loanId: number;
  contractNo: string;
  litigation: boolean;
  firstDueOn: LocalDate;
  /** An active measure whose effect suspends the debt. */
  inSuspension: boolean;
  /** An active principal pause: until this day (inclusive) only interest is asked; null when none. */
  principalPausedUntil: LocalDate | null;
  /** She sent a transfer slip in the last days that no officer has decided yet. */
  slipPending: boolean;
  /** Her application for a measure on this loan that is still open (under review or waiting for documents), if any. */
  openApplicationId: number | null;
  openApplicationMeasure: string | null;
}

/**
 * The loans of the next `pageSize` linked and following borrowers after `afterBorrowerId`, by borrower id. Each
 * page's loans are looked up per borrower (LATERAL, OFFSET 0 so the planner keeps it per row): a plain join scanned
 * the loans of every earlier page again, so a run over 100,000 borrowers grew with the square of the pages.
 */
/** For this many days a slip waiting for an officer holds back her overdue reminders (she says she paid). */
export const SLIP_HOLDS_OVERDUE_DAYS = 7;

// Written into the SQL, not bound: only a literal list lets the planner use the partial index on open applications.
const OPEN_STATUSES_LITERAL = sql.raw(OPEN_ENROLLMENT_STATUSES.map((status) => `'${status}'`).join(', '));

export async function linkedBorrowerLoansPage(db: Kysely<Database>, afterBorrowerId: number, today: LocalDate, pageSize: number): Promise<ReminderLoanRow[]> {
  const result = await sql<ReminderLoanRow>`
    WITH page AS MATERIALIZED (
      SELECT k.borrower_id, b.full_name FROM line_links k
      JOIN line_users u ON u.line_user_id = k.line_user_id
      JOIN borrowers b ON b.id = k.borrower_id
      WHERE k.borrower_id > ${afterBorrowerId} AND b.id > ${afterBorrowerId} AND u.following
      ORDER BY k.borrower_id LIMIT ${pageSize}
    ), suspended AS MATERIALIZED (
      SELECT DISTINCT lm.loan_id FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
      WHERE rm.effect->>'type' = 'suspend' AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)
    ), paused AS MATERIALIZED (
      -- An active principal pause: until when (the latest one started, open-ended as 9999-12-31).
      SELECT DISTINCT ON (lm.loan_id) lm.loan_id, COALESCE(lm.ends_on, '9999-12-31'::date) AS ends_on
      FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
      WHERE rm.effect->>'type' = 'pause_principal' AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)
      ORDER BY lm.loan_id, lm.starts_on DESC
    )
    SELECT p.borrower_id AS "borrowerId", p.full_name AS "fullName", l.id AS "loanId", l.contract_no AS "contractNo", l.litigation,
           l.first_due_on AS "firstDueOn", EXISTS (SELECT 1 FROM suspended s WHERE s.loan_id = l.id) AS "inSuspension",
           pp.ends_on AS "principalPausedUntil",
           EXISTS (SELECT 1 FROM payment_slips ps WHERE ps.borrower_id = p.borrower_id AND ps.status = 'pending'
                   AND ps.received_at >= (${today}::date - ${SLIP_HOLDS_OVERDUE_DAYS}::int)) AS "slipPending",
           oa.id AS "openApplicationId", oa.title AS "openApplicationMeasure"
    FROM page p
    CROSS JOIN LATERAL (SELECT id, contract_no, litigation, first_due_on FROM loans WHERE borrower_id = p.borrower_id OFFSET 0) l
    LEFT JOIN paused pp ON pp.loan_id = l.id
    LEFT JOIN LATERAL (
      SELECT e.id, m.title FROM enrollments e JOIN relief_measures m ON m.code = e.measure_code
      WHERE e.loan_id = l.id AND e.status IN (${OPEN_STATUSES_LITERAL})
      ORDER BY e.id LIMIT 1
    ) oa ON true
    ORDER BY p.borrower_id, l.id`.execute(db);
  return result.rows;
}

/** Installments with something left to pay, due on or before `horizon`, per loan, oldest first. */
export async function unpaidInstallmentsUpTo(
  db: Kysely<Database>,
  loanIds: readonly number[],
  horizon: LocalDate,
): Promise<Map<number, Array<{ seq: number; dueOn: LocalDate; unpaid: number; interestUnpaid: number }>>> {
  // Per loan through the primary key (loan_id, seq) — OFFSET 0 keeps the planner from flattening it: otherwise it
  // once picked a partial index on due_on (dropped in 0019) and read every unpaid installment of every borrower.
  const result = await sql<{ loanId: number; seq: number; dueOn: LocalDate; unpaid: number; interestUnpaid: number }>`
    SELECT i.loan_id AS "loanId", i.seq, i.due_on AS "dueOn", (i.principal_satang + i.interest_satang - i.paid_satang)::bigint AS unpaid,
           GREATEST(i.interest_satang - i.paid_satang, 0)::bigint AS "interestUnpaid"
    FROM unnest(${loanIds}::bigint[]) AS wanted(loan_id)
    CROSS JOIN LATERAL (
      SELECT loan_id, seq, due_on, principal_satang, interest_satang, paid_satang FROM installments
      WHERE loan_id = wanted.loan_id AND paid_satang < principal_satang + interest_satang AND due_on <= ${horizon}::date
      OFFSET 0
    ) i
    ORDER BY i.loan_id, i.seq`.execute(db);
  const byLoan = new Map<number, Array<{ seq: number; dueOn: LocalDate; unpaid: number; interestUnpaid: number }>>();
  for (const row of result.rows) {
    const list = byLoan.get(row.loanId) ?? [];
    list.push({ seq: row.seq, dueOn: row.dueOn, unpaid: row.unpaid, interestUnpaid: row.interestUnpaid });
    byLoan.set(row.loanId, list);
  }
  return byLoan;
}
