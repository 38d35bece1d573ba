// Officers' decisions drafted in chat (a rejection's reason, the documents to ask for), waiting for the officer's
// next message or tap. In PostgreSQL, because that message may reach any replica. One draft per officer's LINE
// account: a new tap on a card replaces the previous draft. (Stored in enrollment_reason_requests, the table's
// name from when the only question was the reason.)
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { DecisionDraft } from '../../domain/decision-draft.ts';

export interface StoredDraft extends DecisionDraft {
  lineUserId: string;
  officerId: number;
  expiresAt: Date;
}

function toRow(d: StoredDraft, at: Date) {
  return {
    line_user_id: d.lineUserId,
    officer_id: d.officerId,
    enrollment_id: d.enrollmentId,
    version: d.version,
    requested_at: at,
    expires_at: d.expiresAt,
    decision: d.decision,
    stage: d.stage,
    draft_note: d.note,
    draft_documents: JSON.stringify(d.documents),
  };
}

export async function saveDraft(db: Kysely<Database>, draft: StoredDraft, at: Date): Promise<void> {
  const row = toRow(draft, at);
  await db
    .insertInto('enrollment_reason_requests')
    .values(row)
    .onConflict((oc) => oc.column('line_user_id').doUpdateSet({ ...row, line_user_id: undefined }))
    .execute();
}

const columns = [
  'line_user_id as lineUserId',
  'officer_id as officerId',
  'enrollment_id as enrollmentId',
  'version',
  'expires_at as expiresAt',
  'decision',
  'stage',
  'draft_note as note',
  'draft_documents as documents',
] as const;

/** The officer's draft, locked for the caller's transaction (two taps at once are taken one after the other). */
export async function lockDraft(trx: Transaction<Database>, lineUserId: string): Promise<StoredDraft | undefined> {
  return trx.selectFrom('enrollment_reason_requests').select(columns).where('line_user_id', '=', lineUserId).forUpdate().executeTakeFirst();
}

export async function deleteDraft(db: Kysely<Database>, lineUserId: string): Promise<void> {
  await db.deleteFrom('enrollment_reason_requests').where('line_user_id', '=', lineUserId).execute();
}

/** One primary-key lookup: is this officer in the middle of a decision? */
export async function findDraft(db: Kysely<Database>, lineUserId: string): Promise<StoredDraft | undefined> {
  return db.selectFrom('enrollment_reason_requests').select(columns).where('line_user_id', '=', lineUserId).executeTakeFirst();
}
