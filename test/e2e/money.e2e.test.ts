// Money in, in a real browser at phone size (360×740), on the simulator's demo data: two borrowers send slips in the
// chat (through the fake LINE platform's webhook and content API); the district officer opens "สลิป", confirms one
// (a recorded payment; the borrower is thanked) and rejects the other with a reason (the borrower is told); the
// province officer uploads a bank statement and sees what could not be matched.
// Screenshots: test-artifacts/screenshots/money-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generate } from 'promptparse';
import { liffUrlAs, pageScreenshot, pageTitle, SLOW } from './support/officer-pages.ts';
import { simulatorSession } from './support/session.ts';
import { makeSlipPhoto } from '../support/slip-photo.ts';

const session = simulatorSession(undefined, 120_000);

const screenshot = (page: Page, name: string) => pageScreenshot(page, name);

const liffUrl = (path: string, lineUserId: string) => liffUrlAs(session.sim.url, path, lineUserId);

async function sendSlip(label: string, photo: Buffer): Promise<void> {
  const fake = session.sim.context.fakeLine!;
  const { lineUserId } = session.sim.persona(label);
  const result = await fake.deliverWebhook(`${session.sim.url}/webhook`, [fake.imageEvent(lineUserId, photo)]);
  expect(result.status).toBe(200);
  await session.sim.context.services.inbox.idle();
}

const title = pageTitle;

describe('slips to check', () => {
  it('a district officer confirms one slip and rejects another, on a phone', async () => {
    await sendSlip('มาลี', await makeSlipPhoto({ qrText: generate.slipVerify({ sendingBank: '014', transRef: '2026112310421234567' }) }));
    await sendSlip('บุญมี', await makeSlipPhoto({ seed: 11, rotation: -0.1 }));
    const malee = session.sim.persona('มาลี');
    expect(JSON.stringify(session.sim.context.fakeLine!.messagesTo(malee.lineUserId))).toContain('ได้รับสลิปแล้วค่ะ');

    const phone = await session.openPhone();
    const { page } = phone;
    const officer = session.sim.persona('วิชัย');
    // Between two visits: My work says two slips wait, one tap away.
    await page.goto(liffUrl('officer/work', officer.lineUserId));
    await expect.poll(() => title(phone), SLOW).toBe('งานของฉัน');
    await page.getByText('สลิปที่ผู้กู้ส่งมา รอตรวจ').waitFor(SLOW);
    await screenshot(page, 'money-00-my-work-slips-waiting');
    await page.getByRole('link', { name: 'เปิดสลิปรอตรวจ' }).click();
    await expect.poll(() => title(phone), SLOW).toBe('สลิปรอตรวจ');
    const slips = page.getByTestId('slip');
    await expect.poll(() => slips.count(), SLOW).toBe(2);
    const maleeSlip = slips.filter({ hasText: 'มาลี ทองคำ' });
    await maleeSlip.locator('.slip-photo img').waitFor(SLOW);
    expect(await maleeSlip.locator('.slip-ref').textContent()).toBe('2026112310421234567');
    expect(await maleeSlip.textContent()).toContain('ธนาคารไทยพาณิชย์');
    // The amount is never filled in for her: what is due is shown beside it, the officer types what the slip shows.
    expect(await maleeSlip.getByLabel('ยอดตามสลิป (บาท)').inputValue()).toBe('');
    expect(await maleeSlip.textContent()).toContain('ยอดที่ถึงกำหนดของสัญญานี้ ฿');
    await screenshot(page, 'money-01-slips-to-check');

    await maleeSlip.getByTestId('confirm-slip').click();
    await maleeSlip.getByText('กรุณากรอกยอดเป็นตัวเลข', { exact: false }).waitFor(SLOW);
    await maleeSlip.getByLabel('ยอดตามสลิป (บาท)').fill('1,234.50');
    await maleeSlip.locator('.slip-photo').click();
    await screenshot(page, 'money-01b-slip-zoomed-and-typed');
    await maleeSlip.getByTestId('confirm-slip').click();
    await maleeSlip.getByText('บันทึกการชำระแล้ว', { exact: false }).waitFor(SLOW);
    expect(await maleeSlip.textContent()).toContain('฿1,234.50');
    await screenshot(page, 'money-02-slip-confirmed');
    const slipRows = await session.sim.context.db.selectFrom('payment_slips').select(['status', 'payment_id', 'trans_ref']).orderBy('id').execute();
    expect(slipRows[0]).toMatchObject({ status: 'confirmed', trans_ref: '2026112310421234567' });
    const payment = await session.sim.context.db.selectFrom('payments').select(['receipt_no', 'channel', 'amount_satang']).where('id', '=', slipRows[0]!.payment_id!).executeTakeFirstOrThrow();
    expect(payment).toEqual({ receipt_no: '2026112310421234567', channel: 'transfer', amount_satang: 123_450 });
    await expect.poll(() => JSON.stringify(session.sim.context.fakeLine!.messagesTo(malee.lineUserId)), SLOW).toContain('2026112310421234567');

    const boonmeeSlip = slips.filter({ hasText: 'บุญมี ศรีสุข' });
    expect(await boonmeeSlip.textContent()).toContain('อ่าน QR บนสลิปไม่ได้');
    // Its label puts the cursor in its own amount box, not the first slip's.
    await boonmeeSlip.locator('label', { hasText: 'ยอดตามสลิป (บาท)' }).click();
    expect(await boonmeeSlip.getByLabel('ยอดตามสลิป (บาท)').evaluate((input) => input === document.activeElement)).toBe(true);
    await boonmeeSlip.getByTestId('reject-slip').click();
    await boonmeeSlip.getByRole('radio', { name: 'รูปไม่ชัด อ่านยอดหรือวันที่ไม่ได้' }).check();
    await screenshot(page, 'money-03-slip-reject-reason');
    await boonmeeSlip.getByTestId('send-reject').click();
    await boonmeeSlip.getByText('ระบบแจ้งเหตุผลให้ผู้กู้', { exact: false }).waitFor(SLOW);
    const boonmee = session.sim.persona('บุญมี');
    await expect.poll(() => JSON.stringify(session.sim.context.fakeLine!.messagesTo(boonmee.lineUserId)), SLOW).toContain('รูปไม่ชัด อ่านยอดหรือวันที่ไม่ได้');

    // Back later: the queue is empty and the decisions are listed.
    await page.reload();
    await expect.poll(() => title(phone), SLOW).toBe('สลิปรอตรวจ');
    await page.getByText('ไม่มีสลิปรอตรวจค่ะ', { exact: false }).waitFor(SLOW);
    await screenshot(page, 'money-04-slips-done');
  }, 120_000);
});

describe('two slips from one borrower', () => {
  it('says what is due again on the second once the first is recorded', async () => {
    await sendSlip('มาลี', await makeSlipPhoto({ seed: 21 }));
    await sendSlip('มาลี', await makeSlipPhoto({ seed: 22, rotation: 0.05 }));
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl('officer/slips', session.sim.persona('วิชัย').lineUserId));
    await expect.poll(() => title(phone), SLOW).toBe('สลิปรอตรวจ');
    const slips = page.getByTestId('slip');
    await expect.poll(() => slips.count(), SLOW).toBe(2);
    const [first, second] = [slips.nth(0), slips.nth(1)];
    expect(await second.textContent()).toContain('ยอดที่ถึงกำหนดของสัญญานี้ ฿');
    await first.getByLabel('ยอดตามสลิป (บาท)').fill('1,000');
    await first.getByTestId('confirm-slip').click();
    await first.getByText('บันทึกการชำระแล้ว', { exact: false }).waitFor(SLOW);
    // Not the amount that was due before the first one: she might be charged twice.
    await second.getByText('หลังบันทึกสลิปก่อนหน้า สัญญานี้', { exact: false }).waitFor(SLOW);
    await screenshot(page, 'money-04b-second-slip-due-again');
  }, 120_000);
});

describe('statement upload', () => {
  it('a province officer uploads a statement and sees what could not be matched', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const officer = session.sim.persona('พรทิพย์');
    await page.goto(liffUrl('officer/statements', officer.lineUserId));
    await expect.poll(() => title(phone), SLOW).toBe('รายการเดินบัญชี');
    const csv = ['paid_on,amount,ref1,ref2,reference', '2569-11-22,500,TRT25660002,,KTB-E2E-1', '2569-11-22,750,NOBODY123,,KTB-E2E-2', '2569-11-22,120,FEE,,KTB-E2E-3'].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'ktb-2569-11-22.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('upload-statement').click();
    await page.getByText('นำเข้าแล้ว 3 รายการ').waitFor(SLOW);
    await page.getByTestId('statement-exception').filter({ hasText: 'KTB-E2E-2' }).waitFor(SLOW);
    expect(await page.locator('.section-title .count').last().textContent()).toBe('2');
    await screenshot(page, 'money-05-statement-imported');

    // The unmatched line: she asked the borrower, it was สมศรี's — record it to her contract.
    const line = page.getByTestId('statement-exception').filter({ hasText: 'KTB-E2E-2' });
    await line.getByText('บันทึกเป็นการชำระของสัญญา…').click();
    await line.locator('input[name=contractNo]').fill('TRT-2566-0001');
    await screenshot(page, 'money-06-exception-to-record');
    await line.getByTestId('record-exception').click();
    await page.getByText('บันทึกการชำระ ฿750.00 สัญญา TRT-2566-0001 แล้วค่ะ', { exact: false }).waitFor(SLOW);
    const recorded = await session.sim.context.db.selectFrom('payments').select(['amount_satang', 'receipt_no']).where('receipt_no', '=', 'KTB-E2E-2').execute();
    expect(recorded).toEqual([{ amount_satang: 75_000, receipt_no: 'KTB-E2E-2' }]);

    // A bank fee on the same account is not the fund's money: she closes it with a reason. Closing without one is
    // refused on the page.
    const fee = page.getByTestId('statement-exception').filter({ hasText: 'KTB-E2E-3' });
    await fee.getByText('ไม่ใช่เงินของกองทุน: ปิดรายการ…').click();
    await fee.getByTestId('dismiss-exception').click();
    await fee.getByText('กรุณาเลือกหรือพิมพ์เหตุผลก่อนค่ะ').waitFor();
    await fee.getByRole('radio', { name: 'อื่น ๆ (ระบุ)' }).check();
    await fee.locator('input[name=dismissReason]').fill('ค่าธรรมเนียมธนาคาร');
    await screenshot(page, 'money-07-exception-to-close');
    await fee.getByTestId('dismiss-exception').click();
    await page.getByText('ปิดรายการ ฿120.00 (อ้างอิง KTB-E2E-3) แล้วค่ะ — เหตุผล: ค่าธรรมเนียมธนาคาร').waitFor(SLOW);
    const closed = await session.sim.context.db.selectFrom('statement_lines').select(['dismissal_reason', 'resolved_payment_id']).where('reference', '=', 'KTB-E2E-3').execute();
    expect(closed).toEqual([{ dismissal_reason: 'ค่าธรรมเนียมธนาคาร', resolved_payment_id: null }]);
    // Tomorrow the list holds nothing of these two.
    await page.reload();
    await expect.poll(() => title(phone), SLOW).toBe('รายการเดินบัญชี');
    await page.getByText('ไม่มีรายการรอตรวจสอบค่ะ').waitFor(SLOW);
  }, 60_000);
});

describe('one transfer sent by two borrowers', () => {
  it('shows both to the officer, the second with a warning to check before recording', async () => {
    const photo = await makeSlipPhoto({ qrText: generate.slipVerify({ sendingBank: '004', transRef: '2026112311000000001' }), seed: 31 });
    await sendSlip('มาลี', photo);
    await sendSlip('บุญมี', photo);
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl('officer/slips', session.sim.persona('วิชัย').lineUserId));
    await expect.poll(() => title(phone), SLOW).toBe('สลิปรอตรวจ');
    const slips = page.getByTestId('slip').filter({ hasText: '2026112311000000001' });
    await expect.poll(() => slips.count(), SLOW).toBe(2);
    // Both cards warn, the first too: an officer working down the list meets it first.
    for (const name of ['มาลี ทองคำ', 'บุญมี ศรีสุข']) {
      const warned = slips.filter({ hasText: name }).getByTestId('same-transfer');
      expect(await warned.textContent()).toContain('ลูกหนี้อีก 1 รายส่งสลิปรายการโอนเดียวกันนี้ด้วย');
      expect(await warned.textContent()).toMatch(/25\d\d/); // a Buddhist-Era date
    }
    await slips.filter({ hasText: 'บุญมี ศรีสุข' }).getByTestId('same-transfer').scrollIntoViewIfNeeded();
    await screenshot(page, 'money-08-same-transfer-twice');

    // Recorded for มาลี; for บุญมี it is asked once more, showing what was recorded, and goes on the second tap.
    // By id: a recorded card no longer shows the reference it was found by.
    const cardOf = async (name: string) => page.locator(`[data-slip="${await slips.filter({ hasText: name }).getAttribute('data-slip')}"]`);
    const [malee, boonmee] = [await cardOf('มาลี ทองคำ'), await cardOf('บุญมี ศรีสุข')];
    await malee.getByLabel('ยอดตามสลิป (บาท)').fill('600');
    await malee.getByTestId('confirm-slip').click();
    await malee.getByText('บันทึกการชำระแล้ว', { exact: false }).waitFor(SLOW);
    await boonmee.getByLabel('ยอดตามสลิป (บาท)').fill('600');
    await boonmee.getByTestId('confirm-slip').click();
    await boonmee.getByText('บันทึกรับชำระให้ลูกหนี้อีกรายไปแล้ว ฿600.00', { exact: false }).waitFor(SLOW);
    expect(await boonmee.getByTestId('confirm-slip').textContent()).toBe('ยืนยันบันทึกรับชำระ');
    await screenshot(page, 'money-09-same-transfer-asked-again');
    await boonmee.getByTestId('confirm-slip').click();
    await boonmee.getByText('บันทึกการชำระแล้ว', { exact: false }).waitFor(SLOW);
  }, 60_000);
});
