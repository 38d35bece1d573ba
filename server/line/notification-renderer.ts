// Turns a notification (what to tell whom, as data) into the LINE messages that say it. The only place that knows
// how reminders, digests and application cards look in LINE.
import { formatThaiDate, type LocalDate } from '../domain/local-date.ts';
import { formatSatang } from '../domain/money.ts';
import { fillTemplate } from '../domain/reminder-policy.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import { OFFICER_THAI } from '../content/officer-texts.th.ts';
import { ENROLLMENT_THAI } from '../content/enrollment-texts.th.ts';
import { BORROWER_NOTICE_THAI } from '../content/officer-workspace.th.ts';
import { CENTRE_THAI } from '../content/centre-selection.th.ts';
import type { EnrollmentOutcome, Notification } from '../services/notifications.ts';
import type { LineMessage } from './line-message.ts';
import { paymentQrImage, quickReplyFor } from './chat-renderer.ts';
import { MONEY_THAI } from '../content/money.th.ts';
import { THAI } from '../content/chat-texts.th.ts';
import { digestMessage } from './flex/digest.flex.ts';
import { quarterlyDraftMessage } from './flex/quarterly-draft.flex.ts';
import { box, bubble, flexMessage, text as textPart, uriButton } from './flex/flex-parts.ts';
import { borrowerUpdateMessage, enrollmentReviewMessage, officerReminderMessage } from './flex/enrollment.flex.ts';
import { officerDebtorUrl } from './flex/officer.flex.ts';

export interface NotificationRenderer {
  render(notification: Notification): LineMessage[];
}

/** The mini-app page of a model-centre selection round. */
export function centreRoundUrlOf(liffUrl: string, roundId: number): string {
  return `${liffUrl}/officer/centres/rounds/${roundId}`;
}

/** The mini-app page where an officer reviews an application. */
export function reviewUrlOf(liffUrl: string, enrollmentId: number): string {
  return `${liffUrl}/review/${enrollmentId}`;
}

/**
 * The tambon officer follows the debtor, not the decision: her button opens the debtor page (which shows the
 * application); the review page is for the levels that decide, and refuses her.
 */
function outcomeButton(outcome: EnrollmentOutcome, liffUrl: string) {
  if (outcome.audience === 'tambon' && outcome.borrowerId !== undefined) return uriButton('เปิดหน้าลูกหนี้', officerDebtorUrl(liffUrl, outcome.borrowerId), 'secondary');
  return uriButton('ดูคำขอ', reviewUrlOf(liffUrl, outcome.enrollmentId), 'secondary');
}

/** A notice to an officer: its text, and one button to the mini-app page where it is dealt with. */
function textWithButton(said: string, label: string, url: string): LineMessage {
  return flexMessage(
    said,
    bubble({ body: box('vertical', [textPart(said, { size: 'sm' })]), footer: box('vertical', [uriButton(label, url, 'primary')]) }),
  );
}

export function createNotificationRenderer(options: {
  liffUrl: string;
  policy: ReminderPolicy;
  /** The bill-payment QR's address for a loan's payment; undefined (or absent) when QR payment is off. */
  paymentQrUrl?: (due: { loanId: number; installmentSeq: number; amount: number }) => string | undefined;
}): NotificationRenderer {
  const { liffUrl, policy } = options;
  const text = (value: string): LineMessage[] => [{ type: 'text', text: value }];

  return {
    render(notification) {
      switch (notification.kind) {
        case 'borrower_reminder': {
          const filled = fillTemplate(policy.texts[notification.reminder], {
            name: notification.fullName,
            contractNo: notification.contractNo,
            amount: formatSatang(notification.amount),
            dueDate: notification.dueOn ? formatThaiDate(notification.dueOn as LocalDate) : '',
            days: notification.days,
            liffUrl,
            measuresUrl: `${liffUrl}/measures`,
          });
          // The template urges a measure; she has applied already, and hears that it is under way and what still falls due.
          const reminder = notification.applicationPending ? `${filled}\n\n${ENROLLMENT_THAI.reminderApplicationPending(notification.applicationPending)}` : filled;
          // Every reminder with an amount offers the QR that pays it (when PROMPTPAY_BILLER_ID is set).
          const qrUrl =
            notification.loanId !== undefined && notification.amount > 0
              ? options.paymentQrUrl?.({ loanId: notification.loanId, installmentSeq: notification.installmentSeq ?? 0, amount: notification.amount })
              : undefined;
          if (!qrUrl) return [{ type: 'text', text: reminder, quickReply: quickReplyFor('borrower', liffUrl) }];
          return [
            { type: 'text', text: `${reminder}\n\n${MONEY_THAI.reminderQrHint}` },
            { ...paymentQrImage(qrUrl), quickReply: quickReplyFor('borrower', liffUrl) },
          ];
        }
        case 'officer_digest':
          return [digestMessage(notification)];
        case 'officer_deactivated':
          return text(THAI.officerDeactivated({ ...notification, at: new Date(notification.at) }));
        case 'account_replaced':
          return text(THAI.accountReplaced({ ...notification, at: new Date(notification.at) }));
        case 'forum_reminder':
          // The forum is where borrowers get onto LINE: the button opens the tambon's code slips.
          return [textWithButton(OFFICER_THAI.forumReminder, 'ใบรหัสผูกบัญชีสำหรับเวที', `${liffUrl}/officer/area`)];
        case 'report_reminder':
          return text(OFFICER_THAI.reportReminder(notification.reportDate, notification.daysLeft, notification.level));
        case 'quarterly_draft':
          return [quarterlyDraftMessage(notification.draft, liffUrl)];
        case 'quota_alert':
          return text(OFFICER_THAI.quotaAlert({ ...notification, checkedAt: new Date(notification.checkedAt) }));
        case 'enrollment_review':
          return [enrollmentReviewMessage(notification.card, reviewUrlOf(liffUrl, notification.card.id))];
        case 'enrollment_update':
          return [borrowerUpdateMessage(notification.update, liffUrl)];
        case 'enrollment_withdrawn':
          return text(ENROLLMENT_THAI.withdrawnNotice(notification.enrollmentId, notification.contractNo));
        case 'payment_thanks':
          return [{ type: 'text', text: BORROWER_NOTICE_THAI.paymentThanks(notification), quickReply: quickReplyFor('borrower', liffUrl) }];
        case 'payment_reversed':
          return [{ type: 'text', text: BORROWER_NOTICE_THAI.paymentReversed(notification), quickReply: quickReplyFor('borrower', liffUrl) }];
        case 'slip_rejected':
          return [
            {
              type: 'text',
              text: MONEY_THAI.slipRejectedNotice(notification),
              ...(notification.quoteToken ? { quoteToken: notification.quoteToken } : {}),
              quickReply: quickReplyFor('borrower', liffUrl),
            },
          ];
        case 'promise_reminder':
          return [{ type: 'text', text: BORROWER_NOTICE_THAI.promiseReminder(notification), quickReply: quickReplyFor('borrower', liffUrl) }];
        case 'slips_waiting':
          return [textWithButton(MONEY_THAI.slipsWaitingNotice(notification), MONEY_THAI.slipsWaitingButton, `${liffUrl}/officer/slips`)];
        case 'enrollment_outcome':
          return [
            flexMessage(
              ENROLLMENT_THAI.outcome(notification.outcome),
              bubble({
                body: box('vertical', [textPart(ENROLLMENT_THAI.outcome(notification.outcome), { size: 'md' })]),
                footer: box('vertical', [outcomeButton(notification.outcome, liffUrl)]),
              }),
            ),
          ];
        case 'centre_round_opened':
        case 'centre_round_reminder': {
          const said = notification.kind === 'centre_round_opened' ? CENTRE_THAI.roundOpenedNotice(notification) : CENTRE_THAI.roundReminder(notification);
          return [textWithButton(said, CENTRE_THAI.openButton, centreRoundUrlOf(liffUrl, notification.roundId))];
        }
        case 'coverage_gaps':
          return text(OFFICER_THAI.coverageGaps(notification.gaps, notification.more));
        case 'enrollment_deadline':
          return [
            officerReminderMessage(
              notification.enrollmentId,
              notification.contractNo,
              notification.level,
              new Date(notification.deadlineAt),
              reviewUrlOf(liffUrl, notification.enrollmentId),
            ),
          ];
      }
    },
  };
}
