// GET /healthz: is the process up and can it reach its database?
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/schema.ts';

export async function healthRoutes(app: FastifyInstance, deps: { db: Kysely<Database>; databaseKind: string; simulator: boolean }) {
  app.get('/healthz', async (_request, reply) => {
    const started = performance.now();
    try {
      await sql`SELECT 1`.execute(deps.db);
      return { status: 'ok', database: { status: 'ok', kind: deps.databaseKind, latencyMs: Math.round(performance.now() - started) }, simulator: deps.simulator };
    } catch (error) {
      app.log.error({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'error', database: { status: 'unreachable', kind: deps.databaseKind } });
    }
  });
}
