// GET /metrics: Prometheus text format. Behind METRICS_TOKEN when one is set (a bearer token for the scraper).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.ts';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function metricsRoutes(app: FastifyInstance, deps: { metrics: Metrics; token: string | undefined }) {
  app.get('/metrics', async (request, reply) => {
    if (deps.token) {
      const header = request.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      if (!sameToken(given, deps.token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ code: 'UNAUTHORIZED', message: 'ต้องมีโทเค็นสำหรับอ่านค่าวัด (METRICS_TOKEN)' });
      }
    }
    return reply.type(deps.metrics.contentType).send(await deps.metrics.render());
  });
}
