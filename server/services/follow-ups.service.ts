// The 5 ต. log: an officer or mentor records a contact (with photos, a next action and perhaps a promise to pay).
// Idempotent by the request's key, audited, correctable by its author for 24 hours (a wrong photo can be taken off
// then), never deleted.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { FollowUpEditParsed, FollowUpRequestParsed } from '../contracts/officer.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { loadInstallments } from '../db/repos/loans.repo.ts';
import { loansForRestructuring } from '../db/repos/restructuring.repo.ts';
import {
  attachPhotos,
  countUnattachedPhotosSince,
  deletePhotosOfFollowUp,
  deleteUnattachedPhotosBefore,
  findFollowUpByIdempotencyKey,
  findPhoto,
  insertFollowUp,
  insertFollowUpPhoto,
  insertPromise,
  lockFollowUp,
  photoIdsOfFollowUps,
  promiseOfFollowUp,
  updateFollowUp,
  updatePromiseTerms,
  type FollowUpFields,
} from '../db/repos/follow-ups.repo.ts';
import { cancelPendingMessageForReplacement } from '../db/repos/outbox.repo.ts';
import { DomainError } from '../domain/errors.ts';
import { addDays, bangkokDate, type LocalDate } from '../domain/local-date.ts';
import { outstandingOfSchedule } from '../domain/loan-schedule.ts';
import { canEditFollowUp, isWithinBackdate, MAX_BACKDATE_DAYS, MAX_PROMISE_DAYS_AHEAD } from '../domain/officer-work.ts';
import { WORKSPACE_THAI } from '../content/officer-workspace.th.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { sniffDocumentType } from './enrollment-submission.service.ts';
import { field, visibleBorrower, type OfficerCaller } from './officer-access.ts';
import { promiseReminderKey, queuePromiseReminder, rejudgeBorrowerPromises } from './payment-promises.service.ts';
import type { Clock } from './ports.ts';

export interface FollowUpDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  promiseGraceDays: number;
}

const PHOTOS_PER_DAY = 30;
const UNATTACHED_KEPT_MS = 24 * 60 * 60 * 1000;

interface CheckedFields {
  fields: FollowUpFields;
  promise: { loanId: number | null; contractNo: string | null; amount: number; promisedOn: LocalDate } | null;
}

/** The checks a new follow-up and a correction share: dates in range, contracts of this borrower, a promise when promised. */
async function checkFields(deps: FollowUpDeps, borrowerId: number, input: FollowUpEditParsed, today: LocalDate): Promise<CheckedFields> {
  if (!isWithinBackdate(input.contactedOn, today, MAX_BACKDATE_DAYS.contact)) throw field('contactedOn', WORKSPACE_THAI.contactedOnRange);
  if (input.nextActionOn !== null && (input.nextActionOn < input.contactedOn || input.nextActionOn > addDays(input.contactedOn, MAX_PROMISE_DAYS_AHEAD))) {
    throw field('nextActionOn', WORKSPACE_THAI.nextActionRange);
  }
  const loans = await loansForRestructuring(deps.db, borrowerId);
  const loanOf = (contractNo: string | null, path: string) => {
    if (contractNo === null) return null;
    const loan = loans.find((l) => l.contractNo === contractNo);
    if (!loan) throw field(path, WORKSPACE_THAI.contractNotOfBorrower);
    return loan.id;
  };
  const loanId = loanOf(input.contractNo, 'contractNo');
  if (input.outcome === 'promised' && input.promise === null) throw field('promise', WORKSPACE_THAI.promiseRequired);
  let promise: CheckedFields['promise'] = null;
  if (input.promise) {
    if (input.promise.promisedOn < input.contactedOn || input.promise.promisedOn > addDays(input.contactedOn, MAX_PROMISE_DAYS_AHEAD)) {
      throw field('promise.promisedOn', WORKSPACE_THAI.promiseDateRange);
    }
    // A promise about one contract when the follow-up names one, or the one loan the borrower has.
    const contractNo = input.promise.contractNo ?? input.contractNo ?? (loans.length === 1 ? loans[0]!.contractNo : null);
    promise = { loanId: loanOf(contractNo, 'promise.contractNo'), contractNo, amount: input.promise.amountSatang, promisedOn: input.promise.promisedOn };
    // Not more than is owed (on that contract, or on all of hers): a slip of the thumb would become her reminder.
    const owedOn = promise.loanId === null ? loans.map((loan) => loan.id) : [promise.loanId];
    const schedules = await loadInstallments(deps.db, owedOn);
    const outstanding = owedOn.reduce((sum, id) => sum + outstandingOfSchedule(schedules.get(id) ?? []), 0);
    if (promise.amount > outstanding) throw field('promise.amountSatang', WORKSPACE_THAI.promiseOverOutstanding(outstanding));
  }
  return {
    fields: { loanId, kind: input.kind, stage: input.stage, contactedOn: input.contactedOn, outcome: input.outcome, note: input.note, nextActionOn: input.nextActionOn },
    promise,
  };
}

class IdempotentReplay extends Error {}

export async function recordFollowUp(
  deps: FollowUpDeps,
  caller: OfficerCaller,
  idempotencyKey: string,
  parse: () => FollowUpRequestParsed,
): Promise<{ id: number; promiseId: number | null; replayed: boolean }> {
  const earlier = await findFollowUpByIdempotencyKey(deps.db, caller.id, idempotencyKey);
  if (earlier) return { id: earlier.id, promiseId: (await promiseOfFollowUp(deps.db, earlier.id))?.id ?? null, replayed: true };

  const input = parse();
  const borrower = await visibleBorrower(deps.db, caller, input.borrowerId);
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const { fields, promise } = await checkFields(deps, borrower.id, input, today);
  const actor = `officer:${caller.id}`;
  try {
    const created = await deps.db.transaction().execute(async (trx) => {
      const id = await insertFollowUp(trx, { ...fields, borrowerId: borrower.id, officerId: caller.id, idempotencyKey, at: now });
      if (id === undefined) throw new IdempotentReplay();
      if (input.photoIds.length > 0 && (await attachPhotos(trx, input.photoIds, caller.id, id, now)) !== input.photoIds.length) {
        throw field('photoIds', WORKSPACE_THAI.photosUnavailable);
      }
      let promiseId: number | null = null;
      if (promise) {
        promiseId = await insertPromise(trx, { followUpId: id, borrowerId: borrower.id, loanId: promise.loanId, amount: promise.amount, madeOn: fields.contactedOn, promisedOn: promise.promisedOn, at: now });
        await queuePromiseReminder(trx, { id: promiseId, borrowerId: borrower.id, fullName: borrower.fullName, amount: promise.amount, promisedOn: promise.promisedOn, contractNo: promise.contractNo }, today);
        // Paid the same day, or paid already before the officer got round to recording the visit.
        await rejudgeBorrowerPromises(trx, borrower.id, { today, graceDays: deps.promiseGraceDays, at: now, actor });
      }
      await recordAudit(trx, {
        actor,
        action: 'follow_up.record',
        subject: `borrower:${borrower.id}`,
        details: { followUpId: id, kind: fields.kind, stage: fields.stage, outcome: fields.outcome, photos: input.photoIds.length, promiseId },
        at: now,
      });
      return { id, promiseId };
    });
    return { ...created, replayed: false };
  } catch (error) {
    if (!(error instanceof IdempotentReplay)) throw error;
    const same = (await findFollowUpByIdempotencyKey(deps.db, caller.id, idempotencyKey))!;
    return { id: same.id, promiseId: (await promiseOfFollowUp(deps.db, same.id))?.id ?? null, replayed: true };
  }
}

/**
 * Whether the caller's follow-up sent under this key reached the database: a form whose answer never came back (the
 * signal dropped, the app was closed) asks before it offers to send again. Only her own keys are found.
 */
export async function followUpByKey(deps: FollowUpDeps, caller: OfficerCaller, idempotencyKey: string): Promise<{ id: number; borrowerId: number; contactedOn: LocalDate }> {
  const found = await findFollowUpByIdempotencyKey(deps.db, caller.id, idempotencyKey);
  if (!found) throw new DomainError('NOT_FOUND', WORKSPACE_THAI.followUpNotFound);
  return found;
}

/** The author corrects a follow-up within 24 hours; a promise can be changed only while it is still open. */
export async function editFollowUp(deps: FollowUpDeps, caller: OfficerCaller, followUpId: number, input: FollowUpEditParsed): Promise<{ id: number; promiseId: number | null }> {
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const actor = `officer:${caller.id}`;
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockFollowUp(trx, followUpId);
    if (!current) throw new DomainError('NOT_FOUND', WORKSPACE_THAI.followUpNotFound);
    const borrower = await visibleBorrower(trx, caller, current.borrowerId);
    if (!canEditFollowUp(current, { officerId: caller.id }, now)) throw new DomainError('FORBIDDEN', WORKSPACE_THAI.followUpNotEditable);
    const { fields, promise } = await checkFields({ ...deps, db: trx }, current.borrowerId, input, today);
    const existing = await promiseOfFollowUp(trx, followUpId);
    if (existing && !promise) throw field('promise', WORKSPACE_THAI.promiseCannotBeRemoved);
    const changed: string[] = (Object.keys(fields) as Array<keyof FollowUpFields>).filter((key) => fields[key] !== current[key]);
    await updateFollowUp(trx, followUpId, fields, now);
    if (input.photoIds !== undefined) {
      const kept = new Set(input.photoIds);
      const before = (await photoIdsOfFollowUps(trx, [followUpId])).get(followUpId) ?? [];
      const removed = before.filter((id) => !kept.has(id));
      const added = [...kept].filter((id) => !before.includes(id));
      await deletePhotosOfFollowUp(trx, followUpId, removed);
      if ((await attachPhotos(trx, added, caller.id, followUpId, now)) !== added.length) throw field('photoIds', WORKSPACE_THAI.photosUnavailable);
      if (removed.length > 0 || added.length > 0) changed.push('photos');
    }
    let promiseId = existing?.id ?? null;
    if (promise) {
      const sameTerms = existing && existing.amount === promise.amount && existing.promisedOn === promise.promisedOn && existing.loanId === promise.loanId && existing.madeOn === fields.contactedOn;
      if (existing && !sameTerms) {
        if (existing.status !== 'open') throw field('promise', WORKSPACE_THAI.promiseAlreadyJudged);
        await updatePromiseTerms(trx, existing.id, { loanId: promise.loanId, amount: promise.amount, madeOn: fields.contactedOn, promisedOn: promise.promisedOn });
        // Its reminder is queued again below with the new terms, under the same key when only the amount changed.
        await cancelPendingMessageForReplacement(trx, promiseReminderKey(existing.id, existing.promisedOn), 'promise_changed');
        changed.push('promise');
      } else if (!existing) {
        changed.push('promise');
        promiseId = await insertPromise(trx, { followUpId, borrowerId: current.borrowerId, loanId: promise.loanId, amount: promise.amount, madeOn: fields.contactedOn, promisedOn: promise.promisedOn, at: now });
      }
      if (!sameTerms) {
        await queuePromiseReminder(trx, { id: promiseId!, borrowerId: borrower.id, fullName: borrower.fullName, amount: promise.amount, promisedOn: promise.promisedOn, contractNo: promise.contractNo }, today);
        await rejudgeBorrowerPromises(trx, current.borrowerId, { today, graceDays: deps.promiseGraceDays, at: now, actor });
      }
    }
    // Which fields changed, not their values: a note may hold personal details.
    await recordAudit(trx, { actor, action: 'follow_up.edit', subject: `borrower:${current.borrowerId}`, details: { followUpId, changed: [...new Set(changed)], promiseId }, at: now });
    return { id: followUpId, promiseId };
  });
}

/** A photo from a visit: sniffed (JPEG or PNG only), encrypted like application documents, kept a day unless attached. */
export async function uploadFollowUpPhoto(deps: FollowUpDeps, caller: OfficerCaller, content: Buffer): Promise<{ id: string; contentType: 'image/jpeg' | 'image/png'; byteSize: number }> {
  const contentType = sniffDocumentType(content);
  if (contentType !== 'image/jpeg' && contentType !== 'image/png') throw field('file', WORKSPACE_THAI.photoType);
  const now = deps.clock.now();
  await deleteUnattachedPhotosBefore(deps.db, new Date(now.getTime() - UNATTACHED_KEPT_MS));
  if ((await countUnattachedPhotosSince(deps.db, caller.id, new Date(now.getTime() - UNATTACHED_KEPT_MS))) >= PHOTOS_PER_DAY) {
    throw new DomainError('THROTTLED', WORKSPACE_THAI.photosPerDay);
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const id = await insertFollowUpPhoto(deps.db, { officerId: caller.id, contentType, content: deps.cipher.sealBytes(content), byteSize: content.length, sha256, at: now });
  return { id, contentType, byteSize: content.length };
}

/** A follow-up photo, for whoever may see its debtor (or its uploader before it is attached); every look is audited. */
export async function readFollowUpPhoto(deps: FollowUpDeps, caller: OfficerCaller, photoId: string): Promise<{ contentType: string; content: Buffer }> {
  const photo = await findPhoto(deps.db, photoId);
  if (!photo) throw new DomainError('NOT_FOUND', WORKSPACE_THAI.photoNotFound);
  if (photo.borrowerId === null) {
    if (photo.officerId !== caller.id) throw new DomainError('NOT_FOUND', WORKSPACE_THAI.photoNotFound);
  } else {
    await visibleBorrower(deps.db, caller, photo.borrowerId);
    await recordAudit(deps.db, { actor: `officer:${caller.id}`, action: 'follow_up.photo.view', subject: `borrower:${photo.borrowerId}`, details: { photoId }, at: deps.clock.now() });
  }
  return { contentType: photo.contentType, content: deps.cipher.openBytes(photo.content) };
}
