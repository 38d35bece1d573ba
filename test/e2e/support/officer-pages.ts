// What the officers' page tests share: a whole-page screenshot as a person scrolling would read it, the mini-app's
// address as a simulator persona, the page title, and the patience a first page load on a cold server needs.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { screenshot as fullScreenshot, type PhoneBrowser } from './browser.ts';

/**
 * The whole page top to bottom: the tab bar and the action bars are pinned to the bottom of the screen on the phone,
 * but a full-page capture would paint them across the middle of the page, so they are put back in the flow first.
 */
export async function pageScreenshot(page: Page, name: string, pinned: readonly string[] = ['#tabs', '.actions']): Promise<void> {
  const style = await page.addStyleTag({ content: `${pinned.join(', ')} { position: static !important; }` });
  await fullScreenshot(page, name);
  await style.evaluate((node) => (node as Element).remove());
}

/** A mini-app page opened as a simulator persona. */
export function liffUrlAs(baseUrl: string, path: string, lineUserId: string): string {
  const url = new URL(`/liff/${path}`, baseUrl);
  url.searchParams.set('simUser', lineUserId);
  return url.toString();
}

export const pageTitle = (phone: PhoneBrowser) => phone.page.textContent('#page-title');
export const SLOW = { timeout: 15_000 };

/** Clicks a download button and reads the XLSX the phone received, as a person opening it would. */
export async function downloadedWorkbook(
  page: Page,
  click: () => Promise<void>,
  wait: { timeout: number } = SLOW,
): Promise<{ name: string; workbook: ExcelJS.Workbook }> {
  const [download] = await Promise.all([page.waitForEvent('download', wait), click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
  return { name: download.suggestedFilename(), workbook };
}
