// Composition root: builds the database, clock, LINE adapters and every service once, from the configuration.
// Edges (HTTP, schedules, CLI, simulator) receive services from here; tests pass overrides instead of patching
// modules.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppConfig, LineSettings } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { createLogger } from './logger.ts';
import { loadReminderPolicy } from './content/reminder-policy.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from './security/personal-data-cipher.ts';
import { resolveDataEncryptionKey } from './security/data-key-file.ts';
import { checkEncryptionKey } from './security/encryption-key-check.ts';
import { systemClock, type Clock, type IdTokenVerifier } from './services/ports.ts';
import { createConversationService, type ConversationService } from './services/conversation.service.ts';
import { createReviewService, type ReviewService } from './services/enrollment-review.service.ts';
import { createBorrowerEnrollmentService, type BorrowerEnrollmentService } from './services/enrollment-submission.service.ts';
import { createLinkingService, type LinkingService } from './services/linking.service.ts';
import { createRegistryImportService, type RegistryImportService } from './services/registry-import.service.ts';
import { createJobRunner, type JobRunner } from './services/job-runner.service.ts';
import { createDispatchKicker } from './services/dispatch-kicker.ts';
import { createHealthService, type HealthService } from './services/health.service.ts';
import { createWebhookInbox, type EventAnswerer, type WebhookInbox } from './services/webhook-inbox.service.ts';
import { createLineClient, type LineClient } from './line/line-messenger.ts';
import { createNotificationRenderer } from './line/notification-renderer.ts';
import { createOutboundMessenger } from './line/outbound-messenger.ts';
import { createEventHandler } from './line/event-handler.ts';
import { createIdTokenVerifier } from './line/id-token-verifier.ts';
import type { FakeLinePlatform } from './dev/fake-line-platform.ts';

/** Every use-case, built once. */
export interface AppServices {
  conversation: ConversationService;
  review: ReviewService;
  borrowerEnrollment: BorrowerEnrollmentService;
  linking: LinkingService;
  registry: RegistryImportService;
  jobs: JobRunner;
  inbox: WebhookInbox;
  health: HealthService;
  /** Verifies LIFF ID tokens with LINE: the only source of a mini-app user's identity. */
  idTokens: IdTokenVerifier;
}

export interface AppContext {
  config: AppConfig;
  log: Logger;
  clock: Clock;
  database: DatabaseHandle;
  /** The database itself, for tests and the simulator's demo data; edges go through services. */
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  services: AppServices;
  /** The LINE channel in use (in simulator mode, the fake platform's); undefined for a CLI without LINE settings. */
  line: LineSettings | undefined;
  /** https://liff.line.me/{LIFF_ID} */
  liffUrl: string;
  /** Present in simulator mode: the in-process fake LINE platform the bot talks to. */
  fakeLine: FakeLinePlatform | undefined;
  /** Sends what the outbox holds soon, in the background (coalesced); a no-op with SCHEDULER=off. */
  dispatchSoon(): void;
  close(): Promise<void>;
}

export interface ContextOverrides {
  log?: Logger;
  clock?: Clock;
  database?: DatabaseHandle;
  lineClient?: LineClient;
  fakeLine?: FakeLinePlatform;
  idTokenVerifier?: IdTokenVerifier;
}

export interface ContextOptions {
  /**
   * Without LINE credentials: 'simulate' (the server) starts the in-process fake LINE platform; 'plan-only' (the CLI)
   * builds no LINE adapters, so jobs only plan and the server sends.
   */
  withoutLine?: 'simulate' | 'plan-only';
}

/** Opens the database, applies pending migrations and checks the encryption key. */
async function openData(config: AppConfig, overrides: ContextOverrides, log: Logger) {
  const database =
    overrides.database ??
    (await openDatabase(config.database, {
      onConnectionError: (error) =>
        log.child({ area: 'db' }).warn({ code: (error as { code?: string }).code, reason: error.message }, 'database connection lost; it is replaced on next use'),
    }));
  try {
    await migrateToLatest(database.db);
    const cipher = createPersonalDataCipher(resolveDataEncryptionKey(config, log));
    await checkEncryptionKey(database.db, cipher);
    return { database, cipher };
  } catch (error) {
    if (!overrides.database) await database.close();
    throw error;
  }
}

/** LINE settings: the configured channel, or a fake platform started here in simulator mode. */
async function lineSettingsFor(config: AppConfig, overrides: ContextOverrides, options: ContextOptions) {
  if (config.line) return { line: config.line, fakeLine: overrides.fakeLine, ownsFake: false };
  if ((options.withoutLine ?? 'simulate') === 'plan-only') return { line: undefined, fakeLine: undefined, ownsFake: false };
  let fakeLine = overrides.fakeLine;
  if (!fakeLine) {
    // Loaded only here: production never loads the fake platform or the simulator.
    const { FakeLinePlatform } = await import('./dev/fake-line-platform.ts');
    fakeLine = new FakeLinePlatform({ channelSecret: 'simulator-channel-secret', channelAccessToken: 'simulator-access-token', loginChannelId: '1650000000' });
    await fakeLine.start();
  }
  const line: LineSettings = {
    channelSecret: fakeLine.channelSecret,
    channelAccessToken: fakeLine.channelAccessToken,
    apiBaseUrl: fakeLine.url,
    dataApiBaseUrl: fakeLine.url,
    loginChannelId: fakeLine.loginChannelId,
  };
  return { line, fakeLine, ownsFake: !overrides.fakeLine };
}

export async function createContext(config: AppConfig, overrides: ContextOverrides = {}, options: ContextOptions = {}): Promise<AppContext> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const { database, cipher } = await openData(config, overrides, log);
  const db = database.db;
  const { line, fakeLine, ownsFake } = await lineSettingsFor(config, overrides, options).catch(async (error: unknown) => {
    if (!overrides.database) await database.close();
    throw error;
  });

  const liffUrl = `https://liff.line.me/${config.liffId}`;
  const policy = loadReminderPolicy();
  const client = line
    ? (overrides.lineClient ?? createLineClient({ channelAccessToken: line.channelAccessToken, apiBaseUrl: line.apiBaseUrl, timeoutMs: line.timeoutMs }))
    : undefined;
  const messenger = client ? createOutboundMessenger(client, createNotificationRenderer({ liffUrl, policy })) : undefined;

  const jobs = createJobRunner({
    db,
    databaseKind: database.kind,
    clock,
    log,
    policy,
    messenger,
    dispatchRatePerSecond: config.dispatchRatePerSecond,
    digestWeekday: config.digestWeekday,
    forumReminderDay: config.forumReminderDay,
  });
  // Notifications people wait for (an application's next step) are sent at once, not on the next dispatch run.
  // With SCHEDULER=off (tests, CLI) nothing is sent behind the caller's back.
  const kicker =
    config.schedulerEnabled && messenger
      ? createDispatchKicker(() => jobs.runNow('dispatch', { dispatch: true, budgetMs: 30_000 }), log.child({ area: 'dispatch' }))
      : undefined;
  const dispatchSoon = () => kicker?.kick();

  const serviceDeps = { db, cipher, clock, dispatchSoon };
  const conversation = createConversationService({ ...serviceDeps, log: log.child({ area: 'chat' }) });
  const review = createReviewService({ ...serviceDeps, log: log.child({ area: 'enrollment' }) });
  const idTokens =
    overrides.idTokenVerifier ??
    (line ? createIdTokenVerifier({ apiBaseUrl: line.apiBaseUrl, channelId: line.loginChannelId, clock }) : unavailableIdTokens);
  const answerer = client ? createEventHandler({ conversation, review, client, log: log.child({ area: 'line' }), liffUrl }) : refuseEvents;
  const inbox = createWebhookInbox({ db, log: log.child({ area: 'inbox' }), answerer });

  const services: AppServices = {
    conversation,
    review,
    borrowerEnrollment: createBorrowerEnrollmentService({ ...serviceDeps, log: log.child({ area: 'liff' }) }),
    linking: createLinkingService({ db, cipher, clock }),
    registry: createRegistryImportService({ db, cipher }),
    jobs,
    inbox,
    health: createHealthService({ db, databaseKind: database.kind }),
    idTokens,
  };

  return {
    config,
    log,
    clock,
    database,
    db,
    cipher,
    services,
    line,
    liffUrl,
    fakeLine,
    dispatchSoon,
    async close() {
      await inbox.idle();
      await kicker?.idle();
      if (!overrides.database) await database.close();
      if (ownsFake) await fakeLine?.stop();
    },
  };
}

const unavailableIdTokens: IdTokenVerifier = {
  verify: () => Promise.reject(new Error('no LINE Login channel configured in this process')),
};

const refuseEvent = (): Promise<never> => Promise.reject(new Error('this process has no LINE settings and does not answer webhook events'));
const refuseEvents: EventAnswerer = { prepare: refuseEvent, reply: refuseEvent, push: refuseEvent };
