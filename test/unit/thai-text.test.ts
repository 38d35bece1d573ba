import { describe, expect, it } from 'vitest';
import { cleanChatText, latinWords, LINE_TEXT_MAX_LENGTH, nameSearchKey, NAME_KEY_FROM, NAME_KEY_TO, normalizeThaiDigits, thaiSkeleton, thaiWords } from '../../server/domain/thai-text.ts';
import { normalizeLinkCode } from '../../server/domain/link-code.ts';
import { isOnlyNationalId, MASKED_NATIONAL_ID_IN_TEXT, maskNationalIdsInText, nationalIdCheckDigit } from '../../server/domain/thai-national-id.ts';

describe('Thai digits', () => {
  it('turns Thai digits into ASCII digits and leaves the rest alone', () => {
    expect(normalizeThaiDigits('๐๑๒๓๔๕๖๗๘๙')).toBe('0123456789');
    expect(normalizeThaiDigits('งวดที่ ๓ จ่าย ๑,๕๐๐.๕๐ บาท')).toBe('งวดที่ 3 จ่าย 1,500.50 บาท');
    expect(normalizeThaiDigits('no digits here')).toBe('no digits here');
  });

  it('reads link codes typed in Thai digits', () => {
    expect(normalizeLinkCode('๙๖๓๒๓๓๓๘')).toBe('96323338');
    expect(normalizeLinkCode('๙๖๓๒ ๓๓๓๘')).toBe('96323338');
    expect(normalizeLinkCode(' ๙๖๓๒-3338 ')).toBe('96323338');
    expect(normalizeLinkCode('๙๖๓๒๓๓๓')).toBeUndefined();
    expect(normalizeLinkCode('๙'.repeat(100_000))).toBeUndefined();
  });
});

describe('cleaning a chat text', () => {
  it('cuts at LINE’s 5,000 characters', () => {
    expect(cleanChatText('ก'.repeat(LINE_TEXT_MAX_LENGTH + 10))).toHaveLength(LINE_TEXT_MAX_LENGTH);
  });

  it('replaces NUL, control characters and lone surrogates, keeps whole emoji', () => {
    expect(cleanChatText('ยอด\u0000หนี้\u0007')).toBe('ยอด หนี้ ');
    expect(cleanChatText('\uD800ยอด\uDC00')).toBe(' ยอด ');
    expect(cleanChatText('🙏')).toBe('🙏');
    // A cut that splits an emoji leaves half of it: that half goes too.
    expect(cleanChatText('ก'.repeat(LINE_TEXT_MAX_LENGTH - 1) + '🙏').endsWith(' ')).toBe(true);
  });

  it('repairs two common Thai typing slips and drops zero-width spaces', () => {
    expect(cleanChatText('เเล้ว')).toBe('แล้ว'); // two sara e for sara ae
    expect(cleanChatText('ทํา')).toBe('ทำ'); // nikhahit + sara aa for sara am
    expect(cleanChatText('นํ้า')).toBe('น้ำ');
    expect(cleanChatText('ยอด\u200Bหนี้')).toBe('ยอดหนี้');
  });
});

describe('the tone-free skeleton', () => {
  it('ignores tone marks, spaces, non-Thai characters, and ณ/น, ใ/ไ', () => {
    const same = (a: string, b: string) => expect(thaiSkeleton(cleanChatText(a)).text).toBe(thaiSkeleton(cleanChatText(b)).text);
    same('ยอดหนี้', 'ยอด หนี');
    same('ไม่มีเงิน', 'ไมมีเงิน');
    same('ขอบคุณ', 'ขอบคุน');
    same('ใคร', 'ไคร');
    same('เช็คยอด 500', 'เชคยอด');
  });

  it('keeps mai ek after บ: the Isan "not" must not read as the start of every word in บ', () => {
    expect(thaiSkeleton('บ่มีเงิน').text).toBe('บ่มีเงิน');
    expect(thaiSkeleton('ครับ มีเงิน').text).not.toContain('บ่มี');
  });

  it('keeps a repeated letter at most twice', () => {
    expect(thaiSkeleton('ค่าาาาา').text).toBe('คาา');
  });

  it('knows where each letter came from', () => {
    const skeleton = thaiSkeleton('a ยอด');
    expect(skeleton.text).toBe('ยอด');
    expect([...skeleton.origin]).toEqual([2, 3, 4]);
  });
});

describe('ASCII words', () => {
  it('separates, lower-cases and shortens stretched letters', () => {
    expect(latinWords('Check ยอด!! THANKSSS 7-11')).toBe(' check thanks 7 11 ');
    expect(latinWords('ยอดหนี้')).toBe(' ');
  });
});

describe('thaiWords', () => {
  it('segments Thai into words (as ICU’s dictionary sees them: เท่า|ไหร่)', () => {
    expect(thaiWords('ยอดหนี้ค้าง เท่าไหร่คะ')).toEqual(['ยอด', 'หนี้', 'ค้าง', 'เท่า', 'ไหร่', 'คะ']);
  });

  it('gives the same words when a long text is segmented in pieces', () => {
    const sentence = 'ขอเลื่อนจ่ายได้ไหมคะ เดือนนี้ไม่มีเงินจริงๆ ';
    const words = thaiWords(sentence);
    expect(thaiWords(sentence.repeat(200))).toEqual(Array.from({ length: 200 }, () => words).flat());
  });

  it('stays linear on a 100,000-character text without spaces (Node 20’s segmenter alone took minutes)', () => {
    const text = 'ยอดหนี้ค้างเท่าไหร่คะไม่มีเงินจ่าย'.repeat(4000).slice(0, 100_000);
    const started = performance.now();
    const words = thaiWords(text);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(words.length).toBeGreaterThan(20_000);
  });
});

describe('name search key', () => {
  it('gives a name and its usual typing slips the same key', () => {
    const key = nameSearchKey('มาลี ทองคำ');
    for (const typed of ['มาลิ ทองคำ', 'มาลีทองคำ', 'มาลี ทองค\u0E4D\u0E32', 'มาลี  ทองคํา']) expect(nameSearchKey(typed)).toBe(key);
    expect(nameSearchKey('ศักดิ์ศรี')).toBe(nameSearchKey('สักดิสริ'));
    expect(nameSearchKey('บุญเรือน ใจดี')).toBe(nameSearchKey('บุนเรือน ไจดี'));
    expect(nameSearchKey('ประไพ ถูกฟ้อง')).toBe(nameSearchKey('ประไพ ถูกฟอง'));
    expect(nameSearchKey('อรุณี')).toBe(nameSearchKey('อรุนี'));
    expect(nameSearchKey('ธนภร')).toBe(nameSearchKey('ทนพร'));
  });

  it('keeps the letters that make names different', () => {
    expect(nameSearchKey('มาลี')).not.toBe(nameSearchKey('มานี'));
    expect(nameSearchKey('สมศรี')).not.toBe(nameSearchKey('สมพร'));
    expect(nameSearchKey('Somsri')).toBe('Somsri');
  });

  it('is the same reduction SQL translate() makes with its two constants', () => {
    // translate(): the i-th letter of FROM becomes the i-th of TO, letters of FROM past TO's end are dropped.
    expect(NAME_KEY_TO.length).toBeLessThan(NAME_KEY_FROM.length);
    expect(new Set(NAME_KEY_FROM).size).toBe(NAME_KEY_FROM.length);
    expect(nameSearchKey(NAME_KEY_FROM)).toBe(NAME_KEY_TO);
  });
});

describe('national IDs typed in a text', () => {
  const id = `310990000002${nationalIdCheckDigit('310990000002')}`;
  it('masks a valid number where it stands, keeping the text length, in any common layout', () => {
    expect(maskNationalIdsInText(`เลขบัตร ${id} ค่ะ`)).toBe('เลขบัตร 3xxxxxxxxx025 ค่ะ');
    expect(maskNationalIdsInText('3-1099-00000-02-5')).toBe('3-xxxx-xxxxx-02-5');
    expect(maskNationalIdsInText('๓ ๑๐๙๙ ๐๐๐๐๐ ๐๒ ๕')).toBe('๓ xxxx xxxxx ๐๒ ๕');
    for (const text of [`เลขบัตร ${id} ค่ะ`, '3-1099-00000-02-5']) expect(maskNationalIdsInText(text)).toHaveLength(text.length);
    expect(MASKED_NATIONAL_ID_IN_TEXT.test(maskNationalIdsInText(id))).toBe(true);
  });

  it('masks a number typed with one digit wrong too: twelve of its digits are still hers', () => {
    expect(maskNationalIdsInText('3109900000026')).toBe('3xxxxxxxxx026');
  });

  it('leaves other numbers alone: longer runs, phones, amounts beside them, contract numbers, link codes', () => {
    for (const text of [`${id}9`, `9${id}`, 'โทร 0812345678', 'โทร 0812345678 500 บาท', 'TRT-2566-0002', 'รหัส 3670 4201', '2026112310421234567']) {
      expect(maskNationalIdsInText(text)).toBe(text);
    }
  });

  it('tells a number said alone (with the words around it) from one said with a question', () => {
    for (const said of ['3xxxxxxxxx025', 'เลขบัตรประชาชน 3 xxxx xxxxx 02 5 ค่ะ', 'เลขบัตรของฉันคือ 3-xxxx-xxxxx-02-5 นะคะ']) expect(isOnlyNationalId(said), said).toBe(true);
    for (const said of ['ยอดหนี้เท่าไหร่ เลขบัตร 3xxxxxxxxx025', 'มาลี 3xxxxxxxxx025', 'ยอดหนี้']) expect(isOnlyNationalId(said), said).toBe(false);
  });
});
