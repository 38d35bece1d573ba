// What an approved relief measure writes: the borrower's loans with their terms (locked for the approval), the
// restructured schedule, and the loan_measures row that makes the debtor เข้าร่วมมาตรการ.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { Installment, RepaymentFrequency } from '../../domain/loan-schedule.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { deleteInstallmentsOf, insertInstallments } from './loans.repo.ts';

export interface LoanForRestructuring {
  id: number;
  contractNo: string;
  borrowerId: number;
  principal: number;
  annualInterestBp: number;
  frequency: RepaymentFrequency;
  firstDueOn: LocalDate;
  litigation: boolean;
  scheduleSource: 'registry' | 'restructured';
}

/** A borrower's loans with their terms; locked for the approval's transaction when `forUpdate`. */
export async function loansForRestructuring(db: Kysely<Database>, borrowerId: number, forUpdate = false): Promise<LoanForRestructuring[]> {
  let query = db
    .selectFrom('loans')
    .select([
      'id',
      'contract_no as contractNo',
      'borrower_id as borrowerId',
      'principal_satang as principal',
      'annual_interest_bp as annualInterestBp',
      'frequency',
      'first_due_on as firstDueOn',
      'litigation',
      'schedule_source as scheduleSource',
    ])
    .where('borrower_id', '=', borrowerId)
    .orderBy('contract_no');
  if (forUpdate) query = query.forUpdate();
  return query.execute();
}

/** Replaces a loan's whole schedule (kept and new installments) and marks it restructured. */
export async function replaceScheduleWithRestructured(trx: Transaction<Database>, loanId: number, schedule: readonly Installment[], at: Date): Promise<void> {
  await deleteInstallmentsOf(trx, [loanId]);
  await insertInstallments(trx, schedule.map((installment) => ({ ...installment, loanId })));
  await trx.updateTable('loans').set({ schedule_source: 'restructured', updated_at: at }).where('id', '=', loanId).execute();
}

export async function insertLoanMeasure(
  trx: Transaction<Database>,
  m: {
    loanId: number;
    measureCode: string;
    startsOn: LocalDate;
    endsOn: LocalDate | null;
    enrollmentId: number | null;
    at: Date;
    /** Where the loan stood when the measure began: payments made during it are counted against this principal. */
    paidTotalAtStart: number;
    principalOutstandingAtStart: number;
  },
): Promise<void> {
  await trx
    .insertInto('loan_measures')
    .values({
      loan_id: m.loanId,
      measure_code: m.measureCode,
      starts_on: m.startsOn,
      ends_on: m.endsOn,
      enrollment_id: m.enrollmentId,
      created_at: m.at,
      paid_total_at_start_satang: m.paidTotalAtStart,
      principal_outstanding_at_start_satang: m.principalOutstandingAtStart,
    })
    .execute();
}
