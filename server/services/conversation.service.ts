// The chat: decides what to answer a borrower, an officer or a not-yet-linked person.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { detectBorrowerIntent, detectOfficerIntent, parseOfficerMessage, type BorrowerIntent } from '../domain/chat-intent.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { normalizeLinkCode } from '../domain/link-code.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { findIdentity, recordFollowState, type LinkedIdentity } from '../db/repos/line-accounts.repo.ts';
import { findOfficerById, officersAbove, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { findBorrowerById } from '../db/repos/borrowers.repo.ts';
import { activeMeasures } from './measure-catalogue.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { deliveryHistoryOfBorrower } from '../db/repos/outbox.repo.ts';
import type { Clock } from './ports.ts';
import type { ChatAction, ChatAnswer, ChatAudience, ChatReply } from './chat-answers.ts';
import { redeemLinkCode } from './linking.service.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { lookupDebtors, summariseOfficerArea } from './portfolio.service.ts';
import { answerPendingRejectionReason } from './enrollment-review.service.ts';
import { issueCodeFromChat } from './officer-link-codes.service.ts';
import { officerMaySeeBorrower } from './officer-access.ts';
import { THAI } from '../content/chat-texts.th.ts';

export interface ConversationDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  log: Logger;
  /** Asks the dispatcher to send what an answer queued (an officer's decision) now. */
  dispatchSoon?: () => void;
}

export interface ChatSource {
  lineUserId: string;
  /** Group and room chats never receive anyone's debt details. */
  isGroup: boolean;
}

const text = (value: string): ChatAnswer => ({ kind: 'text', text: value });

function audienceOf(identity: LinkedIdentity): ChatAudience {
  return identity.kind;
}

export async function answerFollow(deps: ConversationDeps, lineUserId: string): Promise<ChatReply> {
  const now = deps.clock.now();
  await recordFollowState(deps.db, lineUserId, true, now);
  const identity = await findIdentity(deps.db, lineUserId);
  if (identity.kind === 'borrower') {
    const borrower = await findBorrowerById(deps.db, identity.borrowerId);
    return { audience: 'borrower', answers: [text(THAI.welcomeBack(borrower?.fullName ?? ''))] };
  }
  if (identity.kind === 'officer') {
    const officer = await findOfficerById(deps.db, identity.officerId);
    return { audience: 'officer', answers: [text(THAI.welcomeBack(officer?.fullName ?? ''))] };
  }
  return { audience: 'guest', answers: [text(THAI.greetingGuest)] };
}

/** A blocked account is never pushed to until it follows again. */
export async function recordUnfollow(deps: ConversationDeps, lineUserId: string): Promise<void> {
  await recordFollowState(deps.db, lineUserId, false, deps.clock.now());
}

export async function answerText(deps: ConversationDeps, source: ChatSource, message: string): Promise<ChatReply | undefined> {
  if (source.isGroup) return answerInGroup(deps, message);
  const code = normalizeLinkCode(message);
  if (code) return answerLinkCode(deps, source.lineUserId, code, deps.clock.now());

  const identity = await findIdentity(deps.db, source.lineUserId);
  if (identity.kind === 'officer') {
    // A question the bot asked this officer (the reason after ไม่อนุมัติ) takes the message first.
    const reply = await answerPendingRejectionReason(deps, source.lineUserId, message);
    return reply ?? answerOfficerText(deps, identity.officerId, message);
  }
  const intent = detectBorrowerIntent(message);
  if (!intent) return { audience: audienceOf(identity), answers: [text(identity.kind === 'guest' ? THAI.unknownGuest : THAI.unknownBorrower)] };
  return answerBorrowerIntent(deps, identity, intent);
}

export async function answerAction(deps: ConversationDeps, source: ChatSource, action: ChatAction): Promise<ChatReply | undefined> {
  if (source.isGroup) return undefined;
  const identity = await findIdentity(deps.db, source.lineUserId);
  switch (action.action) {
    case 'debt':
      return answerBorrowerIntent(deps, identity, 'debt');
    case 'measures':
      return answerBorrowerIntent(deps, identity, 'measures');
    case 'pay':
      return answerBorrowerIntent(deps, identity, 'how_to_pay');
    case 'contact':
      return answerBorrowerIntent(deps, identity, 'contact_officer');
    case 'link_help':
      return { audience: audienceOf(identity), answers: [text(THAI.howToLink)] };
    case 'menu':
      return { audience: audienceOf(identity), answers: [text(identity.kind === 'officer' ? THAI.officerMenu : identity.kind === 'borrower' ? THAI.borrowerMenu : THAI.greetingGuest)] };
    case 'history':
      if (identity.kind !== 'officer') return { audience: audienceOf(identity), answers: [text(THAI.officerOnly)] };
      return answerDeliveryHistory(deps, identity.officerId, action.borrower);
    case 'summary':
    case 'lookup_help':
      if (identity.kind !== 'officer') return { audience: audienceOf(identity), answers: [text(THAI.officerOnly)] };
      if (action.action === 'lookup_help') return { audience: 'officer', answers: [text(THAI.lookupHelp)] };
      return answerOfficerSummary(deps, identity.officerId);
  }
}

async function answerLinkCode(deps: ConversationDeps, lineUserId: string, code: string, now: Date): Promise<ChatReply> {
  const result = await redeemLinkCode(deps, lineUserId, code, now);
  switch (result.outcome) {
    case 'linked_borrower':
      return { audience: 'borrower', answers: [text(THAI.linkedBorrower(result.fullName))] };
    case 'linked_officer': {
      const officer = (await findOfficerById(deps.db, result.officerId))!;
      return { audience: 'officer', answers: [text(THAI.linkedOfficer(officer))] };
    }
    case 'throttled':
      return { audience: 'guest', answers: [text(THAI.linkThrottled)] };
    case 'expired':
      return { audience: audienceOf(await findIdentity(deps.db, lineUserId)), answers: [text(THAI.linkExpired)] };
    case 'used':
      return { audience: audienceOf(await findIdentity(deps.db, lineUserId)), answers: [text(THAI.linkUsed)] };
    case 'wrong':
      return { audience: audienceOf(await findIdentity(deps.db, lineUserId)), answers: [text(THAI.linkWrong)] };
  }
}

async function answerBorrowerIntent(deps: ConversationDeps, identity: LinkedIdentity, intent: BorrowerIntent): Promise<ChatReply> {
  const audience = audienceOf(identity);
  if (intent === 'measures') {
    return { audience, answers: [text(THAI.measuresIntro), { kind: 'measures', measures: await activeMeasures(deps.db) }] };
  }
  if (intent === 'menu') {
    return { audience, answers: [text(audience === 'borrower' ? THAI.borrowerMenu : audience === 'officer' ? THAI.officerMenu : THAI.greetingGuest)] };
  }
  if (identity.kind !== 'borrower') {
    if (intent === 'how_to_pay') return { audience, answers: [{ kind: 'how_to_pay', contractNos: [] }] };
    return { audience, answers: [text(identity.kind === 'officer' ? THAI.officerOnlyBorrowerFeature : THAI.linkFirst)] };
  }

  const today = bangkokDate(deps.clock.now());
  const overview = await loadDebtOverview(deps.db, identity.borrowerId, today);
  if (!overview) return { audience: 'guest', answers: [text(THAI.linkFirst)] };
  switch (intent) {
    case 'debt':
      if (overview.loans.length === 0) return { audience, answers: [text(THAI.noLoans)] };
      return { audience, answers: [text(THAI.debtIntro(overview)), { kind: 'debt', overview }] };
    case 'how_to_pay':
      return { audience, answers: [{ kind: 'how_to_pay', contractNos: overview.loans.map((loan) => loan.contractNo) }] };
    case 'contact_officer': {
      const officers = await officersAbove(deps.db, overview.borrower.areaPath);
      return { audience, answers: [{ kind: 'officer_contact', officers: pickContactOfficers(officers), areaPath: overview.borrower.areaPath }] };
    }
  }
}

/** The nearest officer first (tambon, then district, then province), at most one per level. */
function pickContactOfficers(officers: OfficerProfile[]): OfficerProfile[] {
  const seenLevels = new Set<string>();
  return officers.filter((officer) => {
    if (seenLevels.has(officer.role)) return false;
    seenLevels.add(officer.role);
    return true;
  });
}

async function answerOfficerText(deps: ConversationDeps, officerId: number, message: string): Promise<ChatReply> {
  // "ขอรหัส <name or contract>": the officer workspace issues the link code (officer-link-codes.service.ts).
  const command = parseOfficerMessage(message);
  if (command?.intent === 'issue_code') return issueCodeFromChat(deps, officerId, command.argument);
  const intent = detectOfficerIntent(message);
  if (intent === 'summary') return answerOfficerSummary(deps, officerId);
  if (intent === 'menu') return { audience: 'officer', answers: [text(THAI.officerMenu)] };
  if (intent === 'help_lookup') return { audience: 'officer', answers: [text(THAI.lookupHelp)] };

  const query = message.trim();
  if (query.length < 2 || query.length > 100) return { audience: 'officer', answers: [text(THAI.lookupHelp)] };
  const officer = await findOfficerById(deps.db, officerId);
  if (!officer) return { audience: 'guest', answers: [text(THAI.linkFirst)] };
  const now = deps.clock.now();
  const result = await lookupDebtors(deps.db, officer, query, bangkokDate(now), now);
  if (result.matches.length === 0) return { audience: 'officer', answers: [text(THAI.lookupNone(query))] };
  return { audience: 'officer', answers: [{ kind: 'lookup', query, result }] };
}

/** A borrower's reminder history, for an officer whose area the borrower is in (audited). */
async function answerDeliveryHistory(deps: ConversationDeps, officerId: number, borrowerId: number): Promise<ChatReply> {
  const officer = await findOfficerById(deps.db, officerId);
  const borrower = await findBorrowerById(deps.db, borrowerId);
  if (!officer || !borrower || !(await officerMaySeeBorrower(deps.db, officer, borrower.id))) return { audience: 'officer', answers: [text(THAI.lookupNone(String(borrowerId)))] };
  await recordAudit(deps.db, { actor: `officer:${officer.id}`, action: 'borrower.delivery_history', subject: `borrower:${borrower.id}`, at: deps.clock.now() });
  const rows = await deliveryHistoryOfBorrower(deps.db, borrower.id, 10);
  return { audience: 'officer', answers: [{ kind: 'delivery_history', borrowerName: borrower.fullName, rows }] };
}

async function answerOfficerSummary(deps: ConversationDeps, officerId: number): Promise<ChatReply> {
  const officer = await findOfficerById(deps.db, officerId);
  if (!officer) return { audience: 'guest', answers: [text(THAI.linkFirst)] };
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const summary = await summariseOfficerArea(deps.db, officer, today);
  await recordAudit(deps.db, { actor: `officer:${officer.id}`, action: 'area.summary', subject: officer.scopePath ? `area:${officer.scopePath}` : 'area:*', at: now });
  return { audience: 'officer', answers: [{ kind: 'area_summary', officer, summary, today }] };
}

/** In a group only general information is given, and only when asked for. */
async function answerInGroup(deps: ConversationDeps, message: string): Promise<ChatReply | undefined> {
  const intent = detectBorrowerIntent(message);
  if (intent === 'measures') {
    return { audience: 'guest', answers: [text(THAI.measuresIntro), { kind: 'measures', measures: await activeMeasures(deps.db) }] };
  }
  if (intent === 'how_to_pay') return { audience: 'guest', answers: [{ kind: 'how_to_pay', contractNos: [] }] };
  if (intent === 'debt' || intent === 'contact_officer') return { audience: 'guest', answers: [text(THAI.privateOnly)] };
  return undefined;
}

/** The conversation as the LINE edge calls it. */
export function createConversationService(deps: ConversationDeps) {
  return {
    follow: (lineUserId: string) => answerFollow(deps, lineUserId),
    unfollow: (lineUserId: string) => recordUnfollow(deps, lineUserId),
    text: (source: ChatSource, message: string) => answerText(deps, source, message),
    action: (source: ChatSource, action: ChatAction) => answerAction(deps, source, action),
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
