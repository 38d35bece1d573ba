// The LIFF mini-app's API: request and response shapes, shared by the server and the mini-app (and relied on
// by other tools). Imports only zod. Amounts in responses are integer satang; amounts the borrower types are baht.
// Every message a person can trigger is polite Thai, so the same text shows beside the field in the app.
import { z } from 'zod';

// ---------- shared values ----------

export const ENROLLMENT_STATUS_VALUES = [
  'district_review',
  'province_review',
  'department_review',
  'needs_documents',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export const enrollmentStatusSchema = z.enum(ENROLLMENT_STATUS_VALUES);
export type EnrollmentStatusValue = z.infer<typeof enrollmentStatusSchema>;

export const debtorStatusSchema = z.enum(['normal', 'in_measure', 'defaulted', 'litigation']);
export const reviewLevelSchema = z.enum(['district', 'province', 'department']);

/** Why the borrower asks for help; free text goes beside it. */
export const REASON_CODES = ['income_lost', 'illness', 'disaster', 'family_burden', 'other'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
/** One of REASON_CODES from the mini-app; other tools may send their own short code beside the free text. */
export const reasonCodeSchema = z.string({ error: 'รหัสสาเหตุไม่ถูกต้อง' }).trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'รหัสสาเหตุไม่ถูกต้อง');
export const REASON_CODE_THAI: Record<ReasonCode, string> = {
  income_lost: 'รายได้ลดลงหรือขาดรายได้',
  illness: 'เจ็บป่วยหรือประสบอุบัติเหตุ',
  disaster: 'ประสบภัยพิบัติ เช่น น้ำท่วม ภัยแล้ง',
  family_burden: 'ภาระครอบครัวเพิ่มขึ้น',
  other: 'อื่น ๆ',
};

export const ACCEPTED_DOCUMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type DocumentContentType = (typeof ACCEPTED_DOCUMENT_TYPES)[number];
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_SUBMISSION = 3;

/** The version of the privacy notice the borrower agrees to; stored with each application. */
export const PRIVACY_NOTICE_VERSION = 'pdpa-enrollment-2569-1';

const isoInstant = z.string();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const satang = z.number().int();

// ---------- requests ----------

/** "๐๘๑" → "081": Thai digits as people type them (contracts import nothing but zod, so not domain/thai-text). */
const asciiDigits = (text: string) => text.replace(/[๐-๙]/g, (digit) => String(digit.charCodeAt(0) - 0x0e50));

/** Money the borrower types, in baht: a number or text such as "12,500.50"; at most two decimals. */
function bahtAmount(label: string) {
  return z.preprocess(
    (value) => {
      if (value === null || value === '') return undefined;
      if (typeof value !== 'string') return value;
      // As people type it: Thai digits, spaces, the baht sign or the word.
      const text = asciiDigits(value).replace(/\s|฿|บาท/g, '');
      return /^-?[\d,]+(\.\d+)?$/.test(text) ? Number(text.replaceAll(',', '')) : value;
    },
    z
      .number({ error: `${label}ต้องเป็นตัวเลข (บาท)` })
      .min(0, `${label}ต้องไม่ติดลบ`)
      .max(10_000_000, `${label}สูงเกินไป กรุณาตรวจสอบอีกครั้ง`)
      .refine((baht) => Math.abs(baht * 100 - Math.round(baht * 100)) < 1e-6, `${label}มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง`)
      .optional(),
  );
}

export const phoneSchema = z
  .string({ error: 'กรุณากรอกเบอร์โทรศัพท์ที่ติดต่อได้' })
  // "081-234 5678", "๐๘๑.๒๓๔.๕๖๗๘" and "+66 81 234 5678" are the same number: stored as 0812345678.
  .transform((value) => asciiDigits(value).replace(/[\s().-]/g, '').replace(/^\+66/, '0'))
  .pipe(
    z
      .string()
      .min(1, { error: 'กรุณากรอกเบอร์โทรศัพท์ที่ติดต่อได้', abort: true })
      .regex(/^0\d{8,9}$/, { error: 'เบอร์โทรศัพท์ไม่ถูกต้อง กรุณากรอกตัวเลข 9–10 หลัก เช่น 0812345678', abort: true })
      // A mobile (06, 08, 09) has 10 digits; only a landline (02, 03, 04, 05, 07) has 9. A digit short is a number
      // the officer cannot call back.
      .refine((phone) => !/^0[689]/.test(phone) || phone.length === 10, { error: (issue) => `เบอร์มือถือต้องมี 10 หลัก ที่กรอกมี ${String(issue.input).length} หลัก กรุณาตรวจสอบอีกครั้ง เช่น 0812345678` })
      .refine((phone) => /^0[689]/.test(phone) || /^0[2-57]\d{7}$/.test(phone), { message: 'เบอร์โทรศัพท์ไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง เช่น 0812345678 หรือ 021234567' }),
  );

export const documentIdSchema = z.uuid({ error: 'รหัสเอกสารไม่ถูกต้อง กรุณาแนบไฟล์ใหม่อีกครั้ง' });

export const enrollmentRequestSchema = z.object(
  {
    contractNo: z.string({ error: 'กรุณาเลือกสัญญาเงินกู้' }).trim().min(1, 'กรุณาเลือกสัญญาเงินกู้').max(40, 'เลขที่สัญญายาวเกินไป'),
    measureCode: z.string({ error: 'กรุณาเลือกมาตรการ' }).trim().min(1, 'กรุณาเลือกมาตรการ').max(40, 'รหัสมาตรการไม่ถูกต้อง'),
    reasonCode: reasonCodeSchema.nullish().transform((value) => value ?? undefined),
    reason: z
      .string({ error: 'กรุณาเล่าเหตุผลที่ขอเข้าร่วมมาตรการ' })
      .trim()
      .min(3, 'กรุณาเล่าเหตุผลสั้น ๆ ที่ขอเข้าร่วมมาตรการ')
      .max(1000, 'เหตุผลยาวเกินไป กรุณาเขียนไม่เกิน 1,000 ตัวอักษร'),
    phone: phoneSchema,
    consent: z.literal(true, { error: 'กรุณาอ่านประกาศการใช้ข้อมูลส่วนตัวและกดยินยอมก่อนส่งคำขอ' }),
    monthlyIncome: bahtAmount('รายได้ครัวเรือนต่อเดือน'),
    monthlyExpenses: bahtAmount('รายจ่ายครัวเรือนต่อเดือน'),
    affordableMonthlyPayment: bahtAmount('จำนวนเงินที่ผ่อนได้ต่อเดือน'),
    documentIds: z
      .array(documentIdSchema, { error: 'รายการเอกสารไม่ถูกต้อง' })
      .max(MAX_DOCUMENTS_PER_SUBMISSION, `แนบเอกสารได้ไม่เกิน ${MAX_DOCUMENTS_PER_SUBMISSION} ไฟล์`)
      .nullish()
      .transform((value) => value ?? []),
  },
  { error: 'ข้อมูลคำขอไม่ถูกต้อง' },
);
export type EnrollmentRequest = z.input<typeof enrollmentRequestSchema>;
export type EnrollmentRequestParsed = z.output<typeof enrollmentRequestSchema>;

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const idempotencyKeySchema = z
  .string({ error: 'ต้องมี Idempotency-Key ในคำขอ' })
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, 'Idempotency-Key ต้องเป็นตัวอักษรภาษาอังกฤษหรือตัวเลข 8–100 ตัว');

export const linkRequestSchema = z.object(
  {
    code: z
      .string({ error: 'กรุณากรอกรหัสผูกบัญชี 8 หลัก' })
      // "๕๐๘๐ ๕๓๐๑" as a Thai keyboard types it, or "รหัส 3650 8546" pasted from the officer's message: the digits are
      // the code, as in the chat; a digit short or long is told how many there were.
      .max(80, 'รหัสผูกบัญชีต้องเป็นตัวเลข 8 หลัก เช่น 1234 5678')
      .transform((value) => asciiDigits(value).replace(/\D/g, ''))
      .pipe(
        z
          .string()
          .regex(/^\d{8}$/, { error: (issue) => (String(issue.input).length === 0 ? 'รหัสผูกบัญชีต้องเป็นตัวเลข 8 หลัก เช่น 1234 5678' : `รหัสผูกบัญชีมี 8 หลักค่ะ ที่กรอกมี ${String(issue.input).length} หลัก กรุณาตรวจอีกครั้ง`) }),
      ),
  },
  { error: 'กรุณากรอกรหัสผูกบัญชี 8 หลัก' },
);

export const previewQuerySchema = z.object({
  contractNo: z.string({ error: 'กรุณาเลือกสัญญาเงินกู้' }).trim().min(1, 'กรุณาเลือกสัญญาเงินกู้').max(40),
  measureCode: z.string({ error: 'กรุณาเลือกมาตรการ' }).trim().min(1, 'กรุณาเลือกมาตรการ').max(40),
});

export const resubmitRequestSchema = z.object(
  {
    documentIds: z
      .array(documentIdSchema)
      .min(1, 'กรุณาแนบเอกสารที่เจ้าหน้าที่ขออย่างน้อย 1 ไฟล์')
      .max(MAX_DOCUMENTS_PER_SUBMISSION, `แนบเอกสารได้ไม่เกิน ${MAX_DOCUMENTS_PER_SUBMISSION} ไฟล์`),
    note: z.string().trim().max(500, 'ข้อความยาวเกินไป กรุณาเขียนไม่เกิน 500 ตัวอักษร').nullish().transform((v) => v || undefined),
  },
  { error: 'ข้อมูลไม่ถูกต้อง' },
);

// ---------- responses ----------

export const errorResponseSchema = z.object({
  code: z.string(),
  message: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

export const configResponseSchema = z.object({ liffId: z.string(), mock: z.boolean() });

export const measureInfoSchema = z.object({
  code: z.string(),
  kind: z.enum(['campaign', 'restructuring_form']),
  title: z.string(),
  summary: z.string(),
  details: z.string(),
  /** True when joining changes the repayment schedule (a preview is worth showing). */
  changesSchedule: z.boolean(),
});
export const measuresResponseSchema = z.array(measureInfoSchema);
export type MeasureInfo = z.infer<typeof measureInfoSchema>;

export const installmentViewSchema = z.object({
  seq: z.number().int(),
  dueOn: localDate,
  amount: satang,
  paid: satang,
  /** suspended: held back by a relief measure in force (not collected while it lasts). */
  state: z.enum(['paid', 'partly_paid', 'overdue', 'upcoming', 'suspended']),
});

export const eligibilityViewSchema = z.object({ measureCode: z.string(), eligible: z.boolean(), reasons: z.array(z.string()) });

export const loanViewSchema = z.object({
  contractNo: z.string(),
  status: debtorStatusSchema,
  statusLabel: z.string(),
  colour: z.string(),
  principal: satang,
  annualInterestBp: z.number().int(),
  frequency: z.enum(['monthly', 'quarterly', 'yearly']),
  paidTotal: satang,
  outstandingPrincipal: satang,
  outstandingTotal: satang,
  overdue: satang,
  daysPastDue: z.number().int(),
  nextDue: z.object({ dueOn: localDate, amount: satang, interestOnly: z.boolean().optional() }).nullable(),
  activeMeasure: z
    .object({
      code: z.string(),
      title: z.string(),
      /** What the measure holds back while it lasts: every installment (a suspension), their principal (a pause), or nothing. */
      holdsBack: z.enum(['everything', 'principal', 'nothing']).optional(),
      endsOn: localDate.nullable().optional(),
      /** Unpaid amounts held back now. */
      suspended: satang.optional(),
      /** พักหนี้ไม่พักจ่าย: paid since it began, every baht of it to principal. */
      paidToPrincipal: satang.optional(),
    })
    .nullable(),
  restructured: z.boolean(),
  installments: z.array(installmentViewSchema),
  eligibility: z.array(eligibilityViewSchema),
});
export type LoanView = z.infer<typeof loanViewSchema>;

export const meResponseSchema = z.object({
  borrower: z.object({
    fullName: z.string(),
    nationalIdMasked: z.string(),
    area: z.string(),
    status: debtorStatusSchema,
    statusLabel: z.string(),
    colour: z.string(),
  }),
  today: localDate,
  loans: z.array(loanViewSchema),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const linkResponseSchema = z.object({ linked: z.enum(['borrower', 'officer']), fullName: z.string() });

export const scheduleFiguresSchema = z.object({
  regularInstallment: satang,
  remainingInstallments: z.number().int(),
  firstDueOn: localDate.nullable(),
  lastDueOn: localDate.nullable(),
  remainingTotal: satang,
  annualInterestBp: z.number().int(),
});

export const previewResponseSchema = z.object({
  contractNo: z.string(),
  measureCode: z.string(),
  measureTitle: z.string(),
  changesSchedule: z.boolean(),
  /** Consolidation restructures all these contracts together; otherwise just the one. */
  contracts: z.array(z.string()),
  before: scheduleFiguresSchema,
  after: scheduleFiguresSchema,
  pause: z.object({ months: z.number().int(), until: localDate, paymentDuring: satang }).nullable(),
  carriedInterest: satang,
  explanation: z.array(z.string()),
  /** The first installments of the new schedule. */
  firstInstallments: z.array(z.object({ dueOn: localDate, principal: satang, interest: satang, amount: satang })),
});
export type PreviewResponse = z.infer<typeof previewResponseSchema>;

export const documentViewSchema = z.object({
  id: z.string(),
  contentType: z.enum(ACCEPTED_DOCUMENT_TYPES),
  byteSize: z.number().int(),
});
export type DocumentView = z.infer<typeof documentViewSchema>;

export const enrollmentCreatedSchema = z.object({ id: z.number().int(), status: enrollmentStatusSchema });

export const enrollmentTransitionViewSchema = z.object({
  at: isoInstant,
  fromStatus: enrollmentStatusSchema.nullable(),
  toStatus: enrollmentStatusSchema,
  label: z.string(),
  note: z.string().nullable(),
});

export const enrollmentViewSchema = z.object({
  id: z.number().int(),
  status: enrollmentStatusSchema,
  statusLabel: z.string(),
  contractNo: z.string(),
  measureCode: z.string(),
  measureTitle: z.string(),
  reasonCode: z.string().nullable(),
  reason: z.string(),
  phone: z.string(),
  monthlyIncome: satang.nullable(),
  monthlyExpenses: satang.nullable(),
  affordableMonthlyPayment: satang.nullable(),
  submittedAt: isoInstant,
  updatedAt: isoInstant,
  awaitingLevel: reviewLevelSchema.nullable(),
  awaitingLevelLabel: z.string().nullable(),
  deadlineAt: isoInstant.nullable(),
  decisionNote: z.string().nullable(),
  history: z.array(enrollmentTransitionViewSchema),
  documents: z.array(documentViewSchema),
  /** ขอเอกสารเพิ่ม: exactly the documents the officer asked for, as the borrower reads them. */
  requestedDocuments: z.array(z.string()).optional(),
  canResubmit: z.boolean(),
  canWithdraw: z.boolean(),
});
export type EnrollmentView = z.infer<typeof enrollmentViewSchema>;
export const enrollmentsResponseSchema = z.array(enrollmentViewSchema);

/** What an officer sees when opening an application from its card (always audited). */
export const officerEnrollmentViewSchema = enrollmentViewSchema.extend({
  borrower: z.object({ fullName: z.string(), nationalIdMasked: z.string(), area: z.string() }),
  loan: z.object({ status: debtorStatusSchema, statusLabel: z.string(), outstandingTotal: satang, overdue: satang, daysPastDue: z.number().int() }),
});
export type OfficerEnrollmentView = z.infer<typeof officerEnrollmentViewSchema>;
