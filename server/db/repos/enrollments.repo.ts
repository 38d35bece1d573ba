// Applications to join relief measures: the rows, their transitions, and the deadlines they wait under.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, EnrollmentStatusColumn, ReviewLevelColumn } from '../schema.ts';
import { withinScope } from './areas.repo.ts';
import { OPEN_ENROLLMENT_STATUSES } from '../../domain/enrollment-workflow.ts';

export interface EnrollmentRow {
  id: number;
  borrowerId: number;
  loanId: number;
  contractNo: string;
  measureCode: string;
  measureTitle: string;
  status: EnrollmentStatusColumn;
  awaitingLevel: ReviewLevelColumn | null;
  deadlineAt: Date | null;
  levelEnteredAt: Date | null;
  returnLevel: ReviewLevelColumn | null;
  version: number;
  reasonCode: string | null;
  reason: string;
  phone: string;
  monthlyIncome: number | null;
  monthlyExpenses: number | null;
  affordablePayment: number | null;
  decisionNote: string | null;
  /** What an officer asked the borrower to send (while needs_documents, and kept after). */
  requestedDocuments: Array<{ code: string; label: string }> | null;
  /** A rejection can be undone until then, back to undoStatus. */
  undoUntil: Date | null;
  undoStatus: EnrollmentStatusColumn | null;
  undoDeadlineAt: Date | null;
  submittedByLineUserId: string;
  submittedAt: Date;
  updatedAt: Date;
  decidedAt: Date | null;
  borrowerName: string;
  nationalIdMasked: string;
  areaPath: string;
}

function enrollmentQuery(db: Kysely<Database>) {
  return db
    .selectFrom('enrollments as e')
    .innerJoin('loans as l', 'l.id', 'e.loan_id')
    .innerJoin('relief_measures as m', 'm.code', 'e.measure_code')
    .innerJoin('borrowers as b', 'b.id', 'e.borrower_id')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .select([
      'e.id',
      'e.borrower_id as borrowerId',
      'e.loan_id as loanId',
      'l.contract_no as contractNo',
      'e.measure_code as measureCode',
      'm.title as measureTitle',
      'e.status',
      'e.awaiting_level as awaitingLevel',
      'e.deadline_at as deadlineAt',
      'e.level_entered_at as levelEnteredAt',
      'e.return_level as returnLevel',
      'e.version',
      'e.reason_code as reasonCode',
      'e.reason',
      'e.phone',
      'e.monthly_income_satang as monthlyIncome',
      'e.monthly_expenses_satang as monthlyExpenses',
      'e.affordable_payment_satang as affordablePayment',
      'e.decision_note as decisionNote',
      'e.requested_documents as requestedDocuments',
      'e.undo_until as undoUntil',
      'e.undo_status as undoStatus',
      'e.undo_deadline_at as undoDeadlineAt',
      'e.submitted_by_line_user_id as submittedByLineUserId',
      'e.submitted_at as submittedAt',
      'e.updated_at as updatedAt',
      'e.decided_at as decidedAt',
      'b.full_name as borrowerName',
      'b.national_id_masked as nationalIdMasked',
      'a.path as areaPath',
    ]);
}

export async function findEnrollmentById(db: Kysely<Database>, id: number): Promise<EnrollmentRow | undefined> {
  return enrollmentQuery(db).where('e.id', '=', id).executeTakeFirst();
}

export async function findEnrollmentByIdempotencyKey(db: Kysely<Database>, lineUserId: string, key: string): Promise<EnrollmentRow | undefined> {
  return enrollmentQuery(db).where('e.submitted_by_line_user_id', '=', lineUserId).where('e.idempotency_key', '=', key).executeTakeFirst();
}

export async function listEnrollmentsOfBorrower(db: Kysely<Database>, borrowerId: number): Promise<EnrollmentRow[]> {
  return enrollmentQuery(db).where('e.borrower_id', '=', borrowerId).orderBy('e.id', 'desc').execute();
}

/** An application of a borrower still under review (or waiting for her documents), by its loan. */
export interface OpenEnrollment {
  id: number;
  measureCode: string;
  measureTitle: string;
}

/** The borrower's open applications by loan id (the oldest first, where an older rule let two be open at once). */
export async function openEnrollmentsOfBorrower(db: Kysely<Database>, borrowerId: number): Promise<Map<number, OpenEnrollment[]>> {
  const rows = await db
    .selectFrom('enrollments as e')
    .innerJoin('relief_measures as m', 'm.code', 'e.measure_code')
    .select(['e.id', 'e.loan_id', 'e.measure_code', 'm.title'])
    .where('e.borrower_id', '=', borrowerId)
    .where('e.status', 'in', OPEN_ENROLLMENT_STATUSES)
    .orderBy('e.id')
    .execute();
  const byLoan = new Map<number, OpenEnrollment[]>();
  for (const row of rows) {
    const open = byLoan.get(row.loan_id) ?? [];
    open.push({ id: row.id, measureCode: row.measure_code, measureTitle: row.title });
    byLoan.set(row.loan_id, open);
  }
  return byLoan;
}

export interface NewEnrollment {
  borrowerId: number;
  loanId: number;
  measureCode: string;
  lineUserId: string;
  idempotencyKey: string;
  status: EnrollmentStatusColumn;
  awaitingLevel: ReviewLevelColumn;
  deadlineAt: Date;
  reasonCode: string | null;
  reason: string;
  phone: string;
  monthlyIncome: number | null;
  monthlyExpenses: number | null;
  affordablePayment: number | null;
  consentVersion: string;
  at: Date;
}

export const OPEN_PER_LOAN_MEASURE_INDEX = 'enrollments_one_open_per_loan_measure';

/**
 * Inserts an application; undefined when this LINE user already used the idempotency key. A second open
 * application for the same loan and measure fails with a unique violation on OPEN_PER_LOAN_MEASURE_INDEX.
 */
export async function insertEnrollment(trx: Transaction<Database>, e: NewEnrollment): Promise<number | undefined> {
  const row = await trx
    .insertInto('enrollments')
    .values({
      borrower_id: e.borrowerId,
      loan_id: e.loanId,
      measure_code: e.measureCode,
      submitted_by_line_user_id: e.lineUserId,
      idempotency_key: e.idempotencyKey,
      status: e.status,
      awaiting_level: e.awaitingLevel,
      deadline_at: e.deadlineAt,
      level_entered_at: e.at,
      reason_code: e.reasonCode,
      reason: e.reason,
      phone: e.phone,
      monthly_income_satang: e.monthlyIncome,
      monthly_expenses_satang: e.monthlyExpenses,
      affordable_payment_satang: e.affordablePayment,
      consent_version: e.consentVersion,
      consented_at: e.at,
      submitted_at: e.at,
      updated_at: e.at,
    })
    .onConflict((oc) => oc.columns(['submitted_by_line_user_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export function isOpenPerLoanMeasureViolation(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === OPEN_PER_LOAN_MEASURE_INDEX || String(e.message).includes(OPEN_PER_LOAN_MEASURE_INDEX));
}

export interface EnrollmentStateRow {
  status: EnrollmentStatusColumn;
  awaitingLevel: ReviewLevelColumn | null;
  returnLevel: ReviewLevelColumn | null;
  version: number;
  deadlineAt: Date | null;
  undoUntil: Date | null;
  undoStatus: EnrollmentStatusColumn | null;
  undoDeadlineAt: Date | null;
}

/** Locks the application for a transition inside the caller's transaction. */
export async function lockEnrollmentState(trx: Transaction<Database>, id: number): Promise<EnrollmentStateRow | undefined> {
  return trx
    .selectFrom('enrollments')
    .select([
      'status',
      'awaiting_level as awaitingLevel',
      'return_level as returnLevel',
      'version',
      'deadline_at as deadlineAt',
      'undo_until as undoUntil',
      'undo_status as undoStatus',
      'undo_deadline_at as undoDeadlineAt',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface EnrollmentStateUpdate {
  status: EnrollmentStatusColumn;
  awaitingLevel: ReviewLevelColumn | null;
  returnLevel: ReviewLevelColumn | null;
  version: number;
  deadlineAt: Date | null;
  at: Date;
  decided: boolean;
  decisionNote?: string | null;
  requestedDocuments?: Array<{ code: string; label: string }> | null;
  /** Set on a rejection (the window to take it back), cleared by every other step. */
  undo?: { until: Date; status: EnrollmentStatusColumn; deadlineAt: Date | null } | null;
}

/** Moves the application on, only if nobody moved it since `expectedVersion`; false otherwise. */
export async function updateEnrollmentState(trx: Transaction<Database>, id: number, expectedVersion: number, next: EnrollmentStateUpdate): Promise<boolean> {
  const result = await trx
    .updateTable('enrollments')
    .set({
      status: next.status,
      awaiting_level: next.awaitingLevel,
      return_level: next.returnLevel,
      version: next.version,
      deadline_at: next.deadlineAt,
      level_entered_at: next.awaitingLevel ? next.at : null,
      updated_at: next.at,
      decided_at: next.decided ? next.at : null,
      ...(next.decisionNote !== undefined ? { decision_note: next.decisionNote } : {}),
      ...(next.requestedDocuments !== undefined ? { requested_documents: next.requestedDocuments === null ? null : JSON.stringify(next.requestedDocuments) } : {}),
      undo_until: next.undo?.until ?? null,
      undo_status: next.undo?.status ?? null,
      undo_deadline_at: next.undo?.deadlineAt ?? null,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface TransitionRow {
  enrollmentId: number;
  occurredAt: Date;
  actor: string;
  fromStatus: EnrollmentStatusColumn | null;
  toStatus: EnrollmentStatusColumn;
  note: string | null;
}

export async function insertTransition(trx: Transaction<Database>, t: TransitionRow): Promise<void> {
  await trx
    .insertInto('enrollment_transitions')
    .values({ enrollment_id: t.enrollmentId, occurred_at: t.occurredAt, actor: t.actor, from_status: t.fromStatus, to_status: t.toStatus, note: t.note })
    .execute();
}

export async function listTransitions(db: Kysely<Database>, enrollmentIds: readonly number[]): Promise<Map<number, TransitionRow[]>> {
  const byEnrollment = new Map<number, TransitionRow[]>();
  if (enrollmentIds.length === 0) return byEnrollment;
  const rows = await db
    .selectFrom('enrollment_transitions')
    .select(['enrollment_id as enrollmentId', 'occurred_at as occurredAt', 'actor', 'from_status as fromStatus', 'to_status as toStatus', 'note'])
    .where('enrollment_id', 'in', enrollmentIds)
    .orderBy('id')
    .execute();
  for (const row of rows) byEnrollment.set(row.enrollmentId, [...(byEnrollment.get(row.enrollmentId) ?? []), row]);
  return byEnrollment;
}

// ---------- deadlines ----------

export interface OverdueEnrollmentDeadline {
  enrollmentId: number;
  status: EnrollmentStatusColumn;
  deadlineAt: Date;
  /** The borrower's area ("province/district/subdistrict"): who is responsible follows from it and the status. */
  areaPath: string;
  contractNo: string;
}

/** Applications waiting at an officer level past their 15 days, oldest deadline first (for the reminder system). */
export async function listOverdueEnrollmentDeadlines(db: Kysely<Database>, now: Date): Promise<OverdueEnrollmentDeadline[]> {
  const rows = await db
    .selectFrom('enrollments as e')
    .innerJoin('loans as l', 'l.id', 'e.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'e.borrower_id')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .select(['e.id as enrollmentId', 'e.status', 'e.deadline_at as deadlineAt', 'a.path as areaPath', 'l.contract_no as contractNo'])
    .where('e.awaiting_level', 'is not', null)
    .where('e.deadline_at', '<', now)
    .orderBy('e.deadline_at')
    .orderBy('e.id')
    .execute();
  return rows.map((row) => ({ ...row, deadlineAt: row.deadlineAt! }));
}

/** Applications waiting at a review level inside an area (the whole country when scopePath is null). */
export async function countAwaitingReview(db: Kysely<Database>, level: ReviewLevelColumn, scopePath: string | null): Promise<number> {
  const row = await db
    .selectFrom('enrollments as e')
    .innerJoin('borrowers as b', 'b.id', 'e.borrower_id')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('e.awaiting_level', '=', level)
    .where(withinScope(sql.ref('a.path'), scopePath))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Applications waiting at one of these levels inside an area (the whole country when scopePath is null), deadline first. */
export async function listEnrollmentsAwaiting(db: Kysely<Database>, levels: readonly ReviewLevelColumn[], scopePath: string | null): Promise<EnrollmentRow[]> {
  if (levels.length === 0) return [];
  return enrollmentQuery(db)
    .where('e.awaiting_level', 'in', levels)
    .where(withinScope(sql.ref('a.path'), scopePath))
    .orderBy('e.deadline_at')
    .orderBy('e.id')
    .limit(500)
    .execute();
}
