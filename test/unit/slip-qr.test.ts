import { describe, expect, it } from 'vitest';
import { generate, validate } from 'promptparse';
import { parseSlipQr } from '../../server/domain/slip-qr.ts';
import { appendCrc, encodeTlv } from '../../server/domain/emv-tlv.ts';
import { buildBillPaymentPayload } from '../../server/domain/promptpay.ts';
import { readQrText, readSlipQr } from '../../server/render/slip-qr-reader.ts';
import { renderPaymentQrPng } from '../../server/render/promptpay-qr-image.ts';
import { makeSlipPhoto } from '../support/slip-photo.ts';

const slipPayload = (bankCode: string, transRef: string) => generate.slipVerify({ sendingBank: bankCode, transRef });

describe('slip-verify payload', () => {
  it.each([
    ['004', '015047154829ATF06472'],
    ['014', '2026011510421234567'],
    ['002', '1'],
    ['025', 'A'.repeat(40)],
    ['006', '202601151042abcDEF'],
  ])('reads bank %s, ref %s, as promptparse does', (bankCode, transRef) => {
    const payload = slipPayload(bankCode, transRef);
    expect(parseSlipQr(payload)).toEqual({ bankCode, transRef, raw: payload });
    expect(validate.slipVerify(payload)).toEqual({ sendingBank: bankCode, transRef });
  });

  it('accepts a lower-case checksum, surrounding whitespace and a slip without a country', () => {
    const payload = slipPayload('004', '015047154829ATF06472');
    expect(parseSlipQr(payload.slice(0, -4) + payload.slice(-4).toLowerCase())?.transRef).toBe('015047154829ATF06472');
    expect(parseSlipQr(` ${payload}\n`)?.bankCode).toBe('004');
    const noCountry = appendCrc(encodeTlv('00', encodeTlv('00', '000001') + encodeTlv('01', '014') + encodeTlv('02', 'REF1')), '91');
    expect(parseSlipQr(noCountry)).toMatchObject({ bankCode: '014', transRef: 'REF1' });
  });

  it('repairs a checksum printed without its leading zero, like promptparse', () => {
    let payload = '';
    for (let n = 0; !payload; n++) {
      const candidate = slipPayload('004', `0150471548${n}`);
      if (candidate.slice(-4).startsWith('0')) payload = candidate;
    }
    const short = payload.slice(0, -4) + payload.slice(-3);
    expect(parseSlipQr(short)).toMatchObject({ bankCode: '004', raw: short });
    expect(validate.slipVerify(short)).not.toBeNull();
  });

  it.each([
    ['a wrong checksum', slipPayload('004', '015047154829ATF06472').slice(0, -1) + 'X'],
    ['a changed reference', slipPayload('004', '015047154829ATF06472').replace('ATF', 'ATG')],
    ['a PromptPay bill QR', buildBillPaymentPayload({ billerId: '099400016285701', ref1: 'A1', amountSatang: 100 })],
    ['another API id', appendCrc(encodeTlv('00', encodeTlv('00', '000002') + encodeTlv('01', '004') + encodeTlv('02', 'R')) + encodeTlv('51', 'TH'), '91')],
    ['a bank code that is not 3 digits', appendCrc(encodeTlv('00', encodeTlv('00', '000001') + encodeTlv('01', 'KB') + encodeTlv('02', 'R')) + encodeTlv('51', 'TH'), '91')],
    ['no reference', appendCrc(encodeTlv('00', encodeTlv('00', '000001') + encodeTlv('01', '004')) + encodeTlv('51', 'TH'), '91')],
    ['another country', appendCrc(encodeTlv('00', encodeTlv('00', '000001') + encodeTlv('01', '004') + encodeTlv('02', 'R')) + encodeTlv('51', 'LA'), '91')],
    ['a broken template', appendCrc(encodeTlv('00', '0006000001' + '0199') + encodeTlv('51', 'TH'), '91')],
    ['a URL', 'https://example.com/slip?id=1'],
    ['empty text', ''],
    ['digits only', '91040000'],
  ])('refuses %s', (_what, text) => {
    expect(parseSlipQr(text)).toBeUndefined();
  });
});

describe('reading a slip QR from a picture', () => {
  const payload = slipPayload('014', '2026011510421234567');
  const expected = { bankCode: '014', transRef: '2026011510421234567', raw: payload };

  it('reads a phone photo: turned, blurred, noisy, JPEG', async () => {
    const photo = await makeSlipPhoto({ qrText: payload, rotation: 0.06, blurPx: 1.5, noise: 50 });
    expect(await readSlipQr(photo)).toEqual(expected);
  });

  it('reads a dim, low-contrast photo (the enlarged version does)', async () => {
    const photo = await makeSlipPhoto({
      qrText: payload, paper: '#8d8a84', ink: '#55524d', background: ['#3a3630', '#1a1814'], noise: 30, blurPx: 1.2,
    });
    expect(await readSlipQr(photo)).toEqual(expected);
  });

  it('reads a very dark photo (only the contrast-stretched version does)', async () => {
    const photo = await makeSlipPhoto({
      qrText: payload, paper: '#5a5854', ink: '#4a4844', background: ['#3a3630', '#1a1814'], noise: 10, blurPx: 1, seed: 5,
    });
    expect(await readSlipQr(photo)).toEqual(expected);
  });

  it('reads a full-size phone photo, upside down', async () => {
    const photo = await makeSlipPhoto({ qrText: payload, width: 2400, height: 3200, modulePx: 8, blurPx: 3, noise: 60, rotation: Math.PI - 0.05 });
    expect(photo.length).toBeGreaterThan(1_000_000);
    expect(await readSlipQr(photo)).toEqual(expected);
  });

  it('reads a screenshot (PNG) whose QR is small but sharp', async () => {
    const shot = await makeSlipPhoto({
      qrText: payload, width: 1080, height: 2340, modulePx: 3, blurPx: 0, noise: 0, rotation: 0, format: 'png', background: ['#ffffff', '#ffffff'],
    });
    expect(await readSlipQr(shot)).toEqual(expected);
  });

  it('finds nothing on a slip photo without a QR', async () => {
    expect(await readSlipQr(await makeSlipPhoto({}))).toBeUndefined();
  });

  it('reads our own payment QR back to its payload, which is not a slip', async () => {
    const bill = buildBillPaymentPayload({ billerId: '099400016285701', ref1: 'TRT25660001', ref2: '00112', amountSatang: 123_450 });
    const png = await renderPaymentQrPng({ payload: bill, title: 'ชำระคืนกองทุนพัฒนาบทบาทสตรี', lines: ['นางสมหญิง ใจดี'], amount: '฿1,234.50' });
    expect(await readQrText(png)).toBe(bill);
    expect(await readSlipQr(png)).toBeUndefined();
  });

  it.each([
    ['garbage', Buffer.from('this is not an image at all')],
    ['nothing', Buffer.alloc(0)],
    ['a JPEG header and noise', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x5a)])],
    ['a PNG signature and noise', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 0x01)])],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
  ])('answers undefined for %s, without throwing', async (_what, bytes) => {
    await expect(readSlipQr(bytes)).resolves.toBeUndefined();
  });

  it('answers undefined for a truncated photo', async () => {
    const photo = await makeSlipPhoto({ qrText: payload });
    await expect(readSlipQr(photo.subarray(0, 400))).resolves.toBeUndefined();
  });
});
