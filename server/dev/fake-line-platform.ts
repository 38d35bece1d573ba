// A faithful fake of the LINE Platform for tests and the local simulator: the Messaging API endpoints we call
// (reply with single-use tokens, push and multicast with X-Line-Retry-Key, profile, loading, rich menus, quota),
// LIFF ID-token verification, signed webhook delivery, and injectable failures (429 with Retry-After, 500, hangs).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

export interface FakeLineOptions {
  channelSecret?: string;
  channelAccessToken?: string;
  loginChannelId?: string;
  /** How long a reply token stays valid (LINE: about a minute). */
  replyTokenTtlMs?: number;
  monthlyQuota?: number | null;
  now?: () => number;
  /** Keep every delivered message for inspection (tests, simulator); off, only counts are kept. */
  retainMessages?: boolean;
}

export interface DeliveredMessage {
  seq: number;
  at: number;
  to: string;
  via: 'reply' | 'push' | 'multicast';
  retryKey?: string;
  message: Record<string, unknown>;
}

export interface FaultRule {
  /** Matches the request path (string prefix or regex). */
  path: string | RegExp;
  method?: string;
  status: number;
  body?: unknown;
  retryAfterSeconds?: number;
  /** Never answer (simulates a timeout). */
  hang?: boolean;
  /** How many matching requests fail; then the rule is removed. */
  times: number;
  /** Only requests whose JSON body has this `to` (a push to one user). */
  to?: string;
  /**
   * LINE did the work (delivered, remembered the retry key, used the reply token) but the answer was lost on the
   * way back: the client gets `status` (or nothing, with `hang`) instead of the real answer.
   */
  afterDelivery?: boolean;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  retryKey?: string;
  body: unknown;
}

interface ReplyTokenState {
  chatId: string;
  issuedAt: number;
  used: boolean;
}

type WebhookEvent = Record<string, unknown>;

const USER_ID = /^U[0-9a-f]{32}$/;

/** A LINE-shaped user id derived from any name: 'U' + 32 hex. */
export function fakeLineUserId(name: string): string {
  return `U${createHmac('sha256', 'fake-line').update(name).digest('hex').slice(0, 32)}`;
}

/** A webhook event shaped as LINE sends it (a fresh webhookEventId each time). */
export function webhookEvent(type: string, userId: string, timestamp: number, extra: WebhookEvent = {}): WebhookEvent {
  return {
    type,
    mode: 'active',
    timestamp,
    source: { type: 'user', userId },
    webhookEventId: `01${randomBytes(12).toString('hex').toUpperCase()}`,
    deliveryContext: { isRedelivery: false },
    ...extra,
  };
}

export function signWebhookBody(body: string, channelSecret: string): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}

export class FakeLinePlatform {
  readonly channelSecret: string;
  readonly channelAccessToken: string;
  readonly loginChannelId: string;
  private accessTokenRevoked = false;
  readonly delivered: DeliveredMessage[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly loadingShown: Array<{ chatId: string; seconds: number }> = [];
  /** Every accepted reply, push and multicast (one entry per recipient), to count answers rather than messages. */
  readonly acceptedCalls: Array<{ to: string; via: DeliveredMessage['via']; at: number; retryKey?: string }> = [];
  monthlyQuota: number | null;
  usedThisMonth = 0;
  deliveredCount = 0;
  private readonly retainMessages: boolean;

  private readonly replyTokenTtlMs: number;
  private readonly now: () => number;
  private readonly replyTokens = new Map<string, ReplyTokenState>();
  /** When each reply token's reply was accepted: kept only with the control API (benchmarks read and clear it). */
  private readonly replyAcceptedAt = new Map<string, number>();
  private recordReplyTimes = false;
  private readonly acceptedRetryKeys = new Map<string, { requestId: string; at: number }>();
  private readonly profiles = new Map<string, { displayName: string; following: boolean }>();
  private readonly idTokens = new Map<string, { sub: string; name: string; exp: number; aud: string }>();
  private readonly richMenus = new Map<string, { menu: Record<string, unknown>; image: Buffer | undefined; imageType: string | undefined }>();
  /** Bytes of messages users sent (photos): what the content API serves by message id. */
  private readonly contents = new Map<string, Buffer>();
  private readonly userRichMenus = new Map<string, string>();
  private defaultRichMenuId: string | undefined;
  private faults: FaultRule[] = [];
  /** How long each Messaging API call takes before it is answered (the real platform is a network away). */
  latencyMs = 0;
  /** "METHOD path status" → count, kept even when messages are not retained. */
  readonly requestCounts = new Map<string, number>();
  private seq = 0;
  private server: FastifyInstance | undefined;
  private listeners = new Set<(message: DeliveredMessage) => void>();
  url = '';

  constructor(options: FakeLineOptions = {}) {
    this.channelSecret = options.channelSecret ?? randomBytes(16).toString('hex');
    this.channelAccessToken = options.channelAccessToken ?? `fake-token-${randomBytes(8).toString('hex')}`;
    this.loginChannelId = options.loginChannelId ?? '1650000000';
    this.replyTokenTtlMs = options.replyTokenTtlMs ?? 60_000;
    this.monthlyQuota = options.monthlyQuota === undefined ? 200_000 : options.monthlyQuota;
    this.now = options.now ?? Date.now;
    this.retainMessages = options.retainMessages ?? true;
  }

  // ---------- test and simulator controls ----------

  addUser(userId: string, displayName: string, following = true): void {
    this.profiles.set(userId, { displayName, following });
  }

  /** A user who blocks the account still "receives" pushes with 200, but nothing is delivered. */
  setFollowing(userId: string, following: boolean): void {
    const profile = this.profiles.get(userId) ?? { displayName: userId, following };
    profile.following = following;
    this.profiles.set(userId, profile);
  }

  failNext(rule: Omit<FaultRule, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...rule });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** As when the token is reissued in the console: every call with the old one gets 401 until `restoreAccessToken`. */
  revokeAccessToken(): void {
    this.accessTokenRevoked = true;
  }

  restoreAccessToken(): void {
    this.accessTokenRevoked = false;
  }

  /** Issues a LIFF ID token for a user, valid for `ttlSeconds`. */
  issueIdToken(userId: string, ttlSeconds = 3600, audience = this.loginChannelId): string {
    const token = `fake-id-token.${randomBytes(16).toString('hex')}`;
    this.idTokens.set(token, { sub: userId, name: this.profiles.get(userId)?.displayName ?? userId, exp: Math.floor(this.now() / 1000) + ttlSeconds, aud: audience });
    return token;
  }

  /** How many replies, pushes and multicasts to this chat LINE accepted (each may carry up to five messages). */
  callsTo(chatId: string): Array<{ via: DeliveredMessage['via']; at: number }> {
    return this.acceptedCalls.filter((call) => call.to === chatId);
  }

  messagesTo(chatId: string): DeliveredMessage[] {
    return this.delivered.filter((message) => message.to === chatId);
  }

  textsTo(chatId: string): string[] {
    return this.messagesTo(chatId).map((m) => (m.message.type === 'text' ? String(m.message.text) : String(m.message.altText ?? m.message.type)));
  }

  onDelivered(listener: (message: DeliveredMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  richMenuOf(userId: string): Record<string, unknown> | undefined {
    const id = this.userRichMenus.get(userId) ?? this.defaultRichMenuId;
    return id ? this.richMenus.get(id)?.menu : undefined;
  }

  /** A rich menu's uploaded image (what the phone shows), or undefined. */
  richMenuImage(richMenuId: string): { bytes: Buffer; type: string } | undefined {
    const entry = this.richMenus.get(richMenuId);
    return entry?.image ? { bytes: entry.image, type: entry.imageType ?? 'image/png' } : undefined;
  }

  /** Every rich menu on the channel. */
  allRichMenus(): Array<Record<string, unknown>> {
    return [...this.richMenus.values()].map((entry) => entry.menu);
  }

  requestsTo(pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith(pathPrefix));
  }

  reset(): void {
    this.delivered.length = 0;
    this.requests.length = 0;
    this.loadingShown.length = 0;
    this.acceptedCalls.length = 0;
    this.acceptedRetryKeys.clear();
    this.replyTokens.clear();
    this.replyAcceptedAt.clear();
    this.faults = [];
    this.usedThisMonth = 0;
    this.deliveredCount = 0;
    this.requestCounts.clear();
  }

  // ---------- webhook delivery (LINE → bot) ----------

  private baseEvent(type: string, userId: string, extra: WebhookEvent = {}): WebhookEvent {
    return webhookEvent(type, userId, this.now(), extra);
  }

  /** A reply token for a chat, as LINE puts into each webhook event it sends. */
  issueReplyToken(chatId: string): string {
    const replyToken = randomBytes(16).toString('hex');
    this.replyTokens.set(replyToken, { chatId, issuedAt: this.now(), used: false });
    return replyToken;
  }

  private withReplyToken(event: WebhookEvent, chatId: string): WebhookEvent {
    return { ...event, replyToken: this.issueReplyToken(chatId) };
  }

  textEvent(userId: string, text: string): WebhookEvent {
    return this.withReplyToken(this.baseEvent('message', userId, { message: { type: 'text', id: String(++this.seq), text, quoteToken: quoteTokenFor(userId) } }), userId);
  }

  stickerEvent(userId: string): WebhookEvent {
    return this.withReplyToken(this.baseEvent('message', userId, { message: { type: 'sticker', id: String(++this.seq), packageId: '446', stickerId: '1988' } }), userId);
  }

  /** A photo sent in the chat; its bytes are what the content API serves for its message id. */
  imageEvent(userId: string, content?: Buffer): WebhookEvent {
    const id = String(++this.seq);
    if (content) this.contents.set(id, content);
    return this.withReplyToken(this.baseEvent('message', userId, { message: { type: 'image', id, quoteToken: quoteTokenFor(userId), contentProvider: { type: 'line' } } }), userId);
  }

  groupTextEvent(groupId: string, userId: string, text: string): WebhookEvent {
    const event = this.baseEvent('message', userId, { message: { type: 'text', id: String(++this.seq), text }, source: { type: 'group', groupId, userId } });
    return this.withReplyToken(event, groupId);
  }

  postbackEvent(userId: string, data: string): WebhookEvent {
    return this.withReplyToken(this.baseEvent('postback', userId, { postback: { data } }), userId);
  }

  followEvent(userId: string): WebhookEvent {
    this.setFollowing(userId, true);
    return this.withReplyToken(this.baseEvent('follow', userId, { follow: { isUnblocked: false } }), userId);
  }

  unfollowEvent(userId: string): WebhookEvent {
    this.setFollowing(userId, false);
    return this.baseEvent('unfollow', userId);
  }

  /** The same event again, as LINE redelivers it after a failed delivery. */
  redelivery(event: WebhookEvent): WebhookEvent {
    return { ...event, deliveryContext: { isRedelivery: true } };
  }

  /** Signs and POSTs a webhook body to the bot, as LINE does. */
  async deliverWebhook(webhookUrl: string, events: WebhookEvent[], options: { signature?: string | null; rawBody?: string } = {}) {
    const body = options.rawBody ?? JSON.stringify({ destination: 'Ufakebotdestination0000000000000000', events });
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'LineBotWebhook/2.0' };
    const signature = options.signature === undefined ? signWebhookBody(body, this.channelSecret) : options.signature;
    if (signature !== null) headers['x-line-signature'] = signature;
    const response = await fetch(webhookUrl, { method: 'POST', headers, body });
    return { status: response.status, body: await response.text() };
  }

  // ---------- the HTTP server (bot → LINE) ----------

  /**
   * `controlApi` adds /__fake/* endpoints for a fake running in its own process (benchmarks):
   * minting reply tokens and reading counters. Never part of the bot's own server.
   */
  async start(port = 0, host = '127.0.0.1', options: { controlApi?: boolean } = {}): Promise<string> {
    // forceCloseConnections: a request left hanging on purpose must not keep stop() waiting.
    const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024, forceCloseConnections: true });
    // LINE accepts a POST with an empty JSON body (the SDK sends those, e.g. to set the default rich menu).
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      if (body === '') return done(null, {});
      try {
        done(null, JSON.parse(body as string));
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined);
      }
    });
    app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    // Faults apply after the body is read, so the request log shows what the failed request carried.
    app.addHook('preHandler', async (request, reply) => this.applyFaults(request, reply));
    app.addHook('onSend', async (request, reply, payload) => {
      const lost = (request as FastifyRequest & { lostAnswer?: FaultRule }).lostAnswer;
      if (!lost) return payload;
      if (lost.hang) await new Promise(() => undefined);
      reply.code(lost.status);
      return JSON.stringify(lost.body ?? { message: 'An error occurred in the backend server.' });
    });
    app.addHook('onResponse', async (request, reply) => {
      const key = `${request.method} ${request.url.split('?')[0]} ${reply.statusCode}`;
      this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
      if (!this.retainMessages) return;
      this.requests.push({
        at: this.now(),
        method: request.method,
        path: request.url.split('?')[0]!,
        status: reply.statusCode,
        retryKey: request.headers['x-line-retry-key'] as string | undefined,
        body: request.body,
      });
    });
    this.registerRoutes(app);
    if (options.controlApi) this.registerControlRoutes(app);
    this.recordReplyTimes = options.controlApi ?? false;
    this.url = await app.listen({ port, host });
    this.server = app;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  private async applyFaults(request: FastifyRequest, reply: FastifyReply) {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const path = request.url.split('?')[0]!;
    const to = (request.body as { to?: unknown } | undefined)?.to;
    const index = this.faults.findIndex(
      (rule) =>
        (typeof rule.path === 'string' ? path.startsWith(rule.path) : rule.path.test(path)) &&
        (!rule.method || rule.method === request.method) &&
        (!rule.to || rule.to === to),
    );
    if (index < 0) return;
    const rule = this.faults[index]!;
    rule.times -= 1;
    if (rule.times <= 0) this.faults.splice(index, 1);
    if (rule.afterDelivery) {
      (request as FastifyRequest & { lostAnswer?: FaultRule }).lostAnswer = rule;
      return;
    }
    if (rule.hang) {
      await new Promise(() => undefined); // never answers; the client's timeout must fire
    }
    if (rule.retryAfterSeconds !== undefined) reply.header('retry-after', String(rule.retryAfterSeconds));
    return reply.code(rule.status).send(rule.body ?? { message: rule.status === 429 ? 'The API rate limit has been exceeded. Try again later.' : 'An error occurred in the backend server.' });
  }

  private authorized(request: FastifyRequest, reply: FastifyReply): boolean {
    if (!this.accessTokenRevoked && request.headers.authorization === `Bearer ${this.channelAccessToken}`) return true;
    void reply.code(401).send({ message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
    return false;
  }

  private validateMessages(messages: unknown, reply: FastifyReply): messages is Array<Record<string, unknown>> {
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > 5) {
      void reply.code(400).send({ message: 'The request body has 1 error(s)', details: [{ message: 'Size must be between 1 and 5', property: 'messages' }] });
      return false;
    }
    for (const message of messages) {
      const problem = describeMessageProblem(message as Record<string, unknown>);
      if (problem) {
        void reply.code(400).send({ message: 'A message (messages[0]) in the request body is invalid', details: [{ message: problem, property: 'messages' }] });
        return false;
      }
    }
    return true;
  }

  /** LINE: a quote token quotes a message of the same chat only; another chat's, or a made-up one, is refused. */
  private validateQuotes(messages: Array<Record<string, unknown>>, chatId: string, reply: FastifyReply): boolean {
    for (const message of messages) {
      if (message.quoteToken === undefined) continue;
      if (typeof message.quoteToken !== 'string' || quoteTokenChat(message.quoteToken) !== chatId) {
        void reply.code(400).send({ message: 'The request body has 1 error(s)', details: [{ message: 'The quote token is invalid', property: 'messages[0].quoteToken' }] });
        return false;
      }
    }
    return true;
  }

  private deliver(to: string, via: DeliveredMessage['via'], messages: Array<Record<string, unknown>>, retryKey?: string) {
    this.usedThisMonth += messages.length;
    if (this.retainMessages) this.acceptedCalls.push({ to, via, at: this.now(), ...(retryKey ? { retryKey } : {}) });
    const profile = this.profiles.get(to);
    if (profile && !profile.following) return; // blocked: LINE answers 200 and delivers nothing
    this.deliveredCount += messages.length;
    if (!this.retainMessages) return;
    for (const message of messages) {
      const delivered: DeliveredMessage = { seq: ++this.seq, at: this.now(), to, via, message, ...(retryKey ? { retryKey } : {}) };
      this.delivered.push(delivered);
      for (const listener of this.listeners) listener(delivered);
    }
  }

  /** X-Line-Retry-Key: a key accepted in the last 24 h answers 409 with the original request id. */
  private checkRetryKey(request: FastifyRequest, reply: FastifyReply): { ok: boolean; key?: string } {
    const key = request.headers['x-line-retry-key'] as string | undefined;
    if (!key) return { ok: true };
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key)) {
      void reply.code(400).send({ message: 'The retry key is invalid' });
      return { ok: false };
    }
    const seen = this.acceptedRetryKeys.get(key);
    if (seen && this.now() - seen.at < 24 * 60 * 60 * 1000) {
      void reply.code(409).header('x-line-accepted-request-id', seen.requestId).send({ message: 'The retry key is already accepted', sentMessages: [] });
      return { ok: false };
    }
    return { ok: true, key };
  }

  private registerControlRoutes(app: FastifyInstance) {
    app.post('/__fake/reply-tokens', async (request) => {
      const { chatIds } = request.body as { chatIds: string[] };
      return { tokens: chatIds.map((chatId) => this.issueReplyToken(chatId)) };
    });
    // Taken (and forgotten) by the benchmark: reply token → when its reply was accepted (epoch ms).
    app.post('/__fake/reply-times', async () => {
      const times = Object.fromEntries(this.replyAcceptedAt);
      this.replyAcceptedAt.clear();
      return times;
    });
    app.get('/__fake/stats', async () => ({ delivered: this.deliveredCount, usedThisMonth: this.usedThisMonth, requests: Object.fromEntries(this.requestCounts) }));
    app.post('/__fake/reset', async () => {
      this.reset();
      return {};
    });
  }

  private registerRoutes(app: FastifyInstance) {
    app.post('/v2/bot/message/reply', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const body = request.body as { replyToken?: string; messages?: unknown };
      if (!this.validateMessages(body.messages, reply)) return reply;
      const token = body.replyToken ? this.replyTokens.get(body.replyToken) : undefined;
      if (!token || token.used || this.now() - token.issuedAt > this.replyTokenTtlMs) {
        return reply.code(400).send({ message: 'Invalid reply token' });
      }
      if (!this.validateQuotes(body.messages, token.chatId, reply)) return reply;
      token.used = true;
      this.replyTokens.delete(body.replyToken!);
      if (this.recordReplyTimes) this.replyAcceptedAt.set(body.replyToken!, Date.now());
      this.deliver(token.chatId, 'reply', body.messages as Array<Record<string, unknown>>);
      return { sentMessages: (body.messages as unknown[]).map(() => ({ id: String(++this.seq), quoteToken: quoteTokenFor(token.chatId) })) };
    });

    app.post('/v2/bot/message/push', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const retry = this.checkRetryKey(request, reply);
      if (!retry.ok) return reply;
      const body = request.body as { to?: string; messages?: unknown };
      if (!this.validateMessages(body.messages, reply)) return reply;
      if (!body.to) return reply.code(400).send({ message: 'The property, to, in the request body is invalid' });
      if (!this.validateQuotes(body.messages, body.to, reply)) return reply;
      if (USER_ID.test(body.to) && !this.profiles.has(body.to)) this.addUser(body.to, body.to);
      const requestId = randomUUID();
      if (retry.key) this.acceptedRetryKeys.set(retry.key, { requestId, at: this.now() });
      this.deliver(body.to, 'push', body.messages as Array<Record<string, unknown>>, retry.key);
      reply.header('x-line-request-id', requestId);
      return { sentMessages: (body.messages as unknown[]).map(() => ({ id: String(++this.seq), quoteToken: quoteTokenFor(body.to!) })) };
    });

    app.post('/v2/bot/message/multicast', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const retry = this.checkRetryKey(request, reply);
      if (!retry.ok) return reply;
      const body = request.body as { to?: string[]; messages?: unknown };
      if (!Array.isArray(body.to) || body.to.length === 0 || body.to.length > 500) {
        return reply.code(400).send({ message: 'The request body has 1 error(s)', details: [{ message: 'Size must be between 1 and 500', property: 'to' }] });
      }
      if (!this.validateMessages(body.messages, reply)) return reply;
      const requestId = randomUUID();
      if (retry.key) this.acceptedRetryKeys.set(retry.key, { requestId, at: this.now() });
      for (const to of body.to) this.deliver(to, 'multicast', body.messages as Array<Record<string, unknown>>, retry.key);
      reply.header('x-line-request-id', requestId);
      return {};
    });

    app.get('/v2/bot/profile/:userId', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const { userId } = request.params as { userId: string };
      const profile = this.profiles.get(userId);
      if (!profile) return reply.code(404).send({ message: 'Not found' });
      return { userId, displayName: profile.displayName, language: 'th' };
    });

    app.post('/v2/bot/chat/loading/start', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const body = request.body as { chatId?: string; loadingSeconds?: number };
      const seconds = body.loadingSeconds ?? 20;
      if (!body.chatId || seconds % 5 !== 0 || seconds < 5 || seconds > 60) return reply.code(400).send({ message: 'Invalid loading request' });
      this.loadingShown.push({ chatId: body.chatId, seconds });
      return reply.code(202).send({});
    });

    app.get('/v2/bot/message/quota', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      return this.monthlyQuota === null ? { type: 'none' } : { type: 'limited', value: this.monthlyQuota };
    });

    app.get('/v2/bot/message/quota/consumption', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      return { totalUsage: this.usedThisMonth };
    });

    app.post('/v2/bot/richmenu', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const menu = request.body as Record<string, unknown>;
      if (!menu || !Array.isArray(menu.areas) || menu.areas.length > 20 || !menu.size || !menu.chatBarText) {
        return reply.code(400).send({ message: 'Invalid rich menu' });
      }
      const richMenuId = `richmenu-${randomBytes(16).toString('hex')}`;
      this.richMenus.set(richMenuId, { menu: { ...menu, richMenuId }, image: undefined, imageType: undefined });
      return { richMenuId };
    });

    app.get('/v2/bot/richmenu/list', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      return { richmenus: [...this.richMenus.values()].map((entry) => entry.menu) };
    });

    app.delete('/v2/bot/richmenu/:richMenuId', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const { richMenuId } = request.params as { richMenuId: string };
      if (!this.richMenus.delete(richMenuId)) return reply.code(404).send({ message: 'Not found' });
      // A deleted menu is unlinked from everyone who had it.
      for (const [userId, linked] of this.userRichMenus) if (linked === richMenuId) this.userRichMenus.delete(userId);
      if (this.defaultRichMenuId === richMenuId) this.defaultRichMenuId = undefined;
      return {};
    });

    app.post('/v2/bot/richmenu/:richMenuId/content', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const { richMenuId } = request.params as { richMenuId: string };
      const entry = this.richMenus.get(richMenuId);
      if (!entry) return reply.code(404).send({ message: 'Not found' });
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) return reply.code(400).send({ message: 'An image is required' });
      if (request.body.length > 1024 * 1024) return reply.code(400).send({ message: 'The image must be 1 MB or smaller' });
      if (entry.image) return reply.code(400).send({ message: 'An image has already been uploaded to the richmenu' });
      entry.image = request.body;
      entry.imageType = String(request.headers['content-type'] ?? 'image/png');
      return {};
    });

    app.get('/v2/bot/richmenu/:richMenuId/content', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const { richMenuId } = request.params as { richMenuId: string };
      const entry = this.richMenus.get(richMenuId);
      if (!entry?.image) return reply.code(404).send({ message: 'Not found' });
      return reply.type(entry.imageType ?? 'image/png').send(entry.image);
    });

    app.get('/v2/bot/message/:messageId/content', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const content = this.contents.get((request.params as { messageId: string }).messageId);
      if (!content) return reply.code(404).send({ message: 'Not found' });
      return reply.type('image/jpeg').send(content);
    });

    app.get('/v2/bot/user/all/richmenu', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      if (!this.defaultRichMenuId) return reply.code(404).send({ message: 'no default richmenu' });
      return { richMenuId: this.defaultRichMenuId };
    });

    app.get('/v2/bot/user/:userId/richmenu', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const linked = this.userRichMenus.get((request.params as { userId: string }).userId);
      if (!linked) return reply.code(404).send({ message: 'the user has no richmenu' });
      return { richMenuId: linked };
    });

    app.delete('/v2/bot/user/:userId/richmenu', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      this.userRichMenus.delete((request.params as { userId: string }).userId);
      return {};
    });

    app.post('/v2/bot/richmenu/bulk/link', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const body = request.body as { richMenuId?: string; userIds?: string[] };
      if (!body.richMenuId || !this.richMenus.get(body.richMenuId)?.image) return reply.code(400).send({ message: 'Invalid richmenu' });
      if (!Array.isArray(body.userIds) || body.userIds.length === 0 || body.userIds.length > 500) return reply.code(400).send({ message: 'userIds: 1 to 500' });
      for (const userId of body.userIds) this.userRichMenus.set(userId, body.richMenuId);
      return reply.code(202).send({});
    });

    app.post('/v2/bot/user/all/richmenu/:richMenuId', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const { richMenuId } = request.params as { richMenuId: string };
      if (!this.richMenus.get(richMenuId)?.image) return reply.code(400).send({ message: 'must upload richmenu image before applying it to user' });
      this.defaultRichMenuId = richMenuId;
      return {};
    });

    app.post('/v2/bot/user/:userId/richmenu/:richMenuId', async (request, reply) => {
      if (!this.authorized(request, reply)) return reply;
      const { userId, richMenuId } = request.params as { userId: string; richMenuId: string };
      if (!this.richMenus.get(richMenuId)?.image) return reply.code(400).send({ message: 'must upload richmenu image before applying it to user' });
      this.userRichMenus.set(userId, richMenuId);
      return {};
    });

    app.post('/oauth2/v2.1/verify', async (request, reply) => {
      const form = (request.body ?? {}) as { id_token?: string; client_id?: string };
      const token = form.id_token ? this.idTokens.get(form.id_token) : undefined;
      if (!form.id_token || !form.client_id) return reply.code(400).send({ error: 'invalid_request', error_description: 'Required parameter missing' });
      if (!token) return reply.code(400).send({ error: 'invalid_request', error_description: 'Invalid IdToken.' });
      if (token.aud !== form.client_id) return reply.code(400).send({ error: 'invalid_request', error_description: 'Invalid IdToken Audience.' });
      if (token.exp * 1000 <= this.now()) return reply.code(400).send({ error: 'invalid_request', error_description: 'IdToken expired.' });
      return { iss: 'https://access.line.me', sub: token.sub, aud: token.aud, exp: token.exp, iat: token.exp - 3600, amr: ['linesso'], name: token.name };
    });
  }
}

/**
 * A quote token that names its chat, so the fake can tell a token of another chat without remembering each one it
 * gave (LINE's are opaque, never expire and may be used many times).
 */
function quoteTokenFor(chatId: string): string {
  return `q1.${Buffer.from(chatId).toString('base64url')}.${randomBytes(9).toString('base64url')}`;
}

function quoteTokenChat(token: string): string | undefined {
  const [version, chat] = token.split('.');
  return version === 'q1' && chat ? Buffer.from(chat, 'base64url').toString() : undefined;
}

/** The simulator serves images from this very machine over http; LINE itself would refuse them. */
function isSimulatorUrl(url: string): boolean {
  return /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(url);
}

/** The checks LINE applies that our code could plausibly get wrong. */
function describeMessageProblem(message: Record<string, unknown>): string | undefined {
  if (message.type === 'text') {
    const text = message.text;
    if (typeof text !== 'string' || text.length === 0) return 'text must not be empty';
    if (text.length > 5000) return 'text must be at most 5000 characters';
  } else if (message.type === 'flex') {
    if (typeof message.altText !== 'string' || message.altText.length === 0 || message.altText.length > 400) return 'altText must be 1-400 characters';
    const contents = message.contents as { type?: string; contents?: unknown[] } | undefined;
    if (!contents || (contents.type !== 'bubble' && contents.type !== 'carousel')) return 'contents must be a bubble or carousel';
    if (contents.type === 'carousel' && (!Array.isArray(contents.contents) || contents.contents.length > 12)) return 'a carousel holds at most 12 bubbles';
    if (JSON.stringify(contents).length > 30_000) return 'flex contents exceed 30 KB';
  } else if (message.type === 'image') {
    // LINE: both URLs https, at most 2,000 characters (the app fetches them itself; http is refused).
    for (const key of ['originalContentUrl', 'previewImageUrl']) {
      const url = message[key];
      if (typeof url !== 'string' || url.length > 2000) return `${key} must be a URL of at most 2000 characters`;
      if (!url.startsWith('https://') && !isSimulatorUrl(url)) return `${key} must use HTTPS`;
    }
  } else {
    return `unsupported message type in this fake: ${String(message.type)}`;
  }
  const quickReply = message.quickReply as { items?: Array<{ action?: { label?: string } }> } | undefined;
  if (quickReply) {
    if (!Array.isArray(quickReply.items) || quickReply.items.length === 0 || quickReply.items.length > 13) return 'quickReply items must be 1-13';
    if (quickReply.items.some((item) => !item.action?.label || item.action.label.length > 20)) return 'quick reply labels must be 1-20 characters';
  }
  return undefined;
}
