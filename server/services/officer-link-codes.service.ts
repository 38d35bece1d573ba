// Link codes at the scale of a province: an officer issues one from the debtor page or the chat ("ขอรหัส สมศรี"),
// or prints a tambon's batch for the monthly forum. A new code replaces the borrower's older unused ones; every
// issue is audited. The batch's codes are drawn when its PDF is downloaded (a one-time link), so no usable code
// is ever stored — only keyed hashes, as for every other code.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { LinkCodeBatchCreated, LinkCodeIssued } from '../contracts/officer.ts';
import { recordAudits } from '../db/repos/audit.repo.ts';
import { expireOpenCodes, insertBorrowerLinkCodes } from '../db/repos/link-codes.repo.ts';
import {
  findBorrowersForCode,
  borrowerLinkedAt,
  insertLinkCodeBatch,
  setLinkCodeBatchSlipCount,
  takeLinkCodeBatch,
  unlinkedBorrowersOfArea,
} from '../db/repos/officer-work.repo.ts';
import { findSubdistrictInScope } from '../db/repos/debtor-scope.repo.ts';
import { findOfficerById } from '../db/repos/officers.repo.ts';
import { areaTitle } from '../content/area-names.ts';
import { CHAT_CODE_THAI, WORKSPACE_THAI } from '../content/officer-workspace.th.ts';
import { NAME_TITLES } from '../content/chat-intents.th.ts';
import { DomainError } from '../domain/errors.ts';
import { addDays, bangkokDate, bangkokInstant, type LocalDate } from '../domain/local-date.ts';
import { formatLinkCode, LINK_CODE_LIFETIME_DAYS } from '../domain/link-code.ts';
import { maskContractNo } from '../domain/officer-work.ts';
import { nameWithoutTitle } from '../domain/thai-text.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { ChatReply } from './chat-answers.ts';
import { drawLinkCode, linkCodeHash } from './linking.service.ts';
import { isMentorCaller, viewerOf, visibleBorrower, type OfficerCaller } from './officer-access.ts';
import type { Clock } from './ports.ts';

export interface OfficerLinkCodeDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
}

/** A batch's download link works once, for this long. */
const BATCH_LINK_MINUTES = 30;

/**
 * Issues new codes for borrowers, replacing their unused ones, in the caller's transaction-free way: expire the
 * old, insert the new (drawing again on the rare clash with another open code), audit one entry per borrower.
 */
async function issueCodes(
  deps: OfficerLinkCodeDeps,
  borrowerIds: readonly number[],
  meta: { actor: string; at: Date; via: string; batchId?: number },
): Promise<{ codes: Map<number, string>; expiresAt: Date }> {
  const expiresAt = new Date(meta.at.getTime() + LINK_CODE_LIFETIME_DAYS * 24 * 60 * 60 * 1000);
  const codes = new Map<number, string>();
  await deps.db.transaction().execute(async (trx) => {
    await expireOpenCodes(trx, { borrowerIds }, meta.at);
    let waiting = [...borrowerIds];
    for (let round = 0; waiting.length > 0; round++) {
      if (round >= 20) throw new Error('could not find unused link codes');
      const drawn = waiting.map((borrowerId) => ({ borrowerId, code: drawLinkCode() }));
      const clashed = await insertBorrowerLinkCodes(
        trx,
        drawn.map((d) => ({ borrowerId: d.borrowerId, codeHash: linkCodeHash(deps.cipher, d.code) })),
        { expiresAt, createdAt: meta.at },
      );
      waiting = [];
      for (const d of drawn) {
        if (clashed.has(linkCodeHash(deps.cipher, d.code))) waiting.push(d.borrowerId);
        else codes.set(d.borrowerId, d.code);
      }
    }
    await recordAudits(
      trx,
      borrowerIds.map((borrowerId) => ({
        actor: meta.actor,
        action: 'link_code.issue',
        subject: `borrower:${borrowerId}`,
        details: { via: meta.via, ...(meta.batchId !== undefined ? { batchId: meta.batchId } : {}) },
        at: meta.at,
      })),
    );
  });
  return { codes, expiresAt };
}

const say = (text: string): ChatReply => ({ audience: 'officer', answers: [{ kind: 'text', text }] });

/** The officer asking for a code in the chat, or what to tell her instead (not an officer, or a mentor). */
async function chatCaller(deps: OfficerLinkCodeDeps, officerId: number): Promise<{ caller: OfficerCaller } | { refused: ChatReply }> {
  const officer = await findOfficerById(deps.db, officerId);
  if (!officer) return { refused: { audience: 'guest', answers: [{ kind: 'text', text: WORKSPACE_THAI.notOfficer }] } };
  if (officer.role === 'mentor') return { refused: say(CHAT_CODE_THAI.notAllowed) };
  return { caller: { ...officer, viewer: viewerOf(officer) } };
}

/** The chat's tap on one of several matches: her code, as "ขอรหัส" with her contract number would give it. */
export async function issueCodeForChosenBorrower(deps: OfficerLinkCodeDeps, officerId: number, borrowerId: number): Promise<ChatReply> {
  const asked = await chatCaller(deps, officerId);
  if ('refused' in asked) return asked.refused;
  try {
    const issued = await issueCodeForBorrower(deps, asked.caller, borrowerId, 'chat');
    return say(CHAT_CODE_THAI.issued({ fullName: issued.fullName, code: issued.code, expiresAt: new Date(issued.expiresAt), alreadyLinked: issued.alreadyLinked }));
  } catch (error) {
    if (error instanceof DomainError) return say(error.userMessage);
    throw error;
  }
}

/** A code for one borrower the caller may see (the debtor page's button). */
export async function issueCodeForBorrower(deps: OfficerLinkCodeDeps, caller: OfficerCaller, borrowerId: number, via = 'officer_page'): Promise<LinkCodeIssued> {
  if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', WORKSPACE_THAI.mentorsCannotIssueCodes);
  const borrower = await visibleBorrower(deps.db, caller, borrowerId);
  const at = deps.clock.now();
  const { codes, expiresAt } = await issueCodes(deps, [borrower.id], { actor: `officer:${caller.id}`, at, via });
  const code = codes.get(borrower.id)!;
  return { fullName: borrower.fullName, code, displayCode: formatLinkCode(code), expiresAt: expiresAt.toISOString(), alreadyLinked: (await borrowerLinkedAt(deps.db, borrower.id)) !== undefined };
}

const CHAT_MATCHES_SHOWN = 5;

/**
 * The chat's "ขอรหัส <name or contract>": one match → the code; several → the list to choose from by contract
 * number; none → say so. The conversation calls this for an officer's issue_code message.
 */
export async function issueCodeFromChat(deps: OfficerLinkCodeDeps, officerId: number, query: string | undefined): Promise<ChatReply> {
  const checked = await chatCaller(deps, officerId);
  if ('refused' in checked) return checked.refused;
  const { caller } = checked;
  const asked = query?.trim();
  if (!asked) return say(CHAT_CODE_THAI.usage);
  let wanted = asked;
  let found = await findBorrowersForCode(deps.db, caller.viewer, wanted, CHAT_MATCHES_SHOWN + 1);
  // "ให้คุณสมศรี": a title written onto the name (tried as typed first, for names such as คุณากร).
  const untitled = nameWithoutTitle(wanted, NAME_TITLES);
  if (found.length === 0 && untitled) {
    wanted = untitled;
    found = await findBorrowersForCode(deps.db, caller.viewer, wanted, CHAT_MATCHES_SHOWN + 1);
  }
  if (found.length === 0) return say(CHAT_CODE_THAI.none(wanted));
  // A contract number picks one; so does a name that only one borrower has.
  const exact = found.filter((m) => m.contractNo?.toUpperCase() === wanted.toUpperCase() || m.fullName === wanted);
  const chosen = found.length === 1 ? found[0] : exact.length === 1 ? exact[0] : undefined;
  if (!chosen) {
    // Whom she meant, one tap each (the names shown; beyond them, a contract number picks one).
    const shown = found.slice(0, CHAT_MATCHES_SHOWN);
    return {
      ...say(CHAT_CODE_THAI.many(wanted, shown, found.length > CHAT_MATCHES_SHOWN)),
      choices: shown.map((m, i) => ({ label: `${i + 1}. ${m.fullName}`.slice(0, 20), choice: { action: 'code_for', borrower: m.borrowerId } })),
    };
  }
  const at = deps.clock.now();
  const { codes, expiresAt } = await issueCodes(deps, [chosen.borrowerId], { actor: `officer:${caller.id}`, at, via: 'chat' });
  return say(CHAT_CODE_THAI.issued({ fullName: chosen.fullName, code: codes.get(chosen.borrowerId)!, expiresAt, alreadyLinked: chosen.linked }));
}

/** Prepares a tambon's batch: how many slips, and the one-time link that draws the codes and makes the PDF. */
export async function createLinkCodeBatch(deps: OfficerLinkCodeDeps, caller: OfficerCaller, tambonId: number): Promise<LinkCodeBatchCreated> {
  if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', WORKSPACE_THAI.mentorsCannotIssueCodes);
  const tambon = await findSubdistrictInScope(deps.db, caller.scopePath, tambonId);
  if (!tambon) throw new DomainError('FORBIDDEN', WORKSPACE_THAI.tambonNotInArea);
  const at = deps.clock.now();
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(at.getTime() + BATCH_LINK_MINUTES * 60_000);
  const id = await insertLinkCodeBatch(deps.db, { officerId: caller.id, areaId: tambon.id, tokenHash: deps.cipher.lookupHash(`link-code-batch:${token}`), at, expiresAt });
  const slipCount = (await unlinkedBorrowersOfArea(deps.db, tambon.id)).length;
  return {
    id,
    tambon: areaTitle(tambon.path),
    slipCount,
    downloadUrl: `/api/liff/officer/link-code-batches/${id}/slips.pdf?token=${token}`,
    expiresAt: expiresAt.toISOString(),
  };
}

/** The data of a batch's slips, for render/link-code-slips.pdf.ts. */
export interface SlipSheetData {
  title: string;
  areaName: string;
  issuedAt: Date;
  slips: Array<{ fullName: string; contractNoMasked: string; code: string; expiresOn: LocalDate }>;
}

/**
 * The batch's one download: draws a new code for every unlinked borrower of the tambon (replacing their unused
 * ones) and returns what the slips say. A used or expired link answers 410.
 */
export async function takeBatchForDownload(deps: OfficerLinkCodeDeps, batchId: number, token: string): Promise<SlipSheetData> {
  const at = deps.clock.now();
  const batch = await deps.db.transaction().execute((trx) => takeLinkCodeBatch(trx, batchId, deps.cipher.lookupHash(`link-code-batch:${token}`), at));
  if (!batch) throw new DomainError('GONE', WORKSPACE_THAI.batchUnavailable);
  const borrowers = await unlinkedBorrowersOfArea(deps.db, batch.areaId);
  const { codes, expiresAt } = await issueCodes(
    deps,
    borrowers.map((b) => b.borrowerId),
    { actor: `officer:${batch.officerId}`, at, via: 'slip_batch', batchId: batch.id },
  );
  await deps.db.transaction().execute((trx) => setLinkCodeBatchSlipCount(trx, batch.id, borrowers.length));
  // The last day the code works all day long (README of render/): a code expiring mid-morning is printed as the day before.
  const expiresOn = addDays(bangkokDate(expiresAt), bangkokInstant(bangkokDate(expiresAt)).getTime() === expiresAt.getTime() ? 0 : -1);
  return {
    title: WORKSPACE_THAI.slipSheetTitle,
    areaName: areaTitleLong(batch.areaPath),
    issuedAt: at,
    slips: borrowers.map((b) => ({ fullName: b.fullName, contractNoMasked: maskContractNo(b.contractNo), code: codes.get(b.borrowerId)!, expiresOn })),
  };
}

/** "ตราด/เมืองตราด/บางพระ" → "ตำบลบางพระ อำเภอเมืองตราด จังหวัดตราด". */
function areaTitleLong(path: string): string {
  const [province, district, subdistrict] = path.split('/');
  return [subdistrict && `ตำบล${subdistrict}`, district && `อำเภอ${district}`, province && `จังหวัด${province}`].filter(Boolean).join(' ');
}
