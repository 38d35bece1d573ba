// Who is asking, on the officers' pages: the verified LINE user must be linked to an active officer or mentor.
// Everything after that is scoped to what that person may see (db/repos/debtor-scope.repo.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findIdentity } from '../db/repos/line-accounts.repo.ts';
import { findOfficerById, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { findBorrowerForViewer, findLoanForViewer, type Viewer, type VisibleBorrower } from '../db/repos/debtor-scope.repo.ts';
import { DomainError } from '../domain/errors.ts';
import { WORKSPACE_THAI } from '../content/officer-workspace.th.ts';

export interface OfficerCaller extends OfficerProfile {
  viewer: Viewer;
}

export function viewerOf(officer: OfficerProfile): Viewer {
  return { officerId: officer.id, role: officer.role, scopePath: officer.scopePath };
}

/** The officer behind a verified LINE user; 403 NOT_OFFICER for a borrower or an unlinked user. */
export async function officerOfLineUser(db: Kysely<Database>, lineUserId: string): Promise<OfficerCaller> {
  const identity = await findIdentity(db, lineUserId);
  const officer = identity.kind === 'officer' ? await findOfficerById(db, identity.officerId) : undefined;
  if (!officer) throw new DomainError('NOT_OFFICER', WORKSPACE_THAI.notOfficer);
  return { ...officer, viewer: viewerOf(officer) };
}

/** A borrower the caller may see: 403 outside their area (or not assigned to a mentor), 404 when there is none. */
export async function visibleBorrower(db: Kysely<Database>, caller: OfficerCaller, borrowerId: number): Promise<VisibleBorrower> {
  const { borrower, exists } = await findBorrowerForViewer(db, caller.viewer, borrowerId);
  if (borrower) return borrower;
  throw exists ? new DomainError('FORBIDDEN', WORKSPACE_THAI.debtorOutsideArea) : new DomainError('NOT_FOUND', WORKSPACE_THAI.debtorNotFound);
}

/** A loan the caller may see, by contract number: 403 outside their area, 404 when there is none. */
export async function visibleLoan(db: Kysely<Database>, caller: OfficerCaller, contractNo: string): Promise<{ id: number; borrowerId: number; contractNo: string }> {
  const { loan, exists } = await findLoanForViewer(db, caller.viewer, contractNo);
  if (loan) return loan;
  throw exists ? new DomainError('FORBIDDEN', WORKSPACE_THAI.contractOutsideArea) : new DomainError('NOT_FOUND', WORKSPACE_THAI.contractNotFound(contractNo));
}

export function isMentorCaller(caller: OfficerCaller): boolean {
  return caller.role === 'mentor';
}

export function field(path: string, message: string): DomainError {
  return new DomainError('VALIDATION', message, [{ path, message }]);
}

/** Whether an officer may see a borrower: their area, or for a mentor the debtors assigned to them (chat, cards). */
export async function officerMaySeeBorrower(db: Kysely<Database>, officer: OfficerProfile, borrowerId: number): Promise<boolean> {
  return (await findBorrowerForViewer(db, viewerOf(officer), borrowerId)).borrower !== undefined;
}
