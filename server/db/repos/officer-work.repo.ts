// The officer's queue for the week (follow-ups due, promises not kept), applications waiting at their level,
// mentors and their debtors, and batches of link-code slips.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, ReviewLevelColumn } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { withinScope } from './areas.repo.ts';
import { visibleTo, type Viewer } from './debtor-scope.repo.ts';
import { nameMatches } from '../name-search.ts';

/**
 * "Mine" for the work queue: a tambon officer and a mentor answer for everyone they see; officers above them for the
 * debtors they follow themselves (`setBy` set the next action, or they are the debtor's mentor).
 */
function mine(viewer: Viewer, borrowerId: RawBuilder<unknown>, setBy: RawBuilder<unknown>): RawBuilder<unknown> {
  if (viewer.role === 'tambon' || viewer.role === 'mentor') return sql`true`;
  return sql`(${setBy} = ${viewer.officerId}
              OR EXISTS (SELECT 1 FROM debtor_mentors dm2 WHERE dm2.borrower_id = ${borrowerId} AND dm2.mentor_id = ${viewer.officerId}))`;
}

export interface DueFollowUp {
  borrowerId: number;
  nextActionOn: LocalDate;
  kind: string;
}

/** Debtors whose latest follow-up set a next action on or before `until` (overdue ones included). */
export async function followUpsDueBy(db: Kysely<Database>, viewer: Viewer, until: LocalDate, limit: number): Promise<DueFollowUp[]> {
  const { rows } = await sql<DueFollowUp>`
    SELECT p.borrower_id AS "borrowerId", p.next_action_on AS "nextActionOn", p.last_contact_kind AS kind
    FROM debtor_positions p JOIN areas a ON a.id = p.area_id
    WHERE p.next_action_on <= ${until}::date
      AND ${visibleTo(viewer, sql.ref('p.borrower_id'), sql.ref('a.path'))}
      AND ${mine(viewer, sql`p.borrower_id`, sql`p.next_action_by`)}
    ORDER BY p.next_action_on, p.borrower_id
    LIMIT ${limit}`.execute(db);
  return rows;
}

export interface UnkeptPromise {
  borrowerId: number;
  promiseId: number;
  promisedOn: LocalDate;
  amount: number;
  paid: number;
  status: 'open' | 'partly_kept' | 'broken';
}

/**
 * Promises not kept that nobody has followed up since: judged broken or partly kept since `judgedSince`, or still
 * open past their last counting day (the hourly judgement has not reached them yet).
 */
export async function unkeptPromises(
  db: Kysely<Database>,
  viewer: Viewer,
  options: { judgedSince: Date; today: LocalDate; graceDays: number; limit: number },
): Promise<UnkeptPromise[]> {
  const { rows } = await sql<UnkeptPromise>`
    SELECT p.borrower_id AS "borrowerId", p.id AS "promiseId", p.promised_on AS "promisedOn", p.amount_satang AS amount,
           p.paid_satang AS paid, p.status
    FROM payment_promises p
    JOIN follow_ups pf ON pf.id = p.follow_up_id
    JOIN borrowers b ON b.id = p.borrower_id JOIN areas a ON a.id = b.area_id
    WHERE ${visibleTo(viewer, sql.ref('b.id'), sql.ref('a.path'))}
      AND ((p.status IN ('broken', 'partly_kept') AND p.judged_at >= ${options.judgedSince})
           OR (p.status = 'open' AND p.promised_on + ${options.graceDays}::int < ${options.today}::date))
      AND ${mine(viewer, sql`p.borrower_id`, sql`pf.officer_id`)}
      AND NOT EXISTS (SELECT 1 FROM follow_ups later WHERE later.borrower_id = p.borrower_id AND later.id > p.follow_up_id
                      AND later.contacted_on > p.promised_on)
    ORDER BY p.promised_on, p.id
    LIMIT ${options.limit}`.execute(db);
  return rows;
}

/** Broken or partly kept promises judged in a period, in an area (the weekly digest counts them). */
export async function countUnkeptPromisesJudged(db: Kysely<Database>, scopePath: string | null, since: Date, until: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM payment_promises p JOIN borrowers b ON b.id = p.borrower_id JOIN areas a ON a.id = b.area_id
    WHERE p.status IN ('broken', 'partly_kept') AND p.judged_at >= ${since} AND p.judged_at < ${until}
      AND ${withinScope(sql.ref('a.path'), scopePath)}`.execute(db);
  return rows[0]?.n ?? 0;
}

export interface WaitingApplicationRow {
  id: number;
  borrowerId: number;
  fullName: string;
  areaPath: string;
  contractNo: string;
  measureTitle: string;
  status: string;
  awaitingLevel: ReviewLevelColumn;
  submittedAt: Date;
  deadlineAt: Date;
}

/** Applications waiting at any of these review levels inside an area, nearest deadline first. */
export async function applicationsAwaiting(db: Kysely<Database>, levels: readonly ReviewLevelColumn[], scopePath: string | null, limit: number): Promise<WaitingApplicationRow[]> {
  if (levels.length === 0) return [];
  const rows = await db
    .selectFrom('enrollments as e')
    .innerJoin('borrowers as b', 'b.id', 'e.borrower_id')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .innerJoin('loans as l', 'l.id', 'e.loan_id')
    .innerJoin('relief_measures as m', 'm.code', 'e.measure_code')
    .select([
      'e.id',
      'e.borrower_id as borrowerId',
      'b.full_name as fullName',
      'a.path as areaPath',
      'l.contract_no as contractNo',
      'm.title as measureTitle',
      'e.status',
      'e.awaiting_level as awaitingLevel',
      'e.submitted_at as submittedAt',
      'e.deadline_at as deadlineAt',
    ])
    .where('e.awaiting_level', 'in', levels)
    .where(withinScope(sql.ref('a.path'), scopePath))
    .orderBy('e.deadline_at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, awaitingLevel: row.awaitingLevel!, deadlineAt: row.deadlineAt! }));
}

// ---------- mentors ----------

export interface MentorRow {
  id: number;
  fullName: string;
  areaId: number | null;
  areaPath: string;
}

/** Active mentors whose tambon lies in the area. */
export async function mentorsInScope(db: Kysely<Database>, scopePath: string | null): Promise<MentorRow[]> {
  return db
    .selectFrom('officers as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.id', 'o.full_name as fullName', 'o.area_id as areaId', 'a.path as areaPath'])
    .where('o.role', '=', 'mentor')
    .where('o.active', '=', true)
    .where(withinScope(sql.ref('a.path'), scopePath))
    .orderBy('a.path')
    .orderBy('o.full_name')
    .limit(2000)
    .execute();
}

export async function mentorOfBorrower(db: Kysely<Database>, borrowerId: number): Promise<{ id: number; fullName: string } | undefined> {
  return db
    .selectFrom('debtor_mentors as dm')
    .innerJoin('officers as o', 'o.id', 'dm.mentor_id')
    .select(['o.id', 'o.full_name as fullName'])
    .where('dm.borrower_id', '=', borrowerId)
    .executeTakeFirst();
}

export async function assignMentor(trx: Transaction<Database>, borrowerId: number, mentorId: number | null, by: number, at: Date): Promise<number | null> {
  const previous = await trx.deleteFrom('debtor_mentors').where('borrower_id', '=', borrowerId).returning('mentor_id').executeTakeFirst();
  if (mentorId !== null) {
    await trx.insertInto('debtor_mentors').values({ borrower_id: borrowerId, mentor_id: mentorId, assigned_by: by, assigned_at: at }).execute();
  }
  return previous?.mentor_id ?? null;
}

// ---------- link-code slips ----------

export async function insertLinkCodeBatch(
  db: Kysely<Database>,
  batch: { officerId: number; areaId: number; tokenHash: string; at: Date; expiresAt: Date },
): Promise<number> {
  const row = await db
    .insertInto('link_code_batches')
    .values({ officer_id: batch.officerId, area_id: batch.areaId, token_hash: batch.tokenHash, created_at: batch.at, expires_at: batch.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Takes the batch for its one download: undefined when the token is unknown, expired or used. */
export async function takeLinkCodeBatch(
  trx: Transaction<Database>,
  id: number,
  tokenHash: string,
  at: Date,
): Promise<{ id: number; officerId: number; areaId: number; areaPath: string } | undefined> {
  const row = await trx
    .updateTable('link_code_batches as lb')
    .set({ downloaded_at: at })
    .from('areas as a')
    .whereRef('a.id', '=', 'lb.area_id')
    .where('lb.id', '=', id)
    .where('lb.token_hash', '=', tokenHash)
    .where('lb.downloaded_at', 'is', null)
    .where('lb.expires_at', '>', at)
    .returning(['lb.id', 'lb.officer_id as officerId', 'lb.area_id as areaId', 'a.path as areaPath'])
    .executeTakeFirst();
  return row;
}

export async function setLinkCodeBatchSlipCount(trx: Transaction<Database>, id: number, slipCount: number): Promise<void> {
  await trx.updateTable('link_code_batches').set({ slip_count: slipCount }).where('id', '=', id).execute();
}

export interface UnlinkedBorrowerRow {
  borrowerId: number;
  fullName: string;
  contractNo: string;
}

/** Borrowers of a subdistrict with no LINE account linked, by name, with their first contract. */
export async function unlinkedBorrowersOfArea(db: Kysely<Database>, areaId: number): Promise<UnlinkedBorrowerRow[]> {
  const { rows } = await sql<UnlinkedBorrowerRow>`
    SELECT b.id AS "borrowerId", b.full_name AS "fullName",
           (SELECT min(l.contract_no) FROM loans l WHERE l.borrower_id = b.id) AS "contractNo"
    FROM borrowers b
    WHERE b.area_id = ${areaId}
      AND NOT EXISTS (SELECT 1 FROM line_links k WHERE k.borrower_id = b.id)
      AND EXISTS (SELECT 1 FROM loans l WHERE l.borrower_id = b.id)
    ORDER BY b.full_name, b.id`.execute(db);
  return rows;
}

/** Borrowers visible to the viewer whose name contains the text or whose contract number is it (chat "ขอรหัส"). */
export async function findBorrowersForCode(
  db: Kysely<Database>,
  viewer: Viewer,
  query: string,
  limit: number,
): Promise<Array<{ borrowerId: number; fullName: string; areaPath: string; contractNo: string | null; linked: boolean }>> {
  const { rows } = await sql<{ borrowerId: number; fullName: string; areaPath: string; contractNo: string | null; linked: boolean }>`
    SELECT b.id AS "borrowerId", b.full_name AS "fullName", a.path AS "areaPath",
           (SELECT min(l.contract_no) FROM loans l WHERE l.borrower_id = b.id) AS "contractNo",
           EXISTS (SELECT 1 FROM line_links k WHERE k.borrower_id = b.id) AS linked
    FROM borrowers b JOIN areas a ON a.id = b.area_id
    WHERE ${visibleTo(viewer, sql.ref('b.id'), sql.ref('a.path'))}
      AND (${nameMatches(sql.ref('b.full_name'), query)}
           OR EXISTS (SELECT 1 FROM loans l WHERE l.borrower_id = b.id AND upper(l.contract_no) = upper(${query})))
    -- Those still to link first: they are whom a code is usually for.
    ORDER BY EXISTS (SELECT 1 FROM line_links k WHERE k.borrower_id = b.id), b.full_name, b.id
    LIMIT ${limit}`.execute(db);
  return rows;
}

/** When the borrower's LINE account was linked, or undefined when it is not. */
export async function borrowerLinkedAt(db: Kysely<Database>, borrowerId: number): Promise<Date | undefined> {
  const row = await db.selectFrom('line_links').select('linked_at').where('borrower_id', '=', borrowerId).executeTakeFirst();
  return row?.linked_at;
}
