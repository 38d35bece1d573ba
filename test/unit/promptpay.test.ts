import { describe, expect, it } from 'vitest';
import { checksum, generate, validate } from 'promptparse';
import {
  buildBillPaymentPayload,
  chooseRef1s,
  hashedRef1,
  isValidRef1,
  normalizeRef,
  paymentRef1,
  paymentRef2,
  readableRef1,
  readRef2,
} from '../../server/domain/promptpay.ts';
import { appendCrc, crc16CcittFalse, decodeTlv, encodeTlv, hasValidCrc } from '../../server/domain/emv-tlv.ts';
import { DomainError } from '../../server/domain/errors.ts';
import { PAYMENT_QR_MAX_HEIGHT, PAYMENT_QR_WIDTH, renderPaymentQrPng } from '../../server/render/promptpay-qr-image.ts';

const FUND_BILLER = '099400016285701';

describe('bill payment payload, byte for byte against promptparse', () => {
  const cases = [
    { billerId: FUND_BILLER, ref1: 'TRT25660001', ref2: paymentRef2('TRT25660001', 1), amountSatang: 1 },
    { billerId: FUND_BILLER, ref1: 'TRT25660001', ref2: paymentRef2('TRT25660001', 12), amountSatang: 123_456_789 },
    { billerId: FUND_BILLER, ref1: 'TRT25660001', ref2: paymentRef2('TRT25660001', 2), amountSatang: 123_450 },
    { billerId: FUND_BILLER, ref1: 'BKK25670042', ref2: paymentRef2('BKK25670042', 0), amountSatang: 100 },
    { billerId: '010555312345600', ref1: 'A', ref2: '1', amountSatang: 99 },
    { billerId: '010555312345600', ref1: 'ABCDEFGHIJ0123456789', ref2: 'ZYXWVUTSRQ9876543210', amountSatang: 1_000_000 },
    { billerId: '311040039475101', ref1: hashedRef1('สพจ.ตร 1/2566'), ref2: undefined, amountSatang: 50_000 },
    { billerId: '311040039475101', ref1: '12345678', ref2: undefined, amountSatang: undefined },
    { billerId: FUND_BILLER, ref1: 'NAN25690007', ref2: paymentRef2('NAN25690007', 600), amountSatang: 999_999_999_999 },
    { billerId: FUND_BILLER, ref1: 'CNX25650100', ref2: paymentRef2('CNX25650100', 36), amountSatang: 10 },
  ];

  it.each(cases)('$ref1 / $ref2 / $amountSatang satang', (input) => {
    const ours = buildBillPaymentPayload(input);
    const theirs = generate.billPayment({
      billerId: input.billerId,
      ref1: input.ref1,
      ...(input.ref2 !== undefined && { ref2: input.ref2 }),
      ...(input.amountSatang !== undefined && { amount: input.amountSatang / 100 }),
    });
    expect(ours).toBe(theirs);
    // …and promptparse reads back what we meant, with a valid CRC.
    const read = validate.billPayment(ours);
    expect(read).toMatchObject({ billerId: input.billerId, ref1: input.ref1 });
    expect(read?.ref2).toBe(input.ref2);
    expect(read?.amount).toBe(input.amountSatang === undefined ? undefined : input.amountSatang / 100);
  });

  it('writes the amount from satang, never through a float', () => {
    const payload = buildBillPaymentPayload({ billerId: FUND_BILLER, ref1: 'A1', amountSatang: 123_456_789 });
    expect(payload).toContain('54101234567.89');
    expect(buildBillPaymentPayload({ billerId: FUND_BILLER, ref1: 'A1', amountSatang: 1 })).toContain('54040.01');
    expect(buildBillPaymentPayload({ billerId: FUND_BILLER, ref1: 'A1', amountSatang: 999_999_999_999 })).toContain('54139999999999.99');
  });

  it('is a hand-checked payload', () => {
    const merchant = '0016A000000677010112' + '0115099400016285701' + '0211TRT25660001' + '030500112';
    expect(merchant).toHaveLength(63);
    const body = '000201' + '010212' + `3063${merchant}` + '5303764' + '5802TH' + '54071234.50' + '6304';
    const crc = crc16CcittFalse(body).toString(16).toUpperCase().padStart(4, '0');
    expect(buildBillPaymentPayload({ billerId: FUND_BILLER, ref1: 'TRT25660001', ref2: '00112', amountSatang: 123_450 })).toBe(body + crc);
  });

  it.each([
    [{ billerId: '09940001628570', ref1: 'A' }, 'billerId', 'ตัวเลข 15 หลัก'],
    [{ billerId: '0994000162857011', ref1: 'A' }, 'billerId', 'ตัวเลข 15 หลัก'],
    [{ billerId: '09940001628570X', ref1: 'A' }, 'billerId', 'ตัวเลข 15 หลัก'],
    [{ billerId: FUND_BILLER, ref1: '' }, 'ref1', 'Ref1'],
    [{ billerId: FUND_BILLER, ref1: 'trt25660001' }, 'ref1', 'Ref1'],
    [{ billerId: FUND_BILLER, ref1: 'TRT-2566-0001' }, 'ref1', 'Ref1'],
    [{ billerId: FUND_BILLER, ref1: 'A'.repeat(21) }, 'ref1', 'Ref1'],
    [{ billerId: FUND_BILLER, ref1: 'A', ref2: '' }, 'ref2', 'Ref2'],
    [{ billerId: FUND_BILLER, ref1: 'A', ref2: 'งวด1' }, 'ref2', 'Ref2'],
    [{ billerId: FUND_BILLER, ref1: 'A', amountSatang: 0 }, 'amountSatang', 'มากกว่า 0'],
    [{ billerId: FUND_BILLER, ref1: 'A', amountSatang: -100 }, 'amountSatang', 'มากกว่า 0'],
    [{ billerId: FUND_BILLER, ref1: 'A', amountSatang: 12.5 }, 'amountSatang', 'มากกว่า 0'],
    [{ billerId: FUND_BILLER, ref1: 'A', amountSatang: 1_000_000_000_000 }, 'amountSatang', 'ไม่เกิน'],
  ])('refuses %j (%s)', (input, field, message) => {
    let caught: unknown;
    try {
      buildBillPaymentPayload(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ code: 'VALIDATION', details: { field } });
    expect((caught as DomainError).userMessage).toContain(message);
  });
});

describe('EMV TLV and CRC', () => {
  it('computes CRC-16/CCITT-FALSE: the catalogue check value and promptparse agree', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
    expect(crc16CcittFalse('')).toBe(0xffff);
    for (const text of ['00020101021153037645802TH6304', 'A', 'hello world', '0041000600000101030040220014242082547BPM049885102TH9104']) {
      expect(crc16CcittFalse(text).toString(16).toUpperCase().padStart(4, '0')).toBe(checksum(text, true));
    }
  });

  it('appends and checks the CRC object', () => {
    const payload = appendCrc(encodeTlv('00', '01') + encodeTlv('58', 'TH'), '63');
    expect(hasValidCrc(payload, '63')).toBe(true);
    expect(hasValidCrc(payload.toLowerCase().replace('th', 'TH'), '63')).toBe(true);
    expect(hasValidCrc(payload.replace('TH', 'TX'), '63')).toBe(false);
    expect(hasValidCrc(payload, '91')).toBe(false);
    expect(hasValidCrc('', '63')).toBe(false);
  });

  it('decodes only well-formed TLV', () => {
    expect(decodeTlv('0002015802TH')).toEqual([{ tag: '00', value: '01' }, { tag: '58', value: 'TH' }]);
    expect(decodeTlv('00020')).toBeUndefined();
    expect(decodeTlv('0005AB')).toBeUndefined();
    expect(decodeTlv('XX02AB')).toBeUndefined();
    expect(decodeTlv('0000')).toBeUndefined();
    expect(decodeTlv('')).toEqual([]);
  });

  it('refuses values a two-digit length cannot hold', () => {
    expect(() => encodeTlv('00', '')).toThrow(RangeError);
    expect(() => encodeTlv('00', 'x'.repeat(100))).toThrow(RangeError);
    expect(() => encodeTlv('0', 'x')).toThrow(RangeError);
    expect(() => encodeTlv('00', 'ไทย')).toThrow(RangeError);
  });
});

describe('Ref1 from a contract number', () => {
  it.each([
    ['TRT-2566-0001', 'TRT25660001'],
    ['trt-2566-0001', 'TRT25660001'],
    ['  TRT 2566/0001 ', 'TRT25660001'],
    ['ตร.๑/๒๕๖๖', undefined],
    ['๑๒/๒๕๖๖', '122566'],
    ['ＴＲＴ－２５６６', 'TRT2566'],
    ['TRT–2566—0001', 'TRT25660001'],
    ['A_B.C', 'ABC'],
    ['ABCDEFGHIJ-0123456789', 'ABCDEFGHIJ0123456789'],
    ['ABCDEFGHIJ-0123456789-X', undefined],
    ['---', undefined],
    ['', undefined],
    ['TRT#1', undefined],
  ])('%j → readable %j', (contractNo, expected) => {
    expect(readableRef1(contractNo)).toBe(expected);
    const ref1 = paymentRef1(contractNo);
    expect(isValidRef1(ref1)).toBe(true);
    expect(ref1).toBe(expected ?? hashedRef1(contractNo));
  });

  it('hashes to a fixed, valid, 14-character fallback', () => {
    const fallback = hashedRef1('สพจ.ตร 1/2566');
    expect(fallback).toMatch(/^X[0-9A-Z]{13}$/);
    expect(hashedRef1(' สพจ.ตร 1/2566 ')).toBe(fallback);
    expect(hashedRef1('สพจ.ตร 2/2566')).not.toBe(fallback);
    // FNV-1a 64 of the empty input is its offset basis; pins the algorithm so stored Ref1s never change.
    expect(hashedRef1('')).toBe(`X${0xcbf29ce484222325n.toString(36).toUpperCase().padStart(13, '0')}`);
    expect(hashedRef1('a')).toBe(`X${0xaf63dc4c8601ec8cn.toString(36).toUpperCase().padStart(13, '0')}`);
  });

  it('gives different fallbacks to contract numbers whose readable forms collide', () => {
    expect(readableRef1('A-1-23')).toBe(readableRef1('A-12-3'));
    expect(hashedRef1('A-1-23')).not.toBe(hashedRef1('A-12-3'));
  });

  it('checks the Ref1 shape', () => {
    expect(isValidRef1('TRT25660001')).toBe(true);
    expect(isValidRef1('A'.repeat(20))).toBe(true);
    expect(isValidRef1('A'.repeat(21))).toBe(false);
    expect(isValidRef1('')).toBe(false);
    expect(isValidRef1('trt1')).toBe(false);
    expect(isValidRef1('TRT 1')).toBe(false);
    expect(normalizeRef(' trt 2566 0001 ')).toBe('TRT25660001');
  });
});

describe('Ref2: installment and check digits', () => {
  it('is three digits of installment and two MOD 97-10 check digits', () => {
    const ref2 = paymentRef2('TRT25660001', 7);
    expect(ref2).toMatch(/^007\d{2}$/);
    expect(readRef2('TRT25660001', ref2)).toBe(7);
    expect(readRef2('TRT25660001', paymentRef2('TRT25660001', 0))).toBe(0);
    expect(readRef2('TRT25660001', paymentRef2('TRT25660001', 999))).toBe(999);
  });

  it('catches every single-digit typo and adjacent swap, and a Ref2 from another loan', () => {
    const ref1 = 'TRT25660001';
    const ref2 = paymentRef2(ref1, 12);
    for (let i = 0; i < 5; i++) {
      for (let d = 0; d <= 9; d++) {
        const typo = ref2.slice(0, i) + d + ref2.slice(i + 1);
        if (typo !== ref2) expect(readRef2(ref1, typo)).toBeUndefined();
      }
      if (i < 4 && ref2[i] !== ref2[i + 1]) {
        expect(readRef2(ref1, ref2.slice(0, i) + ref2[i + 1] + ref2[i] + ref2.slice(i + 2))).toBeUndefined();
      }
    }
    expect(readRef2('TRT25660002', ref2)).toBeUndefined();
    expect(readRef2(ref1, '12')).toBeUndefined();
    expect(readRef2('bad ref', ref2)).toBeUndefined();
  });

  it('refuses installments it cannot write', () => {
    expect(() => paymentRef2('TRT25660001', 1000)).toThrow(DomainError);
    expect(() => paymentRef2('TRT25660001', -1)).toThrow(DomainError);
    expect(() => paymentRef2('TRT25660001', 1.5)).toThrow(DomainError);
    expect(() => paymentRef2('TRT-1', 1)).toThrow(DomainError);
  });
});

describe('payment QR image', () => {
  const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
  const payload = () => buildBillPaymentPayload({ billerId: FUND_BILLER, ref1: 'TRT25660001', ref2: paymentRef2('TRT25660001', 3), amountSatang: 123_450 });

  it('is a PNG at LINE image sizes', async () => {
    const png = await renderPaymentQrPng({
      payload: payload(),
      title: 'ชำระคืนกองทุนพัฒนาบทบาทสตรี',
      lines: ['นางสมหญิง ใจดี', 'สัญญา TRT-2566-0001 · งวดที่ 3'],
      amount: '฿1,234.50',
    });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png).width).toBe(PAYMENT_QR_WIDTH);
    expect(pngSize(png).height).toBeLessThanOrEqual(PAYMENT_QR_MAX_HEIGHT);
    expect(png.length).toBeLessThan(150_000);
  });

  it('keeps to the height limit when every text is long, by wrapping and giving the QR less room', async () => {
    const png = await renderPaymentQrPng({
      payload: payload(),
      title: 'ชำระคืนกองทุนพัฒนาบทบาทสตรีจังหวัดพระนครศรีอยุธยา สำนักงานพัฒนาชุมชนอำเภอผักไห่',
      lines: ['นางสาวปิยะนุชจารุวรรณ ศรีสุวรรณเจริญรุ่งเรืองกิจ ผู้ใหญ่บ้าน', 'สัญญา ABCDEFGHIJ-0123456789-XYZ งวดที่ 120 ครบกำหนด 5 มกราคม 2570'],
      amount: '฿1,234,567.89',
      footer: 'สแกนจ่ายผ่านแอปธนาคารใดก็ได้ที่รองรับพร้อมเพย์ ภายในวันครบกำหนด',
    });
    expect(pngSize(png).height).toBeLessThanOrEqual(PAYMENT_QR_MAX_HEIGHT);
    expect(png.length).toBeLessThan(1_000_000);
  });
});

describe('Ref1 mapping: contract number → Ref1 → exactly one loan', () => {
  it.each([
    ['TRT-2566-0001', 'TRT25660001'],
    ['trt 2566/0002', 'TRT25660002'],
    ['ตร.๑/๒๕๖๖', hashedRef1('ตร.๑/๒๕๖๖')],
    ['ABCDEFGHIJ-0123456789-X', hashedRef1('ABCDEFGHIJ-0123456789-X')],
  ])('%j pays through a payload promptparse reads back as Ref1 %j', (contractNo, ref1) => {
    expect(paymentRef1(contractNo)).toBe(ref1);
    const ref2 = paymentRef2(ref1, 7);
    const ours = buildBillPaymentPayload({ billerId: FUND_BILLER, ref1, ref2, amountSatang: 250_050 });
    expect(ours).toBe(generate.billPayment({ billerId: FUND_BILLER, ref1, ref2, amount: 2500.5 }));
    const read = validate.billPayment(ours)!;
    expect(read.ref1).toBe(ref1);
    expect(readRef2(read.ref1, read.ref2!)).toBe(7);
  });

  it('never gives two loans the same Ref1, in one batch or against those already taken', () => {
    const loans = [
      { id: 1, contractNo: 'A-1-23' },
      { id: 2, contractNo: 'A-12-3' },
      { id: 3, contractNo: 'a 123' },
      { id: 4, contractNo: 'TRT-2566-0001' },
      { id: 5, contractNo: 'B-1' },
    ];
    const chosen = chooseRef1s(loans, new Set(['B1']));
    expect(chosen).toEqual([
      { loanId: 1, ref1: 'A123' },
      { loanId: 2, ref1: hashedRef1('A-12-3') },
      { loanId: 3, ref1: hashedRef1('a 123') },
      { loanId: 4, ref1: 'TRT25660001' },
      { loanId: 5, ref1: hashedRef1('B-1') },
    ]);
    expect(new Set(chosen.map((c) => c.ref1)).size).toBe(loans.length);
    expect(chosen.every((c) => isValidRef1(c.ref1))).toBe(true);
  });
});
