// Our client of the LINE Messaging API. Adds what the SDK lacks: a timeout, and errors we can act on (LineApiError
// with the status and Retry-After). The calls made once per answer or notification (reply, push, multicast) go over
// node:http(s) with a keep-alive agent instead of the SDK: the SDK's fetch cost ~0.75–1 ms of CPU a call here,
// a plain request ~0.16–0.23 ms (bench:reminders and bench:webhook were bound by it). Everything else uses the SDK.
import http from 'node:http';
import https from 'node:https';
import { fromLineSdk, lineSdk } from './line-sdk.ts';
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
  /** The bytes of a photo a user sent (LINE's content API, on the data host); optional for clients that never read any. */
  getMessageContent?(messageId: string): Promise<Buffer>;
}

export interface LineClientOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  /** The content API's host (api-data.line.me); photos users send are read from it. */
  dataApiBaseUrl?: string;
  timeoutMs?: number;
}

function parseRetryAfter(headers: unknown): number | undefined {
  const value = headers instanceof Headers ? headers.get('retry-after') : typeof headers === 'string' ? headers : undefined;
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
    if (error instanceof (await lineSdk()).HTTPFetchError) {
      throw new LineApiError(error.status, `${operation}: LINE answered ${error.status}`, parseRetryAfter(error.headers), String(error.body).slice(0, 500));
    }
    throw new LineApiError(0, `${operation}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs JSON to the Messaging API over a keep-alive connection pool; resolves on 2xx, rejects with LineApiError
 * (status 0: no answer within the timeout, or no connection). Like the SDK, only the base URL's origin is used.
 */
function createMessagingPoster(options: LineClientOptions & { timeoutMs: number }) {
  const base = new URL(options.apiBaseUrl);
  const secure = base.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 256 }) : new http.Agent({ keepAlive: true, maxSockets: 256 });
  const send = secure ? https.request : http.request;
  const authorization = `Bearer ${options.channelAccessToken}`;
  return (operation: string, path: string, body: unknown, retryKey?: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const payload = Buffer.from(JSON.stringify(body));
      const headers: http.OutgoingHttpHeaders = {
        authorization,
        'content-type': 'application/json',
        'content-length': payload.length,
        'user-agent': 'wdf-line-debt-assistant',
      };
      if (retryKey) headers['x-line-retry-key'] = retryKey;
      const request = send({ protocol: base.protocol, hostname: base.hostname, port: base.port, path, method: 'POST', headers, agent });
      const timer = setTimeout(() => request.destroy(new LineApiError(0, `${operation}: no answer from LINE within ${options.timeoutMs} ms`)), options.timeoutMs);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 500);
          reject(new LineApiError(status, `${operation}: LINE answered ${status}`, parseRetryAfter(response.headers['retry-after']), text));
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error instanceof LineApiError ? error : new LineApiError(0, `${operation}: ${error.message}`));
        });
      });
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof LineApiError ? error : new LineApiError(0, `${operation}: ${error.message}`));
      });
      request.end(payload);
    });
}

const MAX_CONTENT_BYTES = 20 * 1024 * 1024;

export function createLineClient(options: LineClientOptions): LineClient {
  const sdkClient = fromLineSdk((sdk) => new sdk.messagingApi.MessagingApiClient({ channelAccessToken: options.channelAccessToken, baseURL: options.apiBaseUrl }));
  const blobClient = fromLineSdk(
    (sdk) => new sdk.messagingApi.MessagingApiBlobClient({ channelAccessToken: options.channelAccessToken, baseURL: options.dataApiBaseUrl ?? options.apiBaseUrl }),
  );
  const timeoutMs = options.timeoutMs ?? 10_000;
  const post = createMessagingPoster({ ...options, timeoutMs });

  const sendOnce = async (call: () => Promise<unknown>): Promise<SendOutcome> => {
    try {
      await call();
      return 'sent';
    } catch (error) {
      // 409 with a retry key: LINE already accepted this exact request.
      if (error instanceof LineApiError && error.status === 409) return 'duplicate';
      throw error;
    }
  };

  return {
    async reply(replyToken, messages) {
      await post('reply', '/v2/bot/message/reply', { replyToken, messages });
    },
    push(to, messages: LineMessage[], retryKey) {
      return sendOnce(() => post('push', '/v2/bot/message/push', { to, messages }, retryKey));
    },
    multicast(to, messages, retryKey) {
      return sendOnce(() => post('multicast', '/v2/bot/message/multicast', { to: [...to], messages }, retryKey));
    },
    async showLoadingAnimation(chatId, seconds) {
      const client = await sdkClient();
      await withTimeout('loading', timeoutMs, () => client.showLoadingAnimation({ chatId, loadingSeconds: seconds }));
    },
    async getQuota(): Promise<MessageQuota> {
      const client = await sdkClient();
      const [quota, consumption] = await Promise.all([
        withTimeout('quota', timeoutMs, () => client.getMessageQuota()),
        withTimeout('quota', timeoutMs, () => client.getMessageQuotaConsumption()),
      ]);
      return { limit: quota.type === 'limited' ? (quota.value ?? null) : null, usedThisMonth: consumption.totalUsage };
    },
    async getMessageContent(messageId) {
      const blob = await blobClient();
      return withTimeout('content', timeoutMs, async () => {
        const stream = await blob.getMessageContent(messageId);
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          size += chunk.length;
          // LINE's images are at most 10 MB; anything bigger is not a slip photo.
          if (size > MAX_CONTENT_BYTES) throw new LineApiError(413, 'content: larger than a slip photo can be');
          chunks.push(chunk);
        }
        return Buffer.concat(chunks);
      });
    },
  };
}
