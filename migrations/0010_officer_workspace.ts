// The officer's workspace: mentors (ทีมพี่เลี้ยง) and who they follow, the 5 ต. follow-up log with photos,
// promises to pay and how they were judged, payments recorded by officers (receipts, reversals) and how the
// registry later confirmed them, batches of link-code slips waiting to be downloaded, and each debtor's position
// (kept by triggers) for the province-sized debtor list.
import { sql, type Kysely } from 'kysely';

const statements = [
  // A mentor is a volunteer or officer of one tambon who sees only the debtors assigned to them.
  `ALTER TABLE officers DROP CONSTRAINT officers_role_check`,
  `ALTER TABLE officers ADD CONSTRAINT officers_role_check
     CHECK (role IN ('tambon', 'district', 'province', 'department', 'admin', 'mentor'))`,

  `CREATE TABLE debtor_mentors (
     borrower_id bigint PRIMARY KEY REFERENCES borrowers (id),
     mentor_id integer NOT NULL REFERENCES officers (id),
     assigned_by integer REFERENCES officers (id),
     assigned_at timestamptz NOT NULL
   )`,
  `CREATE INDEX debtor_mentors_mentor ON debtor_mentors (mentor_id)`,

  `CREATE TABLE follow_ups (
     id bigserial PRIMARY KEY,
     borrower_id bigint NOT NULL REFERENCES borrowers (id),
     loan_id bigint REFERENCES loans (id),
     officer_id integer NOT NULL REFERENCES officers (id),
     -- A double tap, or a retry after a lost answer, finds the same row.
     idempotency_key text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('visit', 'phone', 'line', 'letter', 'forum', 'warning_letter')),
     stage text NOT NULL CHECK (stage IN ('check', 'follow', 'warn', 'persist', 'contact')),
     contacted_on date NOT NULL,
     outcome text NOT NULL CHECK (outcome IN ('met', 'not_home', 'refused', 'promised', 'paid', 'moved', 'deceased', 'other')),
     note text,
     next_action_on date,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     UNIQUE (officer_id, idempotency_key)
   )`,
  // Last contact per debtor, and the debtor page's timeline.
  `CREATE INDEX follow_ups_borrower ON follow_ups (borrower_id, contacted_on DESC, id DESC)`,

  // Photos taken on a visit: the same limits and encryption as application documents, in their own table so an
  // application's life cycle (and its clean-up of unattached uploads) never touches them.
  `CREATE TABLE follow_up_photos (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     officer_id integer NOT NULL REFERENCES officers (id),
     follow_up_id bigint REFERENCES follow_ups (id),
     content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
     byte_size integer NOT NULL CHECK (byte_size > 0 AND byte_size <= 5242880),
     sha256 text NOT NULL,
     content bytea NOT NULL,
     uploaded_at timestamptz NOT NULL,
     attached_at timestamptz
   )`,
  `CREATE INDEX follow_up_photos_follow_up ON follow_up_photos (follow_up_id)`,
  `CREATE INDEX follow_up_photos_unattached ON follow_up_photos (officer_id, uploaded_at) WHERE follow_up_id IS NULL`,

  `CREATE TABLE payment_promises (
     id bigserial PRIMARY KEY,
     follow_up_id bigint NOT NULL UNIQUE REFERENCES follow_ups (id),
     borrower_id bigint NOT NULL REFERENCES borrowers (id),
     -- Null: the promise is about the borrower's debt as a whole (any of their loans).
     loan_id bigint REFERENCES loans (id),
     amount_satang bigint NOT NULL CHECK (amount_satang > 0),
     -- Payments from this day count towards the promise.
     made_on date NOT NULL,
     promised_on date NOT NULL CHECK (promised_on >= made_on),
     status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'partly_kept', 'broken')),
     -- What the last judgement counted.
     paid_satang bigint NOT NULL DEFAULT 0,
     judged_at timestamptz,
     created_at timestamptz NOT NULL
   )`,
  `CREATE INDEX payment_promises_borrower ON payment_promises (borrower_id, promised_on)`,
  `CREATE INDEX payment_promises_open ON payment_promises (promised_on) WHERE status = 'open'`,
  `CREATE INDEX payment_promises_unkept ON payment_promises (judged_at) WHERE status IN ('broken', 'partly_kept')`,

  // Payments an officer records (source 'officer') and their reversals (source 'officer_reversal', a negative
  // amount pointing at the original). Rows are never changed: a reversal is a new row.
  `ALTER TABLE payments
     ADD COLUMN paid_on date,
     ADD COLUMN channel text CHECK (channel IN ('counter', 'transfer', 'mentor')),
     ADD COLUMN receipt_no text,
     ADD COLUMN recorded_by integer REFERENCES officers (id),
     ADD COLUMN idempotency_key text,
     ADD COLUMN reverses_payment_id bigint UNIQUE REFERENCES payments (id)`,
  `ALTER TABLE payments ADD CONSTRAINT payments_officer_facts CHECK (
     source NOT IN ('officer', 'officer_reversal') OR (paid_on IS NOT NULL AND recorded_by IS NOT NULL))`,
  `ALTER TABLE payments ADD CONSTRAINT payments_reversal_points_back CHECK ((source = 'officer_reversal') = (reverses_payment_id IS NOT NULL))`,
  `CREATE UNIQUE INDEX payments_idempotency ON payments (recorded_by, idempotency_key) WHERE idempotency_key IS NOT NULL`,
  `CREATE INDEX payments_receipt ON payments (loan_id, receipt_no) WHERE receipt_no IS NOT NULL`,

  // How much of each recorded payment a registry import has since counted in its paid_total: what is not yet
  // confirmed is added on top of the registry's paid_total, what is confirmed is not (no double counting).
  `CREATE TABLE payment_registry_confirmations (
     id bigserial PRIMARY KEY,
     payment_id bigint NOT NULL REFERENCES payments (id),
     amount_satang bigint NOT NULL CHECK (amount_satang > 0),
     confirmed_at timestamptz NOT NULL,
     file_name text
   )`,
  `CREATE INDEX payment_registry_confirmations_payment ON payment_registry_confirmations (payment_id)`,

  // An officer asked for a tambon's slips: the codes are issued when the PDF is downloaded (one-time token,
  // stored as a keyed hash), so no usable code is ever stored.
  `CREATE TABLE link_code_batches (
     id bigserial PRIMARY KEY,
     officer_id integer NOT NULL REFERENCES officers (id),
     area_id integer NOT NULL REFERENCES areas (id),
     token_hash text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     downloaded_at timestamptz,
     slip_count integer
   )`,

  // The debtor list reads, per loan, only what is unpaid (an index probe per loan instead of its whole history).
  `CREATE INDEX installments_unpaid_by_loan ON installments (loan_id, due_on) WHERE paid_satang < principal_satang + interest_satang`,
  // Searching by the start of a contract number, in any case ("trt-2566" finds TRT-2566-0001).
  `CREATE INDEX loans_contract_prefix ON loans (upper(contract_no) text_pattern_ops)`,

  // Where each debtor stands, kept current by triggers on whatever writes schedules, loans, measures, follow-ups and
  // promises (imports, approvals, payments), so a province's list is an index scan, not five years of schedules.
  // Only dates are kept: colour and days past due depend on "today" and are worked out when read.
  `CREATE TABLE debtor_positions (
     borrower_id bigint PRIMARY KEY REFERENCES borrowers (id),
     area_id integer NOT NULL REFERENCES areas (id),
     -- The earliest due date with something unpaid, on any of the debtor's loans (null: nothing owed).
     oldest_unpaid_due_on date,
     -- Everything still owed on the schedules (what is overdue depends on the day; it is worked out when read).
     unpaid_total_satang bigint NOT NULL,
     litigation boolean NOT NULL,
     -- The span of the debtor's relief measures; 'infinity' when one is open-ended.
     measure_from date,
     measure_until date,
     loan_count integer NOT NULL,
     -- The latest follow-up: when, how, the next action it set and who set it.
     last_contact_on date,
     last_contact_kind text,
     next_action_on date,
     next_action_by integer,
     next_promise_on date
   )`,
  `CREATE INDEX debtor_positions_area ON debtor_positions (area_id, oldest_unpaid_due_on)`,
  `CREATE INDEX debtor_positions_next_action ON debtor_positions (next_action_on) WHERE next_action_on IS NOT NULL`,

  // Called for a few hundred debtors at a time inside an import whose tables have no statistics yet: the index
  // paths are always right here, and a planner that guesses "small table, scan it" turns an import quadratic.
  `CREATE FUNCTION refresh_debtor_positions(ids bigint[]) RETURNS void LANGUAGE sql SET enable_seqscan = off AS $$
     INSERT INTO debtor_positions AS p (borrower_id, area_id, oldest_unpaid_due_on, unpaid_total_satang, litigation, measure_from, measure_until,
                                        loan_count, last_contact_on, last_contact_kind, next_action_on, next_action_by, next_promise_on)
     SELECT b.id, b.area_id, u.oldest, COALESCE(u.unpaid, 0), COALESCE(ln.litigation, false), ms.starts, ms.ends, COALESCE(ln.n, 0),
            lf.contacted_on, lf.kind, lf.next_action_on, lf.officer_id,
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
     WHERE b.id = ANY(ids)
     ON CONFLICT (borrower_id) DO UPDATE SET
       area_id = excluded.area_id, oldest_unpaid_due_on = excluded.oldest_unpaid_due_on, unpaid_total_satang = excluded.unpaid_total_satang,
       litigation = excluded.litigation, measure_from = excluded.measure_from, measure_until = excluded.measure_until,
       loan_count = excluded.loan_count, last_contact_on = excluded.last_contact_on, last_contact_kind = excluded.last_contact_kind,
       next_action_on = excluded.next_action_on, next_action_by = excluded.next_action_by, next_promise_on = excluded.next_promise_on
   $$`,

  // One trigger function per table; statement-level, with the rows the statement touched (one import chunk is one call).
  `CREATE FUNCTION debtor_positions_after_installments() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
   BEGIN
     IF TG_OP = 'DELETE' THEN
       PERFORM refresh_debtor_positions(ARRAY(SELECT DISTINCT l.borrower_id FROM old_rows o JOIN loans l ON l.id = o.loan_id));
     ELSE
       PERFORM refresh_debtor_positions(ARRAY(SELECT DISTINCT l.borrower_id FROM new_rows n JOIN loans l ON l.id = n.loan_id));
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER installments_positions_insert AFTER INSERT ON installments REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_installments()`,
  `CREATE TRIGGER installments_positions_update AFTER UPDATE ON installments REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_installments()`,
  `CREATE TRIGGER installments_positions_delete AFTER DELETE ON installments REFERENCING OLD TABLE AS old_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_installments()`,

  // A new loan arrives with its schedule (the installments' trigger places its debtor); an import rewrites every
  // loan of the file, and only a change of owner or of litigation moves a position.
  `CREATE FUNCTION debtor_positions_after_loans() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
   BEGIN
     PERFORM refresh_debtor_positions(ARRAY(
       SELECT n.borrower_id FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE n.borrower_id <> o.borrower_id OR n.litigation IS DISTINCT FROM o.litigation
       UNION
       SELECT o.borrower_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.borrower_id <> o.borrower_id));
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER loans_positions_update AFTER UPDATE ON loans REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_loans()`,

  `CREATE FUNCTION debtor_positions_after_loan_measures() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
   BEGIN
     IF TG_OP = 'DELETE' THEN
       PERFORM refresh_debtor_positions(ARRAY(SELECT DISTINCT l.borrower_id FROM old_rows o JOIN loans l ON l.id = o.loan_id));
     ELSE
       PERFORM refresh_debtor_positions(ARRAY(SELECT DISTINCT l.borrower_id FROM new_rows n JOIN loans l ON l.id = n.loan_id));
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER loan_measures_positions_insert AFTER INSERT ON loan_measures REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_loan_measures()`,
  `CREATE TRIGGER loan_measures_positions_update AFTER UPDATE ON loan_measures REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_loan_measures()`,
  `CREATE TRIGGER loan_measures_positions_delete AFTER DELETE ON loan_measures REFERENCING OLD TABLE AS old_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_loan_measures()`,

  // A debtor who moved (an import with a new address) is listed in their new tambon.
  `CREATE FUNCTION debtor_positions_after_borrowers() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
   BEGIN
     UPDATE debtor_positions p SET area_id = n.area_id FROM new_rows n WHERE p.borrower_id = n.id AND p.area_id <> n.area_id;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER borrowers_positions_update AFTER UPDATE ON borrowers REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_borrowers()`,

  `CREATE FUNCTION debtor_positions_after_borrower_rows() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
   BEGIN
     PERFORM refresh_debtor_positions(ARRAY(SELECT DISTINCT borrower_id FROM new_rows));
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER follow_ups_positions_insert AFTER INSERT ON follow_ups REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_borrower_rows()`,
  `CREATE TRIGGER follow_ups_positions_update AFTER UPDATE ON follow_ups REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_borrower_rows()`,
  `CREATE TRIGGER payment_promises_positions_insert AFTER INSERT ON payment_promises REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_borrower_rows()`,
  `CREATE TRIGGER payment_promises_positions_update AFTER UPDATE ON payment_promises REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION debtor_positions_after_borrower_rows()`,

  // Where everyone stands today.
  `SELECT refresh_debtor_positions(ARRAY(SELECT DISTINCT borrower_id FROM loans))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [trigger, table] of [
    ['installments_positions_insert', 'installments'], ['installments_positions_update', 'installments'], ['installments_positions_delete', 'installments'],
    ['loans_positions_update', 'loans'], ['loan_measures_positions_insert', 'loan_measures'],
    ['loan_measures_positions_update', 'loan_measures'], ['loan_measures_positions_delete', 'loan_measures'], ['borrowers_positions_update', 'borrowers'],
  ]) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`).execute(db);
  }
  await sql.raw('DROP TABLE IF EXISTS debtor_positions CASCADE').execute(db);
  for (const fn of ['debtor_positions_after_installments', 'debtor_positions_after_loans', 'debtor_positions_after_loan_measures', 'debtor_positions_after_borrowers', 'debtor_positions_after_borrower_rows']) {
    await sql.raw(`DROP FUNCTION IF EXISTS ${fn}() CASCADE`).execute(db);
  }
  await sql.raw('DROP FUNCTION IF EXISTS refresh_debtor_positions(bigint[])').execute(db);
  await sql.raw('DROP INDEX IF EXISTS installments_unpaid_by_loan').execute(db);
  await sql.raw('DROP INDEX IF EXISTS loans_contract_prefix').execute(db);
  for (const table of ['link_code_batches', 'payment_registry_confirmations', 'payment_promises', 'follow_up_photos', 'follow_ups', 'debtor_mentors']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
  await sql.raw(`ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_reversal_points_back`).execute(db);
  await sql.raw(`ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_officer_facts`).execute(db);
  for (const column of ['reverses_payment_id', 'idempotency_key', 'recorded_by', 'receipt_no', 'channel', 'paid_on']) {
    await sql.raw(`ALTER TABLE payments DROP COLUMN IF EXISTS ${column}`).execute(db);
  }
  await sql.raw(`ALTER TABLE officers DROP CONSTRAINT officers_role_check`).execute(db);
  await sql.raw(`ALTER TABLE officers ADD CONSTRAINT officers_role_check CHECK (role IN ('tambon', 'district', 'province', 'department', 'admin'))`).execute(db);
}
