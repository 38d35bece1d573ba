// What a user trial at phone size (360×740) found, each as a person meets it: a refused document resubmission said
// on screen, mentors offered only from the debtor's tambon (and a refusal said, the choice put back), tabs that open a
// page at its top, "คำขอของฉัน" in the order of what needs her, Thai file pickers, the phone's back button going one
// step back in the application form, and the officer's menu under an application opened from its card.
// Screenshots: test-artifacts/screenshots/trial-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { applyAs, askForDocuments, leaveDraft, linkOfficer } from './support/applications.ts';
import { liffUrlAs, pageScreenshot, pageTitle, SLOW } from './support/officer-pages.ts';
import { simulatorSession } from './support/session.ts';

const session = simulatorSession();
const liffUrl = (path: string, lineUserId: string) => liffUrlAs(session.sim.url, path, lineUserId);
const screenshot = (page: Page, name: string) => pageScreenshot(page, name);
/** An application's card on คำขอของฉัน, by its number as she reads it. */
const applicationCard = (page: Page, id: number) => page.locator('section.card', { has: page.getByRole('heading', { name: `คำขอเลขที่ ${id}`, exact: true }) });
const applicationOrder = async (page: Page) => (await page.locator('section.card h2').allTextContents()).map((text) => Number(text.replace('คำขอเลขที่ ', '')));

const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

// สุดา has two loans: one application waiting for her documents, a newer one she withdraws. Made in the first test.
const suda = { asked: 0, officer: '' };

describe('a borrower with an application the officer sent back for documents', () => {
  it('lists what needs her first, and the banner of a sent application goes when she withdraws it', async () => {
    const borrower = session.sim.persona('สุดา');
    // The demo has no district office for แหลมงอบ: one is linked, to decide from its cards.
    suda.officer = await linkOfficer(session.sim, { name: 'ประภา ศรีแหลม', role: 'district', area: 'ตราด/แหลมงอบ' });
    suda.asked = await applyAs(session.sim, borrower.lineUserId, { contractNo: 'TRT-2566-0006', measureCode: 'term_extension' }, 'trial-asked-0001');
    await askForDocuments(session.sim, suda.officer, suda.asked);

    // A second application, sent from the phone (a draft finished earlier, at its last step).
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl('loans', borrower.lineUserId));
    await page.getByText('สัญญา TRT-2566-0007').waitFor(SLOW);
    await leaveDraft(page, borrower.lineUserId, { step: 4, contractNo: 'TRT-2566-0007', measureCode: 'rate_reduction', reasonCode: 'illness', reason: 'ป่วยเรื้อรัง ต้องไปโรงพยาบาลทุกเดือน', phone: '0898765432', consent: true, documents: [], idempotencyKey: 'trial-withdrawn-0001' });
    await page.goto(liffUrl('apply', borrower.lineUserId));
    await page.getByTestId('submit').click(SLOW);
    await expect.poll(() => pageTitle(phone), SLOW).toBe('คำขอของฉัน');
    const banner = page.getByText(/ส่งคำขอเรียบร้อยแล้วค่ะ คำขอเลขที่ \d+/);
    await banner.waitFor();
    const sent = Number(/คำขอเลขที่ (\d+)/.exec((await banner.textContent())!)![1]);

    page.on('dialog', (dialog) => void dialog.accept());
    await applicationCard(page, sent).getByRole('button', { name: 'ยกเลิกคำขอนี้' }).click();
    await applicationCard(page, sent).locator('[data-status="withdrawn"]').waitFor(SLOW);
    expect(await page.getByText(/ส่งคำขอเรียบร้อยแล้วค่ะ/).count()).toBe(0);
    await page.getByText(`ยกเลิกคำขอเลขที่ ${sent} แล้วค่ะ`).waitFor();

    // What she must do first, the finished one last, closed (its history folded).
    expect(await applicationOrder(page)).toEqual([suda.asked, sent]);
    expect(await applicationCard(page, sent).locator('[data-status]').getAttribute('data-status')).toBe('withdrawn');
    expect(await applicationCard(page, sent).locator('details.history').evaluate((details) => (details as HTMLDetailsElement).open)).toBe(false);
    // The card that needs her starts on the first screen, once she is back at the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await applicationCard(page, suda.asked).boundingBox();
    expect(box!.y).toBeLessThan(740);
    await page.screenshot({ path: 'test-artifacts/screenshots/trial-04-my-applications-first-screen.png' });
    await screenshot(page, 'trial-04-my-applications');

    // Reloaded, the banner is gone and the order stays.
    await page.reload();
    await applicationCard(page, sent).waitFor(SLOW);
    expect(await page.locator('.notice.success').count()).toBe(0);
    expect(await applicationOrder(page)).toEqual([suda.asked, sent]);
  });

  it('shows why sending with no file was refused, then sends with a file chosen through a Thai picker', async () => {
    const borrower = session.sim.persona('สุดา');
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl('applications', borrower.lineUserId));
    const asked = applicationCard(page, suda.asked);
    await asked.getByRole('button', { name: 'ส่งเอกสารให้เจ้าหน้าที่' }).click(SLOW);
    await asked.getByText('กรุณาแนบเอกสารที่เจ้าหน้าที่ขออย่างน้อย 1 ไฟล์').waitFor(SLOW);
    // Still there after a moment: nothing redraws the page over it.
    await page.waitForTimeout(500);
    expect(await asked.getByText('กรุณาแนบเอกสารที่เจ้าหน้าที่ขออย่างน้อย 1 ไฟล์').isVisible()).toBe(true);
    await asked.scrollIntoViewIfNeeded();
    await screenshot(page, 'trial-01-resubmit-refused');

    // The picker: a Thai button as big as a thumb, the native control out of sight but named and focusable.
    const pick = asked.locator('label.file-button');
    expect(await pick.textContent()).toBe('เลือกรูปหรือไฟล์');
    expect((await pick.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    const input = asked.getByLabel('เลือกรูปหรือไฟล์');
    expect(await input.getAttribute('type')).toBe('file');
    expect((await input.boundingBox())!.width).toBeLessThanOrEqual(1);
    await input.focus();
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await asked.locator('.file-status').textContent()).toBe('ยังไม่ได้แนบไฟล์');

    // Chosen by tapping the button, as a person would.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), pick.click()]);
    await chooser.setFiles({ name: 'บัตรประชาชน.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    await expect.poll(() => asked.locator('.file-status').textContent(), SLOW).toBe('แนบแล้ว 1 ไฟล์: บัตรประชาชน.jpg');
    expect(await asked.getByText('กรุณาแนบเอกสารที่เจ้าหน้าที่ขออย่างน้อย 1 ไฟล์').count()).toBe(0);
    await screenshot(page, 'trial-05-file-picker-attached');
    await asked.getByRole('button', { name: 'ส่งเอกสารให้เจ้าหน้าที่' }).click();
    await page.getByText(`ส่งเอกสารเพิ่มเติมของคำขอเลขที่ ${suda.asked} แล้วค่ะ`).waitFor(SLOW);
    expect(await applicationCard(page, suda.asked).locator('[data-status]').getAttribute('data-status')).toBe('district_review');
    // The request she has answered is no longer shown as something for her to do.
    expect(await applicationCard(page, suda.asked).getByText('หมายเหตุจากเจ้าหน้าที่').count()).toBe(0);
  });

  it('opens the page of a tab at its top, wherever the last page was scrolled', async () => {
    const borrower = session.sim.persona('สุดา');
    const phone = await session.openPhone();
    const { page } = phone;
    const tab = (name: string) => page.locator('#tabs').getByRole('link', { name });
    await page.goto(liffUrl('applications', borrower.lineUserId));
    await page.locator('section.card h2').first().waitFor(SLOW);
    // She has looked at the measures before: the page is on the phone already, and opens without waiting.
    await tab('มาตรการ').click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาตรการช่วยเหลือ');
    await tab('คำขอของฉัน').click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('คำขอของฉัน');
    await page.locator('section.card h2').first().waitFor(SLOW);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await tab('มาตรการ').click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาตรการช่วยเหลือ');
    await page.locator('section.card').first().waitFor();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    // And back to the loans from the bottom of the measures.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await tab('เงินกู้ของฉัน').click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('เงินกู้ของฉัน');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.screenshot({ path: 'test-artifacts/screenshots/trial-03-measures-from-tab.png' });
  });
});

describe('the application form and the phone’s back button', () => {
  it('goes one step back, keeping what she typed', async () => {
    const somsri = session.sim.persona('สมศรี');
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl('measures', somsri.lineUserId));
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาตรการช่วยเหลือ');
    await page.goto(liffUrl('apply?measure=rate_reduction&contract=TRT-2566-0001', somsri.lineUserId));
    await page.getByTestId('preview').waitFor(SLOW);
    await page.getByRole('button', { name: 'ถัดไป' }).click();
    await page.getByText('รายได้ลดลงหรือขาดรายได้').click();
    await page.getByLabel('เล่าให้เจ้าหน้าที่ฟังสั้น ๆ').fill('ขายของไม่ได้ช่วงน้ำท่วม');
    await page.getByLabel('เบอร์โทรศัพท์ที่ติดต่อได้').fill('0812345678');
    await page.getByRole('button', { name: 'ถัดไป' }).click();
    await expect.poll(() => page.textContent('.step-count')).toContain('ขั้นที่ 3 จาก 5');
    await page.locator('input[type=file]').setInputFiles({ name: 'ทะเบียนบ้าน.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    await page.getByText('ทะเบียนบ้าน.jpg (').waitFor(SLOW);

    await page.goBack();
    await expect.poll(() => page.textContent('.step-count'), SLOW).toContain('ขั้นที่ 2 จาก 5');
    expect(new URL(page.url()).pathname).toBe('/liff/apply');
    expect(await page.getByLabel('เล่าให้เจ้าหน้าที่ฟังสั้น ๆ').inputValue()).toBe('ขายของไม่ได้ช่วงน้ำท่วม');
    await screenshot(page, 'trial-06-apply-back-to-step-2');
    await page.goBack();
    await expect.poll(() => page.textContent('.step-count'), SLOW).toContain('ขั้นที่ 1 จาก 5');
    // Forward again, and the document is still attached.
    await page.goForward();
    await page.goForward();
    await expect.poll(() => page.textContent('.step-count'), SLOW).toContain('ขั้นที่ 3 จาก 5');
    await page.getByText('ทะเบียนบ้าน.jpg (').waitFor();
    // "ย้อนกลับ" on screen is the same step back; back from the first step leaves the form.
    await page.getByRole('button', { name: 'ย้อนกลับ' }).click();
    await expect.poll(() => page.textContent('.step-count'), SLOW).toContain('ขั้นที่ 2 จาก 5');
    await page.getByRole('button', { name: 'ย้อนกลับ' }).click();
    await expect.poll(() => page.textContent('.step-count'), SLOW).toContain('ขั้นที่ 1 จาก 5');
    await page.goBack();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาตรการช่วยเหลือ');
  });

  it('attaches documents with a Thai picker that says what is attached', async () => {
    const somsri = session.sim.persona('สมศรี');
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl('loans', somsri.lineUserId));
    await page.getByText('สัญญา TRT-2566-0001').waitFor(SLOW);
    // A draft she left at the documents step.
    await leaveDraft(page, somsri.lineUserId, { step: 2, contractNo: 'TRT-2566-0001', measureCode: 'rate_reduction', reasonCode: 'illness', reason: 'ป่วยเรื้อรัง', phone: '0898765432', consent: false, documents: [], idempotencyKey: 'trial-picker-0001' });
    await page.goto(liffUrl('apply', somsri.lineUserId));
    await expect.poll(() => page.textContent('.step-count'), SLOW).toContain('ขั้นที่ 3 จาก 5');
    // A Thai button big enough for a thumb; the browser's own control out of sight, still named and focusable.
    const pick = page.locator('label.file-button');
    expect(await pick.textContent()).toBe('เลือกรูปหรือไฟล์');
    expect((await pick.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    const input = page.getByLabel('เลือกรูปหรือไฟล์');
    expect(await input.getAttribute('type')).toBe('file');
    expect((await input.boundingBox())!.width).toBeLessThanOrEqual(1);
    await input.focus();
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.locator('.file-status').textContent()).toBe('ยังไม่ได้แนบไฟล์');
    await page.locator('input[type=file]').setInputFiles({ name: 'ทะเบียนบ้าน.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    await expect.poll(() => page.locator('.file-status').textContent(), SLOW).toBe('แนบแล้ว 1 จาก 3 ไฟล์');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), pick.click()]);
    await chooser.setFiles({ name: 'สลิปเงินเดือน.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
    await expect.poll(() => page.locator('.file-status').textContent(), SLOW).toBe('แนบแล้ว 2 จาก 3 ไฟล์');
    await page.locator('input[type=file]').setInputFiles({ name: 'บัตรประชาชน.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    await expect.poll(() => page.locator('.file-status').textContent(), SLOW).toBe('แนบครบ 3 ไฟล์แล้วค่ะ ถ้าจะแนบไฟล์อื่น กด "ลบ" ไฟล์ที่ไม่ใช้ก่อน');
    expect(await page.locator('input[type=file]').isDisabled()).toBe(true);
    // Each name once: in the list, beside its own "ลบ".
    expect(await page.locator('ul.documents li span').allTextContents()).toEqual([
      expect.stringMatching(/^ทะเบียนบ้าน\.jpg \(/),
      expect.stringMatching(/^สลิปเงินเดือน\.pdf \(/),
      expect.stringMatching(/^บัตรประชาชน\.jpg \(/),
    ]);
    expect(await page.getByText('ทะเบียนบ้าน.jpg', { exact: false }).count()).toBe(1);
    await screenshot(page, 'trial-05-apply-documents');
  });
});

describe('a district officer', () => {
  it('is offered only the mentors of the debtor’s tambon, and told when there are none', async () => {
    const officer = session.sim.persona('วิชัย');
    const phone = await session.openPhone();
    const { page } = phone;
    const boonmee = await session.sim.context.db.selectFrom('borrowers').select('id').where('full_name', '=', 'บุญมี ศรีสุข').executeTakeFirstOrThrow();
    await page.goto(liffUrl(`officer/debtors/${boonmee.id}`, officer.lineUserId));
    await expect.poll(() => pageTitle(phone), SLOW).toBe('บุญมี ศรีสุข');
    await page.getByText('ต.วังกระแจะ', { exact: false }).first().waitFor();
    expect(await page.getByText('บุญเรือน').count()).toBe(0);
    expect(await page.locator('select[name=mentor]').count()).toBe(0);
    await page.getByTestId('no-mentors').waitFor();
    expect(await page.getByTestId('no-mentors').textContent()).toBe('ตำบลนี้ยังไม่มีทีมพี่เลี้ยงในระบบค่ะ จึงยังมอบหมายพี่เลี้ยงไม่ได้');
    await screenshot(page, 'trial-02-mentor-none-in-tambon');
  });

  it('sees a refused mentor assignment said, and the choice back to who is really assigned', async () => {
    const officer = session.sim.persona('วิชัย');
    const phone = await session.openPhone();
    const { page } = phone;
    const { db } = session.sim.context;
    const somsri = await db.selectFrom('borrowers').select('id').where('full_name', '=', 'สมศรี ใจดี').executeTakeFirstOrThrow();
    await page.goto(liffUrl(`officer/debtors/${somsri.id}`, officer.lineUserId));
    await expect.poll(() => pageTitle(phone), SLOW).toBe('สมศรี ใจดี');
    const select = page.locator('select[name=mentor]');
    await select.waitFor();

    // While the page is open, the mentor moves to another tambon: the server refuses her for สมศรี.
    const mentor = await db.selectFrom('officers').select(['id', 'area_id']).where('full_name', '=', 'บุญเรือน ใจดี').executeTakeFirstOrThrow();
    const elsewhere = await db.selectFrom('areas').select('id').where('path', '=', 'ตราด/เมืองตราด/วังกระแจะ').executeTakeFirstOrThrow();
    await db.updateTable('officers').set({ area_id: elsewhere.id }).where('id', '=', mentor.id).execute();
    try {
      await select.selectOption(String(mentor.id));
      await page.getByText('พี่เลี้ยงต้องอยู่ตำบลเดียวกับลูกหนี้ค่ะ').waitFor(SLOW);
      expect(await select.inputValue()).toBe('');
      expect(await select.locator('option:checked').textContent()).toBe('ยังไม่มีพี่เลี้ยง');
      await screenshot(page, 'trial-02-mentor-refused');
    } finally {
      await db.updateTable('officers').set({ area_id: mentor.area_id }).where('id', '=', mentor.id).execute();
    }

    // Named by the label beside it; the mentors of สมศรี's tambon only, by name.
    expect(await page.getByLabel('ทีมพี่เลี้ยง').locator('option').allTextContents()).toEqual(['ยังไม่มีพี่เลี้ยง', 'บุญเรือน ใจดี']);
    // Back where she belongs, she is assigned, and the page says so.
    await select.selectOption({ label: 'บุญเรือน ใจดี' });
    await page.getByText('มอบหมายพี่เลี้ยงแล้วค่ะ').waitFor(SLOW);
    expect(await page.getByLabel('ทีมพี่เลี้ยง').inputValue()).toBe(String(mentor.id));
  });

  it('has the officers’ menu under an application opened from its card', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl(`review/${suda.asked}`, suda.officer));
    await page.getByText('คุณสุดา พรหมมา').waitFor(SLOW);
    const tabs = page.locator('#tabs');
    expect(await tabs.isVisible()).toBe(true);
    expect(await tabs.locator('a[aria-current=page]').textContent()).toBe('คำขอ');
    await screenshot(page, 'trial-07-review-with-menu');
    await tabs.getByRole('link', { name: 'คำขอ' }).click();
    await expect.poll(() => pageTitle(phone), SLOW).not.toBe(`คำขอ #${suda.asked}`);
    expect(new URL(page.url()).pathname).toBe('/liff/officer/applications');
  });
});

describe('a phone that cannot fetch the app', () => {
  it('says so with a reload button instead of "กำลังโหลด" for ever, at start and for a page loaded later', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const officer = session.sim.persona('วิชัย');
    // The app's own script never arrives (no signal, or a new version replaced it).
    await page.route('**/liff/assets/index-*.js', (route) => route.abort());
    await page.goto(liffUrl('officer/work', officer.lineUserId));
    await page.getByText('โหลดแอปไม่สำเร็จค่ะ', { exact: false }).waitFor({ timeout: SLOW.timeout });
    await page.getByRole('button', { name: 'โหลดใหม่' }).waitFor();
    await page.unroute('**/liff/assets/index-*.js');
    // The officers' pages are fetched when first opened: gone meanwhile, she is asked to reload, not to retry forever.
    await page.route('**/liff/assets/pages-*.js', (route) => route.abort());
    await page.getByRole('button', { name: 'โหลดใหม่' }).click();
    await page.getByText('โหลดหน้านี้ไม่สำเร็จค่ะ', { exact: false }).waitFor({ timeout: SLOW.timeout });
    await page.unroute('**/liff/assets/pages-*.js');
    await page.getByRole('button', { name: 'โหลดใหม่' }).click();
    await expect.poll(() => page.textContent('#page-title'), SLOW).toBe('งานของฉัน');
    // A failed fetch is logged by the page; it is what this test is about.
    phone.errors.length = 0;
  });
});

describe('a tambon officer interrupted while recording a visit', () => {
  it('finds what she typed after the back button, and after saving goes back once to the list', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const officer = session.sim.persona('กาญจนา');
    await page.goto(liffUrl('officer/debtors', officer.lineUserId));
    await expect.poll(() => pageTitle(phone), SLOW).toBe('ลูกหนี้');
    await page.getByTestId('debtor-list').getByText('มาลี ทองคำ').click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาลี ทองคำ');
    await page.getByRole('link', { name: 'บันทึกการติดตาม' }).click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('บันทึกการติดตาม');
    await page.getByRole('radio', { name: 'นัดชำระ' }).check();
    await page.getByLabel('บันทึก', { exact: true }).fill('พบตัว จะนำเงินมาจ่ายหลังขายผัก');
    await page.getByLabel('ยอดที่นัดชำระ (บาท)').fill('800');
    // A call comes in; she presses back, then opens the form again.
    await page.goBack();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาลี ทองคำ');
    await page.getByRole('link', { name: 'บันทึกการติดตาม' }).click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('บันทึกการติดตาม');
    expect(await page.getByLabel('บันทึก', { exact: true }).inputValue()).toBe('พบตัว จะนำเงินมาจ่ายหลังขายผัก');
    expect(await page.getByLabel('ยอดที่นัดชำระ (บาท)').inputValue()).toBe('800');
    expect(await page.getByRole('radio', { name: 'นัดชำระ' }).isChecked()).toBe(true);
    await page.getByText('ข้อมูลที่กรอกค้างไว้ยังอยู่ค่ะ', { exact: false }).waitFor();
    await page.getByTestId('save-follow-up').click();
    await page.getByText('บันทึกการติดตามแล้วค่ะ').waitFor(SLOW);
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาลี ทองคำ');
    // One back from the debtor page is the list, not the same debtor page again.
    await page.goBack();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('ลูกหนี้');
    // Saved: the form opens empty next time.
    await page.goForward();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('มาลี ทองคำ');
    await page.getByRole('link', { name: 'บันทึกการติดตาม' }).click();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('บันทึกการติดตาม');
    expect(await page.getByLabel('บันทึก', { exact: true }).inputValue()).toBe('');
  });
});
