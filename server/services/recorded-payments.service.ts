// Payments an officer records from the debtor page, and their reversals. One transaction does everything a
// payment changes at once: the schedule's paid amounts (oldest installment first, interest before principal),
// reminders for what is now paid (cancelled), the borrower's promises (judged again), the audit trail and the
// borrower's thank-you (queued; sent at any hour). See domain/payment-reconciliation.ts for how these payments
// and the registry's paid_total agree.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { PaymentRequestParsed, PaymentResult } from '../contracts/officer.ts';
import { PROMISE_STATUS_THAI } from '../contracts/officer.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { findBorrowerById } from '../db/repos/borrowers.repo.ts';
import { loadInstallments, updateInstallmentPayments } from '../db/repos/loans.repo.ts';
import { lockScheduleWritesShared } from '../db/repos/locks.repo.ts';
import { cancelRemindersForPaidInstallments, reopenRemindersCancelledAsPaid } from '../db/repos/outbox.repo.ts';
import { reopenSlipOfPayment } from '../db/repos/payment-slips.repo.ts';
import {
  findLiveRecordedPaymentByReceipt,
  findRecordedPayment,
  findRecordedPaymentByIdempotencyKey,
  insertRecordedPayment,
  insertReversal,
  lockLoanForPayment,
  unconfirmedRecordedPayments,
  type PaymentChannelColumn,
  type RecordedPaymentRow,
} from '../db/repos/recorded-payments.repo.ts';
import { promisesOfBorrower } from '../db/repos/follow-ups.repo.ts';
import { assessLoan } from '../domain/debtor-status.ts';
import { DomainError } from '../domain/errors.ts';
import { applyPaidTotal, outstandingOfSchedule, type Installment } from '../domain/loan-schedule.ts';
import { bangkokDate, type LocalDate } from '../domain/local-date.ts';
import { isWithinBackdate, MAX_BACKDATE_DAYS, normalizeReceiptNo } from '../domain/officer-work.ts';
import { effectivePaidTotal } from '../domain/payment-reconciliation.ts';
import { WORKSPACE_THAI } from '../content/officer-workspace.th.ts';
import { field, isMentorCaller, visibleBorrower, visibleLoan, type OfficerCaller } from './officer-access.ts';
import { borrowerNoticeNow, enqueueOutboxMessages } from './outbox.service.ts';
import { rejudgeBorrowerPromises } from './payment-promises.service.ts';
import type { Clock } from './ports.ts';

export interface RecordedPaymentDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  promiseGraceDays: number;
  dispatchSoon?: () => void;
}

/** What recorded payments the registry has not counted yet add to its paid total, per loan. */
async function unconfirmedTotal(db: Kysely<Database>, loanId: number): Promise<number> {
  return ((await unconfirmedRecordedPayments(db, [loanId])).get(loanId) ?? []).reduce((sum, p) => sum + p.unconfirmed, 0);
}

/**
 * Sets the loan's installments to carry `effectivePaid` (oldest first, interest before principal) and cancels
 * reminders for installments that are now paid. Returns the schedule as it now stands.
 */
export async function applyEffectivePaid(trx: Transaction<Database>, loanId: number, effectivePaid: number): Promise<Installment[]> {
  const current = (await loadInstallments(trx, [loanId])).get(loanId) ?? [];
  const applied = applyPaidTotal(current, effectivePaid);
  const changed = applied.filter((installment, i) => installment.paid !== current[i]!.paid);
  await updateInstallmentPayments(trx, changed.map((installment) => ({ ...installment, loanId })));
  await cancelRemindersForPaidInstallments(trx, loanId);
  return applied;
}

class IdempotentReplay extends Error {}

async function resultOf(deps: RecordedPaymentDeps, payment: RecordedPaymentRow, replayed: boolean, today: LocalDate): Promise<PaymentResult> {
  const schedule = (await loadInstallments(deps.db, [payment.loanId])).get(payment.loanId) ?? [];
  const position = assessLoan({ litigation: false, hasActiveMeasure: false, principal: 0, installments: schedule }, today);
  const promises = (await promisesOfBorrower(deps.db, payment.borrowerId)).filter((p) => p.loanId === null || p.loanId === payment.loanId);
  return {
    id: payment.id,
    replayed,
    contractNo: payment.contractNo,
    amountSatang: payment.amount,
    outstandingAfter: position.outstandingTotal,
    overdueAfter: position.overdue,
    promises: promises
      .filter((p) => p.status !== 'open' || p.promisedOn >= payment.paidOn)
      .slice(-3)
      .map((p) => ({ id: p.id, amountSatang: p.amount, promisedOn: p.promisedOn, contractNo: p.contractNo, status: p.status, statusLabel: PROMISE_STATUS_THAI[p.status], paidSatang: p.paid })),
  };
}

export interface PaymentToRecord {
  loan: { id: number; borrowerId: number; contractNo: string };
  amount: number;
  paidOn: LocalDate;
  channel: PaymentChannelColumn;
  /** Normalised (normalizeReceiptNo); the same receipt for the same loan is the same payment. */
  receiptNo: string;
  recordedBy: number | null;
  idempotencyKey: string | null;
  statementImportId?: number | null;
  note?: string | null;
  actor: string;
  now: Date;
  today: LocalDate;
}

/**
 * Records one payment inside the caller's transaction and does everything it changes: the schedule (oldest
 * installment first), reminders for what is now paid, the borrower's promises, the audit trail and her thank-you.
 * The same receipt for the loan with the same amount and date is the same payment (`replayed`); with another amount
 * or date, 409. More than is owed: 400. `paymentId` is undefined when the officer's idempotency key was used already.
 */
export async function recordPaymentInTransaction(
  trx: Transaction<Database>,
  deps: Pick<RecordedPaymentDeps, 'promiseGraceDays'>,
  p: PaymentToRecord,
): Promise<{ paymentId: number | undefined; replayed: boolean }> {
  const { loan, now, today, actor, receiptNo } = p;
  await lockScheduleWritesShared(trx);
  const locked = (await lockLoanForPayment(trx, loan.id))!;
  // The same receipt for this loan is the same payment (another officer, another tap): never counted twice.
  const same = await findLiveRecordedPaymentByReceipt(trx, loan.id, receiptNo);
  if (same) {
    if (same.amount === p.amount && same.paidOn === p.paidOn) return { paymentId: same.id, replayed: true };
    throw new DomainError('CONFLICT', WORKSPACE_THAI.receiptTaken(receiptNo, same.amount, same.paidOn), [
      { path: 'receiptNo', message: WORKSPACE_THAI.receiptTaken(receiptNo, same.amount, same.paidOn) },
    ]);
  }
  const schedule = (await loadInstallments(trx, [loan.id])).get(loan.id) ?? [];
  const outstanding = outstandingOfSchedule(schedule);
  if (p.amount > outstanding) throw field('amountSatang', WORKSPACE_THAI.overpayment(outstanding));

  const paymentId = await insertRecordedPayment(trx, {
    loanId: loan.id,
    amount: p.amount,
    paidOn: p.paidOn,
    channel: p.channel,
    receiptNo,
    recordedBy: p.recordedBy,
    idempotencyKey: p.idempotencyKey,
    statementImportId: p.statementImportId ?? null,
    note: p.note ?? null,
    at: now,
  });
  if (paymentId === undefined) return { paymentId: undefined, replayed: true };
  const effective = effectivePaidTotal(locked.registryPaidTotal, await unconfirmedTotal(trx, loan.id));
  const after = await applyEffectivePaid(trx, loan.id, effective);
  await recordAudit(trx, {
    actor,
    action: 'payment.record',
    subject: `borrower:${loan.borrowerId}`,
    details: { paymentId, contractNo: loan.contractNo, amount: p.amount, paidOn: p.paidOn, channel: p.channel, receiptNo, ...(p.statementImportId ? { statementImportId: p.statementImportId } : {}) },
    at: now,
  });
  await rejudgeBorrowerPromises(trx, loan.borrowerId, { today, graceDays: deps.promiseGraceDays, at: now, actor });

  // Thank the borrower: a reply to something they did, so any hour will do.
  const borrower = (await findBorrowerById(trx, loan.borrowerId))!;
  const position = assessLoan({ litigation: false, hasActiveMeasure: false, principal: 0, installments: after }, today);
  await enqueueOutboxMessages(trx, [
    borrowerNoticeNow(
      `payment-thanks:${paymentId}`,
      loan.borrowerId,
      {
        kind: 'payment_thanks',
        fullName: borrower.fullName,
        contractNo: loan.contractNo,
        amount: p.amount,
        paidOn: p.paidOn,
        receiptNo,
        channel: p.channel,
        outstanding: position.outstandingTotal,
        nextDue: position.nextDue ? { dueOn: position.nextDue.dueOn, amount: position.nextDue.amount } : null,
      },
      now,
    ),
  ]);
  return { paymentId, replayed: false };
}

export async function recordPayment(
  deps: RecordedPaymentDeps,
  caller: OfficerCaller,
  idempotencyKey: string,
  parse: () => PaymentRequestParsed,
  options: {
    /** Runs in the payment's transaction with its id (a new one or the same receipt found again): e.g. attach a slip. */
    alsoInTransaction?: (trx: Transaction<Database>, paymentId: number) => Promise<void>;
  } = {},
): Promise<PaymentResult> {
  if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', WORKSPACE_THAI.mentorsCannotRecordPayments);
  const now = deps.clock.now();
  const today = bangkokDate(now);
  // A repeat of a request that already succeeded answers with the same payment, whatever it carries now.
  const earlier = await findRecordedPaymentByIdempotencyKey(deps.db, caller.id, idempotencyKey);
  if (earlier) return resultOf(deps, earlier, true, today);

  const input = parse();
  const loan = await visibleLoan(deps.db, caller, input.contractNo);
  if (!isWithinBackdate(input.paidOn, today, MAX_BACKDATE_DAYS.payment)) throw field('paidOn', WORKSPACE_THAI.paidOnRange);
  const receiptNo = normalizeReceiptNo(input.receiptNo);
  const actor = `officer:${caller.id}`;

  let outcome: { paymentId: number; replayed: boolean };
  try {
    outcome = await deps.db.transaction().execute(async (trx) => {
      const recorded = await recordPaymentInTransaction(trx, deps, {
        loan,
        amount: input.amountSatang,
        paidOn: input.paidOn,
        channel: input.channel,
        receiptNo,
        recordedBy: caller.id,
        idempotencyKey,
        actor,
        now,
        today,
      });
      if (recorded.paymentId === undefined) throw new IdempotentReplay();
      await options.alsoInTransaction?.(trx, recorded.paymentId);
      return { paymentId: recorded.paymentId, replayed: recorded.replayed };
    });
  } catch (error) {
    if (!(error instanceof IdempotentReplay)) throw error;
    outcome = { paymentId: (await findRecordedPaymentByIdempotencyKey(deps.db, caller.id, idempotencyKey))!.id, replayed: true };
  }
  if (!outcome.replayed) deps.dispatchSoon?.();
  return resultOf(deps, (await findRecordedPayment(deps.db, outcome.paymentId))!, outcome.replayed, today);
}

/**
 * Reverses a recorded payment: a new record with the negative amount that points at it (nothing is changed or
 * deleted). A payment the registry has already counted is corrected in the registry instead. Reversing twice
 * finds the first reversal.
 */
export async function reversePayment(
  deps: RecordedPaymentDeps,
  caller: OfficerCaller,
  paymentId: number,
  reason: string,
): Promise<{ id: number; reversesPaymentId: number; replayed: boolean }> {
  if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', WORKSPACE_THAI.mentorsCannotRecordPayments);
  const found = await findRecordedPayment(deps.db, paymentId);
  if (!found) throw new DomainError('NOT_FOUND', WORKSPACE_THAI.paymentNotFound);
  await visibleBorrower(deps.db, caller, found.borrowerId);
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const actor = `officer:${caller.id}`;
  const reversed = await deps.db.transaction().execute(async (trx) => {
    await lockScheduleWritesShared(trx);
    const locked = (await lockLoanForPayment(trx, found.loanId))!;
    const original = (await findRecordedPayment(trx, paymentId))!;
    if (original.reversedBy !== null) return { id: original.reversedBy, reversesPaymentId: paymentId, replayed: true };
    if (original.confirmed > 0) throw new DomainError('CONFLICT', WORKSPACE_THAI.paymentConfirmedByRegistry);
    const id = await insertReversal(trx, { original, reason, recordedBy: caller.id, paidOn: today, at: now });
    await applyEffectivePaid(trx, original.loanId, effectivePaidTotal(locked.registryPaidTotal, await unconfirmedTotal(trx, original.loanId)));
    await recordAudit(trx, {
      actor,
      action: 'payment.reverse',
      subject: `borrower:${original.borrowerId}`,
      details: { paymentId: original.id, reversalId: id, contractNo: original.contractNo, amount: original.amount, receiptNo: original.receiptNo },
      at: now,
    });
    await rejudgeBorrowerPromises(trx, original.borrowerId, { today, graceDays: deps.promiseGraceDays, at: now, actor });
    // What the payment had settled is owed again: its reminders may go again, and a slip it came from is checked again.
    await reopenRemindersCancelledAsPaid(trx, original.loanId);
    const slipId = await reopenSlipOfPayment(trx, original.id);
    if (slipId !== undefined) {
      await recordAudit(trx, { actor, action: 'slip.reopen', subject: `borrower:${original.borrowerId}`, details: { slipId, paymentId: original.id, reversalId: id }, at: now });
    }
    // She was thanked for it at once: she is told at once too (any hour, like the thanks), so that a payment recorded
    // again right after is thanked after this notice, and the balance it gives is not overtaken.
    const borrower = (await findBorrowerById(trx, original.borrowerId))!;
    const after = (await loadInstallments(trx, [original.loanId])).get(original.loanId) ?? [];
    await enqueueOutboxMessages(trx, [
      borrowerNoticeNow(
        `payment-reversed:${id}`,
        original.borrowerId,
        {
          kind: 'payment_reversed',
          fullName: borrower.fullName,
          contractNo: original.contractNo,
          amount: original.amount,
          paidOn: original.paidOn,
          receiptNo: original.receiptNo,
          reason,
          outstanding: outstandingOfSchedule(after),
          slipSentAgain: slipId !== undefined,
        },
        now,
      ),
    ]);
    return { id, reversesPaymentId: paymentId, replayed: false };
  });
  if (!reversed.replayed) deps.dispatchSoon?.();
  return reversed;
}
