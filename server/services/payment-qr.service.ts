// Paying from the chat: each loan's Ref1, what is due now, and the signed address of the QR image the borrower saves
// and opens in her banking app. The image itself is drawn by render/promptpay-qr-image.ts from what this returns.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findPayableLoan, loansWithoutPaymentRef1, setPaymentRef1s, takenPaymentRef1s } from '../db/repos/payment-refs.repo.ts';
import { DomainError } from '../domain/errors.ts';
import { bangkokDate, daysBetween, type LocalDate } from '../domain/local-date.ts';
import { formatSatang } from '../domain/money.ts';
import { paymentDueNow, parseTicketText, ticketText, type PaymentDue, type PaymentQrTicket } from '../domain/payment-due.ts';
import type { LoanPosition } from '../domain/debtor-status.ts';
import { buildBillPaymentPayload, chooseRef1s, paymentRef1, paymentRef2 } from '../domain/promptpay.ts';
import { isUniqueViolation } from '../db/database-errors.ts';
import { MONEY_THAI } from '../content/money.th.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { Clock } from './ports.ts';

export interface PaymentQrDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  /** PROMPTPAY_BILLER_ID; undefined: no QR anywhere, the counter and transfer text instead. */
  billerId: string | undefined;
  /** Where LINE's app fetches the image from: PUBLIC_URL (or the simulator's own address). */
  publicUrl: string | undefined;
}

export interface PaymentQrOffer extends PaymentDue {
  contractNo: string;
  /** https://…/pay/qr/<ticket>.png: what LINE's image message shows. */
  imageUrl: string;
}

/** What render/promptpay-qr-image.ts draws. */
export interface PaymentQrImageData {
  payload: string;
  title: string;
  lines: string[];
  amount: string;
  footer: string;
}

export interface PaymentQrService {
  /** A biller ID and a public address are configured. */
  readonly enabled: boolean;
  /** The QR image's address for this loan's payment; undefined when QR payment is off. */
  imageUrlFor(due: { loanId: number; installmentSeq: number; amount: number }): string | undefined;
  /** One offer per loan with something due now (the chat's "วิธีชำระ"). */
  offersFor(loans: ReadonlyArray<{ id: number; contractNo: string; position: Pick<LoanPosition, 'overdue' | 'nextDue'> }>): PaymentQrOffer[];
  /** What the image at a signed address shows; GONE when the address expired or was forged. */
  imageFor(ticket: string): Promise<PaymentQrImageData>;
  /** Gives loans that have none their Ref1 (unique; the readable form, else the hashed one). Returns how many. */
  assignRefs(): Promise<number>;
}

/** A QR saved in the phone's album is opened weeks later: the link lasts 60 days (the amount is as of sending). */
const TICKET_DAYS = 60;
const SIGNATURE_CHARS = 27;
const EPOCH: LocalDate = '1970-01-01';

export function createPaymentQrService(deps: PaymentQrDeps): PaymentQrService {
  const base = deps.publicUrl?.replace(/\/+$/, '');
  const enabled = Boolean(deps.billerId && base);
  const sign = (text: string) => deps.cipher.lookupHash(`payment-qr:${text}`).slice(0, SIGNATURE_CHARS);

  function imageUrlFor(due: { loanId: number; installmentSeq: number; amount: number }): string | undefined {
    if (!enabled || due.amount < 1) return undefined;
    const today = bangkokDate(deps.clock.now());
    const text = ticketText({ loanId: due.loanId, installmentSeq: due.installmentSeq, amount: due.amount, expiresDay: daysBetween(EPOCH, today) + TICKET_DAYS });
    return `${base}/pay/qr/${text}.${sign(text)}.png`;
  }

  function readTicket(token: string): PaymentQrTicket {
    const gone = new DomainError('GONE', MONEY_THAI.qrLinkExpired);
    const match = /^([0-9-]{7,45})\.([A-Za-z0-9_-]{27})$/.exec(token);
    if (!match) throw gone;
    const [, text, signature] = match as unknown as [string, string, string];
    const valid = deps.cipher.lookupHashes(`payment-qr:${text}`).some((hash) => hash.slice(0, SIGNATURE_CHARS) === signature);
    const ticket = valid ? parseTicketText(text) : undefined;
    if (!ticket || ticket.expiresDay < daysBetween(EPOCH, bangkokDate(deps.clock.now()))) throw gone;
    return ticket;
  }

  async function assignRefs(): Promise<number> {
    let assigned = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        for (;;) {
          const missing = await loansWithoutPaymentRef1(deps.db, 5000);
          if (missing.length === 0) return assigned;
          // Two contracts spelt alike ("A-1-23", "A-12-3") cannot share a Ref1: the later one gets the hashed form.
          const assignments = chooseRef1s(missing, await takenPaymentRef1s(deps.db, missing.map((loan) => paymentRef1(loan.contractNo))));
          await setPaymentRef1s(deps.db, assignments);
          assigned += assignments.length;
        }
      } catch (error) {
        // Another replica assigned the same Ref1 at the same moment: read again and carry on.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return assigned;
  }

  return {
    enabled,
    imageUrlFor,
    offersFor(loans) {
      if (!enabled) return [];
      return loans.flatMap((loan) => {
        const due = paymentDueNow(loan.position);
        const imageUrl = due && imageUrlFor({ loanId: loan.id, installmentSeq: due.installmentSeq, amount: due.amount });
        return due && imageUrl ? [{ ...due, contractNo: loan.contractNo, imageUrl }] : [];
      });
    },
    async imageFor(token) {
      if (!deps.billerId) throw new DomainError('GONE', MONEY_THAI.qrLinkExpired);
      const ticket = readTicket(token);
      let loan = await findPayableLoan(deps.db, ticket.loanId);
      if (loan && loan.ref1 === null) {
        await assignRefs();
        loan = await findPayableLoan(deps.db, ticket.loanId);
      }
      if (!loan?.ref1) throw new DomainError('GONE', MONEY_THAI.qrLinkExpired);
      const ref2 = paymentRef2(loan.ref1, ticket.installmentSeq);
      return {
        payload: buildBillPaymentPayload({ billerId: deps.billerId, ref1: loan.ref1, ref2, amountSatang: ticket.amount }),
        title: MONEY_THAI.qrTitle,
        lines: [MONEY_THAI.qrContract(loan.contractNo), MONEY_THAI.qrWhat(ticket.installmentSeq, null), MONEY_THAI.qrRefs(loan.ref1, ref2)],
        amount: formatSatang(ticket.amount),
        footer: MONEY_THAI.qrFooter,
      };
    },
    assignRefs,
  };
}
