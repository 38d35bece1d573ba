// A debtor's next planned follow-up is no longer wiped by a later contact that planned nothing: a mentor plans a
// visit for 3 Dec, the tambon officer calls on 30 Nov and leaves "next follow-up" empty, and the visit still stands
// (before, the debtor left every work queue). A planned date on or before the latest contact counts as done.
// The function is the one of migration 0010 (with 0016's jit = off) and one more lateral join, which costs nothing
// for the many debtors without follow-ups: its condition on the outer row is a one-time filter.
import { sql, type Kysely } from 'kysely';

const NEXT_ACTION_OF_LATEST = `            lf.contacted_on, lf.kind, lf.next_action_on, lf.officer_id,`;
const NEXT_ACTION_OR_EARLIER_PLAN = `            lf.contacted_on, lf.kind, COALESCE(lf.next_action_on, pn.next_action_on),
            CASE WHEN lf.next_action_on IS NOT NULL THEN lf.officer_id ELSE pn.officer_id END,`;
const EARLIER_PLAN_JOIN = `     -- The latest contact planned nothing: a visit someone planned earlier, for after that contact, still stands.
     LEFT JOIN LATERAL (
       SELECT f.next_action_on, f.officer_id FROM follow_ups f
       WHERE lf.next_action_on IS NULL AND lf.contacted_on IS NOT NULL
         AND f.borrower_id = b.id AND f.next_action_on > lf.contacted_on
       ORDER BY f.contacted_on DESC, f.id DESC LIMIT 1) pn ON true
`;

/** The function as 0010 wrote it (with 0016's jit = off); `withEarlierPlans` adds this migration's fallback. */
const refreshFunction = (withEarlierPlans: boolean) => `
  CREATE OR REPLACE FUNCTION refresh_debtor_positions(ids bigint[]) RETURNS void LANGUAGE sql SET enable_seqscan = off SET jit = off AS $$
     INSERT INTO debtor_positions AS p (borrower_id, area_id, oldest_unpaid_due_on, unpaid_total_satang, litigation, measure_from, measure_until,
                                        loan_count, last_contact_on, last_contact_kind, next_action_on, next_action_by, next_promise_on)
     SELECT b.id, b.area_id, u.oldest, COALESCE(u.unpaid, 0), COALESCE(ln.litigation, false), ms.starts, ms.ends, COALESCE(ln.n, 0),
${withEarlierPlans ? NEXT_ACTION_OR_EARLIER_PLAN : NEXT_ACTION_OF_LATEST}
            (SELECT min(pp.promised_on) FROM payment_promises pp WHERE pp.borrower_id = b.id AND pp.status = 'open')
     FROM borrowers b
     -- Per loan, its unpaid installments (never a join the planner could turn into a scan of every unpaid one).
     LEFT JOIN LATERAL (
       SELECT min(x.oldest) AS oldest, SUM(x.unpaid)::bigint AS unpaid
       FROM loans l
       CROSS JOIN LATERAL (
         SELECT min(i.due_on) AS oldest, SUM(i.principal_satang + i.interest_satang - i.paid_satang) AS unpaid
         FROM installments i WHERE i.loan_id = l.id AND i.paid_satang < i.principal_satang + i.interest_satang) x
       WHERE l.borrower_id = b.id) u ON true
     LEFT JOIN LATERAL (SELECT bool_or(l.litigation) AS litigation, count(*)::int AS n FROM loans l WHERE l.borrower_id = b.id) ln ON true
     LEFT JOIN LATERAL (
       SELECT min(y.starts) AS starts, max(y.ends) AS ends
       FROM loans l
       CROSS JOIN LATERAL (
         SELECT min(lm.starts_on) AS starts, max(COALESCE(lm.ends_on, 'infinity'::date)) AS ends FROM loan_measures lm WHERE lm.loan_id = l.id) y
       WHERE l.borrower_id = b.id) ms ON true
     LEFT JOIN LATERAL (
       SELECT f.contacted_on, f.kind, f.next_action_on, f.officer_id FROM follow_ups f
       WHERE f.borrower_id = b.id ORDER BY f.contacted_on DESC, f.id DESC LIMIT 1) lf ON true
${withEarlierPlans ? EARLIER_PLAN_JOIN : ''}     WHERE b.id = ANY(ids)
     ON CONFLICT (borrower_id) DO UPDATE SET
       area_id = excluded.area_id, oldest_unpaid_due_on = excluded.oldest_unpaid_due_on, unpaid_total_satang = excluded.unpaid_total_satang,
       litigation = excluded.litigation, measure_from = excluded.measure_from, measure_until = excluded.measure_until,
       loan_count = excluded.loan_count, last_contact_on = excluded.last_contact_on, last_contact_kind = excluded.last_contact_kind,
       next_action_on = excluded.next_action_on, next_action_by = excluded.next_action_by, next_promise_on = excluded.next_promise_on
   $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(refreshFunction(true)).execute(db);
  // Debtors with follow-ups get their next action again under the new rule.
  await sql`SELECT refresh_debtor_positions(ARRAY(SELECT DISTINCT borrower_id FROM follow_ups)::bigint[])`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(refreshFunction(false)).execute(db);
  await sql`SELECT refresh_debtor_positions(ARRAY(SELECT DISTINCT borrower_id FROM follow_ups)::bigint[])`.execute(db);
}
