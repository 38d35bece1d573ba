// Officers of the fund: role and the area they answer for (none for department and admin).
import type { Kysely } from 'kysely';
import type { Database, OfficerRole } from '../schema.ts';

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

export async function findOfficerById(db: Kysely<Database>, id: number): Promise<OfficerProfile | undefined> {
  return profileQuery(db).where('o.id', '=', id).executeTakeFirst();
}

/** Officers responsible for an area or any area above it (a subdistrict's tambon officer, its district, its province). */
export async function officersAbove(db: Kysely<Database>, areaPath: string): Promise<OfficerProfile[]> {
  const parts = areaPath.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  // Mentors are not offices a borrower calls: they come to the borrower (and follow only those assigned to them).
  return profileQuery(db).where('a.path', 'in', prefixes).where('o.role', '!=', 'mentor').orderBy('a.path', 'desc').orderBy('o.id').execute();
}

export async function officersWithRoles(db: Kysely<Database>, roles: readonly OfficerRole[]): Promise<OfficerProfile[]> {
  return profileQuery(db).where('o.role', 'in', roles).orderBy('o.id').execute();
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
