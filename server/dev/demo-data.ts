// Demo data for simulator mode: one province (ตราด) with a few districts, borrowers of every colour,
// officers at each level, and LINE personas already linked. Loaded through the real import and linking code.
import type { AppContext } from '../context.ts';
import { addDays, addMonths, bangkokDate, type LocalDate } from '../domain/local-date.ts';
import { applyPaidTotal, generateSchedule, installmentTotal, principalPaidOf, type RepaymentFrequency } from '../domain/loan-schedule.ts';
import { nationalIdCheckDigit } from '../domain/thai-national-id.ts';
import type { OfficerRole } from '../db/schema.ts';
import { countBorrowers, findBorrowerById } from '../db/repos/borrowers.repo.ts';
import { findIdentity, isLinked } from '../db/repos/line-accounts.repo.ts';
import { findOfficerById } from '../db/repos/officers.repo.ts';
import { findLoansByContract } from '../db/repos/loans.repo.ts';
import { insertLoanMeasure } from '../db/repos/restructuring.repo.ts';
import { fakeLineUserId } from './fake-line-platform.ts';
import { DEMO_MENTOR, recordDemoOfficerWork } from './demo-officer-work.ts';

export const DEMO_PROVINCE = 'ตราด';

interface DemoLoan {
  contractNo: string;
  name: string;
  area: string;
  principalBaht: number;
  ratePercent: number;
  installments: number;
  frequency: RepaymentFrequency;
  /** First due date relative to today, in months (negative = in the past). */
  firstDueMonthsAgo: number;
  /** Installments due on or before this day (relative to today) count as paid. */
  paidThroughDaysAgo: number | 'none' | 'all';
  litigation?: boolean;
  /** Shift the first due date by days, to land a due date exactly where a story needs it. */
  dueDayShift?: number;
}

export interface DemoPersona {
  lineUserId: string;
  label: string;
  kind: 'borrower' | 'officer' | 'guest';
  description: string;
  linkCode?: string;
  /** Read from the database each time (the operator's own registry), not made once (the demo). */
  live?: true;
}

const DEMO_LOANS: DemoLoan[] = [
  { contractNo: 'TRT-2566-0001', name: 'สมศรี ใจดี', area: 'เมืองตราด/บางพระ', principalBaht: 30000, ratePercent: 3, installments: 24, frequency: 'monthly', firstDueMonthsAgo: 6, paidThroughDaysAgo: 0, dueDayShift: 10 },
  { contractNo: 'TRT-2566-0002', name: 'มาลี ทองคำ', area: 'เมืองตราด/บางพระ', principalBaht: 50000, ratePercent: 3, installments: 36, frequency: 'monthly', firstDueMonthsAgo: 10, paidThroughDaysAgo: 45 },
  { contractNo: 'TRT-2565-0003', name: 'บุญมี ศรีสุข', area: 'เมืองตราด/วังกระแจะ', principalBaht: 80000, ratePercent: 4, installments: 12, frequency: 'quarterly', firstDueMonthsAgo: 18, paidThroughDaysAgo: 120 },
  { contractNo: 'TRT-2564-0004', name: 'ประไพ แก้วมณี', area: 'เมืองตราด/วังกระแจะ', principalBaht: 40000, ratePercent: 3, installments: 24, frequency: 'monthly', firstDueMonthsAgo: 30, paidThroughDaysAgo: 400, litigation: true },
  { contractNo: 'TRT-2566-0005', name: 'จันทร์เพ็ญ รุ่งเรือง', area: 'แหลมงอบ/แหลมงอบ', principalBaht: 60000, ratePercent: 3, installments: 36, frequency: 'monthly', firstDueMonthsAgo: 12, paidThroughDaysAgo: 60 },
  { contractNo: 'TRT-2566-0006', name: 'สุดา พรหมมา', area: 'แหลมงอบ/บางปิด', principalBaht: 20000, ratePercent: 3, installments: 12, frequency: 'monthly', firstDueMonthsAgo: 4, paidThroughDaysAgo: 0 },
  { contractNo: 'TRT-2566-0007', name: 'สุดา พรหมมา', area: 'แหลมงอบ/บางปิด', principalBaht: 35000, ratePercent: 3, installments: 24, frequency: 'monthly', firstDueMonthsAgo: 8, paidThroughDaysAgo: 20 },
  { contractNo: 'TRT-2567-0008', name: 'วันเพ็ญ สายทอง', area: 'คลองใหญ่/คลองใหญ่', principalBaht: 25000, ratePercent: 3, installments: 24, frequency: 'monthly', firstDueMonthsAgo: 3, paidThroughDaysAgo: 1, dueDayShift: 0 },
  { contractNo: 'TRT-2567-0009', name: 'ละเอียด มีสุข', area: 'คลองใหญ่/คลองใหญ่', principalBaht: 15000, ratePercent: 3, installments: 12, frequency: 'monthly', firstDueMonthsAgo: 2, paidThroughDaysAgo: 0, dueDayShift: 3 },
  { contractNo: 'TRT-2565-0010', name: 'กลุ่มสตรีทอผ้าบ้านหาดเล็ก', area: 'คลองใหญ่/หาดเล็ก', principalBaht: 200000, ratePercent: 2, installments: 12, frequency: 'quarterly', firstDueMonthsAgo: 15, paidThroughDaysAgo: 0 },
  { contractNo: 'TRT-2564-0011', name: 'คำปุน ดวงดี', area: 'คลองใหญ่/หาดเล็ก', principalBaht: 45000, ratePercent: 3, installments: 5, frequency: 'yearly', firstDueMonthsAgo: 26, paidThroughDaysAgo: 0 },
  { contractNo: 'TRT-2566-0012', name: 'อรุณี แสงทอง', area: 'เมืองตราด/บางพระ', principalBaht: 30000, ratePercent: 3, installments: 24, frequency: 'monthly', firstDueMonthsAgo: 5, paidThroughDaysAgo: 10 },
  { contractNo: 'TRT-2563-0013', name: 'ทองใบ นาคสวัสดิ์', area: 'เมืองตราด/บางพระ', principalBaht: 12000, ratePercent: 3, installments: 12, frequency: 'monthly', firstDueMonthsAgo: 20, paidThroughDaysAgo: 'all' },
  { contractNo: 'TRT-2567-0014', name: 'เรไร บุญมา', area: 'เมืองตราด/บางพระ', principalBaht: 20000, ratePercent: 3, installments: 24, frequency: 'monthly', firstDueMonthsAgo: 4, paidThroughDaysAgo: 35 },
];

const DEMO_OFFICERS: Array<{ name: string; role: OfficerRole; area?: string; phone: string; description: string }> = [
  { name: 'กาญจนา ศรีวงศ์', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ', phone: '0812345601', description: 'พัฒนากรประจำตำบลบางพระ' },
  { name: 'อัมพร ชื่นใจ', role: 'tambon', area: 'ตราด/คลองใหญ่/หาดเล็ก', phone: '0812345602', description: 'พัฒนากรประจำตำบลหาดเล็ก' },
  { name: 'วิชัย ทองดี', role: 'district', area: 'ตราด/เมืองตราด', phone: '0812345603', description: 'สำนักงานพัฒนาชุมชนอำเภอเมืองตราด' },
  { name: 'พรทิพย์ ใจงาม', role: 'province', area: 'ตราด', phone: '0812345604', description: 'กองทุนพัฒนาบทบาทสตรีจังหวัดตราด' },
  { name: 'สมชาย รักชาติ', role: 'department', phone: '0812345605', description: 'กรมการพัฒนาชุมชน' },
  DEMO_MENTOR,
];

/** Personas already linked in the demo; เรไร is left for the "new user" persona to link with a code. */
const UNLINKED_DEMO_BORROWER = 'TRT-2567-0014';

/** Filler borrowers so area summaries look like a real district. A fixed seed keeps them the same each start. */
const FILLER_NAMES = ['สมใจ', 'บุษบา', 'ลำดวน', 'นงลักษณ์', 'พิมพา', 'รัตนา', 'ศิริพร', 'อำไพ', 'ประภา', 'จำปา', 'มณี', 'สายใจ'];
const FILLER_SURNAMES = ['ทองสุข', 'ใจงาม', 'ศรีสวัสดิ์', 'บุญเรือง', 'แสงจันทร์', 'มั่นคง', 'พูลผล', 'ชัยมงคล'];
const FILLER_AREAS = ['เมืองตราด/บางพระ', 'เมืองตราด/วังกระแจะ', 'แหลมงอบ/แหลมงอบ', 'แหลมงอบ/บางปิด', 'คลองใหญ่/คลองใหญ่', 'คลองใหญ่/หาดเล็ก'];

function demoNationalId(index: number): string {
  const first12 = `31099${String(index).padStart(7, '0')}`;
  return `${first12}${nationalIdCheckDigit(first12)}`;
}

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function fillerLoans(): DemoLoan[] {
  const random = seededRandom(2569);
  const loans: DemoLoan[] = [];
  for (let i = 0; i < 120; i++) {
    const roll = random();
    loans.push({
      contractNo: `TRT-F-${String(i + 1).padStart(4, '0')}`,
      name: `${FILLER_NAMES[i % FILLER_NAMES.length]} ${FILLER_SURNAMES[Math.floor(random() * FILLER_SURNAMES.length)]}`,
      area: FILLER_AREAS[i % FILLER_AREAS.length]!,
      principalBaht: 10_000 + Math.floor(random() * 9) * 5_000,
      ratePercent: 3,
      installments: 24,
      frequency: 'monthly',
      firstDueMonthsAgo: 3 + Math.floor(random() * 12),
      // About one in twelve behind on payments, a few in litigation: a district near the 5 % target.
      paidThroughDaysAgo: roll < 0.08 ? 30 + Math.floor(random() * 150) : 0,
      litigation: roll > 0.985,
    });
  }
  return loans;
}

function paidTotalFor(loan: DemoLoan, firstDueOn: LocalDate, today: LocalDate): number {
  const schedule = generateSchedule({
    principal: loan.principalBaht * 100,
    annualInterestBp: loan.ratePercent * 100,
    installmentCount: loan.installments,
    frequency: loan.frequency,
    firstDueOn,
  });
  if (loan.paidThroughDaysAgo === 'none') return 0;
  if (loan.paidThroughDaysAgo === 'all') return schedule.reduce((sum, i) => sum + installmentTotal(i), 0);
  const paidThrough = addDays(today, -loan.paidThroughDaysAgo);
  return schedule.filter((i) => i.dueOn <= paidThrough).reduce((sum, i) => sum + installmentTotal(i), 0);
}

function registryCsv(loans: DemoLoan[], today: LocalDate): string {
  const header = 'contract_no,national_id,full_name,phone,province,district,subdistrict,principal,annual_interest_rate,installments,frequency,first_due_on,paid_total,litigation';
  const idOfName = new Map<string, number>();
  const lines = loans.map((loan) => {
    if (!idOfName.has(loan.name)) idOfName.set(loan.name, idOfName.size + 1);
    const personIndex = idOfName.get(loan.name)!;
    const [district, subdistrict] = loan.area.split('/');
    const firstDueOn = addDays(addMonths(today, -loan.firstDueMonthsAgo), loan.dueDayShift ?? -2);
    const paid = paidTotalFor(loan, firstDueOn, today);
    const phone = `08${String(10_000_000 + personIndex * 7919).slice(0, 8)}`;
    return [
      loan.contractNo, demoNationalId(personIndex), loan.name, phone, DEMO_PROVINCE, district, subdistrict,
      `"${loan.principalBaht.toLocaleString('en-US')}.00"`, loan.ratePercent, loan.installments, loan.frequency, firstDueOn,
      (paid / 100).toFixed(2), loan.litigation ? 'true' : 'false',
    ].join(',');
  });
  return `${header}\n${lines.join('\n')}\n`;
}

/** The principal still owed on a registry loan once `paidTotal` is applied (oldest first, interest before principal). */
function principalOutstandingAfter(loan: { principal: number; annualInterestBp: number; installmentCount: number; frequency: RepaymentFrequency; firstDueOn: LocalDate }, paidTotal: number): number {
  const paid = applyPaidTotal(generateSchedule(loan), paidTotal);
  return loan.principal - paid.reduce((sum, installment) => sum + principalPaidOf(installment), 0);
}

/** LINE users of the simulator for a database that holds the operator's own registry, not the demo. */
async function ownRegistryPersonas(context: AppContext): Promise<DemoPersona[]> {
  const personas: DemoPersona[] = [];
  for (let n = 1; n <= OWN_REGISTRY_USERS; n++) {
    const lineUserId = fakeLineUserId(`simulator-user-${n}`);
    const identity = await findIdentity(context.db, lineUserId);
    const label = `ผู้ใช้ LINE ${n}`;
    if (identity.kind === 'borrower') {
      const borrower = await findBorrowerById(context.db, identity.borrowerId);
      personas.push({ lineUserId, label: borrower?.fullName ?? label, kind: 'borrower', description: `${label} · ผูกกับผู้กู้ในทะเบียนแล้ว`, live: true });
    } else if (identity.kind === 'officer') {
      const officer = await findOfficerById(context.db, identity.officerId);
      personas.push({ lineUserId, label: officer?.fullName ?? label, kind: 'officer', description: `${label} · ผูกเป็นเจ้าหน้าที่แล้ว`, live: true });
    } else {
      personas.push({ lineUserId, label, kind: 'guest', description: 'ยังไม่ผูกบัญชี · พิมพ์รหัสจาก npm run cli -- link-code officer … หรือ link-code borrower …', live: true });
    }
  }
  for (const persona of personas) context.fakeLine?.addUser(persona.lineUserId, persona.label);
  await context.services.richMenus?.sweep();
  return personas;
}

/** How many LINE users the simulator offers for the operator's own registry. */
const OWN_REGISTRY_USERS = 4;

/** Loads the demo registry once (an empty database) and returns the personas for the simulator page. */
export async function ensureDemoData(context: AppContext): Promise<DemoPersona[]> {
  const { db } = context;
  const { registry, linking } = context.services;
  const now = context.clock.now();
  const today = bangkokDate(now);
  const meta = { actor: 'simulator', at: now };

  if ((await countBorrowers(db)) === 0) {
    const result = await registry.importCsv(registryCsv([...DEMO_LOANS, ...fillerLoans()], today), { ...meta, fileName: 'demo-registry.csv' });
    if (!result.ok) throw new Error(`demo registry did not import: ${JSON.stringify(result)}`);
    // จันทร์เพ็ญ joined พักหนี้ไม่พักจ่าย two months ago: the yellow debtor of the demo.
    // Recorded as the district office would have two months ago, without a new schedule: her arrears are held
    // back, and the 1,500 baht she paid since went wholly to principal.
    const yellow = (await findLoansByContract(db, ['TRT-2566-0005'])).get('TRT-2566-0005')!;
    const paidSince = 150_000;
    await db.transaction().execute((trx) =>
      insertLoanMeasure(trx, {
        loanId: yellow.id, measureCode: 'keep_paying', startsOn: addMonths(today, -2), endsOn: addMonths(today, 10), enrollmentId: null, at: now,
        paidTotalAtStart: yellow.paidTotal - paidSince, principalOutstandingAtStart: principalOutstandingAfter(yellow, yellow.paidTotal - paidSince),
      }),
    );

    for (const loan of DEMO_LOANS) {
      if (loan.contractNo === UNLINKED_DEMO_BORROWER) continue;
      const { code } = await linking.issueBorrowerCode({ contractNo: loan.contractNo }, meta);
      await linking.redeem(fakeLineUserId(`demo-borrower:${loan.name}`), code, now);
    }
    for (const officer of DEMO_OFFICERS) {
      const { code } = await linking.issueOfficerCode({ fullName: officer.name, role: officer.role, areaPath: officer.area, phone: officer.phone }, meta);
      await linking.redeem(fakeLineUserId(`demo-officer:${officer.name}`), code, now);
    }
    await recordDemoOfficerWork(context);
  }

  // A database with its own registry (imported before the simulator was first opened): no demo people to offer, but
  // LINE users to link with the codes the operator issues, and back as whoever they linked to on the next visit.
  if ((await findLoansByContract(db, [UNLINKED_DEMO_BORROWER])).size === 0) return ownRegistryPersonas(context);

  const newcomer = fakeLineUserId('demo-newcomer');
  const newcomerCode = (await isLinked(db, newcomer)) ? undefined : (await linking.issueBorrowerCode({ contractNo: UNLINKED_DEMO_BORROWER }, meta)).displayCode;

  const seen = new Set<string>();
  const personas: DemoPersona[] = [];
  for (const loan of DEMO_LOANS) {
    if (loan.contractNo === UNLINKED_DEMO_BORROWER || seen.has(loan.name)) continue;
    seen.add(loan.name);
    personas.push({ lineUserId: fakeLineUserId(`demo-borrower:${loan.name}`), label: loan.name, kind: 'borrower', description: `ผู้กู้ · ${loan.area.replace('/', ' / ')}` });
  }
  for (const officer of DEMO_OFFICERS) {
    personas.push({ lineUserId: fakeLineUserId(`demo-officer:${officer.name}`), label: officer.name, kind: 'officer', description: officer.description });
  }
  personas.push({
    lineUserId: newcomer,
    label: 'ผู้ใช้ใหม่ (เรไร บุญมา)',
    kind: 'guest',
    description: newcomerCode ? `ยังไม่ผูกบัญชี · พิมพ์รหัส ${newcomerCode} เพื่อผูกบัญชี` : 'ผูกบัญชีแล้ว',
    ...(newcomerCode ? { linkCode: newcomerCode } : {}),
  });
  for (const persona of personas) context.fakeLine?.addUser(persona.lineUserId, persona.label);
  // The personas were linked directly: give each the rich menu of their role now, as linking in chat would.
  await context.services.richMenus?.sweep();
  return personas;
}
