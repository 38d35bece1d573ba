// What the bot answers, as data: services decide the answer, line/chat-renderer.ts turns it into LINE messages.
import type { PortfolioSummary } from '../domain/debtor-status.ts';
import type { LocalDate } from '../domain/local-date.ts';
import type { ReliefMeasure } from '../db/repos/measures.repo.ts';
import type { OfficerProfile } from '../db/repos/officers.repo.ts';
import type { DebtOverview } from './debt-overview.service.ts';
import type { LookupResult } from './portfolio.service.ts';
import type { DeliveryHistoryRow } from '../db/repos/outbox.repo.ts';
import type { PaymentQrOffer } from './payment-qr.service.ts';

/** Which quick-reply menu goes under the answer (unless the answer brings choices of its own). */
export type ChatAudience = 'guest' | 'borrower' | 'officer';

export type ChatAnswer =
  | { kind: 'text'; text: string }
  | { kind: 'debt'; overview: DebtOverview }
  | { kind: 'measures'; measures: ReliefMeasure[] }
  /** qrs: a bill-payment QR per loan with something due (PROMPTPAY_BILLER_ID set); none: the counter and transfer text. */
  | { kind: 'how_to_pay'; contractNos: string[]; qrs?: PaymentQrOffer[]; qrEnabled?: boolean }
  | { kind: 'officer_contact'; officers: OfficerProfile[]; areaPath: string }
  | { kind: 'area_summary'; officer: OfficerProfile; summary: PortfolioSummary; today: LocalDate }
  | { kind: 'lookup'; query: string; result: LookupResult }
  | { kind: 'delivery_history'; borrowerName: string; rows: DeliveryHistoryRow[] }
  /** A link into the mini-app (path under the LIFF URL), as a button. */
  | { kind: 'mini_app_link'; text: string; label: string; path: string }
  | { kind: 'pending_reviews'; items: PendingReviewItem[]; total: number };

export interface PendingReviewItem {
  enrollmentId: number;
  borrowerName: string;
  contractNo: string;
  measureTitle: string;
  deadlineAt: Date;
  /** Deciding in place of a level that has no linked officer. */
  delegatedFrom: string | null;
}

/** The steps of a decision drafted in chat: what each quick-reply button of the draft means. */
export type DecisionChoice =
  | { kind: 'reason'; enrollmentId: number; version: number; index: number }
  | { kind: 'free_text'; enrollmentId: number; version: number }
  | { kind: 'document'; enrollmentId: number; version: number; code: string }
  | { kind: 'confirm'; enrollmentId: number; version: number }
  | { kind: 'cancel'; enrollmentId: number; version: number }
  /** Take back a confirmed rejection (version: the rejected application's). */
  | { kind: 'undo'; enrollmentId: number; version: number }
  /** อนุมัติ asked back: yes, approve now; or not yet (nothing changes). */
  | { kind: 'approve'; enrollmentId: number; version: number }
  | { kind: 'hold'; enrollmentId: number; version: number };

export interface QuickChoice {
  label: string;
  /** A step of a decision being drafted, or a plain chat action (a yes/no the bot asked). */
  choice: DecisionChoice | ChatAction;
}

export interface ChatReply {
  answers: ChatAnswer[];
  audience: ChatAudience;
  /** Buttons for a question the bot asked: shown instead of the audience's menu. */
  choices?: QuickChoice[];
}

/** Postback actions the bot's buttons and menus carry. */
export type ChatAction =
  | { action: 'debt' }
  | { action: 'next_payment' }
  | { action: 'measures' }
  | { action: 'pay' }
  | { action: 'contact' }
  | { action: 'menu' }
  | { action: 'summary' }
  | { action: 'lookup_help' }
  | { action: 'link_help' }
  | { action: 'pending_reviews' }
  | { action: 'history'; borrower: number }
  /** "ขอรหัส" for one of several borrowers a name matched: the officer taps whom she meant. */
  | { action: 'code_for'; borrower: number }
  /** "Unlink this LINE account": asks to confirm. */
  | { action: 'unlink' }
  | { action: 'unlink_confirm' };
