// Promises to pay: judged against the payments made since (at once when a payment or reversal changes them, and
// by the hourly job once their day has passed), and the borrower's one reminder the day before.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { openPromisesDueBefore, promisesOfBorrower, setPromiseJudgement, type PromiseRow } from '../db/repos/follow-ups.repo.ts';
import { promiseCreditsOfBorrower } from '../db/repos/recorded-payments.repo.ts';
import { cancelPendingMessage, setPendingPromiseReminderPaid } from '../db/repos/outbox.repo.ts';
import { bangkokDate, bangkokInstant, type LocalDate } from '../domain/local-date.ts';
import { allocatePromisePayments, judgePromise, lastCountingDay, promiseReminderDay, type PromiseStatus } from '../domain/payment-promise.ts';
import { enqueueOutboxMessages } from './outbox.service.ts';

export interface PromiseJudgement {
  promiseId: number;
  borrowerId: number;
  from: PromiseStatus;
  to: PromiseStatus;
  paid: number;
}

/** The outbox key of a promise's reminder: the date is part of it, so a moved date gets its own reminder. */
export function promiseReminderKey(promiseId: number, promisedOn: LocalDate): string {
  return `promise-reminder:${promiseId}:${promisedOn}`;
}

/** Judges one promise as of `today` on what it counts; writes and audits only when the verdict (or what it counted) changed. */
async function judgeOne(db: Kysely<Database>, promise: PromiseRow, paid: number, today: LocalDate, graceDays: number, at: Date, actor: string): Promise<PromiseJudgement | undefined> {
  const to = judgePromise({ amount: promise.amount, madeOn: promise.madeOn, promisedOn: promise.promisedOn }, paid, today, graceDays);
  if (to === promise.status && paid === promise.paid) return undefined;
  await setPromiseJudgement(db, promise.id, { status: to, paid, at });
  if (to !== promise.status) {
    await recordAudit(db, { actor, action: 'promise.judge', subject: `promise:${promise.id}`, details: { borrowerId: promise.borrowerId, from: promise.status, to, paid }, at });
  }
  // Kept before the day: the reminder is not needed any more. Partly paid: it asks only for the rest.
  if (to === 'kept') await cancelPendingMessage(db, promiseReminderKey(promise.id, promise.promisedOn), 'promise_kept');
  else if (paid !== promise.paid) await setPendingPromiseReminderPaid(db, promiseReminderKey(promise.id, promise.promisedOn), paid);
  return { promiseId: promise.id, borrowerId: promise.borrowerId, from: promise.status, to, paid };
}

/**
 * Judges the borrower's promises again after their payments changed (recorded, reversed, imported). All of them at
 * once, because a baht counts towards one promise only: two promises and one payment keep the first, not both. A
 * reversed payment reopens a promise whose day has not come, and changes the verdict of one whose day has.
 */
export async function rejudgeBorrowerPromises(
  db: Kysely<Database>,
  borrowerId: number,
  options: { today: LocalDate; graceDays: number; at: Date; actor: string },
): Promise<PromiseJudgement[]> {
  const promises = await promisesOfBorrower(db, borrowerId);
  if (promises.length === 0) return [];
  const paid = allocatePromisePayments(
    promises.map((p) => ({ id: p.id, loanId: p.loanId, amount: p.amount, madeOn: p.madeOn, givenAt: p.createdAt, lastCountingDay: lastCountingDay(p, options.graceDays) })),
    await promiseCreditsOfBorrower(db, borrowerId),
  );
  const judgements: PromiseJudgement[] = [];
  for (const promise of promises) {
    const judgement = await judgeOne(db, promise, paid.get(promise.id) ?? 0, options.today, options.graceDays, options.at, options.actor);
    if (judgement) judgements.push(judgement);
  }
  return judgements;
}

/** The hourly judgement: every open promise whose last counting day has passed, with the rest of its borrower's. */
export async function judgeDuePromises(db: Kysely<Database>, at: Date, graceDays: number): Promise<{ judged: number; kept: number; partlyKept: number; broken: number }> {
  const today = bangkokDate(at);
  const summary = { judged: 0, kept: 0, partlyKept: 0, broken: 0 };
  for (;;) {
    const due = await openPromisesDueBefore(db, today, graceDays, 500);
    if (due.length === 0) break;
    for (const borrowerId of new Set(due.map((promise) => promise.borrowerId))) {
      const judgements = new Map((await rejudgeBorrowerPromises(db, borrowerId, { today, graceDays, at, actor: 'system' })).map((j) => [j.promiseId, j]));
      for (const promise of due.filter((p) => p.borrowerId === borrowerId)) {
        const judgement = judgements.get(promise.id);
        summary.judged += 1;
        if (judgement?.to === 'kept') summary.kept += 1;
        else if (judgement?.to === 'partly_kept') summary.partlyKept += 1;
        else if (judgement?.to === 'broken') summary.broken += 1;
      }
    }
    if (due.length < 500) break;
  }
  return summary;
}

/** Queues the borrower's one reminder the day before the promised date (09:00, inside the contact hours). */
export async function queuePromiseReminder(
  db: Kysely<Database>,
  promise: { id: number; borrowerId: number; fullName: string; amount: number; promisedOn: LocalDate; contractNo: string | null },
  today: LocalDate,
): Promise<void> {
  const day = promiseReminderDay(promise, today);
  if (!day) return;
  await enqueueOutboxMessages(db, [
    {
      dedupeKey: promiseReminderKey(promise.id, promise.promisedOn),
      kind: 'promise_reminder',
      recipient: { type: 'borrower', borrowerId: promise.borrowerId },
      notification: { kind: 'promise_reminder', fullName: promise.fullName, amount: promise.amount, promisedOn: promise.promisedOn, contractNo: promise.contractNo },
      // More to the point than a routine reminder on the same day: the borrower's own word.
      urgency: 70,
      notBefore: bangkokInstant(day, 9 * 60),
      expiresAt: bangkokInstant(promise.promisedOn),
      contactWindow: 'borrower',
      oncePerDay: true,
    },
  ]);
}
