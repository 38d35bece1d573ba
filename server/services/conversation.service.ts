// The chat: decides what to answer a borrower, an officer or a not-yet-linked person, in the words they use.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { BorrowerChatIntent, OfficerMessage } from '../domain/chat-intent.ts';
import { detectBorrowerChatIntent, isAcknowledgement, isOfficerCommand, NAME_TITLES, parseOfficerMessage } from '../content/chat-intents.th.ts';
import { cleanChatText, nameWithoutTitle } from '../domain/thai-text.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { findLinkCodeInSentence, linkCodeNearMiss, normalizeLinkCode } from '../domain/link-code.ts';
import { evaluateEligibility } from '../domain/eligibility.ts';
import { isOnlyNationalId, MASKED_NATIONAL_ID_IN_TEXT } from '../domain/thai-national-id.ts';
import { BORROWER_ENROLLMENT_STATUS_THAI, isOpenStatus } from '../domain/enrollment-workflow.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { findIdentity, recordFollowState, type LinkedIdentity } from '../db/repos/line-accounts.repo.ts';
import { findOfficerById, officersAbove, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { findBorrowerById } from '../db/repos/borrowers.repo.ts';
import { recentPaymentsOfBorrower } from '../db/repos/payments.repo.ts';
import { listEnrollmentsOfBorrower, openEnrollmentsOfBorrower, type OpenEnrollment } from '../db/repos/enrollments.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { recordTap, type ChatTap } from '../db/repos/chat-taps.repo.ts';
import { deliveryHistoryOfBorrower } from '../db/repos/outbox.repo.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import { THAI } from '../content/chat-texts.th.ts';
import type { Clock } from './ports.ts';
import type { PaymentQrService } from './payment-qr.service.ts';
import type { ChatAction, ChatAnswer, ChatAudience, ChatReply } from './chat-answers.ts';
import { redeemLinkCode } from './linking.service.ts';
import { unlinkLineAccount } from './privacy.service.ts';
import { activeMeasures } from './measure-catalogue.ts';
import { loadDebtOverview, type DebtOverview } from './debt-overview.service.ts';
import { eligibilityFactsOf } from './enrollment-steps.service.ts';
import { lookupDebtors, summariseOfficerArea } from './portfolio.service.ts';
import { answerPendingReviews, answerTypedDraftText, draftReminder, pendingDraftOf } from './enrollment-review.service.ts';
import { issueCodeForChosenBorrower, issueCodeFromChat } from './officer-link-codes.service.ts';
import { officerMaySeeBorrower } from './officer-access.ts';

export interface ConversationDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  log: Logger;
  policy: ReminderPolicy;
  /** Asks the dispatcher to send what an answer queued (an officer's decision) now. */
  dispatchSoon?: () => void;
  /** Called after a LINE account is linked or relinked (the rich menu follows the role). */
  onRoleChanged?: (lineUserId: string) => Promise<void>;
  /** Every link code sent, by outcome (metrics). */
  onLinkAttempt?: (outcome: string) => void;
  /** Bill-payment QRs in "วิธีชำระ" (absent or disabled: the counter and transfer text). */
  paymentQr?: PaymentQrService;
}

export interface ChatSource {
  lineUserId: string;
  /** Group and room chats never receive anyone's debt details. */
  isGroup: boolean;
}

const text = (value: string): ChatAnswer => ({ kind: 'text', text: value });
const reply = (audience: ChatAudience, ...answers: ChatAnswer[]): ChatReply => ({ audience, answers });

function audienceOf(identity: LinkedIdentity): ChatAudience {
  return identity.kind;
}

export async function answerFollow(deps: ConversationDeps, lineUserId: string): Promise<ChatReply> {
  const now = deps.clock.now();
  await recordFollowState(deps.db, lineUserId, true, now);
  await deps.onRoleChanged?.(lineUserId);
  const identity = await findIdentity(deps.db, lineUserId);
  if (identity.kind === 'borrower') {
    const borrower = await findBorrowerById(deps.db, identity.borrowerId);
    return reply('borrower', text(THAI.welcomeBack(borrower?.fullName ?? '')));
  }
  if (identity.kind === 'officer') {
    const officer = await findOfficerById(deps.db, identity.officerId);
    return reply('officer', text(THAI.welcomeBack(officer?.fullName ?? '')));
  }
  return reply('guest', text(THAI.greetingGuest));
}

/** A blocked account is never pushed to until it follows again. */
export async function recordUnfollow(deps: ConversationDeps, lineUserId: string): Promise<void> {
  await recordFollowState(deps.db, lineUserId, false, deps.clock.now());
}

export async function answerText(deps: ConversationDeps, source: ChatSource, raw: string): Promise<ChatReply | undefined> {
  // LINE caps a text at 5,000 characters; anything longer (or with NULs, broken surrogates) is cut and cleaned
  // before any matching, so no message can cost more than a few milliseconds.
  const message = cleanChatText(raw);
  if (source.isGroup) return answerInGroup(deps, message);
  if (!MASKED_NATIONAL_ID_IN_TEXT.test(message)) return answerPrivateText(deps, source, message);
  // Her national ID number was masked on arrival (webhook-request.ts): she hears that it is not needed here, and
  // then the answer to the rest of what she wrote, if she wrote anything else (a number alone is not a question:
  // "not understood", or an officer's "no such debtor", would only confuse).
  const identity = await findIdentity(deps.db, source.lineUserId);
  const audience = audienceOf(identity);
  const note = text(THAI.nationalIdInChat[audience]);
  if (isOnlyNationalId(message)) return reply(audience, note);
  const answer = await answerPrivateText(deps, source, message, identity);
  return answer && { ...answer, answers: [note, ...answer.answers] };
}

/** `known`: who she is, when the caller looked it up already. */
async function answerPrivateText(deps: ConversationDeps, source: ChatSource, message: string, known?: LinkedIdentity): Promise<ChatReply | undefined> {
  const code = normalizeLinkCode(message);
  if (code) return answerLinkCode(deps, source.lineUserId, code, deps.clock.now());

  const identity = known ?? (await findIdentity(deps.db, source.lineUserId));
  if (identity.kind === 'officer') return answerOfficerText(deps, source.lineUserId, identity.officerId, message);
  // Someone not linked yet may say her code in a sentence; a linked borrower's digits may be her contract number.
  const spokenCode = identity.kind === 'guest' ? findLinkCodeInSentence(message) : undefined;
  if (spokenCode) return answerLinkCode(deps, source.lineUserId, spokenCode, deps.clock.now());
  // A digit missed or doubled: say so, rather than "not understood" (it costs no attempt: no code is that long).
  const nearMiss = identity.kind === 'guest' ? linkCodeNearMiss(message) : undefined;
  if (nearMiss !== undefined) return reply('guest', text(THAI.linkCodeLength(nearMiss)));
  const intent = detectBorrowerChatIntent(message);
  // A linked borrower's digits may be her contract number; said with nothing else we understand ("รหัส 3670 4201
  // ค่ะ", a daughter's "รหัสแม่ …"), they are a code, answered as one (and refused if it is someone else's).
  const codeSaid = !intent && identity.kind === 'borrower' ? findLinkCodeInSentence(message) : undefined;
  if (codeSaid) return answerLinkCode(deps, source.lineUserId, codeSaid, deps.clock.now());
  if (!intent && isAcknowledgement(message)) return reply(audienceOf(identity), text(THAI.acknowledged));
  if (!intent) return reply(audienceOf(identity), text(identity.kind === 'guest' ? THAI.unknownGuest : THAI.unknownBorrower));
  return answerBorrowerIntent(deps, identity, intent);
}

/** Stickers, photos, voice, a location: a polite answer that fits who sent it (never silence). */
export async function answerNonText(deps: ConversationDeps, source: ChatSource, messageType: string): Promise<ChatReply | undefined> {
  if (source.isGroup) return undefined;
  const identity = await findIdentity(deps.db, source.lineUserId);
  if (identity.kind === 'borrower') {
    const borrower = await findBorrowerById(deps.db, identity.borrowerId);
    const name = borrower?.fullName ?? '';
    if (messageType === 'sticker') return reply('borrower', text(THAI.stickerFromBorrower(name)));
    if (messageType === 'image') return reply('borrower', text(THAI.imageFromBorrower(name)));
    return reply('borrower', text(THAI.otherMediaFromBorrower(name)));
  }
  if (identity.kind === 'officer') return reply('officer', text(messageType === 'sticker' ? THAI.stickerFromOfficer : THAI.mediaFromOfficer));
  return reply('guest', text(messageType === 'sticker' ? THAI.stickerFromGuest : THAI.textOnly));
}

export async function answerAction(deps: ConversationDeps, source: ChatSource, action: ChatAction): Promise<ChatReply | undefined> {
  if (source.isGroup) return undefined;
  const identity = await findIdentity(deps.db, source.lineUserId);
  switch (action.action) {
    case 'debt':
      return answerBorrowerIntent(deps, identity, 'debt');
    case 'next_payment':
      return answerBorrowerIntent(deps, identity, 'next_payment');
    case 'measures':
      return answerBorrowerIntent(deps, identity, 'measures');
    case 'pay':
      return answerBorrowerIntent(deps, identity, 'how_to_pay');
    case 'contact':
      return answerBorrowerIntent(deps, identity, 'contact_officer');
    case 'link_help':
      return reply(audienceOf(identity), text(THAI.howToLink));
    case 'menu':
      return answerBorrowerIntent(deps, identity, 'menu');
    case 'history':
      if (identity.kind !== 'officer') return reply(audienceOf(identity), text(THAI.officerOnly));
      return answerDeliveryHistory(deps, identity.officerId, action.borrower);
    case 'code_for':
      if (identity.kind !== 'officer') return reply(audienceOf(identity), text(THAI.officerOnly));
      return issueCodeForChosenBorrower(deps, identity.officerId, action.borrower);
    case 'summary':
    case 'lookup_help':
    case 'pending_reviews': {
      if (identity.kind !== 'officer') return reply(audienceOf(identity), text(THAI.officerOnly));
      if (action.action === 'lookup_help') return reply('officer', text(THAI.lookupHelp));
      const officer = await findOfficerById(deps.db, identity.officerId);
      if (!officer) return reply('guest', text(THAI.linkFirst));
      return action.action === 'summary' ? answerOfficerSummary(deps, officer) : answerPendingReviews(deps, officer);
    }
    case 'unlink':
      return askToUnlink(deps, identity);
    case 'unlink_confirm': {
      // A second tap on the same button finds nothing linked and says so.
      const { was } = await unlinkLineAccount(deps, source.lineUserId);
      if (was === 'none') return reply('guest', text(THAI.notLinked));
      return reply('guest', text(was === 'borrower' ? THAI.unlinkedBorrower : THAI.unlinkedOfficer));
    }
  }
}

/** Unlinking is asked, never done on a phrase alone: it stops every reminder, and the news of her applications. */
async function askToUnlink(deps: ConversationDeps, identity: LinkedIdentity): Promise<ChatReply> {
  if (identity.kind === 'guest') return reply('guest', text(THAI.notLinked));
  const open = identity.kind === 'borrower' ? await openApplicationsOf(deps, identity.borrowerId) : [];
  return {
    audience: identity.kind,
    answers: [text(identity.kind === 'borrower' ? THAI.unlinkAskBorrower(open) : THAI.unlinkAskOfficer)],
    choices: [
      { label: THAI.unlinkConfirmLabel, choice: { action: 'unlink_confirm' } },
      { label: THAI.unlinkKeepLabel, choice: { action: 'menu' } },
    ],
  };
}

async function answerLinkCode(deps: ConversationDeps, lineUserId: string, code: string, now: Date): Promise<ChatReply> {
  const result = await redeemLinkCode(deps, lineUserId, code, now);
  switch (result.outcome) {
    case 'linked_borrower':
      await deps.onRoleChanged?.(lineUserId);
      return reply('borrower', text(THAI.linkedBorrower(result.fullName) + (result.replacedLineUserId ? `\n\n${THAI.linkReplacedOtherAccount}` : '')));
    case 'linked_officer': {
      await deps.onRoleChanged?.(lineUserId);
      const officer = (await findOfficerById(deps.db, result.officerId))!;
      return reply('officer', text(THAI.linkedOfficer(officer)));
    }
    case 'throttled':
      return reply('guest', text(THAI.linkThrottled));
    case 'expired':
      return reply(audienceOf(await findIdentity(deps.db, lineUserId)), text(THAI.linkExpired));
    case 'replaced':
      return reply(audienceOf(await findIdentity(deps.db, lineUserId)), text(THAI.linkReplaced));
    case 'used':
      return reply(audienceOf(await findIdentity(deps.db, lineUserId)), text(THAI.linkUsed));
    case 'already_linked':
      return reply(result.kind, text(THAI.alreadyLinked(result.fullName)));
    case 'linked_elsewhere':
      return reply(result.kind, text(THAI.linkedElsewhere(result.kind, result.fullName)));
    case 'wrong':
      return reply(audienceOf(await findIdentity(deps.db, lineUserId)), text(THAI.linkWrong));
  }
}

/** Her applications still open, whatever their loan. */
const openApplicationsIn = (openByLoan: ReadonlyMap<number, readonly OpenEnrollment[]>): OpenEnrollment[] => [...openByLoan.values()].flat();

async function openApplicationsOf(deps: ConversationDeps, borrowerId: number): Promise<OpenEnrollment[]> {
  return openApplicationsIn(await openEnrollmentsOfBorrower(deps.db, borrowerId));
}

/** The measures this borrower can apply for now (a borrower in a measure, or in court, may have none). */
function measuresOpenTo(overview: DebtOverview, measures: Awaited<ReturnType<typeof activeMeasures>>, openByLoan: ReadonlyMap<number, readonly OpenEnrollment[]>) {
  return measures.filter((measure) =>
    overview.loans.some((loan) => evaluateEligibility(measure.eligibility, eligibilityFactsOf(overview, loan, measure.code, openByLoan)).eligible),
  );
}

async function answerBorrowerIntent(deps: ConversationDeps, identity: LinkedIdentity, intent: BorrowerChatIntent): Promise<ChatReply> {
  const audience = audienceOf(identity);
  if (intent === 'measures') {
    // "สมัครพักหนี้ยังไงคะ" from someone who has applied: she hears that first, not only the cards with their buttons.
    const waiting = identity.kind === 'borrower' ? await openApplicationsOf(deps, identity.borrowerId) : [];
    const intro = waiting.length > 0 ? `${THAI.measuresIntro}\n\n${THAI.measuresAlreadyApplied(waiting)}` : THAI.measuresIntro;
    return reply(audience, text(intro), { kind: 'measures', measures: await activeMeasures(deps.db) });
  }
  if (intent === 'menu') return reply(audience, text(audience === 'borrower' ? THAI.borrowerMenu : audience === 'officer' ? THAI.officerMenu : THAI.greetingGuest));
  if (intent === 'thanks') return reply(audience, text(THAI.thanksReply));
  if (intent === 'unlink') return askToUnlink(deps, identity);
  if (intent === 'my_data') {
    if (identity.kind === 'guest') return reply('guest', text(THAI.myDataGuest));
    return reply(audience, { kind: 'mini_app_link', text: THAI.myData, label: 'ข้อมูลของฉัน', path: '/privacy' });
  }
  if (intent === 'how_to_pay' && identity.kind !== 'borrower') return reply(audience, { kind: 'how_to_pay', contractNos: [] });
  if (identity.kind === 'officer') return reply(audience, text(THAI.officerOnlyBorrowerFeature));
  if (identity.kind === 'guest') return answerGuestIntent(deps, intent);

  const today = bangkokDate(deps.clock.now());
  const overview = await loadDebtOverview(deps.db, identity.borrowerId, today);
  if (!overview) return reply('guest', text(THAI.linkFirst));
  switch (intent) {
    case 'greeting':
      return reply(audience, text(THAI.greetingBorrower(overview.borrower.fullName)));
    case 'debt':
      if (overview.loans.length === 0) return reply(audience, text(THAI.noLoans));
      return reply(audience, text(THAI.debtIntro(overview)), { kind: 'debt', overview });
    case 'next_payment':
      if (overview.loans.length === 0) return reply(audience, text(THAI.noLoans));
      return reply(audience, text(THAI.nextPayments(overview)));
    case 'how_to_pay':
      return reply(audience, {
        kind: 'how_to_pay',
        contractNos: overview.loans.map((loan) => loan.contractNo),
        qrs: deps.paymentQr?.offersFor(overview.loans) ?? [],
        qrEnabled: deps.paymentQr?.enabled ?? false,
      });
    case 'payment_history': {
      const payments = await recentPaymentsOfBorrower(deps.db, overview.borrower.id, 5);
      return reply(audience, text(THAI.paymentHistory(payments)), { kind: 'mini_app_link', text: THAI.scheduleInMiniApp, label: 'ดูตารางผ่อน', path: '/loans' });
    }
    case 'paid_already':
      return reply(audience, text(THAI.paidAlready(overview)));
    case 'distress': {
      const [measures, openByLoan] = await Promise.all([activeMeasures(deps.db), openEnrollmentsOfBorrower(deps.db, overview.borrower.id)]);
      const open = measuresOpenTo(overview, measures, openByLoan);
      const officers = pickContactOfficers(await officersAbove(deps.db, overview.borrower.areaPath));
      const contact: ChatAnswer = { kind: 'officer_contact', officers, areaPath: overview.borrower.areaPath };
      if (open.length === 0) {
        // She has applied already and waits: that is what she needs to hear, with where to follow it.
        const waiting = openApplicationsIn(openByLoan);
        if (waiting.length > 0) {
          return reply(audience, text(THAI.distressApplicationWaiting(overview.borrower.fullName, waiting)), { kind: 'mini_app_link', text: THAI.myApplications, label: 'คำขอของฉัน', path: '/applications' }, contact);
        }
        return reply(audience, text(THAI.distressNoMeasure(overview)), contact);
      }
      return reply(audience, text(THAI.distress(overview.borrower.fullName)), { kind: 'measures', measures: open }, contact);
    }
    case 'litigation': {
      const officers = pickContactOfficers(await officersAbove(deps.db, overview.borrower.areaPath));
      return reply(audience, text(THAI.litigation(overview.loans.some((loan) => loan.litigation))), { kind: 'officer_contact', officers, areaPath: overview.borrower.areaPath });
    }
    case 'my_applications': {
      // Where each stands, in the chat itself: "ต้องส่งเอกสารอะไรเพิ่ม" is answered with the documents asked for.
      const applications = await listEnrollmentsOfBorrower(deps.db, overview.borrower.id);
      const open = applications.filter((a) => isOpenStatus(a.status));
      const shown = (open.length > 0 ? open : applications.slice(0, 1)).map((a) => ({
        id: a.id,
        measureTitle: a.measureTitle,
        statusLabel: BORROWER_ENROLLMENT_STATUS_THAI[a.status],
        deadlineAt: a.deadlineAt,
        documentsAsked: a.status === 'needs_documents' ? (a.requestedDocuments ?? []).map((d) => d.label) : null,
      }));
      return reply(audience, text(THAI.applicationsStatus(shown)), { kind: 'mini_app_link', text: THAI.myApplications, label: 'คำขอของฉัน', path: '/applications' });
    }
    case 'contact_officer': {
      const officers = await officersAbove(deps.db, overview.borrower.areaPath);
      return reply(audience, { kind: 'officer_contact', officers: pickContactOfficers(officers), areaPath: overview.borrower.areaPath });
    }
  }
}

/** A person not linked yet: general help, and how to link for anything personal. */
function answerGuestIntent(deps: ConversationDeps, intent: Exclude<BorrowerChatIntent, 'measures' | 'menu' | 'thanks'>): ChatReply | Promise<ChatReply> {
  switch (intent) {
    case 'greeting':
      return reply('guest', text(THAI.greetingGuest));
    case 'distress':
      return (async () => reply('guest', text(THAI.distressGuest), { kind: 'measures', measures: await activeMeasures(deps.db) }))();
    case 'litigation':
      return reply('guest', text(THAI.litigationGuest));
    case 'how_to_pay':
      return reply('guest', { kind: 'how_to_pay', contractNos: [] });
    case 'contact_officer':
      return reply('guest', text(THAI.contactGuest));
    default:
      return reply('guest', text(THAI.linkFirst));
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

/** Joins two replies: the first's answers, then the second's (with its buttons). LINE takes five messages a reply. */
function followedBy(first: ChatReply, second: ChatReply): ChatReply {
  return { audience: first.audience, answers: [...first.answers, ...second.answers], ...(second.choices ? { choices: second.choices } : {}) };
}

/**
 * An officer's message. While a decision waits (ไม่อนุมัติ, ขอเอกสารเพิ่ม), only a message meant for it is taken:
 * commands (สรุป, เมนู, …) and names of debtors in the officer's area are answered as always, with the question
 * asked again; other text becomes the draft reason, shown back for confirmation — nothing changes until then.
 */
async function answerOfficerText(deps: ConversationDeps, lineUserId: string, officerId: number, message: string): Promise<ChatReply> {
  const officer = await findOfficerById(deps.db, officerId);
  if (!officer) return reply('guest', text(THAI.linkFirst));
  const draft = await pendingDraftOf(deps, lineUserId);
  if (!draft) return answerOfficerMessage(deps, lineUserId, officer, message);
  if (isOfficerCommand(message)) return followedBy(await answerOfficerMessage(deps, lineUserId, officer, message), await draftReminder(deps, draft));
  if (draft.stage === 'free_text' || draft.decision === 'reject') {
    if (draft.stage !== 'free_text') {
      const lookup = await lookupReply(deps, officer, message);
      if (lookup) return followedBy(lookup, await draftReminder(deps, draft));
    }
    return answerTypedDraftText(deps, lineUserId, message);
  }
  return followedBy(await answerOfficerMessage(deps, lineUserId, officer, message), await draftReminder(deps, draft));
}

async function answerOfficerMessage(deps: ConversationDeps, lineUserId: string, officer: OfficerProfile, message: string): Promise<ChatReply> {
  const parsed: OfficerMessage | undefined = parseOfficerMessage(message);
  switch (parsed?.intent) {
    case 'summary':
      return answerOfficerSummary(deps, officer);
    case 'menu':
      return reply('officer', text(THAI.officerMenu));
    case 'greeting':
      return reply('officer', text(THAI.greetingOfficer(officer.fullName)));
    case 'thanks':
      return reply('officer', text(THAI.thanksReply));
    case 'pending_reviews':
      return answerPendingReviews(deps, officer);
    case 'unlink':
      return askToUnlink(deps, { kind: 'officer', officerId: officer.id });
    case 'my_work':
      return reply('officer', { kind: 'mini_app_link', text: THAI.myWork, label: 'เปิดงานของฉัน', path: '/officer/work' });
    case 'reports':
      return reply('officer', { kind: 'mini_app_link', text: THAI.officerReports, label: 'เปิดรายงาน', path: '/officer/reports' });
    case 'slips':
      if (officer.role === 'mentor') return reply('officer', text(THAI.slipsAreForOfficers));
      return reply('officer', { kind: 'mini_app_link', text: THAI.officerSlips, label: 'เปิดสลิปรอตรวจ', path: '/officer/slips' });
    case 'overdue_debtors':
      return reply('officer', { kind: 'mini_app_link', text: THAI.officerOverdueDebtors, label: 'เปิดรายชื่อที่ค้างชำระ', path: '/officer/debtors?colour=red' });
    case 'unlinked_debtors': {
      const said = officer.role === 'mentor' ? THAI.mentorUnlinkedDebtors : THAI.officerUnlinkedDebtors;
      return reply('officer', { kind: 'mini_app_link', text: said, label: 'เปิดรายชื่อที่ยังไม่ผูกบัญชี', path: '/officer/debtors?linked=no' });
    }
    case 'debtors': {
      // "บันทึกเยี่ยมบ้านมาลี": her card, with the buttons to record; a word that names no one ("รับชำระวันนี้")
      // gets the list, where she can be found.
      const found = parsed.argument ? await lookupReply(deps, officer, parsed.argument) : undefined;
      return found ?? reply('officer', { kind: 'mini_app_link', text: officer.role === 'mentor' ? THAI.mentorDebtors : THAI.officerDebtors, label: 'เปิดรายชื่อลูกหนี้', path: '/officer/debtors' });
    }
    case 'issue_code': {
      // "รหัส 7865 0316 ค่ะ": a code she typed, not a contract to issue one for (unless a contract has that number).
      const typedCode = parsed.argument && !/ขอ/.test(message) ? normalizeLinkCode(parsed.argument) : undefined;
      if (typedCode && !(await lookupReply(deps, officer, parsed.argument!))) return answerLinkCode(deps, lineUserId, typedCode, deps.clock.now());
      // "ขอรหัส <name or contract>": the officer workspace issues the link code (officer-link-codes.service.ts).
      return issueCodeFromChat(deps, officer.id, parsed.argument);
    }
    case 'help_lookup':
      if (parsed.argument) return (await lookupReply(deps, officer, parsed.argument)) ?? reply('officer', text(THAI.lookupNone(parsed.argument)));
      return reply('officer', text(THAI.lookupHelp));
    case undefined:
      break;
  }
  const query = message.trim();
  if (query.length < 2 || query.length > 100) return reply('officer', text(THAI.lookupHelp));
  const found = await lookupReply(deps, officer, query);
  if (found) return found;
  // "ลูกหนี้ส่งรหัส 3670 4201 มาให้ค่ะ": no one by that name or number, but a code in it: answered as a code.
  const codeSaid = findLinkCodeInSentence(query);
  if (codeSaid) return answerLinkCode(deps, lineUserId, codeSaid, deps.clock.now());
  return reply('officer', text(THAI.lookupNone(query)));
}

/** Debtors in the officer's area by name or contract number (audited); undefined when none matched. */
async function lookupReply(deps: ConversationDeps, officer: OfficerProfile, query: string): Promise<ChatReply | undefined> {
  const trimmed = query.trim();
  if (trimmed.length < 2 || trimmed.length > 100) return undefined;
  const now = deps.clock.now();
  let result = await lookupDebtors(deps.db, officer, trimmed, bangkokDate(now), now);
  const untitled = nameWithoutTitle(trimmed, NAME_TITLES);
  if (result.matches.length === 0 && untitled) result = await lookupDebtors(deps.db, officer, untitled, bangkokDate(now), now);
  // "มาลี ทองคำ จ่ายแล้วยัง": a name first, then a question about her. The leading words are tried alone.
  const words = trimmed.split(/\s+/);
  let matched = trimmed;
  for (let keep = words.length - 1; result.matches.length === 0 && keep >= 1; keep--) {
    const leading = words.slice(0, keep).join(' ');
    if (leading.length < 2) break;
    result = await lookupDebtors(deps.db, officer, leading, bangkokDate(now), now);
    matched = leading;
  }
  if (result.matches.length === 0) return undefined;
  return reply('officer', { kind: 'lookup', query: matched, result });
}

/** A borrower's reminder history, for an officer whose area the borrower is in (audited). */
async function answerDeliveryHistory(deps: ConversationDeps, officerId: number, borrowerId: number): Promise<ChatReply> {
  const officer = await findOfficerById(deps.db, officerId);
  const borrower = await findBorrowerById(deps.db, borrowerId);
  if (!officer || !borrower || !(await officerMaySeeBorrower(deps.db, officer, borrower.id))) return reply('officer', text(THAI.lookupNone(String(borrowerId))));
  await recordAudit(deps.db, { actor: `officer:${officer.id}`, action: 'borrower.delivery_history', subject: `borrower:${borrower.id}`, at: deps.clock.now() });
  const rows = await deliveryHistoryOfBorrower(deps.db, borrower.id, 10);
  return reply('officer', { kind: 'delivery_history', borrowerName: borrower.fullName, rows });
}

async function answerOfficerSummary(deps: ConversationDeps, officer: OfficerProfile): Promise<ChatReply> {
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const summary = await summariseOfficerArea(deps.db, officer, today);
  await recordAudit(deps.db, { actor: `officer:${officer.id}`, action: 'area.summary', subject: officer.scopePath ? `area:${officer.scopePath}` : 'area:*', at: now });
  return reply('officer', { kind: 'area_summary', officer, summary, today });
}

/** In a group only general information is given, and only when asked for. */
async function answerInGroup(deps: ConversationDeps, message: string): Promise<ChatReply | undefined> {
  const intent = detectBorrowerChatIntent(message);
  if (intent === 'measures' || intent === 'distress') return reply('guest', text(THAI.measuresIntro), { kind: 'measures', measures: await activeMeasures(deps.db) });
  if (intent === 'how_to_pay') return reply('guest', { kind: 'how_to_pay', contractNos: [] });
  if (intent === 'debt' || intent === 'next_payment' || intent === 'payment_history' || intent === 'contact_officer') return reply('guest', text(THAI.privateOnly));
  return undefined;
}

/**
 * Two taps on the same button this close together are a double tap (a slow phone, an impatient thumb), not two
 * questions: the second is not answered. Far longer than a double tap, shorter than asking again on purpose.
 */
export const REPEAT_TAP_WINDOW_MS = 3_000;

/** The conversation as the LINE edge calls it. */
export function createConversationService(deps: ConversationDeps) {
  return {
    follow: (lineUserId: string) => answerFollow(deps, lineUserId),
    unfollow: (lineUserId: string) => recordUnfollow(deps, lineUserId),
    text: (source: ChatSource, message: string) => answerText(deps, source, message),
    nonText: (source: ChatSource, messageType: string) => answerNonText(deps, source, messageType),
    action: (source: ChatSource, action: ChatAction) => answerAction(deps, source, action),
    /** Records a button tap; true when it repeats her last one (a double tap), which is then left unanswered. */
    isRepeatTap: async (tap: ChatTap) => (await recordTap(deps.db, tap, REPEAT_TAP_WINDOW_MS)) === 'repeat',
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
