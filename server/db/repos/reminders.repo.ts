// What borrower reminders are planned from: linked, following borrowers a page at a time, and their unpaid installments.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';

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
}

/** The loans of the next `pageSize` linked and following borrowers after `afterBorrowerId`, by borrower id. */
export async function linkedBorrowerLoansPage(db: Kysely<Database>, afterBorrowerId: number, today: LocalDate, pageSize: number): Promise<ReminderLoanRow[]> {
  const result = await sql<ReminderLoanRow>`
    WITH page AS (
      SELECT k.borrower_id FROM line_links k JOIN line_users u ON u.line_user_id = k.line_user_id
      WHERE k.borrower_id > ${afterBorrowerId} AND u.following
      ORDER BY k.borrower_id LIMIT ${pageSize}
    )
    SELECT b.id AS "borrowerId", b.full_name AS "fullName", l.id AS "loanId", l.contract_no AS "contractNo", l.litigation,
           l.first_due_on AS "firstDueOn",
           EXISTS (SELECT 1 FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
                   WHERE lm.loan_id = l.id AND rm.effect->>'type' = 'suspend'
                     AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)) AS "inSuspension",
           (SELECT COALESCE(lm.ends_on, '9999-12-31'::date) FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
             WHERE lm.loan_id = l.id AND rm.effect->>'type' = 'pause_principal'
               AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)
             ORDER BY lm.starts_on DESC LIMIT 1) AS "principalPausedUntil"
    FROM page p JOIN borrowers b ON b.id = p.borrower_id JOIN loans l ON l.borrower_id = b.id
    ORDER BY b.id, l.id`.execute(db);
  return result.rows;
}

/** Installments with something left to pay, due on or before `horizon`, per loan, oldest first. */
export async function unpaidInstallmentsUpTo(
  db: Kysely<Database>,
  loanIds: readonly number[],
  horizon: LocalDate,
): Promise<Map<number, Array<{ seq: number; dueOn: LocalDate; unpaid: number; interestUnpaid: number }>>> {
  const result = await sql<{ loanId: number; seq: number; dueOn: LocalDate; unpaid: number; interestUnpaid: number }>`
    SELECT loan_id AS "loanId", seq, due_on AS "dueOn", (principal_satang + interest_satang - paid_satang)::bigint AS unpaid,
           GREATEST(interest_satang - paid_satang, 0)::bigint AS "interestUnpaid"
    FROM installments
    WHERE loan_id = ANY(${loanIds}::bigint[]) AND paid_satang < principal_satang + interest_satang AND due_on <= ${horizon}::date
    ORDER BY loan_id, seq`.execute(db);
  const byLoan = new Map<number, Array<{ seq: number; dueOn: LocalDate; unpaid: number; interestUnpaid: number }>>();
  for (const row of result.rows) {
    const list = byLoan.get(row.loanId) ?? [];
    list.push({ seq: row.seq, dueOn: row.dueOn, unpaid: row.unpaid, interestUnpaid: row.interestUnpaid });
    byLoan.set(row.loanId, list);
  }
  return byLoan;
}
