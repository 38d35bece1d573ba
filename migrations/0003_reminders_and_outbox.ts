// Scheduled reminders: public holidays (contact hours), the durable outbox of LINE messages with one row
// per recipient and a unique key per reminder, the one-contact-per-day ledger, and job runs.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE public_holidays (
     day date PRIMARY KEY,
     name text NOT NULL
   )`,

  `CREATE TABLE outbound_messages (
     id bigserial PRIMARY KEY,
     dedupe_key text NOT NULL UNIQUE,
     kind text NOT NULL,
     recipient_type text NOT NULL CHECK (recipient_type IN ('borrower', 'officer')),
     borrower_id bigint REFERENCES borrowers (id),
     officer_id integer REFERENCES officers (id),
     messages jsonb NOT NULL,
     urgency integer NOT NULL DEFAULT 0,
     contact_window text NOT NULL CHECK (contact_window IN ('borrower', 'anytime')),
     -- A reminder counts against the borrower's one contact a day; replies to their own requests do not.
     once_per_day boolean NOT NULL DEFAULT false,
     -- Recipients sharing a batch key get one multicast (identical messages to many officers).
     batch_key text,
     -- The installment a reminder is about: cancelled if it is paid first, or if the schedule was replaced
     -- (a restructuring renumbers installments, so the due date is part of the identity).
     loan_id bigint REFERENCES loans (id) ON DELETE CASCADE,
     installment_seq integer,
     installment_due_on date,
     not_before timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     next_attempt_at timestamptz NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead', 'cancelled')),
     attempts integer NOT NULL DEFAULT 0,
     claimed_until timestamptz,
     retry_key uuid NOT NULL,
     line_user_id text,
     outcome text,
     last_error text,
     sent_at timestamptz,
     created_at timestamptz NOT NULL DEFAULT now(),
     CHECK ((recipient_type = 'borrower') = (borrower_id IS NOT NULL)),
     CHECK ((recipient_type = 'officer') = (officer_id IS NOT NULL))
   )`,
  // The dispatcher's claim order: most urgent first, then oldest.
  `CREATE INDEX outbound_messages_due ON outbound_messages (urgency DESC, next_attempt_at, id) WHERE status = 'pending'`,
  `CREATE INDEX outbound_messages_batch ON outbound_messages (batch_key) WHERE status = 'pending' AND batch_key IS NOT NULL`,
  `CREATE INDEX outbound_messages_borrower ON outbound_messages (borrower_id, created_at) WHERE borrower_id IS NOT NULL`,

  // Every attempt and its outcome, per recipient: the delivery history officers can read.
  `CREATE TABLE outbound_attempts (
     id bigserial PRIMARY KEY,
     message_id bigint NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
     attempted_at timestamptz NOT NULL,
     outcome text NOT NULL,
     http_status integer,
     detail text
   )`,
  `CREATE INDEX outbound_attempts_message ON outbound_attempts (message_id)`,

  // At most one reminder per borrower per Bangkok calendar day: the first message to take the day keeps it.
  `CREATE TABLE borrower_daily_contacts (
     borrower_id bigint NOT NULL REFERENCES borrowers (id) ON DELETE CASCADE,
     day date NOT NULL,
     message_id bigint NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
     PRIMARY KEY (borrower_id, day)
   )`,

  // One row per scheduled run slot: the replica that inserts it runs the job, the others skip.
  `CREATE TABLE job_runs (
     job_name text NOT NULL,
     run_key text NOT NULL,
     started_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz,
     summary jsonb,
     PRIMARY KEY (job_name, run_key)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
  const holidays = JSON.parse(readFileSync(new URL('./data/thai-public-holidays.v1.json', import.meta.url), 'utf8')) as Array<{ day: string; name: string }>;
  for (const holiday of holidays) {
    await sql`INSERT INTO public_holidays (day, name) VALUES (${holiday.day}::date, ${holiday.name}) ON CONFLICT (day) DO NOTHING`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['job_runs', 'borrower_daily_contacts', 'outbound_attempts', 'outbound_messages', 'public_holidays']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
}
