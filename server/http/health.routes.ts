// Health for load balancers and orchestrators:
//   GET /livez  — liveness: the process runs and its event loop answers. Never touches the database, so a database
//                 restart does not get every replica killed and restarted at once.
//   GET /readyz — readiness: the database answers too. 503 while it is away: take this replica out of rotation.
//   GET /healthz — the same as /readyz (kept as it always was, for what already points at it).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HealthService } from '../services/health.service.ts';

export async function healthRoutes(app: FastifyInstance, deps: { health: HealthService; simulator: boolean }) {
  const startedAt = Date.now();
  const readiness = async (request: FastifyRequest, reply: FastifyReply) => {
    const report = await deps.health.check();
    const { kind, latencyMs } = report.database;
    if (report.ok) return { status: 'ok', database: { status: 'ok', kind, latencyMs }, simulator: deps.simulator };
    request.log.warn({ err: report.database.error }, 'readiness: database unreachable');
    return reply.code(503).header('retry-after', '5').send({ status: 'error', database: { status: 'unreachable', kind } });
  };
  app.get('/healthz', readiness);
  app.get('/readyz', readiness);
  app.get('/livez', async () => ({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }));
}
