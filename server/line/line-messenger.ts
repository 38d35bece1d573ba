// Our client of the LINE Messaging API over the official SDK. Adds what the SDK lacks: a timeout, and errors we
// can act on (LineApiError with the status and Retry-After).
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { LineApiError, type MessageQuota, type SendOutcome } from '../services/ports.ts';
import type { LineMessage } from './line-message.ts';

export interface LineClient {
  /** Throws LineApiError (400) when the reply token is unknown, used or expired. */
  reply(replyToken: string, messages: LineMessage[]): Promise<void>;
  /** `retryKey` (a UUID) makes repeats safe: LINE answers 409 for a key it accepted, reported as 'duplicate'. */
  push(to: string, messages: LineMessage[], retryKey: string): Promise<SendOutcome>;
  multicast(to: readonly string[], messages: LineMessage[], retryKey: string): Promise<SendOutcome>;
  showLoadingAnimation(chatId: string, seconds: number): Promise<void>;
  getQuota(): Promise<MessageQuota>;
}

export interface LineClientOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  timeoutMs?: number;
}

function parseRetryAfter(headers: unknown): number | undefined {
  const value = headers instanceof Headers ? headers.get('retry-after') : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

/**
 * The SDK calls fetch without a timeout. We stop waiting after `timeoutMs` and report status 0;
 * callers retry with the same retry key, so a request that did arrive is not delivered twice.
 */
export async function withTimeout<T>(operation: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LineApiError(0, `${operation}: no answer from LINE within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    if (error instanceof LineApiError) throw error;
    if (error instanceof HTTPFetchError) {
      throw new LineApiError(error.status, `${operation}: LINE answered ${error.status}`, parseRetryAfter(error.headers), String(error.body).slice(0, 500));
    }
    throw new LineApiError(0, `${operation}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export function createLineClient(options: LineClientOptions): LineClient {
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: options.channelAccessToken, baseURL: options.apiBaseUrl });
  const timeoutMs = options.timeoutMs ?? 10_000;
  type SdkMessage = messagingApi.Message;

  const sendOnce = async (operation: string, call: () => Promise<unknown>): Promise<SendOutcome> => {
    try {
      await withTimeout(operation, timeoutMs, call);
      return 'sent';
    } catch (error) {
      // 409 with a retry key: LINE already accepted this exact request.
      if (error instanceof LineApiError && error.status === 409) return 'duplicate';
      throw error;
    }
  };

  return {
    async reply(replyToken, messages) {
      await withTimeout('reply', timeoutMs, () => client.replyMessage({ replyToken, messages: messages as unknown as SdkMessage[] }));
    },
    push(to, messages: LineMessage[], retryKey) {
      return sendOnce('push', () => client.pushMessage({ to, messages: messages as unknown as SdkMessage[] }, retryKey));
    },
    multicast(to, messages, retryKey) {
      return sendOnce('multicast', () => client.multicast({ to: [...to], messages: messages as unknown as SdkMessage[] }, retryKey));
    },
    async showLoadingAnimation(chatId, seconds) {
      await withTimeout('loading', timeoutMs, () => client.showLoadingAnimation({ chatId, loadingSeconds: seconds }));
    },
    async getQuota(): Promise<MessageQuota> {
      const [quota, consumption] = await Promise.all([
        withTimeout('quota', timeoutMs, () => client.getMessageQuota()),
        withTimeout('quota', timeoutMs, () => client.getMessageQuotaConsumption()),
      ]);
      return { limit: quota.type === 'limited' ? (quota.value ?? null) : null, usedThisMonth: consumption.totalUsage };
    },
  };
}
