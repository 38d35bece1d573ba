// Opens the database: a PostgreSQL server through pg, or embedded PGlite through the same pg driver.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { acquireDataFolderLock } from './pglite-lock.ts';

export type DatabaseSettings = { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir: string };

export interface DatabaseHandle {
  db: Kysely<Database>;
  /**
   * Connections of their own for storing webhook events, so that LINE's 200 never waits for a connection behind the
   * answering work (on PGlite, the one connection).
   */
  inboxDb: Kysely<Database>;
  kind: DatabaseSettings['kind'];
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;
const DATE_ARRAY_OID = 1182;

/** int8 and count(*) become numbers (refusing values past 2^53), dates stay 'YYYY-MM-DD' strings. */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) {
      return (value: string) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is beyond JavaScript's safe integers`);
        return n;
      };
    }
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === DATE_ARRAY_OID) return (value: string) => value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface OpenDatabaseOptions {
  /** Told about connections that died (a server restart, a fail-over); the pool replaces them on next use. */
  onConnectionError?: (error: Error) => void;
}

/** Webhook events are stored by group commit, at most two statements at once (webhook-inbox.service.ts). */
const INBOX_POOL_SIZE = 2;

/** How long a query waits for a connection (a new one, or a free one from the pool) before failing. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Without these listeners a connection that dies while idle in the pool, or while checked out between two queries
 * (a transaction, the dispatcher's lock), emits an 'error' nobody handles and the process exits. With them the
 * error is reported, the dead connection is dropped and the work that used it fails with an error it can retry.
 */
function watchConnections(pool: pg.Pool, onError: (error: Error) => void) {
  // An idle connection's error reaches both listeners: report it once.
  const reported = new WeakSet<Error>();
  const report = (error: Error) => {
    if (reported.has(error)) return;
    reported.add(error);
    onError(error);
  };
  pool.on('error', report);
  pool.on('connect', (client) => {
    client.on('error', report);
  });
}

const reportToStderr = (error: Error) => {
  process.stderr.write(`database connection lost: ${(error as { code?: string }).code ?? ''} ${error.message}\n`);
};

export async function openDatabase(settings: DatabaseSettings, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (settings.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: settings.url,
      max: settings.poolSize ?? 10,
      types: typeParsers,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    const inboxPool = new pg.Pool({
      connectionString: settings.url,
      max: INBOX_POOL_SIZE,
      // Kept open between webhooks (pg closes idle ones after 10 s): a quiet channel's next 200 needs no new connection.
      idleTimeoutMillis: 5 * 60_000,
      types: typeParsers,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    watchConnections(pool, options.onConnectionError ?? reportToStderr);
    watchConnections(inboxPool, options.onConnectionError ?? reportToStderr);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const inboxDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: inboxPool }) });
    return {
      db,
      inboxDb,
      kind: 'postgres',
      async close() {
        await Promise.all([db.destroy(), inboxDb.destroy()]);
      },
    };
  }

  const inMemory = settings.dataDir.startsWith('memory://');
  const lock = inMemory ? undefined : acquireDataFolderLock(settings.dataDir);
  try {
    if (!inMemory) mkdirSync(path.dirname(path.resolve(settings.dataDir)), { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const pglite = await PGlite.create(inMemory ? undefined : path.resolve(settings.dataDir));
    // One connection: PGlite is single-session, and pool size 1 serialises transactions correctly.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: typeParsers } as pg.PoolConfig);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      inboxDb: db,
      kind: 'pglite',
      async close() {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
