// Answers one stored webhook event, in two steps the inbox keeps apart: `prepare` decodes what the event asks (text,
// menu postback, a review card's button), asks the services what to say and renders it; `reply` / `push` say it
// through LINE. Between them the inbox records the answer, so a crash never makes it say something twice.
import type { Logger } from 'pino';
import type { ConversationService } from '../services/conversation.service.ts';
import type { ReviewService } from '../services/enrollment-review.service.ts';
import type { ChatReply } from '../services/chat-answers.ts';
import type { EventAnswerer, PreparedAnswer } from '../services/webhook-inbox.service.ts';
import { LineApiError } from '../services/ports.ts';
import { retryKeyFor } from '../services/retry-key.ts';
import type { PaymentSlipService } from '../services/payment-slips.service.ts';
import { readSlipQr } from '../render/slip-qr-reader.ts';
import { THAI } from '../content/chat-texts.th.ts';
import { renderReply } from './chat-renderer.ts';
import type { LineClient } from './line-messenger.ts';
import { decodeChatAction, decodeDecisionChoice, decodeEnrollmentDecision, decodePostbackFields } from './postback.ts';
import { chatIdOf, cutToLineTextLimit, webhookEventSchema, type LineWebhookEvent } from './webhook-events.ts';

export interface EventHandlerDeps {
  conversation: ConversationService;
  review: Pick<ReviewService, 'answerDecision' | 'answerChoice'>;
  client: LineClient;
  log: Logger;
  /** https://liff.line.me/{LIFF_ID}, for the links in answers. */
  liffUrl: string;
  /** Photos from linked borrowers become slips to check (absent: every photo gets the polite answer). */
  slips?: Pick<PaymentSlipService, 'receivePhoto'>;
  /** Show LINE's loading animation when an answer takes longer than this. */
  loadingAfterMs?: number;
}

/** LINE's event time as a Date, unless it is no time LINE could send (the database would refuse it). */
function plausibleTime(epochMs: number): Date | undefined {
  return Number.isFinite(epochMs) && epochMs > 0 && epochMs < 1e14 ? new Date(epochMs) : undefined;
}

const STALE_BUTTON_REPLY: ChatReply = { audience: 'guest', answers: [{ kind: 'text', text: THAI.staleButton }] };

/**
 * The answerer the inbox uses, callable on its own too (`handler(event)`: prepare and say it at once, with no
 * record in between — for tests and tools that play a second replica).
 */
export interface EventHandler extends EventAnswerer {
  (payload: unknown): Promise<void>;
}

export function createEventHandler(deps: EventHandlerDeps): EventHandler {
  const { client, log, conversation } = deps;

  function isRepeatTap(event: LineWebhookEvent, lineUserId: string, postbackData: string): Promise<boolean> {
    const tappedAt = plausibleTime(event.timestamp);
    if (!tappedAt) return Promise.resolve(false);
    return conversation.isRepeatTap({ lineUserId, tapKey: postbackData, eventId: event.webhookEventId, tappedAt });
  }

  async function decide(event: LineWebhookEvent): Promise<ChatReply | undefined> {
    const source = event.source;
    const lineUserId = source?.userId;
    const isGroup = source !== undefined && source.type !== 'user';
    switch (event.type) {
      case 'follow':
        return lineUserId ? conversation.follow(lineUserId) : undefined;
      case 'unfollow':
        if (lineUserId) await conversation.unfollow(lineUserId);
        return undefined;
      case 'message':
        if (!lineUserId) return undefined;
        if (event.message?.type === 'text' && typeof event.message.text === 'string') {
          // LINE caps a text at 5,000 characters; nothing longer reaches the matching, whatever was stored.
          return conversation.text({ lineUserId, isGroup }, cutToLineTextLimit(event.message.text));
        }
        if (event.message?.type === 'image' && !isGroup && deps.slips && typeof event.message.id === 'string') {
          // A linked borrower's photo is a transfer slip: read through LINE's content API, its slip QR looked for.
          const messageId = event.message.id;
          const quoteToken = typeof event.message.quoteToken === 'string' ? event.message.quoteToken : undefined;
          const slip = await deps.slips.receivePhoto({
            lineUserId,
            messageId,
            quoteToken,
            load: async () => {
              if (!client.getMessageContent) return undefined;
              let bytes: Buffer;
              try {
                bytes = await client.getMessageContent(messageId);
              } catch (error) {
                // Gone or refused (LINE keeps content for a while only): she is asked to send it again. An outage
                // or a timeout is thrown, so the inbox tries the event again later.
                if (error instanceof LineApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return undefined;
                throw error;
              }
              return { bytes, slipQr: await readSlipQr(bytes) };
            },
          });
          if (slip) return slip;
        }
        return conversation.nonText({ lineUserId, isGroup }, event.message?.type ?? 'unknown');
      case 'postback': {
        if (!lineUserId || !event.postback) return undefined;
        const action = decodeChatAction(event.postback.data);
        const fields = decodePostbackFields(event.postback.data);
        const decision = action ? undefined : decodeEnrollmentDecision(fields);
        const choice = action || decision ? undefined : decodeDecisionChoice(fields);
        // A menu button, a decision or a draft's confirm (ยืนยัน, ยกเลิก, อนุมัติ…) tapped twice at once is answered once:
        // the second tap of a confirm would find its draft gone and say the question had expired. A draft's
        // reasons and documents are not checked: they toggle (tick, untick), so each tap means something.
        const toggles = choice?.kind === 'reason' || choice?.kind === 'document' || choice?.kind === 'free_text';
        if ((action || decision || (choice && !toggles)) && (await isRepeatTap(event, lineUserId, event.postback.data))) {
          log.info({ eventId: event.webhookEventId }, 'the same button tapped again at once; answered once');
          return undefined;
        }
        if (action) return conversation.action({ lineUserId, isGroup }, action);
        if (decision) return deps.review.answerDecision(isGroup ? undefined : lineUserId, decision);
        if (choice && !isGroup) return deps.review.answerChoice(lineUserId, choice);
        return STALE_BUTTON_REPLY;
      }
      default:
        return undefined; // join, leave, unsend, ...: nothing to say
    }
  }

  async function prepare(payload: unknown): Promise<PreparedAnswer | undefined> {
    const event = webhookEventSchema.parse(payload);
    const chatId = event.source?.type === 'user' ? event.source.userId : undefined;
    // Long answers get LINE's typing indicator; quick ones never pay for the extra call.
    const loadingTimer =
      chatId && (event.type === 'message' || event.type === 'postback')
        ? setTimeout(() => {
            client.showLoadingAnimation(chatId, 10).catch((error: unknown) => log.debug({ err: error }, 'loading animation failed'));
          }, deps.loadingAfterMs ?? 800)
        : undefined;
    try {
      const reply = await decide(event);
      if (!reply || reply.answers.length === 0) return undefined;
      return { messages: renderReply(reply, deps.liffUrl), replyToken: event.replyToken, to: chatIdOf(event) };
    } finally {
      clearTimeout(loadingTimer);
    }
  }

  const answerer: EventAnswerer = {
    prepare,
    async reply(answer) {
      if (!answer.replyToken) return 'token_refused';
      try {
        await client.reply(answer.replyToken, answer.messages as Parameters<LineClient['reply']>[1]);
        return 'delivered';
      } catch (error) {
        // LINE says only "Invalid reply token", for a token used before and for one that expired alike.
        if (error instanceof LineApiError && error.status === 400) return 'token_refused';
        throw error;
      }
    },
    async push(answer, retryKey) {
      if (!answer.to) return;
      await client.push(answer.to, answer.messages as Parameters<LineClient['push']>[1], retryKey);
    },
  };

  const handleAtOnce = async (payload: unknown): Promise<void> => {
    const answer = await prepare(payload);
    if (!answer) return;
    if ((await answerer.reply(answer)) === 'delivered') return;
    const eventId = webhookEventSchema.parse(payload).webhookEventId;
    log.info({ eventId }, 'reply token no longer valid; pushing instead');
    await answerer.push(answer, retryKeyFor(`reply-fallback:${eventId}`));
  };
  return Object.assign(handleAtOnce, answerer);
}
