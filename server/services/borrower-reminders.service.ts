// Plans borrower reminders into the outbox: every linked, following borrower, a page at a time so memory
// stays flat however many there are. Repeatable: each reminder's key makes a second run plan nothing new.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { linkedBorrowerLoansPage, unpaidInstallmentsUpTo } from '../db/repos/reminders.repo.ts';
import { addDays, bangkokDate, bangkokInstant } from '../domain/local-date.ts';
import { planLoanReminders, type BorrowerReminderKind, type LoanReminderFacts } from '../domain/reminder-policy.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';

export interface BorrowerReminderDeps {
  db: Kysely<Database>;
  policy: ReminderPolicy;
}

export interface PlanSummary {
  considered: number;
  planned: Partial<Record<BorrowerReminderKind, number>>;
  newlyQueued: number;
}

const PAGE = 2000;

export async function planBorrowerReminders(deps: BorrowerReminderDeps, at: Date): Promise<PlanSummary> {
  const today = bangkokDate(at);
  const horizon = addDays(today, deps.policy.offsets.dueSoonDaysBefore);
  const summary: PlanSummary = { considered: 0, planned: {}, newlyQueued: 0 };
  let after = 0;
  for (;;) {
    const rows = await linkedBorrowerLoansPage(deps.db, after, today, PAGE);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.borrowerId;
    const unpaid = await unpaidInstallmentsUpTo(deps.db, rows.map((row) => row.loanId), horizon);
    const outbox: OutboxMessageInput[] = [];
    let lastBorrower = -1;
    for (const row of rows) {
      if (row.borrowerId !== lastBorrower) summary.considered += 1;
      lastBorrower = row.borrowerId;
      // Under a principal pause only the interest of installments due in it is asked for (debtor-status's rule).
      const owed = (unpaid.get(row.loanId) ?? [])
        .map((i) => ({ seq: i.seq, dueOn: i.dueOn, unpaid: row.principalPausedUntil !== null && i.dueOn <= row.principalPausedUntil ? i.interestUnpaid : i.unpaid }))
        .filter((i) => i.unpaid > 0);
      const facts: LoanReminderFacts = { ...row, unpaid: owed };
      for (const plan of planLoanReminders(facts, today, deps.policy.offsets)) {
        summary.planned[plan.kind] = (summary.planned[plan.kind] ?? 0) + 1;
        outbox.push({
          dedupeKey: plan.dedupeKey,
          kind: `borrower_${plan.kind}`,
          recipient: { type: 'borrower', borrowerId: row.borrowerId },
          notification: {
            kind: 'borrower_reminder',
            reminder: plan.kind,
            fullName: row.fullName,
            contractNo: plan.contractNo,
            amount: plan.amount,
            dueOn: plan.dueOn,
            days: plan.days,
          },
          urgency: plan.urgency,
          notBefore: at,
          expiresAt: bangkokInstant(addDays(plan.lastRelevantDay, 1)),
          contactWindow: 'borrower',
          oncePerDay: true,
          ...(plan.installmentSeq !== null && plan.dueOn !== null ? { installment: { loanId: plan.loanId, seq: plan.installmentSeq, dueOn: plan.dueOn } } : {}),
        });
      }
    }
    summary.newlyQueued += await enqueueOutboxMessages(deps.db, outbox);
  }
  return summary;
}
