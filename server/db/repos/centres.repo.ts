// Model-centre selection (migration 0013): rubric versions, centres per tambon, rounds, assessment versions, their
// evidence files and the province's verification scores. Every list is limited to an area path in SQL.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { withinScope } from './areas.repo.ts';

type Db = Kysely<Database>;

/** An assessment's scores as stored, by indicator code. */
export type StoredScores = Record<string, { level: number; evidence?: number[]; note?: string | null }>;

// --- rubric versions -------------------------------------------------------------------------------------------

export interface RubricVersionRow {
  id: string;
  basedOn: string | null;
  complete: boolean;
  createdAt: Date;
  createdBy: number | null;
  /** Rounds opened with it (a version in use is never changed: a new year's rubric is a new version). */
  rounds: number;
}

export async function listRubricVersions(db: Db): Promise<RubricVersionRow[]> {
  const rows = await db
    .selectFrom('centre_rubric_versions as v')
    .select((eb) => [
      'v.id',
      'v.based_on as basedOn',
      'v.complete',
      'v.created_at as createdAt',
      'v.created_by as createdBy',
      eb.selectFrom('centre_rounds as r').select(eb.fn.countAll<string>().as('n')).whereRef('r.rubric_id', '=', 'v.id').as('rounds'),
    ])
    // v1, v2, …, v10: by the length of the id, then the id.
    .orderBy(sql`length(v.id)`)
    .orderBy('v.id')
    .execute();
  return rows.map((row) => ({ ...row, rounds: Number(row.rounds ?? 0) }));
}

export async function findRubricBody(db: Db, id: string): Promise<{ id: string; body: unknown; complete: boolean } | undefined> {
  return db.selectFrom('centre_rubric_versions').select(['id', 'body', 'complete']).where('id', '=', id).executeTakeFirst();
}

export async function rubricIdExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('centre_rubric_versions').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** False when the id is taken (another officer saved a version at the same moment). */
export async function insertRubricVersion(db: Db, row: { id: string; basedOn: string | null; body: unknown; complete: boolean; createdBy: number; at: Date }): Promise<boolean> {
  const inserted = await db
    .insertInto('centre_rubric_versions')
    .values({ id: row.id, based_on: row.basedOn, body: JSON.stringify(row.body), complete: row.complete, created_by: row.createdBy, created_at: row.at })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

// --- centres ----------------------------------------------------------------------------------------------------

export interface CentreRow {
  id: number;
  subdistrictId: number;
  areaPath: string;
  name: string;
  village: string | null;
  contactName: string | null;
  contactPhone: string | null;
  memberGroups: string[];
}

function centresQuery(db: Db) {
  return db
    .selectFrom('centres as c')
    .innerJoin('areas as a', 'a.id', 'c.subdistrict_id')
    .select([
      'c.id',
      'c.subdistrict_id as subdistrictId',
      'a.path as areaPath',
      'c.name',
      'c.village',
      'c.contact_name as contactName',
      'c.contact_phone as contactPhone',
      'c.member_groups as memberGroups',
    ]);
}

export async function listCentresInScope(db: Db, scopePath: string | null): Promise<CentreRow[]> {
  return centresQuery(db).where(withinScope(sql.ref('a.path'), scopePath)).orderBy('a.path').orderBy('c.name').limit(5000).execute();
}

export async function findCentre(db: Db, id: number): Promise<CentreRow | undefined> {
  return centresQuery(db).where('c.id', '=', id).executeTakeFirst();
}

export async function insertCentre(
  db: Db,
  row: { subdistrictId: number; name: string; village: string | null; contactName: string | null; contactPhone: string | null; memberGroups: string[]; officerId: number; at: Date },
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('centres')
    .values({
      subdistrict_id: row.subdistrictId,
      name: row.name,
      village: row.village,
      contact_name: row.contactName,
      contact_phone: row.contactPhone,
      member_groups: JSON.stringify(row.memberGroups),
      registered_by: row.officerId,
      registered_at: row.at,
    })
    .onConflict((oc) => oc.columns(['subdistrict_id', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

// --- rounds -----------------------------------------------------------------------------------------------------

export interface RoundRow {
  id: number;
  provinceId: number;
  provincePath: string;
  fiscalYearBE: number;
  rubricId: string;
  deadlineOn: string;
  closesAt: Date;
  openedAt: Date;
  closedAt: Date | null;
}

function roundsQuery(db: Db) {
  return db
    .selectFrom('centre_rounds as r')
    .innerJoin('areas as p', 'p.id', 'r.province_id')
    .select([
      'r.id',
      'r.province_id as provinceId',
      'p.path as provincePath',
      'r.fiscal_year_be as fiscalYearBE',
      'r.rubric_id as rubricId',
      'r.deadline_on as deadlineOn',
      'r.closes_at as closesAt',
      'r.opened_at as openedAt',
      'r.closed_at as closedAt',
    ]);
}

/** Rounds of the caller's province: its own, for a district or tambon inside it; all, nationally. */
export async function listRoundsForScope(db: Db, scopePath: string | null): Promise<RoundRow[]> {
  const province = scopePath === null ? null : scopePath.split('/')[0]!;
  let query = roundsQuery(db);
  if (province !== null) query = query.where('p.path', '=', province);
  return query.orderBy('r.fiscal_year_be', 'desc').orderBy('r.id', 'desc').limit(200).execute();
}

export async function findRound(db: Db, id: number): Promise<RoundRow | undefined> {
  return roundsQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export async function insertRound(
  db: Db,
  row: { provinceId: number; fiscalYearBE: number; rubricId: string; deadlineOn: string; closesAt: Date; officerId: number; at: Date },
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('centre_rounds')
    .values({
      province_id: row.provinceId,
      fiscal_year_be: row.fiscalYearBE,
      rubric_id: row.rubricId,
      deadline_on: row.deadlineOn,
      closes_at: row.closesAt,
      opened_by: row.officerId,
      opened_at: row.at,
    })
    .onConflict((oc) => oc.columns(['province_id', 'fiscal_year_be']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** Rounds still open at `at` (their deadline not passed), with their province. */
export async function openRoundsAt(db: Db, at: Date): Promise<RoundRow[]> {
  return roundsQuery(db).where('r.closes_at', '>', at).where('r.closed_at', 'is', null).orderBy('r.id').execute();
}

/** Marks the rounds whose deadline has passed as closed; returns those this call closed. */
export async function closeRoundsDue(db: Db, at: Date): Promise<number[]> {
  const rows = await db.updateTable('centre_rounds').set({ closed_at: at }).where('closed_at', 'is', null).where('closes_at', '<=', at).returning('id').execute();
  return rows.map((row) => row.id);
}

// --- assessments ------------------------------------------------------------------------------------------------

export interface AssessmentRow {
  id: number;
  roundId: number;
  centreId: number;
  version: number;
  status: 'draft' | 'submitted';
  scores: StoredScores;
  videoUrl: string | null;
  reason: string | null;
  total: number | null;
  createdBy: number;
  createdAt: Date;
  updatedBy: number;
  updatedAt: Date;
  submittedBy: number | null;
  submittedAt: Date | null;
}

function assessmentsQuery(db: Db) {
  return db
    .selectFrom('centre_assessments as s')
    .select([
      's.id',
      's.round_id as roundId',
      's.centre_id as centreId',
      's.version',
      's.status',
      's.scores',
      's.video_url as videoUrl',
      's.reason',
      's.total',
      's.created_by as createdBy',
      's.created_at as createdAt',
      's.updated_by as updatedBy',
      's.updated_at as updatedAt',
      's.submitted_by as submittedBy',
      's.submitted_at as submittedAt',
    ]);
}

/** Every version of one centre's assessment in a round, oldest first. */
export async function assessmentVersions(db: Db, roundId: number, centreId: number): Promise<AssessmentRow[]> {
  return (await assessmentsQuery(db).where('s.round_id', '=', roundId).where('s.centre_id', '=', centreId).orderBy('s.version').execute()) as AssessmentRow[];
}

/** The latest version per centre of a round, for the centres given. */
export async function latestAssessmentsOf(db: Db, roundId: number, centreIds: readonly number[]): Promise<AssessmentRow[]> {
  if (centreIds.length === 0) return [];
  return (await assessmentsQuery(db)
    .where('s.round_id', '=', roundId)
    .where('s.centre_id', 'in', centreIds)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('centre_assessments as n').select('n.id').whereRef('n.round_id', '=', 's.round_id').whereRef('n.centre_id', '=', 's.centre_id').whereRef('n.version', '>', 's.version'))),
    )
    .execute()) as AssessmentRow[];
}

/** The latest submitted version per centre of a round, inside an area. */
export async function latestSubmittedInScope(db: Db, roundId: number, scopePath: string | null): Promise<AssessmentRow[]> {
  return (await assessmentsQuery(db)
    .innerJoin('centres as c', 'c.id', 's.centre_id')
    .innerJoin('areas as a', 'a.id', 'c.subdistrict_id')
    .where('s.round_id', '=', roundId)
    .where('s.status', '=', 'submitted')
    .where(withinScope(sql.ref('a.path'), scopePath))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('centre_assessments as n')
            .select('n.id')
            .whereRef('n.round_id', '=', 's.round_id')
            .whereRef('n.centre_id', '=', 's.centre_id')
            .where('n.status', '=', 'submitted')
            .whereRef('n.version', '>', 's.version'),
        ),
      ),
    )
    .execute()) as AssessmentRow[];
}

export async function insertAssessment(
  db: Db,
  row: { roundId: number; centreId: number; version: number; scores: unknown; videoUrl: string | null; reason: string | null; officerId: number; at: Date },
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('centre_assessments')
    .values({
      round_id: row.roundId,
      centre_id: row.centreId,
      version: row.version,
      status: 'draft',
      scores: JSON.stringify(row.scores),
      video_url: row.videoUrl,
      reason: row.reason,
      created_by: row.officerId,
      created_at: row.at,
      updated_by: row.officerId,
      updated_at: row.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** Saves a draft; false when it is no longer a draft (submitted meanwhile) or another save came first. */
export async function updateDraft(db: Db, id: number, expectedUpdatedAt: Date | undefined, row: { scores: unknown; videoUrl: string | null; officerId: number; at: Date }): Promise<boolean> {
  let query = db
    .updateTable('centre_assessments')
    .set({ scores: JSON.stringify(row.scores), video_url: row.videoUrl, updated_by: row.officerId, updated_at: row.at })
    .where('id', '=', id)
    .where('status', '=', 'draft');
  if (expectedUpdatedAt) query = query.where('updated_at', '=', expectedUpdatedAt);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function submitDraft(db: Db, id: number, row: { total: number; officerId: number; at: Date }): Promise<boolean> {
  const result = await db
    .updateTable('centre_assessments')
    .set({ status: 'submitted', total: row.total, submitted_by: row.officerId, submitted_at: row.at, updated_by: row.officerId, updated_at: row.at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- evidence files ---------------------------------------------------------------------------------------------

export interface EvidenceFileMeta {
  id: string;
  assessmentId: number;
  indicatorCode: string;
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  byteSize: number;
  uploadedAt: Date;
}

export async function insertEvidenceFile(
  db: Db,
  row: { assessmentId: number; indicatorCode: string; officerId: number; contentType: EvidenceFileMeta['contentType']; byteSize: number; sha256: string; content: Buffer; at: Date },
): Promise<string> {
  const inserted = await db
    .insertInto('centre_evidence_files')
    .values({
      assessment_id: row.assessmentId,
      indicator_code: row.indicatorCode,
      officer_id: row.officerId,
      content_type: row.contentType,
      byte_size: row.byteSize,
      sha256: row.sha256,
      content: row.content,
      uploaded_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function evidenceFilesOf(db: Db, assessmentIds: readonly number[]): Promise<EvidenceFileMeta[]> {
  if (assessmentIds.length === 0) return [];
  return db
    .selectFrom('centre_evidence_files')
    .select(['id', 'assessment_id as assessmentId', 'indicator_code as indicatorCode', 'content_type as contentType', 'byte_size as byteSize', 'uploaded_at as uploadedAt'])
    .where('assessment_id', 'in', assessmentIds)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
}

export async function countFilesOfAssessment(db: Db, assessmentId: number): Promise<number> {
  const row = await db.selectFrom('centre_evidence_files').select((eb) => eb.fn.countAll<string>().as('n')).where('assessment_id', '=', assessmentId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findEvidenceFile(db: Db, id: string): Promise<(EvidenceFileMeta & { content: Buffer; roundId: number; centreId: number }) | undefined> {
  return db
    .selectFrom('centre_evidence_files as f')
    .innerJoin('centre_assessments as s', 's.id', 'f.assessment_id')
    .select([
      'f.id',
      'f.assessment_id as assessmentId',
      'f.indicator_code as indicatorCode',
      'f.content_type as contentType',
      'f.byte_size as byteSize',
      'f.uploaded_at as uploadedAt',
      'f.content',
      's.round_id as roundId',
      's.centre_id as centreId',
    ])
    .where('f.id', '=', id)
    .executeTakeFirst();
}

/** A correction starts with the files of the version it corrects. */
export async function copyEvidenceFiles(db: Db, fromAssessmentId: number, toAssessmentId: number): Promise<void> {
  await sql`
    INSERT INTO centre_evidence_files (assessment_id, indicator_code, officer_id, content_type, byte_size, sha256, content, uploaded_at)
    SELECT ${toAssessmentId}, indicator_code, officer_id, content_type, byte_size, sha256, content, uploaded_at
    FROM centre_evidence_files WHERE assessment_id = ${fromAssessmentId}`.execute(db);
}

// --- verification -----------------------------------------------------------------------------------------------

export async function upsertVerification(db: Db, row: { roundId: number; centreId: number; points: number; note: string | null; officerId: number; at: Date }): Promise<void> {
  await db
    .insertInto('centre_verifications')
    .values({ round_id: row.roundId, centre_id: row.centreId, points: row.points, note: row.note, officer_id: row.officerId, recorded_at: row.at })
    .onConflict((oc) => oc.columns(['round_id', 'centre_id']).doUpdateSet({ points: row.points, note: row.note, officer_id: row.officerId, recorded_at: row.at }))
    .execute();
}

export async function verificationsOf(db: Db, roundId: number): Promise<Map<number, { points: number; note: string | null; recordedAt: Date }>> {
  const rows = await db
    .selectFrom('centre_verifications')
    .select(['centre_id as centreId', 'points', 'note', 'recorded_at as recordedAt'])
    .where('round_id', '=', roundId)
    .execute();
  return new Map(rows.map((row) => [row.centreId, { points: row.points, note: row.note, recordedAt: row.recordedAt }]));
}

// --- key rotation: evidence files are sealed like application documents ------------------------------------------

export async function sealedEvidenceFilesAfter(db: Db, afterId: string | null, limit: number): Promise<Array<{ id: string; content: Buffer }>> {
  let query = db.selectFrom('centre_evidence_files').select(['id', 'content']).orderBy('id').limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.execute();
}

/** Evidence files not sealed under the key whose sealed bytes start with `prefix`. */
export async function countEvidenceFilesNotSealedWith(db: Db, prefix: Buffer): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM centre_evidence_files WHERE substring(content from 1 for ${prefix.length}) <> ${prefix}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export async function updateSealedEvidenceFile(trx: Transaction<Database>, id: string, content: Buffer): Promise<void> {
  await trx.updateTable('centre_evidence_files').set({ content }).where('id', '=', id).execute();
}
