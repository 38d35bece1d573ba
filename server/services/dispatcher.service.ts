// The dispatcher: sends what the outbox holds, exactly once per message, within the contact policy,
// never faster than the configured rate, retrying what LINE could not take yet and recording every outcome.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { isWithinContactHours, nextContactTime, startOfContactDay } from '../domain/contact-policy.ts';
import { addDays, bangkokDate, type LocalDate } from '../domain/local-date.ts';
import {
  assignMulticastKey,
  claimDueMessages,
  countDueMessages,
  detachMulticastKey,
  earliestPendingAttempt,
  holidaysBetween,
  markMulticastDelivered,
  recordOutcomes,
  releaseDailyContact,
  releaseMessageClaims,
  takeDailyContacts,
  type ClaimedMessage,
  type Outcome,
} from '../db/repos/outbox.repo.ts';
import { withDispatcherLock } from '../db/repos/locks.repo.ts';
import { officersWithRoles } from '../db/repos/officers.repo.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import { retryKeyFor } from './retry-key.ts';
import { LineApiError, type Clock, type Messenger, type OutboundContent } from './ports.ts';
import { enqueueOutboxMessages, MULTICAST_MAX_RECIPIENTS } from './outbox.service.ts';
import { isDatabaseOutage } from './database-outage.ts';
import type { Notification } from './notifications.ts';

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
  /**
   * How long to wait out a database outage (restart, fail-over) before giving up: the run keeps what it learnt
   * (outcomes not yet recorded), gives back what it claimed but did not send, takes the lock again and goes on.
   */
  outagePatienceMs?: number;
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
  /** Messages kept back because LINE refused the channel access token (they wait for it to be put right). */
  heldTokenRefused: number;
  /** LINE's answer (401, 403) when it refused the channel access token during this run. */
  lineRefusedToken?: number;
  quota?: { limit: number | null; usedThisMonth: number; due: number };
  elapsedMs: number;
}

const CLAIM_BATCH = 500;
const CLAIM_SECONDS = 120;
const IN_FLIGHT = 64;
const BLOCKED_RECHECK_MS = 12 * 60 * 60 * 1000;
const QUOTA_RECHECK_MS = 60 * 60 * 1000;
/** A refused token is the channel's, not the message's: messages wait this long (no attempt counted) and go once it works. */
const TOKEN_REFUSED_RECHECK_MS = 5 * 60 * 1000;
const DEFAULT_MAX_ATTEMPTS = 6;
const DEFAULT_OUTAGE_PATIENCE_MS = 60_000;
const OUTAGE_POLL_MS = 1_000;
const RATE_MARGIN_MS = 5;

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
            // A few milliseconds beyond the second: whoever counts our sends does so on a clock of their own, and a
            // GC pause between this moment and the request shifts it (bench:reminders saw 2,001 starts in one
            // second with a 1 ms margin at 2,000/s). Costs at most 0.5 % of the rate.
            const wait = Math.max(pausedUntil - now, starts[index]! + 1000 + RATE_MARGIN_MS - now);
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

type RateLimiter = ReturnType<typeof createRateLimiter>;

/** One limiter per timer and rate: runs that follow each other (a kick, then the schedule) share the window. */
const limiters = new WeakMap<Timer, Map<number, RateLimiter>>();

function rateLimiterFor(timer: Timer, ratePerSecond: number): RateLimiter {
  const byRate = limiters.get(timer) ?? new Map<number, RateLimiter>();
  limiters.set(timer, byRate);
  let limiter = byRate.get(ratePerSecond);
  if (!limiter) {
    limiter = createRateLimiter(ratePerSecond, timer);
    byRate.set(ratePerSecond, limiter);
  }
  return limiter;
}

function emptySummary(): DispatchSummary {
  return {
    sent: 0, duplicate: 0, multicastCalls: 0, retried: 0, dead: 0, cancelled: 0,
    deferredOutsideHours: 0, deferredDailyLimit: 0, heldBlocked: 0, heldQuota: 0, heldTokenRefused: 0, elapsedMs: 0,
  };
}

/**
 * What a run knows that the database does not yet: outcomes waiting to be recorded (a batch at a time), and
 * messages it claimed but has not sent. Kept across a database outage, settled when the database is back.
 */
class Ledger {
  readonly outcomes: Array<{ messageId: number; outcome: Outcome }> = [];
  readonly unsent = new Set<number>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock) {}

  record(messageId: number, outcome: Outcome): void {
    this.unsent.delete(messageId);
    this.outcomes.push({ messageId, outcome });
  }

  /** Writes what is waiting (after any write still running); a failed write keeps the outcomes for the next. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      while (this.outcomes.length > 0) {
        const batch = this.outcomes.slice(0, 1000);
        await recordOutcomes(this.db, batch, this.clock.now());
        this.outcomes.splice(0, batch.length);
      }
    });
    const written = this.writing;
    // The chain goes on after a failure; the caller of this flush sees it.
    this.writing = written.catch(() => undefined);
    return written;
  }

  /** After an outage: record what was learnt, give back what was claimed and not sent. */
  async settle(): Promise<void> {
    await this.flush();
    const unsent = [...this.unsent];
    await releaseMessageClaims(this.db, unsent);
    for (const id of unsent) this.unsent.delete(id);
  }
}

export async function dispatchDueMessages(deps: DispatchDeps, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const started = deps.timer.nowMs();
  const summary = emptySummary();
  const ledger = new Ledger(deps.db, deps.clock);
  const patienceMs = options.outagePatienceMs ?? DEFAULT_OUTAGE_PATIENCE_MS;
  let outageSince: number | undefined;
  for (;;) {
    try {
      if (outageSince !== undefined) {
        await ledger.settle();
        deps.log.info({ downForMs: Math.round(deps.timer.nowMs() - outageSince) }, 'database is back; dispatch goes on');
        outageSince = undefined;
      }
      const run = async () => {
        await new DispatchRun(deps, options, summary, started, ledger).run();
        return summary;
      };
      const result = deps.databaseKind === 'pglite' ? await run() : await withDispatcherLock(deps.db, run);
      if (!result) summary.skipped = 'another dispatcher is running';
      break;
    } catch (error) {
      if (!isDatabaseOutage(error)) throw error;
      outageSince ??= deps.timer.nowMs();
      const downForMs = deps.timer.nowMs() - outageSince;
      if (downForMs > patienceMs) throw error;
      deps.log.warn({ code: (error as { code?: string }).code, reason: (error as Error).message, downForMs: Math.round(downForMs) }, 'database unavailable during dispatch; waiting for it');
      await deps.timer.sleep(OUTAGE_POLL_MS);
    }
  }
  summary.elapsedMs = Math.round(deps.timer.nowMs() - started);
  return summary;
}

/** What an outbox row asks to be sent. */
function contentOf(message: ClaimedMessage): OutboundContent {
  return message.notification != null ? { notification: message.notification as Notification } : { prerendered: message.messages ?? [] };
}

/** A claimed batch, checked against the policy: what is held (with its outcome) and what may go. */
interface PreparedBatch {
  multicasts: ClaimedMessage[][];
  singles: ClaimedMessage[];
}

/** 401 and 403: LINE refuses the channel (its token, or its plan), whatever the message. */
const refusesChannel = (error: LineApiError) => error.status === 401 || error.status === 403;

/**
 * One run of the dispatcher: claim what is due, gate each message by the policy, send, record, repeat. The next
 * batch is claimed (and its borrowers' daily contacts taken) while this one is sent, and outcomes are recorded a
 * batch at a time while the next is sent: the database is never in the way of the rate.
 */
class DispatchRun {
  private readonly limiter: RateLimiter;
  private readonly maxAttempts: number;
  /** Messages still allowed this month (infinite when the plan has no limit or the quota could not be read). */
  private budget = Number.POSITIVE_INFINITY;
  private holidays: ReadonlySet<LocalDate> = new Set();

  constructor(
    private readonly deps: DispatchDeps,
    private readonly options: DispatchOptions,
    private readonly summary: DispatchSummary,
    private readonly started: number,
    private readonly ledger: Ledger,
  ) {
    this.limiter = rateLimiterFor(deps.timer, deps.ratePerSecond);
    this.maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  async run(): Promise<void> {
    const today = bangkokDate(this.deps.clock.now());
    this.holidays = await holidaysBetween(this.deps.db, addDays(today, -1), addDays(today, 30));
    await this.readQuota();
    // Nothing can go with a token LINE refuses: nothing is claimed, so nothing counts an attempt.
    if (this.summary.lineRefusedToken !== undefined) return;
    let next: Promise<PreparedBatch | undefined> = this.claimAndPrepare();
    try {
      for (;;) {
        const batch = await next;
        if (!batch) {
          await this.ledger.flush();
          if (!(await this.waitForNextRetry())) break;
          next = this.claimAndPrepare();
          continue;
        }
        const overBudget = this.options.budgetMs !== undefined && this.elapsedMs() > this.options.budgetMs;
        next = overBudget ? Promise.resolve(undefined) : this.claimAndPrepare();
        // Observed below; until then a failure must not count as unhandled.
        next.catch(() => undefined);
        await this.sendBatch(batch);
        void this.ledger.flush().catch(() => undefined);
        if (overBudget || this.summary.lineRefusedToken !== undefined) break;
      }
    } finally {
      // Whatever the way out, what the run learnt is written and what it claimed but did not send is given back.
      await next.catch(() => undefined);
      await this.ledger.settle();
    }
  }

  private elapsedMs(): number {
    return this.deps.timer.nowMs() - this.started;
  }

  /** Quota: when what is due would exceed what is left this month, the most urgent go first and admins hear of it. */
  private async readQuota(): Promise<void> {
    const { db, messenger, clock, log } = this.deps;
    try {
      const quota = await messenger.getQuota();
      const due = await countDueMessages(db, clock.now());
      this.summary.quota = { ...quota, due };
      if (quota.limit !== null) {
        this.budget = Math.max(0, quota.limit - quota.usedThisMonth);
        if (due > this.budget) await alertAdminsAboutQuota(db, clock.now(), { ...quota, due, remaining: this.budget });
      }
    } catch (error) {
      if (isDatabaseOutage(error)) throw error;
      if (error instanceof LineApiError && refusesChannel(error)) this.noteTokenRefused(error);
      else log.warn({ err: error }, 'could not read the message quota; sending without a quota check');
    }
  }

  /** Nothing due now: wait for the next retry if it falls within the patience left; false when the run should end. */
  private async waitForNextRetry(): Promise<boolean> {
    const { db, clock, timer } = this.deps;
    const next = await earliestPendingAttempt(db);
    const waitMs = next ? next.getTime() - clock.now().getTime() : Number.POSITIVE_INFINITY;
    if (!this.options.patienceMs || waitMs > this.options.patienceMs - this.elapsedMs()) return false;
    await timer.sleep(Math.max(10, waitMs));
    return true;
  }

  /**
   * Claims the next batch and applies what the policy decides without sending: held messages get their outcome,
   * reminders take their borrower's one contact of the day (one statement for the batch). Undefined: nothing due.
   */
  private async claimAndPrepare(): Promise<PreparedBatch | undefined> {
    const { db, clock, policy } = this.deps;
    const claimed = await claimDueMessages(db, clock.now(), CLAIM_BATCH, CLAIM_SECONDS);
    if (claimed.length === 0) return undefined;
    for (const message of claimed) this.ledger.unsent.add(message.id);
    const now = clock.now();
    const passing: ClaimedMessage[] = [];
    for (const message of claimed) {
      const held = this.gate(message, now);
      if (held) this.ledger.record(message.id, held);
      else passing.push(message);
    }
    const day = bangkokDate(now);
    const wantsDay = passing.filter((m) => m.borrowerId !== null && m.oncePerDay && !m.batchKey);
    const haveDay = await takeDailyContacts(db, wantsDay.map((m) => ({ borrowerId: m.borrowerId!, day, messageId: m.id })));
    const deferred: Outcome = {
      status: 'pending', outcome: 'deferred_daily_limit',
      nextAttemptAt: startOfContactDay(addDays(day, 1), policy.contactHours, this.holidays), countsAsAttempt: false,
    };
    const batches = new Map<string, ClaimedMessage[]>();
    const singles: ClaimedMessage[] = [];
    for (const message of passing) {
      if (message.batchKey) {
        batches.set(message.batchKey, [...(batches.get(message.batchKey) ?? []), message]);
      } else if (message.borrowerId !== null && message.oncePerDay && !haveDay.has(message.id)) {
        this.summary.deferredDailyLimit += 1;
        this.ledger.record(message.id, deferred);
      } else {
        singles.push(message);
      }
    }
    return { multicasts: [...batches.values()], singles };
  }

  /** Multicast batches first, then single messages most urgent first, a bounded number in flight. */
  private async sendBatch(batch: PreparedBatch): Promise<void> {
    for (const members of batch.multicasts) await this.sendMulticast(members);
    const singles = batch.singles;
    let next = 0;
    const worker = async () => {
      while (next < singles.length) {
        const message = singles[next++]!;
        try {
          this.ledger.record(message.id, await this.pushSingle(message));
        } catch (error) {
          if (isDatabaseOutage(error)) throw error;
          this.deps.log.error({ err: error, messageId: message.id }, 'dispatch of one message failed; its claim will lapse and it is retried');
        }
      }
    };
    // Short of quota, one at a time: the remaining units must go strictly to the most urgent.
    const inFlight = this.budget < singles.length ? 1 : IN_FLIGHT;
    await Promise.all(Array.from({ length: Math.min(inFlight, singles.length) }, worker));
  }

  /** Why a message cannot go now (an outcome to record), or undefined when it may be sent. Quota is checked at sending. */
  private gate(message: ClaimedMessage, now: Date): Outcome | undefined {
    const { policy } = this.deps;
    if (message.expiresAt <= now) return this.counted({ status: 'cancelled', outcome: 'expired' });
    if (!message.lineUserId) return this.counted({ status: 'cancelled', outcome: 'not_linked' });
    if (!message.following) {
      this.summary.heldBlocked += 1;
      return { status: 'pending', outcome: 'held_blocked', nextAttemptAt: new Date(now.getTime() + BLOCKED_RECHECK_MS), countsAsAttempt: false };
    }
    if (message.contactWindow === 'borrower' && !isWithinContactHours(now, policy.contactHours, this.holidays)) {
      this.summary.deferredOutsideHours += 1;
      return { status: 'pending', outcome: 'deferred_outside_hours', nextAttemptAt: nextContactTime(now, policy.contactHours, this.holidays), countsAsAttempt: false };
    }
    if (!message.stillDue) return this.counted({ status: 'cancelled', outcome: 'no_longer_due' });
    return undefined;
  }

  /** Said once a run, in words the operator can act on; the run then sends nothing more. */
  private noteTokenRefused(error: LineApiError): void {
    if (this.summary.lineRefusedToken !== undefined) return;
    this.summary.lineRefusedToken = error.status;
    this.deps.log.error(
      { status: error.status },
      `LINE refused LINE_CHANNEL_ACCESS_TOKEN (HTTP ${error.status}): messages wait in the outbox (none counts an attempt) until it is put right`,
    );
  }

  private heldForRefusedToken(now: Date, count = 1, failure: { httpStatus?: number; detail?: string } = {}): Outcome {
    this.summary.heldTokenRefused += count;
    return { status: 'pending', outcome: 'held_token_refused', nextAttemptAt: new Date(now.getTime() + TOKEN_REFUSED_RECHECK_MS), countsAsAttempt: false, ...failure };
  }

  private heldForQuota(now: Date): Outcome {
    this.summary.heldQuota += 1;
    return { status: 'pending', outcome: 'held_quota', nextAttemptAt: new Date(now.getTime() + QUOTA_RECHECK_MS), countsAsAttempt: false };
  }

  private async pushSingle(message: ClaimedMessage): Promise<Outcome> {
    const { db, messenger, clock } = this.deps;
    const now = clock.now();
    const day = bangkokDate(now);
    const tookDay = message.borrowerId !== null && message.oncePerDay;
    if (this.summary.lineRefusedToken !== undefined) {
      if (tookDay) await releaseDailyContact(db, message.borrowerId!, day, message.id);
      return this.heldForRefusedToken(now);
    }
    if (this.budget <= 0) {
      if (tookDay) await releaseDailyContact(db, message.borrowerId!, day, message.id);
      return this.heldForQuota(now);
    }
    // Reserved before the next await: messages in flight together must not all see the same last unit of quota.
    this.budget -= 1;
    const starting = await this.limiter.take();
    try {
      starting();
      const result = await messenger.push(message.lineUserId!, contentOf(message), message.retryKey);
      this.summary[result === 'sent' ? 'sent' : 'duplicate'] += 1;
      return { status: 'sent', outcome: result, lineUserId: message.lineUserId!, httpStatus: result === 'sent' ? 200 : 409 };
    } catch (error) {
      this.budget += 1;
      const failure = this.failureOutcome(error, message.attempts, now);
      // Her contact of the day goes back unless the message is retried soon (a refused token may last hours).
      if ((failure.status !== 'pending' || failure.outcome === 'held_token_refused') && tookDay) await releaseDailyContact(db, message.borrowerId!, day, message.id);
      return failure;
    }
  }

  /**
   * Identical notifications to many officers: one multicast per batch (≤ 500), outcome recorded per recipient.
   * The retry key is stored on the recipients before the request and reused by every retry of it, whoever has
   * dropped out meanwhile: LINE's 409 then tells us the first request went (to all who were in it), a 200 that it
   * never did (and those who dropped out are sent later, under a key of their own).
   */
  private async sendMulticast(members: ClaimedMessage[]): Promise<void> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const ready: ClaimedMessage[] = [];
    for (const message of members) {
      if (this.budget <= 0) {
        this.ledger.record(message.id, this.heldForQuota(now));
      } else {
        // Each recipient is one message of quota, reserved as it passes.
        this.budget -= 1;
        ready.push(message);
      }
    }
    // Recipients of an earlier attempt go together again, under its key; the rest form new requests.
    const groups = new Map<string, ClaimedMessage[]>();
    const fresh: ClaimedMessage[] = [];
    for (const message of ready) {
      if (message.multicastRetryKey) groups.set(message.multicastRetryKey, [...(groups.get(message.multicastRetryKey) ?? []), message]);
      else fresh.push(message);
    }
    const requests: Array<{ key: string; chunk: ClaimedMessage[]; isNew: boolean }> = [...groups].map(([key, chunk]) => ({ key, chunk, isNew: false }));
    for (let start = 0; start < fresh.length; start += MULTICAST_MAX_RECIPIENTS) {
      const chunk = fresh.slice(start, start + MULTICAST_MAX_RECIPIENTS);
      const key = retryKeyFor(`multicast:${chunk.map((m) => m.id).sort((a, b) => a - b).join(',')}`);
      requests.push({ key, chunk, isNew: true });
    }
    for (const { key, chunk, isNew } of requests) {
      if (this.summary.lineRefusedToken !== undefined) {
        this.budget += chunk.length;
        const held = this.heldForRefusedToken(now, chunk.length);
        for (const message of chunk) this.ledger.record(message.id, held);
        continue;
      }
      // Durable before the request: a crash after it leaves the key on the rows for the retry.
      if (isNew) await assignMulticastKey(db, chunk.map((m) => m.id), key);
      await this.multicastOnce(key, chunk, now);
    }
  }

  private async multicastOnce(key: string, chunk: ClaimedMessage[], now: Date): Promise<void> {
    const { db, messenger } = this.deps;
    const ids = chunk.map((m) => m.id);
    const starting = await this.limiter.take(chunk.length);
    let outcomeFor: (message: ClaimedMessage) => Outcome;
    try {
      starting();
      const result = await messenger.multicast(chunk.map((m) => m.lineUserId!), contentOf(chunk[0]!), key);
      this.summary.multicastCalls += 1;
      this.summary[result === 'sent' ? 'sent' : 'duplicate'] += chunk.length;
      outcomeFor = (m) => ({ status: 'sent', outcome: `multicast_${result}`, lineUserId: m.lineUserId!, httpStatus: result === 'sent' ? 200 : 409 });
      if (result === 'sent') await detachMulticastKey(db, key, ids);
      else this.summary.duplicate += await markMulticastDelivered(db, key, ids, now);
    } catch (error) {
      if (isDatabaseOutage(error)) throw error;
      this.budget += chunk.length;
      const failure = this.failureOutcome(error, chunk[0]!.attempts, now);
      if (failure.outcome === 'held_token_refused') this.summary.heldTokenRefused += chunk.length - 1;
      else if (failure.status === 'pending') this.summary.retried += chunk.length - 1;
      if (failure.status === 'dead') this.summary.dead += chunk.length - 1;
      outcomeFor = () => failure;
    }
    for (const message of chunk) this.ledger.record(message.id, outcomeFor(message));
  }

  /** What a failed send becomes: a retry with backoff (or after Retry-After), or dead with the reason. */
  private failureOutcome(error: unknown, attemptsBefore: number, now: Date): Outcome {
    const lineError = error instanceof LineApiError ? error : undefined;
    const httpStatus = lineError?.status;
    const detail = (error as Error).message ?? String(error);
    if (lineError && refusesChannel(lineError)) {
      this.noteTokenRefused(lineError);
      return this.heldForRefusedToken(now, 1, { httpStatus, detail });
    }
    if (!lineError?.retryable) return this.counted({ status: 'dead', outcome: 'rejected', httpStatus, detail });
    if (attemptsBefore + 1 >= this.maxAttempts) return this.counted({ status: 'dead', outcome: `gave_up_after_${attemptsBefore + 1}_attempts`, httpStatus, detail });
    let waitMs = Math.min(10 * 60_000, 5_000 * 2 ** attemptsBefore);
    if (lineError.status === 429) {
      waitMs = (lineError.retryAfterSeconds ?? 60) * 1000;
      this.limiter.pause(waitMs);
    }
    this.summary.retried += 1;
    return { status: 'pending', outcome: `retry_${lineError.status === 0 ? 'timeout' : lineError.status}`, nextAttemptAt: new Date(now.getTime() + waitMs), countsAsAttempt: true, httpStatus, detail };
  }

  private counted(outcome: Outcome): Outcome {
    if (outcome.status === 'cancelled') this.summary.cancelled += 1;
    if (outcome.status === 'dead') this.summary.dead += 1;
    return outcome;
  }
}

async function alertAdminsAboutQuota(db: Kysely<Database>, now: Date, quota: { limit: number | null; usedThisMonth: number; due: number; remaining: number }) {
  const admins = await officersWithRoles(db, ['admin']);
  const notification: Notification = { kind: 'quota_alert', ...quota, checkedAt: now.toISOString() };
  await enqueueOutboxMessages(
    db,
    admins.map((admin) => ({
      dedupeKey: `quota-alert:${bangkokDate(now)}:officer:${admin.id}`,
      kind: 'quota_alert',
      recipient: { type: 'officer' as const, officerId: admin.id },
      notification,
      urgency: 1000,
      notBefore: now,
      contactWindow: 'anytime' as const,
    })),
  );
}
