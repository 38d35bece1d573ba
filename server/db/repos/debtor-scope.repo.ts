// Which debtors an officer may see, as SQL: their area (and everything below it), or — for a mentor — only the
// debtors assigned to them, inside their tambon. Every officer-workspace query filters with this.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, OfficerRole } from '../schema.ts';
import { withinScope } from './areas.repo.ts';
import type { BorrowerProfile } from './borrowers.repo.ts';

export interface Viewer {
  officerId: number;
  role: OfficerRole;
  /** The officer's area path; null for national roles. */
  scopePath: string | null;
}

export function isMentor(viewer: Viewer): boolean {
  return viewer.role === 'mentor';
}

/** True for a borrower (id, area path) this viewer may see. */
export function visibleTo(viewer: Viewer, borrowerId: Expression<number>, areaPath: Expression<string>): Expression<SqlBool> {
  const inArea = withinScope(areaPath, viewer.scopePath);
  if (!isMentor(viewer)) return inArea;
  return sql<SqlBool>`(${inArea} AND EXISTS (SELECT 1 FROM debtor_mentors dm WHERE dm.borrower_id = ${borrowerId} AND dm.mentor_id = ${viewer.officerId}))`;
}

/** The same facts as a borrower's profile, read only when the viewer may see her. */
export type VisibleBorrower = BorrowerProfile;

/**
 * The borrower if this viewer may see them. `exists` tells a borrower outside the viewer's area (403) from one
 * that does not exist at all (404), without revealing anything about them.
 */
export async function findBorrowerForViewer(
  db: Kysely<Database>,
  viewer: Viewer,
  borrowerId: number,
): Promise<{ borrower: VisibleBorrower | undefined; exists: boolean }> {
  const { rows } = await sql<VisibleBorrower & { visible: boolean }>`
    SELECT b.id, b.full_name AS "fullName", b.phone, b.national_id_masked AS "nationalIdMasked", b.area_id AS "areaId", a.path AS "areaPath",
           ${visibleTo(viewer, sql.ref('b.id'), sql.ref('a.path'))} AS visible
    FROM borrowers b JOIN areas a ON a.id = b.area_id
    WHERE b.id = ${borrowerId}`.execute(db);
  const row = rows[0];
  if (!row) return { borrower: undefined, exists: false };
  const { visible, ...borrower } = row;
  return { borrower: visible ? borrower : undefined, exists: true };
}

/** The loan with this contract number and whether the viewer may see its borrower. */
export async function findLoanForViewer(
  db: Kysely<Database>,
  viewer: Viewer,
  contractNo: string,
): Promise<{ loan: { id: number; borrowerId: number; contractNo: string } | undefined; exists: boolean }> {
  const { rows } = await sql<{ id: number; borrowerId: number; contractNo: string; visible: boolean }>`
    SELECT l.id, l.borrower_id AS "borrowerId", l.contract_no AS "contractNo",
           ${visibleTo(viewer, sql.ref('b.id'), sql.ref('a.path'))} AS visible
    FROM loans l JOIN borrowers b ON b.id = l.borrower_id JOIN areas a ON a.id = b.area_id
    WHERE l.contract_no = ${contractNo}`.execute(db);
  const row = rows[0];
  if (!row) return { loan: undefined, exists: false };
  return { loan: row.visible ? { id: row.id, borrowerId: row.borrowerId, contractNo: row.contractNo } : undefined, exists: true };
}

/** Subdistricts at or below the viewer's area, by name. */
export async function subdistrictsInScope(db: Kysely<Database>, scopePath: string | null): Promise<Array<{ id: number; name: string; path: string }>> {
  return db
    .selectFrom('areas as a')
    .select(['a.id', 'a.name', 'a.path'])
    .where('a.level', '=', 'subdistrict')
    .where(withinScope(sql.ref('a.path'), scopePath))
    .orderBy('a.path')
    .limit(2000)
    .execute();
}

export async function findSubdistrictInScope(db: Kysely<Database>, scopePath: string | null, areaId: number): Promise<{ id: number; name: string; path: string } | undefined> {
  return db
    .selectFrom('areas as a')
    .select(['a.id', 'a.name', 'a.path'])
    .where('a.id', '=', areaId)
    .where('a.level', '=', 'subdistrict')
    .where(withinScope(sql.ref('a.path'), scopePath))
    .executeTakeFirst();
}

/** Area ids of these paths (the area summary's rows). */
export async function areaIdsByPath(db: Kysely<Database>, paths: readonly string[]): Promise<Map<string, number>> {
  if (paths.length === 0) return new Map();
  const rows = await db.selectFrom('areas').select(['id', 'path']).where('path', 'in', paths).execute();
  return new Map(rows.map((row) => [row.path, row.id]));
}
