// The officers' side of an application: decisions (the review card's buttons, decoded in line/), the rejection
// reason asked for in chat (pending in Postgres, so any replica can take the officer's next message), and the
// audited detail view.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { OfficerEnrollmentView } from '../contracts/liff.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { countAwaitingReview, findEnrollmentById } from '../db/repos/enrollments.repo.ts';
import { hasReasonRequest, takeReasonRequest, upsertReasonRequest } from '../db/repos/reason-requests.repo.ts';
import { findIdentity } from '../db/repos/line-accounts.repo.ts';
import { findOfficerById, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { DEBTOR_STATUS_LABEL } from '../domain/debtor-status.ts';
import {
  decideAsOfficer,
  levelOfStatus,
  officerCoversArea,
  REJECTION_REASON_MINUTES,
  REVIEW_LEVELS,
  reviewLevelOfRole,
  type OfficerDecision,
} from '../domain/enrollment-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { formatAreaPath } from '../content/area-names.ts';
import { ENROLLMENT_THAI } from '../content/enrollment-texts.th.ts';
import type { ChatReply } from './chat-answers.ts';
import type { Clock } from './ports.ts';
import { commitEnrollmentStep } from './enrollment-steps.service.ts';
import { notifyEnrollmentStep } from './enrollment-notifications.service.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { enrollmentViews } from './enrollment-view.service.ts';

export interface ReviewDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  /** Asks the dispatcher to send the step's notifications now. */
  dispatchSoon?: () => void;
}

export interface EnrollmentDecisionRequest {
  enrollmentId: number;
  decision: OfficerDecision;
  /** The version the officer's card was made for. */
  version: number;
  note?: string;
}

/** Applications waiting for this officer's decision (the weekly digest counts them). */
export async function countPendingReviewsFor(db: Kysely<Database>, officer: OfficerProfile): Promise<number> {
  const level = reviewLevelOfRole(officer.role);
  return level ? countAwaitingReview(db, level, officer.scopePath) : 0;
}

const say = (text: string): ChatReply => ({ audience: 'officer', answers: [{ kind: 'text', text }] });

async function officerOf(db: Kysely<Database>, lineUserId: string): Promise<OfficerProfile | undefined> {
  const identity = await findIdentity(db, lineUserId);
  return identity.kind === 'officer' ? findOfficerById(db, identity.officerId) : undefined;
}

/** Carries out an officer's decision; the answer is what the bot says back in the chat. */
export async function decideEnrollment(deps: ReviewDeps, lineUserId: string, request: EnrollmentDecisionRequest): Promise<string> {
  const { enrollmentId, decision, version } = request;
  const officer = await officerOf(deps.db, lineUserId);
  if (!officer) return ENROLLMENT_THAI.officersOnly;
  const enrollment = await findEnrollmentById(deps.db, enrollmentId);
  if (!enrollment) return ENROLLMENT_THAI.notFound(enrollmentId);
  if (enrollment.version !== version || !levelOfStatus(enrollment.status)) return ENROLLMENT_THAI.stale(enrollmentId, enrollment.status);
  const level = levelOfStatus(enrollment.status)!;
  if (!officerCoversArea(officer, level, enrollment.areaPath)) return ENROLLMENT_THAI.notAllowed(enrollmentId);

  const now = deps.clock.now();
  if (decision === 'reject' && request.note === undefined) {
    // The reason comes in the officer's next message, possibly to another replica: the question waits in Postgres.
    await upsertReasonRequest(deps.db, {
      lineUserId,
      officerId: officer.id,
      enrollmentId,
      version,
      expiresAt: new Date(now.getTime() + REJECTION_REASON_MINUTES * 60_000),
      at: now,
    });
    return ENROLLMENT_THAI.askRejectionReason(enrollmentId);
  }

  const note = request.note ?? null;
  const committed = await commitEnrollmentStep(deps.db, {
    enrollmentId,
    decide: (state) => decideAsOfficer(state, reviewLevelOfRole(officer.role), decision, now, version),
    actor: `officer:${officer.id}`,
    note,
    at: now,
    withStep: (trx, c) => notifyEnrollmentStep(trx, deps.log, c.enrollment, { ...c.step, version: c.step.state.version, note, plan: c.plan }, now),
  });
  if (!committed.ok) {
    if (committed.refusal === 'not_found') return ENROLLMENT_THAI.notFound(enrollmentId);
    if (committed.refusal === 'not_allowed') return ENROLLMENT_THAI.notAllowed(enrollmentId);
    if (committed.refusal === 'ineligible') return ENROLLMENT_THAI.noLongerEligible(enrollmentId, committed.reason);
    return ENROLLMENT_THAI.stale(enrollmentId, committed.status ?? enrollment.status);
  }
  deps.dispatchSoon?.();
  const { step } = committed;
  switch (step.to) {
    case 'province_review':
      return ENROLLMENT_THAI.forwarded(enrollmentId, 'province');
    case 'department_review':
      return ENROLLMENT_THAI.forwarded(enrollmentId, 'department');
    case 'needs_documents':
      return ENROLLMENT_THAI.documentsRequested(enrollmentId);
    case 'approved':
      return ENROLLMENT_THAI.approved(enrollmentId, enrollment.contractNo);
    case 'rejected':
      return ENROLLMENT_THAI.rejected(enrollmentId, note ?? '');
    default:
      return ENROLLMENT_THAI.stale(enrollmentId, step.to);
  }
}

/** A tap on a review card's decision button (the caller decoded it); undefined user = not a 1:1 chat. */
export async function answerEnrollmentDecision(deps: ReviewDeps, lineUserId: string | undefined, request: EnrollmentDecisionRequest): Promise<ChatReply> {
  if (!lineUserId) return say(ENROLLMENT_THAI.officersOnly);
  return say(await decideEnrollment(deps, lineUserId, request));
}

const CANCEL_WORDS = new Set(['ยกเลิก', 'cancel']);

/**
 * The officer's next text after ไม่อนุมัติ is the reason. Undefined when no question is pending: the conversation
 * answers as usual.
 */
export async function answerPendingRejectionReason(deps: ReviewDeps, lineUserId: string, text: string): Promise<ChatReply | undefined> {
  // One primary-key lookup per officer message; the transaction only when a question is pending.
  if (!(await hasReasonRequest(deps.db, lineUserId))) return undefined;
  const now = deps.clock.now();
  const reason = text.trim().replace(/\s+/g, ' ');
  const taken = await deps.db.transaction().execute(async (trx) => {
    const pending = await takeReasonRequest(trx, lineUserId);
    if (!pending || pending.expiresAt <= now) return { kind: 'none' as const };
    if (CANCEL_WORDS.has(reason.toLowerCase())) return { kind: 'cancelled' as const, enrollmentId: pending.enrollmentId };
    if (reason.length < 2) {
      // Keep waiting for a real reason.
      await upsertReasonRequest(trx, { ...pending, at: now });
      return { kind: 'too_short' as const };
    }
    return { kind: 'reason' as const, pending };
  });
  switch (taken.kind) {
    case 'none':
      return undefined;
    case 'cancelled':
      return say(ENROLLMENT_THAI.rejectionCancelled(taken.enrollmentId));
    case 'too_short':
      return say(ENROLLMENT_THAI.rejectionReasonTooShort);
    case 'reason':
      return say(
        await decideEnrollment(deps, lineUserId, {
          enrollmentId: taken.pending.enrollmentId,
          decision: 'reject',
          version: taken.pending.version,
          note: reason.slice(0, 500),
        }),
      );
  }
}

/** An application as an officer on its review path sees it (from the card's link); every view is audited. */
export async function viewEnrollmentAsOfficer(deps: ReviewDeps, lineUserId: string, enrollmentId: number): Promise<OfficerEnrollmentView> {
  const officer = await officerOf(deps.db, lineUserId);
  if (!officer) throw new DomainError('FORBIDDEN', 'หน้านี้สำหรับเจ้าหน้าที่ที่ผูกบัญชีแล้วเท่านั้นค่ะ');
  const enrollment = await findEnrollmentById(deps.db, enrollmentId);
  if (!enrollment || !REVIEW_LEVELS.some((level) => officerCoversArea(officer, level, enrollment.areaPath))) {
    throw new DomainError('NOT_FOUND', 'ไม่พบคำขอนี้ในพื้นที่ที่ท่านรับผิดชอบค่ะ');
  }
  const now = deps.clock.now();
  await recordAudit(deps.db, { actor: `officer:${officer.id}`, action: 'enrollment.view', subject: `enrollment:${enrollment.id}`, details: { via: 'liff' }, at: now });
  const [view] = await enrollmentViews(deps.db, [enrollment]);
  const overview = await loadDebtOverview(deps.db, enrollment.borrowerId, bangkokDate(now));
  const loan = overview?.loans.find((l) => l.id === enrollment.loanId);
  const status = loan?.position.status ?? 'normal';
  return {
    ...view!,
    borrower: { fullName: enrollment.borrowerName, nationalIdMasked: enrollment.nationalIdMasked, area: formatAreaPath(enrollment.areaPath) },
    loan: {
      status,
      statusLabel: DEBTOR_STATUS_LABEL[status].thai,
      outstandingTotal: loan?.position.outstandingTotal ?? 0,
      overdue: loan?.position.overdue ?? 0,
      daysPastDue: loan?.position.daysPastDue ?? 0,
    },
  };
}

/** The officers' side of applications, as the edges call it. */
export function createReviewService(deps: ReviewDeps) {
  return {
    answerDecision: (lineUserId: string | undefined, request: EnrollmentDecisionRequest) => answerEnrollmentDecision(deps, lineUserId, request),
    viewAsOfficer: (lineUserId: string, enrollmentId: number) => viewEnrollmentAsOfficer(deps, lineUserId, enrollmentId),
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
