// The officers' reports against a table computed by hand: 14 loans of 12,000 baht (12 monthly installments of 1,000,
// no interest) placed so that every ageing band, a restructured loan, a suspended loan, a loan in litigation, a paid-off
// loan and a reversed payment are there; then collections, follow-up activity, the debtor list by colour, scoping,
// XLSX downloads read back, and the budget allocation.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityReport, AgeingReport, AllocationPage, AllocationResult, CollectionsReport, DebtorsReport, MeasuresReport, SavedAllocationView } from '../../server/contracts/reports.ts';
import { insertEnrollment, insertTransition } from '../../server/db/repos/enrollments.repo.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { call } from './liff-support.ts';
import { asUser, borrowerIdOf, newKey, visit } from './officer-support.ts';

let t: TestApp;
let province: ReturnType<typeof asUser>;
let district: ReturnType<typeof asUser>;
let tambon: ReturnType<typeof asUser>;
let mentor: ReturnType<typeof asUser>;

const MUANG = { province: 'ตราด', district: 'เมืองตราด' };
const KHLONG = { province: 'ตราด', district: 'คลองใหญ่', subdistrict: 'หาดเล็ก' };
const B = 100; // satang per baht

/**
 * As of 23 Nov 2026 (hand-computed: oldest unpaid due date → days past due, installments due before the day and unpaid
 * → overdue, unpaid installments → outstanding):
 *
 * | loan | first due  | paid   | area        | oldest unpaid | dpd | overdue | outstanding | row          |
 * |------|------------|--------|-------------|---------------|-----|---------|-------------|--------------|
 * | R01  | 2026-12-01 | 0      | บางพระ      | —             | 0   | 0       | 12,000      | current      |
 * | R02  | 2026-01-15 | 11,000 | บางพระ      | (Dec 15)      | 0   | 0       | 1,000       | current      |
 * | R03  | 2026-01-22 | 10,000 | บางพระ      | 2026-11-22    | 1   | 1,000   | 2,000       | 1–30 (not PAR1) |
 * | R04  | 2026-01-01 | 10,000 | วังกระแจะ   | 2026-11-01    | 22  | 1,000   | 2,000       | 1–30         |
 * | R05  | 2026-01-15 | 9,000  | วังกระแจะ   | 2026-10-15    | 39  | 2,000   | 3,000       | 31–60        |
 * | R06  | 2026-01-01 | 8,000  | วังกระแจะ   | 2026-09-01    | 83  | 3,000   | 4,000       | 61–90        |
 * | R07  | 2026-01-10 | 5,000  | วังกระแจะ   | 2026-06-10    | 166 | 6,000   | 7,000       | 91–180       |
 * | R08  | 2025-12-01 | 2,000  | หาดเล็ก     | 2026-02-01    | 295 | 10,000  | 10,000      | 181–360      |
 * | R09  | 2025-06-01 | 0      | หาดเล็ก     | 2025-06-01    | 540 | 12,000  | 12,000      | > 360        |
 * | R10  | 2026-01-05 | 8,000  | หาดเล็ก     | 2026-09-05    | 79  | 3,000   | 4,000       | restructured |
 * | R11  | 2026-01-01 | 3,000  | หาดเล็ก     | suspended     | 0   | 0       | 9,000       | suspended    |
 * | R12  | 2026-01-15 | 10,000 | หาดเล็ก     | 2026-11-15    | 8   | 1,000   | 2,000       | 1–30 (1,000 paid 16 Nov, reversed 23 Nov) |
 * | R13  | 2025-12-15 | 0      | หาดเล็ก     | 2025-12-15    | 343 | 12,000  | 12,000      | 181–360 (litigation) |
 * | R14  | 2025-10-01 | 12,000 | หาดเล็ก     | paid off      | —   | —       | 0           | left out     |
 * | X01  | 2025-01-01 | 0      | จันทบุรี     | (another province: never counted)                             |
 *
 * Totals: 13 loans, outstanding 80,000, overdue 51,000 → 63.75 %.
 * PAR1 (dpd > 1): R04 R05 R06 R07 R08 R09 R10 R12 R13 = 56,000 → 70 %; PAR30: R05 R06 R07 R08 R09 R10 R13 = 52,000 → 65 %;
 * PAR90: R07 R08 R09 R13 = 41,000 → 51.25 %. เมืองตราด (R01–R07): 7 loans, 31,000 outstanding, 13,000 overdue;
 * คลองใหญ่ (R08–R13): 6 loans, 49,000 outstanding, 38,000 overdue.
 */
const LOANS = [
  { contract_no: 'R01', first_due_on: '2026-12-01', paid_total: '0', ...MUANG, subdistrict: 'บางพระ' },
  { contract_no: 'R02', first_due_on: '2026-01-15', paid_total: '11,000', ...MUANG, subdistrict: 'บางพระ' },
  { contract_no: 'R03', first_due_on: '2026-01-22', paid_total: '10,000', ...MUANG, subdistrict: 'บางพระ' },
  { contract_no: 'R04', first_due_on: '2026-01-01', paid_total: '10,000', ...MUANG, subdistrict: 'วังกระแจะ' },
  { contract_no: 'R05', first_due_on: '2026-01-15', paid_total: '9,000', ...MUANG, subdistrict: 'วังกระแจะ' },
  { contract_no: 'R06', first_due_on: '2026-01-01', paid_total: '8,000', ...MUANG, subdistrict: 'วังกระแจะ' },
  { contract_no: 'R07', first_due_on: '2026-01-10', paid_total: '5,000', ...MUANG, subdistrict: 'วังกระแจะ' },
  { contract_no: 'R08', first_due_on: '2025-12-01', paid_total: '2,000', ...KHLONG },
  { contract_no: 'R09', first_due_on: '2025-06-01', paid_total: '0', ...KHLONG },
  { contract_no: 'R10', first_due_on: '2026-01-05', paid_total: '8,000', ...KHLONG },
  { contract_no: 'R11', first_due_on: '2026-01-01', paid_total: '3,000', ...KHLONG },
  { contract_no: 'R12', first_due_on: '2026-01-15', paid_total: '10,000', ...KHLONG },
  { contract_no: 'R13', first_due_on: '2025-12-15', paid_total: '0', litigation: 'true', ...KHLONG },
  { contract_no: 'R14', first_due_on: '2025-10-01', paid_total: '12,000', ...KHLONG },
  { contract_no: 'X01', first_due_on: '2025-01-01', paid_total: '0', province: 'จันทบุรี', district: 'เมืองจันทบุรี', subdistrict: 'ตลาด' },
].map((loan, i) => ({ full_name: `ลูกหนี้ทดสอบ ${loan.contract_no}`, principal: '12,000', annual_interest_rate: '0', installments: '12', frequency: 'monthly', ...loan, national_id: undefined as never, _i: i }));

const bands = (report: AgeingReport['total']) => Object.fromEntries(report.rows.map((r) => [r.key, [r.loans, r.outstanding / B, r.overdue / B]]));

async function xlsxOf(user: ReturnType<typeof asUser>, path: string): Promise<{ status: number; type: string | null; disposition: string | null; nosniff: string | null; workbook: ExcelJS.Workbook }> {
  const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${user.token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const workbook = new ExcelJS.Workbook();
  if (response.status === 200) await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), nosniff: response.headers.get('x-content-type-options'), workbook };
}

function sheetRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans(LOANS.map(({ _i, national_id: _n, ...row }) => row));
  // R10's schedule was replaced by an approved measure; R11 is under a debt suspension until March.
  await sql`UPDATE loans SET schedule_source = 'restructured' WHERE contract_no = 'R10'`.execute(t.context.db);
  await sql`INSERT INTO loan_measures (loan_id, measure_code, starts_on, ends_on, created_at)
            SELECT id, 'debt_suspension', '2026-10-01', '2027-03-31', now() FROM loans WHERE contract_no = 'R11'`.execute(t.context.db);
  province = asUser(t, await t.linkOfficer({ name: 'ปราณี จังหวัด', role: 'province', area: 'ตราด' }));
  district = asUser(t, await t.linkOfficer({ name: 'วิชัย อำเภอ', role: 'district', area: 'ตราด/เมืองตราด' }));
  tambon = asUser(t, await t.linkOfficer({ name: 'สมพร ตำบล', role: 'tambon', area: 'ตราด/คลองใหญ่/หาดเล็ก' }));
  mentor = asUser(t, await t.linkOfficer({ name: 'บุญเรือน พี่เลี้ยง', role: 'mentor', area: 'ตราด/เมืองตราด/บางพระ' }));
  // R12: 1,000 paid at the counter on 16 Nov, reversed on 23 Nov (today).
  const paid = await district.post('/api/liff/officer/payments', { contractNo: 'R12', amountSatang: 1_000 * B, paidOn: '2026-11-16', channel: 'counter', receiptNo: 'RC-12' }, newKey());
  // The district officer of เมืองตราด may not record it (คลองใหญ่): the province officer does.
  expect(paid.status).toBe(403);
  const recorded = await province.post('/api/liff/officer/payments', { contractNo: 'R12', amountSatang: 1_000 * B, paidOn: '2026-11-16', channel: 'counter', receiptNo: 'RC-12' }, newKey());
  expect(recorded.status).toBe(201);
  const reversed = await province.post(`/api/liff/officer/payments/${recorded.body.id}/reversal`, { reason: 'บันทึกผิดสัญญา' });
  expect(reversed.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

describe('ageing and portfolio at risk, against the hand table', () => {
  it('puts every loan in its band, restructured and suspended loans apart, with PAR1/30/90 and the KPI overdue rate', async () => {
    const answer = await province.get<AgeingReport>('/api/liff/officer/reports/ageing?asOf=2026-11-23');
    expect(answer.status).toBe(200);
    const { total, areas, scope } = answer.body;
    expect(scope).toMatchObject({ path: 'ตราด', title: 'จังหวัดตราด', asOf: '2026-11-23' });
    expect(bands(total)).toEqual({
      current: [2, 13_000, 0],
      '1-30': [3, 6_000, 3_000],
      '31-60': [1, 3_000, 2_000],
      '61-90': [1, 4_000, 3_000],
      '91-180': [1, 7_000, 6_000],
      '181-360': [2, 22_000, 22_000],
      'over-360': [1, 12_000, 12_000],
      restructured: [1, 4_000, 3_000],
      suspended: [1, 9_000, 0],
    });
    expect(total).toMatchObject({ loans: 13, outstanding: 80_000 * B, overdue: 51_000 * B, overdueRatePercent: 63.75, meetsTarget: false, restructuredOver30: 1 });
    expect(total.par1).toBeCloseTo(0.7, 10);
    expect(total.par30).toBeCloseTo(0.65, 10);
    expect(total.par90).toBeCloseTo(0.5125, 10);
    expect(areas.map((a) => [a.title, a.figures.loans, a.figures.outstanding / B, a.figures.overdue / B])).toEqual([
      ['อำเภอคลองใหญ่', 6, 49_000, 38_000],
      ['อำเภอเมืองตราด', 7, 31_000, 13_000],
    ]);
  });

  it('agrees with the overdue rate of the area summary (the KPI as the rest of the app computes it)', async () => {
    const area = await province.get('/api/liff/officer/area');
    expect(area.status).toBe(200);
    expect(JSON.stringify(area.body)).toContain('63.75');
  });

  it('as of an earlier day: the reversed payment still counted on 20 Nov, and R03 was not yet due', async () => {
    const answer = await province.get<DebtorsReport>('/api/liff/officer/reports/debtors?asOf=2026-11-20');
    const byContract = Object.fromEntries(answer.body.rows.map((r) => [r.contractNos, r]));
    expect(byContract.R12).toMatchObject({ colour: 'green', overdue: 0, outstanding: 1_000 * B, daysPastDue: 0 });
    expect(byContract.R03).toMatchObject({ colour: 'green', overdue: 0, outstanding: 2_000 * B });
    const today = await province.get<DebtorsReport>('/api/liff/officer/reports/debtors?asOf=2026-11-23');
    expect(Object.fromEntries(today.body.rows.map((r) => [r.contractNos, r])).R12).toMatchObject({ colour: 'red', overdue: 1_000 * B, daysPastDue: 8 });
  });

  it('a district officer sees their tambons as the children; a tambon officer only their tambon', async () => {
    const mine = await district.get<AgeingReport>('/api/liff/officer/reports/ageing?asOf=2026-11-23');
    expect(mine.body.areas.map((a) => [a.title, a.figures.loans, a.figures.outstanding / B])).toEqual([
      ['ตำบลบางพระ', 3, 15_000],
      ['ตำบลวังกระแจะ', 4, 16_000],
    ]);
    const small = await tambon.get<AgeingReport>('/api/liff/officer/reports/ageing?asOf=2026-11-23');
    expect(small.body.total).toMatchObject({ loans: 6, outstanding: 49_000 * B });
    expect(small.body.areas.map((a) => a.title)).toEqual(['ตำบลหาดเล็ก']);
  });

  it('narrows to any area the officer may see, and refuses others, mentors and future days', async () => {
    const narrowed = await province.get<AgeingReport>(`/api/liff/officer/reports/ageing?area=${encodeURIComponent('ตราด/คลองใหญ่')}`);
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.total.outstanding).toBe(49_000 * B);
    expect(narrowed.body.scope.choices.map((c) => c.title)).toEqual(expect.arrayContaining(['จังหวัดตราด', 'อ.คลองใหญ่ จ.ตราด', 'ต.หาดเล็ก อ.คลองใหญ่ จ.ตราด']));
    expect((await district.get(`/api/liff/officer/reports/ageing?area=${encodeURIComponent('ตราด/คลองใหญ่')}`)).status).toBe(403);
    expect((await district.get(`/api/liff/officer/reports/ageing?area=${encodeURIComponent('จันทบุรี')}`)).status).toBe(403);
    expect((await mentor.get('/api/liff/officer/reports/ageing')).status).toBe(403);
    const future = await province.get('/api/liff/officer/reports/ageing?asOf=2026-11-24');
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('อนาคต');
    expect((await call(t, 'GET', '/api/liff/officer/reports/ageing')).status).toBe(401);
  });
});

describe('collections, follow-up activity and measures', () => {
  it('collections: paid this month against due, by district (a payment and its reversal net to nothing)', async () => {
    // 1,500 paid on R05 on 20 Nov: October in full and half of November.
    expect((await district.post('/api/liff/officer/payments', { contractNo: 'R05', amountSatang: 1_500 * B, paidOn: '2026-11-20', channel: 'transfer', receiptNo: 'RC-05' }, newKey())).status).toBe(201);
    const answer = await province.get<CollectionsReport>('/api/liff/officer/reports/collections?asOf=2026-11-23');
    expect(answer.status).toBe(200);
    const month = Object.fromEntries(answer.body.areas.map((a) => [a.title, [a.figures.month.due / B, a.figures.month.collected / B]]));
    // Due 1–23 Nov: เมืองตราด R02 R03 R04 R05 R06 R07 (6,000); คลองใหญ่ R08 R10 R11 R12 R13 (5,000; R11's is suspended but due).
    expect(month).toEqual({ 'อำเภอเมืองตราด': [6_000, 1_500], 'อำเภอคลองใหญ่': [5_000, 0] });
    expect(answer.body.total.month).toEqual({ due: 11_000 * B, collected: 1_500 * B, rate: 1_500 / 11_000 });
    expect(answer.body.windows.map((w) => [w.key, w.from, w.to])).toEqual([
      ['month', '2026-11-01', '2026-11-23'],
      ['quarter', '2026-10-01', '2026-11-23'],
      ['year', '2026-10-01', '2026-11-23'],
    ]);
  });

  it('follow-up activity: contacts by kind and 5 ต. stage, promises made', async () => {
    const r05 = await borrowerIdOf(t, 'R05');
    const r09 = await borrowerIdOf(t, 'R09');
    const made = await district.post('/api/liff/officer/follow-ups', visit(r05, { outcome: 'promised', contactedOn: '2026-11-21', promise: { amountSatang: 1_000 * B, promisedOn: '2026-11-30' } }), newKey());
    expect(made.status).toBe(201);
    expect((await province.post('/api/liff/officer/follow-ups', visit(r09, { kind: 'phone', stage: 'warn', contactedOn: '2026-11-22', outcome: 'not_home' }), newKey())).status).toBe(201);
    expect((await province.post('/api/liff/officer/follow-ups', visit(r09, { kind: 'visit', stage: 'warn', contactedOn: '2026-11-23', outcome: 'met' }), newKey())).status).toBe(201);
    const answer = await province.get<ActivityReport>('/api/liff/officer/reports/activity?asOf=2026-11-23');
    expect(answer.status).toBe(200);
    const { total, from, to } = answer.body;
    expect([from, to]).toEqual(['2026-10-01', '2026-11-23']);
    expect(total).toMatchObject({ contacts: 3, debtorsContacted: 2, promisesMade: 1, promisedAmount: 1_000 * B, promisesDue: 0, promisesOpen: 0 });
    // Promised for 30 Nov: made in the window, due after it.
    expect(total.byKind).toMatchObject({ visit: 2, phone: 1, line: 0 });
    expect(total.byStage).toMatchObject({ follow: 1, warn: 2, check: 0 });
    // As of the day before the visits, none of them had happened.
    const before = await province.get<ActivityReport>('/api/liff/officer/reports/activity?asOf=2026-11-20');
    expect(before.body.total.contacts).toBe(0);
    // Every district is listed, with its zeros: a district where nobody was visited is what the province looks for.
    expect(before.body.areas.map((a) => [a.path, a.figures.contacts])).toEqual([['ตราด/คลองใหญ่', 0], ['ตราด/เมืองตราด', 0]]);
  });

  it('relief measures: answers with every status and level, none yet', async () => {
    const answer = await province.get<MeasuresReport>('/api/liff/officer/reports/measures');
    expect(answer.status).toBe(200);
    expect(Object.values(answer.body.total).every((n) => n === 0)).toBe(true);
    expect(answer.body.areas.map((a) => a.path)).toEqual(['ตราด/คลองใหญ่', 'ตราด/เมืองตราด']);
    expect(answer.body.levels.map((l) => l.level)).toEqual(['district', 'province', 'department']);
  });

  it('relief measures: the time at a level counts what the office took, not an application the borrower withdrew', async () => {
    const day = (n: number) => new Date(Date.parse('2026-11-02T03:00:00Z') + n * 86_400_000);
    const loanOf = async (contractNo: string) => t.context.db.selectFrom('loans').select(['id', 'borrower_id']).where('contract_no', '=', contractNo).executeTakeFirstOrThrow();
    // R03: the district took 4 days, then sent it on. R04: withdrawn by the borrower the day she sent it.
    for (const [contractNo, next, days] of [['R03', 'province_review', 4], ['R04', 'withdrawn', 0]] as const) {
      const loan = await loanOf(contractNo);
      await t.context.db.transaction().execute(async (trx) => {
        const id = (await insertEnrollment(trx, {
          borrowerId: loan.borrower_id, loanId: loan.id, measureCode: 'term_extension', lineUserId: `U-report-${contractNo}`, idempotencyKey: `report-${contractNo}`,
          status: 'district_review', awaitingLevel: 'district', deadlineAt: day(15), reasonCode: null, reason: 'รายได้ลดลง', phone: '0812345678',
          monthlyIncome: null, monthlyExpenses: null, affordablePayment: null, consentVersion: 'test', at: day(0),
        }))!;
        const after = next === 'withdrawn' ? { awaiting_level: null, deadline_at: null } : { awaiting_level: 'province' as const, deadline_at: day(days + 15) };
        await trx.updateTable('enrollments').set({ status: next, ...after }).where('id', '=', id).execute();
        await insertTransition(trx, { enrollmentId: id, occurredAt: day(0), actor: 'borrower:x', fromStatus: null, toStatus: 'district_review', note: null });
        await insertTransition(trx, { enrollmentId: id, occurredAt: day(days), actor: 'x', fromStatus: 'district_review', toStatus: next, note: null });
      });
    }
    const answer = await province.get<MeasuresReport>('/api/liff/officer/reports/measures?asOf=2026-11-23');
    expect(answer.body.levels.find((l) => l.level === 'district')).toMatchObject({ steps: 1, medianDays: 4 });
  });
});

describe('debtor lists by colour and XLSX downloads', () => {
  it('counts debtors per colour and lists one colour, furthest behind first, with contact and measure columns', async () => {
    const all = await province.get<DebtorsReport>('/api/liff/officer/reports/debtors?asOf=2026-11-23');
    // Green: R01 R02; yellow: R11 (suspension); black: R13; red: the rest (R03–R10, R12) — the 1,500 on R05 leaves it red.
    expect(all.body.counts).toEqual({ green: 2, yellow: 1, red: 9, black: 1 });
    const red = await province.get<DebtorsReport>('/api/liff/officer/reports/debtors?asOf=2026-11-23&colour=red');
    // Days past due, then overdue: R12 (8 days, 1,000) before R05 (8 days, the 500 left of November).
    expect(red.body.rows.map((r) => r.contractNos)).toEqual(['R09', 'R08', 'R07', 'R06', 'R10', 'R04', 'R12', 'R05', 'R03']);
    expect(red.body.rows[0]).toMatchObject({ contractNos: 'R09', daysPastDue: 540, lastContactOn: '2026-11-23', lastContact: 'เยี่ยมบ้าน / ตักเตือน' });
    expect(red.body.rows.map((r) => r.daysPastDue)).toEqual([...red.body.rows.map((r) => r.daysPastDue)].sort((a, b) => b - a));
    const yellow = await province.get<DebtorsReport>('/api/liff/officer/reports/debtors?colour=yellow');
    expect(yellow.body.rows).toHaveLength(1);
    expect(yellow.body.rows[0]).toMatchObject({ contractNos: 'R11', measureTitle: expect.stringContaining('พักหนี้'), measureEndsOn: '2027-03-31' });
  });

  it('downloads the debtor list as an XLSX that opens: Thai headers, baht as numbers, dates as dates', async () => {
    const file = await xlsxOf(province, '/api/liff/officer/reports/debtors/xlsx?asOf=2026-11-23');
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    expect(file.nosniff).toBe('nosniff'); // read as what it says it is, never sniffed (found by a security review)
    expect(file.disposition).toContain('wdf-debtors-2026-11-23.xlsx');
    // Saved on the phone under its Thai name and the Buddhist-Era day.
    expect(file.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('รายชื่อลูกหนี้ตามสี 23-11-2569.xlsx')}`);
    const sheet = file.workbook.worksheets[0]!;
    expect(sheet.name).toBe('รายชื่อลูกหนี้');
    const rows = sheetRows(sheet);
    expect(String(rows[0]![0])).toContain('รายชื่อลูกหนี้ตามสี จังหวัดตราด ณ 23 พ.ย. 2569');
    expect(rows[1]).toEqual(expect.arrayContaining(['ชื่อ-สกุล', 'หนี้เกินกำหนดชำระ', 'ติดต่อล่าสุด', 'มาตรการที่เข้าร่วม']));
    const header = rows[1] as string[];
    const data = rows.slice(2, -1);
    expect(data).toHaveLength(13); // R14 paid off, X01 in another province
    // The longest overdue first, as on the screen (it was ordered by id); then a total row.
    const days = data.map((row) => Number(row[header.indexOf('ค้างชำระ (วัน)')] ?? 0));
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(data[0]![header.indexOf('เลขที่สัญญา')]).toBe('R09');
    const total = rows.at(-1)!;
    expect(total[header.indexOf('ชื่อ-สกุล')]).toBe('รวม 13 ราย');
    const sum = (column: string) => data.reduce((acc: number, row) => acc + Number(row[header.indexOf(column)] ?? 0), 0);
    expect(total[header.indexOf('หนี้เกินกำหนดชำระ')]).toBeCloseTo(sum('หนี้เกินกำหนดชำระ'), 2);
    expect(total[header.indexOf('หนี้คงเหลือ')]).toBeCloseTo(sum('หนี้คงเหลือ'), 2);
    expect(sum('หนี้คงเหลือ')).toBeGreaterThan(0);
    const r09 = data.find((row) => row[header.indexOf('เลขที่สัญญา')] === 'R09')!;
    expect(r09[header.indexOf('หนี้เกินกำหนดชำระ')]).toBe(12_000);
    expect(r09[header.indexOf('ค้างชำระ (วัน)')]).toBe(540);
    expect(r09[header.indexOf('ติดต่อล่าสุด')]).toBeInstanceOf(Date);
    expect(sheet.getColumn(header.indexOf('หนี้เกินกำหนดชำระ') + 1).numFmt).toContain('฿');
    // The download is audited.
    const audit = await t.context.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'report.export').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('downloads the ageing report as an XLSX whose figures are the hand table', async () => {
    const file = await xlsxOf(district, '/api/liff/officer/reports/ageing/xlsx?asOf=2026-11-23');
    expect(file.status).toBe(200);
    const rows = sheetRows(file.workbook.getWorksheet('ยอดหนี้ตามอายุ')!);
    const header = rows[1] as string[];
    const total = rows.find((row) => row[0] === 'รวม')!;
    expect(total[header.indexOf('หนี้คงเหลือ')]).toBe(29_500); // 31,000 less the 1,500 paid on R05
    expect(total[header.indexOf('ค้าง 91–180 วัน')]).toBe(7_000);
    expect(total[header.indexOf('หนี้เกินกำหนดชำระ')]).toBe(11_500);
    expect(file.workbook.getWorksheet('จำนวนสัญญาตามอายุ')).toBeDefined();
    for (const kind of ['collections', 'activity', 'measures']) {
      const other = await xlsxOf(province, `/api/liff/officer/reports/${kind}/xlsx`);
      expect(other.status, kind).toBe(200);
      expect(other.workbook.worksheets.length, kind).toBeGreaterThan(0);
    }
    // By area and by measure on sheets of their own: the area sheet ends with its total, and a column sums to it.
    const measures = await xlsxOf(province, '/api/liff/officer/reports/measures/xlsx');
    const byArea = sheetRows(measures.workbook.getWorksheet('คำขอตามสถานะ')!).slice(2) as Array<Array<string | number>>;
    expect(byArea.map((row) => row[0])).toEqual(['อำเภอคลองใหญ่', 'อำเภอเมืองตราด', 'รวม']);
    expect(measures.workbook.getWorksheet('คำขอแยกตามมาตรการ')).toBeDefined();
    expect((await xlsxOf(mentor, '/api/liff/officer/reports/debtors/xlsx')).status).toBe(403);
  });
});

describe('budget allocation (seed 004 §4.1)', () => {
  it('shows each district with its tambons, members and overdue rate', async () => {
    const page = await province.get<AllocationPage>('/api/liff/officer/budget');
    expect(page.status).toBe(200);
    expect(page.body.districts.map((d) => [d.title, d.tambons, d.members])).toEqual([
      ['อำเภอคลองใหญ่', 1, 7],
      ['อำเภอเมืองตราด', 2, 7],
    ]);
    expect((await district.get('/api/liff/officer/budget')).status).toBe(403);
  });

  it('allocates in whole baht summing exactly to the budget, saves who and when, and exports it', async () => {
    const preview = await province.post<AllocationResult>('/api/liff/officer/budget/preview', { budgetBaht: 100_000, weights: { tambons: 1 } });
    expect(preview.status).toBe(200);
    // 1 : 2 tambons → 33,333.33 and 66,666.67: the leftover baht goes to the larger fraction.
    expect(preview.body.districts.map((d) => [d.title, d.amountBaht])).toEqual([
      ['อำเภอคลองใหญ่', 33_333],
      ['อำเภอเมืองตราด', 66_667],
    ]);
    const mixed = await province.post<AllocationResult>('/api/liff/officer/budget/preview', { budgetBaht: 1_605_731, weights: { members: 50, overdue_direct: 30, overdue_inverse: 20 } });
    expect(mixed.body.totalBaht).toBe(1_605_731);
    expect(mixed.body.districts.reduce((s, d) => s + d.amountBaht, 0)).toBe(1_605_731);
    expect(mixed.body.basisTitle).toContain('ผสม');
    const bad = await province.post('/api/liff/officer/budget/preview', { budgetBaht: 100, weights: {} });
    expect(bad.status).toBe(400);

    const saved = await province.post<SavedAllocationView>('/api/liff/officer/budget/allocations', { budgetBaht: 100_000, weights: { tambons: 1 }, title: 'งบอุดหนุน 2570' });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ title: 'งบอุดหนุน 2570', createdByName: 'ปราณี จังหวัด', createdAt: '2026-11-23T03:00:00.000Z', totalBaht: 100_000 });
    const page = await province.get<AllocationPage>('/api/liff/officer/budget');
    expect(page.body.saved.map((s) => s.id)).toEqual([saved.body.id]);

    const file = await xlsxOf(province, `/api/liff/officer/budget/allocations/${saved.body.id}/xlsx`);
    expect(file.status).toBe(200);
    const rows = sheetRows(file.workbook.worksheets[0]!);
    const header = rows[1] as string[];
    const amounts = rows.slice(2).map((row) => [row[0], row[header.indexOf('งบที่ได้รับ (บาท)')]]);
    expect(amounts).toEqual([
      ['อำเภอคลองใหญ่', 33_333],
      ['อำเภอเมืองตราด', 66_667],
      ['รวม', 100_000],
    ]);
  });
});
