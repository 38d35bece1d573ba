// The officers' pages of the mini-app: /api/liff/officer/* request and response shapes, shared by the server and
// the mini-app and relied on by other tools (extend, never rename). Imports only zod. Amounts are integer satang.
import { z } from 'zod';

// An empty date is a question not answered yet, not a wrong answer: asked for as such.
const localDate = z.string({ error: 'กรุณาเลือกวันที่' }).min(1, { error: 'กรุณาเลือกวันที่', abort: true }).regex(/^\d{4}-\d{2}-\d{2}$/, 'วันที่ไม่ถูกต้อง');
const isoInstant = z.string();
const satang = z.number().int();

// ---------- shared values and their Thai names ----------

export const COLOURS = ['green', 'yellow', 'red', 'black'] as const;
export type Colour = (typeof COLOURS)[number];
export const COLOUR_THAI: Record<Colour, { label: string; hex: string }> = {
  green: { label: 'ปกติ', hex: '#1E9E4A' },
  yellow: { label: 'เข้าร่วมมาตรการ', hex: '#E0A800' },
  red: { label: 'ผิดนัดชำระ', hex: '#D32F2F' },
  black: { label: 'ดำเนินคดี', hex: '#212121' },
};

export const DPD_BAND_VALUES = ['1-30', '31-60', '61-90', '90+'] as const;

export const FOLLOW_UP_KINDS = ['visit', 'phone', 'line', 'letter', 'forum', 'warning_letter'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export const FOLLOW_UP_KIND_THAI: Record<FollowUpKind, string> = {
  visit: 'เยี่ยมบ้าน',
  phone: 'โทรศัพท์',
  line: 'LINE',
  letter: 'จดหมาย',
  forum: 'เวทีประชาคม',
  warning_letter: 'หนังสือเตือน',
};

/** The 5 ต.: ตรวจสอบ ติดตาม ตักเตือน ต่อเนื่อง ติดต่อ. */
export const FOLLOW_UP_STAGES = ['check', 'follow', 'warn', 'persist', 'contact'] as const;
export type FollowUpStage = (typeof FOLLOW_UP_STAGES)[number];
export const FOLLOW_UP_STAGE_THAI: Record<FollowUpStage, string> = {
  check: 'ตรวจสอบ',
  follow: 'ติดตาม',
  warn: 'ตักเตือน',
  persist: 'ต่อเนื่อง',
  contact: 'ติดต่อ',
};

export const FOLLOW_UP_OUTCOMES = ['met', 'not_home', 'refused', 'promised', 'paid', 'moved', 'deceased', 'other'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
export const FOLLOW_UP_OUTCOME_THAI: Record<FollowUpOutcome, string> = {
  met: 'พบตัว',
  not_home: 'ไม่อยู่บ้าน',
  refused: 'ปฏิเสธ',
  promised: 'นัดชำระ',
  paid: 'ชำระแล้ว',
  moved: 'ย้ายที่อยู่',
  deceased: 'เสียชีวิต',
  other: 'อื่น ๆ',
};

export const PROMISE_STATUSES = ['open', 'kept', 'partly_kept', 'broken'] as const;
export type PromiseStatusValue = (typeof PROMISE_STATUSES)[number];
export const PROMISE_STATUS_THAI: Record<PromiseStatusValue, string> = {
  open: 'รอถึงวันนัด',
  kept: 'ชำระตามนัด',
  partly_kept: 'ชำระบางส่วน',
  broken: 'ผิดนัด',
};

export const PAYMENT_CHANNELS = ['counter', 'transfer', 'mentor', 'field'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];
export const PAYMENT_CHANNEL_THAI: Record<PaymentChannel, string> = {
  counter: 'ชำระที่สำนักงาน',
  transfer: 'โอนเงิน',
  mentor: 'ฝากทีมพี่เลี้ยง',
  field: 'รับเงินสดตอนเยี่ยมบ้าน',
};

export const MAX_FOLLOW_UP_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

// ---------- requests ----------

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}ยาวเกินไป (ไม่เกิน ${max.toLocaleString('en-US')} ตัวอักษร)`)
    .nullish()
    .transform((value) => value || null);

const contractNoSchema = z.string({ error: 'กรุณาเลือกสัญญา' }).trim().min(1, 'กรุณาเลือกสัญญา').max(40, 'เลขที่สัญญายาวเกินไป');

function positiveInt(message: string) {
  return z.coerce.number({ error: message }).int(message).positive(message);
}

/** `GET /api/liff/officer/debtors`: the first five are the contract; the rest narrow the list further. */
export const debtorListQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, 'คำค้นยาวเกินไป')
    .optional()
    .transform((value) => value || undefined),
  colour: z.enum(COLOURS, { error: 'สีไม่ถูกต้อง (green, yellow, red, black)' }).optional(),
  dpd: z.enum(DPD_BAND_VALUES, { error: 'ช่วงวันค้างชำระไม่ถูกต้อง (1-30, 31-60, 61-90, 90+)' }).optional(),
  page: z.coerce.number().int().min(1, 'หน้าต้องเริ่มที่ 1').max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, 'แสดงได้ไม่เกิน 100 รายต่อหน้า').default(20),
  /** A subdistrict (ตำบล) by area id. */
  tambon: positiveInt('ตำบลไม่ถูกต้อง').optional(),
  /** A mentor's officer id, or "none" for debtors without a mentor. */
  mentor: z.union([z.literal('none'), positiveInt('พี่เลี้ยงไม่ถูกต้อง')]).optional(),
  /** No follow-up recorded in the last N days (or never). */
  noContactDays: z.coerce.number().int().min(1).max(3650).optional(),
  /** An open promise to pay falls due this week (Monday to Sunday). */
  promiseDue: z.literal('week').optional(),
  /** `none`: overdue, and nobody has planned the next follow-up. */
  planned: z.literal('none').optional(),
  /** `no`: whose LINE is not linked yet (who still needs a code); `yes`: linked. */
  linked: z.enum(['yes', 'no'], { error: 'ค่าการผูกบัญชีไม่ถูกต้อง (yes, no)' }).optional(),
});
export type DebtorListQuery = z.output<typeof debtorListQuerySchema>;

const promiseRequestSchema = z.object(
  {
    amountSatang: z.number({ error: 'กรุณากรอกยอดที่นัดชำระ' }).int('ยอดต้องเป็นจำนวนสตางค์เต็ม').positive('ยอดที่นัดชำระต้องมากกว่า 0').max(1_000_000_000, 'ยอดสูงเกินไป'),
    promisedOn: localDate,
    /** Null or absent: the promise is about all of the borrower's loans. */
    contractNo: contractNoSchema.nullish().transform((value) => value ?? null),
  },
  { error: 'ข้อมูลการนัดชำระไม่ถูกต้อง' },
);

const followUpPhotoIds = z.array(z.uuid({ error: 'รูปภาพไม่ถูกต้อง กรุณาแนบใหม่' })).max(MAX_FOLLOW_UP_PHOTOS, `แนบรูปได้ไม่เกิน ${MAX_FOLLOW_UP_PHOTOS} รูป`);

export const followUpRequestSchema = z.object(
  {
    borrowerId: positiveInt('ไม่พบลูกหนี้'),
    contractNo: contractNoSchema.nullish().transform((value) => value ?? null),
    kind: z.enum(FOLLOW_UP_KINDS, { error: 'กรุณาเลือกวิธีติดต่อ' }),
    stage: z.enum(FOLLOW_UP_STAGES, { error: 'กรุณาเลือกขั้นตอน 5 ต.' }),
    contactedOn: localDate,
    outcome: z.enum(FOLLOW_UP_OUTCOMES, { error: 'กรุณาเลือกผลการติดตาม' }),
    note: optionalText(2000, 'บันทึก'),
    nextActionOn: localDate.nullish().transform((value) => value ?? null),
    photoIds: followUpPhotoIds.nullish().transform((value) => value ?? []),
    promise: promiseRequestSchema.nullish().transform((value) => value ?? null),
  },
  { error: 'ข้อมูลการติดตามไม่ถูกต้อง' },
);
export type FollowUpRequest = z.input<typeof followUpRequestSchema>;
export type FollowUpRequestParsed = z.output<typeof followUpRequestSchema>;

/**
 * The author's correction within 24 hours: the same fields, without the debtor (a follow-up never moves). `photoIds`,
 * when sent, is the whole list the record keeps: photos already on it and not listed are removed, new uploads attached;
 * left out, the photos stay as they are.
 */
export const followUpEditSchema = followUpRequestSchema.omit({ borrowerId: true }).extend({
  photoIds: followUpPhotoIds.nullish().transform((value) => value ?? undefined),
});
export type FollowUpEditParsed = z.output<typeof followUpEditSchema>;

/** `POST /api/liff/officer/payments` (header Idempotency-Key). */
export const paymentRequestSchema = z.object(
  {
    contractNo: contractNoSchema,
    amountSatang: z.number({ error: 'กรุณากรอกยอดที่ชำระ' }).int('ยอดต้องเป็นจำนวนสตางค์เต็ม').positive('ยอดที่ชำระต้องมากกว่า 0').max(1_000_000_000, 'ยอดสูงเกินไป'),
    paidOn: localDate,
    channel: z.enum(PAYMENT_CHANNELS, { error: 'กรุณาเลือกช่องทางการชำระ' }),
    receiptNo: z
      .string({ error: 'กรุณากรอกเลขที่ใบเสร็จ' })
      .trim()
      .min(1, 'กรุณากรอกเลขที่ใบเสร็จ')
      .max(40, 'เลขที่ใบเสร็จยาวเกินไป')
      .regex(/^[\p{L}\p{M}\p{N} ./#-]+$/u, 'เลขที่ใบเสร็จมีได้เฉพาะตัวอักษร ตัวเลข และ . / # -'),
  },
  { error: 'ข้อมูลการชำระเงินไม่ถูกต้อง' },
);
export type PaymentRequest = z.input<typeof paymentRequestSchema>;
export type PaymentRequestParsed = z.output<typeof paymentRequestSchema>;

export const reversalRequestSchema = z.object(
  { reason: z.string({ error: 'กรุณาระบุเหตุผลที่กลับรายการ' }).trim().min(3, 'กรุณาระบุเหตุผลที่กลับรายการ').max(500, 'เหตุผลยาวเกินไป') },
  { error: 'กรุณาระบุเหตุผลที่กลับรายการ' },
);

export const mentorAssignmentSchema = z.object({ mentorId: z.number().int().positive().nullable() }, { error: 'ข้อมูลพี่เลี้ยงไม่ถูกต้อง' });

export const linkCodeBatchRequestSchema = z.object({ tambon: positiveInt('กรุณาเลือกตำบล') }, { error: 'กรุณาเลือกตำบล' });

// ---------- responses ----------

export const officerMeSchema = z.object({
  id: z.number().int(),
  fullName: z.string(),
  role: z.enum(['tambon', 'district', 'province', 'department', 'admin', 'mentor']),
  roleLabel: z.string(),
  area: z.string(),
  can: z.object({ recordPayments: z.boolean(), issueLinkCodes: z.boolean(), assignMentors: z.boolean(), reviewApplications: z.boolean() }),
  /** Subdistricts in the caller's area (for filters and slip batches). */
  tambons: z.array(z.object({ id: z.number().int(), name: z.string(), area: z.string() })),
  /** Mentors in the caller's area (for filters and assignment). */
  mentors: z.array(z.object({ id: z.number().int(), fullName: z.string(), tambonId: z.number().int().nullable(), area: z.string() })),
  today: localDate,
  week: z.object({ start: localDate, end: localDate }),
});
export type OfficerMe = z.infer<typeof officerMeSchema>;

export const debtorListItemSchema = z.object({
  contractNo: z.string(),
  fullName: z.string(),
  colour: z.enum(COLOURS),
  overdueSatang: satang,
  daysPastDue: z.number().int(),
  lastContactOn: localDate.nullable(),
  nextPromiseOn: localDate.nullable(),
  // Beyond the contract: what the row needs to open the debtor page and say more.
  borrowerId: z.number().int(),
  area: z.string(),
  loanCount: z.number().int(),
  mentorName: z.string().nullable(),
  linked: z.boolean(),
});
export type DebtorListItem = z.infer<typeof debtorListItemSchema>;

export const debtorListResponseSchema = z.object({
  items: z.array(debtorListItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type DebtorListResponse = z.infer<typeof debtorListResponseSchema>;

const colourFiguresSchema = z.object({ colour: z.enum(COLOURS), label: z.string(), debtors: z.number().int(), outstandingSatang: satang, overdueSatang: satang });

const areaFiguresSchema = z.object({
  debtors: z.number().int(),
  outstandingSatang: satang,
  overdueSatang: satang,
  /** Overdue ÷ outstanding, percent with two decimals. */
  overdueRatePercent: z.number(),
  /** The fund's target (< 5 %) and the provincial indicator (< 10 %). */
  meetsFundTarget: z.boolean(),
  meetsProvinceIndicator: z.boolean(),
  byColour: z.array(colourFiguresSchema),
});

export const areaSummarySchema = z.object({
  title: z.string(),
  today: localDate,
  fundTargetPercent: z.number(),
  provinceIndicatorPercent: z.number(),
  totals: areaFiguresSchema,
  /** The level below the caller's (districts of a province, tambons of a district, provinces nationally). */
  breakdown: z
    .object({
      levelLabel: z.string(),
      rows: z.array(areaFiguresSchema.extend({ areaId: z.number().int(), name: z.string() })),
    })
    .nullable(),
});
export type AreaSummary = z.infer<typeof areaSummarySchema>;

export const installmentRowSchema = z.object({
  seq: z.number().int(),
  dueOn: localDate,
  amount: satang,
  paid: satang,
  state: z.enum(['paid', 'partly_paid', 'overdue', 'upcoming']),
});

export const debtorLoanSchema = z.object({
  contractNo: z.string(),
  colour: z.enum(COLOURS),
  statusLabel: z.string(),
  principal: satang,
  paidTotal: satang,
  /** Recorded here and not yet counted by the registry. */
  awaitingRegistry: satang,
  outstandingTotal: satang,
  overdue: satang,
  daysPastDue: z.number().int(),
  nextDue: z.object({ dueOn: localDate, amount: satang }).nullable(),
  activeMeasure: z.string().nullable(),
  installments: z.array(installmentRowSchema),
});

const promiseViewSchema = z.object({
  id: z.number().int(),
  amountSatang: satang,
  promisedOn: localDate,
  contractNo: z.string().nullable(),
  status: z.enum(PROMISE_STATUSES),
  statusLabel: z.string(),
  paidSatang: satang,
});

export const timelineItemSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('follow_up'),
    id: z.number().int(),
    on: localDate,
    at: isoInstant,
    kind: z.enum(FOLLOW_UP_KINDS),
    stage: z.enum(FOLLOW_UP_STAGES),
    outcome: z.enum(FOLLOW_UP_OUTCOMES),
    note: z.string().nullable(),
    nextActionOn: localDate.nullable(),
    contractNo: z.string().nullable(),
    officerName: z.string(),
    editable: z.boolean(),
    photoIds: z.array(z.string()),
    promise: promiseViewSchema.nullable(),
  }),
  z.object({
    type: z.literal('payment'),
    id: z.number().int(),
    on: localDate,
    at: isoInstant,
    source: z.enum(['officer', 'registry']),
    contractNo: z.string(),
    amountSatang: satang,
    channel: z.enum(PAYMENT_CHANNELS).nullable(),
    receiptNo: z.string().nullable(),
    officerName: z.string().nullable(),
    /** How much of it the registry has counted in its paid total since. */
    confirmedSatang: satang,
    reversed: z.boolean(),
    reversible: z.boolean(),
    /** The registry's paid total at the first import: what was paid before the system, dated by that import. */
    opening: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('reversal'),
    id: z.number().int(),
    on: localDate,
    at: isoInstant,
    contractNo: z.string(),
    amountSatang: satang,
    reversesPaymentId: z.number().int(),
    receiptNo: z.string().nullable(),
    reason: z.string().nullable(),
    officerName: z.string().nullable(),
  }),
  z.object({ type: z.literal('reminder'), on: localDate, at: isoInstant, label: z.string(), statusLabel: z.string() }),
  /** A transfer slip she sent in the chat, and what became of it (`status`: pending, confirmed, rejected, duplicate). */
  z.object({ type: z.literal('slip'), id: z.number().int(), on: localDate, at: isoInstant, status: z.string(), statusLabel: z.string(), reason: z.string().nullable() }),
  z.object({
    type: z.literal('application'),
    id: z.number().int(),
    on: localDate,
    at: isoInstant,
    contractNo: z.string(),
    measureTitle: z.string(),
    status: z.string(),
    statusLabel: z.string(),
  }),
]);
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const debtorPageSchema = z.object({
  borrowerId: z.number().int(),
  fullName: z.string(),
  nationalIdMasked: z.string(),
  area: z.string(),
  phone: z.string().nullable(),
  colour: z.enum(COLOURS),
  statusLabel: z.string(),
  linked: z.boolean(),
  /** When her LINE account was linked (an ISO instant), so the officer can tell a new link from an old one. */
  linkedAt: z.string().nullable(),
  mentor: z.object({ id: z.number().int(), fullName: z.string() }).nullable(),
  today: localDate,
  loans: z.array(debtorLoanSchema),
  openPromise: promiseViewSchema.nullable(),
  /** Every open promise, soonest first (a new one may be given before the last one's day). */
  openPromises: z.array(promiseViewSchema),
  timeline: z.array(timelineItemSchema),
  can: z.object({ recordFollowUp: z.boolean(), recordPayment: z.boolean(), issueLinkCode: z.boolean(), assignMentor: z.boolean() }),
});
export type DebtorPage = z.infer<typeof debtorPageSchema>;

export const followUpCreatedSchema = z.object({ id: z.number().int(), promiseId: z.number().int().nullable() });

export const paymentCreatedSchema = z.object({ id: z.number().int() });

/** What recording a payment did, for the page to say (the contract's 201 answer carries `id`; this extends it). */
export const paymentResultSchema = paymentCreatedSchema.extend({
  replayed: z.boolean(),
  contractNo: z.string(),
  amountSatang: satang,
  outstandingAfter: satang,
  overdueAfter: satang,
  promises: z.array(promiseViewSchema),
});
export type PaymentResult = z.infer<typeof paymentResultSchema>;

export const linkCodeIssuedSchema = z.object({ fullName: z.string(), code: z.string(), displayCode: z.string(), expiresAt: isoInstant, alreadyLinked: z.boolean() });
export type LinkCodeIssued = z.infer<typeof linkCodeIssuedSchema>;

export const linkCodeBatchCreatedSchema = z.object({
  id: z.number().int(),
  tambon: z.string(),
  /** Unlinked borrowers who will get a slip. */
  slipCount: z.number().int(),
  /** Opens the PDF once, without the ID token (a phone's browser or a printer can take it). */
  downloadUrl: z.string(),
  expiresAt: isoInstant,
});
export type LinkCodeBatchCreated = z.infer<typeof linkCodeBatchCreatedSchema>;

const workItemSchema = z.object({
  borrowerId: z.number().int(),
  fullName: z.string(),
  area: z.string(),
  colour: z.enum(COLOURS),
  overdueSatang: satang,
  daysPastDue: z.number().int(),
  /** Why it is in the queue, in Thai. */
  reason: z.string(),
  dueOn: localDate.nullable(),
});
export type WorkItem = z.infer<typeof workItemSchema>;

export const workQueueSchema = z.object({
  today: localDate,
  week: z.object({ start: localDate, end: localDate }),
  followUpsDue: z.array(workItemSchema),
  brokenPromises: z.array(workItemSchema),
  crossingThresholds: z.array(workItemSchema),
  /** More crossed a threshold than the list shows (a province): open the debtor list for the rest. */
  crossingTotal: z.number().int(),
  applicationsWaiting: z.number().int(),
  /** Overdue debtors of the caller's (tambon officer's, mentor's: all they see) with no next follow-up planned. */
  overdueUnplanned: z.number().int(),
});
export type WorkQueue = z.infer<typeof workQueueSchema>;

export const applicationWaitingSchema = z.object({
  id: z.number().int(),
  borrowerId: z.number().int(),
  fullName: z.string(),
  area: z.string(),
  contractNo: z.string(),
  measureTitle: z.string(),
  statusLabel: z.string(),
  submittedAt: isoInstant,
  deadlineAt: isoInstant,
  daysLeft: z.number().int(),
  /** The level she decides it for, when it waits at a level below hers that has no officer; null at her own. */
  standsInFor: z.string().nullable(),
});
export const applicationsWaitingSchema = z.object({
  level: z.string().nullable(),
  items: z.array(applicationWaitingSchema),
  /** Sent on from her area and waiting at a level above hers (their deadline is that level's). */
  onwards: z.array(applicationWaitingSchema).default([]),
});
export type ApplicationsWaiting = z.infer<typeof applicationsWaitingSchema>;

/** POST /api/liff/officer/download-tickets → 201 { url, expiresInSeconds }: a one-time link to one of the caller's files. */
export const downloadTicketSchema = z.object({ path: z.string().min(1).max(500) });
export interface DownloadTicketAnswer {
  /** The file's address with `ticket=…` last in its query; opened once, within two minutes, without an ID token. */
  url: string;
  expiresInSeconds: number;
}
