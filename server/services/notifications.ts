// What the bot tells people outside a conversation, as data: services decide these facts and queue them in the
// outbox; line/notification-renderer.ts alone knows how each looks in LINE. The outbox stores the data, not the
// LINE JSON, so a message waiting for the morning is rendered with today's wording when it is sent, and a new
// channel (SMS, e-mail) is a new renderer, not a change to every service.
//
// Everything here travels through JSON (the outbox's jsonb column): instants are ISO strings, never Dates.
import type { PortfolioSummary, DebtorStatus } from '../domain/debtor-status.ts';
import type { EnrollmentStatus, ReviewLevel } from '../domain/enrollment-workflow.ts';
import type { LocalDate } from '../domain/local-date.ts';
import type { Satang } from '../domain/money.ts';
import type { BorrowerReminderKind } from '../domain/reminder-policy.ts';

/** An ISO-8601 instant ("2026-11-23T03:00:00.000Z"). */
export type IsoInstant = string;

export interface VisitCandidate {
  fullName: string;
  areaPath: string;
  daysPastDue: number;
  overdue: Satang;
}

/** The officer's review card: everything a decision needs, with the buttons of the level it waits at. */
export interface EnrollmentCard {
  id: number;
  version: number;
  level: ReviewLevel;
  borrowerName: string;
  nationalIdMasked: string;
  areaPath: string;
  contractNo: string;
  measureTitle: string;
  reasonCode: string | null;
  reason: string;
  phone: string;
  monthlyIncome: Satang | null;
  monthlyExpenses: Satang | null;
  affordablePayment: Satang | null;
  documentCount: number;
  submittedAt: IsoInstant;
  deadlineAt: IsoInstant;
  loanStatus: DebtorStatus;
  overdue: Satang;
  outstandingTotal: Satang;
  /** Set when the borrower sent documents an officer asked for. */
  resubmitted: boolean;
  /** The level whose decision this is, when it reached an officer above it because that level has no linked officer. */
  delegatedFrom?: ReviewLevel | null;
  /** Documents asked for earlier, now sent (a resubmission). */
  requestedDocuments?: string[];
  /** What the borrower wrote when she last sent documents asked for (every later level sees it too). */
  borrowerNote?: string | null;
}

/** A step of the borrower's own application, told in plain Thai. */
export interface BorrowerUpdate {
  id: number;
  contractNo: string;
  measureTitle: string;
  to: EnrollmentStatus;
  from: EnrollmentStatus | null;
  deadlineAt: IsoInstant | null;
  note: string | null;
  /** Approved with a new schedule: its headline figures. */
  newSchedule?: { regularInstallment: Satang; firstDueOn: LocalDate | null; lastDueOn: LocalDate | null } | null;
  /** ขอเอกสารเพิ่ม: exactly which documents, as the borrower reads them. */
  requestedDocuments?: string[];
}

/** What happened to an application, told to officers who are not deciding it now (information only). */
export interface EnrollmentOutcome {
  enrollmentId: number;
  borrowerName: string;
  contractNo: string;
  measureTitle: string;
  event: 'filed' | 'approved' | 'rejected' | 'withdrawn';
  note: string | null;
  /** tambon: the borrower's tambon officer; reviewer: an officer of a level the application passed through. */
  audience: 'tambon' | 'reviewer';
  /** Her debtor page is what the tambon officer opens (the review page is for the levels that decide). Absent in messages queued before it was added. */
  borrowerId?: number;
}

export type Notification =
  | {
      kind: 'borrower_reminder';
      reminder: BorrowerReminderKind;
      fullName: string;
      contractNo: string;
      amount: Satang;
      dueOn: LocalDate | null;
      days: number;
      /** For the bill-payment QR offered with it (absent in reminders planned before QRs existed). */
      loanId?: number;
      installmentSeq?: number | null;
      /** Her open application for a measure on this loan: she is not urged to apply again. */
      applicationPending?: { id: number; measureTitle: string };
    }
  | {
      kind: 'officer_digest';
      /** The officer's area ("province/district"), null for national roles. */
      scopePath: string | null;
      today: LocalDate;
      summary: PortfolioSummary;
      visits: VisitCandidate[];
      pendingApplications: number;
      /** Promises to pay judged broken or partly kept in the week before (absent in digests planned before promises existed). */
      brokenPromises?: number;
    }
  | { kind: 'forum_reminder'; month: string }
  | {
      /**
       * To the LINE account that was linked to this person until someone linked another account with their code (a new
       * phone, or a code that fell into the wrong hands): what happened and when, so it is never silent.
       */
      kind: 'account_replaced';
      role: 'borrower' | 'officer';
      fullName: string;
      at: IsoInstant;
    }
  /** To an officer's LINE account, when the operator ended her access (she left or moved): what happened and when. */
  | { kind: 'officer_deactivated'; fullName: string; at: IsoInstant }
  | {
      kind: 'report_reminder';
      reportDate: LocalDate;
      daysLeft: number;
      /** Whose report: the tambon's plan goes to the district, the district's to the province, and so on up (absent on rows queued before). */
      level?: 'tambon' | 'district' | 'province';
    }
  | { kind: 'quarterly_draft'; draft: QuarterlyDraft }
  | { kind: 'enrollment_review'; card: EnrollmentCard }
  | { kind: 'enrollment_update'; update: BorrowerUpdate }
  | { kind: 'enrollment_withdrawn'; enrollmentId: number; contractNo: string }
  | { kind: 'enrollment_outcome'; outcome: EnrollmentOutcome }
  | { kind: 'coverage_gaps'; gaps: Array<{ level: 'district' | 'province'; path: string; borrowers: number }>; more: boolean }
  | { kind: 'enrollment_deadline'; enrollmentId: number; contractNo: string; level: ReviewLevel; deadlineAt: IsoInstant }
  | { kind: 'quota_alert'; limit: number | null; usedThisMonth: number; due: number; remaining: number; checkedAt: IsoInstant }
  | {
      /** An officer recorded the borrower's payment: thanks, and what is left (transactional: any hour). */
      kind: 'payment_thanks';
      fullName: string;
      contractNo: string;
      amount: Satang;
      paidOn: LocalDate;
      receiptNo: string;
      /** How it came (absent on rows queued before): a transfer's number is the bank's reference, not a receipt. */
      channel?: 'counter' | 'transfer' | 'mentor' | 'field';
      outstanding: Satang;
      nextDue: { dueOn: LocalDate; amount: Satang } | null;
    }
  | {
      /** An officer reversed a payment she was thanked for: that it no longer counts, why, and what is owed (contact hours). */
      kind: 'payment_reversed';
      fullName: string;
      contractNo: string;
      amount: Satang;
      paidOn: LocalDate;
      receiptNo: string | null;
      reason: string;
      outstanding: Satang;
      /** The payment came from a slip she sent: the slip is being checked again. */
      slipSentAgain: boolean;
    }
  | {
      /** A province opened a model-centre selection round: told to its district offices. */
      kind: 'centre_round_opened';
      roundId: number;
      province: string;
      fiscalYearBE: number;
      deadlineOn: LocalDate;
      videoMaxMinutes: number;
    }
  | {
      /** 7 days and 1 day before a selection round's deadline, with the district's own count. */
      kind: 'centre_round_reminder';
      roundId: number;
      province: string;
      fiscalYearBE: number;
      deadlineOn: LocalDate;
      daysLeft: number;
      submitted: number;
      centres: number;
    }
  | {
      /** An officer could not post the transfer slip she sent in the chat: why, and what to do (any hour). */
      kind: 'slip_rejected';
      fullName: string;
      receivedAt: IsoInstant;
      reason: string;
      /** LINE's quote token of the photo: the notice quotes it (absent for slips stored before migration 0023). */
      quoteToken?: string;
    }
  | {
      /** Transfer slips borrowers of the officer's area sent in the chat wait to be checked: at most once a day. */
      kind: 'slips_waiting';
      count: number;
      oldestReceivedAt: IsoInstant;
    }
  | {
      /** The day before a promised payment (inside the contact hours). */
      kind: 'promise_reminder';
      fullName: string;
      amount: Satang;
      promisedOn: LocalDate;
      contractNo: string | null;
      /** Paid towards it so far: kept up to date while the reminder waits, so she is asked only for the rest. */
      paid?: Satang;
    };

export type NotificationKind = Notification['kind'];

/** The quarter's report, drafted by the system on the 1st of the quarter-end month (issue 10 §5). */
export interface QuarterlyDraft {
  /** "2570-Q1" */
  quarterKey: string;
  quarter: number;
  fiscalYearBe: number;
  /** The report is due on the 5th of the month. */
  reportDate: LocalDate;
  scopePath: string | null;
  /** The figures count up to this day (the day before the 1st). */
  asOf: LocalDate;
  overdueRatePercent: number;
  /** At the end of the previous quarter; null when nothing was owed then. */
  previousRatePercent: number | null;
  outstanding: Satang;
  overdue: Satang;
  /** Collected against due in the quarter up to asOf. */
  collected: Satang;
  due: Satang;
  contacts: number;
  debtorsContacted: number;
  promisesMade: number;
  promisesKept: number;
  promisesBroken: number;
  applicationsWaiting: number;
  applicationsApproved: number;
  applicationsLate: number;
  /** The child areas' own drafts rolled up (a province's districts, a district's tambons): worst overdue rate first. */
  children: Array<{ title: string; overdueRatePercent: number; collected: Satang; due: Satang }>;
}
