// The officers' reports and the budget allocation: /api/liff/officer/reports/* request and response shapes, shared
// by the server and the mini-app (extend, never rename). Imports only zod. Amounts are integer satang unless the name
// says baht; ratios are 0–1; rates named …Percent are percent.
import { z } from 'zod';
import { COLOURS, type Colour, type FollowUpKind, type FollowUpStage } from './officer.ts';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'วันที่ไม่ถูกต้อง');

export const REPORT_KINDS = ['ageing', 'collections', 'activity', 'measures', 'debtors'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_KIND_THAI: Record<ReportKind, string> = {
  ageing: 'อายุหนี้และหนี้เสี่ยง (PAR)',
  collections: 'ผลการรับชำระ',
  activity: 'การติดตาม 5 ต. และนัดชำระ',
  measures: 'คำขอเข้าร่วมมาตรการ',
  debtors: 'รายชื่อลูกหนี้ตามสี',
};

/** Every report: an area the officer may see (path; default their own) and a day (default today, Bangkok). */
export const reportQuerySchema = z.object({
  area: z
    .string()
    .trim()
    .max(200, 'พื้นที่ไม่ถูกต้อง')
    .optional()
    .transform((value) => value || undefined),
  asOf: localDate.optional(),
  colour: z.enum(COLOURS, { error: 'สีไม่ถูกต้อง (green, yellow, red, black)' }).optional(),
});
export type ReportQuery = z.output<typeof reportQuerySchema>;

export interface ReportScope {
  /** The area reported on (null: the whole country). */
  path: string | null;
  title: string;
  asOf: string;
  /** The areas the officer may switch to: their own and everything under it, down to the tambons of this one. */
  choices: Array<{ path: string | null; title: string }>;
}

export const AGEING_ROW_KEYS_CONTRACT = ['current', '1-30', '31-60', '61-90', '91-180', '181-360', 'over-360', 'restructured', 'suspended'] as const;
export type AgeingRowKeyContract = (typeof AGEING_ROW_KEYS_CONTRACT)[number];
export const AGEING_ROW_THAI: Record<AgeingRowKeyContract, string> = {
  current: 'ไม่ค้างชำระ',
  '1-30': 'ค้าง 1–30 วัน',
  '31-60': 'ค้าง 31–60 วัน',
  '61-90': 'ค้าง 61–90 วัน',
  '91-180': 'ค้าง 91–180 วัน',
  '181-360': 'ค้าง 181–360 วัน',
  'over-360': 'ค้างเกิน 360 วัน',
  restructured: 'ปรับโครงสร้างหนี้แล้ว',
  suspended: 'พักชำระหนี้ตามมาตรการ',
};

export interface AgeingFigures {
  rows: Array<{ key: AgeingRowKeyContract; loans: number; outstanding: number; overdue: number }>;
  loans: number;
  outstanding: number;
  overdue: number;
  par1: number;
  par30: number;
  par90: number;
  overdueRatePercent: number;
  meetsTarget: boolean;
  restructuredOver30: number;
}

export interface AgeingReport {
  scope: ReportScope;
  total: AgeingFigures;
  areas: Array<{ path: string; title: string; figures: AgeingFigures }>;
}

export const COLLECTION_WINDOWS = ['month', 'quarter', 'year'] as const;
export type CollectionWindowKey = (typeof COLLECTION_WINDOWS)[number];
export const COLLECTION_WINDOW_THAI: Record<CollectionWindowKey, string> = { month: 'เดือนนี้', quarter: 'ไตรมาสนี้', year: 'ปีงบประมาณนี้' };

export interface CollectionFigures {
  due: number;
  collected: number;
  /** collected ÷ due; null when nothing was due. */
  rate: number | null;
}

export interface CollectionsReport {
  scope: ReportScope;
  windows: Array<{ key: CollectionWindowKey; title: string; from: string; to: string }>;
  total: Record<CollectionWindowKey, CollectionFigures>;
  areas: Array<{ path: string; title: string; figures: Record<CollectionWindowKey, CollectionFigures> }>;
}

export interface ActivityFigures {
  contacts: number;
  debtorsContacted: number;
  byKind: Record<FollowUpKind, number>;
  byStage: Record<FollowUpStage, number>;
  promisesMade: number;
  promisedAmount: number;
  promisesDue: number;
  promisesKept: number;
  promisesPartlyKept: number;
  promisesBroken: number;
  promisesOpen: number;
}

export interface ActivityReport {
  scope: ReportScope;
  from: string;
  to: string;
  total: ActivityFigures;
  areas: Array<{ path: string; title: string; figures: ActivityFigures }>;
}

export const APPLICATION_STATUS_KEYS = ['district_review', 'province_review', 'department_review', 'needs_documents', 'approved', 'rejected', 'withdrawn'] as const;
export type ApplicationStatusKey = (typeof APPLICATION_STATUS_KEYS)[number];

export interface MeasuresReport {
  scope: ReportScope;
  statusTitles: Record<ApplicationStatusKey, string>;
  total: Record<ApplicationStatusKey, number>;
  areas: Array<{ path: string; title: string; counts: Record<ApplicationStatusKey, number> }>;
  byMeasure: Array<{ code: string; title: string; counts: Record<ApplicationStatusKey, number> }>;
  levels: Array<{ level: 'district' | 'province' | 'department'; title: string; steps: number; medianDays: number | null }>;
  overdue: Array<{ enrollmentId: number; fullName: string; areaTitle: string; contractNo: string; measureTitle: string; levelTitle: string; deadlineAt: string; daysLate: number }>;
}

export interface DebtorReportRow {
  borrowerId: number;
  fullName: string;
  phone: string | null;
  areaTitle: string;
  contractNos: string;
  colour: Colour;
  overdue: number;
  outstanding: number;
  daysPastDue: number;
  lastContactOn: string | null;
  lastContact: string | null;
  measureTitle: string | null;
  measureEndsOn: string | null;
  nextPromiseOn: string | null;
}

export interface DebtorsReport {
  scope: ReportScope;
  colour: Colour | null;
  counts: Record<Colour, number>;
  total: number;
  /** The first rows, furthest behind first; the XLSX has them all. */
  rows: DebtorReportRow[];
  shown: number;
}

// ---------- budget allocation (seed 004 §4.1) ----------

export const ALLOCATION_BASIS_KEYS = ['tambons', 'members', 'overdue_direct', 'overdue_inverse'] as const;
export type AllocationBasisKey = (typeof ALLOCATION_BASIS_KEYS)[number];
export const ALLOCATION_BASIS_THAI: Record<AllocationBasisKey, { title: string; explain: string }> = {
  tambons: { title: 'จำนวนตำบล', explain: 'อำเภอที่มีตำบลมากได้มาก' },
  members: { title: 'จำนวนสมาชิก', explain: 'ตามจำนวนสมาชิก (ลูกหนี้ในทะเบียน) ของอำเภอ' },
  overdue_direct: { title: 'ร้อยละหนี้เกินกำหนด (ผันตรง)', explain: 'อำเภอที่หนี้เกินกำหนดสูงได้มาก เพื่อใช้แก้ปัญหาหนี้' },
  overdue_inverse: { title: 'ร้อยละหนี้เกินกำหนด (ผกผัน)', explain: 'ตามสัดส่วนหนี้ที่ไม่เกินกำหนด (100 − ร้อยละหนี้เกินกำหนด) อำเภอที่ชำระดีได้มาก' },
};

export const allocationRequestSchema = z.object({
  budgetBaht: z.coerce
    .number({ error: 'กรุณากรอกงบประมาณเป็นบาท' })
    .int('งบประมาณต้องเป็นจำนวนบาทเต็ม')
    .positive('งบประมาณต้องมากกว่า 0 บาท')
    .max(10_000_000_000, 'งบประมาณสูงเกินไป'),
  weights: z
    .object(Object.fromEntries(ALLOCATION_BASIS_KEYS.map((key) => [key, z.coerce.number().min(0, 'น้ำหนักต้องไม่ติดลบ').max(100, 'น้ำหนักไม่เกิน 100').default(0)])) as Record<
      AllocationBasisKey,
      z.ZodDefault<z.ZodCoercedNumber>
    >)
    .refine((weights) => Object.values(weights).some((weight) => weight > 0), 'กรุณาเลือกฐานการจัดสรรอย่างน้อยหนึ่งฐาน'),
  title: z
    .string()
    .trim()
    .max(200, 'ชื่อรายการยาวเกินไป')
    .optional()
    .transform((value) => value || undefined),
  asOf: localDate.optional(),
});
export type AllocationRequest = z.output<typeof allocationRequestSchema>;

export interface AllocationDistrict {
  path: string;
  title: string;
  tambons: number;
  members: number;
  overdueRatePercent: number;
  share: number;
  amountBaht: number;
}

export interface AllocationResult {
  provincePath: string;
  provinceTitle: string;
  asOf: string;
  budgetBaht: number;
  weights: Record<AllocationBasisKey, number>;
  basisTitle: string;
  districts: AllocationDistrict[];
  totalBaht: number;
}

export interface SavedAllocationView extends AllocationResult {
  id: number;
  title: string;
  createdByName: string;
  createdAt: string;
}

export interface AllocationPage {
  provincePath: string;
  provinceTitle: string;
  asOf: string;
  districts: Array<Omit<AllocationDistrict, 'share' | 'amountBaht'>>;
  saved: SavedAllocationView[];
}
