// What officers have been doing in the demo province, so their pages have something real to show: a mentor with
// two debtors, visits and calls of the last weeks (with a promise kept, one broken, one still open), a payment
// recorded at the district office. Written through the same services the pages use.
import type { AppContext } from '../context.ts';
import { followUpRequestSchema, paymentRequestSchema } from '../contracts/officer.ts';
import { addDays, bangkokDate } from '../domain/local-date.ts';
import { findLoansByContract } from '../db/repos/loans.repo.ts';
import { fakeLineUserId } from './fake-line-platform.ts';

export const DEMO_MENTOR = { name: 'บุญเรือน ใจดี', role: 'mentor' as const, area: 'ตราด/เมืองตราด/บางพระ', phone: '0812345606', description: 'ทีมพี่เลี้ยง ตำบลบางพระ · เห็นเฉพาะลูกหนี้ที่ได้รับมอบหมาย' };

export async function recordDemoOfficerWork(context: AppContext): Promise<void> {
  const { officerWorkspace: workspace } = context.services;
  const now = context.clock.now();
  const today = bangkokDate(now);
  const as = (name: string) => workspace.resolveCaller(fakeLineUserId(`demo-officer:${name}`));
  const tambon = await as('กาญจนา ศรีวงศ์');
  const district = await as('วิชัย ทองดี');
  const mentor = await as(DEMO_MENTOR.name);
  const loans = await findLoansByContract(context.db, ['TRT-2566-0002', 'TRT-2566-0012', 'TRT-2565-0003', 'TRT-2567-0014']);
  const borrowerOf = async (contractNo: string) => {
    const page = await workspace.listDebtors(district, { q: contractNo, page: 1, pageSize: 1 });
    return page.items[0]!.borrowerId;
  };
  const malee = await borrowerOf('TRT-2566-0002');
  const arunee = await borrowerOf('TRT-2566-0012');
  const boonmee = await borrowerOf('TRT-2565-0003');
  const rerai = await borrowerOf('TRT-2567-0014');
  if (loans.size < 4) return;

  await workspace.assignMentor(tambon, malee, mentor.id);
  await workspace.assignMentor(tambon, arunee, mentor.id);

  const record = (caller: typeof tambon, key: string, body: Record<string, unknown>) =>
    workspace.recordFollowUp(caller, `demo-${key}`, () => followUpRequestSchema.parse(body));
  // บุญมี: a visit three weeks ago with a promise that came and went.
  await record(district, 'boonmee-visit', {
    borrowerId: boonmee, contractNo: null, kind: 'visit', stage: 'warn', contactedOn: addDays(today, -20), outcome: 'promised',
    note: 'เยี่ยมบ้าน พบตัว รับปากว่าจะนำเงินมาชำระหลังขายผลผลิต', nextActionOn: addDays(today, -8), photoIds: [],
    promise: { amountSatang: 200_000, promisedOn: addDays(today, -10), contractNo: null },
  });
  // มาลี: the mentor's visit last week, a promise for this week, and part paid at the district office.
  await record(mentor, 'malee-visit', {
    borrowerId: malee, contractNo: null, kind: 'visit', stage: 'follow', contactedOn: addDays(today, -6), outcome: 'promised',
    note: 'คุยกับลูกหนี้ที่บ้าน ขายของได้น้อยช่วงหน้าฝน จะทยอยชำระ', nextActionOn: addDays(today, 2), photoIds: [],
    promise: { amountSatang: 150_000, promisedOn: addDays(today, 3), contractNo: null },
  });
  await workspace.recordPayment(district, 'demo-malee-payment', () =>
    paymentRequestSchema.parse({ contractNo: 'TRT-2566-0002', amountSatang: 50_000, paidOn: addDays(today, -2), channel: 'counter', receiptNo: 'อ.มต. 2569/0412' }),
  );
  // เรไร (not in LINE yet): a forum two weeks ago, a promise that passed without a payment.
  await record(tambon, 'rerai-forum', {
    borrowerId: rerai, contractNo: null, kind: 'forum', stage: 'check', contactedOn: addDays(today, -14), outcome: 'promised',
    note: 'พบที่เวทีประชาคมหมู่บ้าน แจ้งว่าจะชำระงวดที่ค้างหลังได้ค่าแรง', nextActionOn: null, photoIds: [],
    promise: { amountSatang: 100_000, promisedOn: addDays(today, -5), contractNo: null },
  });
  // อรุณี: a call that nobody answered; the tambon officer will try again tomorrow.
  await record(tambon, 'arunee-call', {
    borrowerId: arunee, contractNo: null, kind: 'phone', stage: 'contact', contactedOn: addDays(today, -3), outcome: 'not_home',
    note: 'โทรสองครั้งไม่มีผู้รับสาย', nextActionOn: addDays(today, 1), photoIds: [],
  });
  await workspace.judgeDuePromises(now);
}
