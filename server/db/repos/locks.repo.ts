// Cross-replica locks, each name in one place: PostgreSQL advisory locks.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

const LOCK_NAMES = {
  /** One dispatcher at a time across replicas keeps the send rate global. */
  dispatcher: 'wdf:dispatcher',
  /** A registry import rewrites schedules; an approval that restructures one waits for it, and it for them. */
  scheduleWrites: 'wdf:registry-import',
  /** Rich menus are created in LINE by one replica at a time: the others then find them. */
  richMenus: 'wdf:rich-menus',
  /** One LINE user's link-code attempts are counted, checked and recorded one at a time. */
  linkAttempts: 'wdf:link-attempts',
  /** One LINE user's uploads are counted against the daily bound and stored one at a time. */
  uploads: 'wdf:uploads',
  /** One borrower's slips are counted against the daily bound and stored one at a time. */
  slips: 'wdf:slips',
  /** The slips of one bank transfer are confirmed one at a time: each sees what the one before it recorded. */
  slipTransfer: 'wdf:slip-transfer',
} as const;

/**
 * Runs `work` holding the dispatcher's session lock on a connection of its own (the work itself uses the pool);
 * undefined, without running it, when another process holds the lock. Not for PGlite: its pool has one
 * connection, which the lock would hold while the work waits for it.
 */
export async function withDispatcherLock<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T | undefined> {
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtext(${LOCK_NAMES.dispatcher})) AS locked`.execute(connection);
    if (!rows[0]?.locked) return undefined;
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${LOCK_NAMES.dispatcher}))`.execute(connection);
    }
  });
}

/** Serialises writers of loan schedules (registry import, approvals) until the transaction ends. */
export async function lockScheduleWrites(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${LOCK_NAMES.scheduleWrites}))`.execute(trx);
}

/**
 * Recording a payment rewrites one loan's paid amounts: many may run together (each also locks its loan row),
 * but not during an import or an approval, which take the same lock exclusively.
 */
export async function lockScheduleWritesShared(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock_shared(hashtext(${LOCK_NAMES.scheduleWrites}))`.execute(trx);
}

/** Runs `work` holding the rich-menu lock on a connection of its own (waits for another replica to finish). */
export async function withRichMenuLock<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(hashtext(${LOCK_NAMES.richMenus}))`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${LOCK_NAMES.richMenus}))`.execute(connection);
    }
  });
}

/**
 * Serialises, until the transaction ends, what one person does under a throttle (a LINE user's link-code attempts
 * and uploads, a borrower's slips): the count a check reads then includes every attempt that passed the check before
 * it, however many arrive at once. `who`: the LINE user id, or the borrower id for slips.
 */
export async function lockThrottleOf(trx: Transaction<Database>, throttle: 'linkAttempts' | 'uploads' | 'slips', who: string): Promise<void> {
  await lockKeyUntilCommit(trx, throttle, who);
}

/** Serialises, until the transaction ends, the confirming of every slip of one transfer (its group: see sameTransferOf). */
export async function lockSlipTransfer(trx: Transaction<Database>, transferGroup: number): Promise<void> {
  await lockKeyUntilCommit(trx, 'slipTransfer', String(transferGroup));
}

/** One lock per name and key (a person, a transfer), held until the transaction ends. */
async function lockKeyUntilCommit(trx: Transaction<Database>, name: keyof typeof LOCK_NAMES, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${LOCK_NAMES[name]}), hashtext(${key}))`.execute(trx);
}
