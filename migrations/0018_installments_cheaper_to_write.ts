// Writing a schedule costs less, for the same guarantees: a first registry import of 100,000 loans writes 2.4 million
// installments, and PostgreSQL spent 16–19 s of it maintaining one table (measured per 60,000-row statement:
// 400 ms, of which the per-row foreign key check ~55 ms and the reports' index (installments_loan_due, 0015) ~115 ms).
//
// 1. The primary key (loan_id, seq) now carries the installment's other columns (INCLUDE), so the reports' reads of
//    what a loan had due in a window read its few dozen entries from the key, and installments_loan_due goes: one
//    index fewer to keep, for the cost of a wider key (measured: no slower to write than the slim one).
//    installments_unpaid_by_loan stays, although the key could serve its reads too: without it a plan made on stale
//    statistics (a bulk load not yet analysed) read each loan's unpaid installments by ANDing the key with the whole
//    of installments_unpaid_by_due, once per loan — a load of 120,000 loans did not finish in five minutes.
// 2. Installments still belong to a loan that exists, but that is checked once per statement, not once per row. The
//    foreign key of 0001 ran one lookup and one row lock per installment. The statement trigger below does the same
//    work as a set: it locks the statement's loans FOR KEY SHARE (as the foreign key's check does, so a loan cannot
//    be deleted under a schedule being written) and refuses the statement if any loan is missing. The foreign key's
//    other halves are kept too: deleting loans deletes their installments (ON DELETE CASCADE), truncating loans
//    (TRUNCATE … CASCADE) truncates them, and neither an installment's loan nor a loan's id can change. One thing
//    the key did that this does not: a cascade under REPEATABLE READ or SERIALIZABLE could not see installments
//    written after its snapshot, so loans are only deleted under READ COMMITTED (the default; nothing here deletes
//    loans at all).
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE UNIQUE INDEX installments_key ON installments (loan_id, seq) INCLUDE (due_on, principal_satang, interest_satang, paid_satang)`,
  `ALTER TABLE installments DROP CONSTRAINT installments_pkey, ADD CONSTRAINT installments_pkey PRIMARY KEY USING INDEX installments_key`,
  `DROP INDEX IF EXISTS installments_loan_due`,

  `ALTER TABLE installments DROP CONSTRAINT IF EXISTS installments_loan_id_fkey`,

  // The statement's loans, each once: locked FOR KEY SHARE (what the foreign key's check took) and counted. Always
  // through the loans' primary key, as the foreign key's lookup was: with no statistics yet (a bulk load) the planner
  // could otherwise pick a scan of every loan, each compared with the whole list.
  `CREATE FUNCTION installments_loans_exist() RETURNS trigger LANGUAGE plpgsql SET jit = off SET enable_seqscan = off AS $$
   DECLARE
     wanted bigint[] := ARRAY(SELECT DISTINCT n.loan_id FROM new_rows n);
     present integer;
     missing bigint;
   BEGIN
     SELECT count(*) INTO present FROM (SELECT 1 FROM loans l WHERE l.id = ANY(wanted) FOR KEY SHARE OF l) locked;
     IF present < cardinality(wanted) THEN
       SELECT w INTO missing FROM unnest(wanted) w WHERE NOT EXISTS (SELECT 1 FROM loans l WHERE l.id = w) LIMIT 1;
       RAISE EXCEPTION 'insert or update on table "installments" violates its loan check'
         USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (loan_id)=(%s) is not present in table "loans".', missing);
     END IF;
     RETURN NULL;
   END $$`,
  // Named to fire before installments_positions_insert (same-event triggers fire in name order).
  `CREATE TRIGGER installments_loan_check AFTER INSERT ON installments REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION installments_loans_exist()`,

  `CREATE FUNCTION loan_keys_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION '% of table "%" cannot change', TG_ARGV[0], TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
   END $$`,
  `CREATE TRIGGER installments_loan_fixed BEFORE UPDATE OF loan_id ON installments
     FOR EACH ROW WHEN (OLD.loan_id IS DISTINCT FROM NEW.loan_id) EXECUTE FUNCTION loan_keys_never_change('loan_id')`,
  `CREATE TRIGGER loans_id_fixed BEFORE UPDATE OF id ON loans
     FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION loan_keys_never_change('id')`,

  `CREATE FUNCTION installments_follow_loans() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF current_setting('transaction_isolation') <> 'read committed' THEN
       RAISE EXCEPTION 'loans are deleted under READ COMMITTED only (their installments follow them by a trigger)'
         USING ERRCODE = 'serialization_failure';
     END IF;
     DELETE FROM installments i USING old_rows o WHERE i.loan_id = o.id;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER loans_delete_installments AFTER DELETE ON loans REFERENCING OLD TABLE AS old_rows
     FOR EACH STATEMENT EXECUTE FUNCTION installments_follow_loans()`,
  `CREATE FUNCTION installments_truncated_with_loans() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     TRUNCATE installments;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER loans_truncate_installments AFTER TRUNCATE ON loans
     FOR EACH STATEMENT EXECUTE FUNCTION installments_truncated_with_loans()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS loans_truncate_installments ON loans`.execute(db);
  await sql`DROP FUNCTION IF EXISTS installments_truncated_with_loans()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS loans_delete_installments ON loans`.execute(db);
  await sql`DROP TRIGGER IF EXISTS loans_id_fixed ON loans`.execute(db);
  await sql`DROP TRIGGER IF EXISTS installments_loan_fixed ON installments`.execute(db);
  await sql`DROP TRIGGER IF EXISTS installments_loan_check ON installments`.execute(db);
  await sql`DROP FUNCTION IF EXISTS installments_follow_loans()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS loan_keys_never_change()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS installments_loans_exist()`.execute(db);
  await sql`ALTER TABLE installments ADD CONSTRAINT installments_loan_id_fkey FOREIGN KEY (loan_id) REFERENCES loans (id) ON DELETE CASCADE`.execute(db);
  await sql`CREATE INDEX installments_loan_due ON installments (loan_id, due_on) INCLUDE (principal_satang, interest_satang)`.execute(db);
  await sql`CREATE UNIQUE INDEX installments_slim_key ON installments (loan_id, seq)`.execute(db);
  await sql`ALTER TABLE installments DROP CONSTRAINT installments_pkey, ADD CONSTRAINT installments_pkey PRIMARY KEY USING INDEX installments_slim_key`.execute(db);
}
