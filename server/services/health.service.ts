// Is this process able to serve: can it reach its database, and how fast; and what is waiting to be handled.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { pingDatabase, queueDepths, type QueueDepths } from '../db/repos/health.repo.ts';

export interface HealthReport {
  ok: boolean;
  database: { kind: 'postgres' | 'pglite'; ok: boolean; latencyMs: number; error?: unknown };
}

export function createHealthService(deps: { db: Kysely<Database>; databaseKind: 'postgres' | 'pglite' }) {
  return {
    async check(): Promise<HealthReport> {
      const started = performance.now();
      try {
        await pingDatabase(deps.db);
        return { ok: true, database: { kind: deps.databaseKind, ok: true, latencyMs: Math.round(performance.now() - started) } };
      } catch (error) {
        return { ok: false, database: { kind: deps.databaseKind, ok: false, latencyMs: Math.round(performance.now() - started), error } };
      }
    },
    /** What is waiting in the inbox and the outbox (read for /metrics). */
    queues: (): Promise<QueueDepths> => queueDepths(deps.db),
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
