// Understanding what a person typed. Borrowers: weighted phrases (the vocabulary, data in
// server/content/chat-intents.th.ts, which binds it with createChatIntents) found in a tone-free skeleton of the
// text, so typos, missing tone marks, missing spaces, particles and regional spellings still match. Officers: a
// message is a command only when all of it is command words; anything else is a name or contract number for the
// caller to look up.
import { buildPhraseTrie, longestPhraseAt, scanPhrases, type PhraseTrie } from './phrase-matcher.ts';
import { cleanChatText, isThaiCombiningMark, latinWords, skeletonOf, thaiSkeleton, type ThaiSkeleton } from './thai-text.ts';

export { normalizeThaiDigits, thaiWords, LINE_TEXT_MAX_LENGTH } from './thai-text.ts';

/** Everything a borrower's message can be about. */
export type BorrowerChatIntent =
  | 'debt'
  | 'next_payment'
  | 'distress'
  | 'measures'
  | 'how_to_pay'
  | 'payment_history'
  | 'paid_already'
  | 'litigation'
  | 'contact_officer'
  | 'greeting'
  | 'thanks'
  | 'menu'
  /** Stop using the bot on this LINE account (PDPA: her own choice, asked to confirm). */
  | 'unlink'
  /** What the fund holds about me (a copy, in the mini-app). */
  | 'my_data'
  /** Where my application for a relief measure stands (in the mini-app). */
  | 'my_applications';

/** The intents today's conversation service answers; see `answerableBorrowerIntent`. */
export type BorrowerIntent = 'debt' | 'measures' | 'how_to_pay' | 'contact_officer' | 'menu';

/** Everything an officer's message can be, besides a lookup. */
export type OfficerChatIntent =
  | 'summary'
  | 'reports'
  | 'help_lookup'
  | 'pending_reviews'
  | 'my_work'
  /** Transfer slips borrowers sent, waiting to be checked (in the mini-app). */
  | 'slips'
  /** The debtor list, where a follow-up or a payment is recorded (in the mini-app). */
  | 'debtors'
  /** The same list, those behind on their payments only. */
  | 'overdue_debtors'
  /** The same list, those whose LINE is not linked yet (after the forum: who still needs a code). */
  | 'unlinked_debtors'
  | 'issue_code'
  | 'greeting'
  | 'thanks'
  | 'menu'
  | 'unlink';

/** The intents today's conversation service answers; see `answerableOfficerIntent`. */
export type OfficerIntent = 'summary' | 'menu' | 'help_lookup';

export interface OfficerMessage {
  intent: OfficerChatIntent;
  /** The name or contract number after "ขอรหัส", "ค้นหา" or a page command ("รับชำระ"), digits as ASCII. */
  argument?: string;
}

export interface IntentRule {
  /** A higher tier wins whatever the scores: a plea for help outranks a question about how to pay. */
  readonly tier: number;
  /** Phrase → weight; see the content module for how phrases are read. */
  readonly phrases: Readonly<Record<string, number>>;
}

export interface IntentVocabulary<I extends string> {
  readonly minScore: number;
  /** Listed in priority order: on equal tier and score the intent listed first wins. */
  readonly intents: Readonly<Record<I, IntentRule>>;
  /** Phrases that carry no intent but hide the keywords inside them ("ศาลา" ⊃ "ศาล"). */
  readonly neutral: readonly string[];
}

export interface OfficerArgumentGrammar<I extends string> {
  readonly triggers: Readonly<Partial<Record<I, readonly string[]>>>;
  readonly leading: readonly string[];
  readonly connectors: readonly string[];
  readonly needsSpaceAfter: readonly string[];
  readonly trailing: readonly string[];
  readonly trailingAfterSpace: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------
// Reading a message once, for every channel the vocabulary uses.

interface ReadMessage {
  readonly clean: string;
  readonly skeleton: ThaiSkeleton;
  readonly latin: string;
}

function readMessage(text: string): ReadMessage {
  const clean = cleanChatText(text);
  return { clean, skeleton: thaiSkeleton(clean), latin: latinWords(clean) };
}

const THAI_LETTER = /[\u0E01-\u0E4E]/;
const ASCII_PHRASE = /^[a-z0-9][a-z0-9 .\-]*$/i;

type Weights<I> = ReadonlyArray<readonly [I, number]>;

interface CompiledVocabulary<I extends string> {
  readonly minScore: number;
  readonly order: readonly I[];
  readonly tier: ReadonlyMap<I, number>;
  readonly trie: PhraseTrie;
  readonly thaiWeights: ReadonlyArray<Weights<I>>;
  /** ASCII phrases as " word word " needles, and other phrases (emoji) as they are. */
  readonly latin: ReadonlyArray<{ needle: string; weights: Weights<I> }>;
  readonly other: ReadonlyArray<{ needle: string; weights: Weights<I> }>;
}

/** Several spellings with one skeleton are one phrase; an intent keeps its highest weight for it. */
function addWeight<I>(table: Map<string, Map<I, number>>, key: string, intent: I | undefined, weight: number): void {
  let weights = table.get(key);
  if (!weights) table.set(key, (weights = new Map()));
  if (intent !== undefined) weights.set(intent, Math.max(weights.get(intent) ?? -Infinity, weight));
}

function compileVocabulary<I extends string>(vocabulary: IntentVocabulary<I>): CompiledVocabulary<I> {
  const thai = new Map<string, Map<I, number>>();
  const latin = new Map<string, Map<I, number>>();
  const other = new Map<string, Map<I, number>>();
  const place = (phrase: string, intent: I | undefined, weight: number) => {
    if (THAI_LETTER.test(phrase)) addWeight(thai, skeletonOf(phrase), intent, weight);
    else if (ASCII_PHRASE.test(phrase)) addWeight(latin, latinWords(phrase), intent, weight);
    else addWeight(other, phrase.normalize('NFC'), intent, weight);
  };
  const order = Object.keys(vocabulary.intents) as I[];
  for (const intent of order) {
    for (const [phrase, weight] of Object.entries(vocabulary.intents[intent].phrases)) place(phrase, intent, weight);
  }
  for (const phrase of vocabulary.neutral) place(phrase, undefined, 0);
  const thaiKeys = [...thai.keys()];
  const asList = (table: Map<string, Map<I, number>>) => [...table].map(([needle, weights]) => ({ needle, weights: [...weights] }));
  return {
    minScore: vocabulary.minScore,
    order,
    tier: new Map(order.map((intent) => [intent, vocabulary.intents[intent].tier])),
    trie: buildPhraseTrie(thaiKeys),
    thaiWeights: thaiKeys.map((key) => [...thai.get(key)!]),
    latin: asList(latin),
    other: asList(other),
  };
}

const compiled = new WeakMap<IntentVocabulary<string>, CompiledVocabulary<string>>();

function compiledVocabulary<I extends string>(vocabulary: IntentVocabulary<I>): CompiledVocabulary<I> {
  let result = compiled.get(vocabulary) as CompiledVocabulary<I> | undefined;
  if (!result) {
    result = compileVocabulary(vocabulary);
    compiled.set(vocabulary, result as CompiledVocabulary<string>);
  }
  return result;
}

interface Scores<I> {
  readonly scores: Map<I, number>;
  /** Every Thai letter and every ASCII word of the message belongs to some phrase. */
  readonly covered: boolean;
}

function scoreMessage<I extends string>(vocabulary: CompiledVocabulary<I>, message: ReadMessage): Scores<I> {
  const scores = new Map<I, number>();
  const add = (weights: Weights<I>) => {
    for (const [intent, weight] of weights) scores.set(intent, (scores.get(intent) ?? 0) + weight);
  };
  const scan = scanPhrases(vocabulary.trie, message.skeleton.text);
  const seen = new Set<number>(); // each phrase counts once
  for (const hit of scan.hits) {
    if (seen.has(hit.phrase)) continue;
    seen.add(hit.phrase);
    add(vocabulary.thaiWeights[hit.phrase]!);
  }
  let latinRest = message.latin;
  for (const { needle, weights } of vocabulary.latin) {
    if (!message.latin.includes(needle)) continue;
    add(weights);
    latinRest = latinRest.split(needle).join(' ');
  }
  for (const { needle, weights } of vocabulary.other) if (message.clean.includes(needle)) add(weights);
  return { scores, covered: scan.covered && latinRest.trim() === '' };
}

function pickIntent<I extends string>(vocabulary: CompiledVocabulary<I>, scores: Map<I, number>): I | undefined {
  let best: { intent: I; tier: number; score: number } | undefined;
  for (const intent of vocabulary.order) {
    const score = scores.get(intent) ?? 0;
    if (score < vocabulary.minScore) continue;
    const tier = vocabulary.tier.get(intent)!;
    if (!best || tier > best.tier || (tier === best.tier && score > best.score)) best = { intent, tier, score };
  }
  return best?.intent;
}

/** The intent a vocabulary finds in a text, or undefined when nothing in the text points anywhere. */
export function detectIntent<I extends string>(text: string, vocabulary: IntentVocabulary<I>): I | undefined {
  const compiledForm = compiledVocabulary(vocabulary);
  return pickIntent(compiledForm, scoreMessage(compiledForm, readMessage(text)).scores);
}

// ---------------------------------------------------------------------------------------------------------
// Borrowers

// ---------------------------------------------------------------------------------------------------------
// Officers

type GrammarRole<I> = { lead: boolean; connector: boolean; needsSpace: boolean; trigger?: I };

interface CompiledGrammar<I extends string> {
  readonly trie: PhraseTrie;
  readonly roles: ReadonlyArray<GrammarRole<I>>;
  readonly trailing: readonly string[];
  readonly trailingAfterSpace: readonly string[];
}

function compileGrammar<I extends string>(grammar: OfficerArgumentGrammar<I>): CompiledGrammar<I> {
  const roles = new Map<string, GrammarRole<I>>();
  const role = (phrase: string) => {
    const key = skeletonOf(phrase);
    let found = roles.get(key);
    if (!found) roles.set(key, (found = { lead: false, connector: false, needsSpace: false }));
    return found;
  };
  for (const [intent, triggers] of Object.entries(grammar.triggers) as [I, readonly string[]][]) {
    for (const phrase of triggers) role(phrase).trigger = intent;
  }
  for (const phrase of grammar.leading) role(phrase).lead = true;
  for (const phrase of grammar.connectors) role(phrase).connector = true;
  for (const phrase of grammar.needsSpaceAfter) role(phrase).needsSpace = true;
  const byLength = (list: readonly string[]) => [...list].sort((a, b) => b.length - a.length);
  return {
    trie: buildPhraseTrie([...roles.keys()]),
    roles: [...roles.values()],
    trailing: byLength(grammar.trailing),
    trailingAfterSpace: byLength(grammar.trailingAfterSpace),
  };
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SEPARATOR = /[\s\p{P}\p{S}]/u;
const EDGE_NOISE = /^[\s\p{P}\p{S}\uFE0F]+|[\s\p{P}\p{S}\uFE0F]+$/gu;

/** Index in the clean text just after skeleton position `end - 1`, with its marks. */
function cleanIndexAfter(message: ReadMessage, end: number): number {
  let index = message.skeleton.origin[end - 1]! + 1;
  while (index < message.clean.length && isThaiCombiningMark(message.clean.charCodeAt(index))) index++;
  return index;
}

function stripPoliteEnding(argument: string, grammar: CompiledGrammar<string>): string {
  let rest = argument.replace(EDGE_NOISE, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const ending of grammar.trailing) {
      if (rest.endsWith(ending)) {
        rest = rest.slice(0, -ending.length).replace(EDGE_NOISE, '');
        changed = true;
      }
    }
    for (const ending of grammar.trailingAfterSpace) {
      if (rest === ending || rest.endsWith(` ${ending}`)) {
        rest = rest.slice(0, -ending.length).replace(EDGE_NOISE, '');
        changed = true;
      }
    }
  }
  return rest;
}

/** "ขอรหัส สมศรี ใจดี ด้วยครับ" → issue_code with "สมศรี ใจดี"; undefined when no trigger leads the text. */
function parseArgumentCommand(message: ReadMessage, grammar: CompiledGrammar<OfficerChatIntent>): OfficerMessage | undefined {
  const skeleton = message.skeleton.text;
  let trigger: OfficerChatIntent | undefined;
  let position = 0;
  let cleanEnd = 0;
  while (position < skeleton.length) {
    const hit = longestPhraseAt(grammar.trie, skeleton, position);
    if (!hit) break;
    const role = grammar.roles[hit.phrase]!;
    if (LETTER_OR_DIGIT.test(message.clean.slice(cleanEnd, message.skeleton.origin[hit.start]))) break;
    const after = cleanIndexAfter(message, hit.end);
    if (role.needsSpace && after < message.clean.length && !SEPARATOR.test(message.clean[after]!)) break;
    if (trigger === undefined) {
      if (role.trigger !== undefined) trigger = role.trigger;
      else if (!role.lead) break;
    } else if (!role.connector) break;
    position = hit.end;
    cleanEnd = after;
  }
  if (trigger === undefined) return undefined;
  const argument = stripPoliteEnding(message.clean.slice(cleanEnd), grammar).replace(/\s+/g, ' ');
  return LETTER_OR_DIGIT.test(argument) ? { intent: trigger, argument } : { intent: trigger };
}

/** The vocabularies a chat understands: data, kept in content/. */
export interface ChatLanguage {
  borrower: IntentVocabulary<BorrowerChatIntent>;
  officer: IntentVocabulary<OfficerChatIntent>;
  officerGrammar: OfficerArgumentGrammar<OfficerChatIntent>;
}

const ANSWERABLE_BORROWER_INTENT: Record<BorrowerChatIntent, BorrowerIntent> = {
  debt: 'debt',
  next_payment: 'debt', // the debt answer shows the next installment and its date
  payment_history: 'debt',
  paid_already: 'debt', // the balance shows whether the payment has arrived
  distress: 'measures',
  measures: 'measures',
  how_to_pay: 'how_to_pay',
  litigation: 'contact_officer',
  contact_officer: 'contact_officer',
  greeting: 'menu',
  thanks: 'menu',
  menu: 'menu',
  unlink: 'menu',
  my_data: 'menu',
  my_applications: 'measures',
};

/** The nearest of the first intents (debt, measures, how to pay, contact, menu) to a full intent. */
export function answerableBorrowerIntent(intent: BorrowerChatIntent): BorrowerIntent {
  return ANSWERABLE_BORROWER_INTENT[intent];
}

const ANSWERABLE_OFFICER_INTENT: Record<OfficerChatIntent, OfficerIntent> = {
  summary: 'summary',
  reports: 'summary',
  help_lookup: 'help_lookup',
  menu: 'menu',
  pending_reviews: 'menu',
  my_work: 'menu',
  slips: 'menu',
  debtors: 'menu',
  overdue_debtors: 'menu',
  unlinked_debtors: 'menu',
  issue_code: 'menu',
  greeting: 'menu',
  thanks: 'menu',
  unlink: 'menu',
};

export function answerableOfficerIntent(intent: OfficerChatIntent): OfficerIntent {
  return ANSWERABLE_OFFICER_INTENT[intent];
}

const NOT_COMMANDS: ReadonlySet<OfficerChatIntent> = new Set(['greeting', 'thanks']);

/** The matchers for one language (its vocabularies compiled once). */
export function createChatIntents(language: ChatLanguage) {
  const officerGrammar = compileGrammar(language.officerGrammar);

  /** What a borrower's message is about, or undefined (the caller shows the menu). */
  function detectBorrowerChatIntent(text: string): BorrowerChatIntent | undefined {
    return detectIntent(text, language.borrower);
  }

  /**
   * What an officer's message asks for, with the name or contract number a command carries. Undefined when
   * the message is not a command: the caller treats it as a lookup (a name or a contract number).
   */
  function parseOfficerMessage(text: string): OfficerMessage | undefined {
    const message = readMessage(text);
    const withArgument = parseArgumentCommand(message, officerGrammar);
    const vocabulary = compiledVocabulary(language.officer);
    const { scores, covered } = scoreMessage(vocabulary, message);
    // "ขอรหัสทั้งตำบล", "รับชำระวันนี้": what follows the command is command words too, not a name.
    if (withArgument && !(withArgument.argument && covered)) return withArgument;
    if (!covered) return undefined;
    const intent = pickIntent(vocabulary, scores);
    return intent ? { intent } : withArgument;
  }

  return {
    detectBorrowerChatIntent,
    parseOfficerMessage,
    /** The borrower's intent among the first five (debt, measures, how to pay, contact, menu). */
    detectBorrowerIntent(text: string): BorrowerIntent | undefined {
      const intent = detectBorrowerChatIntent(text);
      return intent && answerableBorrowerIntent(intent);
    },
    /** The officer's intent, or undefined when the text is free text (a lookup). */
    detectOfficerChatIntent(text: string): OfficerChatIntent | undefined {
      return parseOfficerMessage(text)?.intent;
    },
    /** The officer's intent among the first three (summary, lookup help, menu). */
    detectOfficerIntent(text: string): OfficerIntent | undefined {
      const intent = parseOfficerMessage(text)?.intent;
      return intent && answerableOfficerIntent(intent);
    },
    /**
     * True when the whole message is a command ("สรุป", "เมนู", "ขอรหัส สมศรี"), not free text — e.g. for a
     * decision waiting for a typed reason. Greetings and thanks are not commands.
     */
    isOfficerCommand(text: string): boolean {
      const message = parseOfficerMessage(text);
      return message !== undefined && !NOT_COMMANDS.has(message.intent);
    },
  };
}

export type ChatIntents = ReturnType<typeof createChatIntents>;
