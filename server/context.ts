// Composition root: builds the database, clock, LINE adapters and every service once, from the configuration.
// Edges (HTTP, schedules, CLI, simulator) receive services from here; tests pass overrides instead of patching
// modules.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
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
import { createOfficerWorkspaceService, type OfficerWorkspaceService } from './services/officer-workspace.service.ts';
import { createDownloadTickets, type DownloadTickets } from './services/download-tickets.service.ts';
import { createCentreSelectionService, type CentreSelectionService } from './services/centre-selection.service.ts';
import { createReportsService, type ReportsService } from './services/reports.service.ts';
import { createLineClient, type LineClient } from './line/line-messenger.ts';
import { createNotificationRenderer } from './line/notification-renderer.ts';
import { createOutboundMessenger } from './line/outbound-messenger.ts';
import { createEventHandler } from './line/event-handler.ts';
import { createIdTokenVerifier } from './line/id-token-verifier.ts';
import { createRichMenuPlatform } from './line/rich-menu-platform.ts';
import { createRichMenuService, type RichMenuService } from './services/rich-menu.service.ts';
import { createPrivacyService, type PrivacyService } from './services/privacy.service.ts';
import { createHolidayService, type HolidayService } from './services/holidays.service.ts';
import { createKeyService, type KeyService } from './services/key-rotation.service.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createPaymentQrService, type PaymentQrService } from './services/payment-qr.service.ts';
import { createPaymentSlipService, type PaymentSlipService } from './services/payment-slips.service.ts';
import { createStatementImportService, type StatementImportService } from './services/statement-import.service.ts';
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
  /** The officers' pages: debtor list and page, follow-ups, promises, payments, link codes. */
  officerWorkspace: OfficerWorkspaceService;
  /** One-time links to the officers' files, for the phone's browser. */
  downloadTickets: DownloadTickets;
  centreSelection: CentreSelectionService;
  /** The officers' reports (ageing/PAR, collections, follow-ups, measures, debtor lists) and budget allocation. */
  reports: ReportsService;
  /** Verifies LIFF ID tokens with LINE: the only source of a mini-app user's identity. */
  idTokens: IdTokenVerifier;
  /** The rich menus per role; undefined in a process without LINE settings. */
  richMenus: RichMenuService | undefined;
  /** The borrower's PDPA rights: unlinking, a copy of her data. */
  privacy: PrivacyService;
  holidays: HolidayService;
  /** Rotating DATA_ENCRYPTION_KEY. */
  keys: KeyService;
  /** Bill-payment QRs (PROMPTPAY_BILLER_ID) and each loan's Ref1. */
  paymentQr: PaymentQrService;
  /** Slips sent in the chat and the officers' queue. */
  paymentSlips: PaymentSlipService;
  /** Bank and counter statement imports (CLI and the officers' upload). */
  statements: StatementImportService;
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
  /** This process's Prometheus registry (GET /metrics). */
  metrics: Metrics;
  /** The LINE channel in use (in simulator mode, the fake platform's); undefined for a CLI without LINE settings. */
  line: LineSettings | undefined;
  /** https://liff.line.me/{LIFF_ID} */
  liffUrl: string;
  /** Present in simulator mode: the in-process fake LINE platform the bot talks to. */
  fakeLine: FakeLinePlatform | undefined;
  /** Sends what the outbox holds soon, in the background (coalesced); a no-op only when a test turned it off. */
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
  /**
   * false: messages a request queues wait for an explicit dispatch (tests that inspect the outbox). By default a
   * replica sends what its own requests queue at once, whatever SCHEDULER says (that switch is for cron only).
   */
  sendOnRequest?: boolean;
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
  // Before the database opens: the key file's name depends on whether the data folder existed already.
  const key = resolveDataEncryptionKey(config, log);
  const database =
    overrides.database ??
    (await openDatabase(config.database, {
      onConnectionError: (error) =>
        log.child({ area: 'db' }).warn({ code: (error as { code?: string }).code, reason: error.message }, 'database connection lost; it is replaced on next use'),
    }));
  try {
    await migrateToLatest(database.db);
    const cipher = createPersonalDataCipher(key, config.previousEncryptionKeys);
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
  // The fake platform only in simulator mode (config decides: never in production, never by accident with real data).
  if ((options.withoutLine ?? 'simulate') === 'plan-only' || !config.simulator) return { line: undefined, fakeLine: undefined, ownsFake: false };
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
    ? (overrides.lineClient ?? createLineClient({ channelAccessToken: line.channelAccessToken, apiBaseUrl: line.apiBaseUrl, dataApiBaseUrl: line.dataApiBaseUrl, timeoutMs: line.timeoutMs }))
    : undefined;
  // The QR image's address must be one LINE's app can fetch: PUBLIC_URL, or in simulator mode this server itself.
  const paymentQr = createPaymentQrService({
    db: database.db,
    cipher,
    clock,
    billerId: config.promptPayBillerId,
    publicUrl: config.publicUrl ?? (config.simulator ? `http://localhost:${config.port}` : undefined),
  });
  const messenger = client
    ? createOutboundMessenger(client, createNotificationRenderer({ liffUrl, policy, paymentQrUrl: (due) => paymentQr.imageUrlFor(due) }))
    : undefined;

  const health = createHealthService({ db, databaseKind: database.kind });
  const metrics = createMetrics({ queues: () => health.queues(), now: () => clock.now() });
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
    promiseGraceDays: config.promiseGraceDays,
    retentionYears: config.retentionYears,
    onRun: (summary, seconds, failed) => metrics.observeJobRun(summary, seconds, failed),
  });
  // Notifications people wait for (an application's next step) are sent at once, not on the next dispatch run —
  // on every replica, SCHEDULER=off included (it turns off the cron schedules only).
  const kicker =
    overrides.sendOnRequest !== false && messenger
      ? createDispatchKicker(() => jobs.runNow('dispatch', { dispatch: true, budgetMs: 30_000 }), log.child({ area: 'dispatch' }))
      : undefined;
  const dispatchSoon = () => kicker?.kick();

  const richMenus =
    line && client
      ? createRichMenuService({
          db,
          databaseKind: database.kind,
          clock,
          log: log.child({ area: 'rich-menu' }),
          platform: createRichMenuPlatform({ channelAccessToken: line.channelAccessToken, apiBaseUrl: line.apiBaseUrl, dataApiBaseUrl: line.dataApiBaseUrl, liffUrl, timeoutMs: line.timeoutMs }),
        })
      : undefined;
  const onRoleChanged = richMenus ? (lineUserId: string) => richMenus.syncUser(lineUserId) : undefined;
  const onLinkAttempt = (outcome: string) => metrics.observeLinkAttempt(outcome);
  const serviceDeps = { db, cipher, clock, policy, dispatchSoon, onRoleChanged, onLinkAttempt };
  const conversation = createConversationService({ ...serviceDeps, log: log.child({ area: 'chat' }), paymentQr });
  const paymentSlips = createPaymentSlipService({ ...serviceDeps, log: log.child({ area: 'slips' }), promiseGraceDays: config.promiseGraceDays });
  const statements = createStatementImportService({ db, clock, log: log.child({ area: 'statements' }), promiseGraceDays: config.promiseGraceDays, paymentQr, dispatchSoon });
  const review = createReviewService({ ...serviceDeps, log: log.child({ area: 'enrollment' }) });
  const privacy = createPrivacyService(serviceDeps);
  const keys = createKeyService({
    db,
    cipher,
    clock,
    processId: randomUUID(),
    host: hostname(),
    onHeartbeatError: (error) => log.warn({ err: error }, 'could not announce the encryption key in use'),
  });
  const idTokens =
    overrides.idTokenVerifier ??
    (line ? createIdTokenVerifier({ apiBaseUrl: line.apiBaseUrl, channelId: line.loginChannelId, clock }) : unavailableIdTokens);
  const answerer = client ? createEventHandler({ conversation, review, slips: paymentSlips, client, log: log.child({ area: 'line' }), liffUrl }) : refuseEvents;
  const inbox = createWebhookInbox({ db, storeDb: database.inboxDb, log: log.child({ area: 'inbox' }), answerer });

  const services: AppServices = {
    conversation,
    review,
    borrowerEnrollment: createBorrowerEnrollmentService({ ...serviceDeps, log: log.child({ area: 'liff' }) }),
    linking: createLinkingService({ db, cipher, clock, onRoleChanged, dispatchSoon, onLinkAttempt }),
    registry: createRegistryImportService({ db, cipher }),
    jobs,
    inbox,
    health,
    downloadTickets: createDownloadTickets({ db, clock }),
    officerWorkspace: createOfficerWorkspaceService({ ...serviceDeps, log: log.child({ area: 'officer' }), promiseGraceDays: config.promiseGraceDays }),
    centreSelection: createCentreSelectionService({ db, cipher, clock, dispatchSoon }),
    reports: createReportsService({ db, clock }),
    idTokens,
    richMenus,
    privacy,
    holidays: createHolidayService({ db }),
    keys,
    paymentQr,
    paymentSlips,
    statements,
  };
  await keys.announce();

  return {
    config,
    log,
    clock,
    database,
    db,
    cipher,
    services,
    metrics,
    line,
    liffUrl,
    fakeLine,
    dispatchSoon,
    async close() {
      await keys.leave().catch((error: unknown) => log.warn({ err: error }, 'could not withdraw the encryption key announcement'));
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
