// Is this process able to serve: can it reach its database, and how fast; and what is waiting to be handled.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { pingDatabase, queueDepths, type QueueDepths } from '../db/repos/health.repo.ts';

export interface HealthReport {
  ok: boolean;
  database: { kind: 'postgres' | 'pglite'; ok: boolean; latencyMs: number; error?: unknown };
}

/** A probe must answer quickly even while connecting hangs (a server that is starting up, a dropped network). */
const PING_TIMEOUT_MS = 2_000;

export function createHealthService(deps: { db: Kysely<Database>; databaseKind: 'postgres' | 'pglite'; pingTimeoutMs?: number }) {
  const timeoutMs = deps.pingTimeoutMs ?? PING_TIMEOUT_MS;
  return {
    async check(): Promise<HealthReport> {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pingDatabase(deps.db),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer from the database within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { ok: true, database: { kind: deps.databaseKind, ok: true, latencyMs: Math.round(performance.now() - started) } };
      } catch (error) {
        return { ok: false, database: { kind: deps.databaseKind, ok: false, latencyMs: Math.round(performance.now() - started), error } };
      } finally {
        clearTimeout(timer);
      }
    },
    /** What is waiting in the inbox and the outbox (read for /metrics). */
    queues: (): Promise<QueueDepths> => queueDepths(deps.db),
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
