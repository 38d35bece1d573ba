// Riding out a database outage (a restart, a fail-over, a dropped connection): recognise it, and retry the unit of
// work that met it once the database is back, for as long as the caller can wait. Only whole units are retried, and
// only ones that are safe to repeat (idempotent writes, work that records its own progress).
import type { Logger } from 'pino';
import { isTransientDatabaseError } from '../db/database-errors.ts';

/** True for errors of a database that is away for a moment, as opposed to a statement that is wrong. */
export function isDatabaseOutage(error: unknown): boolean {
  return isTransientDatabaseError(error);
}

export interface OutageRetryOptions {
  log: Logger;
  /** What is being retried, for the log. */
  what: string;
  /** Give up (rethrow) when the database has been away this long. */
  patienceMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (e.g. to release claims the failed attempt left behind). */
  beforeRetry?: () => Promise<void> | void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retryThroughOutage<T>(operation: () => Promise<T>, options: OutageRetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const started = Date.now();
  let delayMs = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const waitedMs = Date.now() - started;
      if (!isDatabaseOutage(error) || waitedMs + delayMs > options.patienceMs) throw error;
      const { code, message } = error as { code?: string; message?: string };
      options.log.warn({ what: options.what, attempt, retryInMs: delayMs, code, reason: message }, 'database unavailable; retrying when it is back');
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 5_000);
      await options.beforeRetry?.();
    }
  }
}
