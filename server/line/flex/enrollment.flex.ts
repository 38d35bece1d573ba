// Messages about applications to join a relief measure: the officer's review card with its decision buttons,
// the borrower's status updates, and the bot's answers to officers' taps. All wording in one place, in Thai.
import { DEBTOR_STATUS_LABEL, type DebtorStatus } from '../../domain/debtor-status.ts';
import {
  DECISIONS_AT_LEVEL,
  ENROLLMENT_STATUS_THAI,
  REVIEW_LEVEL_THAI,
  type EnrollmentStatus,
  type OfficerDecision,
  type ReviewLevel,
} from '../../domain/enrollment-workflow.ts';
import { bangkokDate, formatThaiDate, formatThaiDateTime } from '../../domain/local-date.ts';
import { formatSatang, type Satang } from '../../domain/money.ts';
import { REASON_CODE_THAI, type ReasonCode } from '../../contracts/liff.ts';
import { formatAreaPath } from '../../content/area-names.ts';
import type { LineMessage } from '../../services/ports.ts';
import { encodePostback } from '../postback.ts';
import { box, bubble, flexMessage, postbackButton, row, separator, text, uriButton, ACCENT, MUTED, type FlexComponent } from './flex-parts.ts';

// ---------- postback codec for the decision buttons ----------

const DECISION_CODES: Record<OfficerDecision, string> = { forward: 'fwd', request_documents: 'docs', reject: 'rej', approve: 'ok' };

export function enrollmentDecisionData(enrollmentId: number, decision: OfficerDecision, version: number): string {
  return encodePostback({ a: 'enr', id: enrollmentId, d: DECISION_CODES[decision], v: version });
}

export function decodeEnrollmentDecision(fields: Record<string, string>): { enrollmentId: number; decision: OfficerDecision; version: number } | undefined {
  if (fields.a !== 'enr') return undefined;
  const decision = (Object.keys(DECISION_CODES) as OfficerDecision[]).find((d) => DECISION_CODES[d] === fields.d);
  const enrollmentId = Number(fields.id);
  const version = Number(fields.v);
  if (!decision || !Number.isSafeInteger(enrollmentId) || enrollmentId <= 0 || !Number.isSafeInteger(version) || version <= 0) return undefined;
  return { enrollmentId, decision, version };
}

// ---------- the officer's card ----------

export interface EnrollmentCard {
  id: number;
  version: number;
  level: ReviewLevel;
  borrowerName: string;
  nationalIdMasked: string;
  areaPath: string;
  contractNo: string;
  measureTitle: string;
  reasonCode: string | null;
  reason: string;
  phone: string;
  monthlyIncome: Satang | null;
  monthlyExpenses: Satang | null;
  affordablePayment: Satang | null;
  documentCount: number;
  submittedAt: Date;
  deadlineAt: Date;
  loanStatus: DebtorStatus;
  overdue: Satang;
  outstandingTotal: Satang;
  /** Set when the borrower sent documents an officer asked for. */
  resubmitted: boolean;
}

function reasonLine(reasonCode: string | null, reason: string): string {
  const label = reasonCode && reasonCode in REASON_CODE_THAI ? REASON_CODE_THAI[reasonCode as ReasonCode] : undefined;
  const shortReason = reason.length > 300 ? `${reason.slice(0, 299)}…` : reason;
  return label ? `${label}: ${shortReason}` : shortReason;
}

function deadlineText(deadlineAt: Date): string {
  return formatThaiDate(bangkokDate(deadlineAt));
}

export function enrollmentReviewMessage(card: EnrollmentCard, reviewUrl: string): LineMessage {
  const money = (value: Satang | null) => (value === null ? 'ไม่ได้ระบุ' : formatSatang(value));
  const body: FlexComponent[] = [
    text(`คุณ${card.borrowerName}`, { size: 'lg', weight: 'bold' }),
    text(`เลขประจำตัว ${card.nationalIdMasked}`, { size: 'sm', color: MUTED }),
    text(formatAreaPath(card.areaPath), { size: 'sm', color: MUTED }),
    separator(),
    row('สัญญา', card.contractNo),
    row('มาตรการ', card.measureTitle),
    row('สถานะหนี้', DEBTOR_STATUS_LABEL[card.loanStatus].thai, { color: DEBTOR_STATUS_LABEL[card.loanStatus].hex }),
    row('ยอดค้างชำระ', formatSatang(card.overdue)),
    row('ยอดหนี้คงเหลือ', formatSatang(card.outstandingTotal)),
    separator(),
    text('สาเหตุที่ขอความช่วยเหลือ', { size: 'sm', color: MUTED, margin: 'md' }),
    text(reasonLine(card.reasonCode, card.reason), { size: 'md' }),
    row('รายได้ครัวเรือน/เดือน', money(card.monthlyIncome)),
    row('รายจ่ายครัวเรือน/เดือน', money(card.monthlyExpenses)),
    row('ผ่อนได้/เดือน', money(card.affordablePayment)),
    row('โทร', card.phone),
    row('เอกสารแนบ', `${card.documentCount} ไฟล์`),
    separator(),
    text(`ยื่นคำขอ ${formatThaiDateTime(card.submittedAt)}`, { size: 'sm', color: MUTED, margin: 'md' }),
    text(`⏰ ${REVIEW_LEVEL_THAI[card.level]}ดำเนินการภายใน ${deadlineText(card.deadlineAt)} (15 วัน)`, { size: 'sm', weight: 'bold', color: '#D32F2F' }),
  ];
  const buttons = DECISIONS_AT_LEVEL[card.level].map(({ decision, label }) =>
    postbackButton(label, enrollmentDecisionData(card.id, decision, card.version), label, decision === 'forward' || decision === 'approve' ? 'primary' : 'secondary'),
  );
  const header = box(
    'vertical',
    [
      text(card.resubmitted ? 'คำขอที่ส่งเอกสารเพิ่มแล้ว' : 'คำขอเข้าร่วมมาตรการ', { size: 'sm', color: '#FFFFFF' }),
      text(`คำขอ #${card.id}`, { size: 'xl', weight: 'bold', color: '#FFFFFF' }),
    ],
    { backgroundColor: ACCENT, paddingAll: 'lg' },
  );
  const message = flexMessage(
    `คำขอเข้าร่วมมาตรการ #${card.id}: คุณ${card.borrowerName} สัญญา ${card.contractNo} ${card.measureTitle} — กรุณาพิจารณาภายใน ${deadlineText(card.deadlineAt)}`,
    bubble({
      header,
      body: box('vertical', body),
      footer: box('vertical', [...buttons, uriButton('ดูรายละเอียดและเอกสาร', reviewUrl, 'link')]),
    }),
  );
  return message;
}

// ---------- the borrower's updates ----------

export interface BorrowerUpdate {
  id: number;
  contractNo: string;
  measureTitle: string;
  to: EnrollmentStatus;
  from: EnrollmentStatus | null;
  deadlineAt: Date | null;
  note: string | null;
  /** Approved with a new schedule: its headline figures. */
  newSchedule?: { regularInstallment: Satang; firstDueOn: string | null; lastDueOn: string | null } | null;
}

function updateLines(u: BorrowerUpdate): { title: string; lines: string[] } {
  const by = u.deadlineAt ? deadlineText(u.deadlineAt) : '';
  switch (u.to) {
    case 'district_review':
    case 'province_review':
    case 'department_review': {
      const level = u.to === 'district_review' ? 'district' : u.to === 'province_review' ? 'province' : 'department';
      if (u.from === null) {
        return {
          title: 'ได้รับคำขอของท่านแล้วค่ะ',
          lines: [`มาตรการ "${u.measureTitle}" สัญญา ${u.contractNo}`, `เลขที่คำขอ #${u.id}`, `ขั้นต่อไป: ${REVIEW_LEVEL_THAI[level]}จะตรวจสอบภายในวันที่ ${by}`],
        };
      }
      if (u.from === 'needs_documents') {
        return { title: 'ได้รับเอกสารเพิ่มเติมแล้วค่ะ', lines: [`คำขอ #${u.id} (${u.measureTitle})`, `${REVIEW_LEVEL_THAI[level]}จะพิจารณาต่อภายในวันที่ ${by}`] };
      }
      const passed = u.from === 'district_review' ? 'อำเภอ' : 'จังหวัด';
      return {
        title: `ผ่านการพิจารณาของ${passed}แล้วค่ะ`,
        lines: [`คำขอ #${u.id} (${u.measureTitle}) ส่งต่อไปยัง${REVIEW_LEVEL_THAI[level]}แล้ว`, `จะพิจารณาภายในวันที่ ${by}`],
      };
    }
    case 'needs_documents':
      return {
        title: 'เจ้าหน้าที่ขอเอกสารเพิ่มเติมค่ะ',
        lines: [`คำขอ #${u.id} (${u.measureTitle})`, ...(u.note ? [`สิ่งที่ต้องการ: ${u.note}`] : []), 'กรุณากดปุ่มด้านล่างเพื่อแนบเอกสาร แล้วคำขอจะกลับไปพิจารณาต่อทันที'],
      };
    case 'approved': {
      const s = u.newSchedule;
      return {
        title: 'ยินดีด้วยค่ะ คำขอได้รับอนุมัติแล้ว 🎉',
        lines: [
          `สัญญา ${u.contractNo} เข้าร่วมมาตรการ "${u.measureTitle}" ตั้งแต่วันนี้`,
          ...(s && s.firstDueOn
            ? [`ค่างวดใหม่ ${formatSatang(s.regularInstallment)}`, `งวดแรกวันที่ ${formatThaiDate(s.firstDueOn)}`, ...(s.lastDueOn ? [`งวดสุดท้ายวันที่ ${formatThaiDate(s.lastDueOn)}`] : [])]
            : ['ตารางผ่อนของท่านยังเหมือนเดิม']),
          'ลูกหนี้ที่เข้าร่วมมาตรการจะได้รับการลดการดำเนินคดี ขอให้ผ่อนตามตารางนะคะ',
        ],
      };
    }
    case 'rejected':
      return {
        title: 'คำขอไม่ได้รับอนุมัติค่ะ',
        lines: [
          `คำขอ #${u.id} (${u.measureTitle}) สัญญา ${u.contractNo}`,
          ...(u.note ? [`เหตุผล: ${u.note}`] : []),
          'หากมีข้อสงสัย ติดต่อสำนักงานพัฒนาชุมชนอำเภอได้เลยค่ะ ท่านยังสมัครมาตรการอื่นที่เหมาะกับท่านได้',
        ],
      };
    case 'withdrawn':
      return { title: 'ยกเลิกคำขอแล้วค่ะ', lines: [`คำขอ #${u.id} (${u.measureTitle})`, 'หากต้องการความช่วยเหลือ สมัครใหม่ได้ทุกเมื่อค่ะ'] };
  }
}

export function borrowerUpdateMessage(update: BorrowerUpdate, liffUrl: string): LineMessage {
  const { title, lines } = updateLines(update);
  const target = update.to === 'approved' ? `${liffUrl}/loans` : `${liffUrl}/applications`;
  const button = update.to === 'needs_documents' ? 'แนบเอกสารเพิ่มเติม' : update.to === 'approved' ? 'ดูตารางผ่อนใหม่' : 'ดูสถานะคำขอ';
  return flexMessage(
    `${title} ${lines.join(' ')}`,
    bubble({
      header: box('vertical', [text(title, { size: 'lg', weight: 'bold' }), text(ENROLLMENT_STATUS_THAI[update.to], { size: 'sm', color: MUTED })], { paddingAll: 'lg' }),
      body: box('vertical', lines.map((line, i) => text(line, { size: 'md', ...(i > 0 ? { margin: 'sm' } : {}) }))),
      footer: box('vertical', [uriButton(button, target)]),
    }),
  );
}

// ---------- what the bot answers an officer ----------

export const REJECTION_REASON_MINUTES = 30;

export const ENROLLMENT_THAI = {
  officersOnly: 'ปุ่มนี้สำหรับเจ้าหน้าที่ที่ผูกบัญชีแล้วเท่านั้นค่ะ',
  notFound: (id: number) => `ไม่พบคำขอ #${id} ในระบบค่ะ`,
  stale: (id: number, status: EnrollmentStatus) =>
    `คำขอ #${id} ได้รับการดำเนินการไปแล้วค่ะ ขณะนี้สถานะคือ "${ENROLLMENT_STATUS_THAI[status]}" ปุ่มนี้จึงไม่มีผลใด ๆ ไม่ต้องทำอะไรเพิ่มค่ะ 🙏`,
  notAllowed: (id: number) => `ขออภัยค่ะ คำขอ #${id} อยู่นอกพื้นที่หรือระดับที่ท่านรับผิดชอบ จึงดำเนินการไม่ได้`,
  noLongerEligible: (id: number, reason: string) =>
    `ยังอนุมัติคำขอ #${id} ไม่ได้ค่ะ เพราะสัญญานี้ไม่เข้าเงื่อนไขแล้ว: ${reason}\nคำขอยังรอการพิจารณาอยู่ ท่านเลือก "ไม่อนุมัติ" พร้อมเหตุผลได้`,
  forwarded: (id: number, to: ReviewLevel) => `ส่งต่อคำขอ #${id} ไปยัง${REVIEW_LEVEL_THAI[to]}แล้วค่ะ ✅ ระบบแจ้งผู้กู้ให้ทราบแล้ว`,
  documentsRequested: (id: number) =>
    `แจ้งผู้กู้ให้ส่งเอกสารเพิ่มเติมสำหรับคำขอ #${id} แล้วค่ะ ✅ เมื่อผู้กู้แนบเอกสาร คำขอจะกลับมาให้ท่านพิจารณาอีกครั้ง`,
  approved: (id: number, contractNo: string) => `อนุมัติคำขอ #${id} แล้วค่ะ ✅ ระบบปรับตารางผ่อนของสัญญา ${contractNo} และแจ้งผู้กู้แล้ว`,
  askRejectionReason: (id: number) =>
    `กรุณาพิมพ์เหตุผลที่ไม่อนุมัติคำขอ #${id} ส่งมาในแชทนี้ได้เลยค่ะ ✍️\n` +
    'เช่น "เอกสารไม่ครบถ้วน" หรือ "ข้อมูลไม่ตรงกับทะเบียน"\n' +
    `ระบบจะแจ้งเหตุผลนี้ให้ผู้กู้ทราบ (รอภายใน ${REJECTION_REASON_MINUTES} นาที — พิมพ์ "ยกเลิก" หากเปลี่ยนใจ)`,
  rejectionCancelled: (id: number) => `ยกเลิกการไม่อนุมัติคำขอ #${id} แล้วค่ะ คำขอยังรอการพิจารณาของท่านเหมือนเดิม`,
  rejectionReasonTooShort: 'กรุณาพิมพ์เหตุผลให้ผู้กู้เข้าใจ อย่างน้อยสักประโยคค่ะ (หรือพิมพ์ "ยกเลิก")',
  rejected: (id: number, reason: string) => `บันทึกการไม่อนุมัติคำขอ #${id} แล้วค่ะ ✅\nเหตุผล: "${reason}"\nระบบแจ้งผู้กู้แล้ว`,
  withdrawnNotice: (id: number, contractNo: string) => `ผู้กู้ยกเลิกคำขอ #${id} (สัญญา ${contractNo}) แล้วค่ะ ไม่ต้องพิจารณาต่อ`,
  overdue: (id: number, contractNo: string, level: ReviewLevel, deadlineAt: Date) =>
    `⏰ คำขอ #${id} (สัญญา ${contractNo}) เลยกำหนด 15 วันของ${REVIEW_LEVEL_THAI[level]}แล้ว (ครบกำหนด ${deadlineText(deadlineAt)}) กรุณาพิจารณาโดยเร็วค่ะ`,
};

export function officerReminderMessage(id: number, contractNo: string, level: ReviewLevel, deadlineAt: Date, reviewUrl: string): LineMessage {
  const line = ENROLLMENT_THAI.overdue(id, contractNo, level, deadlineAt);
  return flexMessage(line, bubble({ body: box('vertical', [text(line, { size: 'md' })]), footer: box('vertical', [uriButton('เปิดคำขอ', reviewUrl)]) }));
}
