import { describe, expect, it } from 'vitest';
import { validateRegistry, validateRegistryRow, checkRegistryHeader, REGISTRY_COLUMNS } from '../../server/domain/loan-registry.ts';
import { detectBorrowerIntent, detectOfficerIntent } from '../../server/content/chat-intents.th.ts';
import { findLinkCodeInSentence, formatLinkCode, isThrottled, linkCodeNearMiss, normalizeLinkCode } from '../../server/domain/link-code.ts';
import { retryKeyFor } from '../../server/services/retry-key.ts';
import { decodeChatAction, encodePostback } from '../../server/line/postback.ts';
import { createPersonalDataCipher, generateDataEncryptionKey } from '../../server/security/personal-data-cipher.ts';
import { registryRow, validNationalId } from '../support/registry.ts';

describe('registry row validation', () => {
  it('accepts a good row, with Buddhist Era dates and thousands separators', () => {
    const result = validateRegistryRow(registryRow({ principal: '1,234,567.50', first_due_on: '2569-03-01', paid_total: '', litigation: '' }), 2);
    expect(result).toMatchObject({ loan: { principal: 123_456_750, firstDueOn: '2026-03-01', paidTotal: 0, litigation: false } });
  });

  it('gives every reason a row is wrong, in Thai', () => {
    const result = validateRegistryRow(
      registryRow({ national_id: '1234567890123', principal: 'abc', frequency: 'weekly', first_due_on: '2026-02-30', litigation: 'maybe', installments: '0' }),
      7,
    );
    expect('error' in result).toBe(true);
    if (!('error' in result)) return;
    expect(result.error.line).toBe(7);
    const reasons = result.error.reasons.join('\n');
    expect(reasons).toContain('หลักตรวจสอบไม่ตรง');
    expect(reasons).toContain('(principal)');
    expect(reasons).toContain('(frequency)');
    expect(reasons).toContain('(first_due_on)');
    expect(reasons).toContain('(litigation)');
    expect(reasons).toContain('(installments)');
  });

  it('refuses a paid total above what the contract ever asks for', () => {
    const result = validateRegistryRow(registryRow({ principal: '1000', annual_interest_rate: '0', paid_total: '1000.01' }), 3);
    expect('error' in result && result.error.reasons[0]).toBe('ยอดชำระแล้ว ฿1,000.01 เกินยอดที่ต้องชำระทั้งสัญญา ฿1,000.00 (paid_total)');
  });

  it('takes dates and phones as Excel exports them: day first, Thai months, a phone that lost its leading zero', () => {
    const read = (row: Parameters<typeof registryRow>[0]) => validateRegistryRow(registryRow(row), 2);
    expect(read({ first_due_on: '15/01/2568', phone: '812345678' })).toMatchObject({ loan: { firstDueOn: '2025-01-15', phone: '0812345678' } });
    expect(read({ first_due_on: '1 ม.ค. 2569', phone: '38511234' })).toMatchObject({ loan: { firstDueOn: '2026-01-01', phone: '038511234' } });
    const twoDigitYear = read({ first_due_on: '15/01/68' });
    expect('error' in twoDigitYear && twoDigitYear.error.reasons[0]).toContain('ปี 4 หลัก');
    const shortPhone = read({ phone: '81234567' });
    expect('error' in shortPhone && shortPhone.error.reasons[0]).toContain('(phone)');
  });

  it('finds contract numbers repeated inside the file', () => {
    const { loans, errors } = validateRegistry([
      { raw: registryRow({ contract_no: 'A-1' }), line: 2 },
      { raw: registryRow({ contract_no: 'A-1' }), line: 3 },
    ]);
    expect(loans).toHaveLength(1);
    expect(errors).toEqual([{ line: 3, contractNo: 'A-1', reasons: ['เลขที่สัญญาซ้ำกับบรรทัด 2'] }]);
  });

  it('checks the header', () => {
    expect(checkRegistryHeader([...REGISTRY_COLUMNS])).toEqual([]);
    expect(checkRegistryHeader(['contract_no', 'extra']).join(' ')).toMatch(/ขาดคอลัมน์.*national_id.*ไม่รู้จัก: extra/);
  });
});

describe('Thai intent matching', () => {
  it.each([
    ['ยอดหนี้', 'debt'],
    ['หนี้ค้างเท่าไหร่คะ', 'debt'],
    ['ต้องจ่ายเท่าไหร่', 'debt'],
    ['ดูยอดหนี้ของฉัน', 'debt'],
    ['มาตรการ', 'measures'],
    ['อยากพักหนี้ค่ะ', 'measures'],
    ['พักหนี้ไม่พักจ่ายคืออะไร', 'measures'],
    ['จ่ายไม่ไหวแล้ว', 'measures'],
    ['จ่ายเงินยังไง', 'how_to_pay'],
    ['ขอเลขบัญชีโอนเงิน', 'how_to_pay'],
    ['ติดต่อเจ้าหน้าที่', 'contact_officer'],
    ['เบอร์พัฒนากร', 'contact_officer'],
    ['สวัสดีค่ะ', 'menu'],
  ])('%s → %s', (text, intent) => {
    expect(detectBorrowerIntent(text)).toBe(intent);
  });

  it('returns nothing for unrelated text', () => {
    expect(detectBorrowerIntent('วันนี้ฝนตก')).toBeUndefined();
    expect(detectBorrowerIntent('   ')).toBeUndefined();
  });

  it('knows the officer summary command; a name is left for lookup', () => {
    expect(detectOfficerIntent('สรุป')).toBe('summary');
    expect(detectOfficerIntent('ขอภาพรวมพื้นที่')).toBe('summary');
    expect(detectOfficerIntent('มาลี ทองคำ')).toBeUndefined();
  });
});

describe('small codecs', () => {
  it('normalises link codes typed with spaces or dashes', () => {
    expect(normalizeLinkCode(' 1234 5678 ')).toBe('12345678');
    expect(normalizeLinkCode('1234-5678')).toBe('12345678');
    expect(normalizeLinkCode('1234567')).toBeUndefined();
    expect(normalizeLinkCode(validNationalId())).toBeUndefined();
    // Only the code itself: a sentence is for findLinkCodeInSentence.
    expect(normalizeLinkCode('รหัส 3633 5194')).toBeUndefined();
    // Said as people say it, with words around it.
    expect(findLinkCodeInSentence('รหัสคือ ๓๖๓๓ ๕๑๙๔')).toBe('36335194');
    expect(findLinkCodeInSentence('3633 5194 ค่ะ')).toBe('36335194');
    expect(findLinkCodeInSentence('รหัส36335194นะคะ')).toBe('36335194');
    expect(findLinkCodeInSentence('สวัสดีค่ะ เจ้าหน้าที่ให้รหัสมาว่า 3633-5194 ค่ะ')).toBe('36335194');
    // With her contract number beside it, as she reads both off the slip.
    expect(findLinkCodeInSentence('ผูกบัญชีค่ะ รหัส ๕๑๖๑ ๒๔๘๘ สัญญา TRT-2566-0001')).toBe('51612488');
    // With her phone number beside it (found in the forum trial: the phone hid the code).
    expect(findLinkCodeInSentence('สวัสดีค่ะ ป้าศิริพรนะคะ เบอร์โทร 0891234567 รหัส ๘๔๙๑ ๑๓๒๒ ค่ะ')).toBe('84911322');
    expect(findLinkCodeInSentence('รหัส ๗๒๑๒ ๓๖๙๗ ค่ะ 089-123-4567')).toBe('72123697');
    expect(findLinkCodeInSentence('รหัส 0639 9114 ค่ะ')).toBe('06399114');
    expect(findLinkCodeInSentence('โทร 0891234567')).toBeUndefined();
    // Not a code: a contract number, a phone number, two amounts, an amount with separators.
    expect(findLinkCodeInSentence('สัญญา TRT-2566-0001')).toBeUndefined();
    expect(findLinkCodeInSentence('โทร 081 234 5678')).toBeUndefined();
    expect(findLinkCodeInSentence('จ่าย 3000 เมื่อ 2569')).toBeUndefined();
    expect(findLinkCodeInSentence('ค้าง 5000 บาท')).toBeUndefined();
    expect(findLinkCodeInSentence('ยอด 12,345,678 บาท')).toBeUndefined();
    // A digit missed or doubled is counted, so she can be told; sentences with other numbers are not codes.
    expect(linkCodeNearMiss('รหัส ๖๙๙๙๙๖๙')).toBe(7);
    expect(linkCodeNearMiss('6999 69644 ค่ะ')).toBe(9);
    expect(linkCodeNearMiss('รหัส 3633 5194')).toBeUndefined();
    expect(linkCodeNearMiss('ค้าง 50000 บาท')).toBeUndefined();
    expect(linkCodeNearMiss('สัญญา TRT-2566-0001')).toBeUndefined();
    expect(linkCodeNearMiss('1234')).toBeUndefined();
    expect(formatLinkCode('12345678')).toBe('1234 5678');
    expect(isThrottled(4)).toBe(false);
    expect(isThrottled(5)).toBe(true);
  });

  it('derives stable UUID retry keys', () => {
    const key = retryKeyFor('reminder:42');
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retryKeyFor('reminder:42')).toBe(key);
    expect(retryKeyFor('reminder:43')).not.toBe(key);
  });

  it('round-trips postback actions and rejects unknown ones', () => {
    expect(decodeChatAction(encodePostback({ action: 'debt' }))).toEqual({ action: 'debt' });
    expect(decodeChatAction('action=drop_tables')).toBeUndefined();
    expect(() => encodePostback({ action: 'x'.repeat(400) })).toThrow(RangeError);
  });

  it('encrypts national IDs with a fresh IV and looks them up by keyed hash', () => {
    const cipher = createPersonalDataCipher(generateDataEncryptionKey());
    const id = validNationalId();
    const a = cipher.encrypt(id);
    const b = cipher.encrypt(id);
    expect(a).not.toBe(b);
    expect(a).not.toContain(id);
    expect(cipher.decrypt(a)).toBe(id);
    expect(cipher.lookupHash(id)).toBe(cipher.lookupHash(id));
    const other = createPersonalDataCipher(generateDataEncryptionKey());
    expect(other.lookupHash(id)).not.toBe(cipher.lookupHash(id));
    expect(() => other.decrypt(a)).toThrow();
  });
});
