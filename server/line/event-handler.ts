// Handles one stored webhook event: decodes what it asks (text, menu postback, a review card's button), asks the
// services what to say, renders it and says it through LINE.
import type { Logger } from 'pino';
import type { ConversationService } from '../services/conversation.service.ts';
import type { ReviewService } from '../services/enrollment-review.service.ts';
import type { ChatReply } from '../services/chat-answers.ts';
import { LineApiError } from '../services/ports.ts';
import { retryKeyFor } from '../services/retry-key.ts';
import { THAI } from '../content/chat-texts.th.ts';
import { renderReply } from './chat-renderer.ts';
import type { LineClient } from './line-messenger.ts';
import { decodeChatAction, decodeDecisionChoice, decodeEnrollmentDecision, decodePostbackFields } from './postback.ts';
import { chatIdOf, webhookEventSchema, type LineWebhookEvent } from './webhook-events.ts';

export interface EventHandlerDeps {
  conversation: ConversationService;
  review: Pick<ReviewService, 'answerDecision' | 'answerChoice'>;
  client: LineClient;
  log: Logger;
  /** https://liff.line.me/{LIFF_ID}, for the links in answers. */
  liffUrl: string;
  /** Show LINE's loading animation when an answer takes longer than this. */
  loadingAfterMs?: number;
}

const STALE_BUTTON_REPLY: ChatReply = { audience: 'guest', answers: [{ kind: 'text', text: THAI.staleButton }] };

export type EventHandler = (payload: unknown) => Promise<void>;

export function createEventHandler(deps: EventHandlerDeps): EventHandler {
  const { client, log, conversation } = deps;

  async function send(event: LineWebhookEvent, reply: ChatReply | undefined): Promise<void> {
    if (!reply || reply.answers.length === 0) return;
    const messages = renderReply(reply, deps.liffUrl);
    if (event.replyToken) {
      try {
        await client.reply(event.replyToken, messages);
        return;
      } catch (error) {
        // A token used or expired (the event waited in the inbox) falls back to a push, below.
        if (!(error instanceof LineApiError) || error.status !== 400) throw error;
        log.info({ eventId: event.webhookEventId }, 'reply token no longer valid; pushing instead');
      }
    }
    const to = chatIdOf(event);
    if (to) await client.push(to, messages, retryKeyFor(`reply-fallback:${event.webhookEventId}`));
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
          return conversation.text({ lineUserId, isGroup }, event.message.text);
        }
        return conversation.nonText({ lineUserId, isGroup }, event.message?.type ?? 'unknown');
      case 'postback': {
        if (!lineUserId || !event.postback) return undefined;
        const action = decodeChatAction(event.postback.data);
        if (action) return conversation.action({ lineUserId, isGroup }, action);
        const fields = decodePostbackFields(event.postback.data);
        const decision = decodeEnrollmentDecision(fields);
        if (decision) return deps.review.answerDecision(isGroup ? undefined : lineUserId, decision);
        const choice = decodeDecisionChoice(fields);
        if (choice && !isGroup) return deps.review.answerChoice(lineUserId, choice);
        return STALE_BUTTON_REPLY;
      }
      default:
        return undefined; // join, leave, unsend, ...: nothing to say
    }
  }

  return async function handleEvent(payload: unknown): Promise<void> {
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
      clearTimeout(loadingTimer);
      await send(event, reply);
    } finally {
      clearTimeout(loadingTimer);
    }
  };
}
