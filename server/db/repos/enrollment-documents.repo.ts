// Documents borrowers upload for their applications (encrypted by the caller), and their attachment to one.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

export interface DocumentMeta {
  id: string;
  enrollmentId: number | null;
  ownerLineUserId: string;
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  byteSize: number;
  uploadedAt: Date;
}

export async function insertDocument(
  db: Kysely<Database>,
  doc: { ownerLineUserId: string; contentType: DocumentMeta['contentType']; content: Buffer; byteSize: number; sha256: string; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('enrollment_documents')
    .values({
      owner_line_user_id: doc.ownerLineUserId,
      content_type: doc.contentType,
      byte_size: doc.byteSize,
      sha256: doc.sha256,
      content: doc.content,
      uploaded_at: doc.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Uploads a LINE user made recently and has not attached yet (a bound on what one person can store). */
export async function countUnattachedUploadsSince(db: Kysely<Database>, lineUserId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('enrollment_documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_line_user_id', '=', lineUserId)
    .where('enrollment_id', 'is', null)
    .where('uploaded_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Uploads never attached to an application are not kept: personal papers with no purpose. */
export async function deleteUnattachedUploadsBefore(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('enrollment_documents').where('enrollment_id', 'is', null).where('uploaded_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Attaches the owner's own unattached uploads; returns how many were attached. */
export async function attachDocuments(trx: Transaction<Database>, ids: readonly string[], ownerLineUserId: string, enrollmentId: number, at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx
    .updateTable('enrollment_documents')
    .set({ enrollment_id: enrollmentId, attached_at: at })
    .where('id', 'in', ids)
    .where('owner_line_user_id', '=', ownerLineUserId)
    .where('enrollment_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listDocumentsOf(db: Kysely<Database>, enrollmentIds: readonly number[]): Promise<Map<number, DocumentMeta[]>> {
  const byEnrollment = new Map<number, DocumentMeta[]>();
  if (enrollmentIds.length === 0) return byEnrollment;
  const rows = await db
    .selectFrom('enrollment_documents')
    .select(['id', 'enrollment_id as enrollmentId', 'owner_line_user_id as ownerLineUserId', 'content_type as contentType', 'byte_size as byteSize', 'uploaded_at as uploadedAt'])
    .where('enrollment_id', 'in', enrollmentIds)
    .orderBy('uploaded_at')
    .execute();
  for (const row of rows) byEnrollment.set(row.enrollmentId!, [...(byEnrollment.get(row.enrollmentId!) ?? []), row]);
  return byEnrollment;
}

export async function findDocument(db: Kysely<Database>, id: string): Promise<(DocumentMeta & { content: Buffer }) | undefined> {
  return db
    .selectFrom('enrollment_documents')
    .select(['id', 'enrollment_id as enrollmentId', 'owner_line_user_id as ownerLineUserId', 'content_type as contentType', 'byte_size as byteSize', 'uploaded_at as uploadedAt', 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The next documents by id after `afterId`, with their sealed bytes (for re-encryption under a new key). */
export async function sealedDocumentsAfter(db: Kysely<Database>, afterId: string | null, limit: number): Promise<Array<{ id: string; content: Buffer }>> {
  let query = db.selectFrom('enrollment_documents').select(['id', 'content']).orderBy('id').limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.execute();
}

/** Documents not sealed under the key whose sealed bytes start with `prefix`. */
export async function countDocumentsNotSealedWith(db: Kysely<Database>, prefix: Buffer): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM enrollment_documents WHERE substring(content from 1 for ${prefix.length}) <> ${prefix}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export async function updateSealedDocument(trx: Transaction<Database>, id: string, content: Buffer): Promise<void> {
  await trx.updateTable('enrollment_documents').set({ content }).where('id', '=', id).execute();
}
