// A registry import places its debtors itself, once per slice of loans, instead of through the statement triggers of
// 0010: for an import those joined every written installment back to its loan (60,000 rows a slice) to find whose
// position moved, which more than doubled a first import of 100,000 loans. The import sets
// `wdf.defer_debtor_positions` for its own transaction only (set_config(..., true)); every other writer — an
// approval, a payment, a follow-up, another transaction during the import — still goes through the triggers.
//
// And the refresh never JIT-compiles: inside an import the tables have no statistics yet, the planner's estimate for
// a few thousand debtors passed PostgreSQL's jit_above_cost, and compiling took 300–450 ms of every 400 ms call —
// for a query that runs in 40 ms.
import { sql, type Kysely } from 'kysely';

const installmentsFunction = (deferrable: boolean) => `
  CREATE OR REPLACE FUNCTION debtor_positions_after_installments() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
  BEGIN
    ${deferrable ? "IF current_setting('wdf.defer_debtor_positions', true) = 'on' THEN RETURN NULL; END IF;" : ''}
    IF TG_OP = 'DELETE' THEN
      PERFORM refresh_debtor_positions(ARRAY(SELECT DISTINCT l.borrower_id FROM old_rows o JOIN loans l ON l.id = o.loan_id));
    ELSE
      PERFORM refresh_debtor_positions(ARRAY(SELECT DISTINCT l.borrower_id FROM new_rows n JOIN loans l ON l.id = n.loan_id));
    END IF;
    RETURN NULL;
  END $$`;

const loansFunction = (deferrable: boolean) => `
  CREATE OR REPLACE FUNCTION debtor_positions_after_loans() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
  BEGIN
    ${deferrable ? "IF current_setting('wdf.defer_debtor_positions', true) = 'on' THEN RETURN NULL; END IF;" : ''}
    PERFORM refresh_debtor_positions(ARRAY(
      SELECT n.borrower_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.borrower_id <> o.borrower_id OR n.litigation IS DISTINCT FROM o.litigation
      UNION
      SELECT o.borrower_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.borrower_id <> o.borrower_id));
    RETURN NULL;
  END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(installmentsFunction(true)).execute(db);
  await sql.raw(loansFunction(true)).execute(db);
  await sql`ALTER FUNCTION refresh_debtor_positions(bigint[]) SET jit = off`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER FUNCTION refresh_debtor_positions(bigint[]) RESET jit`.execute(db);
  await sql.raw(installmentsFunction(false)).execute(db);
  await sql.raw(loansFunction(false)).execute(db);
}
