// Money in, on the officers' pages: the slips to check and the decisions on them, statement uploads and the
// exceptions they leave. Amounts in integer satang; shared with the mini-app.
import { z } from 'zod';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'วันที่ไม่ถูกต้อง');

export const SLIP_STATUS_THAI = {
  pending: 'รอตรวจ',
  confirmed: 'บันทึกการชำระแล้ว',
  rejected: 'ไม่รับ',
  duplicate: 'ส่งซ้ำ',
} as const;
export type SlipStatusValue = keyof typeof SLIP_STATUS_THAI;

/** Reasons an officer picks from when a slip cannot be posted (free text is allowed too). */
export const SLIP_REJECT_REASONS = [
  'รูปไม่ชัด อ่านยอดหรือวันที่ไม่ได้',
  'ไม่ใช่สลิปการโอนเงินเข้ากองทุน',
  'ยอดหรือบัญชีปลายทางไม่ตรงกับกองทุน',
  'ไม่พบเงินเข้าบัญชีกองทุนตามสลิปนี้',
] as const;

/** Thai names of the banks that print slip QRs (the 3-digit codes of the Bank of Thailand). */
export const BANK_NAMES_THAI: Record<string, string> = {
  '002': 'ธนาคารกรุงเทพ',
  '004': 'ธนาคารกสิกรไทย',
  '006': 'ธนาคารกรุงไทย',
  '011': 'ธนาคารทหารไทยธนชาต',
  '014': 'ธนาคารไทยพาณิชย์',
  '022': 'ธนาคารซีไอเอ็มบี ไทย',
  '024': 'ธนาคารยูโอบี',
  '025': 'ธนาคารกรุงศรีอยุธยา',
  '030': 'ธนาคารออมสิน',
  '033': 'ธนาคารอาคารสงเคราะห์',
  '034': 'ธ.ก.ส.',
  '066': 'ธนาคารอิสลามแห่งประเทศไทย',
  '067': 'ธนาคารทิสโก้',
  '069': 'ธนาคารเกียรตินาคินภัทร',
  '073': 'แลนด์ แอนด์ เฮ้าส์',
};

export const slipConfirmSchema = z.object(
  {
    contractNo: z.string({ error: 'กรุณาเลือกสัญญา' }).trim().min(1, 'กรุณาเลือกสัญญา').max(40, 'เลขที่สัญญายาวเกินไป'),
    amountSatang: z.number({ error: 'กรุณากรอกยอดตามสลิป' }).int('ยอดต้องเป็นจำนวนสตางค์เต็ม').positive('ยอดต้องมากกว่า 0').max(1_000_000_000, 'ยอดสูงเกินไป'),
    paidOn: localDate,
    /** The officer saw that this transfer was recorded for another borrower already, and records it all the same. */
    sameTransferChecked: z.boolean().optional(),
  },
  { error: 'ข้อมูลการยืนยันสลิปไม่ถูกต้อง' },
);
export type SlipConfirmRequest = z.input<typeof slipConfirmSchema>;
export type SlipConfirmParsed = z.output<typeof slipConfirmSchema>;

export const slipRejectSchema = z.object(
  { reason: z.string({ error: 'กรุณาระบุเหตุผล' }).trim().min(3, 'กรุณาระบุเหตุผลให้ผู้กู้เข้าใจ').max(300, 'เหตุผลยาวเกินไป') },
  { error: 'กรุณาระบุเหตุผล' },
);

export const slipItemSchema = z.object({
  id: z.number().int(),
  borrowerId: z.number().int(),
  fullName: z.string(),
  area: z.string(),
  status: z.enum(['pending', 'confirmed', 'rejected', 'duplicate']),
  statusLabel: z.string(),
  receivedAt: z.string(),
  /** The bank transaction reference read from the slip's QR; null when none could be read. */
  transRef: z.string().nullable(),
  bankCode: z.string().nullable(),
  suggestedContractNo: z.string().nullable(),
  suggestedAmountSatang: z.number().int().nullable(),
  /** The borrower's contracts (the confirmation picks one). */
  contracts: z.array(z.object({ contractNo: z.string(), overdueSatang: z.number().int(), outstandingSatang: z.number().int() })),
  paymentId: z.number().int().nullable(),
  rejectReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  /**
   * The same transfer (or the same picture) came from other borrowers too: one transfer paying for two members, or a
   * slip used again. How many others, when the first of them all came, and what was recorded from it already. Absent
   * when no one else sent it.
   */
  sameTransfer: z.object({ otherSlips: z.number().int(), firstSentAt: z.string(), recordedSatang: z.number().int() }).optional(),
});
export type SlipItem = z.infer<typeof slipItemSchema>;

export const slipsResponseSchema = z.object({
  pending: z.array(slipItemSchema),
  recent: z.array(slipItemSchema),
  canDecide: z.boolean(),
  rejectReasons: z.array(z.string()),
});
export type SlipsResponse = z.infer<typeof slipsResponseSchema>;

export const slipDecisionSchema = z.object({ id: z.number().int(), status: z.enum(['confirmed', 'rejected']), paymentId: z.number().int().nullable(), replayed: z.boolean() });
export type SlipDecision = z.infer<typeof slipDecisionSchema>;

export const statementExceptionSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  importedAt: z.string(),
  line: z.number().int(),
  reference: z.string(),
  paidOn: localDate,
  amountSatang: z.number().int(),
  ref1: z.string(),
  ref2: z.string().nullable(),
  status: z.enum(['unmatched', 'ambiguous', 'refused']),
  reason: z.string(),
  contractNo: z.string().nullable(),
  candidateContractNos: z.array(z.string()),
});
export type StatementExceptionItem = z.infer<typeof statementExceptionSchema>;

export const statementPageSchema = z.object({
  canImport: z.boolean(),
  exceptions: z.array(statementExceptionSchema),
});
export type StatementPage = z.infer<typeof statementPageSchema>;

export const statementImportResponseSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    importId: z.number().int(),
    lines: z.number().int(),
    recorded: z.number().int(),
    alreadyKnown: z.number().int(),
    unmatched: z.number().int(),
    exceptions: z.array(z.object({ line: z.number().int(), reference: z.string(), status: z.string(), reason: z.string() })),
  }),
  z.object({
    ok: z.literal(false),
    fileProblems: z.array(z.string()),
    rowErrors: z.array(z.object({ line: z.number().int(), reference: z.string().optional(), reasons: z.array(z.string()) })),
  }),
]);
export type StatementImportResponse = z.infer<typeof statementImportResponseSchema>;

export const exceptionRecordSchema = z.object(
  { contractNo: z.string({ error: 'กรุณาระบุเลขที่สัญญา' }).trim().min(1, 'กรุณาระบุเลขที่สัญญา').max(40, 'เลขที่สัญญายาวเกินไป') },
  { error: 'กรุณาระบุเลขที่สัญญา' },
);
export const exceptionRecordedSchema = z.object({ id: z.number().int(), paymentId: z.number().int(), replayed: z.boolean() });
export type ExceptionRecorded = z.infer<typeof exceptionRecordedSchema>;

/** Why a statement line is not the fund's money: one of the page's choices, or the officer's own words. */
export const EXCEPTION_DISMISSAL_REASONS = ['ไม่ใช่เงินของกองทุน (โอนเข้าบัญชีด้วยเรื่องอื่น)', 'รายการซ้ำกับที่บันทึกไว้แล้ว', 'บันทึกรับชำระที่หน่วยงานแล้ว'] as const;
export const exceptionDismissSchema = z.object(
  { reason: z.string({ error: 'กรุณาระบุเหตุผล' }).trim().min(3, 'กรุณาระบุเหตุผลให้ชัดเจนค่ะ').max(200, 'เหตุผลยาวเกินไป (ไม่เกิน 200 ตัวอักษร)') },
  { error: 'กรุณาระบุเหตุผล' },
);
export const exceptionDismissedSchema = z.object({ id: z.number().int(), replayed: z.boolean() });
export type ExceptionDismissed = z.infer<typeof exceptionDismissedSchema>;

export const MAX_STATEMENT_BYTES = 5 * 1024 * 1024;
