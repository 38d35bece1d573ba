// A fresh, empty database per test file: its own PostgreSQL database when DATABASE_URL is set (CI),
// otherwise an in-memory PGlite.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../server/db/connection.ts';

export const POSTGRES_URL = process.env.DATABASE_URL;
/** Connections of a test database's main pool (on PostgreSQL). */
export const TEST_POOL_SIZE = 10;

export async function createTestDatabase(kind: 'default' | 'pglite' = 'default'): Promise<DatabaseHandle & { url?: string }> {
  if (kind === 'pglite' || !POSTGRES_URL) {
    return openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  }
  const name = `wdf_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: TEST_POOL_SIZE });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: POSTGRES_URL });
      await dropper.connect();
      try {
        // Our pool is closed, so a plain DROP works without the privilege that WITH (FORCE) needs.
        await dropper.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await dropper.end();
      }
    },
  };
}
