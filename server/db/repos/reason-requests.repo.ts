// Questions the bot is waiting for an officer to answer in chat (the reason after ไม่อนุมัติ), kept in PostgreSQL
// so that whichever replica receives the officer's next message can take the answer.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

export interface ReasonRequest {
  lineUserId: string;
  officerId: number;
  enrollmentId: number;
  version: number;
  expiresAt: Date;
}

/** One pending question per officer's LINE account: a new tap replaces the previous one. */
export async function upsertReasonRequest(db: Kysely<Database>, r: ReasonRequest & { at: Date }): Promise<void> {
  await db
    .insertInto('enrollment_reason_requests')
    .values({ line_user_id: r.lineUserId, officer_id: r.officerId, enrollment_id: r.enrollmentId, version: r.version, requested_at: r.at, expires_at: r.expiresAt })
    .onConflict((oc) =>
      oc.column('line_user_id').doUpdateSet({ officer_id: r.officerId, enrollment_id: r.enrollmentId, version: r.version, requested_at: r.at, expires_at: r.expiresAt }),
    )
    .execute();
}

/** Takes (deletes and returns) the pending question inside the caller's transaction. */
export async function takeReasonRequest(trx: Transaction<Database>, lineUserId: string): Promise<ReasonRequest | undefined> {
  return trx
    .deleteFrom('enrollment_reason_requests')
    .where('line_user_id', '=', lineUserId)
    .returning(['line_user_id as lineUserId', 'officer_id as officerId', 'enrollment_id as enrollmentId', 'version', 'expires_at as expiresAt'])
    .executeTakeFirst();
}

export async function hasReasonRequest(db: Kysely<Database>, lineUserId: string): Promise<boolean> {
  const row = await db.selectFrom('enrollment_reason_requests').select('line_user_id').where('line_user_id', '=', lineUserId).executeTakeFirst();
  return row !== undefined;
}
