// One-time link codes (stored as keyed hashes) and the per-user record of attempts used for throttling.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

export interface LinkCodeRow {
  id: number;
  borrowerId: number | null;
  officerId: number | null;
  expiresAt: Date;
  usedAt: Date | null;
  /** The LINE account that linked with it. */
  usedBy: string | null;
}

export async function insertLinkCode(
  db: Kysely<Database>,
  code: { codeHash: string; borrowerId?: number; officerId?: number; expiresAt: Date; createdAt: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('link_codes')
    .values({
      code_hash: code.codeHash,
      borrower_id: code.borrowerId ?? null,
      officer_id: code.officerId ?? null,
      expires_at: code.expiresAt,
      created_at: code.createdAt,
    })
    .onConflict((oc) => oc.column('code_hash').where('used_at', 'is', null).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Whether an unused code has one of these hashes (expired ones included: they still answer "expired"). */
export async function hasUnusedLinkCode(db: Kysely<Database>, codeHashes: readonly string[]): Promise<boolean> {
  const row = await db.selectFrom('link_codes').select('id').where('code_hash', 'in', codeHashes).where('used_at', 'is', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * The unused code with one of these hashes (the code's hash under each configured key: a code issued before a key
 * rotation still works while the old key is configured), or else the most recently used one (to say "already used").
 */
export async function findLinkCode(db: Kysely<Database>, codeHashes: readonly string[]): Promise<LinkCodeRow | undefined> {
  return db
    .selectFrom('link_codes')
    .select(['id', 'borrower_id as borrowerId', 'officer_id as officerId', 'expires_at as expiresAt', 'used_at as usedAt', 'used_by_line_user_id as usedBy'])
    .where('code_hash', 'in', codeHashes)
    .orderBy((eb) => eb('used_at', 'is', null), 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Whether a code was issued after this one for the same person (issuing a new code ends the older ones). */
export async function newerCodeExists(db: Kysely<Database>, code: Pick<LinkCodeRow, 'id' | 'borrowerId' | 'officerId'>): Promise<boolean> {
  const owner = code.borrowerId !== null ? ('borrower_id' as const) : ('officer_id' as const);
  const ownerId = code.borrowerId ?? code.officerId;
  if (ownerId === null) return false;
  const row = await db.selectFrom('link_codes').select('id').where(owner, '=', ownerId).where('id', '>', code.id).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Marks the code used; false when another request used it first. */
export async function consumeLinkCode(db: Kysely<Database>, id: number, lineUserId: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('link_codes')
    .set({ used_at: at, used_by_line_user_id: lineUserId })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function recordLinkAttempt(db: Kysely<Database>, lineUserId: string, succeeded: boolean, at: Date): Promise<number> {
  const row = await db.insertInto('link_attempts').values({ line_user_id: lineUserId, succeeded, attempted_at: at }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** An attempt recorded as failed before its code was checked turned out to link. */
export async function markLinkAttemptSucceeded(db: Kysely<Database>, attemptId: number): Promise<void> {
  await db.updateTable('link_attempts').set({ succeeded: true }).where('id', '=', attemptId).execute();
}

export async function countFailedLinkAttemptsSince(db: Kysely<Database>, lineUserId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('link_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('line_user_id', '=', lineUserId)
    .where('succeeded', '=', false)
    .where('attempted_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Expires every unused code of these borrowers (a new batch replaces them) or of an officer (she left); how many. */
export async function expireOpenCodes(trx: Transaction<Database>, owners: { borrowerIds: readonly number[] } | { officerId: number }, at: Date): Promise<number> {
  if ('borrowerIds' in owners && owners.borrowerIds.length === 0) return 0;
  const result = await trx
    .updateTable('link_codes')
    .set({ expires_at: at })
    .$call((qb) => ('borrowerIds' in owners ? qb.where('borrower_id', 'in', owners.borrowerIds) : qb.where('officer_id', '=', owners.officerId)))
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Inserts many borrower codes at once; returns the hashes that were taken already (to be drawn again). */
export async function insertBorrowerLinkCodes(
  trx: Transaction<Database>,
  codes: ReadonlyArray<{ codeHash: string; borrowerId: number }>,
  meta: { expiresAt: Date; createdAt: Date },
): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const result = await sql<{ code_hash: string }>`
    INSERT INTO link_codes (code_hash, borrower_id, expires_at, created_at)
    SELECT code_hash, borrower_id, ${meta.expiresAt}, ${meta.createdAt}
    FROM unnest(${codes.map((c) => c.codeHash)}::text[], ${codes.map((c) => c.borrowerId)}::bigint[]) AS u(code_hash, borrower_id)
    ON CONFLICT (code_hash) WHERE used_at IS NULL DO NOTHING
    RETURNING code_hash`.execute(trx);
  const inserted = new Set(result.rows.map((row) => row.code_hash));
  return new Set(codes.map((c) => c.codeHash).filter((hash) => !inserted.has(hash)));
}

/** Unused, unexpired codes issued before a moment (their hashes cannot be recomputed under a new key). */
export async function countLiveLinkCodes(db: Kysely<Database>, now: Date, issuedBefore: Date): Promise<number> {
  const row = await db
    .selectFrom('link_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('created_at', '<', issuedBefore)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
