// Moving an application from one status to the next, in one transaction with its audit trail — and, on approval,
// the measure's effect on the loan: the restructured schedule and the loan_measures row. Shared by the borrower's
// and the officers' use-cases; a step's notifications are enqueued in its transaction (`withStep`).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { loadInstallments, loansOfBorrower } from '../db/repos/loans.repo.ts';
import {
  findEnrollmentById,
  insertTransition,
  lockEnrollmentState,
  updateEnrollmentState,
  type EnrollmentRow,
  type EnrollmentStateRow,
  type OpenEnrollment,
} from '../db/repos/enrollments.repo.ts';
import { attachDocuments } from '../db/repos/enrollment-documents.repo.ts';
import { findMeasureByCode } from '../db/repos/measures.repo.ts';
import { lockScheduleWrites } from '../db/repos/locks.repo.ts';
import { insertLoanMeasure, loansForRestructuring, replaceScheduleWithRestructured, type LoanForRestructuring } from '../db/repos/restructuring.repo.ts';
import { DomainError } from '../domain/errors.ts';
import { isStepRefusal, REJECTION_UNDO_MINUTES, type EnrollmentStep, type StepRefusal } from '../domain/enrollment-workflow.ts';
import type { RequestedDocument } from '../domain/decision-draft.ts';
import { bangkokDate, type LocalDate } from '../domain/local-date.ts';
import {
  combineFigures,
  parseMeasureEffect,
  restructureSchedule,
  type MeasureEffect,
  type RestructuringResult,
  type ScheduleFigures,
} from '../domain/restructuring.ts';
import { installmentTotal } from '../domain/loan-schedule.ts';
import { evaluateEligibility, type EligibilityFacts } from '../domain/eligibility.ts';
import { loadDebtOverview, type DebtOverview, type LoanOverview } from './debt-overview.service.ts';

// ---------- the restructuring plan (preview and approval) ----------

export interface RestructuringPlan {
  effect: MeasureEffect;
  /** The loans the measure changes: the chosen one first (consolidation adds the borrower's other open loans). */
  loans: Array<{ loan: LoanForRestructuring; result: RestructuringResult }>;
  changesSchedule: boolean;
  before: ScheduleFigures;
  after: ScheduleFigures;
  pause: RestructuringResult['pause'];
  carriedInterest: number;
}

/** A measure's effect, or "changes nothing" for a shape this code does not know (shown and applied as such). */
export function effectOf(json: unknown): MeasureEffect {
  return parseMeasureEffect(json) ?? { type: 'none' };
}

/**
 * What the measure would do to the borrower's schedule as of `today`. With `forUpdate`, the loans are locked
 * (the approval's transaction).
 */
export async function planRestructuring(
  db: Kysely<Database>,
  args: { borrowerId: number; loanId: number; effect: MeasureEffect; today: LocalDate; forUpdate?: boolean },
): Promise<RestructuringPlan> {
  const { borrowerId, loanId, effect, today } = args;
  const allLoans = await loansForRestructuring(db, borrowerId, args.forUpdate ?? false);
  const chosen = allLoans.find((loan) => loan.id === loanId);
  if (!chosen) throw new DomainError('FORBIDDEN', 'สัญญานี้ไม่ใช่ของท่านค่ะ');
  let partners: LoanForRestructuring[] = [];
  if (effect.type === 'consolidate') {
    const active = new Set((await loansOfBorrower(db, borrowerId, today)).filter((l) => l.activeMeasureCode !== null).map((l) => l.id));
    partners = allLoans.filter((loan) => loan.id !== chosen.id && !loan.litigation && !active.has(loan.id));
  }
  const installments = await loadInstallments(db, [chosen.id, ...partners.map((loan) => loan.id)]);
  const first = restructureSchedule({ loan: chosen, installments: installments.get(chosen.id) ?? [], today, effect });
  const loans = [{ loan: chosen, result: first }];
  for (const loan of partners) {
    const schedule = installments.get(loan.id) ?? [];
    if (!schedule.some((i) => i.paid < installmentTotal(i))) continue;
    loans.push({ loan, result: restructureSchedule({ loan, installments: schedule, today, effect, firstNewDueOn: first.after.firstDueOn ?? undefined }) });
  }
  return {
    effect,
    loans,
    changesSchedule: loans.some((l) => l.result.changesSchedule),
    before: loans.length === 1 ? first.before : combineFigures(loans.map((l) => l.result.before)),
    after: loans.length === 1 ? first.after : combineFigures(loans.map((l) => l.result.after)),
    pause: first.pause,
    carriedInterest: loans.reduce((sum, l) => sum + l.result.carriedInterest, 0),
  };
}

/** What the eligibility rules look at for one of the borrower's loans (the apply page, submission, approval). */
export function eligibilityFactsOf(
  overview: DebtOverview,
  loan: LoanOverview,
  measureCode: string,
  openByLoan: ReadonlyMap<number, readonly OpenEnrollment[]>,
): EligibilityFacts {
  const open = openByLoan.get(loan.id) ?? [];
  const application = open.find((e) => e.measureCode === measureCode) ?? open[0];
  return {
    loanStatus: loan.position.status,
    outstandingTotal: loan.position.outstandingTotal,
    daysPastDue: loan.position.daysPastDue,
    activeMeasureTitle: loan.activeMeasureTitle,
    openLoanCount: overview.loans.filter((l) => l.position.outstandingTotal > 0).length,
    openApplication: application ? { id: application.id, measureTitle: application.measureTitle, sameMeasure: application.measureCode === measureCode } : null,
  };
}

/** The approval's effect on the loan(s), inside the approval's transaction. */
async function applyApproval(
  trx: Transaction<Database>,
  enrollment: EnrollmentRow,
  actor: string,
  now: Date,
  statusBefore: EnrollmentRow['status'],
): Promise<RestructuringPlan> {
  const today = bangkokDate(now);
  // A registry import rewrites schedules: the approval waits for one that is running, and the import for it.
  await lockScheduleWrites(trx);
  const measure = await findMeasureByCode(trx, enrollment.measureCode);
  // What was true when the borrower applied may not be now (another measure approved meanwhile, a lawsuit).
  const overview = await loadDebtOverview(trx, enrollment.borrowerId, today);
  const position = overview?.loans.find((loan) => loan.id === enrollment.loanId);
  if (!overview || !position) throw new ApprovalNoLongerEligible('ไม่พบสัญญานี้แล้ว', statusBefore);
  // Its own application is the one being approved: not counted against it.
  const verdict = evaluateEligibility(measure?.eligibility ?? {}, eligibilityFactsOf(overview, position, enrollment.measureCode, new Map()));
  if (!verdict.eligible) throw new ApprovalNoLongerEligible(verdict.reasons[0]!, statusBefore);
  const plan = await planRestructuring(trx, {
    borrowerId: enrollment.borrowerId,
    loanId: enrollment.loanId,
    effect: effectOf(measure?.effect),
    today,
    forUpdate: true,
  });
  for (const { loan, result } of plan.loans) {
    if (result.changesSchedule) await replaceScheduleWithRestructured(trx, loan.id, result.schedule, now);
    const before = overview.loans.find((l) => l.id === loan.id);
    await insertLoanMeasure(trx, {
      loanId: loan.id,
      measureCode: enrollment.measureCode,
      startsOn: today,
      endsOn: result.measureEndsOn,
      enrollmentId: enrollment.id,
      at: now,
      paidTotalAtStart: before?.paidTotal ?? 0,
      principalOutstandingAtStart: before?.position.outstandingPrincipal ?? loan.principal,
    });
    await recordAudit(trx, {
      actor,
      action: 'loan.measure_applied',
      subject: `loan:${loan.id}`,
      details: {
        enrollmentId: enrollment.id,
        measureCode: enrollment.measureCode,
        restructured: result.changesSchedule,
        startsOn: today,
        endsOn: result.measureEndsOn,
        before: result.before,
        after: result.after,
      },
      at: now,
    });
  }
  return plan;
}

// ---------- a transition ----------

export type CommittedStep =
  | { ok: true; step: EnrollmentStep; enrollment: EnrollmentRow; note: string | null; plan: RestructuringPlan | null }
  | { ok: false; refusal: StepRefusal | 'not_found'; status: EnrollmentRow['status'] | null }
  | { ok: false; refusal: 'ineligible'; status: EnrollmentRow['status']; reason: string };

/** Thrown inside the approval's transaction to undo the step: the measure no longer fits the loan. */
class ApprovalNoLongerEligible extends Error {
  constructor(readonly reason: string, readonly status: EnrollmentRow['status']) {
    super(reason);
  }
}

export interface StepRequest {
  enrollmentId: number;
  /** Decides the step from the locked current state (a domain function). */
  decide: (state: EnrollmentStateRow) => EnrollmentStep | StepRefusal;
  /** ขอเอกสารเพิ่ม: what the borrower is asked to send. */
  requestedDocuments?: RequestedDocument[];
  /** Taking back a rejection: the level's deadline is the one it had before. */
  restoresDeadline?: boolean;
  /** 'officer:3', 'borrower:7' … */
  actor: string;
  note: string | null;
  at: Date;
  /** Documents the borrower sends with the step (resubmission): attached in the same transaction. */
  attach?: { documentIds: readonly string[]; ownerLineUserId: string };
  /** Work that must commit with the step, e.g. enqueueing its notifications (given the transaction). */
  withStep?: (trx: Transaction<Database>, committed: Extract<CommittedStep, { ok: true }>) => Promise<void>;
}

export async function commitEnrollmentStep(db: Kysely<Database>, request: StepRequest): Promise<CommittedStep> {
  try {
    return await db.transaction().execute((trx) => stepInTransaction(trx, request));
  } catch (error) {
    if (error instanceof ApprovalNoLongerEligible) return { ok: false, refusal: 'ineligible', status: error.status, reason: error.reason };
    throw error;
  }
}

async function stepInTransaction(trx: Transaction<Database>, request: StepRequest): Promise<CommittedStep> {
  const { enrollmentId, actor, note, at } = request;
  const state = await lockEnrollmentState(trx, enrollmentId);
  if (!state) return { ok: false as const, refusal: 'not_found' as const, status: null };
  const step = request.decide(state);
  if (isStepRefusal(step)) return { ok: false as const, refusal: step, status: state.status };
  const deadlineAt = request.restoresDeadline ? (state.undoDeadlineAt ?? step.deadlineAt) : step.deadlineAt;
  const moved = await updateEnrollmentState(trx, enrollmentId, state.version, {
    ...step.state,
    deadlineAt,
    at,
    decided: step.decided,
    ...(step.decided || step.to === 'needs_documents' || request.restoresDeadline ? { decisionNote: step.decided || step.to === 'needs_documents' ? note : null } : {}),
    ...(request.requestedDocuments ? { requestedDocuments: request.requestedDocuments } : {}),
    // A rejection can be taken back for a short while: remember where it came from.
    undo: step.to === 'rejected' ? { until: new Date(at.getTime() + REJECTION_UNDO_MINUTES * 60_000), status: step.from, deadlineAt: state.deadlineAt } : null,
  });
  if (!moved) return { ok: false as const, refusal: 'stale' as const, status: state.status };
  if (request.attach && request.attach.documentIds.length > 0) {
    const attached = await attachDocuments(trx, request.attach.documentIds, request.attach.ownerLineUserId, enrollmentId, at);
    if (attached !== request.attach.documentIds.length) {
      throw new DomainError('VALIDATION', 'ไฟล์เอกสารบางไฟล์ใช้ไม่ได้ค่ะ กรุณาแนบใหม่อีกครั้ง', [{ path: 'documentIds', message: 'ไฟล์เอกสารบางไฟล์ใช้ไม่ได้ค่ะ กรุณาแนบใหม่อีกครั้ง' }]);
    }
  }
  await insertTransition(trx, { enrollmentId, occurredAt: at, actor, fromStatus: step.from, toStatus: step.to, note });
  await recordAudit(trx, {
    actor,
    // Her own steps are named as hers in her data copy ("ท่านเอง · ส่งเอกสารเพิ่มเติม", not "พิจารณาคำขอ").
    action: step.from === 'needs_documents' ? 'enrollment.resubmit' : step.to === 'withdrawn' ? 'enrollment.withdraw' : 'enrollment.transition',
    subject: `enrollment:${enrollmentId}`,
    details: { from: step.from, to: step.to, note, version: step.state.version },
    at,
  });
  const enrollment = (await findEnrollmentById(trx, enrollmentId))!;
  const plan = step.to === 'approved' ? await applyApproval(trx, enrollment, actor, at, state.status) : null;
  const committed = { ok: true as const, step, enrollment, note, plan };
  await request.withStep?.(trx, committed);
  return committed;
}
