// Core schema: areas, people, loans and their schedules, LINE links, webhook inbox, audit trail.
// Written for PostgreSQL 15 (the production server) and PGlite alike.
import { sql, type Kysely } from 'kysely';

const statements = [
  // Small facts about this installation, e.g. a check value of the data encryption key.
  `CREATE TABLE app_settings (
     key text PRIMARY KEY,
     value text NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,

  `CREATE TABLE areas (
     id serial PRIMARY KEY,
     level text NOT NULL CHECK (level IN ('province', 'district', 'subdistrict')),
     name text NOT NULL,
     parent_id integer REFERENCES areas (id),
     path text NOT NULL UNIQUE
   )`,
  `CREATE INDEX areas_path_prefix ON areas (path text_pattern_ops)`,

  `CREATE TABLE officers (
     id serial PRIMARY KEY,
     full_name text NOT NULL,
     phone text,
     role text NOT NULL CHECK (role IN ('tambon', 'district', 'province', 'department', 'admin')),
     area_id integer REFERENCES areas (id),
     active boolean NOT NULL DEFAULT true,
     created_at timestamptz NOT NULL DEFAULT now(),
     CHECK ((role IN ('department', 'admin')) = (area_id IS NULL))
   )`,
  `CREATE INDEX officers_area ON officers (area_id)`,

  `CREATE TABLE borrowers (
     id bigserial PRIMARY KEY,
     national_id_hash text NOT NULL UNIQUE,
     national_id_cipher text NOT NULL,
     national_id_masked text NOT NULL,
     full_name text NOT NULL,
     phone text,
     area_id integer NOT NULL REFERENCES areas (id),
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX borrowers_area ON borrowers (area_id)`,

  `CREATE TABLE loans (
     id bigserial PRIMARY KEY,
     contract_no text NOT NULL UNIQUE,
     borrower_id bigint NOT NULL REFERENCES borrowers (id),
     principal_satang bigint NOT NULL CHECK (principal_satang > 0),
     annual_interest_bp integer NOT NULL CHECK (annual_interest_bp >= 0),
     installment_count integer NOT NULL CHECK (installment_count > 0),
     frequency text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
     first_due_on date NOT NULL,
     paid_total_satang bigint NOT NULL DEFAULT 0 CHECK (paid_total_satang >= 0),
     litigation boolean NOT NULL DEFAULT false,
     schedule_source text NOT NULL DEFAULT 'registry' CHECK (schedule_source IN ('registry', 'restructured')),
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX loans_borrower ON loans (borrower_id)`,

  `CREATE TABLE installments (
     loan_id bigint NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
     seq integer NOT NULL,
     due_on date NOT NULL,
     principal_satang bigint NOT NULL,
     interest_satang bigint NOT NULL,
     paid_satang bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (loan_id, seq)
   )`,
  `CREATE INDEX installments_unpaid_by_due ON installments (due_on) WHERE paid_satang < principal_satang + interest_satang`,

  `CREATE TABLE payments (
     id bigserial PRIMARY KEY,
     loan_id bigint NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
     amount_satang bigint NOT NULL,
     source text NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT now(),
     note text
   )`,
  `CREATE INDEX payments_loan ON payments (loan_id)`,

  `CREATE TABLE relief_measures (
     code text PRIMARY KEY,
     kind text NOT NULL CHECK (kind IN ('campaign', 'restructuring_form')),
     title text NOT NULL,
     summary text NOT NULL,
     details text NOT NULL,
     effect jsonb NOT NULL,
     eligibility jsonb NOT NULL,
     sort_order integer NOT NULL,
     active boolean NOT NULL DEFAULT true
   )`,

  `CREATE TABLE loan_measures (
     id bigserial PRIMARY KEY,
     loan_id bigint NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
     measure_code text NOT NULL REFERENCES relief_measures (code),
     starts_on date NOT NULL,
     ends_on date,
     enrollment_id bigint,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX loan_measures_loan ON loan_measures (loan_id)`,

  `CREATE TABLE line_users (
     line_user_id text PRIMARY KEY,
     following boolean NOT NULL DEFAULT true,
     follow_changed_at timestamptz NOT NULL DEFAULT now(),
     created_at timestamptz NOT NULL DEFAULT now()
   )`,

  `CREATE TABLE line_links (
     line_user_id text PRIMARY KEY REFERENCES line_users (line_user_id),
     borrower_id bigint UNIQUE REFERENCES borrowers (id),
     officer_id integer UNIQUE REFERENCES officers (id),
     linked_at timestamptz NOT NULL,
     CHECK ((borrower_id IS NULL) <> (officer_id IS NULL))
   )`,

  `CREATE TABLE link_codes (
     id bigserial PRIMARY KEY,
     code_hash text NOT NULL,
     borrower_id bigint REFERENCES borrowers (id),
     officer_id integer REFERENCES officers (id),
     expires_at timestamptz NOT NULL,
     used_at timestamptz,
     used_by_line_user_id text,
     created_at timestamptz NOT NULL DEFAULT now(),
     CHECK ((borrower_id IS NULL) <> (officer_id IS NULL))
   )`,
  // Only unused codes must be unique; a used code's digits may be issued again later.
  `CREATE UNIQUE INDEX link_codes_open ON link_codes (code_hash) WHERE used_at IS NULL`,

  `CREATE TABLE link_attempts (
     id bigserial PRIMARY KEY,
     line_user_id text NOT NULL,
     attempted_at timestamptz NOT NULL,
     succeeded boolean NOT NULL
   )`,
  `CREATE INDEX link_attempts_user_time ON link_attempts (line_user_id, attempted_at)`,

  `CREATE TABLE webhook_events (
     event_id text PRIMARY KEY,
     event_type text NOT NULL,
     source_user_id text,
     payload jsonb NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now(),
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
     attempts integer NOT NULL DEFAULT 0,
     locked_until timestamptz,
     processed_at timestamptz,
     last_error text
   )`,
  `CREATE INDEX webhook_events_pending ON webhook_events (received_at) WHERE status = 'pending'`,

  `CREATE TABLE audit_log (
     id bigserial PRIMARY KEY,
     occurred_at timestamptz NOT NULL DEFAULT now(),
     actor text NOT NULL,
     action text NOT NULL,
     subject text,
     details jsonb NOT NULL DEFAULT '{}'::jsonb
   )`,
  `CREATE INDEX audit_log_subject ON audit_log (subject, occurred_at)`,
  // The audit trail is append-only: rows can be added, never changed or removed.
  `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit_log is append-only';
   END $$`,
  `CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_log', 'webhook_events', 'link_attempts', 'link_codes', 'line_links', 'line_users', 'loan_measures',
    'relief_measures', 'payments', 'installments', 'loans', 'borrowers', 'officers', 'areas', 'app_settings',
  ]) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
  await sql.raw('DROP FUNCTION IF EXISTS audit_log_append_only()').execute(db);
}
