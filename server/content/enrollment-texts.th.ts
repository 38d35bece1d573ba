// What the bot answers officers about relief applications, in Thai, in one place so the fund's staff can review
// the wording. Cards and their layout are line/flex/enrollment.flex.ts's.
import { ENROLLMENT_STATUS_THAI, REJECTION_REASON_MINUTES, REVIEW_LEVEL_THAI, type EnrollmentStatus, type ReviewLevel } from '../domain/enrollment-workflow.ts';
import { bangkokDate, formatThaiDate } from '../domain/local-date.ts';

/** The day an application's level must act by, in Thai. */
export function deadlineText(deadlineAt: Date): string {
  return formatThaiDate(bangkokDate(deadlineAt));
}

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

