// What a borrower owes, loan by loan, as of a day: the data behind debt cards, the LIFF "my loans" page and reminders.
// A relief measure in force changes what is expected now (domain/debtor-status.ts: expectedUnderMeasure).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { assessLoan, worstStatus, type DebtorStatus, type LoanPosition, type MeasureInForce } from '../domain/debtor-status.ts';
import type { Installment } from '../domain/loan-schedule.ts';
import type { LocalDate } from '../domain/local-date.ts';
import { parseMeasureEffect } from '../domain/restructuring.ts';
import type { BorrowerProfile } from '../db/repos/borrowers.repo.ts';
import { borrowerWithLoans, type LoanSummaryRow } from '../db/repos/loans.repo.ts';

export interface LoanOverview extends LoanSummaryRow {
  position: LoanPosition;
  installments: Installment[];
  /** The measure in force, with its effect understood (null when none, or when its effect is unknown). */
  measure: MeasureInForce | null;
}

export interface DebtOverview {
  borrower: BorrowerProfile;
  loans: LoanOverview[];
  status: DebtorStatus;
  today: LocalDate;
}

function measureInForce(stored: LoanSummaryRow['activeMeasure']): MeasureInForce | null {
  if (!stored) return null;
  const effect = parseMeasureEffect(stored.effect);
  if (!effect) return null;
  return { ...stored, effect };
}

export async function loadDebtOverview(db: Kysely<Database>, borrowerId: number, today: LocalDate): Promise<DebtOverview | undefined> {
  const found = await borrowerWithLoans(db, borrowerId, today);
  if (!found) return undefined;
  const { borrower, loans } = found;
  const overviews = loans.map((loan) => {
    const measure = measureInForce(loan.activeMeasure);
    return {
      ...loan,
      measure,
      position: assessLoan(
        { litigation: loan.litigation, hasActiveMeasure: loan.activeMeasureCode !== null, principal: loan.principal, installments: loan.installments, measure, paidTotal: loan.paidTotal },
        today,
      ),
    };
  });
  return { borrower, loans: overviews, status: worstStatus(overviews.map((loan) => loan.position.status)), today };
}
