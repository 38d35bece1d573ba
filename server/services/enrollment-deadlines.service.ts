// Applications that waited at a level past their 15 days: a reminder to the officers deciding at that level (or in
// its place), at most one per application, officer and Bangkok day. For the reminder system to run on its schedule.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listOverdueEnrollmentDeadlines } from '../db/repos/enrollments.repo.ts';
import { areasWithoutLinkedOfficer, officersWithRoles } from '../db/repos/officers.repo.ts';
import { levelOfStatus } from '../domain/enrollment-workflow.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';
import { actingReviewersFor } from './enrollment-notifications.service.ts';

export async function remindOverdueEnrollmentDeadlines(db: Kysely<Database>, now: Date): Promise<{ planned: number; newlyQueued: number }> {
  const today = bangkokDate(now);
  const messages: OutboxMessageInput[] = [];
  for (const overdue of await listOverdueEnrollmentDeadlines(db, now)) {
    const level = levelOfStatus(overdue.status);
    if (!level) continue;
    for (const officer of (await actingReviewersFor(db, level, overdue.areaPath)).officers) {
      messages.push({
        dedupeKey: `enrollment:${overdue.enrollmentId}:overdue:${overdue.status}:${overdue.deadlineAt.toISOString()}:officer:${officer.id}:on:${today}`,
        kind: 'enrollment_deadline',
        recipient: { type: 'officer', officerId: officer.id },
        notification: {
          kind: 'enrollment_deadline',
          enrollmentId: overdue.enrollmentId,
          contractNo: overdue.contractNo,
          level,
          deadlineAt: overdue.deadlineAt.toISOString(),
        },
        urgency: 4,
        notBefore: now,
        contactWindow: 'anytime',
      });
    }
  }
  const newlyQueued = await enqueueOutboxMessages(db, messages);
  return { planned: messages.length, newlyQueued };
}

const COVERAGE_LIST_LIMIT = 30;

/** Once a day, admins hear which districts and provinces have borrowers but no linked officer to decide for them. */
export async function tellAdminsAboutUncoveredAreas(db: Kysely<Database>, now: Date): Promise<number> {
  const gaps = await areasWithoutLinkedOfficer(db, COVERAGE_LIST_LIMIT + 1);
  if (gaps.length === 0) return 0;
  const admins = await officersWithRoles(db, ['admin'], { linkedOnly: true });
  const shown = gaps.filter((_, i) => i < COVERAGE_LIST_LIMIT);
  const today = bangkokDate(now);
  return enqueueOutboxMessages(
    db,
    admins.map((admin) => ({
      dedupeKey: `coverage:${today}:officer:${admin.id}`,
      kind: 'coverage_gaps',
      recipient: { type: 'officer' as const, officerId: admin.id },
      notification: { kind: 'coverage_gaps' as const, gaps: shown, more: gaps.length > shown.length },
      urgency: 15,
      notBefore: now,
      contactWindow: 'anytime' as const,
    })),
  );
}
