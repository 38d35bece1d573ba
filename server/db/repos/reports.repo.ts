// The officers' reports, as of any day, scoped in SQL to an area path: per-loan ageing facts, collections, follow-up
// activity, relief-measure applications, the debtor list by colour (in pages, for streamed XLSX) and the bases of a
// budget allocation. Saved budget allocations live here too.
//
// "As of a day" for money: a schedule's paid amounts now, minus what reached it after that day — recorded payments
// and reversals by the day they were paid, registry paid-total changes by the Bangkok day of the import (less what
// those imports confirmed of recorded payments, which the schedule already carried). A loan's FIRST registry figure is
// its opening balance: when that money came in is unknown, so it is taken as paid before any day asked about.
// Payments fill installments oldest first (domain/loan-schedule.applyPaidTotal), so "paid as of the day" is the same
// waterfall over the schedule. Litigation and a restructured schedule are as they are now (no history of them is kept).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, FollowUpKindColumn, FollowUpStageColumn, EnrollmentStatusColumn } from '../schema.ts';
import { addDays, type LocalDate } from '../../domain/local-date.ts';
import { withinScope } from './areas.repo.ts';

/** The Bangkok calendar day of a timestamptz column (the time zone database is not needed: Thailand keeps UTC+7). */
function bangkokDay(column: RawBuilder<unknown>): RawBuilder<LocalDate> {
  return sql<LocalDate>`((${column} AT TIME ZONE 'UTC') + interval '7 hours')::date`;
}

/** The first `depth` parts of an area path ("ตราด/เมืองตราด/บางพระ", 2 → "ตราด/เมืองตราด"). */
function pathPrefix(column: RawBuilder<unknown>, depth: number): RawBuilder<string> {
  return sql<string>`array_to_string((string_to_array(${column}, '/'))[1:${sql.lit(depth)}], '/')`;
}

/**
 * Schedule-changing payment events of the loans in `loans` (a CTE with an `id` column) that count on a day in
 * [from, to] (either end open), by that day. The bounds are applied in each branch, so only the few events of the
 * window are checked for being a loan's first registry figure (its opening balance, never an event).
 */
function paymentEvents(loans: RawBuilder<unknown>, window: { from?: LocalDate; to?: LocalDate }): RawBuilder<unknown> {
  const inWindow = (day: RawBuilder<unknown>) =>
    sql.join([sql`true`, ...(window.from ? [sql`${day} >= ${window.from}::date`] : []), ...(window.to ? [sql`${day} <= ${window.to}::date`] : [])], sql` AND `);
  // The same window for a moment in time (Bangkok days, UTC+7), written so the indexes on these columns serve it.
  const atInWindow = (moment: RawBuilder<unknown>) =>
    sql.join(
      [
        sql`true`,
        ...(window.from ? [sql`${moment} >= ((${window.from}::date - interval '7 hours') AT TIME ZONE 'UTC')`] : []),
        ...(window.to ? [sql`${moment} < ((${window.to}::date + 1 - interval '7 hours') AT TIME ZONE 'UTC')`] : []),
      ],
      sql` AND `,
    );
  return sql`
    SELECT p.loan_id, p.amount_satang AS amount, p.paid_on AS on_date
    FROM payments p JOIN ${loans} s ON s.id = p.loan_id
    WHERE p.source IN ('officer', 'officer_reversal') AND ${inWindow(sql`p.paid_on`)}
    UNION ALL
    SELECT p.loan_id, p.amount_satang, ${bangkokDay(sql`p.recorded_at`)}
    FROM payments p JOIN ${loans} s ON s.id = p.loan_id
    WHERE p.source = 'registry_import' AND ${atInWindow(sql`p.recorded_at`)}
      AND EXISTS (SELECT 1 FROM payments p0 WHERE p0.loan_id = p.loan_id AND p0.source = 'registry_import' AND p0.id < p.id)
    UNION ALL
    SELECT p.loan_id, -c.amount_satang, ${bangkokDay(sql`c.confirmed_at`)}
    FROM payment_registry_confirmations c JOIN payments p ON p.id = c.payment_id JOIN ${loans} s ON s.id = p.loan_id
    WHERE ${atInWindow(sql`c.confirmed_at`)}`;
}

/**
 * Runs a report query with JIT off: a province's estimates are far above the truth, enough for PostgreSQL to spend a
 * second and more compiling a query that runs in a fraction of that (the same as My area, debtor-list.repo.ts).
 */
function withoutJit<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    return work(trx);
  });
}

export interface LoanAgeingRow {
  loanId: number;
  borrowerId: number;
  /** The child area of the scope the loan is reported under (its path). */
  groupPath: string;
  outstanding: number;
  overdue: number;
  oldestUnpaidDueOn: LocalDate | null;
  restructured: boolean;
  suspended: boolean;
  /** A relief measure of any kind is in force on the day. */
  inMeasure: boolean;
  litigation: boolean;
}

export interface LoanAgeingQuery {
  scopePath: string | null;
  asOf: LocalDate;
  /** How many parts of the area path name the group (the scope's depth + 1, at most 3). */
  groupDepth: number;
  /** Only these borrowers (a page of the debtor list). */
  borrowerIds?: readonly number[];
}

/**
 * Per loan as of the day: outstanding, overdue as the KPI counts it (domain/debtor-status.expectedUnderMeasure: under
 * a suspension nothing due up to its end is expected, under a principal pause only the interest), the oldest unpaid
 * due date. Loans with nothing outstanding on the day (paid off) are left out.
 */
export async function loanAgeingFacts(db: Kysely<Database>, query: LoanAgeingQuery): Promise<LoanAgeingRow[]> {
  const { asOf } = query;
  const borrowerFilter = query.borrowerIds ? sql`AND b.id = ANY(${[...query.borrowerIds]}::bigint[])` : sql``;
  const expected = sql`CASE
      WHEN s.effect_type = 'suspend' AND (s.ends_on IS NULL OR x.due_on <= s.ends_on) THEN 0
      WHEN s.effect_type = 'pause_principal' AND (s.ends_on IS NULL OR x.due_on <= s.ends_on) THEN GREATEST(x.interest - x.paid, 0)
      ELSE x.total - x.paid END`;
  return withoutJit(db, async (trx) => {
    const { rows } = await sql<LoanAgeingRow>`
      WITH scoped AS MATERIALIZED (
        SELECT l.id, l.borrower_id, l.litigation, l.schedule_source, ${pathPrefix(sql`a.path`, query.groupDepth)} AS group_path,
               m.effect_type, m.ends_on, m.loan_id IS NOT NULL AS in_measure
        FROM loans l
        JOIN borrowers b ON b.id = l.borrower_id
        JOIN areas a ON a.id = b.area_id
        LEFT JOIN LATERAL (
          SELECT lm.loan_id, rm.effect->>'type' AS effect_type, lm.ends_on FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
          WHERE lm.loan_id = l.id AND lm.starts_on <= ${asOf}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${asOf}::date)
          ORDER BY lm.starts_on DESC, lm.id DESC LIMIT 1
        ) m ON true
        WHERE ${withinScope(sql.ref('a.path'), query.scopePath)} ${borrowerFilter}
      ), later AS MATERIALIZED (
        SELECT e.loan_id, SUM(e.amount)::bigint AS amount FROM (${paymentEvents(sql`scoped`, { from: addDays(asOf, 1) })}) e
        GROUP BY e.loan_id HAVING SUM(e.amount) <> 0
      )
      SELECT s.id AS "loanId", s.borrower_id AS "borrowerId", s.group_path AS "groupPath", agg.outstanding, agg.overdue,
             agg.oldest AS "oldestUnpaidDueOn", s.schedule_source = 'restructured' AS restructured,
             COALESCE(s.effect_type = 'suspend', false) AS suspended, s.in_measure AS "inMeasure", s.litigation
      FROM scoped s
      LEFT JOIN later lt ON lt.loan_id = s.id
      CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(x.total - x.paid), 0)::bigint AS outstanding,
               COALESCE(SUM(${expected}) FILTER (WHERE x.due_on < ${asOf}::date), 0)::bigint AS overdue,
               MIN(x.due_on) FILTER (WHERE x.due_on < ${asOf}::date AND ${expected} > 0) AS oldest
        FROM (
          -- Nothing reached the loan after the day: its unpaid installments as they are (an index probe per loan).
          SELECT i.due_on, i.interest_satang AS interest, i.principal_satang + i.interest_satang AS total, i.paid_satang AS paid
          FROM installments i
          WHERE lt.loan_id IS NULL AND i.loan_id = s.id AND i.paid_satang < i.principal_satang + i.interest_satang
          UNION ALL
          -- Something did: the paid total as of the day, poured over the whole schedule oldest first.
          SELECT w.due_on, w.interest, w.total, LEAST(w.total, GREATEST(0, w.paid_now - lt.amount - w.before))
          FROM (
            SELECT i.due_on, i.interest_satang AS interest, i.principal_satang + i.interest_satang AS total,
                   SUM(i.principal_satang + i.interest_satang) OVER (ORDER BY i.seq) - (i.principal_satang + i.interest_satang) AS before,
                   SUM(i.paid_satang) OVER () AS paid_now
            FROM installments i WHERE lt.loan_id IS NOT NULL AND i.loan_id = s.id
          ) w
        ) x
      ) agg
      WHERE agg.outstanding > 0
      ORDER BY s.borrower_id, s.id`.execute(trx);
    return rows;
  });
}

export interface CollectionWindow {
  key: string;
  from: LocalDate;
  to: LocalDate;
}

export interface CollectionRow {
  groupPath: string;
  window: string;
  /** What the schedules had due in the window. */
  due: number;
  /** What reached the schedules in the window (recorded payments less reversals, new registry money). */
  collected: number;
}

/** Paid against due per child area, for each window (month, quarter, year to the day). */
export async function collectionsByArea(
  db: Kysely<Database>,
  query: { scopePath: string | null; groupDepth: number; windows: readonly CollectionWindow[] },
): Promise<CollectionRow[]> {
  if (query.windows.length === 0) return [];
  const earliest = query.windows.reduce((min, w) => (w.from < min ? w.from : min), query.windows[0]!.from);
  const latest = query.windows.reduce((max, w) => (w.to > max ? w.to : max), query.windows[0]!.to);
  const windows = sql`SELECT * FROM unnest(${query.windows.map((w) => w.key)}::text[], ${query.windows.map((w) => w.from)}::date[], ${query.windows.map((w) => w.to)}::date[]) AS w(key, from_on, to_on)`;
  return withoutJit(db, async (trx) => {
    const { rows } = await sql<CollectionRow>`
      WITH scoped AS MATERIALIZED (
        SELECT l.id, ${pathPrefix(sql`a.path`, query.groupDepth)} AS group_path
        FROM loans l JOIN borrowers b ON b.id = l.borrower_id JOIN areas a ON a.id = b.area_id
        WHERE ${withinScope(sql.ref('a.path'), query.scopePath)}
      ), windows AS (${windows}),
      due AS (
        -- Per loan, its installments due in the span of the windows (its entries of the primary key, which carries
        -- the amounts: migration 0018).
        SELECT s.group_path, w.key, SUM(d.amount)::bigint AS amount
        FROM scoped s
        CROSS JOIN LATERAL (
          SELECT i.due_on, i.principal_satang + i.interest_satang AS amount FROM installments i
          WHERE i.loan_id = s.id AND i.due_on BETWEEN ${earliest}::date AND ${latest}::date) d
        JOIN windows w ON d.due_on BETWEEN w.from_on AND w.to_on
        GROUP BY 1, 2
      ), collected AS (
        SELECT s.group_path, w.key, SUM(e.amount)::bigint AS amount
        FROM (${paymentEvents(sql`scoped`, { from: earliest, to: latest })}) e
        JOIN scoped s ON s.id = e.loan_id
        JOIN windows w ON e.on_date BETWEEN w.from_on AND w.to_on
        GROUP BY 1, 2
      ), groups AS (SELECT DISTINCT group_path FROM scoped)
      SELECT g.group_path AS "groupPath", w.key AS window, COALESCE(d.amount, 0)::bigint AS due, COALESCE(c.amount, 0)::bigint AS collected
      FROM groups g CROSS JOIN windows w
      LEFT JOIN due d ON d.group_path = g.group_path AND d.key = w.key
      LEFT JOIN collected c ON c.group_path = g.group_path AND c.key = w.key
      ORDER BY g.group_path, w.key`.execute(trx);
    return rows;
  });
}

export interface FollowUpActivityRow {
  groupPath: string;
  kind: FollowUpKindColumn;
  stage: FollowUpStageColumn;
  contacts: number;
  debtors: number;
}

/** 5 ต. contacts in [from, to] by child area, kind and stage. */
export async function followUpActivity(
  db: Kysely<Database>,
  query: { scopePath: string | null; groupDepth: number; from: LocalDate; to: LocalDate },
): Promise<FollowUpActivityRow[]> {
  const { rows } = await sql<FollowUpActivityRow>`
    SELECT ${pathPrefix(sql`a.path`, query.groupDepth)} AS "groupPath", f.kind, f.stage, count(*)::int AS contacts, count(DISTINCT f.borrower_id)::int AS debtors
    FROM follow_ups f JOIN borrowers b ON b.id = f.borrower_id JOIN areas a ON a.id = b.area_id
    WHERE ${withinScope(sql.ref('a.path'), query.scopePath)} AND f.contacted_on BETWEEN ${query.from}::date AND ${query.to}::date
    GROUP BY 1, f.kind, f.stage ORDER BY 1, f.kind, f.stage`.execute(db);
  return rows;
}

/** Distinct debtors contacted in [from, to] per child area. */
export async function debtorsContacted(
  db: Kysely<Database>,
  query: { scopePath: string | null; groupDepth: number; from: LocalDate; to: LocalDate },
): Promise<Array<{ groupPath: string; debtors: number }>> {
  const { rows } = await sql<{ groupPath: string; debtors: number }>`
    SELECT ${pathPrefix(sql`a.path`, query.groupDepth)} AS "groupPath", count(DISTINCT f.borrower_id)::int AS debtors
    FROM follow_ups f JOIN borrowers b ON b.id = f.borrower_id JOIN areas a ON a.id = b.area_id
    WHERE ${withinScope(sql.ref('a.path'), query.scopePath)} AND f.contacted_on BETWEEN ${query.from}::date AND ${query.to}::date
    GROUP BY 1 ORDER BY 1`.execute(db);
  return rows;
}

export interface PromiseActivityRow {
  groupPath: string;
  made: number;
  madeAmount: number;
  /** Of the promises due in the window (promised_on in it), as judged by now. */
  dueInWindow: number;
  kept: number;
  partlyKept: number;
  broken: number;
  open: number;
}

export async function promiseActivity(
  db: Kysely<Database>,
  query: { scopePath: string | null; groupDepth: number; from: LocalDate; to: LocalDate },
): Promise<PromiseActivityRow[]> {
  const { rows } = await sql<PromiseActivityRow>`
    SELECT ${pathPrefix(sql`a.path`, query.groupDepth)} AS "groupPath",
           count(*) FILTER (WHERE pp.made_on BETWEEN ${query.from}::date AND ${query.to}::date)::int AS made,
           COALESCE(SUM(pp.amount_satang) FILTER (WHERE pp.made_on BETWEEN ${query.from}::date AND ${query.to}::date), 0)::bigint AS "madeAmount",
           count(*) FILTER (WHERE pp.promised_on BETWEEN ${query.from}::date AND ${query.to}::date)::int AS "dueInWindow",
           count(*) FILTER (WHERE pp.promised_on BETWEEN ${query.from}::date AND ${query.to}::date AND pp.status = 'kept')::int AS kept,
           count(*) FILTER (WHERE pp.promised_on BETWEEN ${query.from}::date AND ${query.to}::date AND pp.status = 'partly_kept')::int AS "partlyKept",
           count(*) FILTER (WHERE pp.promised_on BETWEEN ${query.from}::date AND ${query.to}::date AND pp.status = 'broken')::int AS broken,
           count(*) FILTER (WHERE pp.promised_on BETWEEN ${query.from}::date AND ${query.to}::date AND pp.status = 'open')::int AS open
    FROM payment_promises pp JOIN borrowers b ON b.id = pp.borrower_id JOIN areas a ON a.id = b.area_id
    WHERE ${withinScope(sql.ref('a.path'), query.scopePath)}
      AND (pp.made_on BETWEEN ${query.from}::date AND ${query.to}::date OR pp.promised_on BETWEEN ${query.from}::date AND ${query.to}::date)
    GROUP BY 1 ORDER BY 1`.execute(db);
  return rows;
}

export interface ApplicationStatusRow {
  groupPath: string;
  measureCode: string;
  status: EnrollmentStatusColumn;
  count: number;
}

/** Relief-measure applications submitted by the end of the day, by the status they had then (from their transitions). */
export async function applicationsByStatus(
  db: Kysely<Database>,
  query: { scopePath: string | null; groupDepth: number; endOfDay: Date },
): Promise<ApplicationStatusRow[]> {
  const { rows } = await sql<ApplicationStatusRow>`
    SELECT ${pathPrefix(sql`a.path`, query.groupDepth)} AS "groupPath", e.measure_code AS "measureCode", t.to_status AS status, count(*)::int AS count
    FROM enrollments e JOIN borrowers b ON b.id = e.borrower_id JOIN areas a ON a.id = b.area_id
    CROSS JOIN LATERAL (
      SELECT tr.to_status FROM enrollment_transitions tr WHERE tr.enrollment_id = e.id AND tr.occurred_at < ${query.endOfDay}
      ORDER BY tr.occurred_at DESC, tr.id DESC LIMIT 1) t
    WHERE ${withinScope(sql.ref('a.path'), query.scopePath)}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(db);
  return rows;
}

export interface LevelDurationRow {
  level: 'district' | 'province' | 'department';
  /** Steps that left the level by the end of the day. */
  steps: number;
  medianDays: number | null;
}

/**
 * How long applications stayed at each review level (steps finished by the end of the day), median in days. A step
 * the borrower ended by withdrawing is not the office's time: it is left out.
 */
export async function reviewLevelDurations(db: Kysely<Database>, query: { scopePath: string | null; endOfDay: Date }): Promise<LevelDurationRow[]> {
  const { rows } = await sql<{ level: LevelDurationRow['level']; steps: number; medianDays: number | null }>`
    WITH steps AS (
      SELECT tr.to_status, tr.occurred_at,
             LEAD(tr.occurred_at) OVER (PARTITION BY tr.enrollment_id ORDER BY tr.occurred_at, tr.id) AS left_at,
             LEAD(tr.to_status) OVER (PARTITION BY tr.enrollment_id ORDER BY tr.occurred_at, tr.id) AS left_to
      FROM enrollment_transitions tr
      JOIN enrollments e ON e.id = tr.enrollment_id JOIN borrowers b ON b.id = e.borrower_id JOIN areas a ON a.id = b.area_id
      WHERE ${withinScope(sql.ref('a.path'), query.scopePath)} AND tr.occurred_at < ${query.endOfDay}
    )
    SELECT replace(to_status, '_review', '') AS level, count(*)::int AS steps,
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - occurred_at)) / 86400)::numeric, 1)::float8 AS "medianDays"
    FROM steps
    WHERE to_status IN ('district_review', 'province_review', 'department_review') AND left_at IS NOT NULL AND left_to <> 'withdrawn'
    GROUP BY 1`.execute(db);
  return rows;
}

export interface OverdueApplicationRow {
  enrollmentId: number;
  groupPath: string;
  areaPath: string;
  fullName: string;
  contractNo: string;
  measureCode: string;
  level: 'district' | 'province' | 'department';
  deadlineAt: Date;
}

/** Applications waiting now whose level's deadline passed before the given instant. */
export async function overdueApplications(
  db: Kysely<Database>,
  query: { scopePath: string | null; groupDepth: number; at: Date; limit: number },
): Promise<OverdueApplicationRow[]> {
  const { rows } = await sql<OverdueApplicationRow>`
    SELECT e.id AS "enrollmentId", ${pathPrefix(sql`a.path`, query.groupDepth)} AS "groupPath", a.path AS "areaPath", b.full_name AS "fullName",
           l.contract_no AS "contractNo", e.measure_code AS "measureCode", e.awaiting_level AS level, e.deadline_at AS "deadlineAt"
    FROM enrollments e JOIN borrowers b ON b.id = e.borrower_id JOIN areas a ON a.id = b.area_id JOIN loans l ON l.id = e.loan_id
    WHERE ${withinScope(sql.ref('a.path'), query.scopePath)} AND e.awaiting_level IS NOT NULL AND e.deadline_at < ${query.at}
    ORDER BY e.deadline_at LIMIT ${query.limit}`.execute(db);
  return rows;
}

export interface DebtorListRow {
  borrowerId: number;
  fullName: string;
  phone: string | null;
  areaPath: string;
  contractNos: string;
  lastContactOn: LocalDate | null;
  lastContactKind: FollowUpKindColumn | null;
  lastContactStage: FollowUpStageColumn | null;
  measureTitle: string | null;
  measureEndsOn: LocalDate | null;
  nextPromiseOn: LocalDate | null;
}

/** A page of debtors in scope (by id, after `afterId`): who they are and their contacts and measures as of the day. */
export async function debtorListPage(
  db: Kysely<Database>,
  query: { scopePath: string | null; asOf: LocalDate } & ({ afterId: number; limit: number } | { ids: readonly number[] }),
): Promise<DebtorListRow[]> {
  if ('ids' in query && query.ids.length === 0) return [];
  const which = 'ids' in query ? sql`b.id = ANY(${[...query.ids]}::bigint[])` : sql`b.id > ${query.afterId}`;
  const limit = 'ids' in query ? query.ids.length : query.limit;
  const { rows } = await sql<DebtorListRow>`
    SELECT b.id AS "borrowerId", b.full_name AS "fullName", b.phone, a.path AS "areaPath",
           (SELECT string_agg(l.contract_no, ', ' ORDER BY l.contract_no) FROM loans l WHERE l.borrower_id = b.id) AS "contractNos",
           f.contacted_on AS "lastContactOn", f.kind AS "lastContactKind", f.stage AS "lastContactStage",
           m.title AS "measureTitle", m.ends_on AS "measureEndsOn",
           (SELECT min(pp.promised_on) FROM payment_promises pp WHERE pp.borrower_id = b.id AND pp.promised_on >= ${query.asOf}::date
              AND pp.made_on <= ${query.asOf}::date
              -- Kept by that day (judged on the Bangkok day of the payment that kept it): not a promise still to come.
              AND NOT (pp.status = 'kept' AND ((pp.judged_at AT TIME ZONE 'UTC') + interval '7 hours')::date <= ${query.asOf}::date)) AS "nextPromiseOn"
    FROM borrowers b
    JOIN areas a ON a.id = b.area_id
    LEFT JOIN LATERAL (
      SELECT fu.contacted_on, fu.kind, fu.stage FROM follow_ups fu WHERE fu.borrower_id = b.id AND fu.contacted_on <= ${query.asOf}::date
      ORDER BY fu.contacted_on DESC, fu.id DESC LIMIT 1) f ON true
    LEFT JOIN LATERAL (
      SELECT rm.title, lm.ends_on FROM loans l JOIN loan_measures lm ON lm.loan_id = l.id JOIN relief_measures rm ON rm.code = lm.measure_code
      WHERE l.borrower_id = b.id AND lm.starts_on <= ${query.asOf}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${query.asOf}::date)
      ORDER BY lm.starts_on DESC, lm.id DESC LIMIT 1) m ON true
    WHERE ${withinScope(sql.ref('a.path'), query.scopePath)} AND ${which} AND b.anonymised_at IS NULL
    ORDER BY b.id LIMIT ${limit}`.execute(db);
  return rows;
}

/** The area's own path as stored (surrounding spaces and slashes tidied), or undefined when there is none. */
export async function findAreaPath(db: Kysely<Database>, path: string): Promise<string | undefined> {
  const tidy = path.split('/').map((part) => part.trim()).filter(Boolean).join('/');
  const row = await db.selectFrom('areas').select('path').where('path', '=', tidy).executeTakeFirst();
  return row?.path;
}

/** The paths of an area's children (the provinces for the whole country). */
export async function childAreasOf(db: Kysely<Database>, parentPath: string | null): Promise<string[]> {
  const rows =
    parentPath === null
      ? await db.selectFrom('areas').select('path').where('parent_id', 'is', null).orderBy('name').execute()
      : await db.selectFrom('areas as c').innerJoin('areas as p', 'p.id', 'c.parent_id').select('c.path').where('p.path', '=', parentPath).orderBy('c.name').execute();
  return rows.map((row) => row.path);
}

/** Every relief measure's title by code (inactive ones too: old applications name them). */
export async function measureTitles(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('relief_measures').select(['code', 'title']).execute();
  return new Map(rows.map((row) => [row.code, row.title]));
}

export interface DistrictBasisRow {
  path: string;
  name: string;
  tambons: number;
  members: number;
}

/** The districts of a province with their number of tambons and of members (borrowers not anonymised). */
export async function districtBases(db: Kysely<Database>, provincePath: string): Promise<DistrictBasisRow[]> {
  const { rows } = await sql<DistrictBasisRow>`
    SELECT d.path, d.name,
           (SELECT count(*) FROM areas t WHERE t.parent_id = d.id AND t.level = 'subdistrict')::int AS tambons,
           (SELECT count(*) FROM borrowers b JOIN areas t ON t.id = b.area_id
             WHERE (t.id = d.id OR t.parent_id = d.id) AND b.anonymised_at IS NULL)::int AS members
    FROM areas d JOIN areas p ON p.id = d.parent_id
    WHERE d.level = 'district' AND p.path = ${provincePath}
    ORDER BY d.name`.execute(db);
  return rows;
}

export interface SavedAllocation {
  id: number;
  provincePath: string;
  budgetBaht: number;
  weights: Record<string, number>;
  rows: Array<{ path: string; name: string; tambons: number; members: number; overdueRatePercent: number; share: number; amountBaht: number }>;
  title: string;
  asOf: LocalDate;
  createdBy: number;
  createdByName: string;
  createdAt: Date;
}

export async function insertBudgetAllocation(
  db: Kysely<Database>,
  row: Omit<SavedAllocation, 'id' | 'createdByName' | 'createdAt'> & { createdAt: Date },
): Promise<number> {
  const inserted = await db
    .insertInto('budget_allocations')
    .values({
      province_path: row.provincePath,
      budget_baht: row.budgetBaht,
      weights: JSON.stringify(row.weights),
      rows: JSON.stringify(row.rows),
      title: row.title,
      as_of: row.asOf,
      created_by: row.createdBy,
      created_at: row.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

function savedAllocationQuery(db: Kysely<Database>) {
  return db
    .selectFrom('budget_allocations as ba')
    .innerJoin('officers as o', 'o.id', 'ba.created_by')
    .select([
      'ba.id',
      'ba.province_path as provincePath',
      'ba.budget_baht as budgetBaht',
      'ba.weights',
      'ba.rows',
      'ba.title',
      'ba.as_of as asOf',
      'ba.created_by as createdBy',
      'o.full_name as createdByName',
      'ba.created_at as createdAt',
    ]);
}

export async function budgetAllocationsOf(db: Kysely<Database>, provincePath: string, limit: number): Promise<SavedAllocation[]> {
  return (await savedAllocationQuery(db).where('ba.province_path', '=', provincePath).orderBy('ba.created_at', 'desc').orderBy('ba.id', 'desc').limit(limit).execute()) as SavedAllocation[];
}

export async function findBudgetAllocation(db: Kysely<Database>, id: number): Promise<SavedAllocation | undefined> {
  return (await savedAllocationQuery(db).where('ba.id', '=', id).executeTakeFirst()) as SavedAllocation | undefined;
}
