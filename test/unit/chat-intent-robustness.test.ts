// The intent matcher against what it must survive: very long texts, broken characters, and its own data.
import { describe, expect, it } from 'vitest';
import { detectIntent, type IntentVocabulary } from '../../server/domain/chat-intent.ts';
import {
  BORROWER_INTENT_VOCABULARY,
  detectBorrowerChatIntent,
  detectBorrowerIntent,
  detectOfficerIntent,
  isAcknowledgement,
  isOfficerCommand,
  OFFICER_INTENT_VOCABULARY,
  parseOfficerMessage,
} from '../../server/content/chat-intents.th.ts';
import { skeletonOf } from '../../server/domain/thai-text.ts';

function everyMatcher(text: string): void {
  detectBorrowerChatIntent(text);
  detectBorrowerIntent(text);
  parseOfficerMessage(text);
  detectOfficerIntent(text);
  isOfficerCommand(text);
}

/** Texts built to hurt: long Thai without spaces, endless prefixes of a long phrase, one letter, emoji halves. */
function hostileTexts(length: number): string[] {
  const fill = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return [
    fill('ยอดหนี้ค้างเท่าไหร่คะไม่มีเงินจ่าย'),
    fill('ขอเลื่อน จ่าย ได้ไหมคะ '),
    fill('พักหนี้ไม่พักจ'),
    fill('ก'),
    fill('ค่าาาาา'),
    fill('check ยอด thanks '),
    fill('🙏\uD800\u0000ยอด\uDC00'),
    fill('ขอรหัส '),
  ];
}

describe('speed', () => {
  // A guard against the old blow-up (16 s for 105,000 characters), not a benchmark: typical figures are under 2 ms;
  // the bound leaves room for a loaded CI machine.
  it.each([5_000, 100_000])('matches a %i-character text without blowing up', (length) => {
    everyMatcher('ยอดหนี้'); // the vocabularies are compiled once, on first use
    for (const text of hostileTexts(length)) {
      const started = performance.now();
      everyMatcher(text);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it('reads only LINE’s first 5,000 characters', () => {
    expect(detectBorrowerChatIntent('ยอดหนี้' + 'ก'.repeat(200_000))).toBe('debt');
    expect(detectBorrowerChatIntent('ก'.repeat(5_000) + 'ยอดหนี้')).toBeUndefined();
  });
});

describe('broken characters', () => {
  it.each([
    ['NUL inside a word', 'ยอด\u0000หนี้', 'debt'],
    ['a lone high surrogate', '\uD83Dขอบคุณค่ะ', 'thanks'],
    ['a lone low surrogate', 'จ่ายแล้ว\uDE4F', 'paid_already'],
    ['control characters only', '\u0000\u0001\u001F', undefined],
    ['zero-width spaces', 'ขอ\u200Bเลื่อน\u200Bจ่าย', 'distress'],
    ['empty', '', undefined],
  ] as const)('%s', (_, text, intent) => {
    expect(() => everyMatcher(text)).not.toThrow();
    expect(detectBorrowerChatIntent(text)).toBe(intent);
  });
});

describe('a vocabulary passed in', () => {
  it('is used instead of the built-in one', () => {
    const vocabulary: IntentVocabulary<'fruit'> = { minScore: 2, intents: { fruit: { tier: 1, phrases: { มะม่วง: 2 } } }, neutral: [] };
    expect(detectIntent('มะมวงสุกแล้ว', vocabulary)).toBe('fruit');
    expect(detectIntent('มะม่วง', BORROWER_INTENT_VOCABULARY)).toBeUndefined();
  });
});

describe('a reply that only acknowledges', () => {
  it('is told apart from a question, however short', () => {
    for (const said of ['ค่ะ', 'ค่า', 'ครับ', 'จ้า', 'โอเคค่ะ', 'ได้ค่ะ', 'รับทราบค่ะ', 'เข้าใจแล้วค่ะ', 'ok', '👍', 'ค่ะๆ']) expect(isAcknowledgement(said), said).toBe(true);
    for (const said of ['ได้ไหมคะ', 'ไม่ได้ค่ะ', 'ยอดหนี้ค่ะ', 'ค่ะ '.repeat(20), 'โอเค แต่ยังไม่มีเงิน']) expect(isAcknowledgement(said), said).toBe(false);
  });
});

describe('the vocabularies themselves', () => {
  const thai = (phrase: string) => /[\u0E01-\u0E4E]/.test(phrase);

  it('has no borrower phrase shorter than three letters once tone marks go (it would be inside too many words)', () => {
    const short = Object.values(BORROWER_INTENT_VOCABULARY.intents)
      .flatMap((rule) => Object.keys(rule.phrases))
      .filter((phrase) => thai(phrase) && skeletonOf(phrase).length < 3);
    expect(short).toEqual([]);
  });

  it.each([
    ['borrower', BORROWER_INTENT_VOCABULARY],
    ['officer', OFFICER_INTENT_VOCABULARY],
  ] as const)('lists each %s phrase once per intent, and never as both neutral and meaningful', (_, vocabulary) => {
    const neutral = new Set(vocabulary.neutral.filter(thai).map(skeletonOf));
    for (const [intent, rule] of Object.entries(vocabulary.intents)) {
      const seen = new Map<string, string>();
      for (const phrase of Object.keys(rule.phrases).filter(thai)) {
        const skeleton = skeletonOf(phrase);
        expect(seen.get(skeleton), `${intent}: "${phrase}" reads the same as "${seen.get(skeleton)}"`).toBeUndefined();
        expect(neutral.has(skeleton), `${intent}: "${phrase}" is also neutral`).toBe(false);
        seen.set(skeleton, phrase);
      }
    }
  });
});
