// Handles one stored webhook event: asks the conversation service what to say and says it through LINE.
import type { Logger } from 'pino';
import { answerAction, answerFollow, answerText, recordUnfollow, type ConversationDeps } from '../services/conversation.service.ts';
import type { ChatReply } from '../services/chat-answers.ts';
import { LineApiError, type Messenger } from '../services/ports.ts';
import { renderReply } from './chat-renderer.ts';
import { decodeChatAction, decodePostbackFields } from './postback.ts';
import { retryKeyFor } from './retry-key.ts';
import { chatIdOf, webhookEventSchema, type LineWebhookEvent } from './webhook-events.ts';

/** Handles postbacks other than the chat menu (e.g. application decisions). Undefined = not mine. */
export type PostbackHandler = (event: LineWebhookEvent, fields: Record<string, string>) => Promise<ChatReply | undefined>;

export interface EventHandlerDeps {
  conversation: ConversationDeps;
  messenger: Messenger;
  log: Logger;
  postbackHandlers?: PostbackHandler[];
  /** Show LINE's loading animation when an answer takes longer than this. */
  loadingAfterMs?: number;
}

const NON_TEXT_REPLY: ChatReply = {
  audience: 'guest',
  answers: [{ kind: 'text', text: 'ขณะนี้ระบบอ่านได้เฉพาะข้อความตัวอักษรค่ะ 🙏 พิมพ์ถามหรือเลือกจากเมนูด้านล่างได้เลย' }],
};

const STALE_BUTTON_REPLY: ChatReply = {
  audience: 'guest',
  answers: [{ kind: 'text', text: 'ปุ่มนี้ใช้ไม่ได้แล้วค่ะ กรุณาเลือกจากเมนูล่าสุด' }],
};

export function createEventHandler(deps: EventHandlerDeps) {
  const { messenger, log } = deps;
  const liffUrl = deps.conversation.liffUrl;

  async function send(event: LineWebhookEvent, reply: ChatReply | undefined): Promise<void> {
    if (!reply || reply.answers.length === 0) return;
    const messages = renderReply(reply, liffUrl);
    if (event.replyToken) {
      try {
        await messenger.reply(event.replyToken, messages);
        return;
      } catch (error) {
        // A token used or expired (the event waited in the inbox) falls back to a push, below.
        if (!(error instanceof LineApiError) || error.status !== 400) throw error;
        log.info({ eventId: event.webhookEventId }, 'reply token no longer valid; pushing instead');
      }
    }
    const to = chatIdOf(event);
    if (to) await messenger.push(to, messages, retryKeyFor(`reply-fallback:${event.webhookEventId}`));
  }

  async function decide(event: LineWebhookEvent): Promise<ChatReply | undefined> {
    const source = event.source;
    const lineUserId = source?.userId;
    const isGroup = source !== undefined && source.type !== 'user';
    switch (event.type) {
      case 'follow':
        return lineUserId ? answerFollow(deps.conversation, lineUserId) : undefined;
      case 'unfollow':
        if (lineUserId) await recordUnfollow(deps.conversation, lineUserId);
        return undefined;
      case 'message':
        if (!lineUserId) return undefined;
        if (event.message?.type === 'text' && typeof event.message.text === 'string') {
          return answerText(deps.conversation, { lineUserId, isGroup }, event.message.text);
        }
        return isGroup ? undefined : NON_TEXT_REPLY;
      case 'postback': {
        if (!lineUserId || !event.postback) return undefined;
        const action = decodeChatAction(event.postback.data);
        if (action) return answerAction(deps.conversation, { lineUserId, isGroup }, action);
        const fields = decodePostbackFields(event.postback.data);
        for (const handler of deps.postbackHandlers ?? []) {
          const reply = await handler(event, fields);
          if (reply) return reply;
        }
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
            messenger.showLoadingAnimation(chatId, 10).catch((error: unknown) => log.debug({ err: error }, 'loading animation failed'));
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
