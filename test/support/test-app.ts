// The real app on an ephemeral port, talking to the fake LINE platform over HTTP, on a fresh database.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../server/config.ts';
import { createContext, type AppContext } from '../../server/context.ts';
import { buildApp } from '../../server/http/app.ts';
import { createLogger } from '../../server/logger.ts';
import { FakeLinePlatform, fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import type { OfficerRole } from '../../server/db/schema.ts';
import type { DatabaseHandle } from '../../server/db/connection.ts';
import { ManualClock } from './clock.ts';
import { createTestDatabase } from './database.ts';
import { registryCsv, registryRow, type RegistryRowInput } from './registry.ts';

export interface TestApp {
  app: FastifyInstance;
  url: string;
  webhookUrl: string;
  context: AppContext;
  fake: FakeLinePlatform;
  clock: ManualClock;
  database: DatabaseHandle & { url?: string };
  /** The LINE settings that point at this app's fake platform: for another replica or a CLI process beside it. */
  lineEnv: Record<string, string>;
  /** Delivers events as LINE would and waits until the bot has handled them. */
  deliver(events: Array<Record<string, unknown>>): Promise<{ status: number; body: string }>;
  /** Sends a text as a user and returns the texts/altTexts the bot sent to that user in answer. */
  say(userId: string, text: string): Promise<string[]>;
  importLoans(rows: RegistryRowInput[]): Promise<void>;
  linkBorrower(contractNo: string, name?: string): Promise<string>;
  linkOfficer(officer: { name: string; role: OfficerRole; area?: string; phone?: string }): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  now?: string;
  databaseKind?: 'default' | 'pglite';
  env?: Record<string, string>;
  /** Receives every log line (JSON) at trace level, e.g. to prove personal data never reaches the logs. */
  logLines?: string[];
  /** Send what requests queue at once, as a running server does (default: only when the test dispatches). */
  sendOnRequest?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const clock = new ManualClock(options.now ?? '2026-11-23T03:00:00Z');
  const fake = new FakeLinePlatform();
  await fake.start();
  const database = await createTestDatabase(options.databaseKind);
  const lineEnv = {
    LINE_CHANNEL_SECRET: fake.channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: fake.channelAccessToken,
    LINE_API_BASE_URL: fake.url,
    LINE_DATA_API_BASE_URL: fake.url,
    LINE_LOGIN_CHANNEL_ID: fake.loginChannelId,
    LIFF_ID: '1650000000-testliff',
  };
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ...lineEnv,
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SCHEDULER: 'off',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const log = options.logLines
    ? createLogger('trace', { write: (line: string) => void options.logLines!.push(line) })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // Tests read the outbox before sending it: nothing goes out behind their back (they dispatch explicitly).
  const context = await createContext(config, { clock, database, log, sendOnRequest: options.sendOnRequest ?? false });
  const app = await buildApp(context);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const webhookUrl = `${url}/webhook`;

  const testApp: TestApp = {
    app,
    url,
    webhookUrl,
    lineEnv,
    context,
    fake,
    clock,
    database,
    async deliver(events) {
      const result = await fake.deliverWebhook(webhookUrl, events);
      await context.services.inbox.idle();
      return result;
    },
    async say(userId, text) {
      const before = fake.messagesTo(userId).length;
      const result = await testApp.deliver([fake.textEvent(userId, text)]);
      if (result.status !== 200) throw new Error(`webhook answered ${result.status}: ${result.body}`);
      return fake.textsTo(userId).slice(before);
    },
    async importLoans(rows) {
      const result = await context.services.registry.importCsv(registryCsv(rows.map((row) => registryRow(row))), {
        actor: 'test',
        fileName: 'test.csv',
        at: clock.now(),
      });
      if (!result.ok) throw new Error(`test import failed: ${JSON.stringify(result)}`);
    },
    async linkBorrower(contractNo, name) {
      const userId = fakeLineUserId(`borrower:${name ?? contractNo}:${randomBytes(4).toString('hex')}`);
      const { code } = await context.services.linking.issueBorrowerCode({ contractNo }, { actor: 'test', at: clock.now() });
      const result = await context.services.linking.redeem(userId, code, clock.now());
      if (result.outcome !== 'linked_borrower') throw new Error(`link failed: ${result.outcome}`);
      fake.addUser(userId, name ?? contractNo);
      return userId;
    },
    async linkOfficer(officer) {
      const userId = fakeLineUserId(`officer:${officer.name}:${randomBytes(4).toString('hex')}`);
      const { code } = await context.services.linking.issueOfficerCode(
        { fullName: officer.name, role: officer.role, areaPath: officer.area, phone: officer.phone },
        { actor: 'test', at: clock.now() },
      );
      const result = await context.services.linking.redeem(userId, code, clock.now());
      if (result.outcome !== 'linked_officer') throw new Error(`link failed: ${result.outcome}`);
      fake.addUser(userId, officer.name);
      return userId;
    },
    async close() {
      await app.close();
      await context.close();
      await database.close();
      await fake.stop();
    },
  };
  return testApp;
}
