// Money in: each loan's PromptPay Ref1, transfer slips borrowers send in the chat (sealed like documents) and the
// officers' decisions on them, and bank or counter statements imported line by line (idempotent by the statement's
// own reference), with the lines nobody could match kept as exceptions for an officer.
import { sql, type Kysely } from 'kysely';

const statements = [
  // Ref1 of the loan's bill-payment QR: the contract number as banks accept it (domain/promptpay.ts), unique so the
  // mapping back is unique. Filled by the application (it needs the domain's rules), never guessed in SQL.
  `ALTER TABLE loans ADD COLUMN payment_ref1 text`,
  `CREATE UNIQUE INDEX loans_payment_ref1 ON loans (payment_ref1) WHERE payment_ref1 IS NOT NULL`,
  // Loans still waiting for one (a registry import just added them): found without reading every loan.
  `CREATE INDEX loans_without_payment_ref1 ON loans (id) WHERE payment_ref1 IS NULL`,

  `CREATE TABLE statement_imports (
     id bigserial PRIMARY KEY,
     file_name text NOT NULL,
     sha256 text NOT NULL,
     -- Null when the CLI imported it.
     imported_by integer REFERENCES officers (id),
     imported_at timestamptz NOT NULL,
     line_count integer NOT NULL,
     recorded_count integer NOT NULL,
     known_count integer NOT NULL,
     exception_count integer NOT NULL
   )`,

  // A statement's payments and the loans they went to are recorded payments like an officer's (source 'officer'),
  // so the registry reconciles them the same way; who recorded them is the import when no officer did.
  `ALTER TABLE payments ADD COLUMN statement_import_id bigint REFERENCES statement_imports (id)`,
  `ALTER TABLE payments DROP CONSTRAINT payments_officer_facts`,
  `ALTER TABLE payments ADD CONSTRAINT payments_officer_facts CHECK (
     source NOT IN ('officer', 'officer_reversal') OR (paid_on IS NOT NULL AND (recorded_by IS NOT NULL OR statement_import_id IS NOT NULL)))`,

  // One row per statement line ever seen: its reference is the idempotency key of the whole import.
  `CREATE TABLE statement_lines (
     id bigserial PRIMARY KEY,
     import_id bigint NOT NULL REFERENCES statement_imports (id),
     line integer NOT NULL,
     reference text NOT NULL UNIQUE,
     paid_on date NOT NULL,
     amount_satang bigint NOT NULL CHECK (amount_satang > 0),
     ref1 text NOT NULL,
     ref2 text,
     status text NOT NULL CHECK (status IN ('recorded', 'unmatched', 'ambiguous', 'refused')),
     loan_id bigint REFERENCES loans (id),
     payment_id bigint REFERENCES payments (id),
     -- Why it is an exception, in Thai, for the officer.
     reason text,
     -- Contracts an ambiguous line could belong to.
     candidate_loan_ids bigint[],
     resolved_payment_id bigint REFERENCES payments (id),
     resolved_by integer REFERENCES officers (id),
     resolved_at timestamptz
   )`,
  `CREATE INDEX statement_lines_open ON statement_lines (import_id) WHERE status <> 'recorded' AND resolved_at IS NULL`,

  // A photo of a transfer slip a linked borrower sent in the chat. Nothing is posted without an officer.
  `CREATE TABLE payment_slips (
     id bigserial PRIMARY KEY,
     borrower_id bigint NOT NULL REFERENCES borrowers (id),
     -- LINE's message id: a redelivered event finds the same slip.
     line_message_id text NOT NULL UNIQUE,
     content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
     byte_size integer NOT NULL CHECK (byte_size > 0),
     sha256 text NOT NULL,
     content bytea NOT NULL,
     -- The banks' slip-verify QR, when one could be read.
     bank_code text,
     trans_ref text,
     status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'duplicate')),
     duplicate_of bigint REFERENCES payment_slips (id) ON DELETE SET NULL,
     suggested_loan_id bigint REFERENCES loans (id),
     suggested_amount_satang bigint,
     payment_id bigint REFERENCES payments (id),
     decided_by integer REFERENCES officers (id),
     decided_at timestamptz,
     reject_reason text,
     received_at timestamptz NOT NULL
   )`,
  // The same bank transaction is one slip, whoever sends it and however often.
  `CREATE UNIQUE INDEX payment_slips_trans_ref ON payment_slips (bank_code, trans_ref) WHERE trans_ref IS NOT NULL AND duplicate_of IS NULL`,
  `CREATE INDEX payment_slips_sha256 ON payment_slips (sha256)`,
  `CREATE INDEX payment_slips_pending ON payment_slips (received_at) WHERE status = 'pending'`,
  `CREATE INDEX payment_slips_borrower ON payment_slips (borrower_id, received_at DESC)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS payment_slips').execute(db);
  await sql.raw('DROP TABLE IF EXISTS statement_lines').execute(db);
  await sql.raw('ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_officer_facts').execute(db);
  await sql.raw(`ALTER TABLE payments ADD CONSTRAINT payments_officer_facts CHECK (
     source NOT IN ('officer', 'officer_reversal') OR (paid_on IS NOT NULL AND recorded_by IS NOT NULL))`).execute(db);
  await sql.raw('ALTER TABLE payments DROP COLUMN IF EXISTS statement_import_id').execute(db);
  await sql.raw('DROP TABLE IF EXISTS statement_imports').execute(db);
  await sql.raw('DROP INDEX IF EXISTS loans_payment_ref1').execute(db);
  await sql.raw('ALTER TABLE loans DROP COLUMN IF EXISTS payment_ref1').execute(db);
}
