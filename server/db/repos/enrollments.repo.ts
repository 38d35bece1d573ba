// Applications to join relief measures: the rows, their transitions, uploaded documents, officers' pending
// rejection reasons, and the schedule writes an approval makes.
import { sql, type Kysely } from 'kysely';
import type { Database, EnrollmentStatusColumn, ReviewLevelColumn } from '../schema.ts';
import type { Installment, RepaymentFrequency } from '../../domain/loan-schedule.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { deleteInstallmentsOf, insertInstallments } from './loans.repo.ts';
import { withinScope } from './areas.repo.ts';

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

/** `loanId:measureCode` of the borrower's applications still under way. */
export async function openEnrollmentKeysOfBorrower(db: Kysely<Database>, borrowerId: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('enrollments')
    .select(['loan_id', 'measure_code'])
    .where('borrower_id', '=', borrowerId)
    .where('status', 'in', ['district_review', 'province_review', 'department_review', 'needs_documents'])
    .execute();
  return new Set(rows.map((row) => `${row.loan_id}:${row.measure_code}`));
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
export async function insertEnrollment(db: Kysely<Database>, e: NewEnrollment): Promise<number | undefined> {
  const row = await db
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
}

/** Locks the application for a transition inside the caller's transaction. */
export async function lockEnrollmentState(trx: Kysely<Database>, id: number): Promise<EnrollmentStateRow | undefined> {
  return trx
    .selectFrom('enrollments')
    .select(['status', 'awaiting_level as awaitingLevel', 'return_level as returnLevel', 'version'])
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
}

/** Moves the application on, only if nobody moved it since `expectedVersion`; false otherwise. */
export async function updateEnrollmentState(trx: Kysely<Database>, id: number, expectedVersion: number, next: EnrollmentStateUpdate): Promise<boolean> {
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
      ...(next.decided ? { decided_at: next.at } : {}),
      ...(next.decisionNote !== undefined ? { decision_note: next.decisionNote } : {}),
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

export async function insertTransition(trx: Kysely<Database>, t: TransitionRow): Promise<void> {
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

// ---------- documents ----------

export interface DocumentMeta {
  id: string;
  enrollmentId: number | null;
  ownerLineUserId: string;
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  byteSize: number;
  uploadedAt: Date;
}

export async function insertDocument(
  db: Kysely<Database>,
  doc: { ownerLineUserId: string; contentType: DocumentMeta['contentType']; content: Buffer; byteSize: number; sha256: string; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('enrollment_documents')
    .values({
      owner_line_user_id: doc.ownerLineUserId,
      content_type: doc.contentType,
      byte_size: doc.byteSize,
      sha256: doc.sha256,
      content: doc.content,
      uploaded_at: doc.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Uploads a LINE user made recently and has not attached yet (a bound on what one person can store). */
export async function countUnattachedUploadsSince(db: Kysely<Database>, lineUserId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('enrollment_documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_line_user_id', '=', lineUserId)
    .where('enrollment_id', 'is', null)
    .where('uploaded_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Uploads never attached to an application are not kept: personal papers with no purpose. */
export async function deleteUnattachedUploadsBefore(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('enrollment_documents').where('enrollment_id', 'is', null).where('uploaded_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Attaches the owner's own unattached uploads; returns how many were attached. */
export async function attachDocuments(trx: Kysely<Database>, ids: readonly string[], ownerLineUserId: string, enrollmentId: number, at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx
    .updateTable('enrollment_documents')
    .set({ enrollment_id: enrollmentId, attached_at: at })
    .where('id', 'in', ids)
    .where('owner_line_user_id', '=', ownerLineUserId)
    .where('enrollment_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listDocumentsOf(db: Kysely<Database>, enrollmentIds: readonly number[]): Promise<Map<number, DocumentMeta[]>> {
  const byEnrollment = new Map<number, DocumentMeta[]>();
  if (enrollmentIds.length === 0) return byEnrollment;
  const rows = await db
    .selectFrom('enrollment_documents')
    .select(['id', 'enrollment_id as enrollmentId', 'owner_line_user_id as ownerLineUserId', 'content_type as contentType', 'byte_size as byteSize', 'uploaded_at as uploadedAt'])
    .where('enrollment_id', 'in', enrollmentIds)
    .orderBy('uploaded_at')
    .execute();
  for (const row of rows) byEnrollment.set(row.enrollmentId!, [...(byEnrollment.get(row.enrollmentId!) ?? []), row]);
  return byEnrollment;
}

export async function findDocument(db: Kysely<Database>, id: string): Promise<(DocumentMeta & { content: Buffer }) | undefined> {
  return db
    .selectFrom('enrollment_documents')
    .select(['id', 'enrollment_id as enrollmentId', 'owner_line_user_id as ownerLineUserId', 'content_type as contentType', 'byte_size as byteSize', 'uploaded_at as uploadedAt', 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---------- officers' pending rejection reasons ----------

export interface ReasonRequest {
  lineUserId: string;
  officerId: number;
  enrollmentId: number;
  version: number;
  expiresAt: Date;
}

/** One pending question per officer's LINE account: a new tap replaces the previous one. */
export async function upsertReasonRequest(db: Kysely<Database>, r: ReasonRequest & { at: Date }): Promise<void> {
  await db
    .insertInto('enrollment_reason_requests')
    .values({ line_user_id: r.lineUserId, officer_id: r.officerId, enrollment_id: r.enrollmentId, version: r.version, requested_at: r.at, expires_at: r.expiresAt })
    .onConflict((oc) =>
      oc.column('line_user_id').doUpdateSet({ officer_id: r.officerId, enrollment_id: r.enrollmentId, version: r.version, requested_at: r.at, expires_at: r.expiresAt }),
    )
    .execute();
}

/** Takes (deletes and returns) the pending question inside the caller's transaction. */
export async function takeReasonRequest(trx: Kysely<Database>, lineUserId: string): Promise<ReasonRequest | undefined> {
  return trx
    .deleteFrom('enrollment_reason_requests')
    .where('line_user_id', '=', lineUserId)
    .returning(['line_user_id as lineUserId', 'officer_id as officerId', 'enrollment_id as enrollmentId', 'version', 'expires_at as expiresAt'])
    .executeTakeFirst();
}

export async function hasReasonRequest(db: Kysely<Database>, lineUserId: string): Promise<boolean> {
  const row = await db.selectFrom('enrollment_reason_requests').select('line_user_id').where('line_user_id', '=', lineUserId).executeTakeFirst();
  return row !== undefined;
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

// ---------- what an approval writes ----------

export interface LoanForRestructuring {
  id: number;
  contractNo: string;
  borrowerId: number;
  principal: number;
  annualInterestBp: number;
  frequency: RepaymentFrequency;
  firstDueOn: LocalDate;
  litigation: boolean;
  scheduleSource: 'registry' | 'restructured';
}

/** A borrower's loans with their terms; locked for the approval's transaction when `forUpdate`. */
export async function loansForRestructuring(db: Kysely<Database>, borrowerId: number, forUpdate = false): Promise<LoanForRestructuring[]> {
  let query = db
    .selectFrom('loans')
    .select([
      'id',
      'contract_no as contractNo',
      'borrower_id as borrowerId',
      'principal_satang as principal',
      'annual_interest_bp as annualInterestBp',
      'frequency',
      'first_due_on as firstDueOn',
      'litigation',
      'schedule_source as scheduleSource',
    ])
    .where('borrower_id', '=', borrowerId)
    .orderBy('contract_no');
  if (forUpdate) query = query.forUpdate();
  return query.execute();
}

/** Replaces a loan's whole schedule (kept and new installments) and marks it restructured. */
export async function replaceScheduleWithRestructured(trx: Kysely<Database>, loanId: number, schedule: readonly Installment[], at: Date): Promise<void> {
  await deleteInstallmentsOf(trx, [loanId]);
  await insertInstallments(trx, schedule.map((installment) => ({ ...installment, loanId })));
  await trx.updateTable('loans').set({ schedule_source: 'restructured', updated_at: at }).where('id', '=', loanId).execute();
}

export async function insertLoanMeasure(
  trx: Kysely<Database>,
  m: { loanId: number; measureCode: string; startsOn: LocalDate; endsOn: LocalDate | null; enrollmentId: number; at: Date },
): Promise<void> {
  await trx
    .insertInto('loan_measures')
    .values({ loan_id: m.loanId, measure_code: m.measureCode, starts_on: m.startsOn, ends_on: m.endsOn, enrollment_id: m.enrollmentId, created_at: m.at })
    .execute();
}

/** A measure by code, active or not (an application keeps the measure it was made for). */
export async function findMeasureByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('relief_measures')
    .select(['code', 'kind', 'title', 'summary', 'details', 'effect', 'eligibility', 'active'])
    .where('code', '=', code)
    .executeTakeFirst();
}
