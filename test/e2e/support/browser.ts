// Debian's Chromium through playwright-core (never `npx playwright install`), as a phone in LINE would be sized.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS_DIR = path.resolve('test-artifacts/screenshots');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PhoneBrowser {
  context: BrowserContext;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/** A fresh profile every time: no cookies, storage or cache carried between tests. */
export async function openPhone(options: { viewport?: { width: number; height: number }; mobile?: boolean } = {}): Promise<PhoneBrowser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'wdf-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: options.viewport ?? { width: 360, height: 740 },
    deviceScaleFactor: options.mobile === false ? 1 : 2,
    isMobile: options.mobile ?? true,
    hasTouch: options.mobile ?? true,
    locale: 'th-TH',
    timezoneId: 'Asia/Bangkok',
    userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 Line/14.0.0',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The first POST to these addresses reaches the server, and its answer is lost on the way back (a dropped signal). */
export async function loseFirstAnswer(page: Page, url: string): Promise<void> {
  let dropped = false;
  await page.route(url, async (route) => {
    if (route.request().method() === 'POST' && !dropped) {
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
}
