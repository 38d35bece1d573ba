// Applications that waited at a level past their 15 days: a reminder to the officers of that level, at most one
// per application, officer and Bangkok day. For the reminder system to run on its schedule.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listOverdueEnrollmentDeadlines } from '../db/repos/enrollments.repo.ts';
import { levelOfStatus } from '../domain/enrollment-workflow.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';
import { reviewOfficersFor } from './enrollment-notifications.service.ts';

export async function remindOverdueEnrollmentDeadlines(db: Kysely<Database>, now: Date): Promise<{ planned: number; newlyQueued: number }> {
  const today = bangkokDate(now);
  const messages: OutboxMessageInput[] = [];
  for (const overdue of await listOverdueEnrollmentDeadlines(db, now)) {
    const level = levelOfStatus(overdue.status);
    if (!level) continue;
    for (const officer of await reviewOfficersFor(db, level, overdue.areaPath)) {
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
