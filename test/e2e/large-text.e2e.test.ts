// An older borrower's phone with Android's large text, and a district officer coming back to her list (found by an
// accessibility trial at 360×640). Android's font size reaches LINE's WebView as textZoom, which enlarges every
// text size, px included, and leaves boxes as they are; here every px font size of the stylesheet is multiplied by
// 1.3 (Android's "largest" on many phones). Nothing may stick out past the screen's right edge (the page would widen
// and slide the pinned menu off the screen), the menu stays on the screen, and money is never broken across lines.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { liffUrlAs, pageScreenshot, pageTitle, SLOW } from './support/officer-pages.ts';
import { simulatorSession } from './support/session.ts';

const session = simulatorSession();
const liffUrl = (path: string, lineUserId: string) => liffUrlAs(session.sim.url, path, lineUserId);

/** Multiplies every px font size of the page's stylesheets, as Android's textZoom does (once per rule). */
function enlargeText(scale: number) {
  const done = new WeakSet<CSSRule>();
  const enlarge = (rules: CSSRuleList) => {
    for (const rule of Array.from(rules)) {
      if ('cssRules' in rule) enlarge((rule as CSSGroupingRule).cssRules);
      if (!(rule instanceof CSSStyleRule) || done.has(rule)) continue;
      done.add(rule);
      const size = /^([\d.]+)px$/.exec(rule.style.getPropertyValue('font-size').trim());
      if (size) rule.style.setProperty('font-size', `${parseFloat(size[1]!) * scale}px`, rule.style.getPropertyPriority('font-size'));
    }
  };
  const run = () => {
    for (const sheet of Array.from(document.styleSheets)) {
      try {
        enlarge(sheet.cssRules);
      } catch {
        // a sheet of another origin
      }
    }
  };
  document.addEventListener('DOMContentLoaded', run);
  window.addEventListener('load', run);
  setInterval(run, 100);
}

/** What sticks out past the right edge, whether the menu is on the screen, and amounts broken across lines. */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const outside = [...document.querySelectorAll<HTMLElement>('main *, #tabs *')]
      .filter((e) => !e.closest('.table-scroll, .report-kinds, .visually-hidden') && e.getClientRects().length > 0)
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent ?? '').trim().slice(0, 30)}`);
    const tabs = document.querySelector('#tabs')!.getBoundingClientRect();
    const broken: string[] = [];
    const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of (node.textContent ?? '').matchAll(/฿[\d,]+\.\d\d/g)) {
        const range = document.createRange();
        range.setStart(node, match.index!);
        range.setEnd(node, match.index! + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    // Spilling out of its own box: a report tile's figure over its neighbour's, a table wider than its scroll box.
    const spilling = [...document.querySelectorAll<HTMLElement>('.tile, .table-scroll')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.className}: ${(e.textContent ?? '').trim().slice(0, 30)}`);
    return { outside, spilling, menuOnScreen: tabs.bottom <= window.innerHeight + 1 && tabs.top < window.innerHeight, broken };
  });
}

describe('large text on a 360×640 phone', () => {
  it('keeps every page within the screen, the menu on it, and amounts whole', async () => {
    const phone = await session.openPhone({ viewport: { width: 360, height: 640 } });
    const { page } = phone;
    await page.addInitScript(enlargeText, 1.3);
    const malee = session.sim.persona('มาลี').lineUserId;
    const kanjana = session.sim.persona('กาญจนา').lineUserId;
    const wichai = session.sim.persona('วิชัย').lineUserId;
    const aroonee = (await session.sim.context.db.selectFrom('borrowers').select('id').where('full_name', '=', 'อรุณี แสงทอง').executeTakeFirstOrThrow()).id;
    const pages: Array<[string, string, string]> = [
      ['loans', malee, 'เงินกู้ของฉัน'],
      ['measures', malee, 'มาตรการช่วยเหลือ'],
      ['privacy', malee, 'ข้อมูลของฉัน'],
      [`officer/debtors/${aroonee}`, kanjana, 'อรุณี แสงทอง'],
      ['officer/area', wichai, 'พื้นที่ของฉัน'],
      ['officer/reports', wichai, 'อายุหนี้และหนี้เสี่ยง (PAR)'],
      ['officer/applications', wichai, 'คำขอรอพิจารณา'],
    ];
    for (const [path, user, title] of pages) {
      await page.goto(liffUrl(path, user));
      await expect.poll(() => pageTitle(phone), SLOW).toBe(title);
      await page.waitForTimeout(300); // the enlarged sizes applied
      expect(await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#page-title')!).fontSize))).toBeCloseTo(25 * 1.3, 0);
      expect(await layoutProblems(page), path).toEqual({ outside: [], spilling: [], menuOnScreen: true, broken: [] });
    }
    // The application form's comparison of her schedule now and after the measure.
    await page.goto(liffUrl('apply', malee));
    await page.locator('label:has(input[value=term_extension])').click();
    await page.locator('table.compare').waitFor(SLOW);
    expect(await layoutProblems(page), 'apply').toEqual({ outside: [], spilling: [], menuOnScreen: true, broken: [] });
    await pageScreenshot(page, 'large-text-apply-comparison');
  }, 120_000);
});

describe('a district officer back from a debtor', () => {
  it('finds the list as she left it: the rows she had opened, at the same place', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    await page.goto(liffUrl('officer/debtors', session.sim.persona('วิชัย').lineUserId));
    await expect.poll(() => pageTitle(phone), SLOW).toBe('ลูกหนี้');
    const rows = page.locator('a.debtor-row');
    await expect.poll(() => rows.count(), SLOW).toBe(20);
    await page.getByRole('button', { name: 'แสดงเพิ่ม' }).click();
    await expect.poll(() => rows.count(), SLOW).toBeGreaterThan(20);
    const shown = await rows.count();
    const row = rows.nth(shown - 3);
    const name = (await row.locator('.debtor-head strong, .debtor-head span').first().textContent())!.trim();
    await row.scrollIntoViewIfNeeded();
    const leftAt = await page.evaluate(() => window.scrollY);
    expect(leftAt).toBeGreaterThan(1000);
    await row.click();
    await expect.poll(() => pageTitle(phone), SLOW).not.toBe('ลูกหนี้');
    await page.goBack();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('ลูกหนี้');
    await expect.poll(() => rows.count(), SLOW).toBe(shown);
    await expect.poll(() => page.evaluate(() => window.scrollY), SLOW).toBeGreaterThan(leftAt - 50);
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - leftAt)).toBeLessThan(50);
    await expect(rows.nth(shown - 3).textContent()).resolves.toContain(name);
    // Forward to the debtor and back again: the same.
    await page.goForward();
    await expect.poll(() => pageTitle(phone), SLOW).not.toBe('ลูกหนี้');
    await page.goBack();
    await expect.poll(() => rows.count(), SLOW).toBe(shown);
    await expect.poll(() => page.evaluate(() => window.scrollY), SLOW).toBeGreaterThan(leftAt - 50);

    // A filter changed and changed back, then a reload: she arrived by the filter, so the list starts at the top.
    await page.getByRole('button', { name: 'ผิดนัดชำระ', exact: true }).click();
    await expect.poll(() => page.url(), SLOW).toContain('colour=red');
    await page.getByRole('button', { name: 'ทุกสี', exact: true }).click();
    await expect.poll(() => page.url(), SLOW).not.toContain('colour=');
    await page.reload();
    await expect.poll(() => pageTitle(phone), SLOW).toBe('ลูกหนี้');
    await expect.poll(() => rows.count(), SLOW).toBe(20);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    // A new visit (the tab, not back) starts at the top with the first page.
    await page.locator('#tabs').getByRole('link', { name: 'ลูกหนี้' }).click();
    await expect.poll(() => page.evaluate(() => window.scrollY), SLOW).toBe(0);
    await expect.poll(() => rows.count(), SLOW).toBe(20);
  }, 90_000);
});

describe('a screen reader', () => {
  it('hears which question each group of choices answers', async () => {
    const phone = await session.openPhone();
    const { page } = phone;
    const aroonee = (await session.sim.context.db.selectFrom('borrowers').select('id').where('full_name', '=', 'อรุณี แสงทอง').executeTakeFirstOrThrow()).id;
    await page.goto(liffUrl(`officer/debtors/${aroonee}/follow-up`, session.sim.persona('กาญจนา').lineUserId));
    await expect.poll(() => pageTitle(phone), SLOW).toBe('บันทึกการติดตาม');
    for (const question of ['ติดต่ออย่างไร', 'ขั้นตอน 5 ต.']) {
      await expect.poll(() => page.getByRole('radiogroup', { name: question }).count(), SLOW).toBe(1);
    }
    await page.goto(liffUrl('apply', session.sim.persona('มาลี').lineUserId));
    await expect.poll(() => page.getByRole('group', { name: /สัญญา/ }).count(), SLOW).toBeGreaterThan(0);
    // The page itself is not a live region: a redrawn page is not read out whole.
    expect(await page.locator('main#app').getAttribute('aria-live')).toBeNull();
  }, 60_000);
});
