// The officer's debtor list, area figures and work queue. Who is on a page comes from debtor_positions (kept by
// triggers, one row per debtor); what a row says is worked out live from the schedules, per loan from the entries of
// installments' primary key (which carries the amounts). "Overdue" matches domain/debtor-status: what a measure in
// force expects, unpaid with a due date before today; days past due count from the oldest such due date.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { withinScope } from './areas.repo.ts';
import { visibleTo, type Viewer } from './debtor-scope.repo.ts';
import { escapeLike, nameMatches } from '../name-search.ts';

export type ColourValue = 'green' | 'yellow' | 'red' | 'black';

export interface DebtorListFilters {
  q?: string;
  colour?: ColourValue;
  dpd?: { min: number; max: number | null };
  tambonId?: number;
  mentor?: number | 'none';
  /** Only debtors with no follow-up on or after this day. */
  noContactSince?: LocalDate;
  /** Only debtors with an open promise falling due in this range. */
  promiseDue?: { start: LocalDate; end: LocalDate };
  /** Overdue, with no next follow-up planned. */
  unplanned?: boolean;
  /** Only debtors whose LINE is linked (true) or not (false): who from the forum still has to link. */
  linked?: boolean;
  /** Only these debtors (the work queue). */
  borrowerIds?: readonly number[];
}

export interface DebtorListRow {
  borrowerId: number;
  fullName: string;
  areaPath: string;
  contractNo: string;
  loanCount: number;
  colour: ColourValue;
  overdue: number;
  daysPastDue: number;
  oldestUnpaidDueOn: LocalDate | null;
  lastContactOn: LocalDate | null;
  nextPromiseOn: LocalDate | null;
  mentorName: string | null;
  linked: boolean;
}

/** The relief measure in force on loan `l` today (its effect type and last day), as `m`. */
function measureInForce(today: LocalDate): RawBuilder<unknown> {
  return sql`LEFT JOIN LATERAL (
        SELECT lm.measure_code, lm.ends_on, rm.effect->>'type' AS effect_type
        FROM loan_measures lm JOIN relief_measures rm ON rm.code = lm.measure_code
        WHERE lm.loan_id = l.id AND lm.starts_on <= ${today}::date AND (lm.ends_on IS NULL OR lm.ends_on >= ${today}::date)
        ORDER BY lm.starts_on DESC, lm.id DESC LIMIT 1
      ) m ON true`;
}

/**
 * What of unpaid installment `i` is expected from the borrower under measure `m` (domain/debtor-status.ts
 * expectedUnderMeasure): a suspension holds back everything due up to its end, a principal pause the principal.
 */
const expected = sql`CASE
    WHEN m.measure_code IS NOT NULL AND (m.ends_on IS NULL OR i.due_on <= m.ends_on) AND m.effect_type = 'suspend' THEN 0
    WHEN m.measure_code IS NOT NULL AND (m.ends_on IS NULL OR i.due_on <= m.ends_on) AND m.effect_type = 'pause_principal'
      THEN GREATEST(0, i.interest_satang - i.paid_satang)
    ELSE i.principal_satang + i.interest_satang - i.paid_satang END`;

/** The borrowers whose facts are worked out live: visible to the viewer (and, for a page, only these ids). */
function visibleBorrowers(viewer: Viewer, filters: Pick<DebtorListFilters, 'borrowerIds'>): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`${visibleTo(viewer, sql.ref('b.id'), sql.ref('a.path'))}`];
  if (filters.borrowerIds) conditions.push(sql`b.id = ANY(${[...filters.borrowerIds]}::bigint[])`);
  return sql`SELECT b.id, b.full_name, a.path AS area_path FROM borrowers b JOIN areas a ON a.id = b.area_id WHERE ${sql.join(conditions, sql` AND `)}`;
}

/** Per debtor: colour, overdue, oldest unpaid overdue due date, the contract to show, last contact, next promise. */
function debtorFacts(viewer: Viewer, filters: Pick<DebtorListFilters, 'borrowerIds'>, today: LocalDate): RawBuilder<unknown> {
  return sql`
    WITH visible AS (${visibleBorrowers(viewer, filters)}),
    per_loan AS (
      SELECT l.borrower_id, l.contract_no, l.litigation, m.measure_code IS NOT NULL AS in_measure, u.overdue, u.oldest
      FROM visible v
      JOIN loans l ON l.borrower_id = v.id
      ${measureInForce(today)}
      CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(${expected}), 0)::bigint AS overdue, MIN(i.due_on) FILTER (WHERE ${expected} > 0) AS oldest
        FROM installments i
        WHERE i.loan_id = l.id AND i.paid_satang < i.principal_satang + i.interest_satang AND i.due_on < ${today}::date
      ) u
    ),
    per_borrower AS (
      SELECT borrower_id, bool_or(litigation) AS litigation, bool_or(in_measure) AS in_measure,
             SUM(overdue)::bigint AS overdue, MIN(oldest) AS oldest, count(*)::int AS loan_count,
             (array_agg(contract_no ORDER BY oldest ASC NULLS LAST, contract_no))[1] AS contract_no
      FROM per_loan GROUP BY borrower_id
    )
    SELECT v.id AS borrower_id, v.full_name, v.area_path, p.contract_no, p.loan_count, p.overdue, p.oldest,
           CASE WHEN p.oldest IS NULL THEN 0 ELSE (${today}::date - p.oldest) END AS dpd,
           CASE WHEN p.litigation THEN 'black' WHEN p.in_measure THEN 'yellow' WHEN p.overdue > 0 THEN 'red' ELSE 'green' END AS colour,
           (SELECT max(f.contacted_on) FROM follow_ups f WHERE f.borrower_id = v.id) AS last_contact_on,
           (SELECT min(pp.promised_on) FROM payment_promises pp WHERE pp.borrower_id = v.id AND pp.status = 'open') AS next_promise_on
    FROM visible v JOIN per_borrower p ON p.borrower_id = v.id`;
}

interface RawRow {
  borrower_id: number;
  full_name: string;
  area_path: string;
  contract_no: string;
  loan_count: number;
  overdue: number;
  oldest: LocalDate | null;
  dpd: number;
  colour: ColourValue;
  last_contact_on: LocalDate | null;
  next_promise_on: LocalDate | null;
  mentor_name: string | null;
  linked: boolean;
  total: number;
}

function toListRow(row: RawRow): DebtorListRow {
  return {
    borrowerId: row.borrower_id,
    fullName: row.full_name,
    areaPath: row.area_path,
    contractNo: row.contract_no,
    loanCount: row.loan_count,
    colour: row.colour,
    overdue: row.overdue,
    daysPastDue: row.dpd,
    oldestUnpaidDueOn: row.oldest,
    lastContactOn: row.last_contact_on,
    nextPromiseOn: row.next_promise_on,
    mentorName: row.mentor_name,
    linked: row.linked,
  };
}

/**
 * From debtor_positions (kept by triggers): the colour and days past due a debtor's dates give today. A debtor
 * in a relief measure is yellow and is not counted as days behind here (a suspension holds the arrears back; the
 * page shows what the measure expects, worked out live).
 */
function positionColour(today: LocalDate): RawBuilder<unknown> {
  return sql`CASE WHEN p.litigation THEN 'black'
    WHEN p.measure_from <= ${today}::date AND p.measure_until >= ${today}::date THEN 'yellow'
    WHEN p.oldest_unpaid_due_on < ${today}::date THEN 'red' ELSE 'green' END`;
}

function positionDaysPastDue(today: LocalDate): RawBuilder<unknown> {
  return sql`CASE WHEN p.oldest_unpaid_due_on < ${today}::date AND NOT COALESCE(p.measure_from <= ${today}::date AND p.measure_until >= ${today}::date, false)
    THEN ${today}::date - p.oldest_unpaid_due_on ELSE 0 END`;
}

function positionConditions(viewer: Viewer, filters: DebtorListFilters, today: LocalDate): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`${visibleTo(viewer, sql.ref('p.borrower_id'), sql.ref('a.path'))}`];
  if (filters.tambonId !== undefined) conditions.push(sql`p.area_id = ${filters.tambonId}`);
  if (filters.mentor === 'none') conditions.push(sql`NOT EXISTS (SELECT 1 FROM debtor_mentors dm WHERE dm.borrower_id = p.borrower_id)`);
  else if (filters.mentor !== undefined) conditions.push(sql`EXISTS (SELECT 1 FROM debtor_mentors dm WHERE dm.borrower_id = p.borrower_id AND dm.mentor_id = ${filters.mentor})`);
  if (filters.borrowerIds) conditions.push(sql`p.borrower_id = ANY(${[...filters.borrowerIds]}::bigint[])`);
  if (filters.q) {
    // A name with every word of the query in it (nameMatches), among the borrowers of the viewer's area; a contract
    // number by its start, any case, or by any part of it once the query has digits ("0002" finds TRT-2566-0002).
    const prefix = /\d/.test(filters.q) ? `%${escapeLike(filters.q.toUpperCase())}%` : `${escapeLike(filters.q.toUpperCase())}%`;
    conditions.push(
      sql`(p.borrower_id IN (SELECT bq.id FROM borrowers bq JOIN areas aq ON aq.id = bq.area_id
                             WHERE ${withinScope(sql.ref('aq.path'), viewer.scopePath)} AND ${nameMatches(sql.ref('bq.full_name'), filters.q)})
           OR p.borrower_id IN (SELECT lq.borrower_id FROM loans lq WHERE upper(lq.contract_no) LIKE ${prefix}))`,
    );
  }
  if (filters.colour) conditions.push(sql`${positionColour(today)} = ${filters.colour}`);
  if (filters.dpd) {
    conditions.push(sql`${positionDaysPastDue(today)} >= ${filters.dpd.min}`);
    if (filters.dpd.max !== null) conditions.push(sql`${positionDaysPastDue(today)} <= ${filters.dpd.max}`);
  }
  if (filters.unplanned) conditions.push(sql`p.next_action_on IS NULL AND ${positionDaysPastDue(today)} > 0`);
  if (filters.linked !== undefined) {
    const exists = sql`EXISTS (SELECT 1 FROM line_links k WHERE k.borrower_id = p.borrower_id)`;
    conditions.push(filters.linked ? exists : sql`NOT ${exists}`);
  }
  if (filters.noContactSince) conditions.push(sql`(p.last_contact_on IS NULL OR p.last_contact_on < ${filters.noContactSince}::date)`);
  if (filters.promiseDue) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM payment_promises pw WHERE pw.borrower_id = p.borrower_id AND pw.status = 'open'
                  AND pw.promised_on BETWEEN ${filters.promiseDue.start}::date AND ${filters.promiseDue.end}::date)`,
    );
  }
  return sql.join(conditions, sql` AND `);
}

/** The live facts of a handful of debtors (a page), with their mentor and LINE link, by id. */
async function factsOf(db: Kysely<Database>, viewer: Viewer, ids: readonly number[], today: LocalDate): Promise<Map<number, DebtorListRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<RawRow>`
    WITH facts AS (${debtorFacts(viewer, { borrowerIds: ids }, today)})
    SELECT d.*, o.full_name AS mentor_name, EXISTS (SELECT 1 FROM line_links k WHERE k.borrower_id = d.borrower_id) AS linked, 0 AS total
    FROM facts d
    LEFT JOIN debtor_mentors dm ON dm.borrower_id = d.borrower_id
    LEFT JOIN officers o ON o.id = dm.mentor_id`.execute(db);
  return new Map(rows.map((row) => [row.borrower_id, toListRow(row)]));
}

/**
 * A page of the debtors the viewer may see, most days past due first, and how many there are in all. Who matches
 * and in which order comes from debtor_positions (an index scan, however large the province); the page's rows are
 * then worked out live from their schedules, so what is shown is exactly what the debtor's card says.
 */
export async function listDebtors(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: DebtorListFilters,
  today: LocalDate,
  page: { limit: number; offset: number },
): Promise<{ rows: DebtorListRow[]; total: number }> {
  const matching = await sql<{ borrower_id: number; total: number }>`
    SELECT p.borrower_id, count(*) OVER () AS total
    FROM debtor_positions p JOIN areas a ON a.id = p.area_id
    WHERE ${positionConditions(viewer, filters, today)}
    ORDER BY ${positionDaysPastDue(today)} DESC, p.borrower_id
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  let total = matching.rows[0]?.total ?? 0;
  if (matching.rows.length === 0 && page.offset > 0) {
    // Past the last page: the window gave no count, so ask for it.
    const counted = await sql<{ total: number }>`
      SELECT count(*)::int AS total FROM debtor_positions p JOIN areas a ON a.id = p.area_id
      WHERE ${positionConditions(viewer, filters, today)}`.execute(db);
    total = counted.rows[0]?.total ?? 0;
  }
  const ids = matching.rows.map((row) => row.borrower_id);
  const facts = await factsOf(db, viewer, ids, today);
  return { rows: ids.flatMap((id) => facts.get(id) ?? []), total };
}

/**
 * Red debtors whose oldest unpaid due date lies in one of the ranges (they reach 30, 60 or 90 days past due this
 * week), most days past due first, at most `limit`, with how many there are.
 */
export async function debtorsWithOldestDueIn(
  db: Kysely<Database>,
  viewer: Viewer,
  ranges: ReadonlyArray<{ start: LocalDate; end: LocalDate }>,
  today: LocalDate,
  limit: number,
): Promise<{ rows: DebtorListRow[]; total: number }> {
  if (ranges.length === 0) return { rows: [], total: 0 };
  const inRange = sql.join(
    ranges.map((r) => sql`(p.oldest_unpaid_due_on BETWEEN ${r.start}::date AND ${r.end}::date)`),
    sql` OR `,
  );
  const matching = await sql<{ borrower_id: number; total: number }>`
    SELECT p.borrower_id, count(*) OVER () AS total
    FROM debtor_positions p JOIN areas a ON a.id = p.area_id
    WHERE ${positionConditions(viewer, { colour: 'red' }, today)} AND (${inRange})
    ORDER BY p.oldest_unpaid_due_on, p.borrower_id
    LIMIT ${limit}`.execute(db);
  const ids = matching.rows.map((row) => row.borrower_id);
  const facts = await factsOf(db, viewer, ids, today);
  return { rows: ids.flatMap((id) => facts.get(id) ?? []), total: matching.rows[0]?.total ?? 0 };
}

export interface AreaFactsRow {
  borrowerId: number;
  areaPath: string;
  colour: ColourValue;
  overdue: number;
  outstanding: number;
}

/** Every visible debtor's colour, overdue and outstanding amounts, with their area path (My area). */
export async function debtorFiguresInScope(db: Kysely<Database>, viewer: Viewer, today: LocalDate): Promise<AreaFactsRow[]> {
  return db.transaction().execute(async (trx) => {
    // The planner's estimate for a province's lateral reads is far above the truth, enough to make PostgreSQL spend
    // a second and more compiling the query (JIT) before running it in a fraction of that.
    await sql`SET LOCAL jit = off`.execute(trx);
    return debtorFigures(trx, viewer, today);
  });
}

async function debtorFigures(db: Kysely<Database>, viewer: Viewer, today: LocalDate): Promise<AreaFactsRow[]> {
  // What is owed comes from debtor_positions; what is overdue is worked out live, and only for debtors whose dates
  // say something is (a green debtor has nothing overdue by definition).
  const { rows } = await sql<AreaFactsRow>`
    SELECT p.borrower_id AS "borrowerId", a.path AS "areaPath", ${positionColour(today)} AS colour,
           p.unpaid_total_satang AS outstanding,
           CASE WHEN ${positionColour(today)} = 'green' THEN 0 ELSE (
             SELECT COALESCE(SUM(u.overdue), 0)::bigint
             FROM loans l
             ${measureInForce(today)}
             CROSS JOIN LATERAL (
               SELECT COALESCE(SUM(${expected}), 0)::bigint AS overdue FROM installments i
               WHERE i.loan_id = l.id AND i.paid_satang < i.principal_satang + i.interest_satang AND i.due_on < ${today}::date
             ) u
             WHERE l.borrower_id = p.borrower_id) END AS overdue
    FROM debtor_positions p JOIN areas a ON a.id = p.area_id
    WHERE ${visibleTo(viewer, sql.ref('p.borrower_id'), sql.ref('a.path'))} AND p.loan_count > 0`.execute(db);
  return rows;
}
