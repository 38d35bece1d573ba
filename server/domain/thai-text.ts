// What people type in Thai chat, made comparable: Thai digits, stray control characters, common typing
// slips, and a tone-free "skeleton" that keyword matching runs on. Everything here is linear in the text.

/** LINE refuses text messages longer than this; nothing we read needs more. */
export const LINE_TEXT_MAX_LENGTH = 5000;

const THAI_DIGIT_ZERO = 0x0e50;

/** "๙๖๓๒ ๓๓๓๘" → "9632 3338": Thai digits become ASCII digits; everything else is left alone. */
export function normalizeThaiDigits(text: string): string {
  return text.replace(/[\u0E50-\u0E59]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - THAI_DIGIT_ZERO + 0x30));
}

// NUL and other C0 controls, and UTF-16 halves without their partner (a cut emoji), become a space.
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Zero-width space is common in Thai text pasted from the web, where it marks word breaks.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * The text as we read it: at most LINE's 5,000 characters, no control characters or lone surrogates,
 * NFC, Thai digits as ASCII, and two common Thai typing slips repaired: "เเ" (two sara e) for "แ", and
 * nikhahit + sara aa ("ทํา", from PDFs and old keyboards) for sara am ("ทำ"). Case is kept (contract numbers).
 */
export function cleanChatText(text: string): string {
  const cut = text.length > LINE_TEXT_MAX_LENGTH ? text.slice(0, LINE_TEXT_MAX_LENGTH) : text;
  return normalizeThaiDigits(cut.replace(UNSAFE_CHARACTERS, ' ').replace(ZERO_WIDTH, '').normalize('NFC'))
    .replace(/\u0E40\u0E40/g, '\u0E41')
    .replace(/\u0E4D([\u0E48-\u0E4B]?)\u0E32/g, '$1\u0E33');
}

/** The Thai letters of a text without tone marks, and where each came from in the text. */
export interface ThaiSkeleton {
  readonly text: string;
  /** origin[i] is the index in the source text of the skeleton's i-th character. */
  readonly origin: Int32Array;
}

const SO_SALA = 0x0e13; // ณ
const NO_NU = 0x0e19; // น
const SARA_AI_MAIMUAN = 0x0e43; // ใ
const SARA_AI_MAIMALAI = 0x0e44; // ไ
const MAI_EK = 0x0e48; // ่
const BO_BAIMAI = 0x0e1a; // บ

/**
 * Kept: consonants (except ฯ), vowels, leading vowels. Dropped: tone marks, mai taikhu, thanthakhat,
 * nikhahit, mai yamok (ๆ), phinthu. People in a hurry, or on a phone without easy access to the upper row,
 * leave tone marks out ("ยอดหนี", "ไมมีเงิน") or put them in a different order; the skeleton is the same.
 */
function skeletonCode(code: number, previous: number): number | undefined {
  if (code === SO_SALA) return NO_NU; // "ขอบคุน" for "ขอบคุณ"
  // Except mai ek after บ: บ่ is the Isan and northern "not", and without its mark it would be the start of
  // every word in บ ("ครับ มีเงิน" would read as "บ่มีเงิน", "แล้ว 500 บาท" as "แล้วบ่").
  if (code === MAI_EK && previous === BO_BAIMAI) return code;
  if (code === SARA_AI_MAIMUAN) return SARA_AI_MAIMALAI; // "ไคร" for "ใคร", "ไห้" for "ให้"
  if (code >= 0x0e01 && code <= 0x0e2e) return code;
  if (code >= 0x0e30 && code <= 0x0e39) return code;
  if (code >= 0x0e40 && code <= 0x0e45) return code;
  return undefined;
}

/**
 * The tone-free skeleton of a text. Anything that is not a Thai letter (spaces, Latin, digits, emoji) is
 * left out, so "ยอด หนี้" and "ยอดหนี้" read the same. A run of one letter is kept to two ("ค่าาาา" → "คาา").
 */
export function thaiSkeleton(text: string): ThaiSkeleton {
  const codes: number[] = [];
  const origin = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = skeletonCode(text.charCodeAt(i), i > 0 ? text.charCodeAt(i - 1) : 0);
    if (code === undefined) continue;
    const n = codes.length;
    if (n >= 2 && codes[n - 1] === code && codes[n - 2] === code) continue;
    origin[n] = i;
    codes.push(code);
  }
  // fromCharCode in slices: spreading 5,000 arguments is fine, 100,000 is not on every engine.
  let skeleton = '';
  for (let i = 0; i < codes.length; i += 4096) skeleton += String.fromCharCode(...codes.slice(i, i + 4096));
  return { text: skeleton, origin: origin.subarray(0, codes.length) };
}

/** The skeleton of a single phrase (for vocabularies). */
export function skeletonOf(phrase: string): string {
  return thaiSkeleton(cleanChatText(phrase)).text;
}

/** Thai combining marks: they belong to the letter before them. */
export function isThaiCombiningMark(code: number): boolean {
  return code === 0x0e31 || (code >= 0x0e34 && code <= 0x0e3a) || (code >= 0x0e47 && code <= 0x0e4e);
}

/**
 * The ASCII words of a text, lower-cased, separated and surrounded by single spaces (" check 7 11 "), with a
 * letter typed three or more times in a row kept once ("hiii" → "hi", "thanksss" → "thanks").
 */
export function latinWords(text: string): string {
  const words = text.toLowerCase().replace(/([a-z])\1{2,}/g, '$1').match(/[a-z0-9]+/g);
  return words ? ` ${words.join(' ')} ` : ' ';
}

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/**
 * Longest piece handed to Intl.Segmenter at once. V8 before 12.x (Node 20 ships 11.3) segments long strings
 * in worse than quadratic time: 40,000 characters take 0.2 s, 80,000 take a minute. Pieces of this size
 * keep the whole call linear.
 */
const SEGMENTER_PIECE_LENGTH = 256;

/** Where to cut a long text before `limit` without splitting a letter from its marks or a surrogate pair. */
function pieceEnd(text: string, start: number): number {
  const limit = start + SEGMENTER_PIECE_LENGTH;
  if (limit >= text.length) return text.length;
  for (let i = limit; i > start + SEGMENTER_PIECE_LENGTH / 2; i--) {
    if (/\s/.test(text[i - 1]!)) return i; // a space always ends a word: cutting after it changes nothing
  }
  // One run of more than 128 characters without a space: cut before a letter that starts a cluster. A Thai
  // word may be split here, once per 256 characters of unbroken text.
  for (let i = limit; i > start + 1; i--) {
    const code = text.charCodeAt(i);
    if (!isThaiCombiningMark(code) && !(code >= 0xdc00 && code <= 0xdfff)) return i;
  }
  return limit;
}

/** Lower-cased words of the text, Thai segmented, punctuation and spaces dropped. */
export function thaiWords(text: string): string[] {
  const normalized = text.normalize('NFC').toLowerCase();
  const words: string[] = [];
  for (let start = 0; start < normalized.length; ) {
    const end = pieceEnd(normalized, start);
    for (const part of segmenter.segment(normalized.slice(start, end))) {
      if (part.isWordLike) words.push(part.segment);
    }
    start = end;
  }
  return words;
}

/**
 * A name with the title written onto it taken off ("นางมาลี" → "มาลี", "คุณ สมศรี" → "สมศรี"); undefined when it has
 * none. Registry names are stored without titles; callers try the text as typed first, since a name may itself
 * begin with a title's letters (คุณากร).
 */
export function nameWithoutTitle(text: string, titles: readonly string[]): string | undefined {
  const title = titles.find((t) => text.startsWith(t) && text.length > t.length);
  const rest = title === undefined ? '' : text.slice(title.length).trim();
  return rest.length >= 2 ? rest : undefined;
}

// A name typed in a hurry: tone marks left out or misplaced, a long vowel for a short one ("มาลิ" for มาลี), the
// silent-letter mark forgotten ("ศักดิ"), letters that sound alike (ศ ษ ส, ณ ญ น, ธ ท, ภ พ, ใ ไ), sara am typed as
// nikhahit + sara aa, spaces anywhere. Stored names and queries are both reduced this way before they are compared:
// the first NAME_KEY_TO.length letters of NAME_KEY_FROM become the letter at the same place in NAME_KEY_TO, the rest
// are dropped, exactly as SQL translate() does it, so the database can reduce a stored name the same way.
export const NAME_KEY_FROM = 'ณญใีืูศษำธภ\u0E48\u0E49\u0E4A\u0E4B\u0E47\u0E4C\u0E4D\u0E3A ';
export const NAME_KEY_TO = 'นนไิึุสสาทพ';

const NAME_KEY_MAP = new Map([...NAME_KEY_FROM].map((letter, i) => [letter, NAME_KEY_TO[i] ?? ''] as const));

/** "สมใจ ใจงาม" and "สมไจใจงาม" have the same key; the comparison a name search forgives typing slips by. */
export function nameSearchKey(text: string): string {
  let key = '';
  for (const letter of text.normalize('NFC')) key += NAME_KEY_MAP.get(letter) ?? letter;
  return key;
}
