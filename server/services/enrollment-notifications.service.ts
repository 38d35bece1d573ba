// Who hears about an application's step, and what they are told: the officers of the level it now waits at get the
// review card with its buttons; the borrower gets a plain-Thai update. Enqueued inside the step's transaction.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { EnrollmentRow } from '../db/repos/enrollments.repo.ts';
import { listDocumentsOf } from '../db/repos/enrollment-documents.repo.ts';
import { officersAbove, officersWithRoles, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { levelOfStatus, officerCoversArea, type EnrollmentStatus, type ReviewLevel } from '../domain/enrollment-workflow.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';
import type { RestructuringPlan } from './enrollment-steps.service.ts';
import type { EnrollmentCard } from './notifications.ts';

/** The officers who decide at a level for a borrower's area: their district office, province office, or the department. */
export async function reviewOfficersFor(db: Kysely<Database>, level: ReviewLevel, areaPath: string): Promise<OfficerProfile[]> {
  if (level === 'department') return officersWithRoles(db, ['department']);
  return (await officersAbove(db, areaPath)).filter((officer) => officerCoversArea(officer, level, areaPath));
}

export interface NotifiedStep {
  from: EnrollmentStatus | null;
  to: EnrollmentStatus;
  version: number;
  deadlineAt: Date | null;
  note: string | null;
  plan?: RestructuringPlan | null;
}

async function reviewCardOf(db: Kysely<Database>, enrollment: EnrollmentRow, step: NotifiedStep & { deadlineAt: Date }, level: ReviewLevel, now: Date): Promise<EnrollmentCard> {
  const [overview, documents] = await Promise.all([loadDebtOverview(db, enrollment.borrowerId, bangkokDate(now)), listDocumentsOf(db, [enrollment.id])]);
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
  };
}

/**
 * Enqueues every message a step causes. Called with the step's own transaction as `db`, so a step is never
 * committed without its notifications (the caller asks for a dispatch after the commit).
 */
export async function notifyEnrollmentStep(db: Kysely<Database>, log: Logger, enrollment: EnrollmentRow, step: NotifiedStep, now: Date): Promise<void> {
  const messages: OutboxMessageInput[] = [];
  const base = `enrollment:${enrollment.id}:to:${step.to}:v${step.version}`;
  messages.push({
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
      },
    },
    urgency: step.to === 'needs_documents' ? 5 : 3,
    notBefore: now,
    contactWindow: 'borrower',
  });

  const level = levelOfStatus(step.to);
  if (level && step.deadlineAt) {
    const [officers, card] = await Promise.all([
      reviewOfficersFor(db, level, enrollment.areaPath),
      reviewCardOf(db, enrollment, { ...step, deadlineAt: step.deadlineAt }, level, now),
    ]);
    for (const officer of officers) {
      messages.push({
        dedupeKey: `${base}:officer:${officer.id}`,
        kind: 'enrollment_review',
        recipient: { type: 'officer', officerId: officer.id },
        notification: { kind: 'enrollment_review', card },
        urgency: 5,
        notBefore: now,
        contactWindow: 'anytime',
      });
    }
    if (officers.length === 0) log.warn({ enrollmentId: enrollment.id, level }, 'no linked officer reviews this level for the borrower’s area');
  }

  const leftLevel = step.from ? levelOfStatus(step.from) : undefined;
  if (step.to === 'withdrawn' && leftLevel) {
    for (const officer of await reviewOfficersFor(db, leftLevel, enrollment.areaPath)) {
      messages.push({
        dedupeKey: `${base}:officer:${officer.id}`,
        kind: 'enrollment_update',
        recipient: { type: 'officer', officerId: officer.id },
        notification: { kind: 'enrollment_withdrawn', enrollmentId: enrollment.id, contractNo: enrollment.contractNo },
        notBefore: now,
        contactWindow: 'anytime',
      });
    }
  }
  await enqueueOutboxMessages(db, messages);
}
