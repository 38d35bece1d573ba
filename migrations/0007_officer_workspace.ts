// The officer's workspace: mentors (ทีมพี่เลี้ยง) and who they follow, the 5 ต. follow-up log with photos,
// promises to pay and how they were judged, payments recorded by officers (receipts, reversals) and how the
// registry later confirmed them, and batches of link-code slips waiting to be downloaded.
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
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS installments_unpaid_by_loan').execute(db);
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
