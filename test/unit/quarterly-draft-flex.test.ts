// The quarterly draft's Flex card: what a province officer reads first, the trend against last quarter, the districts
// rolled up (at most eight named), and the button to the report as of the draft's day.
import { describe, expect, it } from 'vitest';
import { quarterlyDraftMessage } from '../../server/line/flex/quarterly-draft.flex.ts';
import type { QuarterlyDraft } from '../../server/services/notifications.ts';

const draft = (over: Partial<QuarterlyDraft> = {}): QuarterlyDraft => ({
  quarterKey: '2570-Q1', quarter: 1, fiscalYearBe: 2570, reportDate: '2026-12-05', scopePath: 'ตราด', asOf: '2026-11-30',
  overdueRatePercent: 4.2, previousRatePercent: 6.1, outstanding: 100_000_00, overdue: 4_200_00, collected: 12_345_50, due: 20_000_00,
  contacts: 1234, debtorsContacted: 456, promisesMade: 12, promisesKept: 7, promisesBroken: 3,
  applicationsWaiting: 5, applicationsApproved: 9, applicationsLate: 1,
  children: Array.from({ length: 10 }, (_, i) => ({ title: `อำเภอ${i}`, overdueRatePercent: 10 - i, collected: 0, due: 0 })),
  ...over,
});

function texts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(texts);
  if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    return [...(record.type === 'text' ? [String(record.text)] : []), ...Object.values(record).flatMap(texts)];
  }
  return [];
}

describe('the quarterly draft card', () => {
  it('says the rate against 5 % and last quarter, collections, contacts, promises, measures and the worst districts', () => {
    const message = quarterlyDraftMessage(draft(), 'https://liff.line.me/123-abc') as { type: string; altText: string; contents: unknown };
    expect(message.type).toBe('flex');
    expect(message.altText).toBe('ร่างรายงานไตรมาส 1/2570 จังหวัดตราด: หนี้เกินกำหนด 4.20% (เป้า < 5%)');
    const all = texts(message.contents);
    expect(all).toEqual(expect.arrayContaining([
      'ร่างรายงานไตรมาส 1/2570',
      'จังหวัดตราด · ข้อมูลถึง 30 พ.ย. 2569',
      '4.20%',
      'เป้าหมาย ต่ำกว่า 5% · ✅ ผ่านเป้าหมาย',
      'ไตรมาสก่อน 6.10% ▼ ดีขึ้น',
      '฿12,345.50',
      '1,234 ครั้ง · 456 ราย',
      'นัดใหม่ 12 · ตามนัด 7 · ผิดนัด 3',
      'รอพิจารณา 5 · อนุมัติ 9 · เกินกำหนด 1',
      'รายอำเภอ (หนี้เกินกำหนด)',
      'อำเภอ0',
      'และอีก 2 พื้นที่ในรายงาน',
    ]));
    expect(all).not.toContain('อำเภอ9');
    expect(all.every((text) => text.trim().length > 0)).toBe(true);
    expect(JSON.stringify(message.contents)).toContain('"uri":"https://liff.line.me/123-abc/officer/reports/ageing?asOf=2026-11-30"');
  });

  it('says when the rate misses the target, got worse, or there is no last quarter; a tambon has no children', () => {
    const worse = texts(quarterlyDraftMessage(draft({ overdueRatePercent: 7, previousRatePercent: 6, scopePath: 'ตราด/เมืองตราด/บางพระ', children: [] }), 'https://x').contents);
    expect(worse).toEqual(expect.arrayContaining(['เป้าหมาย ต่ำกว่า 5% · ⚠️ ยังสูงกว่าเป้าหมาย', 'ไตรมาสก่อน 6.00% ▲ แย่ลง']));
    expect(worse.some((t) => t.startsWith('ราย'))).toBe(false);
    expect(texts(quarterlyDraftMessage(draft({ previousRatePercent: null }), 'https://x').contents)).toContain('ไตรมาสก่อน: ยังไม่มีข้อมูล');
  });
});
