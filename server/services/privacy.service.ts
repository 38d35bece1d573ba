// The borrower's rights under Thailand's PDPA, in her own hands: a copy of what the fund holds about her, and
// unlinking her LINE account (reminders stop at once; a new code links again). Officers may unlink themselves too.
import { followUpsOfBorrower, promisesOfFollowUps } from '../db/repos/follow-ups.repo.ts';
import { FOLLOW_UP_KIND_THAI, FOLLOW_UP_OUTCOME_THAI, PROMISE_STATUS_THAI } from '../contracts/officer.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DataCopy } from '../contracts/privacy.ts';
import { auditEntriesAbout, recordAudit } from '../db/repos/audit.repo.ts';
import { findBorrowerById, sealedNationalIdOf } from '../db/repos/borrowers.repo.ts';
import { listEnrollmentsOfBorrower, listTransitions } from '../db/repos/enrollments.repo.ts';
import { listDocumentsOf } from '../db/repos/enrollment-documents.repo.ts';
import { findIdentity, linkOf, removeLink } from '../db/repos/line-accounts.repo.ts';
import { borrowerWithLoans } from '../db/repos/loans.repo.ts';
import { cancelPendingFor, messagesToBorrower } from '../db/repos/outbox.repo.ts';
import { findOfficerById } from '../db/repos/officers.repo.ts';
import { paymentsOfBorrower } from '../db/repos/payments.repo.ts';
import { slipsOfBorrower } from '../db/repos/payment-slips.repo.ts';
import { SLIP_STATUS_THAI } from '../contracts/money.ts';
import { DomainError } from '../domain/errors.ts';
import { BORROWER_ENROLLMENT_STATUS_THAI, isOpenStatus } from '../domain/enrollment-workflow.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { formatAreaPath, ROLE_TITLE } from '../content/area-names.ts';
import { ACTOR, describeAuditAction, describeMessageKind, describeMessageStatus, describePaymentSource } from '../content/privacy.th.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { Clock } from './ports.ts';

export interface PrivacyDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  /** After unlinking: the rich menu goes back to the unlinked one. */
  onRoleChanged?: (lineUserId: string) => Promise<void>;
}

/**
 * Unlinks a LINE account from the borrower or officer it belongs to. Pending messages to a borrower are cancelled
 * in the same transaction (nothing more reaches this LINE account about her debts), and it is audited.
 */
export async function unlinkLineAccount(deps: PrivacyDeps, lineUserId: string): Promise<{ was: 'borrower' | 'officer' | 'none' }> {
  const now = deps.clock.now();
  const was = await deps.db.transaction().execute(async (trx) => {
    const removed = await removeLink(trx, lineUserId);
    if (!removed) return 'none' as const;
    if (removed.borrowerId !== null) await cancelPendingFor(trx, { borrowerId: removed.borrowerId }, 'unlinked');
    await recordAudit(trx, {
      actor: `line:${lineUserId}`,
      action: 'line.unlink',
      subject: removed.borrowerId !== null ? `borrower:${removed.borrowerId}` : `officer:${removed.officerId}`,
      details: { by: 'self' },
      at: now,
    });
    return removed.borrowerId !== null ? ('borrower' as const) : ('officer' as const);
  });
  if (was !== 'none') await deps.onRoleChanged?.(lineUserId);
  return { was };
}

/** Everything the fund holds about the borrower this LINE account is linked to — hers alone — audited. */
export async function dataCopyOf(deps: PrivacyDeps, lineUserId: string): Promise<DataCopy> {
  const identity = await findIdentity(deps.db, lineUserId);
  if (identity.kind !== 'borrower') {
    throw new DomainError(identity.kind === 'officer' ? 'FORBIDDEN' : 'NOT_LINKED', 'หน้านี้แสดงข้อมูลของผู้กู้ที่ผูกบัญชีแล้วเท่านั้นค่ะ');
  }
  const borrowerId = identity.borrowerId;
  const now = deps.clock.now();
  const [profile, withLoans, sealed, payments, enrollments, messages, link] = await Promise.all([
    findBorrowerById(deps.db, borrowerId),
    borrowerWithLoans(deps.db, borrowerId, bangkokDate(now)),
    sealedNationalIdOf(deps.db, borrowerId),
    paymentsOfBorrower(deps.db, borrowerId),
    listEnrollmentsOfBorrower(deps.db, borrowerId),
    messagesToBorrower(deps.db, borrowerId, 500),
    linkOf(deps.db, lineUserId),
  ]);
  if (!profile || !withLoans) throw new DomainError('NOT_LINKED', 'ไม่พบข้อมูลของท่านค่ะ');
  const ids = enrollments.map((e) => e.id);
  const [transitions, documents, followUps, slips] = await Promise.all([
    listTransitions(deps.db, ids),
    listDocumentsOf(deps.db, ids),
    followUpsOfBorrower(deps.db, borrowerId, 500),
    slipsOfBorrower(deps.db, borrowerId, 500),
  ]);
  const promises = await promisesOfFollowUps(deps.db, followUps.map((f) => f.id));
  const subjects = [`borrower:${borrowerId}`, ...withLoans.loans.map((loan) => `loan:${loan.id}`), ...ids.map((id) => `enrollment:${id}`)];
  const accessLog = await auditEntriesAbout(deps.db, borrowerId, subjects, 500);
  const officerNames = new Map<string, string>();
  for (const entry of accessLog) {
    const match = /^officer:(\d+)$/.exec(entry.actor);
    if (match && !officerNames.has(entry.actor)) {
      const officer = await findOfficerById(deps.db, Number(match[1]));
      officerNames.set(entry.actor, officer ? `${officer.fullName} (${ROLE_TITLE[officer.role]})` : ACTOR.officer);
    }
  }
  // "You" only for what this LINE account or she herself did: another LINE account acting on her data (one that
  // linked with her code, say) is exactly what this log must show.
  const who = (actor: string) => {
    if (actor === `line:${lineUserId}` || actor === `borrower:${borrowerId}`) return ACTOR.herself;
    if (actor.startsWith('line:')) return ACTOR.otherLineAccount;
    return officerNames.get(actor) ?? (actor === 'cli' ? ACTOR.administrator : ACTOR.system);
  };

  // Her own copy is itself an access to her data.
  await recordAudit(deps.db, { actor: `borrower:${borrowerId}`, action: 'borrower.data_copy', subject: `borrower:${borrowerId}`, at: now });
  return {
    generatedAt: now.toISOString(),
    person: {
      fullName: profile.fullName,
      nationalId: sealed ? deps.cipher.decrypt(sealed) : '',
      phone: profile.phone,
      area: formatAreaPath(profile.areaPath),
    },
    lineAccount: link ? { lineUserId, linkedAt: link.linkedAt.toISOString() } : null,
    loans: withLoans.loans.map((loan) => ({
      contractNo: loan.contractNo,
      principal: loan.principal,
      annualInterestBp: loan.annualInterestBp,
      frequency: loan.frequency,
      paidTotal: loan.paidTotal,
      litigation: loan.litigation,
      measure: loan.activeMeasureTitle,
      installments: loan.installments.map((i) => ({ seq: i.seq, dueOn: i.dueOn, principal: i.principal, interest: i.interest, paid: i.paid })),
    })),
    payments: payments.map((p) => ({ contractNo: p.contractNo, amount: p.amount, recordedAt: p.recordedAt.toISOString(), source: p.source, sourceLabel: describePaymentSource(p.source) })),
    applications: enrollments.map((e) => ({
      id: e.id,
      contractNo: e.contractNo,
      measureTitle: e.measureTitle,
      status: BORROWER_ENROLLMENT_STATUS_THAI[e.status],
      open: isOpenStatus(e.status),
      reason: e.reason,
      phone: e.phone,
      submittedAt: e.submittedAt.toISOString(),
      documents: documents.get(e.id)?.length ?? 0,
      history: (transitions.get(e.id) ?? []).map((t) => ({ at: t.occurredAt.toISOString(), status: BORROWER_ENROLLMENT_STATUS_THAI[t.toStatus], note: t.note })),
    })),
    followUps: followUps.map((f) => {
      const promise = promises.get(f.id);
      return {
        on: f.contactedOn,
        kind: FOLLOW_UP_KIND_THAI[f.kind],
        outcome: FOLLOW_UP_OUTCOME_THAI[f.outcome],
        note: f.note,
        nextActionOn: f.nextActionOn,
        officer: f.officerName,
        promise: promise ? { amount: promise.amount, promisedOn: promise.promisedOn, status: PROMISE_STATUS_THAI[promise.status] } : null,
      };
    }),
    slips: slips.map((slip) => ({ receivedAt: slip.receivedAt.toISOString(), status: SLIP_STATUS_THAI[slip.status], reference: slip.transRef, rejectReason: slip.rejectReason })),
    messages: messages.map((m) => ({
      kind: m.kind,
      kindLabel: describeMessageKind(m.kind),
      status: m.status,
      statusLabel: describeMessageStatus(m.status),
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
    })),
    accessLog: accessLog.map((entry) => ({ at: entry.occurredAt.toISOString(), who: who(entry.actor), action: entry.action, what: describeAuditAction(entry.action) })),
  };
}

export function createPrivacyService(deps: PrivacyDeps) {
  return {
    unlink: (lineUserId: string) => unlinkLineAccount(deps, lineUserId),
    dataCopy: (lineUserId: string) => dataCopyOf(deps, lineUserId),
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
