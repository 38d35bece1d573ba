// Plans borrower reminders into the outbox: every linked, following borrower, a page at a time so memory
// stays flat however many there are. Repeatable: each reminder's key makes a second run plan nothing new.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { linkedBorrowerLoansPage, unpaidInstallmentsUpTo, type ReminderLoanRow } from '../db/repos/reminders.repo.ts';
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

interface Page {
  rows: ReminderLoanRow[];
  unpaid: Map<number, Array<{ seq: number; dueOn: string; unpaid: number; interestUnpaid: number }>>;
}

/**
 * Plans a page of borrowers at a time. The database and the planning overlap: while one page is planned, the next
 * is read and the one before is written, so neither waits for the other (profiled: 12.6 s of queries and 5.5 s
 * of planning for 100,000 borrowers, one after the other before).
 */
export async function planBorrowerReminders(deps: BorrowerReminderDeps, at: Date): Promise<PlanSummary> {
  const today = bangkokDate(at);
  const horizon = addDays(today, deps.policy.offsets.dueSoonDaysBefore);
  const summary: PlanSummary = { considered: 0, planned: {}, newlyQueued: 0 };
  const readPage = async (after: number): Promise<Page | undefined> => {
    const rows = await linkedBorrowerLoansPage(deps.db, after, today, PAGE);
    if (rows.length === 0) return undefined;
    return { rows, unpaid: await unpaidInstallmentsUpTo(deps.db, rows.map((row) => row.loanId), horizon) };
  };
  let reading = readPage(0);
  let writing: Promise<number> = Promise.resolve(0);
  try {
    for (;;) {
      const page = await reading;
      if (!page) break;
      reading = readPage(page.rows[page.rows.length - 1]!.borrowerId);
      reading.catch(() => undefined); // observed on the next turn
      const outbox = planPage(page, today, at, deps.policy, summary);
      summary.newlyQueued += await writing;
      writing = enqueueOutboxMessages(deps.db, outbox);
    }
    summary.newlyQueued += await writing;
  } finally {
    // Whatever failed, nothing is left running behind the caller's back.
    await Promise.allSettled([reading, writing]);
  }
  return summary;
}

function planPage(page: Page, today: string, at: Date, policy: ReminderPolicy, summary: PlanSummary): OutboxMessageInput[] {
  const outbox: OutboxMessageInput[] = [];
  let lastBorrower = -1;
  for (const row of page.rows) {
    if (row.borrowerId !== lastBorrower) summary.considered += 1;
    lastBorrower = row.borrowerId;
    // Under a principal pause only the interest of installments due in it is asked for (debtor-status's rule).
    const owed = (page.unpaid.get(row.loanId) ?? [])
      .map((i) => ({ seq: i.seq, dueOn: i.dueOn, unpaid: row.principalPausedUntil !== null && i.dueOn <= row.principalPausedUntil ? i.interestUnpaid : i.unpaid }))
      .filter((i) => i.unpaid > 0);
    const facts: LoanReminderFacts = { ...row, unpaid: owed };
    for (const plan of planLoanReminders(facts, today, policy.offsets)) {
      // She sent a slip an officer has not checked yet: no "you are overdue" while it waits (planned again once decided).
      if (row.slipPending && plan.kind.startsWith('overdue')) continue;
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
          loanId: plan.loanId,
          installmentSeq: plan.installmentSeq,
          ...(row.openApplicationId !== null && plan.kind.startsWith('overdue') ? { applicationPending: { id: row.openApplicationId, measureTitle: row.openApplicationMeasure ?? '' } } : {}),
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
  return outbox;
}
