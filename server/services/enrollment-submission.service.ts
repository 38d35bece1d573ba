// The borrower's actions in the mini-app: uploading documents (sniffed, encrypted, bounded), submitting an application
// (idempotent, committed with the district office's card), sending documents an officer asked for, withdrawing.
import { createHash } from 'node:crypto';
import { PRIVACY_NOTICE_VERSION, type DocumentContentType, type DocumentView, type EnrollmentRequestParsed, type EnrollmentView } from '../contracts/liff.ts';
import { findIdentity } from '../db/repos/line-accounts.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import {
  findEnrollmentById,
  findEnrollmentByIdempotencyKey,
  insertEnrollment,
  insertTransition,
  isOpenPerLoanMeasureViolation,
  openEnrollmentsOfBorrower,
  type EnrollmentRow,
} from '../db/repos/enrollments.repo.ts';
import {
  attachDocuments,
  countUnattachedUploadsSince,
  deleteUnattachedUploadsBefore,
  findDocument,
  insertDocument,
} from '../db/repos/enrollment-documents.repo.ts';
import { findOfficerById } from '../db/repos/officers.repo.ts';
import { lockThrottleOf } from '../db/repos/locks.repo.ts';
import { evaluateEligibility } from '../domain/eligibility.ts';
import {
  initialEnrollmentState,
  officerCoversArea,
  REVIEW_LEVELS,
  resubmitAsBorrower,
  withdrawAsBorrower,
  type EnrollmentStatus,
} from '../domain/enrollment-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import { ENROLLMENT_THAI } from '../content/enrollment-texts.th.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { bahtToSatang } from '../domain/money.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { commitEnrollmentStep, eligibilityFactsOf } from './enrollment-steps.service.ts';
import { notifyEnrollmentStep } from './enrollment-notifications.service.ts';
import {
  activeMeasure,
  borrowerOfLineUser,
  enrollmentViews,
  field,
  listMeasures,
  listMyEnrollments,
  loadMe,
  NOT_YOUR_CONTRACT,
  ownLoan,
  previewMeasure,
  type EnrollmentDeps,
} from './enrollment-view.service.ts';

const UPLOADS_PER_DAY = 9;
const UNATTACHED_KEPT_MS = 24 * 60 * 60 * 1000;

/** The type a file really is, from its first bytes; the client's word for it is not trusted. */
export function sniffDocumentType(bytes: Uint8Array): DocumentContentType | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return undefined;
}

export async function uploadDocument(deps: EnrollmentDeps, lineUserId: string, content: Buffer): Promise<DocumentView> {
  await borrowerOfLineUser(deps.db, lineUserId);
  const contentType = sniffDocumentType(content);
  if (!contentType) throw field('file', 'รองรับเฉพาะรูปถ่าย (JPEG, PNG) หรือไฟล์ PDF ค่ะ');
  const now = deps.clock.now();
  await deleteUnattachedUploadsBefore(deps.db, new Date(now.getTime() - UNATTACHED_KEPT_MS));
  const sha256 = createHash('sha256').update(content).digest('hex');
  // Photos of ID cards and house registrations: encrypted at rest like national IDs; byte_size and sha256 describe the original.
  const sealed = deps.cipher.sealBytes(content);
  // Counted and stored under a lock on this user's uploads: parallel uploads cannot all pass the same count.
  const id = await deps.db.transaction().execute(async (trx) => {
    await lockThrottleOf(trx, 'uploads', lineUserId);
    if ((await countUnattachedUploadsSince(trx, lineUserId, new Date(now.getTime() - UNATTACHED_KEPT_MS))) >= UPLOADS_PER_DAY) {
      throw new DomainError('THROTTLED', 'วันนี้แนบไฟล์ไปหลายครั้งแล้วค่ะ กรุณาส่งคำขอด้วยไฟล์ที่แนบไว้ หรือลองใหม่พรุ่งนี้');
    }
    return insertDocument(trx, { ownerLineUserId: lineUserId, contentType, content: sealed, byteSize: content.length, sha256, at: now });
  });
  return { id, contentType, byteSize: content.length };
}

/**
 * A document's bytes for the borrower who owns it, or for an officer on its review path (district office,
 * province, department of the borrower's area). Every officer's look is audited.
 */
export async function readDocument(deps: EnrollmentDeps, lineUserId: string, documentId: string): Promise<{ contentType: string; content: Buffer }> {
  const stored = await findDocument(deps.db, documentId);
  if (!stored) throw new DomainError('NOT_FOUND', 'ไม่พบเอกสารนี้ค่ะ');
  const document = { ...stored, content: deps.cipher.openBytes(stored.content) };
  if (document.ownerLineUserId === lineUserId) return document;
  const identity = await findIdentity(deps.db, lineUserId);
  const enrollment = document.enrollmentId !== null ? await findEnrollmentById(deps.db, document.enrollmentId) : undefined;
  if (enrollment && identity.kind === 'borrower' && identity.borrowerId === enrollment.borrowerId) return document;
  if (enrollment && identity.kind === 'officer') {
    const officer = await findOfficerById(deps.db, identity.officerId);
    if (officer && REVIEW_LEVELS.some((level) => officerCoversArea(officer, level, enrollment.areaPath))) {
      await recordAudit(deps.db, {
        actor: `officer:${officer.id}`,
        action: 'enrollment.document.view',
        subject: `enrollment:${enrollment.id}`,
        details: { documentId },
        at: deps.clock.now(),
      });
      return document;
    }
  }
  throw new DomainError('FORBIDDEN', 'ท่านไม่มีสิทธิ์ดูเอกสารนี้ค่ะ');
}

export async function submitEnrollment(
  deps: EnrollmentDeps,
  lineUserId: string,
  idempotencyKey: string,
  parse: () => EnrollmentRequestParsed,
): Promise<{ id: number; status: EnrollmentStatus; replayed: boolean }> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  // A repeat of a request that already succeeded answers with the same application. Unless it now asks for another
  // contract or measure (she changed the form after a send whose answer was lost): that one was never made, and must
  // not be reported as made.
  const earlier = await findEnrollmentByIdempotencyKey(deps.db, lineUserId, idempotencyKey);
  const input = parse();
  if (earlier) {
    if (earlier.contractNo !== input.contractNo || earlier.measureCode !== input.measureCode) {
      throw new DomainError('CONFLICT', ENROLLMENT_THAI.sentBeforeOtherwise(earlier.id, earlier.contractNo, earlier.measureTitle));
    }
    return { id: earlier.id, status: earlier.status, replayed: true };
  }

  const loan = await ownLoan(deps, borrowerId, input.contractNo);
  const measure = await activeMeasure(deps, input.measureCode);
  const now = deps.clock.now();
  const today = bangkokDate(now);

  // A request with the same key may have committed a moment ago (a double tap): that is a replay, not a conflict.
  const replayOrConflict = async () => {
    const same = await findEnrollmentByIdempotencyKey(deps.db, lineUserId, idempotencyKey);
    if (same) return { id: same.id, status: same.status, replayed: true };
    throw openConflict();
  };
  const openByLoan = await openEnrollmentsOfBorrower(deps.db, borrowerId);
  if (openByLoan.get(loan.id)?.some((open) => open.measureCode === measure.code)) return replayOrConflict();
  const overview = await loadDebtOverview(deps.db, borrowerId, today);
  const position = overview?.loans.find((l) => l.id === loan.id);
  if (!overview || !position) throw new DomainError('FORBIDDEN', NOT_YOUR_CONTRACT);
  // Another measure's application for this loan still open refuses this one (they do not stack).
  const verdict = evaluateEligibility(measure.eligibility, eligibilityFactsOf(overview, position, measure.code, openByLoan));
  if (!verdict.eligible) {
    throw new DomainError('VALIDATION', verdict.reasons[0]!, verdict.reasons.map((message) => ({ path: 'measureCode', message })));
  }

  const { state, deadlineAt } = initialEnrollmentState(now);
  const satang = (baht: number | undefined) => (baht === undefined ? null : bahtToSatang(baht));
  const actor = `borrower:${borrowerId}`;
  let created: EnrollmentRow;
  try {
    created = await deps.db.transaction().execute(async (trx) => {
      const id = await insertEnrollment(trx, {
        borrowerId,
        loanId: loan.id,
        measureCode: measure.code,
        lineUserId,
        idempotencyKey,
        status: state.status,
        awaitingLevel: state.awaitingLevel!,
        deadlineAt,
        reasonCode: input.reasonCode ?? null,
        reason: input.reason,
        phone: input.phone,
        monthlyIncome: satang(input.monthlyIncome),
        monthlyExpenses: satang(input.monthlyExpenses),
        affordablePayment: satang(input.affordableMonthlyPayment),
        consentVersion: PRIVACY_NOTICE_VERSION,
        at: now,
      });
      if (id === undefined) throw new IdempotentReplay();
      if (input.documentIds.length > 0 && (await attachDocuments(trx, input.documentIds, lineUserId, id, now)) !== input.documentIds.length) {
        throw field('documentIds', 'ไฟล์เอกสารบางไฟล์ใช้ไม่ได้แล้วค่ะ กรุณาแนบใหม่อีกครั้ง');
      }
      await insertTransition(trx, { enrollmentId: id, occurredAt: now, actor, fromStatus: null, toStatus: state.status, note: null });
      await recordAudit(trx, {
        actor,
        action: 'enrollment.submit',
        subject: `enrollment:${id}`,
        details: { from: null, to: state.status, contractNo: loan.contractNo, measureCode: measure.code, documents: input.documentIds.length, consentVersion: PRIVACY_NOTICE_VERSION },
        at: now,
      });
      const row = (await findEnrollmentById(trx, id))!;
      // The district office's card commits with the application: neither exists without the other.
      await notifyEnrollmentStep(trx, deps.log, row, { from: null, to: state.status, version: state.version, deadlineAt, note: null, by: { type: 'borrower' } }, now);
      return row;
    });
  } catch (error) {
    if (error instanceof IdempotentReplay) {
      const same = (await findEnrollmentByIdempotencyKey(deps.db, lineUserId, idempotencyKey))!;
      return { id: same.id, status: same.status, replayed: true };
    }
    if (isOpenPerLoanMeasureViolation(error)) return replayOrConflict();
    throw error;
  }
  deps.dispatchSoon?.();
  return { id: created.id, status: created.status, replayed: false };
}

class IdempotentReplay extends Error {}

function openConflict(): DomainError {
  return new DomainError('CONFLICT', 'ท่านมีคำขอเข้าร่วมมาตรการนี้สำหรับสัญญานี้ที่อยู่ระหว่างพิจารณาแล้วค่ะ ติดตามได้ที่หน้า "คำขอของฉัน"');
}

async function ownEnrollment(deps: EnrollmentDeps, lineUserId: string, enrollmentId: number): Promise<{ borrowerId: number; enrollment: EnrollmentRow }> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  const enrollment = await findEnrollmentById(deps.db, enrollmentId);
  if (!enrollment || enrollment.borrowerId !== borrowerId) throw new DomainError('NOT_FOUND', 'ไม่พบคำขอนี้ค่ะ');
  return { borrowerId, enrollment };
}

export async function resubmitEnrollment(
  deps: EnrollmentDeps,
  lineUserId: string,
  enrollmentId: number,
  input: { documentIds: string[]; note?: string | undefined },
): Promise<EnrollmentView> {
  const { borrowerId } = await ownEnrollment(deps, lineUserId, enrollmentId);
  const now = deps.clock.now();
  const committed = await commitEnrollmentStep(deps.db, {
    enrollmentId,
    decide: (state) => resubmitAsBorrower(state, now),
    actor: `borrower:${borrowerId}`,
    note: input.note ?? null,
    at: now,
    attach: { documentIds: input.documentIds, ownerLineUserId: lineUserId },
    withStep: (trx, c) => notifyEnrollmentStep(trx, deps.log, c.enrollment, { ...c.step, version: c.step.state.version, note: c.note, by: { type: 'borrower' } }, now),
  });
  if (!committed.ok) throw new DomainError('CONFLICT', 'คำขอนี้ไม่ได้รอเอกสารเพิ่มเติมแล้วค่ะ');
  deps.dispatchSoon?.();
  return (await enrollmentViews(deps.db, [committed.enrollment], { borrowerAt: now }))[0]!;
}

export async function withdrawEnrollment(deps: EnrollmentDeps, lineUserId: string, enrollmentId: number): Promise<EnrollmentView> {
  const { borrowerId } = await ownEnrollment(deps, lineUserId, enrollmentId);
  const now = deps.clock.now();
  const committed = await commitEnrollmentStep(deps.db, {
    enrollmentId,
    decide: (state) => withdrawAsBorrower(state, now),
    actor: `borrower:${borrowerId}`,
    note: null,
    at: now,
    withStep: (trx, c) => notifyEnrollmentStep(trx, deps.log, c.enrollment, { ...c.step, version: c.step.state.version, note: null, by: { type: 'borrower' } }, now),
  });
  if (!committed.ok) throw new DomainError('CONFLICT', 'คำขอนี้พิจารณาเสร็จแล้ว จึงยกเลิกไม่ได้ค่ะ');
  deps.dispatchSoon?.();
  return (await enrollmentViews(deps.db, [committed.enrollment], { borrowerAt: now }))[0]!;
}

/** Everything a borrower does in the mini-app, as the HTTP edge calls it. */
export function createBorrowerEnrollmentService(deps: EnrollmentDeps) {
  return {
    listMeasures: () => listMeasures(deps.db),
    me: (lineUserId: string) => loadMe(deps, lineUserId),
    preview: (lineUserId: string, query: { contractNo: string; measureCode: string }) => previewMeasure(deps, lineUserId, query),
    uploadDocument: (lineUserId: string, content: Buffer) => uploadDocument(deps, lineUserId, content),
    readDocument: (lineUserId: string, documentId: string) => readDocument(deps, lineUserId, documentId),
    submit: (lineUserId: string, idempotencyKey: string, parse: () => EnrollmentRequestParsed) => submitEnrollment(deps, lineUserId, idempotencyKey, parse),
    listMine: (lineUserId: string) => listMyEnrollments(deps, lineUserId),
    resubmit: (lineUserId: string, enrollmentId: number, input: { documentIds: string[]; note?: string | undefined }) =>
      resubmitEnrollment(deps, lineUserId, enrollmentId, input),
    withdraw: (lineUserId: string, enrollmentId: number) => withdrawEnrollment(deps, lineUserId, enrollmentId),
  };
}

export type BorrowerEnrollmentService = ReturnType<typeof createBorrowerEnrollmentService>;
