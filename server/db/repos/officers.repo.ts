// Officers of the fund: role and the area they answer for (none for department and admin).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OfficerRole } from '../schema.ts';
import { withinScope } from './areas.repo.ts';

export interface OfficerProfile {
  id: number;
  fullName: string;
  phone: string | null;
  role: OfficerRole;
  areaId: number | null;
  /** The officer's area path, or null for national roles (department, admin). */
  scopePath: string | null;
  areaName: string | null;
}

function profileQuery(db: Kysely<Database>) {
  return db
    .selectFrom('officers as o')
    .leftJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.id', 'o.full_name as fullName', 'o.phone', 'o.role', 'o.area_id as areaId', 'a.path as scopePath', 'a.name as areaName'])
    .where('o.active', '=', true);
}

export async function insertOfficer(
  db: Kysely<Database>,
  officer: { fullName: string; phone?: string; role: OfficerRole; areaId: number | null; at: Date },
): Promise<number> {
  const row = await db
    .insertInto('officers')
    .values({ full_name: officer.fullName, phone: officer.phone ?? null, role: officer.role, area_id: officer.areaId, created_at: officer.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The active officer of this name, role and area (null: national), if the CLI registered her before. */
export async function findOfficerByNameRoleArea(db: Kysely<Database>, officer: { fullName: string; role: OfficerRole; areaId: number | null }): Promise<number | undefined> {
  let query = db.selectFrom('officers').select('id').where('active', '=', true).where('full_name', '=', officer.fullName).where('role', '=', officer.role);
  query = officer.areaId === null ? query.where('area_id', 'is', null) : query.where('area_id', '=', officer.areaId);
  return (await query.orderBy('id').executeTakeFirst())?.id;
}

export async function findOfficerById(db: Kysely<Database>, id: number): Promise<OfficerProfile | undefined> {
  return profileQuery(db).where('o.id', '=', id).executeTakeFirst();
}

/**
 * Officers responsible for an area or any area above it (a subdistrict's tambon officer, its district, its
 * province). With `linkedOnly`, only those who linked a LINE account (the ones a card can reach).
 */
export async function officersAbove(db: Kysely<Database>, areaPath: string, options: { linkedOnly?: boolean } = {}): Promise<OfficerProfile[]> {
  const parts = areaPath.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  // Mentors are not offices a borrower calls: they come to the borrower (and follow only those assigned to them).
  let query = profileQuery(db).where('a.path', 'in', prefixes).where('o.role', '!=', 'mentor');
  if (options.linkedOnly) query = query.where((eb) => eb.exists(eb.selectFrom('line_links as k').select('k.officer_id').whereRef('k.officer_id', '=', 'o.id')));
  return query.orderBy('a.path', 'desc').orderBy('o.id').execute();
}

export async function officersWithRoles(db: Kysely<Database>, roles: readonly OfficerRole[], options: { linkedOnly?: boolean } = {}): Promise<OfficerProfile[]> {
  let query = profileQuery(db).where('o.role', 'in', roles);
  if (options.linkedOnly) query = query.where((eb) => eb.exists(eb.selectFrom('line_links as k').select('k.officer_id').whereRef('k.officer_id', '=', 'o.id')));
  return query.orderBy('o.id').execute();
}

/**
 * Districts and provinces with borrowers but no linked officer of their level: an application from there would
 * reach nobody at that level. At most `limit` of each, most borrowers first.
 */
export async function areasWithoutLinkedOfficer(db: Kysely<Database>, limit: number): Promise<Array<{ level: 'district' | 'province'; path: string; borrowers: number }>> {
  const rows = await sql<{ level: 'district' | 'province'; path: string; borrowers: number }>`
    WITH borrower_areas AS (
      SELECT split_part(a.path, '/', 1) AS province, split_part(a.path, '/', 1) || '/' || split_part(a.path, '/', 2) AS district
      FROM borrowers b JOIN areas a ON a.id = b.area_id
    ), covered AS (
      SELECT o.role, a.path FROM officers o JOIN areas a ON a.id = o.area_id
      WHERE o.active AND o.role IN ('district', 'province') AND EXISTS (SELECT 1 FROM line_links k WHERE k.officer_id = o.id)
    ), gaps AS (
      SELECT 'district' AS level, district AS path, count(*)::int AS borrowers FROM borrower_areas
      WHERE district NOT IN (SELECT path FROM covered WHERE role = 'district') GROUP BY district
      UNION ALL
      SELECT 'province' AS level, province AS path, count(*)::int AS borrowers FROM borrower_areas
      WHERE province NOT IN (SELECT path FROM covered WHERE role = 'province') GROUP BY province
    )
    SELECT level, path, borrowers FROM (
      SELECT *, row_number() OVER (PARTITION BY level ORDER BY borrowers DESC, path) AS n FROM gaps
    ) ranked WHERE n <= ${limit} ORDER BY level DESC, borrowers DESC, path`.execute(db);
  return rows.rows;
}

/** Active officers with these roles who are linked to a LINE account that still follows us. */
export async function linkedFollowingOfficers(db: Kysely<Database>, roles: readonly OfficerRole[]): Promise<OfficerProfile[]> {
  return db
    .selectFrom('officers as o')
    .innerJoin('line_links as k', 'k.officer_id', 'o.id')
    .innerJoin('line_users as u', 'u.line_user_id', 'k.line_user_id')
    .leftJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.id', 'o.full_name as fullName', 'o.phone', 'o.role', 'o.area_id as areaId', 'a.path as scopePath', 'a.name as areaName'])
    .where('o.active', '=', true)
    .where('u.following', '=', true)
    .where('o.role', 'in', roles)
    .orderBy('o.id')
    .execute();
}

export interface OfficerListRow {
  id: number;
  fullName: string;
  role: OfficerRole;
  areaPath: string | null;
  active: boolean;
  linkedAt: Date | null;
}

/** Officers inside an area (its own and those below) or all of them, active first, by area then rank; for the CLI. */
export async function listOfficers(db: Kysely<Database>, areaPath?: string): Promise<OfficerListRow[]> {
  return db
    .selectFrom('officers as o')
    .leftJoin('areas as a', 'a.id', 'o.area_id')
    .leftJoin('line_links as k', 'k.officer_id', 'o.id')
    .select(['o.id', 'o.full_name as fullName', 'o.role', 'a.path as areaPath', 'o.active', 'k.linked_at as linkedAt'])
    .$if(areaPath !== undefined, (qb) => qb.where(withinScope(sql.ref('a.path'), areaPath!)))
    .orderBy('o.active', 'desc')
    .orderBy(sql`a.path NULLS FIRST`)
    .orderBy(sql`array_position(ARRAY['admin', 'department', 'province', 'district', 'tambon', 'mentor'], o.role::text)`)
    .orderBy('o.full_name')
    .orderBy('o.id')
    .execute();
}

/** Locks an officer's row and says whether she is active (undefined: no such officer). */
export async function lockOfficer(trx: Transaction<Database>, officerId: number): Promise<{ fullName: string; role: OfficerRole; active: boolean } | undefined> {
  return trx.selectFrom('officers').select(['full_name as fullName', 'role', 'active']).where('id', '=', officerId).forUpdate().executeTakeFirst();
}

/**
 * An officer who left: no longer active, her LINE account unlinked, the debtors she mentored without a mentor. Returns
 * the LINE account, and how many debtors she mentored.
 */
export async function deactivateOfficerRecords(trx: Transaction<Database>, officerId: number): Promise<{ lineUserId: string | undefined; menteesReleased: number }> {
  await trx.updateTable('officers').set({ active: false }).where('id', '=', officerId).execute();
  const link = await trx.deleteFrom('line_links').where('officer_id', '=', officerId).returning('line_user_id').executeTakeFirst();
  const mentees = await trx.deleteFrom('debtor_mentors').where('mentor_id', '=', officerId).executeTakeFirst();
  return { lineUserId: link?.line_user_id, menteesReleased: Number(mentees.numDeletedRows) };
}
