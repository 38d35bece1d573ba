// The mini-app in a real browser, on @line/liff-mock as a demo user of the simulator: a new borrower links, looks,
// applies (with the server's preview), submits, reloads and sees the status; a wrong field is explained in Thai
// beside it; the district officer opens the application from the card. A screenshot of each page is kept.
import { describe, expect, it } from 'vitest';
import { draftStorageKey, leaveDraft } from './support/applications.ts';
import { loseFirstAnswer, screenshot } from './support/browser.ts';
import { simulatorSession } from './support/session.ts';

// A JPEG's first bytes are all the server looks at; the phone does not shrink files this small.
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

const session = simulatorSession();

function liffUrl(path: string, lineUserId: string): string {
  const url = new URL(`/liff/${path}`, session.sim.url);
  url.searchParams.set('simUser', lineUserId);
  return url.toString();
}

describe('a borrower in the mini-app (liff-mock)', () => {
  it('links, applies with a preview, submits, reloads and sees the status', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const newcomer = session.sim.persona('ผู้ใช้ใหม่');
    expect(newcomer.linkCode).toMatch(/^\d{4} \d{4}$/);

    // Link my account, with the officer's code, as in chat.
    await page.goto(liffUrl('', newcomer.lineUserId));
    await expect.poll(() => page.textContent('#page-title')).toBe('ผูกบัญชี');
    await page.getByLabel('รหัสผูกบัญชี 8 หลัก').fill(newcomer.linkCode!);
    await screenshot(page, '01-link');
    await page.getByRole('button', { name: 'ผูกบัญชี' }).click();

    // My loans: schedule, paid, overdue, status colour.
    await expect.poll(() => page.textContent('#page-title')).toBe('เงินกู้ของฉัน');
    await page.getByText('ผูกบัญชีเรียบร้อยแล้วค่ะ สวัสดีคุณเรไร บุญมา').waitFor();
    await page.getByText('สัญญา TRT-2567-0014').waitFor();
    expect(await page.locator('.chip').first().textContent()).toBe('มียอดค้างชำระ');
    await page.getByText(/ตารางผ่อน 24 งวด/).click();
    await page.locator('.installment.overdue').first().waitFor();
    await screenshot(page, '02-my-loans');

    // Relief measures: plain words, and whether this borrower can apply.
    await page.locator('#tabs').getByRole('link', { name: 'มาตรการ' }).click();
    await expect.poll(() => page.textContent('#page-title')).toBe('มาตรการช่วยเหลือ');
    const extension = page.locator('section.card', { has: page.getByRole('heading', { name: 'การขยายระยะเวลาชำระหนี้' }) });
    await extension.getByText('สัญญา TRT-2567-0014: สมัครได้').waitFor();
    const consolidation = page.locator('section.card', { has: page.getByRole('heading', { name: 'การรวมหนี้' }) });
    await consolidation.getByText(/ตั้งแต่ 2 สัญญาขึ้นไป/).waitFor();
    await screenshot(page, '03-measures');

    // Apply: the loan and the form, with the server's preview of the new schedule.
    await extension.getByRole('link', { name: 'สมัครมาตรการนี้' }).click();
    await expect.poll(() => page.textContent('#page-title')).toBe('สมัครมาตรการ');
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('ค่างวดปกติ');
    expect(await page.locator('.preview-slot').textContent()).toMatch(/ผ่อนทั้งหมด \d+ งวด งวดสุดท้ายวันที่/);
    await screenshot(page, '04-apply-choose-and-preview');
    await page.getByRole('button', { name: 'ถัดไป' }).click();

    await page.getByText('รายได้ลดลงหรือขาดรายได้').click();
    await page.getByLabel('เล่าให้เจ้าหน้าที่ฟังสั้น ๆ').fill('ร้านปิดไปสองเดือน รายได้ลดลงครึ่งหนึ่ง');
    // Typed as people type: Thai digits, the word for baht.
    await page.getByLabel('รายได้ของครัวเรือนต่อเดือน (บาท)').fill('๙,๐๐๐');
    await page.getByLabel('รายจ่ายของครัวเรือนต่อเดือน (บาท)').fill('7500 บาท');
    await page.getByLabel('ผ่อนได้เดือนละเท่าไร (บาท)').fill('600');
    await page.getByLabel('เบอร์โทรศัพท์ที่ติดต่อได้').fill('081-234-5678');
    await screenshot(page, '05-apply-about');

    // The draft lives on the phone: closing the window (here: a reload) loses nothing.
    await page.reload();
    await page.getByLabel('เล่าให้เจ้าหน้าที่ฟังสั้น ๆ').waitFor();
    expect(await page.getByLabel('เล่าให้เจ้าหน้าที่ฟังสั้น ๆ').inputValue()).toBe('ร้านปิดไปสองเดือน รายได้ลดลงครึ่งหนึ่ง');
    expect(await page.getByLabel('เบอร์โทรศัพท์ที่ติดต่อได้').inputValue()).toBe('081-234-5678');
    await page.getByRole('button', { name: 'ถัดไป' }).click();

    await page.locator('input[type=file]').setInputFiles({ name: 'บัตรประชาชน.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    await page.getByText('แนบ บัตรประชาชน.jpg แล้วค่ะ').waitFor();
    await screenshot(page, '06-apply-documents');
    await page.getByRole('button', { name: 'ถัดไป' }).click();

    await page.getByText('ประกาศการใช้ข้อมูลส่วนตัว').waitFor();
    await page.getByLabel('ข้าพเจ้าได้อ่านแล้ว และยินยอมให้ใช้ข้อมูลตามประกาศนี้').check();
    await screenshot(page, '07-apply-consent');
    await page.getByRole('button', { name: 'ถัดไป' }).click();

    await page.getByText('ตรวจทานก่อนส่ง').waitFor();
    await page.getByTestId('preview').waitFor();
    // Amounts shown the one way amounts are shown everywhere.
    await page.getByText('฿9,000.00').waitFor();
    await page.getByText('฿7,500.00').waitFor();
    await screenshot(page, '08-apply-review');
    // A double tap sends one application.
    await page.getByTestId('submit').dblclick();

    // My applications: status and history, still there after a reload.
    await expect.poll(() => page.textContent('#page-title')).toBe('คำขอของฉัน');
    await page.getByText(/ส่งคำขอเรียบร้อยแล้วค่ะ คำขอเลขที่ \d+/).waitFor();
    await page.locator('[data-status="district_review"]').waitFor();
    await screenshot(page, '09-my-applications');
    await page.reload();
    await page.locator('[data-status="district_review"]').waitFor();
    expect(await page.locator('[data-status="district_review"]').first().textContent()).toBe('รอสำนักงานพัฒนาชุมชนอำเภอตรวจสอบ');
    expect(await page.getByText(/สำนักงานพัฒนาชุมชนอำเภอ พิจารณาภายใน 8 ธ.ค. 2569/).count()).toBe(1);

    const rows = await session.sim.context.db.selectFrom('enrollments').selectAll().where('submitted_by_line_user_id', '=', newcomer.lineUserId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ measure_code: 'term_extension', phone: '0812345678', monthly_income_satang: 900_000, status: 'district_review' });

    // The district officer of her district got the card with the buttons other tools rely on.
    const officer = session.sim.persona('วิชัย');
    const lastMessage = () => JSON.stringify(session.sim.context.fakeLine!.messagesTo(officer.lineUserId).at(-1)?.message ?? null);
    await expect.poll(lastMessage).toContain('"label":"ส่งต่อจังหวัด"');
    for (const label of ['ส่งต่อจังหวัด', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']) expect(lastMessage()).toContain(`"label":"${label}"`);
  });

  it('shows her everything the fund keeps about her, and lets her unlink after asking once more', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const aroonee = session.sim.persona('อรุณี');
    await page.goto(liffUrl('loans', aroonee.lineUserId));
    await page.getByRole('link', { name: /ข้อมูลของฉันที่กองทุนเก็บไว้/ }).click();
    await expect.poll(() => page.textContent('#page-title')).toBe('ข้อมูลของฉัน');
    await page.getByRole('heading', { name: 'ข้อมูลส่วนตัว' }).waitFor();
    const nationalId = page.locator('[data-national-id]');
    // The same mask as every other screen (it showed digits 2–5 while the others show 11–13).
    expect(await nationalId.textContent()).toMatch(/^\d-xxxx-xxxxx-\d\d-\d$/);
    await page.getByRole('button', { name: 'แสดงเลขเต็ม' }).click();
    expect(await nationalId.textContent()).toMatch(/^\d-\d{4}-\d{5}-\d{2}-\d$/);
    await page.getByRole('heading', { name: 'สัญญา TRT-2566-0012' }).waitFor();
    await page.getByText(/บันทึกการเข้าถึง \(\d+ รายการ\)/).click();
    await page.locator('details li', { hasText: 'ผูกบัญชี LINE' }).first().waitFor();
    await screenshot(page, '20-my-data');

    // Unlink: asked once more, "ไม่ยกเลิก" backs out, then she confirms.
    await page.getByRole('button', { name: 'ยกเลิกการผูกบัญชี LINE' }).click();
    await page.getByRole('button', { name: 'ไม่ยกเลิก' }).click();
    await page.getByRole('button', { name: 'ยกเลิกการผูกบัญชี LINE' }).click();
    await screenshot(page, '21-unlink-confirm');
    await page.getByRole('button', { name: 'ยืนยัน ยกเลิกการผูกบัญชี' }).click();
    await expect.poll(() => page.textContent('#page-title')).toBe('ยกเลิกการผูกบัญชีแล้ว');
    expect(await page.locator('#tabs').isHidden()).toBe(true);
    await screenshot(page, '22-unlinked');
    // Her next visit is a stranger's: the link page.
    await page.goto(liffUrl('loans', aroonee.lineUserId));
    await expect.poll(() => page.textContent('#page-title')).toBe('ผูกบัญชี');
  });

  it('sends a borrower who opens an officer’s link to her own pages, not to "try again"', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const mali = session.sim.persona('มาลี');
    await page.goto(liffUrl('officer/work', mali.lineUserId));
    await expect.poll(() => page.textContent('#page-title')).toBe('ขออภัยค่ะ');
    expect(await page.getByRole('button', { name: 'ลองใหม่' }).count()).toBe(0);
    await page.getByRole('button', { name: 'ไปหน้าของฉัน' }).click();
    await expect.poll(() => page.textContent('#page-title')).toBe('เงินกู้ของฉัน');
  });

  it('shows a validation error in Thai beside its field', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const mali = session.sim.persona('มาลี');
    await page.goto(liffUrl('apply?measure=term_extension&contract=TRT-2566-0002', mali.lineUserId));
    await page.getByTestId('preview').waitFor();
    await page.getByRole('button', { name: 'ถัดไป' }).click();
    await page.getByLabel('เบอร์โทรศัพท์ที่ติดต่อได้').fill('12345');
    await page.getByLabel('รายได้ของครัวเรือนต่อเดือน (บาท)').fill('-100');
    await page.getByRole('button', { name: 'ถัดไป' }).click();

    const phoneField = page.locator('[data-field="phone"]');
    await expect.poll(() => phoneField.locator('.field-error').textContent()).toBe('เบอร์โทรศัพท์ไม่ถูกต้อง กรุณากรอกตัวเลข 9–10 หลัก เช่น 0812345678');
    expect(await page.locator('[data-field="reason"] .field-error').textContent()).toBe('กรุณาเล่าเหตุผลสั้น ๆ ที่ขอเข้าร่วมมาตรการ');
    expect(await page.locator('[data-field="monthlyIncome"] .field-error').textContent()).toBe('รายได้ครัวเรือนต่อเดือนต้องไม่ติดลบ');
    expect(await phoneField.getAttribute('class')).toContain('invalid');
    // Still on the same step: nothing was sent.
    expect(await page.textContent('.step-count')).toContain('ขั้นที่ 2 จาก 5');
    await screenshot(page, '10-validation-error');
  });

  it('opens the application for the district officer from the card, with its documents', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    // Opened without a demo user, simulator mode offers the list to choose from.
    await page.goto(`${session.sim.url}/liff/`);
    await page.getByText('โหมดจำลอง: เลือกผู้ใช้ที่จะเปิดแอปแทน').waitFor();
    await screenshot(page, '00-simulator-pick-user');

    const [application] = await session.sim.context.db.selectFrom('enrollments').select('id').orderBy('id').execute();
    const officer = session.sim.persona('วิชัย');
    await page.goto(liffUrl(`review/${application!.id}`, officer.lineUserId));
    await page.getByText('คุณเรไร บุญมา').waitFor();
    await page.getByText('ร้านปิดไปสองเดือน รายได้ลดลงครึ่งหนึ่ง').waitFor();
    await page.locator('.document img').waitFor();
    await screenshot(page, '11-officer-review');
    const views = await session.sim.context.db.selectFrom('audit_log').select(['actor', 'action']).where('subject', '=', `enrollment:${application!.id}`).where('action', '=', 'enrollment.view').execute();
    expect(views).toHaveLength(1);
  });

  it('lets the district officer forward it from the card in the simulator chat; the borrower sees the new status', async () => {
    const phone = await session.openPhone({ viewport: { width: 1100, height: 900 }, mobile: false });
    const { page } = phone;
    await page.goto(`${session.sim.url}/simulator/`);
    await page.locator('.persona', { hasText: 'วิชัย ทองดี' }).click();
    const forward = page.locator('.flex-button', { hasText: 'ส่งต่อจังหวัด' }).last();
    await forward.waitFor();
    await forward.click();
    await page.getByText(/ส่งต่อคำขอ #\d+ ไปยังสำนักงานพัฒนาชุมชนจังหวัดแล้วค่ะ/).waitFor();
    await screenshot(page, '12-simulator-officer-card');
    const newcomer = session.sim.persona('ผู้ใช้ใหม่');
    const [row] = await session.sim.context.db.selectFrom('enrollments').select('status').where('submitted_by_line_user_id', '=', newcomer.lineUserId).execute();
    expect(row?.status).toBe('province_review');

    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(liffUrl('applications', newcomer.lineUserId));
    await page.locator('[data-status="province_review"]').waitFor();
    expect(await page.locator('.timeline li').count()).toBe(2);
    await screenshot(page, '13-status-after-forward');
  });

  it('keeps the draft through a dropped connection, and a second tap makes no second application', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const somsri = session.sim.persona('สมศรี');
    await page.goto(liffUrl('loans', somsri.lineUserId));
    await page.getByText('สัญญา TRT-2566-0001').waitFor();
    // A draft finished earlier on this phone, waiting at the last step.
    await leaveDraft(page, somsri.lineUserId, { step: 4, contractNo: 'TRT-2566-0001', measureCode: 'rate_reduction', reasonCode: 'illness', reason: 'ป่วยเรื้อรัง ต้องไปโรงพยาบาลทุกเดือน', phone: '0898765432', consent: true, documents: [], idempotencyKey: 'e2e-lost-answer-0001' });
    await page.goto(liffUrl('apply', somsri.lineUserId));
    await page.getByText('ตรวจทานก่อนส่ง').waitFor();

    // The request reaches the server, but the answer is lost on the way back.
    await loseFirstAnswer(page, '**/api/liff/enrollments');
    await page.getByTestId('submit').click();
    const dropNotice = page.getByText('เชื่อมต่อระบบไม่ได้ค่ะ', { exact: false });
    await dropNotice.waitFor();
    expect(await dropNotice.textContent()).toContain('ข้อมูลที่กรอกยังอยู่ในเครื่อง');
    // The message is on the screen, not below the long review (found in a trial on a bad connection).
    expect(await dropNotice.isVisible()).toBe(true);
    const box = (await dropNotice.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    expect(box.y).toBeGreaterThanOrEqual(0);
    await screenshot(page, '14-connection-dropped');
    expect(await page.evaluate((key) => localStorage.getItem(key), draftStorageKey(somsri.lineUserId))).toContain('e2e-lost-answer-0001');

    // She closes the mini-app and opens it again later: what the phone knows now says she applied already (the
    // application did arrive), yet the form must send the same key again and show that it went, not refuse it.
    await page.goto(liffUrl('loans', somsri.lineUserId));
    await page.getByText('สัญญา TRT-2566-0001').waitFor();
    await page.goto(liffUrl('apply', somsri.lineUserId));
    await page.getByText('คำขอนี้กดส่งไปแล้วแต่ยังไม่ได้รับคำตอบค่ะ', { exact: false }).waitFor();
    await page.getByTestId('submit').click();
    await page.locator('[data-status="district_review"]').waitFor();
    const rows = await session.sim.context.db.selectFrom('enrollments').select(['id', 'idempotency_key']).where('submitted_by_line_user_id', '=', somsri.lineUserId).execute();
    expect(rows).toEqual([{ id: expect.any(Number), idempotency_key: 'e2e-lost-answer-0001' }]);
    expect(await page.evaluate((key) => localStorage.getItem(key), draftStorageKey(somsri.lineUserId))).toBeNull();
  });

  it('says at the review when the new installment is more than she said she can pay', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const somsri = session.sim.persona('สมศรี');
    await page.goto(liffUrl('loans', somsri.lineUserId));
    await page.getByText('สัญญา TRT-2566-0001').waitFor();
    const draft = { step: 4, contractNo: 'TRT-2566-0001', measureCode: 'term_extension', reasonCode: 'illness', reason: 'ป่วย', phone: '0898765432', consent: true, documents: [], idempotencyKey: 'e2e-affordable-0001' };
    for (const [affordable, warned] of [['๑๐๐', true], ['50,000', false]] as const) {
      await leaveDraft(page, somsri.lineUserId, { ...draft, affordableMonthlyPayment: affordable });
      await page.goto(liffUrl('apply', somsri.lineUserId));
      await page.getByTestId('preview').waitFor();
      expect(await page.getByText('มากกว่าที่ท่านผ่อนได้ (฿100.00 ต่อเดือน)').count()).toBe(warned ? 1 : 0);
      if (warned) await screenshot(page, '15-review-installment-above-affordable');
    }
  });
});
