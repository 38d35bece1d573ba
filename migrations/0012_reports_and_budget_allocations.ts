// Reports (issue 10 §4–6): saved budget allocations of a province (seed 004 §4.1), kept with who made them and when.
// The reports read existing tables; two indexes serve them: what each loan had due in a month, quarter or year (a range
// per loan, amounts included so the schedule rows need not be read), and contacts in a quarter by day.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE budget_allocations (
     id bigserial PRIMARY KEY,
     province_path text NOT NULL,
     budget_baht bigint NOT NULL CHECK (budget_baht > 0),
     -- The bases and their weights, e.g. {"tambons": 50, "members": 50}.
     weights jsonb NOT NULL,
     -- The table as it was shown and saved: district, bases, share, whole baht (summing to budget_baht).
     rows jsonb NOT NULL,
     title text NOT NULL,
     -- The day the overdue rates and member counts were read.
     as_of date NOT NULL,
     created_by integer NOT NULL REFERENCES officers (id),
     created_at timestamptz NOT NULL
   )`,
  `CREATE INDEX budget_allocations_province ON budget_allocations (province_path, created_at DESC)`,
  `CREATE INDEX follow_ups_contacted_on ON follow_ups (contacted_on)`,
  `CREATE INDEX installments_loan_due ON installments (loan_id, due_on) INCLUDE (principal_satang, interest_satang)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS installments_loan_due').execute(db);
  await sql.raw('DROP INDEX IF EXISTS follow_ups_contacted_on').execute(db);
  await sql.raw('DROP TABLE IF EXISTS budget_allocations').execute(db);
}
