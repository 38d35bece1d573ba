// The rich menus the app created in LINE (one per role and content hash), and which menu each LINE user was given.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export type MenuRole = 'unlinked' | 'borrower' | 'officer';

export async function findRichMenu(db: Kysely<Database>, role: MenuRole, contentHash: string): Promise<string | undefined> {
  const row = await db.selectFrom('line_rich_menus').select('rich_menu_id').where('role', '=', role).where('content_hash', '=', contentHash).executeTakeFirst();
  return row?.rich_menu_id;
}

export async function insertRichMenu(db: Kysely<Database>, role: MenuRole, contentHash: string, richMenuId: string, at: Date): Promise<void> {
  await db.insertInto('line_rich_menus').values({ role, content_hash: contentHash, rich_menu_id: richMenuId, created_at: at }).execute();
}

/** Menus of an older content that no user is linked to any more. */
export async function unusedOldRichMenus(db: Kysely<Database>, current: ReadonlySet<string>): Promise<string[]> {
  const rows = await db
    .selectFrom('line_rich_menus as m')
    .select('m.rich_menu_id')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('line_users as u').select('u.line_user_id').whereRef('u.rich_menu_id', '=', 'm.rich_menu_id'))))
    .execute();
  return rows.map((row) => row.rich_menu_id).filter((id) => !current.has(id));
}

export async function deleteRichMenuRow(db: Kysely<Database>, richMenuId: string): Promise<void> {
  await db.deleteFrom('line_rich_menus').where('rich_menu_id', '=', richMenuId).execute();
}

/** The role a LINE user's menu should have: borrower, officer, or unlinked. */
export async function menuRoleOf(db: Kysely<Database>, lineUserId: string): Promise<{ role: MenuRole; linkedMenuId: string | null } | undefined> {
  const row = await db
    .selectFrom('line_users as u')
    .leftJoin('line_links as k', 'k.line_user_id', 'u.line_user_id')
    .select(['u.rich_menu_id as linkedMenuId', 'k.borrower_id as borrowerId', 'k.officer_id as officerId'])
    .where('u.line_user_id', '=', lineUserId)
    .executeTakeFirst();
  if (!row) return undefined;
  const role: MenuRole = row.borrowerId !== null && row.borrowerId !== undefined ? 'borrower' : row.officerId !== null && row.officerId !== undefined ? 'officer' : 'unlinked';
  return { role, linkedMenuId: row.linkedMenuId };
}

export async function recordLinkedMenu(db: Kysely<Database>, lineUserIds: readonly string[], richMenuId: string): Promise<void> {
  if (lineUserIds.length === 0) return;
  await db.updateTable('line_users').set({ rich_menu_id: richMenuId }).where('line_user_id', 'in', lineUserIds).execute();
}

/**
 * Following users whose menu is not the one their role has now (a changed menu, a failed link), at most `limit`.
 * Unlinked users get LINE's default menu: they are stale only while a per-user menu is still linked to them.
 */
export async function usersWithStaleMenu(db: Kysely<Database>, wanted: { borrower: string; officer: string }, limit: number): Promise<Array<{ lineUserId: string; role: MenuRole }>> {
  const { rows } = await sql<{ lineUserId: string; role: MenuRole }>`
    SELECT u.line_user_id AS "lineUserId",
           CASE WHEN k.borrower_id IS NOT NULL THEN 'borrower' WHEN k.officer_id IS NOT NULL THEN 'officer' ELSE 'unlinked' END AS role
    FROM line_users u LEFT JOIN line_links k ON k.line_user_id = u.line_user_id
    WHERE u.following AND (
      (k.borrower_id IS NOT NULL AND u.rich_menu_id IS DISTINCT FROM ${wanted.borrower})
      OR (k.officer_id IS NOT NULL AND u.rich_menu_id IS DISTINCT FROM ${wanted.officer})
      OR (k.line_user_id IS NULL AND u.rich_menu_id IS NOT NULL))
    ORDER BY u.line_user_id
    LIMIT ${limit}`.execute(db);
  return rows;
}

export async function clearLinkedMenu(db: Kysely<Database>, lineUserIds: readonly string[]): Promise<void> {
  if (lineUserIds.length === 0) return;
  await db.updateTable('line_users').set({ rich_menu_id: null }).where('line_user_id', 'in', lineUserIds).execute();
}
