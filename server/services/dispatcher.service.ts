// The dispatcher: sends what the outbox holds, exactly once per message, within the contact policy,
// never faster than the configured rate, retrying what LINE could not take yet and recording every outcome.
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { isWithinContactHours, nextContactTime, startOfContactDay } from '../domain/contact-policy.ts';
import { addDays, bangkokDate, formatThaiDateTime } from '../domain/local-date.ts';
import {
  claimDueMessages,
  countDueMessages,
  earliestPendingAttempt,
  holidaysBetween,
  recordOutcome,
  releaseDailyContact,
  takeDailyContact,
  type ClaimedMessage,
  type Outcome,
} from '../db/repos/outbox.repo.ts';
import { officersWithRoles } from '../db/repos/officers.repo.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import { retryKeyFor } from '../line/retry-key.ts';
import { LineApiError, type Clock, type LineMessage, type Messenger } from './ports.ts';
import { enqueueOutboxMessages } from './outbox.service.ts';

/** Real time for pacing (rate limit, Retry-After); tests pass one whose sleep moves their manual clock. */
export interface Timer {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  nowMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface DispatchDeps {
  db: Kysely<Database>;
  /** PGlite serves one process only (its folder lock), so no cross-replica lock is needed or possible there. */
  databaseKind: 'postgres' | 'pglite';
  messenger: Messenger;
  clock: Clock;
  timer: Timer;
  log: Logger;
  policy: ReminderPolicy;
  ratePerSecond: number;
  maxAttempts?: number;
}

export interface DispatchOptions {
  /** Keep going while a retry falls due within this long (the CLI waits; the cron run does not). */
  patienceMs?: number;
  /** Stop after this long even if more is due (the next run continues). */
  budgetMs?: number;
}

export interface DispatchSummary {
  skipped?: string;
  sent: number;
  duplicate: number;
  multicastCalls: number;
  retried: number;
  dead: number;
  cancelled: number;
  deferredOutsideHours: number;
  deferredDailyLimit: number;
  heldBlocked: number;
  heldQuota: number;
  quota?: { limit: number | null; usedThisMonth: number; due: number };
  elapsedMs: number;
}

const CLAIM_BATCH = 200;
const CLAIM_SECONDS = 120;
const IN_FLIGHT = 16;
const BLOCKED_RECHECK_MS = 12 * 60 * 60 * 1000;
const QUOTA_RECHECK_MS = 60 * 60 * 1000;

/**
 * A sliding one-second window: a send may start only if the send `ratePerSecond` places earlier started at
 * least a second ago. So no one-second window, wherever it falls, ever holds more than `ratePerSecond` sends,
 * yet the full rate is usable.
 */

function createRateLimiter(ratePerSecond: number, timer: Timer) {
  const starts = new Array<number>(ratePerSecond).fill(Number.NEGATIVE_INFINITY);
  let index = 0;
  let pausedUntil = 0;
  let queue = Promise.resolve();
  return {
    /**
     * Waits until `count` more sends may start (callers are served in order) and reserves their places. Call the
     * returned function right before the send itself: the places then hold the moment the send really started.
     */
    take(count = 1): Promise<() => void> {
      const turn = queue.then(async () => {
        const reserved: number[] = [];
        for (let i = 0; i < count; i++) {
          for (;;) {
            const now = timer.nowMs();
            // A millisecond beyond the second: whoever counts our sends does so on a clock of their own.
            const wait = Math.max(pausedUntil - now, starts[index]! + 1001 - now);
            if (wait <= 0) break;
            await timer.sleep(wait);
          }
          starts[index] = timer.nowMs();
          reserved.push(index);
          index = (index + 1) % ratePerSecond;
        }
        return () => {
          const now = timer.nowMs();
          for (const place of reserved) starts[place] = now;
        };
      });
      queue = turn.then(() => undefined, () => undefined);
      return turn;
    },
    /** LINE said 429: nobody sends until Retry-After has passed. */
    pause(ms: number) {
      pausedUntil = Math.max(pausedUntil, timer.nowMs() + ms);
    },
  };
}

/** One limiter per timer and rate: runs that follow each other (a kick, then the schedule) share the window. */
const limiters = new WeakMap<Timer, Map<number, ReturnType<typeof createRateLimiter>>>();

function rateLimiterFor(timer: Timer, ratePerSecond: number) {
  const byRate = limiters.get(timer) ?? new Map<number, ReturnType<typeof createRateLimiter>>();
  limiters.set(timer, byRate);
  let limiter = byRate.get(ratePerSecond);
  if (!limiter) {
    limiter = createRateLimiter(ratePerSecond, timer);
    byRate.set(ratePerSecond, limiter);
  }
  return limiter;
}

async function withDispatcherLock<T>(deps: DispatchDeps, run: () => Promise<T>): Promise<T | undefined> {
  if (deps.databaseKind === 'pglite') return run();
  // A session lock on a connection of its own, held for the whole run: one dispatcher at a time across
  // replicas keeps the rate limit global. The work itself uses the pool.
  return deps.db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtext('wdf:dispatcher')) AS locked`.execute(connection);
    if (!rows[0]?.locked) return undefined;
    try {
      return await run();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('wdf:dispatcher'))`.execute(connection);
    }
  });
}

export async function dispatchDueMessages(deps: DispatchDeps, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const started = deps.timer.nowMs();
  const summary: DispatchSummary = {
    sent: 0, duplicate: 0, multicastCalls: 0, retried: 0, dead: 0, cancelled: 0,
    deferredOutsideHours: 0, deferredDailyLimit: 0, heldBlocked: 0, heldQuota: 0, elapsedMs: 0,
  };
  const result = await withDispatcherLock(deps, async () => {
    await runDispatch(deps, options, summary, started);
    return summary;
  });
  if (!result) summary.skipped = 'another dispatcher is running';
  summary.elapsedMs = Math.round(deps.timer.nowMs() - started);
  return summary;
}

async function runDispatch(deps: DispatchDeps, options: DispatchOptions, summary: DispatchSummary, started: number) {
  const { db, messenger, clock, timer, log, policy } = deps;
  const maxAttempts = deps.maxAttempts ?? 6;
  const limiter = rateLimiterFor(timer, deps.ratePerSecond);
  const today = bangkokDate(clock.now());
  const holidays = await holidaysBetween(db, addDays(today, -1), addDays(today, 30));

  // Quota: when what is due would exceed what is left this month, the most urgent go first and admins hear of it.
  let budget = Number.POSITIVE_INFINITY;
  try {
    const quota = await messenger.getQuota();
    const due = await countDueMessages(db, clock.now());
    summary.quota = { ...quota, due };
    if (quota.limit !== null) {
      budget = Math.max(0, quota.limit - quota.usedThisMonth);
      if (due > budget) await alertAdminsAboutQuota(db, clock.now(), { ...quota, due, remaining: budget });
    }
  } catch (error) {
    log.warn({ err: error }, 'could not read the message quota; sending without a quota check');
  }

  const send = async (message: ClaimedMessage): Promise<void> => {
    const now = clock.now();
    const outcome = await decideAndSend(message, now);
    await recordOutcome(db, message.id, outcome, now);
  };

  /** Why a message cannot go now (an outcome to record), or undefined when it may be sent. */
  const gate = (message: ClaimedMessage, now: Date): Outcome | undefined => {
    if (message.expiresAt <= now) return count({ status: 'cancelled', outcome: 'expired' });
    if (!message.lineUserId) return count({ status: 'cancelled', outcome: 'not_linked' });
    if (!message.following) {
      summary.heldBlocked += 1;
      return { status: 'pending', outcome: 'held_blocked', nextAttemptAt: new Date(now.getTime() + BLOCKED_RECHECK_MS), countsAsAttempt: false };
    }
    if (message.contactWindow === 'borrower' && !isWithinContactHours(now, policy.contactHours, holidays)) {
      summary.deferredOutsideHours += 1;
      return { status: 'pending', outcome: 'deferred_outside_hours', nextAttemptAt: nextContactTime(now, policy.contactHours, holidays), countsAsAttempt: false };
    }
    if (!message.stillDue) return count({ status: 'cancelled', outcome: 'no_longer_due' });
    if (budget <= 0) {
      summary.heldQuota += 1;
      return { status: 'pending', outcome: 'held_quota', nextAttemptAt: new Date(now.getTime() + QUOTA_RECHECK_MS), countsAsAttempt: false };
    }
    return undefined;
  };

  const decideAndSend = async (message: ClaimedMessage, now: Date): Promise<Outcome> => {
    const held = gate(message, now);
    if (held) return held;
    // Reserved before the next await: messages in flight together must not all see the same last unit of quota.
    budget -= 1;
    const day = bangkokDate(now);
    if (message.borrowerId !== null && message.oncePerDay && !(await takeDailyContact(db, message.borrowerId, day, message.id))) {
      budget += 1;
      summary.deferredDailyLimit += 1;
      return {
        status: 'pending', outcome: 'deferred_daily_limit',
        nextAttemptAt: startOfContactDay(addDays(day, 1), policy.contactHours, holidays), countsAsAttempt: false,
      };
    }
    const starting = await limiter.take();
    try {
      starting();
      const result = await messenger.push(message.lineUserId!, message.messages as LineMessage[], message.retryKey);
      summary[result === 'sent' ? 'sent' : 'duplicate'] += 1;
      return { status: 'sent', outcome: result, lineUserId: message.lineUserId!, httpStatus: result === 'sent' ? 200 : 409 };
    } catch (error) {
      budget += 1;
      const failure = failureOutcome(error, message.attempts, now);
      if (failure.status !== 'pending' && message.borrowerId !== null && message.oncePerDay) await releaseDailyContact(db, message.borrowerId, day, message.id);
      return failure;
    }
  };

  const count = (outcome: Outcome): Outcome => {
    if (outcome.status === 'cancelled') summary.cancelled += 1;
    if (outcome.status === 'dead') summary.dead += 1;
    return outcome;
  };

  const failureOutcome = (error: unknown, attemptsBefore: number, now: Date): Outcome => {
    const lineError = error instanceof LineApiError ? error : undefined;
    const httpStatus = lineError?.status;
    const detail = (error as Error).message ?? String(error);
    if (!lineError?.retryable) return count({ status: 'dead', outcome: 'rejected', httpStatus, detail });
    if (attemptsBefore + 1 >= maxAttempts) return count({ status: 'dead', outcome: `gave_up_after_${attemptsBefore + 1}_attempts`, httpStatus, detail });
    let waitMs = Math.min(10 * 60_000, 5_000 * 2 ** attemptsBefore);
    if (lineError.status === 429) {
      waitMs = (lineError.retryAfterSeconds ?? 60) * 1000;
      limiter.pause(waitMs);
    }
    summary.retried += 1;
    return { status: 'pending', outcome: `retry_${lineError.status === 0 ? 'timeout' : lineError.status}`, nextAttemptAt: new Date(now.getTime() + waitMs), countsAsAttempt: true, httpStatus, detail };
  };

  /** Identical messages to many officers: one multicast per batch (≤ 500), outcome recorded per recipient. */
  const sendBatch = async (members: ClaimedMessage[]): Promise<void> => {
    const now = clock.now();
    const ready: ClaimedMessage[] = [];
    for (const message of members) {
      // Each recipient is one message of quota, reserved as it passes the gate.
      const held = gate(message, now);
      if (held) {
        await recordOutcome(db, message.id, held, now);
      } else {
        budget -= 1;
        ready.push(message);
      }
    }
    for (let start = 0; start < ready.length; start += 500) {
      const chunk = ready.slice(start, start + 500);
      const starting = await limiter.take(chunk.length);
      let outcomeFor: (message: ClaimedMessage) => Outcome;
      try {
        starting();
        // The retry key names exactly these rows: a retry of this request reuses it; a member sent later
        // (held while blocked, linked since) is a new request with a key of its own.
        const rows = chunk.map((m) => m.id).sort((a, b) => a - b).join(',');
        const result = await messenger.multicast(chunk.map((m) => m.lineUserId!), chunk[0]!.messages as LineMessage[], retryKeyFor(`multicast:${rows}`));
        summary.multicastCalls += 1;
        summary[result === 'sent' ? 'sent' : 'duplicate'] += chunk.length;
        outcomeFor = (m) => ({ status: 'sent', outcome: `multicast_${result}`, lineUserId: m.lineUserId!, httpStatus: result === 'sent' ? 200 : 409 });
      } catch (error) {
        budget += chunk.length;
        const failure = failureOutcome(error, chunk[0]!.attempts, now);
        if (failure.status === 'pending') summary.retried += chunk.length - 1;
        if (failure.status === 'dead') summary.dead += chunk.length - 1;
        outcomeFor = () => failure;
      }
      for (const message of chunk) await recordOutcome(db, message.id, outcomeFor(message), now);
    }
  };

  for (;;) {
    if (options.budgetMs !== undefined && timer.nowMs() - started > options.budgetMs) break;
    const claimed = await claimDueMessages(db, clock.now(), CLAIM_BATCH, CLAIM_SECONDS);
    if (claimed.length === 0) {
      const next = await earliestPendingAttempt(db);
      const waitMs = next ? next.getTime() - clock.now().getTime() : Number.POSITIVE_INFINITY;
      if (!options.patienceMs || waitMs > options.patienceMs - (timer.nowMs() - started)) break;
      await timer.sleep(Math.max(10, waitMs));
      continue;
    }
    const batches = new Map<string, ClaimedMessage[]>();
    const singles: ClaimedMessage[] = [];
    for (const message of claimed) {
      if (message.batchKey) batches.set(message.batchKey, [...(batches.get(message.batchKey) ?? []), message]);
      else singles.push(message);
    }
    for (const members of batches.values()) await sendBatch(members);
    // Most urgent first; a bounded number in flight, each waiting for its rate token.
    let next = 0;
    const worker = async () => {
      while (next < singles.length) {
        const message = singles[next++]!;
        try {
          await send(message);
        } catch (error) {
          log.error({ err: error, messageId: message.id }, 'dispatch of one message failed; its claim will lapse and it is retried');
        }
      }
    };
    // Short of quota, one at a time: the remaining units must go strictly to the most urgent.
    const inFlight = budget < singles.length ? 1 : IN_FLIGHT;
    await Promise.all(Array.from({ length: Math.min(inFlight, singles.length) }, worker));
  }
}

async function alertAdminsAboutQuota(db: Kysely<Database>, now: Date, quota: { limit: number | null; usedThisMonth: number; due: number; remaining: number }) {
  const admins = await officersWithRoles(db, ['admin']);
  const text =
    `⚠️ โควตาข้อความ LINE ของเดือนนี้ใกล้หมด\nใช้ไปแล้ว ${quota.usedThisMonth.toLocaleString('en-US')} จาก ${quota.limit?.toLocaleString('en-US')} ข้อความ ` +
    `เหลือ ${quota.remaining.toLocaleString('en-US')} แต่มีข้อความรอส่ง ${quota.due.toLocaleString('en-US')} ข้อความ\n` +
    `ระบบจะส่งข้อความที่เร่งด่วนที่สุดก่อน ส่วนที่เหลือจะรอจนกว่าโควตาเพิ่มหรือขึ้นเดือนใหม่ (ตรวจเมื่อ ${formatThaiDateTime(now)})`;
  await enqueueOutboxMessages(
    db,
    admins.map((admin) => ({
      dedupeKey: `quota-alert:${bangkokDate(now)}:officer:${admin.id}`,
      kind: 'quota_alert',
      recipient: { type: 'officer' as const, officerId: admin.id },
      messages: [{ type: 'text', text }],
      urgency: 1000,
      notBefore: now,
      contactWindow: 'anytime' as const,
    })),
  );
}
