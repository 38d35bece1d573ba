// LINE users we have seen (follow state) and which borrower or officer each is linked to.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { coalescedRead } from '../batched-reads.ts';

export type LinkedIdentity =
  | { kind: 'borrower'; borrowerId: number }
  | { kind: 'officer'; officerId: number }
  | { kind: 'guest' };

export async function recordFollowState(db: Kysely<Database>, lineUserId: string, following: boolean, at: Date): Promise<void> {
  await db
    .insertInto('line_users')
    .values({ line_user_id: lineUserId, following, follow_changed_at: at, created_at: at })
    .onConflict((oc) => oc.column('line_user_id').doUpdateSet({ following, follow_changed_at: at }))
    .execute();
}

/** Makes sure a row exists (a user can message us before we ever saw a follow event). */
export async function ensureLineUser(db: Kysely<Database>, lineUserId: string, at: Date): Promise<void> {
  await db
    .insertInto('line_users')
    .values({ line_user_id: lineUserId, following: true, follow_changed_at: at, created_at: at })
    .onConflict((oc) => oc.column('line_user_id').doNothing())
    .execute();
}

const lineLinkOf = coalescedRead(async (db: Kysely<Database>, lineUserIds: readonly string[]) => {
  const rows = await db.selectFrom('line_links').select(['line_user_id', 'borrower_id', 'officer_id']).where('line_user_id', 'in', [...new Set(lineUserIds)]).execute();
  return new Map(rows.map((row) => [row.line_user_id, row]));
});

/** Who a LINE user is to us (calls at the same moment are one query: see batched-reads.ts). */
export async function findIdentity(db: Kysely<Database>, lineUserId: string): Promise<LinkedIdentity> {
  const link = await lineLinkOf(db, lineUserId);
  if (link?.borrower_id != null) return { kind: 'borrower', borrowerId: link.borrower_id };
  if (link?.officer_id != null) return { kind: 'officer', officerId: link.officer_id };
  return { kind: 'guest' };
}

/** Links a LINE user to one person, replacing whatever either side was linked to before. */
export async function replaceLink(
  db: Kysely<Database>,
  lineUserId: string,
  target: { borrowerId: number } | { officerId: number },
  at: Date,
): Promise<{ replacedLineUserId: string | undefined }> {
  const targetColumn = 'borrowerId' in target ? 'borrower_id' : 'officer_id';
  const targetId = 'borrowerId' in target ? target.borrowerId : target.officerId;
  const previous = await db
    .deleteFrom('line_links')
    .where(targetColumn, '=', targetId)
    .where('line_user_id', '!=', lineUserId)
    .returning('line_user_id')
    .executeTakeFirst();
  await db.deleteFrom('line_links').where('line_user_id', '=', lineUserId).execute();
  await db
    .insertInto('line_links')
    .values({
      line_user_id: lineUserId,
      borrower_id: 'borrowerId' in target ? target.borrowerId : null,
      officer_id: 'officerId' in target ? target.officerId : null,
      linked_at: at,
    })
    .execute();
  return { replacedLineUserId: previous?.line_user_id };
}

export async function isLinked(db: Kysely<Database>, lineUserId: string): Promise<boolean> {
  const row = await db.selectFrom('line_links').select('line_user_id').where('line_user_id', '=', lineUserId).executeTakeFirst();
  return row !== undefined;
}

/** Removes a LINE account's link (the person unlinks herself); what it was linked to, if anything. */
export async function removeLink(trx: Transaction<Database>, lineUserId: string): Promise<{ borrowerId: number | null; officerId: number | null } | undefined> {
  return trx.deleteFrom('line_links').where('line_user_id', '=', lineUserId).returning(['borrower_id as borrowerId', 'officer_id as officerId']).executeTakeFirst();
}

export async function linkOf(db: Kysely<Database>, lineUserId: string): Promise<{ linkedAt: Date; borrowerId: number | null; officerId: number | null } | undefined> {
  return db.selectFrom('line_links').select(['linked_at as linkedAt', 'borrower_id as borrowerId', 'officer_id as officerId']).where('line_user_id', '=', lineUserId).executeTakeFirst();
}
