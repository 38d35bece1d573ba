// The real server in simulator mode (no LINE credentials): in-process fake LINE platform, demo data, and the
// mini-app on @line/liff-mock — on a fresh database and an ephemeral port, with a clock the test holds.
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../../server/config.ts';
import { createContext, type AppContext } from '../../../server/context.ts';
import { buildApp, LIFF_DIST_DIR } from '../../../server/http/app.ts';
import type { DatabaseHandle } from '../../../server/db/connection.ts';
import { ensureDemoData, type DemoPersona } from '../../../server/dev/demo-data.ts';
import { ManualClock } from '../../support/clock.ts';
import { createTestDatabase } from '../../support/database.ts';

export interface SimulatorApp {
  url: string;
  app: FastifyInstance;
  context: AppContext;
  clock: ManualClock;
  database: DatabaseHandle;
  personas: DemoPersona[];
  persona(label: string): DemoPersona;
  close(): Promise<void>;
}

export async function startSimulatorApp(now = '2026-11-23T03:00:00Z'): Promise<SimulatorApp> {
  if (!existsSync(`${LIFF_DIST_DIR}/index.html`)) throw new Error('the mini-app is not built: run `npm run build:liff` (npm run test:e2e does)');
  const clock = new ManualClock(now);
  const database = await createTestDatabase();
  // SCHEDULER on as in `npm start`: no cron runs here (main.ts starts those), but urgent notifications are
  // dispatched at once, which is what a person in the simulator sees.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PGLITE_DIR: 'memory://', SCHEDULER: 'on', LOG_LEVEL: 'silent' });
  if (!config.simulator) throw new Error('expected simulator mode');
  const context = await createContext(config, { clock, database, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const app = await buildApp(context);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const personas = await ensureDemoData(context);
  return {
    url,
    app,
    context,
    clock,
    database,
    personas,
    persona(label) {
      const found = personas.find((p) => p.label.startsWith(label));
      if (!found) throw new Error(`no demo persona ${label}`);
      return found;
    },
    async close() {
      await app.close();
      await context.close();
      await database.close();
    },
  };
}
