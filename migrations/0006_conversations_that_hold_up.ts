// What the conversation issue needs to keep: where a relief measure began (so payments made during พักหนี้ไม่พักจ่าย
// are shown going to principal), officers' decisions drafted in chat (a reason or a list of documents, confirmed
// before anything changes), the short window in which a rejection can be undone, the documents an officer asked
// for, and the rich menus the app made in LINE.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE loan_measures
     ADD COLUMN paid_total_at_start_satang bigint,
     ADD COLUMN principal_outstanding_at_start_satang bigint`,

  // The pending question becomes a draft decision: which decision, where the conversation is, and what was chosen.
  `ALTER TABLE enrollment_reason_requests
     ADD COLUMN decision text NOT NULL DEFAULT 'reject' CHECK (decision IN ('reject', 'request_documents')),
     ADD COLUMN stage text NOT NULL DEFAULT 'choose' CHECK (stage IN ('choose', 'free_text', 'confirm')),
     ADD COLUMN draft_note text,
     ADD COLUMN draft_documents jsonb NOT NULL DEFAULT '[]'`,

  `ALTER TABLE enrollments
     ADD COLUMN requested_documents jsonb,
     ADD COLUMN undo_until timestamptz,
     ADD COLUMN undo_status text,
     ADD COLUMN undo_deadline_at timestamptz`,

  // One row per menu the app created in LINE: any replica finds it by role and content hash and never makes it twice.
  `CREATE TABLE line_rich_menus (
     role text NOT NULL CHECK (role IN ('unlinked', 'borrower', 'officer')),
     content_hash text NOT NULL,
     rich_menu_id text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (role, content_hash)
   )`,
  // The menu each LINE user was last given, so a changed menu (or a failed link) is put right by a sweep.
  `ALTER TABLE line_users ADD COLUMN rich_menu_id text`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE line_users DROP COLUMN rich_menu_id').execute(db);
  await sql.raw('DROP TABLE line_rich_menus').execute(db);
  await sql.raw('ALTER TABLE enrollments DROP COLUMN requested_documents, DROP COLUMN undo_until, DROP COLUMN undo_status, DROP COLUMN undo_deadline_at').execute(db);
  await sql.raw('ALTER TABLE enrollment_reason_requests DROP COLUMN decision, DROP COLUMN stage, DROP COLUMN draft_note, DROP COLUMN draft_documents').execute(db);
  await sql.raw('ALTER TABLE loan_measures DROP COLUMN paid_total_at_start_satang, DROP COLUMN principal_outstanding_at_start_satang').execute(db);
}
