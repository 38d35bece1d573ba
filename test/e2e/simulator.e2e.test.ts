// The LINE simulator in a real browser: each role's rich menu under the chat (tappable), stickers and photos, and a
// district officer's rejection with its confirmation step. A screenshot of each is kept.
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { simulatorSession } from './support/session.ts';

const session = simulatorSession();

async function openSimulatorAs(label: string) {
  const phone = await session.openPhone({ viewport: { width: 900, height: 1300 }, mobile: false });
  const { page } = phone;
  await page.goto(`${session.sim.url}/simulator/`);
  await page.locator('.persona', { hasText: label }).click();
  return page;
}

describe('rich menus in the simulator', () => {
  it.each([
    ['ผู้ใช้ใหม่', 'unlinked', ['ผูกบัญชี', 'มาตรการ', 'วิธีชำระ', 'ติดต่อ']],
    ['สมศรี', 'borrower', ['ยอดหนี้', 'งวดถัดไป', 'มาตรการ', 'วิธีชำระ', 'คำขอของฉัน', 'ติดต่อเจ้าหน้าที่']],
    ['วิชัย', 'officer', ['สรุปพื้นที่', 'ค้นหาลูกหนี้', 'คำขอรอพิจารณา', 'งานของฉัน']],
  ])('shows %s the %s menu, tappable', async (label, role, areas) => {
    const page = await openSimulatorAs(label);
    await page.locator('.rich-menu img').waitFor();
    await expect.poll(() => page.locator('.rich-menu img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2500);
    // Polled: on a busy machine the menu of the persona shown before may still be on screen for a moment.
    await expect.poll(() => page.locator('.rich-menu .area').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label'))), { timeout: 15_000 }).toEqual(areas);
    await page.locator('.chat').screenshot({ path: `test-artifacts/screenshots/20-rich-menu-${role}.png` });
    // A tap on the first area does what the button says.
    if (role === 'borrower') {
      await page.locator('.rich-menu .area[aria-label="งวดถัดไป"]').click();
      await page.getByText('งวดที่ต้องชำระของคุณสมศรี ใจดี').waitFor();
    }
    if (role === 'officer') {
      await page.locator('.rich-menu .area[aria-label="สรุปพื้นที่"]').click();
      await page.getByText(/สรุปลูกหนี้/).first().waitFor();
    }
  });

  it('shows each answer once, however its polls for new messages overlap', async () => {
    const page = await openSimulatorAs('มาลี');
    await page.locator('.rich-menu img').waitFor();
    const answers = page.locator('.msg.bot-text', { hasText: 'งวดที่ต้องชำระของคุณมาลี ทองคำ' });
    const before = await answers.count();
    // The first poll that brings the answer is held until a later poll has brought (and shown) it too.
    let firstHeld = false;
    let secondServed!: () => void;
    const served = new Promise<void>((resolve) => (secondServed = resolve));
    let heldAnswered!: () => void;
    const released = new Promise<void>((resolve) => (heldAnswered = resolve));
    await page.route('**/simulator-api/messages?*', async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (!body.includes('งวดที่ต้องชำระของคุณมาลี')) return route.fulfill({ response, body });
      if (!firstHeld) {
        firstHeld = true;
        await served;
        await route.fulfill({ response, body });
        return heldAnswered();
      }
      await route.fulfill({ response, body });
      secondServed();
    });
    await page.locator('.rich-menu .area[aria-label="งวดถัดไป"]').click();
    await released;
    await page.waitForTimeout(200); // the held poll's answer is drawn (or not)
    expect(await answers.count()).toBe(before + 1);
    await page.unroute('**/simulator-api/messages?*');
  });

  it('lets a person send a sticker and a photo, and answers as fits them', async () => {
    const page = await openSimulatorAs('มาลี');
    await page.getByRole('button', { name: 'สติกเกอร์' }).click();
    await page.getByText('ขอบคุณสำหรับสติกเกอร์ค่ะ คุณมาลี ทองคำ').waitFor();
    await page.locator('#image-input').setInputFiles({ name: 'slip.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]) });
    // A borrower's photo may be a transfer slip: kept for her officer to check.
    await page.getByText('ได้รับรูปแล้วค่ะ คุณมาลี ทองคำ', { exact: false }).waitFor();
    await screenshot(page, '21-simulator-sticker-and-photo');
  });
});

describe('the simulator on a phone', () => {
  it('gives the chat the width of the screen, and says why a message did not go', async () => {
    const { page } = await session.openPhone();
    await page.goto(`${session.sim.url}/simulator/`);
    await page.locator('.persona', { hasText: 'มาลี' }).click();
    await page.locator('.rich-menu img').waitFor();
    // At 360 px the personas are a strip above the chat, not a column beside it; the text box has a row of its own.
    const chat = await page.locator('.chat').boundingBox();
    const input = await page.locator('#composer-input').boundingBox();
    expect(chat!.width).toBeGreaterThanOrEqual(350);
    expect(input!.width).toBeGreaterThan(250);
    await page.locator('#composer-input').fill('ต้องจ่ายวันไหน');
    await page.getByRole('button', { name: 'ส่ง', exact: true }).click();
    await page.getByText('งวดที่ต้องชำระของคุณมาลี ทองคำ').waitFor();
    await screenshot(page, '24-simulator-at-360');

    // LINE takes 5,000 characters in a message; a longer paste is refused where she can see it, not cut short.
    await page.locator('#composer-input').fill('ก'.repeat(5001));
    await page.getByRole('button', { name: 'ส่ง', exact: true }).click();
    await page.getByText('ข้อความยาว 5,001 ตัวอักษร LINE ส่งได้ครั้งละไม่เกิน 5,000 ตัวอักษร').waitFor();
    expect(await page.locator('.msg.user', { hasText: 'กกกกก' }).count()).toBe(0);
    expect(await page.locator('#composer-input').inputValue()).toHaveLength(5001); // kept, to shorten

    // The app unreachable: the message is marked as not sent.
    await page.route('**/simulator-api/events', (route) => route.abort());
    await page.locator('#composer-input').fill('ยอดหนี้');
    await page.getByRole('button', { name: 'ส่ง', exact: true }).click();
    await page.getByText(/ส่งไม่สำเร็จ .* ลองส่งใหม่อีกครั้ง/).waitFor();
  });
});

describe('an officer rejects deliberately', () => {
  it('picks a reason, sees it back, confirms, and is told when the borrower will hear — with a way to take it back', async () => {
    // A borrower of the district applies through the API, as the mini-app does.
    const somsri = session.sim.persona('สมศรี');
    const token = session.sim.context.fakeLine!.issueIdToken(somsri.lineUserId, 7200);
    const applied = await fetch(`${session.sim.url}/api/liff/enrollments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'e2e-reject-flow-1' },
      body: JSON.stringify({ contractNo: 'TRT-2566-0001', measureCode: 'term_extension', reason: 'ขายของไม่ได้ รายได้ลดลง', phone: '0812345678', consent: true }),
    });
    expect(applied.status).toBe(201);
    const { id } = (await applied.json()) as { id: number };

    const page = await openSimulatorAs('วิชัย');
    const reject = page.locator('.flex-button', { hasText: 'ไม่อนุมัติ' }).last();
    await reject.waitFor();
    await reject.click();
    await page.getByText(`ไม่อนุมัติคำขอ #${id} ของคุณสมศรี ใจดี`).waitFor();
    const choices = page.locator('#quick-replies button');
    expect(await choices.allTextContents()).toEqual(['เอกสารไม่ครบ', 'ข้อมูลไม่ตรงทะเบียน', 'ไม่เข้าเงื่อนไข', 'ติดต่อผู้กู้ไม่ได้', 'ผู้กู้ขอยกเลิก', 'พิมพ์เหตุผลเอง', 'ยกเลิก']);
    await page.locator('#quick-replies button', { hasText: 'เอกสารไม่ครบ' }).click();
    await page.getByText(`ยืนยันไม่อนุมัติคำขอ #${id} ด้วยเหตุผลนี้ไหมคะ?`).waitFor();
    expect(await choices.allTextContents()).toEqual(['ยืนยันไม่อนุมัติ', 'แก้เหตุผล', 'ยกเลิก']);
    await page.locator('.chat').screenshot({ path: 'test-artifacts/screenshots/22-officer-reject-confirm.png' });
    const [before] = await session.sim.context.db.selectFrom('enrollments').select('status').where('id', '=', id).execute();
    expect(before?.status).toBe('district_review');

    await page.locator('#quick-replies button', { hasText: 'ยืนยันไม่อนุมัติ' }).click();
    await page.getByText(`บันทึกการไม่อนุมัติคำขอ #${id} แล้วค่ะ`).waitFor();
    await page.getByText(/ระบบจะแจ้งผู้กู้/).last().waitFor();
    expect(await choices.allTextContents()).toEqual(['ยกเลิกการไม่อนุมัติ']);
    await page.locator('.chat').screenshot({ path: 'test-artifacts/screenshots/23-officer-rejected-undo-offered.png' });

    await page.locator('#quick-replies button', { hasText: 'ยกเลิกการไม่อนุมัติ' }).click();
    await page.getByText(`ยกเลิกการไม่อนุมัติคำขอ #${id} แล้วค่ะ`).waitFor();
    const [after] = await session.sim.context.db.selectFrom('enrollments').select('status').where('id', '=', id).execute();
    expect(after?.status).toBe('district_review');
  });
});
