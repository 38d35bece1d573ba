// The webhook inbox: events are stored before LINE gets its 200, handled in the background once each,
// and picked up again by any replica if a process dies between receipt and handling.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { claimStaleEvents, insertNewEvents, markEventAttemptFailed, markEventsDone, type InboxEvent } from '../db/repos/webhook-events.repo.ts';

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
  const concurrency = options.concurrency ?? 32;
  const claimSeconds = options.claimSeconds ?? 60;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxQueued = concurrency * 50;

  const queue: QueuedEvent[] = [];
  const busyChats = new Set<string>();
  let running = 0;
  let doneBuffer: string[] = [];
  let flushing: Promise<void> | undefined;
  const idleWaiters: Array<() => void> = [];

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
    if (running === 0 && queue.length === 0 && doneBuffer.length === 0 && !flushing) {
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
        running -= 1;
        if (item.chatKey) busyChats.delete(item.chatKey);
        pump();
        notifyIfIdle();
      });
    }
  }

  function enqueue(items: QueuedEvent[]) {
    for (const item of items) {
      if (queue.length >= maxQueued) break; // stays claimed in the database; the sweeper takes it when the claim lapses
      queue.push(item);
    }
    pump();
  }

  return {
    /** Stores new events and starts handling them; returns how many were new. */
    async receive(events: readonly InboxEvent[]): Promise<number> {
      const fresh = await insertNewEvents(db, events, claimSeconds);
      enqueue(events.filter((e) => fresh.has(e.eventId)).map((e) => ({ eventId: e.eventId, payload: e.payload, attempts: 0, chatKey: e.sourceUserId })));
      return fresh.size;
    },

    /** Claims events whose claim lapsed (crash, failure backoff) and handles them. */
    async sweep(limit = 100): Promise<number> {
      const room = Math.min(limit, maxQueued - queue.length);
      if (room <= 0) return 0;
      const claimed = await claimStaleEvents(db, room, claimSeconds);
      enqueue(
        claimed.map((e) => {
          const payload = e.payload as { source?: { userId?: string } };
          return { eventId: e.eventId, payload: e.payload, attempts: e.attempts, chatKey: payload.source?.userId ?? null };
        }),
      );
      return claimed.length;
    },

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
