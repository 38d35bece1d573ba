// Payments officers record (with a receipt) and their reversals, kept beside the registry's paid-total changes in
// `payments`; and how much of each the registry has since confirmed. Rows are only ever added.
import { sql, type Kysely, type Transaction } from 'kysely';
import { isOpeningRegistryRecord } from './payments.repo.ts';
import type { Database } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { UnconfirmedPayment } from '../../domain/payment-reconciliation.ts';
import type { PromiseCredit } from '../../domain/payment-promise.ts';

export type PaymentChannelColumn = 'counter' | 'transfer' | 'mentor' | 'field';

export interface LockedLoan {
  id: number;
  contractNo: string;
  borrowerId: number;
  /** The registry's paid total as last imported. */
  registryPaidTotal: number;
}

/** Locks the loan row for the caller's transaction: one payment (or reversal) of a loan at a time. */
export async function lockLoanForPayment(trx: Transaction<Database>, loanId: number): Promise<LockedLoan | undefined> {
  return trx
    .selectFrom('loans')
    .select(['id', 'contract_no as contractNo', 'borrower_id as borrowerId', 'paid_total_satang as registryPaidTotal'])
    .where('id', '=', loanId)
    .forUpdate()
    .executeTakeFirst();
}

export interface RecordedPaymentRow {
  id: number;
  loanId: number;
  contractNo: string;
  borrowerId: number;
  amount: number;
  paidOn: LocalDate;
  channel: PaymentChannelColumn | null;
  receiptNo: string | null;
  recordedBy: number;
  recordedAt: Date;
  reversedBy: number | null;
  confirmed: number;
}

function recordedPaymentQuery(db: Kysely<Database>) {
  return db
    .selectFrom('payments as p')
    .innerJoin('loans as l', 'l.id', 'p.loan_id')
    .select([
      'p.id',
      'p.loan_id as loanId',
      'l.contract_no as contractNo',
      'l.borrower_id as borrowerId',
      'p.amount_satang as amount',
      sql<LocalDate>`p.paid_on`.as('paidOn'),
      'p.channel',
      'p.receipt_no as receiptNo',
      sql<number>`p.recorded_by`.as('recordedBy'),
      'p.recorded_at as recordedAt',
      sql<number | null>`(SELECT r.id FROM payments r WHERE r.reverses_payment_id = p.id)`.as('reversedBy'),
      sql<number>`COALESCE((SELECT SUM(c.amount_satang) FROM payment_registry_confirmations c WHERE c.payment_id = p.id), 0)::bigint`.as('confirmed'),
    ])
    .where('p.source', '=', 'officer');
}

export async function findRecordedPayment(db: Kysely<Database>, id: number): Promise<RecordedPaymentRow | undefined> {
  return recordedPaymentQuery(db).where('p.id', '=', id).executeTakeFirst();
}

export async function findRecordedPaymentByIdempotencyKey(db: Kysely<Database>, officerId: number, key: string): Promise<RecordedPaymentRow | undefined> {
  return recordedPaymentQuery(db).where('p.recorded_by', '=', officerId).where('p.idempotency_key', '=', key).executeTakeFirst();
}

/** The loan's payment with this receipt number that has not been reversed (there is at most one). */
export async function findLiveRecordedPaymentByReceipt(db: Kysely<Database>, loanId: number, receiptNo: string): Promise<RecordedPaymentRow | undefined> {
  return recordedPaymentQuery(db)
    .where('p.loan_id', '=', loanId)
    .where('p.receipt_no', '=', receiptNo)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)`)
    .executeTakeFirst();
}

/** A payment an officer recorded; undefined when the officer already used the idempotency key. */
export async function insertRecordedPayment(
  trx: Transaction<Database>,
  p: {
    loanId: number;
    amount: number;
    paidOn: LocalDate;
    channel: PaymentChannelColumn;
    receiptNo: string;
    /** Null for a statement the CLI imported (then statementImportId says where it came from). */
    recordedBy: number | null;
    idempotencyKey: string | null;
    statementImportId?: number | null;
    note?: string | null;
    at: Date;
  },
): Promise<number | undefined> {
  const row = await trx
    .insertInto('payments')
    .values({
      loan_id: p.loanId,
      amount_satang: p.amount,
      source: 'officer',
      recorded_at: p.at,
      note: p.note ?? null,
      paid_on: p.paidOn,
      channel: p.channel,
      receipt_no: p.receiptNo,
      recorded_by: p.recordedBy,
      idempotency_key: p.idempotencyKey,
      statement_import_id: p.statementImportId ?? null,
    })
    .onConflict((oc) => oc.columns(['recorded_by', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The reversal of a recorded payment: a new row with the negative amount, pointing at the original. */
export async function insertReversal(
  trx: Transaction<Database>,
  r: { original: RecordedPaymentRow; reason: string; recordedBy: number; paidOn: LocalDate; at: Date },
): Promise<number> {
  const row = await trx
    .insertInto('payments')
    .values({
      loan_id: r.original.loanId,
      amount_satang: -r.original.amount,
      source: 'officer_reversal',
      recorded_at: r.at,
      note: r.reason,
      paid_on: r.paidOn,
      channel: r.original.channel,
      receipt_no: r.original.receiptNo,
      recorded_by: r.recordedBy,
      reverses_payment_id: r.original.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Per loan, the recorded payments the registry has not fully counted yet, oldest first. */
export async function unconfirmedRecordedPayments(db: Kysely<Database>, loanIds: readonly number[]): Promise<Map<number, UnconfirmedPayment[]>> {
  const byLoan = new Map<number, UnconfirmedPayment[]>();
  if (loanIds.length === 0) return byLoan;
  const chunkSize = 10_000;
  for (let start = 0; start < loanIds.length; start += chunkSize) {
    const { rows } = await sql<{ loanId: number; paymentId: number; unconfirmed: number }>`
      SELECT p.loan_id AS "loanId", p.id AS "paymentId",
             (p.amount_satang - COALESCE((SELECT SUM(c.amount_satang) FROM payment_registry_confirmations c WHERE c.payment_id = p.id), 0))::bigint AS unconfirmed
      FROM payments p
      WHERE p.loan_id = ANY(${loanIds.slice(start, start + chunkSize)}::bigint[]) AND p.source = 'officer'
        AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)
      ORDER BY p.loan_id, p.paid_on, p.id`.execute(db);
    for (const row of rows) {
      if (row.unconfirmed <= 0) continue;
      byLoan.set(row.loanId, [...(byLoan.get(row.loanId) ?? []), { paymentId: row.paymentId, unconfirmed: row.unconfirmed }]);
    }
  }
  return byLoan;
}

export async function insertRegistryConfirmations(
  trx: Transaction<Database>,
  confirmations: ReadonlyArray<{ paymentId: number; amount: number }>,
  meta: { at: Date; fileName: string },
): Promise<void> {
  if (confirmations.length === 0) return;
  await sql`
    INSERT INTO payment_registry_confirmations (payment_id, amount_satang, confirmed_at, file_name)
    SELECT payment_id, amount, ${meta.at}, ${meta.fileName}
    FROM unnest(${confirmations.map((c) => c.paymentId)}::bigint[], ${confirmations.map((c) => c.amount)}::bigint[]) AS u(payment_id, amount)`.execute(trx);
}

export interface PaymentHistoryRow {
  id: number;
  loanId: number;
  contractNo: string;
  amount: number;
  source: string;
  paidOn: LocalDate | null;
  recordedAt: Date;
  channel: PaymentChannelColumn | null;
  receiptNo: string | null;
  note: string | null;
  officerName: string | null;
  reversesPaymentId: number | null;
  reversedBy: number | null;
  confirmed: number;
  /** The loan's first registry record: paid before the system, not on the import's day. */
  opening: boolean;
}

/** Every payment record of the borrower's loans (registry changes, recorded payments, reversals), newest first. */
export async function paymentHistoryOfBorrower(db: Kysely<Database>, borrowerId: number, limit: number): Promise<PaymentHistoryRow[]> {
  return db
    .selectFrom('payments as p')
    .innerJoin('loans as l', 'l.id', 'p.loan_id')
    .leftJoin('officers as o', 'o.id', 'p.recorded_by')
    .select([
      'p.id',
      'p.loan_id as loanId',
      'l.contract_no as contractNo',
      'p.amount_satang as amount',
      'p.source',
      'p.paid_on as paidOn',
      'p.recorded_at as recordedAt',
      'p.channel',
      'p.receipt_no as receiptNo',
      'p.note',
      'o.full_name as officerName',
      'p.reverses_payment_id as reversesPaymentId',
      sql<number | null>`(SELECT r.id FROM payments r WHERE r.reverses_payment_id = p.id)`.as('reversedBy'),
      sql<number>`COALESCE((SELECT SUM(c.amount_satang) FROM payment_registry_confirmations c WHERE c.payment_id = p.id), 0)::bigint`.as('confirmed'),
      isOpeningRegistryRecord.as('opening'),
    ])
    .where('l.borrower_id', '=', borrowerId)
    .orderBy('p.recorded_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The money that may count towards a borrower's promises: the payments officers recorded and did not reverse, and
 * the registry's records (a negative one is a correction), with the Bangkok day each was paid or imported.
 */
export async function promiseCreditsOfBorrower(db: Kysely<Database>, borrowerId: number): Promise<PromiseCredit[]> {
  const { rows } = await sql<{ loanId: number; amount: number; paidOn: string; recordedAt: Date; source: 'officer' | 'registry' }>`
    SELECT p.loan_id AS "loanId", p.amount_satang AS amount, p.recorded_at AS "recordedAt",
      CASE WHEN p.source = 'officer' THEN 'officer' ELSE 'registry' END AS source,
      to_char(CASE WHEN p.source = 'officer' THEN p.paid_on ELSE ((p.recorded_at AT TIME ZONE 'UTC') + interval '7 hours')::date END, 'YYYY-MM-DD') AS "paidOn"
    FROM payments p JOIN loans l ON l.id = p.loan_id
    WHERE l.borrower_id = ${borrowerId}
      AND ((p.source = 'officer' AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)) OR p.source = 'registry_import')
    ORDER BY p.id`.execute(db);
  return rows.map((row) => ({ ...row, loanId: Number(row.loanId), amount: Number(row.amount), paidOn: row.paidOn as LocalDate }));
}
