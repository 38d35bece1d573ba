// The borrower's view in the mini-app: their loans and schedules, which measures they can join and why not, a preview
// of what a measure does to the schedule, and their applications. The LINE user always comes from a verified ID
// token (the HTTP edge); nothing here trusts an id a page sent.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { EnrollmentView, LoanView, MeResponse, MeasureInfo, PreviewResponse } from '../contracts/liff.ts';
import { findIdentity } from '../db/repos/line-accounts.repo.ts';
import { listEnrollmentsOfBorrower, listTransitions, openEnrollmentsOfBorrower, type EnrollmentRow } from '../db/repos/enrollments.repo.ts';
import { listDocumentsOf } from '../db/repos/enrollment-documents.repo.ts';
import { findMeasureByCode } from '../db/repos/measures.repo.ts';
import { loansForRestructuring } from '../db/repos/restructuring.repo.ts';
import { DEBTOR_STATUS_LABEL, expectedUnderMeasure, isOverdueOn } from '../domain/debtor-status.ts';
import { evaluateEligibility } from '../domain/eligibility.ts';
import { BORROWER_ENROLLMENT_STATUS_THAI, ENROLLMENT_STATUS_THAI, isOpenStatus, levelOfStatus, REVIEW_LEVEL_THAI } from '../domain/enrollment-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import { installmentTotal } from '../domain/loan-schedule.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { effectChangesSchedule, explainRestructuring } from '../domain/restructuring.ts';
import { formatAreaPath } from '../content/area-names.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { activeMeasures } from './measure-catalogue.ts';
import type { Clock } from './ports.ts';
import { effectOf, eligibilityFactsOf, planRestructuring } from './enrollment-steps.service.ts';

export interface EnrollmentDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  log: Logger;
  /** Asks the dispatcher to send the step's notifications now. */
  dispatchSoon?: () => void;
}

export const NOT_LINKED = 'บัญชี LINE นี้ยังไม่ได้ผูกกับข้อมูลผู้กู้ค่ะ กรุณากรอกรหัสผูกบัญชี 8 หลักที่ได้รับจากเจ้าหน้าที่';
const OFFICER_ACCOUNT = 'บัญชี LINE นี้ผูกกับเจ้าหน้าที่ค่ะ หน้านี้สำหรับผู้กู้ ท่านพิจารณาคำขอได้จากการ์ดในแชต';
export const NOT_YOUR_CONTRACT = 'สัญญานี้ไม่ใช่ของท่าน หรือไม่มีในทะเบียนค่ะ';

/** The borrower a verified LINE user is linked to. */
export async function borrowerOfLineUser(db: Kysely<Database>, lineUserId: string): Promise<number> {
  const identity = await findIdentity(db, lineUserId);
  if (identity.kind === 'borrower') return identity.borrowerId;
  if (identity.kind === 'officer') throw new DomainError('FORBIDDEN', OFFICER_ACCOUNT);
  throw new DomainError('NOT_LINKED', NOT_LINKED);
}

export function field(path: string, message: string): DomainError {
  return new DomainError('VALIDATION', message, [{ path, message }]);
}

export async function listMeasures(db: Kysely<Database>): Promise<MeasureInfo[]> {
  return (await activeMeasures(db)).map((m) => ({
    code: m.code,
    kind: m.kind,
    title: m.title,
    summary: m.summary,
    details: m.details,
    changesSchedule: effectChangesSchedule(effectOf(m.effect)),
  }));
}

export async function loadMe(deps: EnrollmentDeps, lineUserId: string): Promise<MeResponse> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  const today = bangkokDate(deps.clock.now());
  const [overview, measures, openByLoan, terms] = await Promise.all([
    loadDebtOverview(deps.db, borrowerId, today),
    activeMeasures(deps.db),
    openEnrollmentsOfBorrower(deps.db, borrowerId),
    loansForRestructuring(deps.db, borrowerId),
  ]);
  if (!overview) throw new DomainError('NOT_LINKED', NOT_LINKED);
  const restructured = new Set(terms.filter((t) => t.scheduleSource === 'restructured').map((t) => t.id));

  const loans: LoanView[] = overview.loans.map((loan) => {
    const label = DEBTOR_STATUS_LABEL[loan.position.status];
    return {
      contractNo: loan.contractNo,
      status: loan.position.status,
      statusLabel: label.borrowerThai,
      colour: label.hex,
      principal: loan.principal,
      annualInterestBp: loan.annualInterestBp,
      frequency: loan.frequency,
      paidTotal: loan.paidTotal,
      outstandingPrincipal: loan.position.outstandingPrincipal,
      outstandingTotal: loan.position.outstandingTotal,
      overdue: loan.position.overdue,
      daysPastDue: loan.position.daysPastDue,
      nextDue: loan.position.nextDue ? { dueOn: loan.position.nextDue.dueOn, amount: loan.position.nextDue.amount, interestOnly: loan.position.nextDue.interestOnly } : null,
      activeMeasure: loan.activeMeasureCode
        ? {
            code: loan.activeMeasureCode,
            title: loan.activeMeasureTitle ?? loan.activeMeasureCode,
            holdsBack: loan.measure?.effect.type === 'suspend' ? 'everything' : loan.measure?.effect.type === 'pause_principal' ? 'principal' : 'nothing',
            endsOn: loan.measure?.endsOn ?? null,
            suspended: loan.position.suspended,
            paidToPrincipal: loan.position.paidToPrincipalDuringMeasure,
          }
        : null,
      restructured: restructured.has(loan.id),
      installments: loan.installments.map((i) => {
        const amount = installmentTotal(i);
        const { expected, suspended } = expectedUnderMeasure(i, loan.measure);
        const state =
          i.paid >= amount ? 'paid' : expected === 0 && suspended > 0 ? 'suspended' : isOverdueOn(i.dueOn, today) ? 'overdue' : i.paid > 0 ? 'partly_paid' : 'upcoming';
        return { seq: i.seq, dueOn: i.dueOn, amount, paid: i.paid, state };
      }),
      eligibility: measures.map((measure) => ({
        measureCode: measure.code,
        ...evaluateEligibility(measure.eligibility, eligibilityFactsOf(overview, loan, measure.code, openByLoan)),
      })),
    };
  });
  const status = DEBTOR_STATUS_LABEL[overview.status];
  return {
    borrower: {
      fullName: overview.borrower.fullName,
      nationalIdMasked: overview.borrower.nationalIdMasked,
      area: formatAreaPath(overview.borrower.areaPath),
      status: overview.status,
      statusLabel: status.borrowerThai,
      colour: status.hex,
    },
    today,
    loans,
  };
}

export async function ownLoan(deps: EnrollmentDeps, borrowerId: number, contractNo: string) {
  const loans = await loansForRestructuring(deps.db, borrowerId);
  const loan = loans.find((l) => l.contractNo === contractNo);
  if (!loan) throw new DomainError('FORBIDDEN', NOT_YOUR_CONTRACT);
  return loan;
}

export async function activeMeasure(deps: EnrollmentDeps, code: string) {
  const measure = await findMeasureByCode(deps.db, code);
  if (!measure || !measure.active) throw field('measureCode', 'ไม่พบมาตรการนี้ หรือมาตรการปิดรับสมัครแล้วค่ะ');
  return measure;
}

export async function previewMeasure(deps: EnrollmentDeps, lineUserId: string, query: { contractNo: string; measureCode: string }): Promise<PreviewResponse> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  const loan = await ownLoan(deps, borrowerId, query.contractNo);
  const measure = await activeMeasure(deps, query.measureCode);
  const effect = effectOf(measure.effect);
  const plan = await planRestructuring(deps.db, { borrowerId, loanId: loan.id, effect, today: bangkokDate(deps.clock.now()) });
  const chosen = plan.loans[0]!.result;
  const fresh = chosen.schedule.slice(chosen.keptCount);
  return {
    contractNo: loan.contractNo,
    measureCode: measure.code,
    measureTitle: measure.title,
    changesSchedule: plan.changesSchedule,
    contracts: plan.loans.map((l) => l.loan.contractNo),
    before: plan.before,
    after: plan.after,
    pause: plan.pause,
    carriedInterest: plan.carriedInterest,
    explanation: [
      ...explainRestructuring(plan, effect),
      ...(plan.loans.length > 1 ? [`รวม ${plan.loans.length} สัญญา (${plan.loans.map((l) => l.loan.contractNo).join(', ')}) ให้ครบกำหนดวันเดียวกันทุกเดือน`] : []),
    ],
    firstInstallments: plan.changesSchedule
      ? fresh.slice(0, 12).map((i) => ({ dueOn: i.dueOn, principal: i.principal, interest: i.interest, amount: installmentTotal(i) }))
      : [],
  };
}

/**
 * A rejection the officer can still take back is not news yet: the borrower sees the application as it was until
 * the window has passed (she is told then, in chat too).
 */
function asTheBorrowerSeesIt(row: EnrollmentRow, now: Date): EnrollmentRow {
  if (row.status !== 'rejected' || !row.undoUntil || row.undoUntil <= now || !row.undoStatus) return row;
  const level = levelOfStatus(row.undoStatus) ?? null;
  return { ...row, status: row.undoStatus, awaitingLevel: level, deadlineAt: row.undoDeadlineAt, decisionNote: null, decidedAt: null };
}

/** Applications as their pages show them; `borrowerAt`: as the borrower sees them at that moment. */
export async function enrollmentViews(db: Kysely<Database>, stored: EnrollmentRow[], options: { borrowerAt?: Date } = {}): Promise<EnrollmentView[]> {
  const rows = options.borrowerAt ? stored.map((row) => asTheBorrowerSeesIt(row, options.borrowerAt!)) : stored;
  const hidden = new Set(rows.filter((row, i) => row !== stored[i]).map((row) => row.id));
  const ids = rows.map((row) => row.id);
  const [transitions, documents] = await Promise.all([listTransitions(db, ids), listDocumentsOf(db, ids)]);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    statusLabel: (options.borrowerAt ? BORROWER_ENROLLMENT_STATUS_THAI : ENROLLMENT_STATUS_THAI)[row.status],
    contractNo: row.contractNo,
    measureCode: row.measureCode,
    measureTitle: row.measureTitle,
    reasonCode: row.reasonCode,
    reason: row.reason,
    phone: row.phone,
    monthlyIncome: row.monthlyIncome,
    monthlyExpenses: row.monthlyExpenses,
    affordableMonthlyPayment: row.affordablePayment,
    submittedAt: row.submittedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    awaitingLevel: row.awaitingLevel,
    awaitingLevelLabel: row.awaitingLevel ? REVIEW_LEVEL_THAI[row.awaitingLevel] : null,
    deadlineAt: row.deadlineAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    history: (transitions.get(row.id) ?? []).filter((t) => !(hidden.has(row.id) && t.toStatus === 'rejected')).map((t) => ({
      at: t.occurredAt.toISOString(),
      fromStatus: t.fromStatus,
      toStatus: t.toStatus,
      label: (options.borrowerAt ? BORROWER_ENROLLMENT_STATUS_THAI : ENROLLMENT_STATUS_THAI)[t.toStatus],
      note: t.note,
    })),
    documents: (documents.get(row.id) ?? []).map((d) => ({ id: d.id, contentType: d.contentType, byteSize: d.byteSize })),
    ...(row.requestedDocuments ? { requestedDocuments: row.requestedDocuments.map((d) => d.label) } : {}),
    canResubmit: row.status === 'needs_documents',
    canWithdraw: isOpenStatus(row.status),
  }));
}

export async function listMyEnrollments(deps: EnrollmentDeps, lineUserId: string): Promise<EnrollmentView[]> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  return enrollmentViews(deps.db, await listEnrollmentsOfBorrower(deps.db, borrowerId), { borrowerAt: deps.clock.now() });
}

