// Applications to join a relief measure (from the LIFF mini-app), their district → province → department
// journey with 15-day deadlines, uploaded documents, and officers' pending rejection reasons.
import { sql, type Kysely } from 'kysely';

const OPEN = `'district_review', 'province_review', 'department_review', 'needs_documents'`;

const statements = [
  `CREATE TABLE enrollments (
     id bigserial PRIMARY KEY,
     borrower_id bigint NOT NULL REFERENCES borrowers (id),
     loan_id bigint NOT NULL REFERENCES loans (id),
     measure_code text NOT NULL REFERENCES relief_measures (code),
     -- The verified LINE user who submitted it, and their Idempotency-Key: a double tap finds the same row.
     submitted_by_line_user_id text NOT NULL,
     idempotency_key text NOT NULL,
     status text NOT NULL CHECK (status IN (${OPEN}, 'approved', 'rejected', 'withdrawn')),
     -- The officer level it waits at and until when (15 days from arrival); both null when it waits at none.
     awaiting_level text CHECK (awaiting_level IN ('district', 'province', 'department')),
     deadline_at timestamptz,
     level_entered_at timestamptz,
     -- While needs_documents: the level that asked, where it returns.
     return_level text CHECK (return_level IN ('district', 'province', 'department')),
     version integer NOT NULL DEFAULT 1,
     reason_code text,
     reason text NOT NULL,
     phone text NOT NULL,
     monthly_income_satang bigint CHECK (monthly_income_satang >= 0),
     monthly_expenses_satang bigint CHECK (monthly_expenses_satang >= 0),
     affordable_payment_satang bigint CHECK (affordable_payment_satang >= 0),
     consent_version text NOT NULL,
     consented_at timestamptz NOT NULL,
     decision_note text,
     submitted_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     decided_at timestamptz,
     UNIQUE (submitted_by_line_user_id, idempotency_key),
     CHECK ((awaiting_level IS NULL) = (deadline_at IS NULL))
   )`,
  // One open application per loan and measure; closed ones may repeat.
  `CREATE UNIQUE INDEX enrollments_one_open_per_loan_measure ON enrollments (loan_id, measure_code) WHERE status IN (${OPEN})`,
  `CREATE INDEX enrollments_borrower ON enrollments (borrower_id, id)`,
  `CREATE INDEX enrollments_waiting_deadline ON enrollments (deadline_at) WHERE awaiting_level IS NOT NULL`,

  `CREATE TABLE enrollment_transitions (
     id bigserial PRIMARY KEY,
     enrollment_id bigint NOT NULL REFERENCES enrollments (id),
     occurred_at timestamptz NOT NULL,
     actor text NOT NULL,
     from_status text,
     to_status text NOT NULL,
     note text
   )`,
  `CREATE INDEX enrollment_transitions_enrollment ON enrollment_transitions (enrollment_id, id)`,

  // Uploaded papers, kept in the database: replicas share no disk, backups and deletion follow the application.
  `CREATE TABLE enrollment_documents (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     owner_line_user_id text NOT NULL,
     enrollment_id bigint REFERENCES enrollments (id),
     content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
     byte_size integer NOT NULL CHECK (byte_size > 0 AND byte_size <= 5242880),
     sha256 text NOT NULL,
     content bytea NOT NULL,
     uploaded_at timestamptz NOT NULL,
     attached_at timestamptz
   )`,
  `CREATE INDEX enrollment_documents_enrollment ON enrollment_documents (enrollment_id)`,
  `CREATE INDEX enrollment_documents_unattached ON enrollment_documents (owner_line_user_id, uploaded_at) WHERE enrollment_id IS NULL`,

  // An officer tapped ไม่อนุมัติ and the bot waits for the reason: their next text. In the database, because
  // the next message may reach another replica.
  `CREATE TABLE enrollment_reason_requests (
     line_user_id text PRIMARY KEY,
     officer_id integer NOT NULL REFERENCES officers (id),
     enrollment_id bigint NOT NULL REFERENCES enrollments (id),
     version integer NOT NULL,
     requested_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL
   )`,

  `ALTER TABLE loan_measures ADD CONSTRAINT loan_measures_enrollment_fk FOREIGN KEY (enrollment_id) REFERENCES enrollments (id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE loan_measures DROP CONSTRAINT IF EXISTS loan_measures_enrollment_fk').execute(db);
  for (const table of ['enrollment_reason_requests', 'enrollment_documents', 'enrollment_transitions', 'enrollments']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
}
