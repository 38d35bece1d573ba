// A database prepared the way an operator would (registry imported, people linked with one-time codes), and the
// environment of a server process that runs against it as in production, with the fake LINE platform as LINE.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../../server/config.ts';
import { createContext, type AppContext } from '../../server/context.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { fakeLineUserId, type FakeLinePlatform } from '../../server/dev/fake-line-platform.ts';
import { registryCsv, registryRow } from './registry.ts';

export interface PreparedDatabase {
  url: string;
  key: string;
  borrowers: string[];
  officers: string[];
  /** Runs `work` with the app's services on this database (no LINE: nothing is sent from the test process). */
  withContext<T>(work: (context: AppContext) => Promise<T>): Promise<T>;
}

export async function prepareDatabase(
  url: string,
  fake: FakeLinePlatform,
  counts: { borrowers: number; officers?: number },
): Promise<PreparedDatabase> {
  const key = randomBytes(32).toString('base64');
  const withContext = async <T>(work: (context: AppContext) => Promise<T>): Promise<T> => {
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
    const context = await createContext(loadConfig({ DATABASE_URL: url, DATA_ENCRYPTION_KEY: key, LOG_LEVEL: 'silent' }), { database, log: pino({ level: 'silent' }) }, { withoutLine: 'plan-only' });
    try {
      return await work(context);
    } finally {
      await context.close();
      await database.close();
    }
  };
  const tag = randomBytes(3).toString('hex');
  const { borrowers, officers } = await withContext(async (context) => {
    const at = context.clock.now();
    const rows = Array.from({ length: counts.borrowers }, (_, i) => registryRow({ contract_no: `P-${tag}-${i}`, full_name: `ผู้กู้ ทดสอบ${i}` }));
    const imported = await context.services.registry.importCsv(registryCsv(rows), { actor: 'test', fileName: 'test.csv', at });
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported).slice(0, 300)}`);
    const borrowers: string[] = [];
    for (let i = 0; i < counts.borrowers; i++) {
      const userId = fakeLineUserId(`prod-borrower-${tag}-${i}`);
      const { code } = await context.services.linking.issueBorrowerCode({ contractNo: `P-${tag}-${i}` }, { actor: 'test', at });
      if ((await context.services.linking.redeem(userId, code, at)).outcome !== 'linked_borrower') throw new Error('link failed');
      fake.addUser(userId, `ผู้กู้ ${i}`);
      borrowers.push(userId);
    }
    const officers: string[] = [];
    for (let i = 0; i < (counts.officers ?? 0); i++) {
      const userId = fakeLineUserId(`prod-officer-${tag}-${i}`);
      const { code } = await context.services.linking.issueOfficerCode({ fullName: `เจ้าหน้าที่ ${i}`, role: 'admin' }, { actor: 'test', at });
      if ((await context.services.linking.redeem(userId, code, at)).outcome !== 'linked_officer') throw new Error('link failed');
      fake.addUser(userId, `เจ้าหน้าที่ ${i}`);
      officers.push(userId);
    }
    return { borrowers, officers };
  });
  return { url, key, borrowers, officers, withContext };
}

/** The environment of a production server (or CLI) on this database, with the fake platform as LINE. */
export function productionEnv(prepared: PreparedDatabase, fake: FakeLinePlatform, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: prepared.url,
    DATA_ENCRYPTION_KEY: prepared.key,
    LINE_CHANNEL_SECRET: fake.channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: fake.channelAccessToken,
    LINE_API_BASE_URL: fake.url,
    LINE_DATA_API_BASE_URL: fake.url,
    LINE_LOGIN_CHANNEL_ID: fake.loginChannelId,
    LIFF_ID: '1650000000-prodtest',
    LINE_HTTP_TIMEOUT_MS: '3000',
    SCHEDULER: 'off',
    ...extra,
  };
}
