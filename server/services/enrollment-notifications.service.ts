// Who hears about an application's step, and what they are told: the officers who decide it next get the review card
// with its buttons (the nearest level above that has a linked officer, when its own level has none); the borrower
// gets a plain-Thai update; the tambon officer and every level that handled it learn how it ended. Enqueued inside
// the step's transaction.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { listTransitions, type EnrollmentRow } from '../db/repos/enrollments.repo.ts';
import { listDocumentsOf } from '../db/repos/enrollment-documents.repo.ts';
import { officersAbove, officersWithRoles, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { ENROLLMENT_STATUSES, levelOfStatus, officerCoversArea, REVIEW_LEVELS, type EnrollmentStatus, type ReviewLevel } from '../domain/enrollment-workflow.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';
import { cancelWaitingMessages } from '../db/repos/outbox.repo.ts';
import type { RestructuringPlan } from './enrollment-steps.service.ts';
import type { EnrollmentCard, EnrollmentOutcome } from './notifications.ts';

const NEXT_LEVEL: Record<ReviewLevel, ReviewLevel | undefined> = { district: 'province', province: 'department', department: undefined };

/** The linked officers who answer for a borrower's area at exactly this level. */
async function linkedOfficersAt(db: Kysely<Database>, level: ReviewLevel, areaPath: string): Promise<OfficerProfile[]> {
  if (level === 'department') return officersWithRoles(db, ['department'], { linkedOnly: true });
  return (await officersAbove(db, areaPath, { linkedOnly: true })).filter((officer) => officerCoversArea(officer, level, areaPath));
}

export interface ActingReviewers {
  officers: OfficerProfile[];
  /** Set when the officers are of a level above: the level they decide for. */
  delegatedFrom: ReviewLevel | null;
}

/**
 * Who decides an application waiting at `level`: that level's linked officers for the borrower's area, or — when it
 * has none — the nearest level above that has some (district → province → department), deciding in its place.
 * Nobody is orphaned while anyone above is linked.
 */
export async function actingReviewersFor(db: Kysely<Database>, level: ReviewLevel, areaPath: string): Promise<ActingReviewers> {
  for (let at: ReviewLevel | undefined = level; at; at = NEXT_LEVEL[at]) {
    const officers = await linkedOfficersAt(db, at, areaPath);
    if (officers.length > 0) return { officers, delegatedFrom: at === level ? null : level };
  }
  return { officers: [], delegatedFrom: null };
}

/** May this officer decide at `level` for this area: their own level, or in place of a level without linked officers. */
export async function mayDecideAt(db: Kysely<Database>, officer: OfficerProfile, level: ReviewLevel, areaPath: string): Promise<boolean> {
  if (officerCoversArea(officer, level, areaPath)) return true;
  const acting = await actingReviewersFor(db, level, areaPath);
  return acting.delegatedFrom !== null && acting.officers.some((o) => o.id === officer.id);
}

export interface NotifiedStep {
  from: EnrollmentStatus | null;
  to: EnrollmentStatus;
  version: number;
  deadlineAt: Date | null;
  note: string | null;
  plan?: RestructuringPlan | null;
  /** Who took the step: the borrower's own actions are confirmed at any hour; officers' keep the contact window. */
  by: { type: 'borrower' } | { type: 'officer'; officerId: number };
  /** A rejection waits out its undo window before anyone hears of it. */
  notBefore?: Date;
  requestedDocuments?: string[];
  /** Only the review card (a rejection taken back: the borrower never heard of it). */
  reviewOnly?: boolean;
}

async function reviewCardOf(
  db: Kysely<Database>,
  enrollment: EnrollmentRow,
  step: NotifiedStep & { deadlineAt: Date },
  level: ReviewLevel,
  delegatedFrom: ReviewLevel | null,
  now: Date,
): Promise<EnrollmentCard> {
  // Documents were asked for at some point: what she wrote when she sent them stays on the card up the levels.
  const [overview, documents, borrowerNote] = await Promise.all([
    loadDebtOverview(db, enrollment.borrowerId, bangkokDate(now)),
    listDocumentsOf(db, [enrollment.id]),
    step.from === 'needs_documents' ? step.note : enrollment.requestedDocuments ? lastResubmissionNote(db, enrollment.id) : null,
  ]);
  const loan = overview?.loans.find((l) => l.id === enrollment.loanId);
  return {
    id: enrollment.id,
    version: step.version,
    level,
    borrowerName: enrollment.borrowerName,
    nationalIdMasked: enrollment.nationalIdMasked,
    areaPath: enrollment.areaPath,
    contractNo: enrollment.contractNo,
    measureTitle: enrollment.measureTitle,
    reasonCode: enrollment.reasonCode,
    reason: enrollment.reason,
    phone: enrollment.phone,
    monthlyIncome: enrollment.monthlyIncome,
    monthlyExpenses: enrollment.monthlyExpenses,
    affordablePayment: enrollment.affordablePayment,
    documentCount: documents.get(enrollment.id)?.length ?? 0,
    submittedAt: enrollment.submittedAt.toISOString(),
    deadlineAt: step.deadlineAt.toISOString(),
    loanStatus: loan?.position.status ?? 'normal',
    overdue: loan?.position.overdue ?? 0,
    outstandingTotal: loan?.position.outstandingTotal ?? 0,
    resubmitted: step.from === 'needs_documents',
    delegatedFrom,
    ...(step.from === 'needs_documents' && enrollment.requestedDocuments ? { requestedDocuments: enrollment.requestedDocuments.map((d) => d.label) } : {}),
    ...(borrowerNote ? { borrowerNote } : {}),
  };
}

async function lastResubmissionNote(db: Kysely<Database>, enrollmentId: number): Promise<string | null> {
  const transitions = (await listTransitions(db, [enrollmentId])).get(enrollmentId) ?? [];
  return transitions.findLast((t) => t.fromStatus === 'needs_documents')?.note ?? null;
}

/** The keys of the borrower's messages of every earlier version of the application. */
function earlierBorrowerKeys(enrollment: EnrollmentRow, version: number): string[] {
  const keys: string[] = [];
  for (let v = 1; v < version; v += 1) for (const status of ENROLLMENT_STATUSES) keys.push(`enrollment:${enrollment.id}:to:${status}:v${v}:borrower:${enrollment.borrowerId}`);
  return keys;
}

const FINAL: Partial<Record<EnrollmentStatus, EnrollmentOutcome['event']>> = { approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn' };

/**
 * Enqueues every message a step causes. Called with the step's own transaction as `db`, so a step is never
 * committed without its notifications (the caller asks for a dispatch after the commit). Returns when the borrower
 * will be able to hear of it at the earliest (the rejection's undo window), for the officer's confirmation.
 */
export async function notifyEnrollmentStep(db: Kysely<Database>, log: Logger, enrollment: EnrollmentRow, step: NotifiedStep, now: Date): Promise<void> {
  const messages: OutboxMessageInput[] = [];
  const base = `enrollment:${enrollment.id}:to:${step.to}:v${step.version}`;
  const notBefore = step.notBefore ?? now;
  // Her own action (she applied, sent documents, withdrew) is confirmed at once at any hour; an officer's decision is
  // news she did not ask for at that moment, and keeps the debt-collection contact hours.
  const ownAction = step.by.type === 'borrower';
  // What she has not yet been told of an earlier step is no longer true ("send your ID card" after she sent it): the
  // news of this step replaces it.
  if (!step.reviewOnly) await cancelWaitingMessages(db, earlierBorrowerKeys(enrollment, step.version), 'superseded', now);
  if (!step.reviewOnly) messages.push({
    dedupeKey: `${base}:borrower:${enrollment.borrowerId}`,
    kind: 'enrollment_update',
    recipient: { type: 'borrower', borrowerId: enrollment.borrowerId },
    notification: {
      kind: 'enrollment_update',
      update: {
        id: enrollment.id,
        contractNo: enrollment.contractNo,
        measureTitle: enrollment.measureTitle,
        from: step.from,
        to: step.to,
        deadlineAt: step.deadlineAt?.toISOString() ?? null,
        note: step.note,
        newSchedule: step.plan?.changesSchedule ? step.plan.after : null,
        ...(step.requestedDocuments ? { requestedDocuments: step.requestedDocuments } : {}),
      },
    },
    urgency: step.to === 'needs_documents' ? 5 : 3,
    notBefore,
    contactWindow: ownAction ? 'anytime' : 'borrower',
  });

  const level = levelOfStatus(step.to);
  if (level && step.deadlineAt) {
    const acting = await actingReviewersFor(db, level, enrollment.areaPath);
    const card = await reviewCardOf(db, enrollment, { ...step, deadlineAt: step.deadlineAt }, level, acting.delegatedFrom, now);
    for (const officer of acting.officers) {
      messages.push({
        dedupeKey: `${base}:officer:${officer.id}`,
        kind: 'enrollment_review',
        recipient: { type: 'officer', officerId: officer.id },
        notification: { kind: 'enrollment_review', card },
        urgency: 5,
        notBefore,
        contactWindow: 'anytime',
      });
    }
    // Admins hear of areas without officers every day (officer-digest); this one application waits in the database.
    if (acting.officers.length === 0) log.warn({ enrollmentId: enrollment.id, level }, 'no linked officer at this level or above for the borrower’s area');
  }

  const leftLevel = step.from ? levelOfStatus(step.from) : undefined;
  if (step.to === 'withdrawn' && leftLevel) {
    for (const officer of (await actingReviewersFor(db, leftLevel, enrollment.areaPath)).officers) {
      messages.push({
        dedupeKey: `${base}:officer:${officer.id}`,
        kind: 'enrollment_update',
        recipient: { type: 'officer', officerId: officer.id },
        notification: { kind: 'enrollment_withdrawn', enrollmentId: enrollment.id, contractNo: enrollment.contractNo },
        notBefore,
        contactWindow: 'anytime',
      });
    }
  }

  if (!step.reviewOnly) messages.push(...(await outcomeMessages(db, enrollment, step, base, notBefore)));
  await enqueueOutboxMessages(db, messages);
}

/** The tambon officer hears when an application is filed and how it ends; every level that handled it hears how it ended. */
async function outcomeMessages(db: Kysely<Database>, enrollment: EnrollmentRow, step: NotifiedStep, base: string, notBefore: Date): Promise<OutboxMessageInput[]> {
  const event = step.from === null ? 'filed' : FINAL[step.to];
  if (!event) return [];
  const outcome = (audience: EnrollmentOutcome['audience']): EnrollmentOutcome => ({
    enrollmentId: enrollment.id,
    borrowerId: enrollment.borrowerId,
    borrowerName: enrollment.borrowerName,
    contractNo: enrollment.contractNo,
    measureTitle: enrollment.measureTitle,
    event,
    note: event === 'rejected' ? step.note : null,
    audience,
  });
  const told = new Set<number>();
  // Whoever took this step knows already (the chat told them).
  if (step.by.type === 'officer') told.add(step.by.officerId);
  const messages: OutboxMessageInput[] = [];
  const tell = (officer: OfficerProfile, audience: EnrollmentOutcome['audience']) => {
    if (told.has(officer.id)) return;
    told.add(officer.id);
    messages.push({
      dedupeKey: `${base}:outcome:officer:${officer.id}`,
      kind: 'enrollment_outcome',
      recipient: { type: 'officer', officerId: officer.id },
      notification: { kind: 'enrollment_outcome', outcome: outcome(audience) },
      notBefore,
      contactWindow: 'anytime',
    });
  };
  if (event !== 'filed' && event !== 'withdrawn') {
    const levels = new Set<ReviewLevel>();
    for (const t of (await listTransitions(db, [enrollment.id])).get(enrollment.id) ?? []) {
      const visited = levelOfStatus(t.toStatus);
      if (visited) levels.add(visited);
    }
    for (const level of REVIEW_LEVELS.filter((l) => levels.has(l))) {
      for (const officer of (await actingReviewersFor(db, level, enrollment.areaPath)).officers) tell(officer, 'reviewer');
    }
  }
  const tambon = (await officersAbove(db, enrollment.areaPath, { linkedOnly: true })).filter((o) => o.role === 'tambon' && o.scopePath === enrollment.areaPath);
  for (const officer of tambon) tell(officer, 'tambon');
  return messages;
}
