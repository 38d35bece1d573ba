// Plans borrower reminders into the outbox: every linked, following borrower, a page at a time so memory
// stays flat however many there are. Repeatable: each reminder's key makes a second run plan nothing new.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, bangkokDate, bangkokInstant, formatThaiDate, type LocalDate } from '../domain/local-date.ts';
import { formatSatang } from '../domain/money.ts';
import { fillTemplate, planLoanReminders, type BorrowerReminderKind, type LoanReminderFacts, type PlannedReminder } from '../domain/reminder-policy.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import { quickReplyFor } from '../line/chat-renderer.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';

export interface BorrowerReminderDeps {
  db: Kysely<Database>;
  policy: ReminderPolicy;
  liffUrl: string;
}

export interface PlanSummary {
  considered: number;
  planned: Partial<Record<BorrowerReminderKind, number>>;
  newlyQueued: number;
}

const PAGE = 2000;

interface LoanRow {
  borrowerId: number;
  fullName: string;
  loanId: number;
  contractNo: string;
  litigation: boolean;
  firstDueOn: LocalDate;
  inSuspension: boolean;
}

async function linkedBorrowerPage(db: Kysely<Database>, afterBorrowerId: number, today: LocalDate): Promise<LoanRow[]> {
  const result = await sql<LoanRow>`
    WITH page AS (
      SELECT k.borrower_id FROM line_links k JOIN line_users u ON u.line_user_id = k.line_user_id
      WHERE k.borrower_id > ${afterBorrowerId} AND u.following
      ORDER BY k.borrower_id LIMIT ${PAGE}
    )
    SELECT b.id AS "borrowerId", b.full_name AS "fullName", l.id AS "loanId", l.contract_no AS "contractNo", l.litigation,
           l.first_due_on AS "firstDueOn",
           EXISTS (SELECT 1 FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
                   WHERE lm.loan_id = l.id AND rm.effect->>'type' = 'suspend'
                     AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)) AS "inSuspension"
    FROM page p JOIN borrowers b ON b.id = p.borrower_id JOIN loans l ON l.borrower_id = b.id
    ORDER BY b.id, l.id`.execute(db);
  return result.rows;
}

async function unpaidInstallmentsUpTo(db: Kysely<Database>, loanIds: number[], horizon: LocalDate) {
  const result = await sql<{ loanId: number; seq: number; dueOn: LocalDate; unpaid: number }>`
    SELECT loan_id AS "loanId", seq, due_on AS "dueOn", (principal_satang + interest_satang - paid_satang)::bigint AS unpaid
    FROM installments
    WHERE loan_id = ANY(${loanIds}::bigint[]) AND paid_satang < principal_satang + interest_satang AND due_on <= ${horizon}::date
    ORDER BY loan_id, seq`.execute(db);
  const byLoan = new Map<number, Array<{ seq: number; dueOn: LocalDate; unpaid: number }>>();
  for (const row of result.rows) {
    const list = byLoan.get(row.loanId) ?? [];
    list.push({ seq: row.seq, dueOn: row.dueOn, unpaid: row.unpaid });
    byLoan.set(row.loanId, list);
  }
  return byLoan;
}

export function reminderMessageText(policy: ReminderPolicy, plan: PlannedReminder, fullName: string, liffUrl: string): string {
  return fillTemplate(policy.texts[plan.kind], {
    name: fullName,
    contractNo: plan.contractNo,
    amount: formatSatang(plan.amount),
    dueDate: plan.dueOn ? formatThaiDate(plan.dueOn) : '',
    days: plan.days,
    liffUrl,
  });
}

export async function planBorrowerReminders(deps: BorrowerReminderDeps, at: Date): Promise<PlanSummary> {
  const today = bangkokDate(at);
  const horizon = addDays(today, deps.policy.offsets.dueSoonDaysBefore);
  const summary: PlanSummary = { considered: 0, planned: {}, newlyQueued: 0 };
  const quickReply = quickReplyFor('borrower', deps.liffUrl);
  let after = 0;
  for (;;) {
    const rows = await linkedBorrowerPage(deps.db, after, today);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.borrowerId;
    const unpaid = await unpaidInstallmentsUpTo(deps.db, rows.map((row) => row.loanId), horizon);
    const outbox: OutboxMessageInput[] = [];
    let lastBorrower = -1;
    for (const row of rows) {
      if (row.borrowerId !== lastBorrower) summary.considered += 1;
      lastBorrower = row.borrowerId;
      const facts: LoanReminderFacts = { ...row, unpaid: unpaid.get(row.loanId) ?? [] };
      for (const plan of planLoanReminders(facts, today, deps.policy.offsets)) {
        summary.planned[plan.kind] = (summary.planned[plan.kind] ?? 0) + 1;
        outbox.push({
          dedupeKey: plan.dedupeKey,
          kind: `borrower_${plan.kind}`,
          recipient: { type: 'borrower', borrowerId: row.borrowerId },
          messages: [{ type: 'text', text: reminderMessageText(deps.policy, plan, row.fullName, deps.liffUrl), quickReply }],
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
