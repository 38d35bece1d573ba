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
import { systemClock, type Clock, type Messenger } from './services/ports.ts';
import { createLineMessenger } from './line/line-messenger.ts';
import { createEventHandler } from './line/event-handler.ts';
import { createWebhookInbox, type WebhookInbox } from './services/webhook-inbox.service.ts';
import type { ConversationDeps } from './services/conversation.service.ts';
import { FakeLinePlatform } from './dev/fake-line-platform.ts';

export interface AppContext {
  config: AppConfig;
  line: LineSettings;
  log: Logger;
  clock: Clock;
  database: DatabaseHandle;
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  messenger: Messenger;
  liffUrl: string;
  conversation: ConversationDeps;
  inbox: WebhookInbox;
  /** Present in simulator mode: the in-process fake LINE platform the messenger talks to. */
  fakeLine: FakeLinePlatform | undefined;
  close(): Promise<void>;
}

export interface ContextOverrides {
  log?: Logger;
  clock?: Clock;
  database?: DatabaseHandle;
  messenger?: Messenger;
  fakeLine?: FakeLinePlatform;
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

/** Opens the database, applies pending migrations and builds the services. */
export async function createContext(config: AppConfig, overrides: ContextOverrides = {}): Promise<AppContext> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? (await openDatabase(config.database));
  let fakeLine = overrides.fakeLine;
  try {
    await migrateToLatest(database.db);
    const cipher = createPersonalDataCipher(resolveDataEncryptionKey(config, log));

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
      createLineMessenger({ channelAccessToken: line.channelAccessToken, apiBaseUrl: line.apiBaseUrl, dataApiBaseUrl: line.dataApiBaseUrl });
    const liffUrl = `https://liff.line.me/${config.liffId}`;
    const conversation: ConversationDeps = { db: database.db, cipher, clock, liffUrl };
    const handleEvent = createEventHandler({ conversation, messenger, log: log.child({ area: 'line' }) });
    const inbox = createWebhookInbox({ db: database.db, log: log.child({ area: 'inbox' }), handle: handleEvent });
    const ownsFake = !overrides.fakeLine && fakeLine !== undefined;

    return {
      config,
      line,
      log,
      clock,
      database,
      db: database.db,
      cipher,
      messenger,
      liffUrl,
      conversation,
      inbox,
      fakeLine,
      async close() {
        await inbox.idle();
        if (!overrides.database) await database.close();
        if (ownsFake) await fakeLine?.stop();
      },
    };
  } catch (error) {
    if (!overrides.database) await database.close();
    if (!overrides.fakeLine) await fakeLine?.stop();
    throw error;
  }
}
