// The reports at phone size (360×740), as the simulator's province officer on the 1st of December — the day the
// quarterly draft arrives: she opens the draft's link (ageing and PAR as of 30 November), narrows to a district, looks
// at collections, 5 ต. activity, measures and the red debtors, downloads the XLSX (read back here), and allocates a
// subsidy budget across the districts, saves it and downloads that too. Screenshots: test-artifacts/screenshots/reports-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { downloadedWorkbook, liffUrlAs, pageScreenshot, pageTitle, SLOW } from './support/officer-pages.ts';
import { simulatorSession } from './support/session.ts';

const session = simulatorSession('2026-12-01T02:00:00Z');

const screenshot = (page: Page, name: string) => pageScreenshot(page, name);

const liffUrl = (path: string, lineUserId: string) => liffUrlAs(session.sim.url, path, lineUserId);

const title = pageTitle;

const downloaded = downloadedWorkbook;

describe('a province officer at quarter’s end', () => {
  it('opens the draft’s report, narrows to a district, reads every report and downloads an XLSX that opens', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const officer = session.sim.persona('พรทิพย์');
    // The quarterly draft's button opens this page (line/flex/quarterly-draft.flex.ts).
    await page.goto(liffUrl('officer/reports/ageing?asOf=2026-11-30', officer.lineUserId));
    await expect.poll(() => title(phone), SLOW).toBe('อายุหนี้และหนี้เสี่ยง (PAR)');
    await page.getByTestId('overdue-rate').waitFor();
    expect(await page.locator('.intro').textContent()).toContain('จังหวัดตราด · ข้อมูล ณ 30 พ.ย. 2569');
    expect(await page.locator('.tiles').textContent()).toContain('PAR30');
    expect(await page.locator('#tabs a.active').textContent()).toBe('พื้นที่');
    await screenshot(page, 'reports-01-ageing-province');

    // A district row narrows the report to it.
    const districtRow = page.locator('a.area-row').first();
    const districtName = (await districtRow.locator('.area-name').evaluate((node) => node.firstChild?.textContent ?? '')).trim();
    await districtRow.click();
    await expect.poll(() => page.locator('.intro').textContent(), SLOW).toContain(districtName);
    await screenshot(page, 'reports-02-ageing-district');

    for (const [chip, heading, shot] of [
      ['ผลการรับชำระ', 'ผลการรับชำระ', 'reports-03-collections'],
      ['การติดตาม 5 ต. และนัดชำระ', 'การติดตาม 5 ต. และนัดชำระ', 'reports-04-activity'],
      ['คำขอเข้าร่วมมาตรการ', 'คำขอเข้าร่วมมาตรการ', 'reports-05-measures'],
    ] as const) {
      await page.locator('.report-kinds').getByText(chip, { exact: true }).click();
      await expect.poll(() => title(phone), SLOW).toBe(heading);
      // The district chosen stays chosen.
      expect(await page.locator('.intro').textContent()).toContain(districtName);
      await screenshot(page, shot);
    }

    // Back to the whole province, the debtor list by colour: the red ones.
    await page.goto(liffUrl('officer/reports/debtors?asOf=2026-11-30', officer.lineUserId));
    await expect.poll(() => title(phone), SLOW).toBe('รายชื่อลูกหนี้ตามสี');
    await page.locator('a.colour-filter').filter({ hasText: 'ผิดนัดชำระ' }).click();
    await expect.poll(() => page.locator('a.colour-filter.on').textContent(), SLOW).toContain('ผิดนัดชำระ');
    await page.locator('.debtor-row').first().waitFor();
    await screenshot(page, 'reports-06-debtors-red');

    const file = await downloaded(page, () => page.getByTestId('download-xlsx').click());
    // Saved under the server's Thai name with the Buddhist-Era day, in a browser as through LINE's ticket link.
    expect(file.name).toBe('รายชื่อลูกหนี้ตามสี 30-11-2569.xlsx');
    const sheet = file.workbook.worksheets[0]!;
    expect(sheet.name).toBe('รายชื่อลูกหนี้');
    expect(String(sheet.getCell('A1').value)).toContain('สีแดง (ผิดนัดชำระ) จังหวัดตราด ณ 30 พ.ย. 2569');
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['ชื่อ-สกุล', 'หนี้เกินกำหนดชำระ', 'ติดต่อล่าสุด']));
    // Every debtor on the page, in the page's order, then the total row.
    const shownOnPage = await page.locator('.debtor-row').count();
    expect(sheet.rowCount - 3).toBe(shownOnPage);
    const nameColumn = header.indexOf('ชื่อ-สกุล') + 1;
    expect(String(sheet.getRow(sheet.rowCount).getCell(nameColumn).value)).toBe(`รวม ${shownOnPage} ราย`);
    const firstOnPage = (await page.locator('.debtor-row').first().innerText()).trim();
    expect(firstOnPage).toContain(String(sheet.getRow(3).getCell(nameColumn).value));
    const overdueColumn = header.indexOf('หนี้เกินกำหนดชำระ') + 1;
    for (let row = 3; row < sheet.rowCount; row++) {
      expect(typeof sheet.getRow(row).getCell(overdueColumn).value).toBe('number');
      expect(String(sheet.getRow(row).getCell(header.indexOf('สี / ประเภทลูกหนี้') + 1).value)).toContain('สีแดง');
    }
  });

  it('allocates a subsidy budget across the districts in whole baht, saves it and downloads it', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const officer = session.sim.persona('พรทิพย์');
    await page.goto(liffUrl('officer/area', officer.lineUserId));
    await expect.poll(() => title(phone), SLOW).toBe('พื้นที่ของฉัน');
    await page.getByRole('link', { name: 'จัดสรรงบประมาณรายอำเภอ' }).click();
    await expect.poll(() => title(phone), SLOW).toBe('จัดสรรงบประมาณ');
    // Nothing typed yet: the error is beside the field.
    await page.getByTestId('preview-allocation').click();
    await page.locator('[data-error-for="budgetBaht"]').filter({ hasText: /งบประมาณ/ }).waitFor();
    await page.getByLabel('งบประมาณเงินอุดหนุน (บาท)').fill('1,000,000');
    await page.getByRole('radio', { name: 'ผสมหลายฐาน' }).check();
    await page.getByLabel('ชื่อรายการ (ไม่บังคับ)').fill('งบเงินอุดหนุน ปีงบประมาณ 2570');
    await page.getByTestId('preview-allocation').click();
    const table = page.getByTestId('allocation-table');
    await table.waitFor(SLOW);
    expect(await table.locator('tfoot').textContent()).toContain('฿1,000,000');
    const amounts = await table.locator('tbody td:last-child').evaluateAll((cells) => cells.map((cell) => cell.firstChild?.textContent ?? ''));
    expect(amounts.reduce((sum, text) => sum + Number(text.replace(/[฿,]/g, '')), 0)).toBe(1_000_000);
    await screenshot(page, 'reports-07-budget-preview');

    // A weight changed after คำนวณ: the table shown is what is saved (it saved figures she never saw), and she is told.
    const firstWeight = page.locator('.weights input').first();
    await firstWeight.fill(String(Number(await firstWeight.inputValue()) + 30));
    await page.getByText('ค่าในแบบฟอร์มเปลี่ยนแล้ว').waitFor();
    await page.getByTestId('save-allocation').click();
    await page.getByText('บันทึก "งบเงินอุดหนุน ปีงบประมาณ 2570" แล้วค่ะ').waitFor(SLOW);
    expect(await page.locator('.section-title', { hasText: 'รายการที่บันทึกไว้' }).locator('.count').textContent()).toBe('1');
    await screenshot(page, 'reports-08-budget-saved');
    const file = await downloaded(page, () => page.locator('[data-testid^="allocation-xlsx-"]').first().click());
    const sheet = file.workbook.worksheets[0]!;
    expect(sheet.name).toBe('จัดสรรงบประมาณ');
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    const amountColumn = header.indexOf('งบที่ได้รับ (บาท)') + 1;
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(1).value).toBe('รวม');
    expect(last.getCell(amountColumn).value).toBe(1_000_000);
    const savedAmounts = Array.from({ length: sheet.rowCount - 3 }, (_, i) => `฿${Number(sheet.getRow(i + 3).getCell(amountColumn).value).toLocaleString('en-US')}`);
    expect(savedAmounts).toEqual(amounts.map((text) => text.replace(/\.00$/, '')));
  });
});
