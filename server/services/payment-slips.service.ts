// Transfer slips a linked borrower sends in the chat: stored sealed (like documents), the banks' slip QR read when
// there is one (a transaction sent twice is caught), the borrower thanked; then an officer of her area confirms it —
// a recorded payment with the slip attached — or rejects it with a reason she is told. Nothing is posted without an
// officer.
import { createHash } from 'node:crypto';
import { SLIP_REJECT_REASONS, SLIP_STATUS_THAI, type SlipConfirmParsed, type SlipDecision, type SlipItem, type SlipsResponse } from '../contracts/money.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { isUniqueViolation } from '../db/database-errors.ts';
import { findBorrowerById } from '../db/repos/borrowers.repo.ts';
import { findIdentity } from '../db/repos/line-accounts.repo.ts';
import { lockSlipTransfer, lockThrottleOf } from '../db/repos/locks.repo.ts';
import { listEnrollmentsOfBorrower } from '../db/repos/enrollments.repo.ts';
import {
  pendingSlipsForViewer,
  countSlipsSince,
  sameTransferOf,
  transferGroupOf,
  findEarlierSlip,
  findSlipByMessageId,
  findSlipForViewer,
  insertSlip,
  lockSlip,
  markSlipConfirmed,
  markSlipRejected,
  slipContent,
  slipsForViewer,
  type SlipListRow,
} from '../db/repos/payment-slips.repo.ts';
import { DomainError } from '../domain/errors.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { paymentDueNow } from '../domain/payment-due.ts';
import type { SlipQr } from '../domain/slip-qr.ts';
import { formatAreaPath } from '../content/area-names.ts';
import { MONEY_THAI } from '../content/money.th.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { ChatReply } from './chat-answers.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { isMentorCaller, visibleLoan, type OfficerCaller } from './officer-access.ts';
import { borrowerNoticeNow, enqueueOutboxMessages } from './outbox.service.ts';
import { recordPayment, type RecordedPaymentDeps } from './recorded-payments.service.ts';

/** What recording payments needs, and the cipher the slips are sealed with. */
export interface PaymentSlipDeps extends RecordedPaymentDeps {
  cipher: PersonalDataCipher;
}

/** A photo sent in the chat; `load` reads it through LINE's content API and looks for the slip QR. */
export interface IncomingPhoto {
  lineUserId: string;
  messageId: string;
  /** LINE's token for quoting the photo later (the rejection quotes it). */
  quoteToken?: string;
  load: () => Promise<{ bytes: Buffer; slipQr: SlipQr | undefined } | undefined>;
}

/** Thrown inside a decision's transaction when another officer decided the slip first. */
class DecidedMeanwhile extends Error {}

function sniffImage(bytes: Buffer): 'image/jpeg' | 'image/png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

const LIST_LIMIT = 50;
/** Slips a borrower may send in a day: far more than anyone pays in a day, far fewer than a flood. */
const SLIPS_PER_DAY = 10;
const SLIP_WINDOW_MS = 24 * 60 * 60 * 1000;

export function createPaymentSlipService(deps: PaymentSlipDeps) {
  const reply = (text: string): ChatReply => ({ audience: 'borrower', answers: [{ kind: 'text', text }] });

  /** A photo from a linked borrower is a slip; undefined for anyone else (the chat answers them as before). */
  async function receivePhoto(photo: IncomingPhoto): Promise<ChatReply | undefined> {
    const identity = await findIdentity(deps.db, photo.lineUserId);
    if (identity.kind !== 'borrower') return undefined;
    const borrower = await findBorrowerById(deps.db, identity.borrowerId);
    if (!borrower) return undefined;
    // A redelivered event: the slip is stored already.
    if (await findSlipByMessageId(deps.db, photo.messageId)) return reply(MONEY_THAI.slipAlreadyStored);

    const loaded = await photo.load();
    const contentType = loaded && sniffImage(loaded.bytes);
    if (!loaded || !contentType) return reply(MONEY_THAI.slipUnreadable(borrower.fullName));
    const now = deps.clock.now();
    const sha256 = createHash('sha256').update(loaded.bytes).digest('hex');
    const qr = loaded.slipQr;

    // Asked for documents, she sends a photo without a slip's QR: most likely the document (an ID card, a medical
    // certificate). It is not filed as a payment slip — the slip queue is no place for it — and she is shown where it
    // reaches her application.
    if (!qr) {
      const asked = (await listEnrollmentsOfBorrower(deps.db, identity.borrowerId)).filter((e) => e.status === 'needs_documents');
      if (asked.length > 0) {
        const documents = asked.flatMap((e) => (e.requestedDocuments ?? []).map((d) => d.label));
        return {
          audience: 'borrower',
          answers: [{ kind: 'mini_app_link', text: MONEY_THAI.photoWhileDocumentsAsked(borrower.fullName, asked.map((e) => e.id), documents), label: 'แนบเอกสาร', path: '/applications' }],
        };
      }
    }

    // What she most likely pays: the first loan with something due now, and that amount.
    const overview = await loadDebtOverview(deps.db, identity.borrowerId, bangkokDate(now));
    const suggestion = overview?.loans.map((loan) => ({ loan, due: paymentDueNow(loan.position) })).find((s) => s.due);

    // Counted and stored under a lock on her slips: a flood of photos (each up to 20 MB) stops at the daily bound,
    // parallel photos included, and cannot bury other borrowers' slips in the officers' queue.
    const store = () => deps.db.transaction().execute(async (trx) => {
      await lockThrottleOf(trx, 'slips', String(identity.borrowerId));
      const recent = await countSlipsSince(trx, identity.borrowerId, new Date(now.getTime() - SLIP_WINDOW_MS));
      // The window rolls: she may send again once the first of these is 24 hours old.
      if (recent.count >= SLIPS_PER_DAY) return { id: undefined, earlier: undefined, full: new Date(recent.firstAt!.getTime() + SLIP_WINDOW_MS) };
      const earlier = await findEarlierSlip(trx, { borrowerId: identity.borrowerId, bankCode: qr?.bankCode ?? null, transRef: qr?.transRef ?? null, sha256 });
      const id = await insertSlip(trx, {
        borrowerId: identity.borrowerId,
        lineMessageId: photo.messageId,
        quoteToken: photo.quoteToken ?? null,
        contentType,
        byteSize: loaded.bytes.length,
        sha256,
        sealed: deps.cipher.sealBytes(loaded.bytes),
        bankCode: qr?.bankCode ?? null,
        transRef: qr?.transRef ?? null,
        // Her own slip again: set aside. Another borrower's transfer: still hers to check (one transfer may pay for
        // two members; or a slip is used again), so it waits for an officer, marked with the slip it repeats.
        status: earlier && earlier.borrowerId === identity.borrowerId ? 'duplicate' : 'pending',
        duplicateOf: earlier?.id ?? null,
        suggestedLoanId: suggestion?.loan.id ?? null,
        suggestedAmount: suggestion?.due?.amount ?? null,
        at: now,
      });
      return { id, earlier, full: undefined };
    });
    let stored: Awaited<ReturnType<typeof store>>;
    try {
      stored = await store();
    } catch (error) {
      // The same transaction arrived twice at the same moment: the second is a duplicate of the first.
      if (!isUniqueViolation(error)) throw error;
      stored = await store();
    }
    if (stored.full) return reply(MONEY_THAI.slipsFull(borrower.fullName, SLIPS_PER_DAY, stored.full));
    if (stored.id === undefined) return reply(MONEY_THAI.slipAlreadyStored);
    await recordAudit(deps.db, {
      actor: `line:${photo.lineUserId}`,
      action: 'slip.receive',
      subject: `borrower:${identity.borrowerId}`,
      details: { slipId: stored.id, bankCode: qr?.bankCode ?? null, slipQrRead: qr !== undefined, duplicateOf: stored.earlier?.id ?? null },
      at: now,
    });
    // Only her own earlier slip is named: when someone else sent it is not hers to know.
    if (stored.earlier?.borrowerId === identity.borrowerId) return reply(MONEY_THAI.slipDuplicate(borrower.fullName, stored.earlier.receivedAt));
    return reply(MONEY_THAI.slipReceived(borrower.fullName, qr !== undefined));
  }

  async function itemsOf(rows: SlipListRow[]): Promise<SlipItem[]> {
    const today = bangkokDate(deps.clock.now());
    const contracts = new Map<number, SlipItem['contracts']>();
    for (const borrowerId of new Set(rows.filter((row) => row.status === 'pending').map((row) => row.borrowerId))) {
      const overview = await loadDebtOverview(deps.db, borrowerId, today);
      contracts.set(
        borrowerId,
        (overview?.loans ?? []).map((loan) => ({ contractNo: loan.contractNo, overdueSatang: loan.position.overdue, outstandingSatang: loan.position.outstandingTotal })),
      );
    }
    // Waiting slips that other borrowers sent too (one transfer for two members, or a slip used again): each card says
    // so, the first one as well as the later ones.
    const shared = await sameTransferOf(deps.db, rows.filter((row) => row.status === 'pending').map((row) => row.id));
    return rows.map((row) => ({
      id: row.id,
      borrowerId: row.borrowerId,
      fullName: row.fullName,
      area: formatAreaPath(row.areaPath),
      status: row.status,
      statusLabel: SLIP_STATUS_THAI[row.status],
      receivedAt: row.receivedAt.toISOString(),
      transRef: row.transRef,
      bankCode: row.bankCode,
      suggestedContractNo: row.suggestedContractNo,
      suggestedAmountSatang: row.suggestedAmount,
      contracts: contracts.get(row.borrowerId) ?? [],
      paymentId: row.paymentId,
      rejectReason: row.rejectReason,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      decidedBy: row.decidedByName,
      ...(shared.has(row.id) ? { sameTransfer: { ...shared.get(row.id)!, firstSentAt: shared.get(row.id)!.firstSentAt.toISOString() } } : {}),
    }));
  }

  /** The "Slips to check" queue of the caller's area (oldest first) and the latest decisions; the read is audited. */
  async function listSlips(caller: OfficerCaller): Promise<SlipsResponse> {
    const [pending, recent] = await Promise.all([slipsForViewer(deps.db, caller.viewer, 'pending', LIST_LIMIT), slipsForViewer(deps.db, caller.viewer, 'decided', 20)]);
    await recordAudit(deps.db, {
      actor: `officer:${caller.id}`,
      action: 'slips.list',
      details: { slipIds: [...pending, ...recent].map((row) => row.id), borrowerIds: [...new Set([...pending, ...recent].map((row) => row.borrowerId))] },
      at: deps.clock.now(),
    });
    return { pending: await itemsOf(pending), recent: await itemsOf(recent), canDecide: !isMentorCaller(caller), rejectReasons: [...SLIP_REJECT_REASONS] };
  }

  /** Another officer decided the slip first: said with who and what, so the officer knows the card is stale. */
  async function decidedAlready(id: number, caller: OfficerCaller): Promise<DomainError> {
    const now = await visibleSlip(caller, id);
    return new DomainError('CONFLICT', MONEY_THAI.slipDecidedBy(now.status, now.decidedByName));
  }

  async function whileUndecided<T>(id: number, caller: OfficerCaller, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DecidedMeanwhile) throw await decidedAlready(id, caller);
      throw error;
    }
  }

  async function visibleSlip(caller: OfficerCaller, id: number): Promise<SlipListRow> {
    const { slip, exists } = await findSlipForViewer(deps.db, caller.viewer, id);
    if (slip) return slip;
    throw exists ? new DomainError('FORBIDDEN', MONEY_THAI.slipOutsideArea) : new DomainError('NOT_FOUND', MONEY_THAI.slipNotFound);
  }

  /** The slip's photo, for an officer of the borrower's area; audited. */
  async function readSlipImage(caller: OfficerCaller, id: number): Promise<{ contentType: string; content: Buffer }> {
    const slip = await visibleSlip(caller, id);
    const stored = (await slipContent(deps.db, id))!;
    await recordAudit(deps.db, { actor: `officer:${caller.id}`, action: 'slip.view', subject: `borrower:${slip.borrowerId}`, details: { slipId: id }, at: deps.clock.now() });
    return { contentType: stored.contentType, content: deps.cipher.openBytes(stored.sealed) };
  }

  /**
   * Confirms a slip: a recorded payment (channel transfer; receipt = the bank's transaction reference from the QR,
   * else SLIP<id>) on one of her own contracts, with the slip attached, in one transaction. Confirming again finds
   * the same payment; a slip someone else already decided is 409.
   */
  async function confirmSlip(caller: OfficerCaller, id: number, input: SlipConfirmParsed): Promise<SlipDecision> {
    if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', MONEY_THAI.mentorsCannotDecideSlips);
    const slip = await visibleSlip(caller, id);
    if (slip.status === 'confirmed' && slip.paymentId !== null) return { id, status: 'confirmed', paymentId: slip.paymentId, replayed: true };
    if (slip.status !== 'pending') throw await decidedAlready(id, caller);
    const loan = await visibleLoan(deps.db, caller, input.contractNo);
    if (loan.borrowerId !== slip.borrowerId) {
      throw new DomainError('VALIDATION', MONEY_THAI.slipContractNotOfBorrower, [{ path: 'contractNo', message: MONEY_THAI.slipContractNotOfBorrower }]);
    }
    const receiptNo = slip.transRef ?? MONEY_THAI.slipReceiptNo(id);
    const result = await whileUndecided(id, caller, () =>
      recordPayment(
        deps,
        caller,
        // Confirming it again after a reversal is a new request, not a repeat of the reversed one.
        slip.reopened === 0 ? `slip:${id}` : `slip:${id}:${slip.reopened}`,
        () => ({ contractNo: input.contractNo, amountSatang: input.amountSatang, paidOn: input.paidOn, channel: 'transfer', receiptNo }),
        {
          alsoInTransaction: async (trx, paymentId) => {
            // The same transfer already paid someone else's debt: recorded again only once the officer says she
            // checked the slip's amount covers both (a transfer paid in full twice is money the fund never received).
            // Under the transfer's lock, so two officers confirming two of its slips at once see each other.
            await lockSlipTransfer(trx, transferGroupOf(slip));
            const shared = (await sameTransferOf(trx, [id])).get(id);
            if (shared && shared.recordedSatang > 0 && !input.sameTransferChecked) {
              const message = MONEY_THAI.sameTransferRecorded(shared.recordedSatang);
              throw new DomainError('VALIDATION', message, [{ path: 'sameTransferChecked', message }]);
            }
            const locked = await lockSlip(trx, id);
            if (locked?.status === 'confirmed' && locked.paymentId === paymentId) return;
            if (locked?.status !== 'pending') throw new DecidedMeanwhile();
            await markSlipConfirmed(trx, id, { paymentId, officerId: caller.id, at: deps.clock.now() });
            await recordAudit(trx, { actor: `officer:${caller.id}`, action: 'slip.confirm', subject: `borrower:${slip.borrowerId}`, details: { slipId: id, paymentId }, at: deps.clock.now() });
          },
        },
      ),
    );
    return { id, status: 'confirmed', paymentId: result.id, replayed: result.replayed };
  }

  /** Rejects a slip with a reason the borrower reads in the chat (sent at once, any hour). */
  async function rejectSlip(caller: OfficerCaller, id: number, reason: string): Promise<SlipDecision> {
    if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', MONEY_THAI.mentorsCannotDecideSlips);
    const slip = await visibleSlip(caller, id);
    const now = deps.clock.now();
    const outcome = await whileUndecided(id, caller, () =>
      deps.db.transaction().execute(async (trx) => {
        const locked = await lockSlip(trx, id);
        if (locked?.status === 'rejected') return 'replayed' as const;
        if (locked?.status !== 'pending') throw new DecidedMeanwhile();
        await markSlipRejected(trx, id, { reason, officerId: caller.id, at: now });
        await recordAudit(trx, { actor: `officer:${caller.id}`, action: 'slip.reject', subject: `borrower:${slip.borrowerId}`, details: { slipId: id }, at: now });
        await enqueueOutboxMessages(trx, [
          borrowerNoticeNow(
            `slip-rejected:${id}`,
            slip.borrowerId,
            {
              kind: 'slip_rejected',
              fullName: slip.fullName,
              receivedAt: slip.receivedAt.toISOString(),
              reason,
              // Quoting the photo says which one, when she sent several in the same minute.
              ...(locked.quoteToken ? { quoteToken: locked.quoteToken } : {}),
            },
            now,
          ),
        ]);
        return 'rejected' as const;
      }),
    );
    if (outcome === 'rejected') deps.dispatchSoon?.();
    return { id, status: 'rejected', paymentId: null, replayed: outcome === 'replayed' };
  }

  /** How many slips wait in the caller's area (a number only: nothing personal, not audited). */
  async function countWaiting(caller: OfficerCaller): Promise<{ count: number }> {
    return { count: (await pendingSlipsForViewer(deps.db, caller.viewer)).count };
  }

  return { receivePhoto, listSlips, readSlipImage, confirmSlip, rejectSlip, countWaiting };
}

export type PaymentSlipService = ReturnType<typeof createPaymentSlipService>;
