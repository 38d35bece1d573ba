// Composition root: builds the database, clock, messenger and services from the configuration.
// Tests pass overrides here instead of patching modules.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppConfig, LineSettings } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { createLogger } from './logger.ts';
import { createPersonalDataCipher, generateDataEncryptionKey, type PersonalDataCipher } from './security/personal-data-cipher.ts';
import { systemClock, type Clock, type IdTokenVerifier, type Messenger } from './services/ports.ts';
import { createLineMessenger } from './line/line-messenger.ts';
import { createEventHandler } from './line/event-handler.ts';
import { createWebhookInbox, type WebhookInbox } from './services/webhook-inbox.service.ts';
import type { ConversationDeps } from './services/conversation.service.ts';
import { FakeLinePlatform } from './dev/fake-line-platform.ts';
import { setSettingOnce } from './db/repos/app-settings.repo.ts';
import type { OfficerNotificationDeps } from './services/officer-notifications.service.ts';
import { createIdTokenVerifier } from './line/id-token-verifier.ts';
import { reviewLevelOfRole } from './domain/enrollment-workflow.ts';
import { countAwaitingReview } from './db/repos/enrollments.repo.ts';
import { runJob } from './jobs/job-runner.ts';
import { createDispatchKicker } from './jobs/dispatch-kicker.ts';
import { createEnrollmentPostbackHandler, createRejectionReasonHandler } from './services/enrollment-review.service.ts';

export class EncryptionKeyMismatchError extends Error {
  constructor() {
    super(
      'DATA_ENCRYPTION_KEY ไม่ตรงกับกุญแจที่ใช้เข้ารหัสข้อมูลในฐานข้อมูลนี้ — ตรวจสอบค่าที่ตั้งไว้ ' +
        '(the data encryption key does not match the one this database was written with)',
    );
    this.name = 'EncryptionKeyMismatchError';
  }
}

/**
 * Refuses to run with a different key than the database was written with: otherwise lookups would silently
 * miss and new rows would be encrypted with a key nobody keeps.
 */
export async function checkEncryptionKey(db: Kysely<Database>, cipher: PersonalDataCipher): Promise<void> {
  const check = cipher.lookupHash('wdf:key-check');
  if ((await setSettingOnce(db, 'data_key_check', check)) !== check) throw new EncryptionKeyMismatchError();
}

/** What every entry point needs: configuration, logs, clock, a migrated database and the personal-data cipher. */
export interface DataContext {
  config: AppConfig;
  log: Logger;
  clock: Clock;
  database: DatabaseHandle;
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  close(): Promise<void>;
}

/** The running bot: the data context plus LINE, the conversation and the webhook inbox. */
export interface AppContext extends DataContext {
  line: LineSettings;
  messenger: Messenger;
  liffUrl: string;
  conversation: ConversationDeps;
  inbox: WebhookInbox;
  /** Verifies LIFF ID tokens with LINE: the only source of a mini-app user's identity. */
  idTokenVerifier: IdTokenVerifier;
  /** Present in simulator mode: the in-process fake LINE platform the messenger talks to. */
  fakeLine: FakeLinePlatform | undefined;
  /** Sends what the outbox holds soon, in the background (coalesced); a no-op with SCHEDULER=off. */
  dispatchSoon(): void;
  /** What the officer notifications need from the relief-application workflow. */
  officerNotificationHooks: Pick<OfficerNotificationDeps, 'pendingApplicationsFor'>;
}

export interface ContextOverrides {
  log?: Logger;
  clock?: Clock;
  database?: DatabaseHandle;
  messenger?: Messenger;
  fakeLine?: FakeLinePlatform;
  idTokenVerifier?: IdTokenVerifier;
}

/** Where the generated key lives when none is configured: beside the embedded data, never inside the database. */
export function keyFilePathFor(config: AppConfig): string | undefined {
  if (config.database.kind === 'pglite') {
    if (config.database.dataDir.startsWith('memory://')) return undefined;
    return path.join(path.dirname(path.resolve(config.database.dataDir)), 'data-encryption.key');
  }
  return path.resolve('data', 'data-encryption.key');
}

export function resolveDataEncryptionKey(config: AppConfig, log?: Logger): Buffer {
  if (config.dataEncryptionKey) return config.dataEncryptionKey;
  const keyFile = keyFilePathFor(config);
  if (!keyFile) return generateDataEncryptionKey();
  if (existsSync(keyFile)) {
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`the key file ${keyFile} does not hold 32 base64 bytes`);
    return key;
  }
  mkdirSync(path.dirname(keyFile), { recursive: true });
  const key = generateDataEncryptionKey();
  writeFileSync(keyFile, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  log?.warn({ keyFile }, 'generated a data encryption key for local use; set DATA_ENCRYPTION_KEY in production');
  return key;
}

/** What the officer notifications take from the relief-application workflow. */
export function officerNotificationHooksFor(db: Kysely<Database>): AppContext['officerNotificationHooks'] {
  return {
    pendingApplicationsFor: async (officer) => {
      const level = reviewLevelOfRole(officer.role);
      return level ? countAwaitingReview(db, level, officer.scopePath) : 0;
    },
  };
}

/** Opens the database, applies pending migrations and checks the encryption key. */
export async function createDataContext(config: AppConfig, overrides: Pick<ContextOverrides, 'log' | 'clock' | 'database'> = {}): Promise<DataContext> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? (await openDatabase(config.database));
  try {
    await migrateToLatest(database.db);
    const cipher = createPersonalDataCipher(resolveDataEncryptionKey(config, log));
    await checkEncryptionKey(database.db, cipher);
    return {
      config,
      log,
      clock,
      database,
      db: database.db,
      cipher,
      async close() {
        if (!overrides.database) await database.close();
      },
    };
  } catch (error) {
    if (!overrides.database) await database.close();
    throw error;
  }
}

/** Builds the whole bot on top of the data context. */
export async function createContext(config: AppConfig, overrides: ContextOverrides = {}): Promise<AppContext> {
  const data = await createDataContext(config, overrides);
  const { log, clock, cipher } = data;
  let fakeLine = overrides.fakeLine;
  try {
    let line = config.line;
    if (!line) {
      // Simulator mode: our own fake LINE platform, in this process, on a loopback port.
      if (!fakeLine) {
        fakeLine = new FakeLinePlatform({ channelSecret: 'simulator-channel-secret', channelAccessToken: 'simulator-access-token', loginChannelId: '1650000000' });
        await fakeLine.start();
      }
      line = {
        channelSecret: fakeLine.channelSecret,
        channelAccessToken: fakeLine.channelAccessToken,
        apiBaseUrl: fakeLine.url,
        dataApiBaseUrl: fakeLine.url,
        loginChannelId: fakeLine.loginChannelId,
      };
    }
    const messenger =
      overrides.messenger ??
      createLineMessenger({
        channelAccessToken: line.channelAccessToken,
        apiBaseUrl: line.apiBaseUrl,
        dataApiBaseUrl: line.dataApiBaseUrl,
        timeoutMs: line.timeoutMs,
      });
    const liffUrl = `https://liff.line.me/${config.liffId}`;
    const idTokenVerifier =
      overrides.idTokenVerifier ?? createIdTokenVerifier({ apiBaseUrl: line.apiBaseUrl, channelId: line.loginChannelId, clock });
    // Notifications people wait for (an application's next step) are sent at once, not on the next dispatch
    // run. The kicker is wired after the context exists, since dispatching needs all of it.
    let kick: () => void = () => undefined;
    const dispatchSoon = () => kick();
    const review = { db: data.db, clock, liffUrl, log: log.child({ area: 'enrollment' }), dispatchSoon };
    const conversation: ConversationDeps = { db: data.db, cipher, clock, liffUrl, officerTextHandlers: [createRejectionReasonHandler(review)] };
    const handleEvent = createEventHandler({
      conversation,
      messenger,
      log: log.child({ area: 'line' }),
      postbackHandlers: [createEnrollmentPostbackHandler(review)],
    });
    const inbox = createWebhookInbox({ db: data.db, log: log.child({ area: 'inbox' }), handle: handleEvent });
    const ownsFake = !overrides.fakeLine && fakeLine !== undefined;

    const context: AppContext = {
      ...data,
      line,
      messenger,
      liffUrl,
      conversation,
      inbox,
      idTokenVerifier,
      fakeLine,
      officerNotificationHooks: officerNotificationHooksFor(data.db),
      dispatchSoon,
      async close() {
        await inbox.idle();
        await kicker?.idle();
        await data.close();
        if (ownsFake) await fakeLine?.stop();
      },
    };
    // With SCHEDULER=off (tests, CLI) nothing is sent behind the caller's back.
    const kicker = config.schedulerEnabled
      ? createDispatchKicker(() => runJob(context, 'dispatch', clock.now(), { dispatch: true, budgetMs: 30_000 }), log.child({ area: 'dispatch' }))
      : undefined;
    if (kicker) kick = kicker.kick;
    return context;
  } catch (error) {
    await data.close();
    if (!overrides.fakeLine) await fakeLine?.stop();
    throw error;
  }
}
