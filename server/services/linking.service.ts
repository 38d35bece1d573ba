// Account linking: officers issue one-time codes, people send them in chat to tie their LINE account.
import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, OfficerRole } from '../db/schema.ts';
import { DomainError } from '../domain/errors.ts';
import { areaNameWithoutPrefix, type AreaLevel } from '../domain/thai-areas.ts';
import {
  formatLinkCode,
  isThrottled,
  LINK_CODE_DIGITS,
  LINK_CODE_FAILURE_WINDOW_MINUTES,
  LINK_CODE_LIFETIME_DAYS,
} from '../domain/link-code.ts';
import { isValidNationalId, normalizeNationalId } from '../domain/thai-national-id.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { findAreaByPath, splitAreaPath } from '../db/repos/areas.repo.ts';
import { findBorrowerById, findBorrowerIdByContract, findBorrowerIdByNationalIdHash } from '../db/repos/borrowers.repo.ts';
import { deactivateOfficerRecords, findOfficerById, findOfficerByNameRoleArea, insertOfficer, listOfficers, lockOfficer } from '../db/repos/officers.repo.ts';
import {
  consumeLinkCode,
  countFailedLinkAttemptsSince,
  expireOpenCodes,
  findLinkCode,
  newerCodeExists,
  insertLinkCode,
  hasUnusedLinkCode,
  markLinkAttemptSucceeded,
  recordLinkAttempt,
} from '../db/repos/link-codes.repo.ts';
import { lockThrottleOf } from '../db/repos/locks.repo.ts';
import { ensureLineUser, linkOf, replaceLink } from '../db/repos/line-accounts.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { THAI } from '../content/chat-texts.th.ts';
import type { Clock } from './ports.ts';
import { accountNoticeNow, enqueueOutboxMessages } from './outbox.service.ts';
import { cancelPendingFor } from '../db/repos/outbox.repo.ts';

/** The levels of an area path, province first: what `--area "จ.ตราด/อ.เมืองตราด"` names. */
const AREA_LEVELS: readonly AreaLevel[] = ['province', 'district', 'subdistrict'];

/** "จ.ตราด/อ.เมืองตราด" as the registry's areas are named: its names without their level's prefix. */
function areaPathParts(areaPath: string): string[] {
  return splitAreaPath(areaPath).map((name, depth) => areaNameWithoutPrefix(AREA_LEVELS[depth] ?? 'subdistrict', name));
}

export interface LinkingDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  /** After a LINE account is linked: its rich menu follows the role. */
  onRoleChanged?: (lineUserId: string) => Promise<void>;
  /** Something was queued that should go now (the notice to an account a link replaced). */
  dispatchSoon?: () => void;
  /** Every code sent, by outcome (the metrics: guessing across many LINE accounts shows as a rate of 'wrong'). */
  onLinkAttempt?: (outcome: RedeemResult['outcome']) => void;
}

const AREA_LEVEL_OF_ROLE: Partial<Record<OfficerRole, number>> = { province: 1, district: 2, tambon: 3, mentor: 3 };

function newCode(): string {
  return String(randomInt(0, 10 ** LINK_CODE_DIGITS)).padStart(LINK_CODE_DIGITS, '0');
}

/** Codes are stored only as keyed hashes, so a copy of the database does not reveal usable codes. */
function codeHash(cipher: PersonalDataCipher, code: string): string {
  return cipher.lookupHash(`link-code:${code}`);
}

/** For issuing codes in bulk (officer-link-codes.service.ts): the same digits and the same hash as here. */
export { newCode as drawLinkCode, codeHash as linkCodeHash };

async function issueCode(deps: LinkingDeps, target: { borrowerId?: number; officerId?: number }, at: Date): Promise<{ code: string; expiresAt: Date }> {
  const expiresAt = new Date(at.getTime() + LINK_CODE_LIFETIME_DAYS * 24 * 60 * 60 * 1000);
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = newCode();
    // While keys rotate, an unused code issued under the old key would match these digits too: never reuse them.
    const oldKeyHashes = deps.cipher.lookupHashes(`link-code:${code}`).slice(1);
    if (oldKeyHashes.length > 0 && (await hasUnusedLinkCode(deps.db, oldKeyHashes))) continue;
    if (await insertLinkCode(deps.db, { codeHash: codeHash(deps.cipher, code), ...target, expiresAt, createdAt: at })) {
      return { code, expiresAt };
    }
  }
  throw new Error('could not find an unused link code');
}

export async function createBorrowerLinkCode(
  deps: LinkingDeps,
  by: { nationalId?: string; contractNo?: string },
  meta: { actor: string; at: Date },
): Promise<{ code: string; displayCode: string; expiresAt: Date; borrowerName: string }> {
  let borrowerId: number | undefined;
  if (by.nationalId !== undefined) {
    const nationalId = normalizeNationalId(by.nationalId);
    if (!isValidNationalId(nationalId)) throw new DomainError('VALIDATION', 'เลขประจำตัวประชาชนไม่ถูกต้อง (ต้องเป็นตัวเลข 13 หลักและหลักตรวจสอบถูกต้อง)');
    borrowerId = await findBorrowerIdByNationalIdHash(deps.db, deps.cipher.lookupHashes(nationalId));
    if (borrowerId === undefined) throw new DomainError('NOT_FOUND', 'ไม่พบผู้กู้ที่มีเลขประจำตัวประชาชนนี้ในทะเบียน');
  } else if (by.contractNo !== undefined) {
    borrowerId = await findBorrowerIdByContract(deps.db, by.contractNo.trim());
    if (borrowerId === undefined) throw new DomainError('NOT_FOUND', `ไม่พบสัญญาเลขที่ ${by.contractNo} ในทะเบียน`);
  } else {
    throw new DomainError('VALIDATION', 'ต้องระบุ --national-id หรือ --contract');
  }
  const borrower = (await findBorrowerById(deps.db, borrowerId))!;
  const issued = await issueCode(deps, { borrowerId }, meta.at);
  await recordAudit(deps.db, { actor: meta.actor, action: 'link_code.issue', subject: `borrower:${borrowerId}`, at: meta.at });
  return { ...issued, displayCode: formatLinkCode(issued.code), borrowerName: borrower.fullName };
}

export async function createOfficerLinkCode(
  deps: LinkingDeps,
  officer: { fullName: string; role: OfficerRole; areaPath?: string; phone?: string },
  meta: { actor: string; at: Date },
): Promise<{ code: string; displayCode: string; expiresAt: Date; officerId: number }> {
  const fullName = officer.fullName.trim();
  if (!fullName) throw new DomainError('VALIDATION', 'ต้องระบุชื่อเจ้าหน้าที่ (--name)');
  const expectedDepth = AREA_LEVEL_OF_ROLE[officer.role];
  let areaId: number | null = null;
  if (expectedDepth === undefined) {
    if (officer.areaPath) throw new DomainError('VALIDATION', `บทบาท ${officer.role} ดูแลทั้งประเทศ ไม่ต้องระบุ --area`);
  } else {
    if (!officer.areaPath) throw new DomainError('VALIDATION', `บทบาท ${officer.role} ต้องระบุ --area "จังหวัด[/อำเภอ[/ตำบล]]"`);
    const parts = areaPathParts(officer.areaPath);
    if (parts.length !== expectedDepth) {
      const shape = ['จังหวัด', 'จังหวัด/อำเภอ', 'จังหวัด/อำเภอ/ตำบล'][expectedDepth - 1];
      throw new DomainError('VALIDATION', `บทบาท ${officer.role} ต้องระบุพื้นที่แบบ "${shape}"`);
    }
    const area = await findAreaByPath(deps.db, parts.join('/'));
    if (!area) throw new DomainError('NOT_FOUND', `ไม่พบพื้นที่ "${parts.join('/')}" ในทะเบียน (นำเข้าทะเบียนเงินกู้ของพื้นที่นี้ก่อน)`);
    areaId = area.id;
  }
  // Run again (her code expired, or was lost): the same officer gets a new code, not a second record of herself.
  const known = await findOfficerByNameRoleArea(deps.db, { fullName, role: officer.role, areaId });
  const officerId = known ?? (await insertOfficer(deps.db, { fullName, phone: officer.phone, role: officer.role, areaId, at: meta.at }));
  const issued = await issueCode(deps, { officerId }, meta.at);
  await recordAudit(deps.db, { actor: meta.actor, action: 'link_code.issue', subject: `officer:${officerId}`, details: { role: officer.role }, at: meta.at });
  return { ...issued, displayCode: formatLinkCode(issued.code), officerId };
}

export type RedeemResult =
  | { outcome: 'linked_borrower'; borrowerId: number; fullName: string; replacedLineUserId?: string }
  | { outcome: 'linked_officer'; officerId: number; fullName: string; replacedLineUserId?: string }
  /** This LINE account linked with the code already (sent twice, or again later): she is linked. */
  | { outcome: 'already_linked'; kind: 'borrower' | 'officer'; fullName: string }
  /**
   * This LINE account is linked to someone else (an officer's own phone, a daughter's phone linked to her mother):
   * nothing changes and the code stays usable. Unlinking first is how to move the account.
   */
  | { outcome: 'linked_elsewhere'; kind: 'borrower' | 'officer'; fullName: string }
  | { outcome: 'wrong' | 'expired' | 'replaced' | 'used' | 'throttled' };

/**
 * A LINE user sends a code (in chat or in the mini-app). Wrong guesses are counted per LINE user and throttled,
 * atomically: under a lock on this user's attempts the recent failures are counted and, if the user may try, the
 * attempt is recorded — as a failure until the code proves right — before the lock goes. Parallel guesses therefore
 * each see the ones before them: at most LINK_CODE_MAX_FAILURES are ever checked in a window. A code links once:
 * of parallel attempts with the same right code, exactly one consumes it.
 */
export async function redeemLinkCode(deps: LinkingDeps, lineUserId: string, code: string, at: Date): Promise<RedeemResult> {
  const result = await redeemOnce(deps, lineUserId, code, at);
  deps.onLinkAttempt?.(result.outcome);
  return result;
}

async function redeemOnce(deps: LinkingDeps, lineUserId: string, code: string, at: Date): Promise<RedeemResult> {
  const windowStart = new Date(at.getTime() - LINK_CODE_FAILURE_WINDOW_MINUTES * 60_000);
  const attemptId = await deps.db.transaction().execute(async (trx) => {
    await lockThrottleOf(trx, 'linkAttempts', lineUserId);
    if (isThrottled(await countFailedLinkAttemptsSince(trx, lineUserId, windowStart))) return undefined;
    return recordLinkAttempt(trx, lineUserId, false, at);
  });
  if (attemptId === undefined) return { outcome: 'throttled' };

  const found = await findLinkCode(deps.db, deps.cipher.lookupHashes(`link-code:${code}`));
  if (!found) return { outcome: 'wrong' };
  // From here the code is a real one: not a guess, so it does not count towards the throttle (a code someone else
  // used must not lock its owner out at the forum).
  const notAGuess = () => markLinkAttemptSucceeded(deps.db, attemptId);
  const current = await linkOf(deps.db, lineUserId);
  const nameOf = async (link: { borrowerId: number | null; officerId: number | null }) =>
    link.borrowerId !== null ? (await findBorrowerById(deps.db, link.borrowerId))?.fullName ?? '' : (await findOfficerById(deps.db, link.officerId!))?.fullName ?? '';
  const isCodesPerson = (link: { borrowerId: number | null; officerId: number | null } | undefined) =>
    link !== undefined && (found.borrowerId !== null ? link.borrowerId === found.borrowerId : link.officerId === found.officerId);
  if (found.usedAt) {
    await notAGuess();
    // Sent twice, or again later, by the account it linked: say she is linked, not that the code failed.
    if (found.usedBy === lineUserId && isCodesPerson(current)) return { outcome: 'already_linked', kind: found.borrowerId !== null ? 'borrower' : 'officer', fullName: await nameOf(current!) };
    return { outcome: 'used' };
  }
  // Ended early because an officer issued a newer code: she should use that one, not ask for another.
  if (found.expiresAt <= at) {
    await notAGuess();
    return { outcome: (await newerCodeExists(deps.db, found)) ? 'replaced' : 'expired' };
  }
  // A borrower's code on an account that is someone else's. (An officer's code may take over any account: the
  // admin issues it to the officer herself, and a fund member who becomes an officer moves her own phone.)
  if (current && found.borrowerId !== null && !isCodesPerson(current)) {
    await notAGuess();
    return { outcome: 'linked_elsewhere', kind: current.borrowerId !== null ? 'borrower' : 'officer', fullName: await nameOf(current) };
  }

  const linked = await deps.db.transaction().execute(async (trx) => {
    if (!(await consumeLinkCode(trx, found.id, lineUserId, at))) return { outcome: 'used' } as const;
    await markLinkAttemptSucceeded(trx, attemptId);
    await ensureLineUser(trx, lineUserId, at);
    if (found.borrowerId !== null) {
      const { replacedLineUserId } = await replaceLink(trx, lineUserId, { borrowerId: found.borrowerId }, at);
      await recordAudit(trx, {
        actor: `line:${lineUserId}`,
        action: 'line.link',
        subject: `borrower:${found.borrowerId}`,
        details: { replacedLineUserId },
        at,
      });
      const borrower = (await findBorrowerById(trx, found.borrowerId))!;
      if (replacedLineUserId) await tellReplacedAccount(trx, replacedLineUserId, { type: 'borrower', borrowerId: found.borrowerId }, borrower.fullName, at);
      return { outcome: 'linked_borrower', borrowerId: found.borrowerId, fullName: borrower.fullName, replacedLineUserId } as const;
    }
    const officerId = found.officerId!;
    const { replacedLineUserId } = await replaceLink(trx, lineUserId, { officerId }, at);
    await recordAudit(trx, { actor: `line:${lineUserId}`, action: 'line.link', subject: `officer:${officerId}`, details: { replacedLineUserId }, at });
    const officer = (await findOfficerById(trx, officerId))!;
    if (replacedLineUserId) await tellReplacedAccount(trx, replacedLineUserId, { type: 'officer', officerId }, officer.fullName, at);
    return { outcome: 'linked_officer', officerId, fullName: officer.fullName, replacedLineUserId } as const;
  });
  if (linked.outcome !== 'used' && linked.replacedLineUserId) {
    // The account linked before (an old phone, a daughter's) loses its menu now, not at the next sweep; its notice goes.
    await deps.onRoleChanged?.(linked.replacedLineUserId);
    deps.dispatchSoon?.();
  }
  return linked;
}

/**
 * The account a new link replaced hears of it, at any hour, in the same transaction as the link: a phone that
 * silently stopped getting anything would look broken, and a code used by someone else must not go unnoticed.
 */
async function tellReplacedAccount(
  trx: Transaction<Database>,
  replacedLineUserId: string,
  recipient: { type: 'borrower'; borrowerId: number } | { type: 'officer'; officerId: number },
  fullName: string,
  at: Date,
): Promise<void> {
  const notification = { kind: 'account_replaced', role: recipient.type, fullName, at: at.toISOString() } as const;
  await enqueueOutboxMessages(trx, [accountNoticeNow(`account_replaced:${replacedLineUserId}:${at.toISOString()}`, recipient, replacedLineUserId, notification, at)]);
}

export interface OfficerDeactivation {
  fullName: string;
  /** False when she had been deactivated before: nothing changed. */
  changed: boolean;
  unlinked: boolean;
  codesEnded: number;
  messagesCancelled: number;
  menteesReleased: number;
}

/**
 * An officer leaves (transfer, retirement): from this moment her LINE account sees nothing of any debtor. Done by
 * the operator (CLI), audited; her records (visits, decisions, payments she recorded) stay, under her name.
 */
export async function deactivateOfficer(deps: LinkingDeps, officerId: number, meta: { actor: string; at: Date }): Promise<OfficerDeactivation> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const officer = await lockOfficer(trx, officerId);
    if (!officer) throw new DomainError('NOT_FOUND', `ไม่พบเจ้าหน้าที่หมายเลข ${officerId}`);
    if (!officer.active) return { fullName: officer.fullName, changed: false, unlinked: false, codesEnded: 0, messagesCancelled: 0, menteesReleased: 0, lineUserId: undefined };
    const records = await deactivateOfficerRecords(trx, officerId);
    const undone = {
      ...records,
      codesEnded: await expireOpenCodes(trx, { officerId }, meta.at),
      messagesCancelled: await cancelPendingFor(trx, { officerId }, 'officer_deactivated'),
    };
    // Her phone hears why it sees nothing any more (after the cancelling above, which would have taken this too).
    if (undone.lineUserId) {
      const notification = { kind: 'officer_deactivated', fullName: officer.fullName, at: meta.at.toISOString() } as const;
      await enqueueOutboxMessages(trx, [accountNoticeNow(`officer_deactivated:${officerId}:${meta.at.toISOString()}`, { type: 'officer', officerId }, undone.lineUserId, notification, meta.at)]);
    }
    await recordAudit(trx, {
      actor: meta.actor,
      action: 'officer.deactivate',
      subject: `officer:${officerId}`,
      details: { role: officer.role, unlinkedLineUserId: undone.lineUserId ?? null, codesEnded: undone.codesEnded, messagesCancelled: undone.messagesCancelled, menteesReleased: undone.menteesReleased },
      at: meta.at,
    });
    return { fullName: officer.fullName, changed: true, unlinked: undone.lineUserId !== undefined, ...undone };
  });
  // Her phone loses the officers' menu now, and hears why.
  if (result.lineUserId) {
    await deps.onRoleChanged?.(result.lineUserId);
    deps.dispatchSoon?.();
  }
  const { lineUserId: _unlinked, ...told } = result;
  return told;
}

/** Linking from the mini-app: the same code as in chat; a problem is a Thai error on the code field. */
export async function linkWithCode(deps: LinkingDeps, lineUserId: string, code: string, at: Date): Promise<{ linked: 'borrower' | 'officer'; fullName: string }> {
  const result = await redeemLinkCode(deps, lineUserId, code, at);
  if (result.outcome === 'linked_borrower' || result.outcome === 'linked_officer') {
    await deps.onRoleChanged?.(lineUserId);
  }
  const onCode = (message: string) => new DomainError('VALIDATION', message, [{ path: 'code', message }]);
  switch (result.outcome) {
    case 'linked_borrower':
      return { linked: 'borrower', fullName: result.fullName };
    case 'linked_officer':
      return { linked: 'officer', fullName: result.fullName };
    case 'throttled':
      throw new DomainError('THROTTLED', THAI.linkThrottled);
    case 'expired':
      throw onCode(THAI.linkExpired);
    case 'replaced':
      throw onCode(THAI.linkReplaced);
    case 'used':
      throw onCode(THAI.linkUsed);
    case 'already_linked':
      return { linked: result.kind, fullName: result.fullName };
    case 'linked_elsewhere':
      throw onCode(THAI.linkedElsewhere(result.kind, result.fullName));
    case 'wrong':
      throw onCode(THAI.linkWrong);
  }
}

export function createLinkingService(deps: LinkingDeps & { clock: Clock }) {
  return {
    issueBorrowerCode: (by: { nationalId?: string; contractNo?: string }, meta: { actor: string; at: Date }) => createBorrowerLinkCode(deps, by, meta),
    issueOfficerCode: (officer: { fullName: string; role: OfficerRole; areaPath?: string; phone?: string }, meta: { actor: string; at: Date }) =>
      createOfficerLinkCode(deps, officer, meta),
    redeem: (lineUserId: string, code: string, at: Date) => redeemLinkCode(deps, lineUserId, code, at),
    linkWithCode: (lineUserId: string, code: string) => linkWithCode(deps, lineUserId, code, deps.clock.now()),
    /** Officers for the operator's CLI (inside an area, or all). */
    listOfficers: (areaPath?: string) => listOfficers(deps.db, areaPath === undefined ? undefined : areaPathParts(areaPath).join('/')),
    deactivateOfficer: (officerId: number, meta: { actor: string; at: Date }) => deactivateOfficer(deps, officerId, meta),
  };
}

export type LinkingService = ReturnType<typeof createLinkingService>;
