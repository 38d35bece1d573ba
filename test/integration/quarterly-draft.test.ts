// The quarterly report writes itself: on the 1st of a quarter-end month tambon, district and province officers get a
// Flex draft of their own area's quarter (overdue rate against 5 % and last quarter, collections, contacts, promises,
// measures, a link to the report and its XLSX) — once per officer per quarter, however many replicas plan it; a
// province's draft rolls its districts up. Mentors and the department get none; the 5th's reminders stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planOfficerNotifications } from '../../server/services/officer-notifications.service.ts';
import type { QuarterlyDraft } from '../../server/services/notifications.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { runCli } from '../support/cli.ts';
import { dispatchOutbox } from './liff-support.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
let t: TestApp;
const officers: Record<string, string> = {};
const B = 100;

// 12,000 baht, 12 monthly installments of 1,000 from 15 Jan 2026. As of 30 Nov 2026 (the draft's day) 11 are due.
const loan = (contract_no: string, district: string, subdistrict: string, paid: string) => ({
  contract_no, full_name: `ผู้กู้ ${contract_no}`, province: 'ตราด', district, subdistrict,
  principal: '12,000', annual_interest_rate: '0', installments: '12', frequency: 'monthly', first_due_on: '2026-01-15', paid_total: paid,
});

beforeAll(async () => {
  t = await startTestApp({ now: '2026-12-01T01:30:00Z' }); // 08:30 in Bangkok, 1 December 2569
  await t.importLoans([
    loan('Q-1', 'เมืองตราด', 'บางพระ', '11,000'), // up to date
    loan('Q-2', 'เมืองตราด', 'บางพระ', '10,000'), // November's unpaid: 1,000 of 2,000 overdue
    loan('Q-3', 'คลองใหญ่', 'หาดเล็ก', '5,000'), // 6,000 of 7,000 overdue
  ]);
  for (const [key, role, area] of [
    ['province', 'province', 'ตราด'],
    ['district', 'district', 'ตราด/เมืองตราด'],
    ['tambon', 'tambon', 'ตราด/คลองใหญ่/หาดเล็ก'],
    ['mentor', 'mentor', 'ตราด/เมืองตราด/บางพระ'],
    ['department', 'department', undefined],
  ] as const) {
    officers[key] = await t.linkOfficer({ name: `เจ้าหน้าที่ ${key}`, role, area });
  }
});
afterAll(async () => {
  await t?.close();
});

async function drafts(): Promise<Array<{ officer_id: number | null; dedupe_key: string; notification: { draft: QuarterlyDraft } }>> {
  return (await t.context.db.selectFrom('outbound_messages').select(['officer_id', 'dedupe_key', 'notification']).where('kind', '=', 'quarterly_draft').execute()) as never;
}

describe('the quarterly draft', () => {
  it('is planned once per officer however many planners run at once, and not again on the 2nd', async () => {
    const deps = { db: t.context.db, digestWeekday: 1, forumReminderDay: 1 };
    const at = t.clock.now();
    const runs = await Promise.all([1, 2, 3].map(() => planOfficerNotifications(deps, at)));
    const rows = await drafts();
    expect(rows).toHaveLength(3); // province, district, tambon — no mentor, no department
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(3);
    expect(rows.every((r) => r.dedupe_key.startsWith('quarterly-draft:2570-Q1:officer:'))).toBe(true);
    expect(runs.reduce((sum, run) => sum + run.newlyQueued, 0)).toBeGreaterThanOrEqual(3);
    const nextDay = await planOfficerNotifications(deps, new Date('2026-12-02T01:30:00Z'));
    expect(nextDay.quarterlyDrafts).toBe(0);
    expect(await drafts()).toHaveLength(3);
    // Not in November, not after the 5th.
    expect((await planOfficerNotifications(deps, new Date('2026-11-30T01:30:00Z'))).quarterlyDrafts).toBe(0);
  });

  it('holds the area’s own figures; the province rolls its districts up, worst first', async () => {
    const byScope: Record<string, QuarterlyDraft> = Object.fromEntries((await drafts()).map((r) => [r.notification.draft.scopePath ?? "*", r.notification.draft]));
    const province = byScope['ตราด']!;
    expect(province).toMatchObject({
      quarterKey: '2570-Q1', quarter: 1, fiscalYearBe: 2570, asOf: '2026-11-30', reportDate: '2026-12-05',
      outstanding: 10_000 * B, overdue: 7_000 * B, overdueRatePercent: 70,
    });
    // Due 1 Oct – 30 Nov: October and November of each loan.
    expect(province.due).toBe(6_000 * B);
    expect(province.children.map((c) => [c.title, c.overdueRatePercent])).toEqual([
      ['อำเภอคลองใหญ่', 85.71],
      ['อำเภอเมืองตราด', 33.33],
    ]);
    expect(byScope['ตราด/เมืองตราด']).toMatchObject({ overdueRatePercent: 33.33, children: [{ title: 'ตำบลบางพระ' }] });
    expect(byScope['ตราด/คลองใหญ่/หาดเล็ก']).toMatchObject({ overdueRatePercent: 85.71, children: [] });
    // At the end of September (June to September of Q-3 overdue, 4,000): the registry's first paid totals are the loans'
    // opening balance, counted as paid before any day asked about, so what is owed is the same 10,000 → 40 %.
    expect(province.previousRatePercent).toBe(40);
  });

  it('arrives in LINE as a Flex card with the rate against 5 %, last quarter, and a link to the report', async () => {
    await dispatchOutbox(t);
    const sent = t.fake.messagesTo(officers.province!).map((m) => m.message as any);
    const flex = sent.find((m) => m.type === 'flex' && String(m.altText).includes('ร่างรายงานไตรมาส 1/2570'));
    // The reminder of the 5th still comes as before.
    expect(sent.some((m) => m.type === 'text' && String(m.text).includes('ใกล้ถึงกำหนดรายงาน'))).toBe(true);
    expect(flex).toBeDefined();
    const json = JSON.stringify(flex.contents);
    expect(json).toContain('70.00%');
    expect(json).toContain('เป้าหมาย ต่ำกว่า 5%');
    expect(json).toContain('ไตรมาสก่อน 40.00% ▲ แย่ลง');
    expect(json).toContain('อำเภอคลองใหญ่');
    expect(json).toContain('ข้อมูลถึง 30 พ.ย. 2569');
    expect(json).toContain('https://liff.line.me/1650000000-testliff/officer/reports/ageing?asOf=2026-11-30');
    for (const key of ['mentor', 'department']) {
      expect(t.fake.textsTo(officers[key]!).some((text) => text.includes('ร่างรายงาน'))).toBe(false);
    }
  });
});

describe.runIf(onPostgres)('across replicas', () => {
  it('three `jobs run officer-digest` processes at once on the 1st of March send each officer one draft', async () => {
    const env = {
      DATABASE_URL: t.database.url!,
      DATA_ENCRYPTION_KEY: t.context.config.dataEncryptionKey!.toString('base64'),
      ...t.lineEnv,
    };
    const runs = await Promise.all([1, 2, 3].map(() => runCli(['jobs', 'run', 'officer-digest', '--at', '2027-03-01T08:30:00+07:00'], env)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const march = (await drafts()).filter((r) => r.dedupe_key.startsWith('quarterly-draft:2570-Q2:'));
    expect(march).toHaveLength(3);
    for (const key of ['province', 'district', 'tambon']) {
      const q2 = t.fake.textsTo(officers[key]!).filter((text) => text.includes('ร่างรายงานไตรมาส 2/2570'));
      expect(q2, key).toHaveLength(1);
    }
  }, 180_000);
});
