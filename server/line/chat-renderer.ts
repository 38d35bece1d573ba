// Turns the conversation service's answers into LINE messages, with the audience's quick-reply menu on the last one
// (or, when the answer asks a question, its choices instead).
import { readFileSync } from 'node:fs';
import type { ChatAnswer, ChatAudience, ChatReply, QuickChoice } from '../services/chat-answers.ts';
import { MAX_MESSAGES_PER_CALL, type LineMessage } from './line-message.ts';
import { MONEY_THAI } from '../content/money.th.ts';
import { chatActionData, decisionChoiceData, encodePostback } from './postback.ts';
import { box, bubble, bubblesMessage, flexMessage, text, uriButton } from './flex/flex-parts.ts';
import { pendingReviewsMessage } from './flex/enrollment.flex.ts';
import { debtAltText, debtCard } from './flex/debt-card.flex.ts';
import { measuresMessage } from './flex/measures.flex.ts';
import { areaSummaryMessage, deliveryHistoryMessage, lookupMessages, officerContactMessage } from './flex/officer.flex.ts';

const paymentChannels = JSON.parse(readFileSync(new URL('../content/payment-channels.th.json', import.meta.url), 'utf8')) as {
  title: string;
  channels: string[];
  reminder: string;
};

type QuickReplyItem = { type: 'action'; action: Record<string, string> };

function postbackItem(label: string, action: string): QuickReplyItem {
  return { type: 'action', action: { type: 'postback', label, data: encodePostback({ action }), displayText: label } };
}

export function quickReplyFor(audience: ChatAudience, liffUrl: string): { items: QuickReplyItem[] } {
  switch (audience) {
    case 'borrower':
      return {
        items: [
          postbackItem('ยอดหนี้ของฉัน', 'debt'),
          postbackItem('งวดถัดไป', 'next_payment'),
          postbackItem('มาตรการช่วยเหลือ', 'measures'),
          postbackItem('วิธีชำระเงิน', 'pay'),
          postbackItem('ติดต่อเจ้าหน้าที่', 'contact'),
          { type: 'action', action: { type: 'uri', label: 'สมัครมาตรการ', uri: `${liffUrl}/measures` } },
        ],
      };
    case 'officer':
      return {
        items: [
          postbackItem('สรุปพื้นที่', 'summary'),
          postbackItem('คำขอรอพิจารณา', 'pending_reviews'),
          postbackItem('ค้นหาลูกหนี้', 'lookup_help'),
          { type: 'action', action: { type: 'uri', label: 'งานของฉัน', uri: `${liffUrl}/officer/work` } },
        ],
      };
    case 'guest':
      return { items: [postbackItem('วิธีผูกบัญชี', 'link_help'), postbackItem('มาตรการช่วยเหลือ', 'measures'), postbackItem('วิธีชำระเงิน', 'pay')] };
  }
}

/** The buttons of a question the bot asked (a decision being drafted, a yes/no): tapping one answers it. */
function quickReplyOfChoices(choices: readonly QuickChoice[]): { items: QuickReplyItem[] } {
  return {
    items: choices.slice(0, 13).map(({ label, choice }) => ({
      type: 'action',
      action: { type: 'postback', label, data: 'action' in choice ? chatActionData(choice) : decisionChoiceData(choice), displayText: label },
    })),
  };
}

/** The QR as LINE shows it: the same PNG (720 px wide, < 150 kB) as original and preview. */
export function paymentQrImage(url: string): LineMessage {
  return { type: 'image', originalContentUrl: url, previewImageUrl: url };
}

export function howToPayText(contractNos: string[]): string {
  const lines = [paymentChannels.title, ...paymentChannels.channels.map((channel, i) => `${i + 1}. ${channel}`)];
  if (contractNos.length > 0) lines.push('', `โปรดแจ้งเลขที่สัญญาทุกครั้งที่ชำระ: ${contractNos.join(', ')}`);
  lines.push('', `💡 ${paymentChannels.reminder}`);
  return lines.join('\n');
}

function renderAnswer(answer: ChatAnswer, liffUrl: string): LineMessage[] {
  switch (answer.kind) {
    case 'text':
      return [{ type: 'text', text: answer.text }];
    case 'debt':
      return [bubblesMessage(debtAltText(answer.overview.loans), answer.overview.loans.map((loan) => debtCard(loan, liffUrl)))];
    case 'measures':
      return [measuresMessage(answer.measures, liffUrl)];
    case 'how_to_pay':
      if (answer.qrs && answer.qrs.length > 0) {
        // The intro, then one QR per loan (a reply holds five messages: at most three QRs and room to spare).
        const shown = answer.qrs.slice(0, 3);
        return [{ type: 'text', text: MONEY_THAI.payByQrIntro(shown) }, ...shown.map((qr) => paymentQrImage(qr.imageUrl))];
      }
      if (answer.qrEnabled && answer.contractNos.length > 0) return [{ type: 'text', text: `${MONEY_THAI.nothingDueNow}\n\n${howToPayText(answer.contractNos)}` }];
      return [{ type: 'text', text: howToPayText(answer.contractNos) }];
    case 'officer_contact':
      return [officerContactMessage(answer.officers, answer.areaPath)];
    case 'area_summary':
      return [areaSummaryMessage(answer.officer, answer.summary, answer.today)];
    case 'lookup':
      return lookupMessages(answer.query, answer.result, liffUrl);
    case 'delivery_history':
      return [deliveryHistoryMessage(answer.borrowerName, answer.rows)];
    case 'mini_app_link':
      return [flexMessage(answer.text, bubble({ size: 'kilo', body: box('vertical', [text(answer.text, { size: 'md' })]), footer: box('vertical', [uriButton(answer.label, `${liffUrl}${answer.path}`)]) }))];
    case 'pending_reviews':
      return [pendingReviewsMessage(answer.items, answer.total, liffUrl)];
  }
}

export function renderReply(reply: ChatReply, liffUrl: string): LineMessage[] {
  const messages = reply.answers.flatMap((answer) => renderAnswer(answer, liffUrl)).slice(0, MAX_MESSAGES_PER_CALL);
  const last = messages[messages.length - 1];
  if (last) messages[messages.length - 1] = { ...last, quickReply: reply.choices ? quickReplyOfChoices(reply.choices) : quickReplyFor(reply.audience, liffUrl) };
  return messages;
}
