// The webhook inbox: events are stored before LINE gets its 200, handled in the background once each, and picked up
// again by any replica if a process dies between receipt and handling.
//
// At most one answer per event, none lost (README, "Answering"): the answer is prepared, then *recorded* on the
// event (compare-and-set: only the handler that records it may send it), then sent — as a reply, or as a push with a
// retry key derived from the event once LINE refused the reply token on its first use. A retry of an event whose
// answer was recorded sends that same answer the same way, and never falls back to a push after a reply that may
// have gone (LINE refuses a used token and an expired one alike).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import {
  claimStaleEvents,
  insertNewEvents,
  markEventAttemptFailed,
  markEventsDone,
  recordAnswers,
  releaseEventClaims,
  renewEventClaims,
  switchAnswerToPush,
  type InboxEvent,
  type RecordedAnswer,
} from '../db/repos/webhook-events.repo.ts';
import { isDatabaseOutage } from './database-outage.ts';
import { retryKeyFor } from './retry-key.ts';

export type { InboxEvent } from '../db/repos/webhook-events.repo.ts';

/** What to say about one event, ready to send: LINE messages, and where (reply token, chat). */
export interface PreparedAnswer {
  messages: unknown[];
  replyToken?: string;
  /** The chat a push goes to (the user, group or room). */
  to?: string;
}

/** How events are answered (implemented over LINE by line/event-handler.ts). */
export interface EventAnswerer {
  /** Does what the event asks (its effects are the services') and says what to answer; undefined: nothing. */
  prepare(payload: unknown): Promise<PreparedAnswer | undefined>;
  /** 'token_refused' when LINE refused the reply token (used before, or expired). Throws on other failures. */
  reply(answer: PreparedAnswer): Promise<'delivered' | 'token_refused'>;
  /** A repeat with the same retry key is delivered once (LINE answers 409, which counts as delivered). */
  push(answer: PreparedAnswer, retryKey: string): Promise<void>;
}

export interface WebhookInboxOptions {
  db: Kysely<Database>;
  /** Where new events are stored: connections answering does not use, so LINE's 200 never queues behind it. */
  storeDb?: Kysely<Database>;
  log: Logger;
  answerer: EventAnswerer;
  /** Events handled at once by this process; the rest wait in the database for the sweeper. */
  concurrency?: number;
  /**
   * How long a claim lasts before another replica may take the event over. The holder renews it on every sweep;
   * short, so that a crashed process's events are answered again while their reply tokens still work.
   */
  claimSeconds?: number;
  maxAttempts?: number;
}

interface QueuedEvent {
  eventId: string;
  payload: unknown;
  attempts: number;
  /** Events of one chat are handled in order. */
  chatKey: string | null;
  /** Recorded by an earlier attempt: send this, this way. */
  recorded?: RecordedAnswer;
}

/**
 * Writes from callers arriving together go to the database as one statement (group commit). While `maxInFlight`
 * writes are running, new callers wait and go together in the next one: under load the batches grow by themselves
 * (one round trip for a burst), when quiet each write goes at once.
 */
function groupCommit<TItem, TResult>(write: (items: TItem[]) => Promise<TResult>, maxInFlight = 2) {
  interface Batch {
    items: TItem[];
    waiters: Array<{ resolve: (r: TResult) => void; reject: (e: unknown) => void }>;
  }
  let pending: Batch | undefined;
  let inFlight = 0;
  const flush = () => {
    if (!pending || inFlight >= maxInFlight) return;
    const batch = pending;
    pending = undefined;
    inFlight += 1;
    write(batch.items)
      .then(
        (result) => batch.waiters.forEach((w) => w.resolve(result)),
        (error: unknown) => batch.waiters.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        inFlight -= 1;
        flush();
      });
  };
  return (items: readonly TItem[]): Promise<TResult> =>
    new Promise((resolve, reject) => {
      if (!pending) {
        pending = { items: [], waiters: [] };
        setImmediate(flush);
      }
      pending.items.push(...items);
      pending.waiters.push({ resolve, reject });
    });
}

const DONE_RETRY_MS = 1_000;

export function createWebhookInbox(options: WebhookInboxOptions) {
  const { db, log, answerer } = options;
  const storeDb = options.storeDb ?? db;
  const concurrency = options.concurrency ?? 128;
  const claimSeconds = options.claimSeconds ?? 20;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxQueued = concurrency * 50;

  const queue: QueuedEvent[] = [];
  /** Events this process holds (queued or running): a sweep must never take them a second time. */
  const held = new Set<string>();
  const busyChats = new Set<string>();
  let running = 0;
  let doneBuffer: string[] = [];
  let flushing: Promise<void> | undefined;
  let flushRetry: NodeJS.Timeout | undefined;
  const idleWaiters: Array<() => void> = [];
  /** Events stored but not queued here (the queue was full): they wait in the database, unclaimed. */
  let backlog = false;
  let sweeping: Promise<number> | undefined;

  /**
   * Stores events (group commit). When the shared statement fails for a reason other than an outage, each event is
   * stored on its own, so one the database refuses fails alone: it is logged and acknowledged, never redelivered
   * forever, and never fails the requests it arrived beside.
   */
  const storeTogether = groupCommit(async (events: InboxEvent[]) => {
    // The same event twice in one batch (a fast redelivery) is inserted once.
    const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
    try {
      return { fresh: await insertNewEvents(storeDb, unique, claimSeconds), refused: new Set<string>() };
    } catch (error) {
      if (isDatabaseOutage(error)) throw error;
    }
    const fresh = new Set<string>();
    const refused = new Set<string>();
    for (const event of unique) {
      try {
        for (const id of await insertNewEvents(storeDb, [event], claimSeconds)) fresh.add(id);
      } catch (error) {
        if (isDatabaseOutage(error)) throw error;
        refused.add(event.eventId);
        log.error({ err: error, eventId: event.eventId, eventType: event.eventType }, 'webhook event refused by the database; acknowledged as malformed');
      }
    }
    return { fresh, refused };
  });

  const recordTogether = groupCommit((answers: Array<{ eventId: string } & RecordedAnswer>) => recordAnswers(db, answers));

  function flushDone(): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      while (doneBuffer.length > 0) {
        const batch = doneBuffer;
        doneBuffer = [];
        try {
          await markEventsDone(db, batch);
        } catch (error) {
          // Kept and tried again: an answered event left pending would be taken up again when its claim lapses
          // (harmless — its recorded answer is not sent twice — but wasted work).
          log.warn({ err: error, count: batch.length }, 'could not mark webhook events done; trying again');
          doneBuffer.push(...batch);
          clearTimeout(flushRetry);
          flushRetry = setTimeout(() => void flushDone(), DONE_RETRY_MS);
          return;
        }
      }
    })().finally(() => {
      flushing = undefined;
      notifyIfIdle();
    });
    return flushing;
  }

  function notifyIfIdle() {
    if (running === 0 && queue.length === 0 && doneBuffer.length === 0 && !flushing && !backlog && !sweeping) {
      for (const resolve of idleWaiters.splice(0)) resolve();
    }
  }

  /** Sends the answer the way it was recorded; `firstUse` when no reply with this token was tried before. */
  async function send(item: QueuedEvent, recorded: RecordedAnswer, firstUse: boolean): Promise<void> {
    const answer = recorded.answer as PreparedAnswer;
    if (recorded.via === 'reply') {
      if ((await answerer.reply(answer)) === 'delivered') return;
      if (!firstUse) {
        // The one window left open: an earlier attempt recorded the answer and may have replied before it died.
        // LINE refuses a used token and an expired one alike, so a push now could say it twice: we say nothing.
        log.warn({ eventId: item.eventId }, 'reply token refused after an interrupted answer; not pushing (it may have been delivered)');
        return;
      }
      // Refused on its first use: no reply went, so a push is safe — repeated, too, for its retry key is derived
      // from the event. Recorded first, so that a retry pushes again instead of trying the token.
      log.info({ eventId: item.eventId }, 'reply token no longer valid; pushing instead');
      await switchAnswerToPush(db, item.eventId).catch((error: unknown) => log.warn({ err: error, eventId: item.eventId }, 'could not record the switch to a push'));
    }
    await answerer.push(answer, retryKeyFor(`reply-fallback:${item.eventId}`));
  }

  /** Answers one event; false when another handler recorded its answer first (that one sends it). */
  async function answerEvent(item: QueuedEvent): Promise<boolean> {
    if (item.recorded) {
      await send(item, item.recorded, false);
      return true;
    }
    const prepared = await answerer.prepare(item.payload);
    if (!prepared || prepared.messages.length === 0 || (!prepared.replyToken && !prepared.to)) return true;
    const recorded: RecordedAnswer = { answer: prepared, via: prepared.replyToken ? 'reply' : 'push' };
    const mine = await recordTogether([{ eventId: item.eventId, ...recorded }]);
    if (!mine.has(item.eventId)) {
      log.warn({ eventId: item.eventId }, 'another handler recorded an answer to this event first; leaving it to that one');
      return false;
    }
    await send(item, recorded, true);
    return true;
  }

  async function runOne(item: QueuedEvent) {
    try {
      if (await answerEvent(item)) {
        doneBuffer.push(item.eventId);
        void flushDone();
      }
    } catch (error) {
      const attempt = item.attempts + 1;
      log.warn({ err: error, eventId: item.eventId, attempt }, 'webhook event handling failed');
      try {
        await markEventAttemptFailed(db, item.eventId, (error as Error).message ?? String(error), maxAttempts, Math.min(300, 5 * 2 ** item.attempts));
      } catch (markError) {
        // The database is away too: the claim lapses and a sweep takes the event up again.
        log.error({ err: markError, eventId: item.eventId }, 'could not record webhook failure');
      }
    }
  }

  function pump() {
    while (running < concurrency) {
      const index = queue.findIndex((item) => item.chatKey === null || !busyChats.has(item.chatKey));
      if (index < 0) break;
      const [item] = queue.splice(index, 1) as [QueuedEvent];
      running += 1;
      if (item.chatKey) busyChats.add(item.chatKey);
      void runOne(item).finally(() => {
        held.delete(item.eventId);
        running -= 1;
        if (item.chatKey) busyChats.delete(item.chatKey);
        pump();
        // Room again: take the backlog from the database (it may also be another replica's).
        if (backlog && queue.length < concurrency) void sweep().catch((error: unknown) => log.warn({ err: error }, 'inbox sweep failed'));
        notifyIfIdle();
      });
    }
  }

  /** Queues what fits (and is not held already) and returns the rest. */
  function enqueue(items: QueuedEvent[]): QueuedEvent[] {
    const fresh = items.filter((item) => !held.has(item.eventId));
    const room = Math.max(0, maxQueued - queue.length);
    const taken = fresh.slice(0, room);
    for (const item of taken) held.add(item.eventId);
    queue.push(...taken);
    pump();
    return fresh.slice(room);
  }

  function sweep(limit = maxQueued): Promise<number> {
    if (sweeping) return sweeping;
    sweeping = (async () => {
      // Events waiting here (a slow chat holds its later events back) keep their claim, so no replica takes them.
      if (held.size > 0) await renewEventClaims(db, [...held], claimSeconds);
      const room = Math.min(limit, maxQueued - queue.length);
      if (room <= 0) return 0;
      const claimed = await claimStaleEvents(db, room, claimSeconds);
      if (claimed.length < room) backlog = false;
      enqueue(
        claimed.map((e) => {
          const payload = e.payload as { source?: { userId?: string } };
          return { eventId: e.eventId, payload: e.payload, attempts: e.attempts, chatKey: payload.source?.userId ?? null, recorded: e.answer };
        }),
      );
      return claimed.length;
    })().finally(() => {
      sweeping = undefined;
      notifyIfIdle();
    });
    return sweeping;
  }

  return {
    /**
     * Stores new events (resolving only once they are durable) and starts handling them. `fresh`: how many were new;
     * `refused`: how many the database would not store (logged, acknowledged). Throws during a database outage.
     */
    async receive(events: readonly InboxEvent[]): Promise<{ fresh: number; refused: number }> {
      if (events.length === 0) return { fresh: 0, refused: 0 };
      const { fresh, refused } = await storeTogether(events);
      // Each new event is handled by exactly one caller, even if two requests in a batch carried it.
      const mine = events.filter((e) => fresh.delete(e.eventId));
      const overflow = enqueue(mine.map((e) => ({ eventId: e.eventId, payload: e.payload, attempts: 0, chatKey: e.sourceUserId })));
      if (overflow.length > 0) {
        // Too busy to hold them: give up our claim so this or any replica's sweep takes them next.
        backlog = true;
        // On the inbox's own connections: the main pool is the busy one right now, and LINE waits for this 200.
        await releaseEventClaims(storeDb, overflow.map((item) => item.eventId));
      }
      return { fresh: mine.length, refused: events.filter((e) => refused.has(e.eventId)).length };
    },

    /** Claims events whose claim lapsed (crash, failure backoff, overflow) and handles them. */
    sweep,

    /** Resolves when nothing is queued, running or waiting to be marked done. */
    idle(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        notifyIfIdle();
      });
    },
  };
}

export type WebhookInbox = ReturnType<typeof createWebhookInbox>;
