// The borrower's side of the mini-app: their loans, which measures they can join and why not, a preview of the
// new schedule, submitting an application (idempotent), following it, sending more documents, withdrawing.
// The LINE user always comes from a verified ID token (the HTTP edge); nothing here trusts an id a page sent.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import {
  PRIVACY_NOTICE_VERSION,
  type DocumentContentType,
  type DocumentView,
  type EnrollmentRequestParsed,
  type EnrollmentView,
  type LoanView,
  type MeResponse,
  type MeasureInfo,
  type PreviewResponse,
} from '../contracts/liff.ts';
import { findIdentity } from '../db/repos/line-accounts.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import {
  countUnattachedUploadsSince,
  deleteUnattachedUploadsBefore,
  findDocument,
  findEnrollmentById,
  findEnrollmentByIdempotencyKey,
  findMeasureByCode,
  insertDocument,
  insertEnrollment,
  insertTransition,
  attachDocuments,
  isOpenPerLoanMeasureViolation,
  listDocumentsOf,
  listEnrollmentsOfBorrower,
  listTransitions,
  loansForRestructuring,
  openEnrollmentKeysOfBorrower,
  type EnrollmentRow,
} from '../db/repos/enrollments.repo.ts';
import { findOfficerById } from '../db/repos/officers.repo.ts';
import { DEBTOR_STATUS_LABEL, isOverdueOn } from '../domain/debtor-status.ts';
import { evaluateEligibility } from '../domain/eligibility.ts';
import {
  ENROLLMENT_STATUS_THAI,
  initialEnrollmentState,
  isOpenStatus,
  officerCoversArea,
  REVIEW_LEVEL_THAI,
  REVIEW_LEVELS,
  resubmitAsBorrower,
  withdrawAsBorrower,
  type EnrollmentStatus,
} from '../domain/enrollment-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import { installmentTotal } from '../domain/loan-schedule.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { bahtToSatang } from '../domain/money.ts';
import { effectChangesSchedule, explainRestructuring } from '../domain/restructuring.ts';
import { formatAreaPath } from '../content/area-names.ts';
import { THAI } from '../content/chat-texts.th.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { redeemLinkCode } from './linking.service.ts';
import { activeMeasures } from './measure-catalogue.ts';
import type { Clock } from './ports.ts';
import { commitEnrollmentStep, effectOf, eligibilityFactsOf, planRestructuring } from './enrollment-steps.service.ts';
import { notifyEnrollmentStep } from './enrollment-notifications.service.ts';

export interface EnrollmentDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  /** https://liff.line.me/{LIFF_ID} */
  liffUrl: string;
  log: Logger;
  /** Asks the dispatcher to send the step's notifications now. */
  dispatchSoon?: () => void;
}

const NOT_LINKED = 'บัญชี LINE นี้ยังไม่ได้ผูกกับข้อมูลผู้กู้ค่ะ กรุณากรอกรหัสผูกบัญชี 8 หลักที่ได้รับจากเจ้าหน้าที่';
const OFFICER_ACCOUNT = 'บัญชี LINE นี้ผูกกับเจ้าหน้าที่ค่ะ หน้านี้สำหรับผู้กู้ ท่านพิจารณาคำขอได้จากการ์ดในแชท';
const NOT_YOUR_CONTRACT = 'สัญญานี้ไม่ใช่ของท่าน หรือไม่มีในทะเบียนค่ะ';

/** The borrower a verified LINE user is linked to. */
export async function borrowerOfLineUser(db: Kysely<Database>, lineUserId: string): Promise<number> {
  const identity = await findIdentity(db, lineUserId);
  if (identity.kind === 'borrower') return identity.borrowerId;
  if (identity.kind === 'officer') throw new DomainError('FORBIDDEN', OFFICER_ACCOUNT);
  throw new DomainError('NOT_LINKED', NOT_LINKED);
}

function field(path: string, message: string): DomainError {
  return new DomainError('VALIDATION', message, [{ path, message }]);
}

// ---------- linking from the mini-app ----------

export async function linkFromLiff(deps: EnrollmentDeps, lineUserId: string, code: string): Promise<{ linked: 'borrower' | 'officer'; fullName: string }> {
  const result = await redeemLinkCode(deps, lineUserId, code, deps.clock.now());
  switch (result.outcome) {
    case 'linked_borrower':
      return { linked: 'borrower', fullName: result.fullName };
    case 'linked_officer':
      return { linked: 'officer', fullName: result.fullName };
    case 'throttled':
      throw new DomainError('THROTTLED', THAI.linkThrottled);
    case 'expired':
      throw field('code', THAI.linkExpired);
    case 'used':
      throw field('code', THAI.linkUsed);
    case 'wrong':
      throw field('code', THAI.linkWrong);
  }
}

// ---------- the catalogue and the borrower's own loans ----------

export async function listMeasures(db: Kysely<Database>): Promise<MeasureInfo[]> {
  return (await activeMeasures(db)).map((m) => ({
    code: m.code,
    kind: m.kind,
    title: m.title,
    summary: m.summary,
    details: m.details,
    changesSchedule: effectChangesSchedule(effectOf(m.effect)),
  }));
}

export async function loadMe(deps: EnrollmentDeps, lineUserId: string): Promise<MeResponse> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  const today = bangkokDate(deps.clock.now());
  const [overview, measures, openKeys, terms] = await Promise.all([
    loadDebtOverview(deps.db, borrowerId, today),
    activeMeasures(deps.db),
    openEnrollmentKeysOfBorrower(deps.db, borrowerId),
    loansForRestructuring(deps.db, borrowerId),
  ]);
  if (!overview) throw new DomainError('NOT_LINKED', NOT_LINKED);
  const restructured = new Set(terms.filter((t) => t.scheduleSource === 'restructured').map((t) => t.id));

  const loans: LoanView[] = overview.loans.map((loan) => {
    const label = DEBTOR_STATUS_LABEL[loan.position.status];
    return {
      contractNo: loan.contractNo,
      status: loan.position.status,
      statusLabel: label.thai,
      colour: label.hex,
      principal: loan.principal,
      annualInterestBp: loan.annualInterestBp,
      frequency: loan.frequency,
      paidTotal: loan.paidTotal,
      outstandingPrincipal: loan.position.outstandingPrincipal,
      outstandingTotal: loan.position.outstandingTotal,
      overdue: loan.position.overdue,
      daysPastDue: loan.position.daysPastDue,
      nextDue: loan.position.nextDue ? { dueOn: loan.position.nextDue.dueOn, amount: loan.position.nextDue.amount } : null,
      activeMeasure: loan.activeMeasureCode ? { code: loan.activeMeasureCode, title: loan.activeMeasureTitle ?? loan.activeMeasureCode } : null,
      restructured: restructured.has(loan.id),
      installments: loan.installments.map((i) => {
        const amount = installmentTotal(i);
        const state = i.paid >= amount ? 'paid' : isOverdueOn(i.dueOn, today) ? 'overdue' : i.paid > 0 ? 'partly_paid' : 'upcoming';
        return { seq: i.seq, dueOn: i.dueOn, amount, paid: i.paid, state };
      }),
      eligibility: measures.map((measure) => ({
        measureCode: measure.code,
        ...evaluateEligibility(measure.eligibility, eligibilityFactsOf(overview, loan, openKeys.has(`${loan.id}:${measure.code}`))),
      })),
    };
  });
  const status = DEBTOR_STATUS_LABEL[overview.status];
  return {
    borrower: {
      fullName: overview.borrower.fullName,
      nationalIdMasked: overview.borrower.nationalIdMasked,
      area: formatAreaPath(overview.borrower.areaPath),
      status: overview.status,
      statusLabel: status.thai,
      colour: status.hex,
    },
    today,
    loans,
  };
}

async function ownLoan(deps: EnrollmentDeps, borrowerId: number, contractNo: string) {
  const loans = await loansForRestructuring(deps.db, borrowerId);
  const loan = loans.find((l) => l.contractNo === contractNo);
  if (!loan) throw new DomainError('FORBIDDEN', NOT_YOUR_CONTRACT);
  return loan;
}

async function activeMeasure(deps: EnrollmentDeps, code: string) {
  const measure = await findMeasureByCode(deps.db, code);
  if (!measure || !measure.active) throw field('measureCode', 'ไม่พบมาตรการนี้ หรือมาตรการปิดรับสมัครแล้วค่ะ');
  return measure;
}

// ---------- preview ----------

export async function previewMeasure(deps: EnrollmentDeps, lineUserId: string, query: { contractNo: string; measureCode: string }): Promise<PreviewResponse> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  const loan = await ownLoan(deps, borrowerId, query.contractNo);
  const measure = await activeMeasure(deps, query.measureCode);
  const effect = effectOf(measure.effect);
  const plan = await planRestructuring(deps.db, { borrowerId, loanId: loan.id, effect, today: bangkokDate(deps.clock.now()) });
  const chosen = plan.loans[0]!.result;
  const fresh = chosen.schedule.slice(chosen.keptCount);
  return {
    contractNo: loan.contractNo,
    measureCode: measure.code,
    measureTitle: measure.title,
    changesSchedule: plan.changesSchedule,
    contracts: plan.loans.map((l) => l.loan.contractNo),
    before: plan.before,
    after: plan.after,
    pause: plan.pause,
    carriedInterest: plan.carriedInterest,
    explanation: [
      ...explainRestructuring(plan, effect),
      ...(plan.loans.length > 1 ? [`รวม ${plan.loans.length} สัญญา (${plan.loans.map((l) => l.loan.contractNo).join(', ')}) ให้ครบกำหนดวันเดียวกันทุกเดือน`] : []),
    ],
    firstInstallments: plan.changesSchedule
      ? fresh.slice(0, 12).map((i) => ({ dueOn: i.dueOn, principal: i.principal, interest: i.interest, amount: installmentTotal(i) }))
      : [],
  };
}

// ---------- documents ----------

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
  if (!contentType) throw field('file', 'รองรับเฉพาะรูปภาพ JPEG, PNG หรือเอกสาร PDF ค่ะ');
  const now = deps.clock.now();
  await deleteUnattachedUploadsBefore(deps.db, new Date(now.getTime() - UNATTACHED_KEPT_MS));
  if ((await countUnattachedUploadsSince(deps.db, lineUserId, new Date(now.getTime() - UNATTACHED_KEPT_MS))) >= UPLOADS_PER_DAY) {
    throw new DomainError('THROTTLED', 'วันนี้แนบไฟล์ไปหลายครั้งแล้วค่ะ กรุณาส่งคำขอด้วยไฟล์ที่แนบไว้ หรือลองใหม่พรุ่งนี้');
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  // Photos of ID cards and house registrations: encrypted at rest like national IDs; byte_size and sha256 describe the original.
  const id = await insertDocument(deps.db, { ownerLineUserId: lineUserId, contentType, content: deps.cipher.sealBytes(content), byteSize: content.length, sha256, at: now });
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

// ---------- applications ----------

export async function submitEnrollment(
  deps: EnrollmentDeps,
  lineUserId: string,
  idempotencyKey: string,
  parse: () => EnrollmentRequestParsed,
): Promise<{ id: number; status: EnrollmentStatus; replayed: boolean }> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  // A repeat of a request that already succeeded answers with the same application, whatever it carries now.
  const earlier = await findEnrollmentByIdempotencyKey(deps.db, lineUserId, idempotencyKey);
  if (earlier) return { id: earlier.id, status: earlier.status, replayed: true };

  const input = parse();
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
  const openKeys = await openEnrollmentKeysOfBorrower(deps.db, borrowerId);
  if (openKeys.has(`${loan.id}:${measure.code}`)) return replayOrConflict();
  const overview = await loadDebtOverview(deps.db, borrowerId, today);
  const position = overview?.loans.find((l) => l.id === loan.id);
  if (!overview || !position) throw new DomainError('FORBIDDEN', NOT_YOUR_CONTRACT);
  const verdict = evaluateEligibility(measure.eligibility, eligibilityFactsOf(overview, position, false));
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
      await notifyEnrollmentStep({ ...deps, db: trx }, row, { from: null, to: state.status, version: state.version, deadlineAt, note: null }, now);
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

export async function enrollmentViews(db: Kysely<Database>, rows: EnrollmentRow[]): Promise<EnrollmentView[]> {
  const ids = rows.map((row) => row.id);
  const [transitions, documents] = await Promise.all([listTransitions(db, ids), listDocumentsOf(db, ids)]);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    statusLabel: ENROLLMENT_STATUS_THAI[row.status],
    contractNo: row.contractNo,
    measureCode: row.measureCode,
    measureTitle: row.measureTitle,
    reasonCode: row.reasonCode,
    reason: row.reason,
    phone: row.phone,
    monthlyIncome: row.monthlyIncome,
    monthlyExpenses: row.monthlyExpenses,
    affordableMonthlyPayment: row.affordablePayment,
    submittedAt: row.submittedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    awaitingLevel: row.awaitingLevel,
    awaitingLevelLabel: row.awaitingLevel ? REVIEW_LEVEL_THAI[row.awaitingLevel] : null,
    deadlineAt: row.deadlineAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    history: (transitions.get(row.id) ?? []).map((t) => ({
      at: t.occurredAt.toISOString(),
      fromStatus: t.fromStatus,
      toStatus: t.toStatus,
      label: ENROLLMENT_STATUS_THAI[t.toStatus],
      note: t.note,
    })),
    documents: (documents.get(row.id) ?? []).map((d) => ({ id: d.id, contentType: d.contentType, byteSize: d.byteSize })),
    canResubmit: row.status === 'needs_documents',
    canWithdraw: isOpenStatus(row.status),
  }));
}

export async function listMyEnrollments(deps: EnrollmentDeps, lineUserId: string): Promise<EnrollmentView[]> {
  const borrowerId = await borrowerOfLineUser(deps.db, lineUserId);
  return enrollmentViews(deps.db, await listEnrollmentsOfBorrower(deps.db, borrowerId));
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
    withStep: (trx, c) => notifyEnrollmentStep({ ...deps, db: trx }, c.enrollment, { ...c.step, version: c.step.state.version, note: c.note }, now),
  });
  if (!committed.ok) throw new DomainError('CONFLICT', 'คำขอนี้ไม่ได้รอเอกสารเพิ่มเติมแล้วค่ะ');
  deps.dispatchSoon?.();
  return (await enrollmentViews(deps.db, [committed.enrollment]))[0]!;
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
    withStep: (trx, c) => notifyEnrollmentStep({ ...deps, db: trx }, c.enrollment, { ...c.step, version: c.step.state.version, note: null }, now),
  });
  if (!committed.ok) throw new DomainError('CONFLICT', 'คำขอนี้พิจารณาเสร็จแล้ว จึงยกเลิกไม่ได้ค่ะ');
  deps.dispatchSoon?.();
  return (await enrollmentViews(deps.db, [committed.enrollment]))[0]!;
}
