// Applications that waited at a level past their 15 days: a reminder to the officers of that level, at most one
// per application, officer and Bangkok day. For the reminder system to run on its schedule.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listOverdueEnrollmentDeadlines } from '../db/repos/enrollments.repo.ts';
import { levelOfStatus } from '../domain/enrollment-workflow.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { officerReminderMessage } from '../line/flex/enrollment.flex.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';
import { reviewOfficersFor, reviewUrlOf } from './enrollment-notifications.service.ts';

export async function remindOverdueEnrollmentDeadlines(
  deps: { db: Kysely<Database>; liffUrl: string },
  now: Date,
): Promise<{ planned: number; newlyQueued: number }> {
  const today = bangkokDate(now);
  const messages: OutboxMessageInput[] = [];
  for (const overdue of await listOverdueEnrollmentDeadlines(deps.db, now)) {
    const level = levelOfStatus(overdue.status);
    if (!level) continue;
    const message = officerReminderMessage(overdue.enrollmentId, overdue.contractNo, level, overdue.deadlineAt, reviewUrlOf(deps.liffUrl, overdue.enrollmentId));
    for (const officer of await reviewOfficersFor(deps.db, level, overdue.areaPath)) {
      messages.push({
        dedupeKey: `enrollment:${overdue.enrollmentId}:overdue:${overdue.status}:${overdue.deadlineAt.toISOString()}:officer:${officer.id}:on:${today}`,
        kind: 'enrollment_deadline',
        recipient: { type: 'officer', officerId: officer.id },
        messages: [message],
        urgency: 4,
        notBefore: now,
        contactWindow: 'anytime',
      });
    }
  }
  const newlyQueued = messages.length > 0 ? await enqueueOutboxMessages(deps.db, messages) : 0;
  return { planned: messages.length, newlyQueued };
}
