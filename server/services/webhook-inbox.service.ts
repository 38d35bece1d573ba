// The webhook inbox: events are stored before LINE gets its 200, handled in the background once each,
// and picked up again by any replica if a process dies between receipt and handling.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import {
  claimStaleEvents,
  insertNewEvents,
  markEventAttemptFailed,
  markEventsDone,
  releaseEventClaims,
  renewEventClaims,
  type InboxEvent,
} from '../db/repos/webhook-events.repo.ts';

export interface WebhookInboxOptions {
  db: Kysely<Database>;
  log: Logger;
  handle: (payload: unknown) => Promise<void>;
  /** Events handled at once by this process; the rest wait in the database for the sweeper. */
  concurrency?: number;
  /** How long a claim lasts before another replica may take the event over. */
  claimSeconds?: number;
  maxAttempts?: number;
}

interface QueuedEvent {
  eventId: string;
  payload: unknown;
  attempts: number;
  /** Events of one chat are handled in order. */
  chatKey: string | null;
}

export function createWebhookInbox(options: WebhookInboxOptions) {
  const { db, log } = options;
  const concurrency = options.concurrency ?? 16;
  const claimSeconds = options.claimSeconds ?? 60;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxQueued = concurrency * 50;

  const queue: QueuedEvent[] = [];
  /** Events this process holds (queued or running): a sweep must never take them a second time. */
  const held = new Set<string>();
  // Group commit: events from requests arriving together are stored with one INSERT.
  interface InsertBatch {
    events: InboxEvent[];
    waiters: Array<{ resolve: (fresh: Set<string>) => void; reject: (error: unknown) => void }>;
  }
  let pendingInsert: InsertBatch | undefined;
  const busyChats = new Set<string>();
  let running = 0;
  let doneBuffer: string[] = [];
  let flushing: Promise<void> | undefined;
  const idleWaiters: Array<() => void> = [];
  /** Events stored but not queued here (the queue was full): they wait in the database, unclaimed. */
  let backlog = false;
  let sweeping: Promise<number> | undefined;

  function flushDone(): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      while (doneBuffer.length > 0) {
        const batch = doneBuffer;
        doneBuffer = [];
        try {
          await markEventsDone(db, batch);
        } catch (error) {
          // Not marked done: the claim lapses and the sweeper retries. Handlers are idempotent enough
          // (replies fall back to pushes with a stable retry key), so a repeat sends nothing twice.
          log.error({ err: error, count: batch.length }, 'could not mark webhook events done');
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

  async function runOne(item: QueuedEvent) {
    try {
      await options.handle(item.payload);
      doneBuffer.push(item.eventId);
      void flushDone();
    } catch (error) {
      const attempt = item.attempts + 1;
      log.warn({ err: error, eventId: item.eventId, attempt }, 'webhook event handling failed');
      try {
        await markEventAttemptFailed(db, item.eventId, (error as Error).message ?? String(error), maxAttempts, Math.min(300, 5 * 2 ** item.attempts));
      } catch (markError) {
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
        if (backlog && queue.length < concurrency) void sweep();
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
          return { eventId: e.eventId, payload: e.payload, attempts: e.attempts, chatKey: payload.source?.userId ?? null };
        }),
      );
      return claimed.length;
    })().finally(() => {
      sweeping = undefined;
      notifyIfIdle();
    });
    return sweeping;
  }

  function storeTogether(events: readonly InboxEvent[]): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      if (!pendingInsert) {
        const batch: InsertBatch = { events: [], waiters: [] };
        pendingInsert = batch;
        setImmediate(() => {
          pendingInsert = undefined;
          // The same event twice in one batch (a fast redelivery) is inserted once.
          const unique = [...new Map(batch.events.map((e) => [e.eventId, e])).values()];
          insertNewEvents(db, unique, claimSeconds).then(
            (fresh) => batch.waiters.forEach((w) => w.resolve(fresh)),
            (error: unknown) => batch.waiters.forEach((w) => w.reject(error)),
          );
        });
      }
      pendingInsert.events.push(...events);
      pendingInsert.waiters.push({ resolve, reject });
    });
  }

  return {
    /** Stores new events (resolving only once they are durable) and starts handling them; returns how many were new. */
    async receive(events: readonly InboxEvent[]): Promise<number> {
      if (events.length === 0) return 0;
      const fresh = await storeTogether(events);
      // Each new event is handled by exactly one caller, even if two requests in a batch carried it.
      const mine = events.filter((e) => fresh.delete(e.eventId));
      const overflow = enqueue(mine.map((e) => ({ eventId: e.eventId, payload: e.payload, attempts: 0, chatKey: e.sourceUserId })));
      if (overflow.length > 0) {
        // Too busy to hold them: give up our claim so this or any replica's sweep takes them next.
        backlog = true;
        await releaseEventClaims(db, overflow.map((item) => item.eventId));
      }
      return mine.length;
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
