// The Fastify application: health, LINE webhook, the LIFF mini-app and its API, and (in simulator mode only) the
// simulator page, loaded on demand so production never loads it.
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { registerErrorHandler } from './error-handler.ts';
import { healthRoutes } from './health.routes.ts';
import { webhookRoutes } from './webhook.routes.ts';
import { liffApiRoutes, liffAppRoutes } from './liff.routes.ts';
import { officerApiRoutes } from './officer.routes.ts';
import { paymentQrRoutes } from './payment-qr.routes.ts';
import { metricsRoutes } from './metrics.routes.ts';

/** Where `npm run build:liff` puts the mini-app. */
export const LIFF_DIST_DIR = fileURLToPath(new URL('../../dist/liff', import.meta.url));

export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const { services, config } = context;
  if (!context.line) throw new Error('the HTTP server needs LINE settings (or simulator mode)');
  const app = Fastify({
    loggerInstance: context.log.child({ area: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  // One line per failed or slow request; successful fast ones are not worth the I/O at webhook rates.
  app.addHook('onResponse', async (request, reply) => {
    const elapsedMs = reply.elapsedTime;
    if (request.routeOptions.url === '/webhook') context.metrics.observeWebhook(reply.statusCode, elapsedMs / 1000);
    if (reply.statusCode >= 500) request.log.error({ method: request.method, url: request.routeOptions.url, status: reply.statusCode, elapsedMs }, 'request failed');
    else if (reply.statusCode >= 400 || elapsedMs > 1000) request.log.info({ method: request.method, url: request.routeOptions.url, status: reply.statusCode, elapsedMs }, 'request');
  });
  // No response is ever read as another type than it says (a file download, a photo, JSON): set once for all.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  registerErrorHandler(app);
  await app.register(healthRoutes, { health: services.health, simulator: config.simulator });
  await app.register(metricsRoutes, { metrics: context.metrics, token: config.metricsToken });
  await app.register(webhookRoutes, { channelSecret: context.line.channelSecret, inbox: services.inbox });
  await app.register(liffApiRoutes, {
    borrowerEnrollment: services.borrowerEnrollment,
    review: services.review,
    linking: services.linking,
    privacy: services.privacy,
    idTokens: services.idTokens,
    liffId: config.liffId,
    mock: config.simulator,
  });
  await app.register(officerApiRoutes, {
    workspace: services.officerWorkspace,
    downloadTickets: services.downloadTickets,
    reports: services.reports,
    centres: services.centreSelection,
    idTokens: services.idTokens,
    addFriendUrl: config.addFriendUrl,
    slips: services.paymentSlips,
    statements: services.statements,
  });
  await app.register(paymentQrRoutes, { paymentQr: services.paymentQr });
  await app.register(liffAppRoutes, { distDir: LIFF_DIST_DIR });
  if (context.fakeLine) {
    const { simulatorRoutes } = await import('../dev/simulator.routes.ts');
    await app.register(simulatorRoutes, { context });
  }
  return app;
}
