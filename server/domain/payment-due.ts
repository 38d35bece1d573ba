// What a borrower's payment QR asks for: "what is due now" on one loan, and which installment Ref2 names.
import type { LoanPosition } from './debtor-status.ts';
import type { LocalDate } from './local-date.ts';
import type { Satang } from './money.ts';

export interface PaymentDue {
  amount: Satang;
  /** The installment a Ref2 names; 0 = towards the loan (arrears over several installments). */
  installmentSeq: number;
  /** The due date of that installment; null for arrears. */
  dueOn: LocalDate | null;
}

/**
 * Arrears first — everything overdue, in one payment towards the loan (Ref2 installment 000) — else the next
 * installment expected (under a principal pause, its interest). Nothing when nothing is expected (paid off, or a
 * suspension holds everything back): no QR is offered then.
 */
export function paymentDueNow(position: Pick<LoanPosition, 'overdue' | 'nextDue'>): PaymentDue | undefined {
  if (position.overdue > 0) return { amount: position.overdue, installmentSeq: 0, dueOn: null };
  if (position.nextDue && position.nextDue.amount > 0) {
    return { amount: position.nextDue.amount, installmentSeq: position.nextDue.seq, dueOn: position.nextDue.dueOn };
  }
  return undefined;
}

/** The signed part of a QR image's address: which loan, which installment, how much, until when (a day number). */
export interface PaymentQrTicket {
  loanId: number;
  installmentSeq: number;
  amount: Satang;
  /** Days since 1970-01-01 (Bangkok) after which the link no longer opens. */
  expiresDay: number;
}

export function ticketText(ticket: PaymentQrTicket): string {
  return `${ticket.loanId}-${ticket.installmentSeq}-${ticket.amount}-${ticket.expiresDay}`;
}

/** Reads "loanId-seq-amount-expiresDay"; undefined for anything else. */
export function parseTicketText(text: string): PaymentQrTicket | undefined {
  const match = /^(\d{1,15})-(\d{1,3})-(\d{1,13})-(\d{1,6})$/.exec(text);
  if (!match) return undefined;
  const [loanId, installmentSeq, amount, expiresDay] = match.slice(1).map(Number) as [number, number, number, number];
  if (amount < 1) return undefined;
  return { loanId, installmentSeq, amount, expiresDay };
}
