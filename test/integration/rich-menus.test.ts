// The rich menus' lifecycle against the fake LINE platform: made once however many replicas start together, the
// unlinked one the default, the right one linked when a person links or changes role, and made again (and given to
// everyone) when its content changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createRichMenuService } from '../../server/services/rich-menu.service.ts';
import { createRichMenuPlatform } from '../../server/line/rich-menu-platform.ts';
import { fakeLineUserId } from '../../server/dev/fake-line-platform.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([
    { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ', contract_no: 'RMN-1', full_name: 'สมศรี เมนู' },
    { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ', contract_no: 'RMN-2', full_name: 'มาลี เมนู' },
  ]);
});
afterAll(async () => {
  await t?.close();
});

/** A replica's rich-menu service: its own LINE client and state, nothing shared but the database and LINE. */
function replica(liffUrl = t.context.liffUrl) {
  return createRichMenuService({
    db: t.context.db,
    databaseKind: t.database.kind,
    clock: t.clock,
    log: pino({ level: 'silent' }),
    platform: createRichMenuPlatform({ channelAccessToken: t.fake.channelAccessToken, apiBaseUrl: t.fake.url, dataApiBaseUrl: t.fake.url, liffUrl }),
  });
}

const roleOfMenu = (menu: Record<string, unknown> | undefined) => String(menu?.name ?? '').split('-')[1];

describe('rich menus', () => {
  it('are made once when three replicas start together, the unlinked one made the default', async () => {
    const ids = await Promise.all([replica().ensureMenus(), replica().ensureMenus(), replica().ensureMenus()]);
    expect(new Set(ids.map((menus) => JSON.stringify(menus))).size).toBe(1);
    expect(t.fake.requestsTo('/v2/bot/richmenu').filter((r) => r.method === 'POST' && r.path === '/v2/bot/richmenu')).toHaveLength(3);
    expect(t.fake.allRichMenus().map((menu) => roleOfMenu(menu)).sort()).toEqual(['borrower', 'officer', 'unlinked']);
    // Somebody who just followed sees the unlinked menu (LINE's default): ผูกบัญชี, มาตรการ, วิธีชำระ, ติดต่อ.
    const newcomer = fakeLineUserId('rich-menu-newcomer');
    expect(roleOfMenu(t.fake.richMenuOf(newcomer))).toBe('unlinked');
    const labels = (t.fake.richMenuOf(newcomer)!.areas as Array<{ action: { label: string } }>).map((area) => area.action.label);
    expect(labels).toEqual(['ผูกบัญชี', 'มาตรการ', 'วิธีชำระ', 'ติดต่อ']);
  });

  it('gives a person their role’s menu when they link, and again when they become an officer', async () => {
    const user = await t.linkBorrower('RMN-1', 'สมศรี');
    // t.linkBorrower links through the service directly; the conversation and the mini-app call syncUser on link.
    await t.context.services.richMenus!.syncUser(user);
    expect(roleOfMenu(t.fake.richMenuOf(user))).toBe('borrower');
    const borrowerLabels = (t.fake.richMenuOf(user)!.areas as Array<{ action: { label: string; type: string; uri?: string } }>).map((a) => a.action.label);
    expect(borrowerLabels).toEqual(['ยอดหนี้', 'งวดถัดไป', 'มาตรการ', 'วิธีชำระ', 'คำขอของฉัน', 'ติดต่อเจ้าหน้าที่']);

    // The same LINE account is given an officer's code: the menu follows the role.
    const { code } = await t.context.services.linking.issueOfficerCode({ fullName: 'สมศรี (พี่เลี้ยง)', role: 'tambon', areaPath: 'ตราด/เมืองตราด/บางพระ' }, { actor: 'test', at: t.clock.now() });
    const [answer] = await t.say(user, code);
    expect(answer).toContain('ผูกบัญชีเจ้าหน้าที่เรียบร้อยแล้ว');
    expect(roleOfMenu(t.fake.richMenuOf(user))).toBe('officer');
  });

  it('links in chat: a borrower typing her code gets the borrower menu at once', async () => {
    const user = fakeLineUserId('rich-menu-chat');
    const { code } = await t.context.services.linking.issueBorrowerCode({ contractNo: 'RMN-2' }, { actor: 'test', at: t.clock.now() });
    await t.say(user, code);
    expect(roleOfMenu(t.fake.richMenuOf(user))).toBe('borrower');
  });

  it('is made again when LINE no longer has it, and given back to its users by the sweep', async () => {
    const service = replica();
    const ids = await service.ensureMenus();
    const borrower = fakeLineUserId('rich-menu-chat');
    expect(t.fake.richMenuOf(borrower)!.richMenuId).toBe(ids.borrower);
    // Deleted in the LINE console (or the simulator's LINE started afresh): the database still names it.
    const gone = await fetch(`${t.fake.url}/v2/bot/richmenu/${ids.borrower}`, { method: 'DELETE', headers: { authorization: `Bearer ${t.fake.channelAccessToken}` } });
    expect(gone.status).toBe(200);
    const again = await replica().ensureMenus();
    expect(again.borrower).not.toBe(ids.borrower);
    expect(again.unlinked).toBe(ids.unlinked);
    expect(t.fake.allRichMenus().map((menu) => String(menu.richMenuId))).toContain(again.borrower);
    await replica().sweep();
    expect(t.fake.richMenuOf(borrower)!.richMenuId).toBe(again.borrower);
  });

  it('is made again when its content changes, given to everyone by the sweep, and the old ones removed', async () => {
    const before = new Set(t.fake.allRichMenus().map((menu) => String(menu.richMenuId)));
    // Another LIFF address changes what the buttons open: another content hash.
    const changed = replica('https://liff.line.me/2000000000-newliff');
    const ids = await changed.ensureMenus();
    expect(before.has(ids.borrower)).toBe(false);
    const swept = await changed.sweep();
    expect(swept.relinked).toBeGreaterThanOrEqual(2);
    const borrower = fakeLineUserId('rich-menu-chat');
    expect(t.fake.richMenuOf(borrower)!.richMenuId).toBe(ids.borrower);
    expect(JSON.stringify(t.fake.richMenuOf(borrower))).toContain('2000000000-newliff');
    const after = new Set(t.fake.allRichMenus().map((menu) => String(menu.richMenuId)));
    // The unlinked menu opens nothing in the mini-app: its content, hash and menu stay; the other two were replaced.
    expect([...before].filter((id) => after.has(id))).toEqual([ids.unlinked]);
    expect(after).toEqual(new Set([ids.unlinked, ids.borrower, ids.officer]));
    // A second sweep finds nothing to do.
    expect(await changed.sweep()).toEqual({ relinked: 0, removed: 0 });
  });
});
