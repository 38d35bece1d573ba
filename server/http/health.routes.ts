// GET /healthz: is the process up and can it reach its database?
import type { FastifyInstance } from 'fastify';
import type { HealthService } from '../services/health.service.ts';

export async function healthRoutes(app: FastifyInstance, deps: { health: HealthService; simulator: boolean }) {
  app.get('/healthz', async (request, reply) => {
    const report = await deps.health.check();
    const { kind, latencyMs } = report.database;
    if (report.ok) return { status: 'ok', database: { status: 'ok', kind, latencyMs }, simulator: deps.simulator };
    request.log.error({ err: report.database.error }, 'health check: database unreachable');
    return reply.code(503).send({ status: 'error', database: { status: 'unreachable', kind } });
  });
}
