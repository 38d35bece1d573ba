// The officers' side of an application: decisions from the review card's buttons (decoded in line/); a rejection
// or a request for documents drafted in chat and confirmed before anything changes (the draft waits in Postgres,
// so any replica can take the officer's next message); a rejection taken back within minutes, before the borrower
// hears of it; and the audited detail view.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { OfficerEnrollmentView } from '../contracts/liff.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { cancelPendingByKeyPrefix, holidaysBetween } from '../db/repos/outbox.repo.ts';
import { findEnrollmentById, listEnrollmentsAwaiting, type EnrollmentRow } from '../db/repos/enrollments.repo.ts';
import { deleteDraft, findDraft, lockDraft, saveDraft, type StoredDraft } from '../db/repos/decision-drafts.repo.ts';
import { findIdentity } from '../db/repos/line-accounts.repo.ts';
import { findOfficerById, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { DEBTOR_STATUS_LABEL } from '../domain/debtor-status.ts';
import { isWithinContactHours, nextContactTime } from '../domain/contact-policy.ts';
import {
  acceptTypedText,
  askToType,
  isComplete,
  OTHER_DOCUMENT,
  pickReason,
  startDraft,
  toggleDocument,
  type DecisionDraft,
} from '../domain/decision-draft.ts';
import {
  decideAsOfficer,
  levelOfStatus,
  officerCoversArea,
  REJECTION_REASON_MINUTES,
  REVIEW_LEVEL_THAI,
  REVIEW_LEVELS,
  reviewLevelOfRole,
  undoRejection,
  type OfficerDecision,
  type ReviewLevel,
} from '../domain/enrollment-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import { addDays, bangkokDate } from '../domain/local-date.ts';
import { formatAreaPath } from '../content/area-names.ts';
import { borrowerToldText, ENROLLMENT_THAI } from '../content/enrollment-texts.th.ts';
import { loadDecisionChoices } from '../content/enrollment-decisions.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import type { ChatReply, DecisionChoice, PendingReviewItem, QuickChoice } from './chat-answers.ts';
import type { Clock } from './ports.ts';
import { commitEnrollmentStep } from './enrollment-steps.service.ts';
import { actingReviewersFor, mayDecideAt, notifyEnrollmentStep } from './enrollment-notifications.service.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { enrollmentViews } from './enrollment-view.service.ts';

export interface ReviewDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  /** The contact hours: when an officer's decision can reach the borrower. */
  policy: ReminderPolicy;
  /** Asks the dispatcher to send the step's notifications now. */
  dispatchSoon?: () => void;
}

export interface EnrollmentDecisionRequest {
  enrollmentId: number;
  decision: OfficerDecision;
  /** The version the officer's card was made for. */
  version: number;
}

const say = (text: string, choices?: QuickChoice[]): ChatReply => ({ audience: 'officer', answers: [{ kind: 'text', text }], ...(choices ? { choices } : {}) });

async function officerOf(db: Kysely<Database>, lineUserId: string): Promise<OfficerProfile | undefined> {
  const identity = await findIdentity(db, lineUserId);
  return identity.kind === 'officer' ? findOfficerById(db, identity.officerId) : undefined;
}

/** Applications waiting for this officer's decision, at their own level or in place of a level without officers. */
export async function pendingReviewsFor(db: Kysely<Database>, officer: OfficerProfile): Promise<PendingReviewItem[]> {
  const level = reviewLevelOfRole(officer.role);
  if (!level) return [];
  // Their own level, and the levels below theirs they may be standing in for.
  const levels = REVIEW_LEVELS.slice(0, REVIEW_LEVELS.indexOf(level) + 1);
  const items: PendingReviewItem[] = [];
  for (const row of await listEnrollmentsAwaiting(db, levels, officer.scopePath)) {
    const waitingAt = row.awaitingLevel!;
    if (waitingAt !== level && !(await mayDecideAt(db, officer, waitingAt, row.areaPath))) continue;
    items.push({
      enrollmentId: row.id,
      borrowerName: row.borrowerName,
      contractNo: row.contractNo,
      measureTitle: row.measureTitle,
      deadlineAt: row.deadlineAt!,
      delegatedFrom: waitingAt !== level ? REVIEW_LEVEL_THAI[waitingAt] : null,
    });
  }
  return items;
}

/** Applications waiting for this officer's decision (the weekly digest counts them). */
export async function countPendingReviewsFor(db: Kysely<Database>, officer: OfficerProfile): Promise<number> {
  return (await pendingReviewsFor(db, officer)).length;
}

/** When a message enqueued now (or not before `notBefore`) reaches the borrower: inside her contact hours. */
async function whenBorrowerIsTold(deps: ReviewDeps, notBefore: Date): Promise<Date> {
  const day = bangkokDate(notBefore);
  const holidays = await holidaysBetween(deps.db, addDays(day, -1), addDays(day, 7));
  return isWithinContactHours(notBefore, deps.policy.contactHours, holidays) ? notBefore : nextContactTime(notBefore, deps.policy.contactHours, holidays);
}

type Checked = { ok: true; officer: OfficerProfile; enrollment: EnrollmentRow; level: ReviewLevel } | { ok: false; answer: string };

/** Is this officer able to decide this application now, on a card made for `version`? */
async function checkDecider(deps: ReviewDeps, lineUserId: string, enrollmentId: number, version: number): Promise<Checked> {
  const officer = await officerOf(deps.db, lineUserId);
  if (!officer) return { ok: false, answer: ENROLLMENT_THAI.officersOnly };
  const enrollment = await findEnrollmentById(deps.db, enrollmentId);
  if (!enrollment) return { ok: false, answer: ENROLLMENT_THAI.notFound(enrollmentId) };
  const level = levelOfStatus(enrollment.status);
  if (enrollment.version !== version || !level) return { ok: false, answer: ENROLLMENT_THAI.stale(enrollmentId, enrollment.status) };
  if (!(await mayDecideAt(deps.db, officer, level, enrollment.areaPath))) return { ok: false, answer: ENROLLMENT_THAI.notAllowed(enrollmentId) };
  return { ok: true, officer, enrollment, level };
}

/** Commits a decision (the officer's confirmation done); the answer is what the bot says back in the chat. */
async function commitDecision(
  deps: ReviewDeps,
  checked: Extract<Checked, { ok: true }>,
  decision: OfficerDecision,
  version: number,
  draft?: { note: string | null; documents: Array<{ code: string; label: string }> },
): Promise<ChatReply> {
  const { officer, enrollment, level } = checked;
  const enrollmentId = enrollment.id;
  const now = deps.clock.now();
  const note = decision === 'request_documents' ? (draft?.documents.map((d) => d.label).join(', ') ?? null) : (draft?.note ?? null);
  let tellAt = now;
  const committed = await commitEnrollmentStep(deps.db, {
    enrollmentId,
    // In place of a level without officers, the officer decides as that level.
    decide: (state) => decideAsOfficer(state, level, decision, now, version),
    actor: `officer:${officer.id}`,
    note,
    at: now,
    ...(decision === 'request_documents' && draft ? { requestedDocuments: draft.documents } : {}),
    withStep: async (trx, c) => {
      // A rejection is told only once its undo window has passed.
      const notBefore = c.step.to === 'rejected' ? (await findEnrollmentById(trx, enrollmentId))!.undoUntil! : now;
      await notifyEnrollmentStep(
        trx,
        deps.log,
        c.enrollment,
        {
          ...c.step,
          version: c.step.state.version,
          note,
          plan: c.plan,
          by: { type: 'officer', officerId: officer.id },
          notBefore,
          ...(decision === 'request_documents' && draft ? { requestedDocuments: draft.documents.map((d) => d.label) } : {}),
        },
        now,
      );
      tellAt = notBefore;
    },
  });
  if (!committed.ok) {
    if (committed.refusal === 'not_found') return say(ENROLLMENT_THAI.notFound(enrollmentId));
    if (committed.refusal === 'not_allowed') return say(ENROLLMENT_THAI.notAllowed(enrollmentId));
    if (committed.refusal === 'ineligible') return say(ENROLLMENT_THAI.noLongerEligible(enrollmentId, committed.reason));
    return say(ENROLLMENT_THAI.stale(enrollmentId, committed.status ?? enrollment.status));
  }
  deps.dispatchSoon?.();
  const told = await whenBorrowerIsTold(deps, tellAt);
  const { step } = committed;
  switch (step.to) {
    case 'province_review':
      // Standing in for a district, she forwards it to her own office: its card comes to her next, not "to the province".
      if (reviewLevelOfRole(officer.role) === 'province') return say(ENROLLMENT_THAI.forwardedToOwnLevel(enrollmentId, step.deadlineAt, borrowerToldText(told, now)));
      return say(ENROLLMENT_THAI.forwarded(enrollmentId, 'province', step.deadlineAt, borrowerToldText(told, now)));
    case 'department_review':
      return say(ENROLLMENT_THAI.forwarded(enrollmentId, 'department', step.deadlineAt, borrowerToldText(told, now)));
    case 'needs_documents':
      return say(ENROLLMENT_THAI.documentsRequested(enrollmentId, draft?.documents.map((d) => d.label) ?? [], told, now));
    case 'approved':
      return say(ENROLLMENT_THAI.approved(enrollmentId, enrollment.contractNo, borrowerToldText(told, now)));
    case 'rejected':
      return say(ENROLLMENT_THAI.rejected(enrollmentId, note ?? '', told, now), [
        { label: 'ยกเลิกการไม่อนุมัติ', choice: { kind: 'undo', enrollmentId, version: step.state.version } },
      ]);
    default:
      return say(ENROLLMENT_THAI.stale(enrollmentId, step.to));
  }
}

// ---------- drafts: the questions a rejection or a request for documents asks ----------

function draftPrompt(draft: DecisionDraft, enrollment: Pick<EnrollmentRow, 'id' | 'borrowerName' | 'contractNo'>): ChatReply {
  const choices = loadDecisionChoices();
  const { enrollmentId, version } = draft;
  const cancel: QuickChoice = { label: 'ยกเลิก', choice: { kind: 'cancel', enrollmentId, version } };
  if (draft.decision === 'reject') {
    if (draft.stage === 'free_text') return say(ENROLLMENT_THAI.typeReason(enrollmentId), [cancel]);
    if (draft.stage === 'confirm' && draft.note) {
      return say(ENROLLMENT_THAI.confirmReason(enrollmentId, draft.note), [
        { label: 'ยืนยันไม่อนุมัติ', choice: { kind: 'confirm', enrollmentId, version } },
        { label: 'แก้เหตุผล', choice: { kind: 'free_text', enrollmentId, version } },
        cancel,
      ]);
    }
    return say(ENROLLMENT_THAI.chooseReason(enrollmentId, enrollment.borrowerName, enrollment.contractNo), [
      ...choices.rejectionReasons.map((reason, index) => ({ label: reason.short, choice: { kind: 'reason' as const, enrollmentId, version, index } })),
      { label: 'พิมพ์เหตุผลเอง', choice: { kind: 'free_text', enrollmentId, version } },
      cancel,
    ]);
  }
  if (draft.stage === 'free_text') return say(ENROLLMENT_THAI.typeOtherDocument, [cancel]);
  const chosen = new Set(draft.documents.map((d) => d.code));
  return say(ENROLLMENT_THAI.chooseDocuments(enrollmentId, enrollment.borrowerName, enrollment.contractNo, draft.documents.map((d) => d.label)), [
    ...choices.documents.map((document) => ({
      label: chosen.has(document.code) ? `✓ ${document.short}`.slice(0, 20) : document.short,
      choice: { kind: 'document' as const, enrollmentId, version, code: document.code },
    })),
    ...(draft.documents.length > 0 ? [{ label: 'ส่งคำขอเอกสาร', choice: { kind: 'confirm' as const, enrollmentId, version } }] : []),
    cancel,
  ]);
}

async function startDecisionDraft(deps: ReviewDeps, lineUserId: string, checked: Extract<Checked, { ok: true }>, decision: 'reject' | 'request_documents', version: number): Promise<ChatReply> {
  const now = deps.clock.now();
  const draft = startDraft(checked.enrollment.id, version, decision);
  await saveDraft(deps.db, { ...draft, lineUserId, officerId: checked.officer.id, expiresAt: new Date(now.getTime() + REJECTION_REASON_MINUTES * 60_000) }, now);
  return draftPrompt(draft, checked.enrollment);
}

/** A tap on a review card's decision button (the caller decoded it); undefined user = not a 1:1 chat. */
export async function answerEnrollmentDecision(deps: ReviewDeps, lineUserId: string | undefined, request: EnrollmentDecisionRequest): Promise<ChatReply> {
  if (!lineUserId) return say(ENROLLMENT_THAI.officersOnly);
  const checked = await checkDecider(deps, lineUserId, request.enrollmentId, request.version);
  if (!checked.ok) return say(checked.answer);
  // Irreversible for the borrower, or needing a list: drafted and confirmed first.
  if (request.decision === 'reject' || request.decision === 'request_documents') return startDecisionDraft(deps, lineUserId, checked, request.decision, request.version);
  // อนุมัติ replaces her schedule and tells her at once, and cannot be taken back: asked once more, with what it
  // approves. The question needs no draft: its buttons carry the version, so an answer to an old question is stale.
  if (request.decision === 'approve') {
    const { enrollment } = checked;
    return say(ENROLLMENT_THAI.confirmApprove(enrollment.id, enrollment.borrowerName, enrollment.contractNo, enrollment.measureTitle), [
      { label: 'ยืนยันอนุมัติ', choice: { kind: 'approve', enrollmentId: enrollment.id, version: request.version } },
      { label: 'ยังไม่อนุมัติ', choice: { kind: 'hold', enrollmentId: enrollment.id, version: request.version } },
    ]);
  }
  return commitDecision(deps, checked, request.decision, request.version);
}

/** The officer's draft, if one is waiting (one primary-key lookup per officer message). */
export async function pendingDraftOf(deps: ReviewDeps, lineUserId: string): Promise<StoredDraft | undefined> {
  const draft = await findDraft(deps.db, lineUserId);
  return draft && draft.expiresAt > deps.clock.now() ? draft : undefined;
}

/** Reminds the officer a decision waits, with its buttons (to go under an answer about something else). */
export async function draftReminder(deps: ReviewDeps, draft: StoredDraft): Promise<ChatReply> {
  const enrollment = await findEnrollmentById(deps.db, draft.enrollmentId);
  const prompt = draftPrompt(draft, enrollment ?? { id: draft.enrollmentId, borrowerName: '', contractNo: '' });
  return say(ENROLLMENT_THAI.draftWaiting(draft.enrollmentId, draft.decision), prompt.choices);
}

/**
 * Runs one change to the officer's draft in a transaction: the draft is locked, so two taps arriving together are
 * taken one after the other. `change` returns the next draft (saved), 'done' (deleted), or an answer as is.
 */
async function withDraft(
  deps: ReviewDeps,
  lineUserId: string,
  expect: { enrollmentId: number; version: number } | undefined,
  change: (draft: StoredDraft) => Promise<DecisionDraft | { done: true } | { answer: ChatReply }>,
): Promise<ChatReply> {
  const now = deps.clock.now();
  type Outcome = { answer: ChatReply } | { done: StoredDraft } | { next: StoredDraft };
  const outcome: Outcome = await deps.db.transaction().execute(async (trx): Promise<Outcome> => {
    const draft = await lockDraft(trx, lineUserId);
    if (!draft || draft.expiresAt <= now) return { answer: say(ENROLLMENT_THAI.draftExpired) };
    // A button from an earlier draft (another application, or before a new tap) changes nothing.
    if (expect && (draft.enrollmentId !== expect.enrollmentId || draft.version !== expect.version)) return { answer: say(ENROLLMENT_THAI.draftExpired) };
    const next = await change(draft);
    if ('answer' in next) return next;
    if ('done' in next) {
      await deleteDraft(trx, lineUserId);
      return { done: draft };
    }
    await saveDraft(trx, { ...draft, ...next }, now);
    return { next: { ...draft, ...next } };
  });
  if ('answer' in outcome) return outcome.answer;
  const draft = 'done' in outcome ? outcome.done : outcome.next;
  const enrollment = await findEnrollmentById(deps.db, draft.enrollmentId);
  if (!enrollment) return say(ENROLLMENT_THAI.notFound(draft.enrollmentId));
  if ('done' in outcome) return say(ENROLLMENT_THAI.draftCancelled(enrollment.id));
  return draftPrompt(draft, enrollment);
}

/** A tap on one of a draft's buttons (decoded in line/). */
export async function answerDecisionChoice(deps: ReviewDeps, lineUserId: string, choice: DecisionChoice): Promise<ChatReply> {
  const choices = loadDecisionChoices();
  switch (choice.kind) {
    case 'undo':
      return undoRejectionFromChat(deps, lineUserId, choice.enrollmentId, choice.version);
    case 'cancel':
      return withDraft(deps, lineUserId, choice, async () => ({ done: true }));
    case 'free_text':
      return withDraft(deps, lineUserId, choice, async (draft) => askToType(draft));
    case 'reason': {
      const reason = choices.rejectionReasons[choice.index];
      return withDraft(deps, lineUserId, choice, async (draft) => (reason && draft.decision === 'reject' ? pickReason(draft, reason.label) : { answer: say(ENROLLMENT_THAI.draftExpired) }));
    }
    case 'document': {
      const document = choices.documents.find((d) => d.code === choice.code);
      return withDraft(deps, lineUserId, choice, async (draft) =>
        document && draft.decision === 'request_documents' ? toggleDocument(draft, { code: document.code, label: document.label }) : { answer: say(ENROLLMENT_THAI.draftExpired) },
      );
    }
    case 'confirm':
      return confirmDraft(deps, lineUserId, choice);
    case 'approve': {
      const checked = await checkDecider(deps, lineUserId, choice.enrollmentId, choice.version);
      return checked.ok ? commitDecision(deps, checked, 'approve', choice.version) : say(checked.answer);
    }
    case 'hold':
      return say(ENROLLMENT_THAI.approveHeld(choice.enrollmentId));
  }
}

/** Text the officer typed while a draft waits for typing (a reason, the "other" document) or for its confirmation. */
export async function answerTypedDraftText(deps: ReviewDeps, lineUserId: string, text: string): Promise<ChatReply> {
  const otherLabel = loadDecisionChoices().documents.find((d) => d.code === OTHER_DOCUMENT)?.label ?? 'เอกสารอื่น';
  return withDraft(deps, lineUserId, undefined, async (draft) => acceptTypedText(draft, text, otherLabel) ?? { answer: { ...(await draftReminder(deps, draft)), answers: [{ kind: 'text', text: ENROLLMENT_THAI.reasonTooShort }] } });
}

async function confirmDraft(deps: ReviewDeps, lineUserId: string, expect: { enrollmentId: number; version: number }): Promise<ChatReply> {
  const draft = await pendingDraftOf(deps, lineUserId);
  if (!draft || draft.enrollmentId !== expect.enrollmentId || draft.version !== expect.version) return say(ENROLLMENT_THAI.draftExpired);
  if (!isComplete(draft)) return { ...(await draftReminder(deps, draft)), answers: [{ kind: 'text', text: ENROLLMENT_THAI.chooseAtLeastOne }] };
  const checked = await checkDecider(deps, lineUserId, draft.enrollmentId, draft.version);
  await deleteDraft(deps.db, lineUserId);
  if (!checked.ok) return say(checked.answer);
  return commitDecision(deps, checked, draft.decision, draft.version, { note: draft.note, documents: draft.documents });
}

/** Takes back a confirmed rejection within its window: the application waits again at its level; nobody was told. */
async function undoRejectionFromChat(deps: ReviewDeps, lineUserId: string, enrollmentId: number, version: number): Promise<ChatReply> {
  const officer = await officerOf(deps.db, lineUserId);
  if (!officer) return say(ENROLLMENT_THAI.officersOnly);
  const now = deps.clock.now();
  const enrollment = await findEnrollmentById(deps.db, enrollmentId);
  if (!enrollment) return say(ENROLLMENT_THAI.notFound(enrollmentId));
  const level = enrollment.undoStatus ? levelOfStatus(enrollment.undoStatus) : undefined;
  if (!level || !(await mayDecideAt(deps.db, officer, level, enrollment.areaPath))) return say(ENROLLMENT_THAI.notAllowed(enrollmentId));
  const committed = await commitEnrollmentStep(deps.db, {
    enrollmentId,
    decide: (state) => undoRejection(state, state.undoStatus && state.undoUntil ? { status: state.undoStatus, until: state.undoUntil } : null, now, version),
    actor: `officer:${officer.id}`,
    note: 'ยกเลิกการไม่อนุมัติ',
    at: now,
    restoresDeadline: true,
    withStep: async (trx, c) => {
      // What the rejection queued (the borrower's update, the other levels' outcome) must not go out. A message
      // already on its way cannot be taken back: then neither can the rejection.
      const { stillSending } = await cancelPendingByKeyPrefix(trx, `enrollment:${enrollmentId}:to:rejected:v${version}:`, now);
      if (stillSending > 0) throw new RejectionAlreadyTold();
      // The officers deciding at that level get the card again, for the version it is now.
      await notifyEnrollmentStep(trx, deps.log, c.enrollment, { ...c.step, version: c.step.state.version, note: null, by: { type: 'officer', officerId: officer.id }, reviewOnly: true }, now);
    },
  }).catch((error: unknown) => {
    if (error instanceof RejectionAlreadyTold) return { ok: false as const, refusal: 'stale' as const, status: null };
    throw error;
  });
  if (!committed.ok) return say(ENROLLMENT_THAI.undoTooLate(enrollmentId));
  deps.dispatchSoon?.();
  return say(ENROLLMENT_THAI.undone(enrollmentId));
}

class RejectionAlreadyTold extends Error {}

// ---------- the officer's views ----------

/** An application as an officer on its review path sees it (from the card's link); every view is audited. */
export async function viewEnrollmentAsOfficer(deps: ReviewDeps, lineUserId: string, enrollmentId: number): Promise<OfficerEnrollmentView> {
  const officer = await officerOf(deps.db, lineUserId);
  if (!officer) throw new DomainError('FORBIDDEN', 'หน้านี้สำหรับเจ้าหน้าที่ที่ผูกบัญชีแล้วเท่านั้นค่ะ');
  const enrollment = await findEnrollmentById(deps.db, enrollmentId);
  const onPath = async () => {
    if (!enrollment) return false;
    if (REVIEW_LEVELS.some((level) => officerCoversArea(officer, level, enrollment.areaPath))) return true;
    const waitingAt = levelOfStatus(enrollment.status);
    return waitingAt !== undefined && (await mayDecideAt(deps.db, officer, waitingAt, enrollment.areaPath));
  };
  if (!enrollment || !(await onPath())) throw new DomainError('NOT_FOUND', 'ไม่พบคำขอนี้ในพื้นที่ที่ท่านรับผิดชอบค่ะ');
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

/** The applications waiting for this officer, as a chat answer (the officer menu's คำขอรอพิจารณา). */
export async function answerPendingReviews(deps: ReviewDeps, officer: OfficerProfile): Promise<ChatReply> {
  const items = await pendingReviewsFor(deps.db, officer);
  if (items.length === 0) return say(ENROLLMENT_THAI.noPendingReviews);
  return { audience: 'officer', answers: [{ kind: 'pending_reviews', items: items.slice(0, 10), total: items.length }] };
}

/** The officers' side of applications, as the edges call it. */
export function createReviewService(deps: ReviewDeps) {
  return {
    answerDecision: (lineUserId: string | undefined, request: EnrollmentDecisionRequest) => answerEnrollmentDecision(deps, lineUserId, request),
    answerChoice: (lineUserId: string, choice: DecisionChoice) => answerDecisionChoice(deps, lineUserId, choice),
    viewAsOfficer: (lineUserId: string, enrollmentId: number) => viewEnrollmentAsOfficer(deps, lineUserId, enrollmentId),
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;

export { actingReviewersFor };
