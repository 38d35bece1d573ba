// The 5 ต. follow-up log: one row per contact an officer or mentor recorded, never deleted; its promise to pay
// and its photos.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, FollowUpKindColumn, FollowUpOutcomeColumn, FollowUpStageColumn, PromiseStatusColumn } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';

export interface FollowUpFields {
  loanId: number | null;
  kind: FollowUpKindColumn;
  stage: FollowUpStageColumn;
  contactedOn: LocalDate;
  outcome: FollowUpOutcomeColumn;
  note: string | null;
  nextActionOn: LocalDate | null;
}

export interface FollowUpRow extends FollowUpFields {
  id: number;
  borrowerId: number;
  officerId: number;
  officerName: string;
  contractNo: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Inserts a follow-up; undefined when this officer already used the idempotency key (a double tap). */
export async function insertFollowUp(
  trx: Transaction<Database>,
  f: FollowUpFields & { borrowerId: number; officerId: number; idempotencyKey: string; at: Date },
): Promise<number | undefined> {
  const row = await trx
    .insertInto('follow_ups')
    .values({
      borrower_id: f.borrowerId,
      loan_id: f.loanId,
      officer_id: f.officerId,
      idempotency_key: f.idempotencyKey,
      kind: f.kind,
      stage: f.stage,
      contacted_on: f.contactedOn,
      outcome: f.outcome,
      note: f.note,
      next_action_on: f.nextActionOn,
      created_at: f.at,
      updated_at: f.at,
    })
    .onConflict((oc) => oc.columns(['officer_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findFollowUpByIdempotencyKey(
  db: Kysely<Database>,
  officerId: number,
  key: string,
): Promise<{ id: number; borrowerId: number; contactedOn: LocalDate } | undefined> {
  return db
    .selectFrom('follow_ups')
    .select(['id', 'borrower_id as borrowerId', sql<LocalDate>`contacted_on::text`.as('contactedOn')])
    .where('officer_id', '=', officerId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

function followUpQuery(db: Kysely<Database>) {
  return db
    .selectFrom('follow_ups as f')
    .innerJoin('officers as o', 'o.id', 'f.officer_id')
    .leftJoin('loans as l', 'l.id', 'f.loan_id')
    .select([
      'f.id',
      'f.borrower_id as borrowerId',
      'f.officer_id as officerId',
      'o.full_name as officerName',
      'f.loan_id as loanId',
      'l.contract_no as contractNo',
      'f.kind',
      'f.stage',
      'f.contacted_on as contactedOn',
      'f.outcome',
      'f.note',
      'f.next_action_on as nextActionOn',
      'f.created_at as createdAt',
      'f.updated_at as updatedAt',
    ]);
}

export async function findFollowUp(db: Kysely<Database>, id: number): Promise<FollowUpRow | undefined> {
  return followUpQuery(db).where('f.id', '=', id).executeTakeFirst();
}

/** Locks the follow-up for an edit inside the caller's transaction. */
export async function lockFollowUp(trx: Transaction<Database>, id: number): Promise<FollowUpRow | undefined> {
  return followUpQuery(trx).where('f.id', '=', id).forUpdate('f').executeTakeFirst();
}

export async function updateFollowUp(trx: Transaction<Database>, id: number, fields: FollowUpFields, at: Date): Promise<void> {
  await trx
    .updateTable('follow_ups')
    .set({
      loan_id: fields.loanId,
      kind: fields.kind,
      stage: fields.stage,
      contacted_on: fields.contactedOn,
      outcome: fields.outcome,
      note: fields.note,
      next_action_on: fields.nextActionOn,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

export async function followUpsOfBorrower(db: Kysely<Database>, borrowerId: number, limit: number): Promise<FollowUpRow[]> {
  return followUpQuery(db).where('f.borrower_id', '=', borrowerId).orderBy('f.contacted_on', 'desc').orderBy('f.id', 'desc').limit(limit).execute();
}

// ---------- promises ----------

export interface PromiseRow {
  id: number;
  followUpId: number;
  borrowerId: number;
  loanId: number | null;
  contractNo: string | null;
  amount: number;
  madeOn: LocalDate;
  promisedOn: LocalDate;
  status: PromiseStatusColumn;
  paid: number;
  judgedAt: Date | null;
  createdAt: Date;
}

function promiseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('payment_promises as p')
    .leftJoin('loans as l', 'l.id', 'p.loan_id')
    .select([
      'p.id',
      'p.follow_up_id as followUpId',
      'p.borrower_id as borrowerId',
      'p.loan_id as loanId',
      'l.contract_no as contractNo',
      'p.amount_satang as amount',
      'p.made_on as madeOn',
      'p.promised_on as promisedOn',
      'p.status',
      'p.paid_satang as paid',
      'p.judged_at as judgedAt',
      'p.created_at as createdAt',
    ]);
}

export async function insertPromise(
  trx: Transaction<Database>,
  p: { followUpId: number; borrowerId: number; loanId: number | null; amount: number; madeOn: LocalDate; promisedOn: LocalDate; at: Date },
): Promise<number> {
  const row = await trx
    .insertInto('payment_promises')
    .values({
      follow_up_id: p.followUpId,
      borrower_id: p.borrowerId,
      loan_id: p.loanId,
      amount_satang: p.amount,
      made_on: p.madeOn,
      promised_on: p.promisedOn,
      created_at: p.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePromiseTerms(trx: Transaction<Database>, id: number, terms: { loanId: number | null; amount: number; madeOn: LocalDate; promisedOn: LocalDate }): Promise<void> {
  await trx
    .updateTable('payment_promises')
    .set({ loan_id: terms.loanId, amount_satang: terms.amount, made_on: terms.madeOn, promised_on: terms.promisedOn })
    .where('id', '=', id)
    .execute();
}

export async function promiseOfFollowUp(db: Kysely<Database>, followUpId: number): Promise<PromiseRow | undefined> {
  return promiseQuery(db).where('p.follow_up_id', '=', followUpId).executeTakeFirst();
}

export async function promisesOfFollowUps(db: Kysely<Database>, followUpIds: readonly number[]): Promise<Map<number, PromiseRow>> {
  if (followUpIds.length === 0) return new Map();
  const rows = await promiseQuery(db).where('p.follow_up_id', 'in', followUpIds).execute();
  return new Map(rows.map((row) => [row.followUpId, row]));
}

export async function promisesOfBorrower(db: Kysely<Database>, borrowerId: number): Promise<PromiseRow[]> {
  return promiseQuery(db).where('p.borrower_id', '=', borrowerId).orderBy('p.promised_on').orderBy('p.id').execute();
}

/** Open promises whose judgement day has come (their last counting day is before today), a batch at a time. */
export async function openPromisesDueBefore(db: Kysely<Database>, lastCountingDayBefore: LocalDate, graceDays: number, limit: number): Promise<PromiseRow[]> {
  return promiseQuery(db)
    .where('p.status', '=', 'open')
    .where(sql<boolean>`p.promised_on + ${graceDays}::int < ${lastCountingDayBefore}::date`)
    .orderBy('p.promised_on')
    .orderBy('p.id')
    .limit(limit)
    .execute();
}

export async function setPromiseJudgement(db: Kysely<Database>, id: number, judgement: { status: PromiseStatusColumn; paid: number; at: Date }): Promise<void> {
  await db
    .updateTable('payment_promises')
    .set({ status: judgement.status, paid_satang: judgement.paid, judged_at: judgement.status === 'open' ? null : judgement.at })
    .where('id', '=', id)
    .execute();
}

// ---------- photos ----------

export async function insertFollowUpPhoto(
  db: Kysely<Database>,
  photo: { officerId: number; contentType: 'image/jpeg' | 'image/png'; content: Buffer; byteSize: number; sha256: string; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('follow_up_photos')
    .values({ officer_id: photo.officerId, content_type: photo.contentType, content: photo.content, byte_size: photo.byteSize, sha256: photo.sha256, uploaded_at: photo.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function countUnattachedPhotosSince(db: Kysely<Database>, officerId: number, since: Date): Promise<number> {
  const row = await db
    .selectFrom('follow_up_photos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('officer_id', '=', officerId)
    .where('follow_up_id', 'is', null)
    .where('uploaded_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Photos never attached to a follow-up are not kept. */
export async function deleteUnattachedPhotosBefore(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('follow_up_photos').where('follow_up_id', 'is', null).where('uploaded_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function attachPhotos(trx: Transaction<Database>, ids: readonly string[], officerId: number, followUpId: number, at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx
    .updateTable('follow_up_photos')
    .set({ follow_up_id: followUpId, attached_at: at })
    .where('id', 'in', ids)
    .where('officer_id', '=', officerId)
    .where('follow_up_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The author takes a wrong photo off her record while it can still be corrected: its bytes are deleted, not kept. */
export async function deletePhotosOfFollowUp(trx: Transaction<Database>, followUpId: number, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx.deleteFrom('follow_up_photos').where('follow_up_id', '=', followUpId).where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function photoIdsOfFollowUps(db: Kysely<Database>, followUpIds: readonly number[]): Promise<Map<number, string[]>> {
  const byFollowUp = new Map<number, string[]>();
  if (followUpIds.length === 0) return byFollowUp;
  const rows = await db
    .selectFrom('follow_up_photos')
    .select(['id', 'follow_up_id'])
    .where('follow_up_id', 'in', followUpIds)
    .orderBy('uploaded_at')
    .execute();
  for (const row of rows) byFollowUp.set(row.follow_up_id!, [...(byFollowUp.get(row.follow_up_id!) ?? []), row.id]);
  return byFollowUp;
}

export async function findPhoto(
  db: Kysely<Database>,
  id: string,
): Promise<{ id: string; followUpId: number | null; borrowerId: number | null; officerId: number; contentType: string; content: Buffer } | undefined> {
  return db
    .selectFrom('follow_up_photos as p')
    .leftJoin('follow_ups as f', 'f.id', 'p.follow_up_id')
    .select(['p.id', 'p.follow_up_id as followUpId', 'f.borrower_id as borrowerId', 'p.officer_id as officerId', 'p.content_type as contentType', 'p.content'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

// ---------- key rotation ----------

export async function sealedPhotosAfter(db: Kysely<Database>, afterId: string | null, limit: number): Promise<Array<{ id: string; content: Buffer }>> {
  let query = db.selectFrom('follow_up_photos').select(['id', 'content']).orderBy('id').limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.execute();
}

/** Photos not sealed under the key whose sealed bytes start with `prefix`. */
export async function countPhotosNotSealedWith(db: Kysely<Database>, prefix: Buffer): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM follow_up_photos WHERE substring(content from 1 for ${prefix.length}) <> ${prefix}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export async function updateSealedPhoto(trx: Transaction<Database>, id: string, content: Buffer): Promise<void> {
  await trx.updateTable('follow_up_photos').set({ content }).where('id', '=', id).execute();
}
