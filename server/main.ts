// Process entry: configuration → context → HTTP server → background work; graceful shutdown on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config.ts';
import { createContext } from './context.ts';
import { buildApp } from './http/app.ts';
import { StartupError } from './startup-error.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { LineApiError } from './services/ports.ts';

const INBOX_SWEEP_EVERY_MS = 5_000;
const RICH_MENU_SWEEP_EVERY_MS = 10 * 60_000;

/** What an operator should check when a call to LINE fails for a reason that will not pass by itself. */
function lineProblem(error: unknown, hosts: readonly string[]): string | undefined {
  if (!(error instanceof LineApiError)) return undefined;
  const where = 'LINE Developers console → the Messaging API channel';
  if (error.status === 401) {
    return `LINE refused LINE_CHANNEL_ACCESS_TOKEN (HTTP 401): no answer or message can go out until it is put right — ${where} → Channel access token`;
  }
  if (error.status === 403) return `LINE refused the call (HTTP 403): the channel access token, or the channel's plan, does not allow it — ${where}`;
  if (error.status === 0) return `LINE could not be reached from this server: check outbound HTTPS to ${hosts.join(' and ')} (${error.message})`;
  return undefined;
}

async function main() {
  const config = loadConfig();
  if (config.serverStartProblem) throw new ConfigError([config.serverStartProblem]);
  const context = await createContext(config);
  const { log } = context;
  const app = await buildApp(context);
  const address = await app.listen({ port: config.port, host: config.host });

  if (config.simulator) {
    const local = address.replace(/0\.0\.0\.0|127\.0\.0\.1|\[::\]/, 'localhost');
    log.warn(
      { simulator: `${local}/simulator/`, fakeLinePlatform: context.fakeLine?.url },
      'SIMULATOR MODE: no LINE credentials configured — using demo data and an in-process fake LINE platform. ' +
        `Open ${local}/simulator/ to chat. Set LINE_CHANNEL_SECRET (and the other LINE settings) for production.`,
    );
  } else {
    // What to enter in the LINE Developers console, when the public address is known.
    const endpoints = config.publicUrl ? { webhookUrl: `${config.publicUrl}/webhook`, liffEndpointUrl: `${config.publicUrl}/liff/` } : {};
    log.info({ address, database: context.database.kind, ...endpoints }, 'server started');
  }

  // Events whose handler died mid-way (this or another replica) are picked up again.
  const { inbox, jobs, richMenus } = context.services;
  // The rich menus of this build exist in LINE before anyone taps one (any replica; created once under a lock);
  // then users whose menu is stale are put right, now and every few minutes.
  const syncRichMenus = () =>
    richMenus
      ?.sweep()
      .then(({ relinked, removed }) => relinked + removed > 0 && log.info({ relinked, removed }, 'rich menus put right'))
      .catch((error: unknown) => log.error({ err: error }, 'rich menu sweep failed'));
  await richMenus?.ensureMenus().catch((error: unknown) => {
    log.error({ err: error }, 'could not make the rich menus; retried by the sweep');
    // The first call to LINE after a start: a wrong token or a blocked network shows here, while /readyz (which is
    // about the database) stays 200. Said in words the operator can act on.
    const problem = lineProblem(error, config.line ? [config.line.apiBaseUrl, config.line.dataApiBaseUrl] : []);
    if (problem) log.error({ status: (error as LineApiError).status }, problem);
  });
  void syncRichMenus();
  const richMenuSweeper = setInterval(() => void syncRichMenus(), RICH_MENU_SWEEP_EVERY_MS);
  const sweeper = setInterval(() => {
    inbox.sweep().catch((error: unknown) => log.error({ err: error }, 'inbox sweep failed'));
  }, INBOX_SWEEP_EVERY_MS);
  void inbox.sweep().catch((error: unknown) => log.error({ err: error }, 'inbox sweep failed'));

  const scheduler = config.schedulerEnabled ? startScheduler({ jobs, log, cron: config.cron }) : undefined;
  if (!scheduler) log.info('SCHEDULER=off: no cron schedules on this replica (it still sends what its own requests queue at once; jobs run with the CLI)');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    clearInterval(sweeper);
    clearInterval(richMenuSweeper);
    const forceExit = setTimeout(() => process.exit(1), 15_000);
    forceExit.unref();
    try {
      await scheduler?.stop();
      await app.close();
      await context.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error('เริ่มระบบไม่สำเร็จ (start-up failed):', error);
  }
  process.exit(1);
});
