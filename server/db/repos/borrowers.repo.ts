// Borrowers: identity (national ID encrypted, looked up by keyed hash), name, phone, area.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { withinScope } from './areas.repo.ts';
import { escapeLike, nameMatches } from '../name-search.ts';

export interface BorrowerUpsert {
  nationalIdHash: string;
  nationalIdCipher: string;
  nationalIdMasked: string;
  fullName: string;
  phone: string | null;
  areaId: number;
}

export interface BorrowerProfile {
  id: number;
  fullName: string;
  phone: string | null;
  nationalIdMasked: string;
  areaId: number;
  areaPath: string;
}

/** Inserts or updates by national ID; returns hash → borrower id and how many were new. */
export async function upsertBorrowers(db: Kysely<Database>, rows: readonly BorrowerUpsert[], chunkSize = 5000) {
  const idsByHash = new Map<string, number>();
  let created = 0;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const result = await sql<{ id: number; national_id_hash: string; inserted: boolean }>`
      INSERT INTO borrowers (national_id_hash, national_id_cipher, national_id_masked, full_name, phone, area_id)
      SELECT * FROM unnest(
        ${chunk.map((r) => r.nationalIdHash)}::text[], ${chunk.map((r) => r.nationalIdCipher)}::text[],
        ${chunk.map((r) => r.nationalIdMasked)}::text[], ${chunk.map((r) => r.fullName)}::text[],
        ${chunk.map((r) => r.phone)}::text[], ${chunk.map((r) => r.areaId)}::int[])
      ON CONFLICT (national_id_hash) DO UPDATE
        SET full_name = excluded.full_name, phone = excluded.phone, area_id = excluded.area_id, updated_at = now()
      RETURNING id, national_id_hash, (xmax = 0) AS inserted`.execute(db);
    for (const row of result.rows) {
      idsByHash.set(row.national_id_hash, row.id);
      if (row.inserted) created += 1;
    }
  }
  return { idsByHash, created };
}

function profileQuery(db: Kysely<Database>) {
  return db
    .selectFrom('borrowers as b')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .select(['b.id', 'b.full_name as fullName', 'b.phone', 'b.national_id_masked as nationalIdMasked', 'b.area_id as areaId', 'a.path as areaPath']);
}

export async function findBorrowerById(db: Kysely<Database>, id: number): Promise<BorrowerProfile | undefined> {
  return profileQuery(db).where('b.id', '=', id).executeTakeFirst();
}

/** By the national ID's lookup hash under any configured key (a rotation may not have rehashed the row yet). */
export async function findBorrowerIdByNationalIdHash(db: Kysely<Database>, hashes: readonly string[]): Promise<number | undefined> {
  if (hashes.length === 0) return undefined;
  const row = await db.selectFrom('borrowers').select('id').where('national_id_hash', 'in', hashes).executeTakeFirst();
  return row?.id;
}

/** Before an upsert by hash: rows still under an older key's hash take the current one (old → new). */
export async function rehashNationalIds(trx: Transaction<Database>, pairs: ReadonlyArray<{ from: string; to: string }>): Promise<void> {
  const moves = pairs.filter((p) => p.from !== p.to);
  for (let start = 0; start < moves.length; start += 5000) {
    const chunk = moves.slice(start, start + 5000);
    await sql`
      UPDATE borrowers b SET national_id_hash = u.to_hash
      FROM unnest(${chunk.map((p) => p.from)}::text[], ${chunk.map((p) => p.to)}::text[]) AS u(from_hash, to_hash)
      WHERE b.national_id_hash = u.from_hash`.execute(trx);
  }
}

export interface SealedNationalId {
  id: number;
  cipher: string;
}

/** The next borrowers by id after `afterId`, with their sealed national ID (for re-encryption under a new key). */
export async function sealedNationalIdsAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<SealedNationalId[]> {
  return db.selectFrom('borrowers').select(['id', 'national_id_cipher as cipher']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

/** Re-sealed national IDs; a row changed since it was read (`previous` no longer there) is left for the next pass. */
export async function updateSealedNationalIds(
  trx: Transaction<Database>,
  rows: ReadonlyArray<{ id: number; previous: string; cipher: string; hash: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE borrowers b SET national_id_cipher = u.cipher, national_id_hash = u.hash
    FROM unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.previous)}::text[], ${rows.map((r) => r.cipher)}::text[], ${rows.map((r) => r.hash)}::text[])
      AS u(id, previous, cipher, hash)
    WHERE b.id = u.id AND b.national_id_cipher = u.previous`.execute(trx);
}

/** National IDs not sealed under the key whose ciphertexts start with `prefix` (anonymised rows hold none). */
export async function countNationalIdsNotSealedWith(db: Kysely<Database>, prefix: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM borrowers
    WHERE national_id_cipher <> '' AND left(national_id_cipher, ${prefix.length}) <> ${prefix}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export async function findBorrowerIdByContract(db: Kysely<Database>, contractNo: string): Promise<number | undefined> {
  const row = await db.selectFrom('loans').select('borrower_id').where('contract_no', '=', contractNo).executeTakeFirst();
  return row?.borrower_id;
}

/**
 * Borrowers inside an officer's area whose contract number equals, or whose name contains, the query.
 * Returns at most `limit` rows, ordered by name.
 */
export async function searchBorrowersInScope(
  db: Kysely<Database>,
  scopePath: string | null,
  query: string,
  limit: number,
  /** A mentor sees only the debtors assigned to them. */
  mentorId?: number,
): Promise<BorrowerProfile[]> {
  const escaped = escapeLike(query);
  return profileQuery(db)
    .where(withinScope(sql.ref('a.path'), scopePath))
    .$if(mentorId !== undefined, (qb) =>
      qb.where((eb) => eb.exists(eb.selectFrom('debtor_mentors as dm').select(sql.lit(1).as('one')).whereRef('dm.borrower_id', '=', 'b.id').where('dm.mentor_id', '=', mentorId!))),
    )
    .where((eb) =>
      eb.or([
        nameMatches(sql.ref('b.full_name'), query),
        // The contract number whole, or any part of it with at least three digits ("0002" finds TRT-2566-0002).
        /\d{3}/.test(query)
          ? eb.exists(eb.selectFrom('loans as l').select(sql.lit(1).as('one')).whereRef('l.borrower_id', '=', 'b.id').where(sql<string>`upper(l.contract_no)`, 'like', `%${escaped.toUpperCase()}%`))
          : eb.exists(eb.selectFrom('loans as l').select(sql.lit(1).as('one')).whereRef('l.borrower_id', '=', 'b.id').where('l.contract_no', '=', query)),
      ]),
    )
    .orderBy('b.full_name')
    .limit(limit)
    .execute();
}

/** Name and area path of each borrower asked for, by id. */
export async function borrowerNamesAndAreas(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, { fullName: string; areaPath: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('borrowers as b')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .select(['b.id', 'b.full_name as fullName', 'a.path as areaPath'])
    .where('b.id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, { fullName: row.fullName, areaPath: row.areaPath }]));
}

export async function countBorrowers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('borrowers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The sealed national ID of one borrower (decrypted by the caller, for her own copy of her data). */
export async function sealedNationalIdOf(db: Kysely<Database>, borrowerId: number): Promise<string | undefined> {
  const row = await db.selectFrom('borrowers').select('national_id_cipher').where('id', '=', borrowerId).executeTakeFirst();
  return row?.national_id_cipher;
}
