// Transfer slips borrowers send in the chat (sealed bytes) and what officers decided about them. Reads for officers
// are scoped to the viewer's area in SQL (debtor-scope.repo.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SlipStatus } from '../schema.ts';
import { visibleTo, type Viewer } from './debtor-scope.repo.ts';

export interface NewSlip {
  borrowerId: number;
  lineMessageId: string;
  /** LINE's token for quoting this photo in a later message; null when LINE sent none. */
  quoteToken: string | null;
  contentType: 'image/jpeg' | 'image/png';
  byteSize: number;
  sha256: string;
  sealed: Buffer;
  bankCode: string | null;
  transRef: string | null;
  status: 'pending' | 'duplicate';
  duplicateOf: number | null;
  suggestedLoanId: number | null;
  suggestedAmount: number | null;
  at: Date;
}

/** How many slips (repeats included) a borrower sent since then, and when the first of them came. */
export async function countSlipsSince(
  db: Kysely<Database> | Transaction<Database>,
  borrowerId: number,
  since: Date,
): Promise<{ count: number; firstAt: Date | null }> {
  const row = await db
    .selectFrom('payment_slips')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('received_at').as('firstAt')])
    .where('borrower_id', '=', borrowerId)
    .where('received_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), firstAt: row.firstAt ? new Date(row.firstAt as Date) : null };
}

/** Inserts a slip; undefined when the same LINE message was stored before (a redelivered event). */
export async function insertSlip(db: Kysely<Database> | Transaction<Database>, slip: NewSlip): Promise<number | undefined> {
  const row = await db
    .insertInto('payment_slips')
    .values({
      borrower_id: slip.borrowerId,
      line_message_id: slip.lineMessageId,
      quote_token: slip.quoteToken,
      content_type: slip.contentType,
      byte_size: slip.byteSize,
      sha256: slip.sha256,
      content: slip.sealed,
      bank_code: slip.bankCode,
      trans_ref: slip.transRef,
      status: slip.status,
      duplicate_of: slip.duplicateOf,
      suggested_loan_id: slip.suggestedLoanId,
      suggested_amount_satang: slip.suggestedAmount,
      received_at: slip.at,
    })
    .onConflict((oc) => oc.column('line_message_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export interface SlipOrigin {
  id: number;
  borrowerId: number;
  status: SlipStatus;
  receivedAt: Date;
}

export async function findSlipByMessageId(db: Kysely<Database>, lineMessageId: string): Promise<SlipOrigin | undefined> {
  return db
    .selectFrom('payment_slips')
    .select(['id', 'borrower_id as borrowerId', 'status', 'received_at as receivedAt'])
    .where('line_message_id', '=', lineMessageId)
    .executeTakeFirst();
}

/**
 * An earlier slip with this bank transaction, or with exactly these bytes: the borrower's own first (one she had
 * set aside as a repeat does not count), else the first of anyone's that is not itself a repeat of another.
 */
export async function findEarlierSlip(
  db: Kysely<Database> | Transaction<Database>,
  match: { borrowerId: number; bankCode: string | null; transRef: string | null; sha256: string },
): Promise<SlipOrigin | undefined> {
  let query = db
    .selectFrom('payment_slips')
    .select(['id', 'borrower_id as borrowerId', 'status', 'received_at as receivedAt'])
    .where((eb) => eb.or([eb.and([eb('borrower_id', '=', match.borrowerId), eb('status', '<>', 'duplicate')]), eb('duplicate_of', 'is', null)]));
  query =
    match.transRef !== null && match.bankCode !== null
      ? query.where((eb) => eb.or([eb.and([eb('bank_code', '=', match.bankCode), eb('trans_ref', '=', match.transRef)]), eb('sha256', '=', match.sha256)]))
      : query.where('sha256', '=', match.sha256);
  return query.orderBy(sql`borrower_id = ${match.borrowerId}`, 'desc').orderBy('id').executeTakeFirst();
}

export interface SameTransfer {
  /** Other borrowers' slips of the same transfer (her own repeats not counted). */
  otherSlips: number;
  /** When the first slip of the transfer came, this one included. */
  firstSentAt: Date;
  /** Payments recorded from those other slips. */
  recordedSatang: number;
}

/**
 * A transfer's group: the first slip of it anyone sent. Every later slip of the same transfer (the same bank
 * reference, or without one the very same picture) from another borrower points at that one (duplicate_of, see
 * findEarlierSlip); a borrower's own repeat is set aside (status 'duplicate') and belongs to no group.
 */
const TRANSFER_GROUP = (alias: string) => sql.raw(`COALESCE(${alias}.duplicate_of, ${alias}.id)`);

/**
 * For each slip, the other borrowers' slips of the same transfer: how many, when the first came, what was recorded
 * from them. Slips no one else sent are left out of the map. Found through the group index (migration 0027).
 */
export async function sameTransferOf(db: Kysely<Database> | Transaction<Database>, slipIds: readonly number[]): Promise<Map<number, SameTransfer>> {
  if (slipIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; otherSlips: number; firstSentAt: Date; recordedSatang: string }>`
    SELECT s.id, count(o.id)::int AS "otherSlips", LEAST(s.received_at, min(o.received_at)) AS "firstSentAt",
           COALESCE(sum(p.amount_satang) FILTER (WHERE o.status = 'confirmed'), 0)::text AS "recordedSatang"
    FROM payment_slips s
    JOIN payment_slips o ON ${TRANSFER_GROUP('o')} = ${TRANSFER_GROUP('s')} AND o.status <> 'duplicate'
      AND o.id <> s.id AND o.borrower_id <> s.borrower_id
    LEFT JOIN payments p ON p.id = o.payment_id
    WHERE s.id = ANY(${[...slipIds]}::bigint[]) AND s.status <> 'duplicate'
    GROUP BY s.id, s.received_at`.execute(db);
  return new Map(rows.map((row) => [Number(row.id), { otherSlips: row.otherSlips, firstSentAt: new Date(row.firstSentAt), recordedSatang: Number(row.recordedSatang) }]));
}

/** The transfer group of a slip (see TRANSFER_GROUP): what confirming it locks. */
export function transferGroupOf(slip: { id: number; duplicateOf: number | null }): number {
  return slip.duplicateOf ?? slip.id;
}

export interface SlipListRow {
  id: number;
  borrowerId: number;
  fullName: string;
  areaPath: string;
  status: SlipStatus;
  receivedAt: Date;
  bankCode: string | null;
  transRef: string | null;
  duplicateOf: number | null;
  suggestedContractNo: string | null;
  suggestedAmount: number | null;
  paymentId: number | null;
  rejectReason: string | null;
  decidedAt: Date | null;
  decidedByName: string | null;
  /** How many times a payment recorded from it was reversed. */
  reopened: number;
}

function slipQuery(db: Kysely<Database>, viewer: Viewer) {
  return db
    .selectFrom('payment_slips as s')
    .innerJoin('borrowers as b', 'b.id', 's.borrower_id')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .leftJoin('loans as l', 'l.id', 's.suggested_loan_id')
    .leftJoin('officers as o', 'o.id', 's.decided_by')
    .select([
      's.id',
      's.borrower_id as borrowerId',
      'b.full_name as fullName',
      'a.path as areaPath',
      's.status',
      's.received_at as receivedAt',
      's.bank_code as bankCode',
      's.trans_ref as transRef',
      's.duplicate_of as duplicateOf',
      'l.contract_no as suggestedContractNo',
      's.suggested_amount_satang as suggestedAmount',
      's.payment_id as paymentId',
      's.reject_reason as rejectReason',
      's.decided_at as decidedAt',
      'o.full_name as decidedByName',
      's.reopened',
    ])
    .where(({ ref }) => visibleTo(viewer, ref('b.id'), ref('a.path')));
}

/** Slips in the viewer's area: those waiting (oldest first), or those decided lately (newest first). */
export async function slipsForViewer(db: Kysely<Database>, viewer: Viewer, which: 'pending' | 'decided', limit: number): Promise<SlipListRow[]> {
  const query = slipQuery(db, viewer);
  return which === 'pending'
    ? query.where('s.status', '=', 'pending').orderBy('s.received_at').orderBy('s.id').limit(limit).execute()
    : query.where('s.status', '<>', 'pending').orderBy('s.received_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
}

/** Slips waiting in the viewer's area: how many, and when the one waiting longest came. */
export async function pendingSlipsForViewer(db: Kysely<Database>, viewer: Viewer): Promise<{ count: number; oldestReceivedAt: Date | null }> {
  return db
    .selectFrom('payment_slips as s')
    .innerJoin('borrowers as b', 'b.id', 's.borrower_id')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .select([sql<number>`count(*)::int`.as('count'), sql<Date | null>`min(s.received_at)`.as('oldestReceivedAt')])
    .where('s.status', '=', 'pending')
    .where(({ ref }) => visibleTo(viewer, ref('b.id'), ref('a.path')))
    .executeTakeFirstOrThrow();
}

/** One slip if the viewer may see it; `exists` tells 403 from 404. */
export async function findSlipForViewer(db: Kysely<Database>, viewer: Viewer, id: number): Promise<{ slip: SlipListRow | undefined; exists: boolean }> {
  const slip = await slipQuery(db, viewer).where('s.id', '=', id).executeTakeFirst();
  if (slip) return { slip, exists: true };
  const exists = await db.selectFrom('payment_slips').select('id').where('id', '=', id).executeTakeFirst();
  return { slip: undefined, exists: exists !== undefined };
}

export async function slipContent(db: Kysely<Database>, id: number): Promise<{ contentType: 'image/jpeg' | 'image/png'; sealed: Buffer } | undefined> {
  const row = await db.selectFrom('payment_slips').select(['content_type as contentType', 'content as sealed']).where('id', '=', id).executeTakeFirst();
  return row;
}

/** Locks the slip for a decision; its status as it stands under the lock. */
export async function lockSlip(
  trx: Transaction<Database>,
  id: number,
): Promise<{ status: SlipStatus; borrowerId: number; paymentId: number | null; quoteToken: string | null } | undefined> {
  return trx
    .selectFrom('payment_slips')
    .select(['status', 'borrower_id as borrowerId', 'payment_id as paymentId', 'quote_token as quoteToken'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function markSlipConfirmed(trx: Transaction<Database>, id: number, decision: { paymentId: number; officerId: number; at: Date }): Promise<void> {
  await trx
    .updateTable('payment_slips')
    .set({ status: 'confirmed', payment_id: decision.paymentId, decided_by: decision.officerId, decided_at: decision.at })
    .where('id', '=', id)
    .execute();
}

/** A payment recorded from a slip was reversed: the slip waits to be checked again; its id, or undefined. */
export async function reopenSlipOfPayment(trx: Transaction<Database>, paymentId: number): Promise<number | undefined> {
  const row = await trx
    .updateTable('payment_slips')
    .set({ status: 'pending', payment_id: null, decided_by: null, decided_at: null, reopened: sql<number>`reopened + 1` })
    .where('payment_id', '=', paymentId)
    .where('status', '=', 'confirmed')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function markSlipRejected(trx: Transaction<Database>, id: number, decision: { reason: string; officerId: number; at: Date }): Promise<void> {
  await trx
    .updateTable('payment_slips')
    .set({ status: 'rejected', reject_reason: decision.reason, decided_by: decision.officerId, decided_at: decision.at })
    .where('id', '=', id)
    .execute();
}

// ---------- key rotation and retention ----------

export async function sealedSlipsAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<Array<{ id: number; content: Buffer }>> {
  return db.selectFrom('payment_slips').select(['id', 'content']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

/** Slips not sealed under the key whose sealed bytes start with `prefix`. */
export async function countSlipsNotSealedWith(db: Kysely<Database>, prefix: Buffer): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM payment_slips WHERE substring(content from 1 for ${prefix.length}) <> ${prefix}`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function updateSealedSlip(trx: Transaction<Database>, id: number, content: Buffer): Promise<void> {
  await trx.updateTable('payment_slips').set({ content }).where('id', '=', id).execute();
}

/** Her slips, newest first: for her own data copy and the debtor's timeline (no image bytes). */
export async function slipsOfBorrower(
  db: Kysely<Database>,
  borrowerId: number,
  limit: number,
): Promise<Array<{ id: number; receivedAt: Date; status: SlipStatus; transRef: string | null; rejectReason: string | null }>> {
  return db
    .selectFrom('payment_slips')
    .select(['id', 'received_at as receivedAt', 'status', 'trans_ref as transRef', 'reject_reason as rejectReason'])
    .where('borrower_id', '=', borrowerId)
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}
