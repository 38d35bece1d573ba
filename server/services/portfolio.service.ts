// An officer's view of their area: debtors per colour, overdue rate, lookups. Always limited to the officer's scope.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { classifyStatus, summarisePortfolio, worstStatus, type DebtorStatus, type PortfolioSummary } from '../domain/debtor-status.ts';
import { daysBetween, type LocalDate } from '../domain/local-date.ts';
import { loanAggregatesInScope } from '../db/repos/loans.repo.ts';
import { searchBorrowersInScope, type BorrowerProfile } from '../db/repos/borrowers.repo.ts';
import type { OfficerProfile } from '../db/repos/officers.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { loadDebtOverview, type DebtOverview } from './debt-overview.service.ts';

export interface DebtorStanding {
  borrowerId: number;
  status: DebtorStatus;
  overdue: number;
  outstandingTotal: number;
  daysPastDue: number;
}

/** Every debtor in scope with their status as of `today`, from one aggregate query. */
export async function debtorStandingsInScope(db: Kysely<Database>, scopePath: string | null, today: LocalDate): Promise<DebtorStanding[]> {
  const byBorrower = new Map<number, { statuses: DebtorStatus[]; overdue: number; outstandingTotal: number; oldest: LocalDate | null }>();
  for (const loan of await loanAggregatesInScope(db, scopePath, today)) {
    const entry = byBorrower.get(loan.borrowerId) ?? { statuses: [], overdue: 0, outstandingTotal: 0, oldest: null };
    entry.statuses.push(classifyStatus({ litigation: loan.litigation, hasActiveMeasure: loan.hasActiveMeasure, overdue: loan.overdue }));
    entry.overdue += loan.overdue;
    entry.outstandingTotal += loan.outstandingTotal;
    if (loan.oldestUnpaidDueOn && (!entry.oldest || loan.oldestUnpaidDueOn < entry.oldest)) entry.oldest = loan.oldestUnpaidDueOn;
    byBorrower.set(loan.borrowerId, entry);
  }
  return [...byBorrower.entries()].map(([borrowerId, entry]) => ({
    borrowerId,
    status: worstStatus(entry.statuses),
    overdue: entry.overdue,
    outstandingTotal: entry.outstandingTotal,
    daysPastDue: entry.oldest ? daysBetween(entry.oldest, today) : 0,
  }));
}

export async function summariseOfficerArea(db: Kysely<Database>, officer: OfficerProfile, today: LocalDate): Promise<PortfolioSummary> {
  return summarisePortfolio(await debtorStandingsInScope(db, officer.scopePath, today));
}

export const LOOKUP_LIMIT = 10;

export interface LookupResult {
  matches: DebtOverview[];
  /** True when more than LOOKUP_LIMIT borrowers matched. */
  truncated: boolean;
}

/** Finds debtors by name or contract number inside the officer's area; every debtor shown is audited. */
export async function lookupDebtors(db: Kysely<Database>, officer: OfficerProfile, query: string, today: LocalDate, at: Date): Promise<LookupResult> {
  const found: BorrowerProfile[] = await searchBorrowersInScope(db, officer.scopePath, query.trim(), LOOKUP_LIMIT + 1, officer.role === 'mentor' ? officer.id : undefined);
  const shown = found.slice(0, LOOKUP_LIMIT);
  const matches: DebtOverview[] = [];
  for (const borrower of shown) {
    const overview = await loadDebtOverview(db, borrower.id, today);
    if (overview) matches.push(overview);
    await recordAudit(db, { actor: `officer:${officer.id}`, action: 'borrower.view', subject: `borrower:${borrower.id}`, details: { via: 'chat_lookup' }, at });
  }
  return { matches, truncated: found.length > LOOKUP_LIMIT };
}
