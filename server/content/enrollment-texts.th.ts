// What the bot answers officers about relief applications, in Thai, in one place so the fund's staff can review
// the wording. Cards and their layout are line/flex/enrollment.flex.ts's.
import {
  ENROLLMENT_STATUS_THAI,
  REJECTION_REASON_MINUTES,
  REJECTION_UNDO_MINUTES,
  REVIEW_LEVEL_THAI,
  type EnrollmentStatus,
  type ReviewLevel,
} from '../domain/enrollment-workflow.ts';
import { addDays, bangkokClock, bangkokDate, formatThaiDate } from '../domain/local-date.ts';

/** The day an application's level must act by, in Thai. */
export function deadlineText(deadlineAt: Date): string {
  return formatThaiDate(bangkokDate(deadlineAt));
}

/** "เวลา 08.00 น.", "พรุ่งนี้ เวลา 08.00 น." or "วันที่ 2 ธ.ค. 2569 เวลา 08.00 น.", as seen from `now` in Bangkok. */
export function whenText(at: Date, now: Date): string {
  const { date, minuteOfDay } = bangkokClock(at);
  const time = `เวลา ${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}.${String(minuteOfDay % 60).padStart(2, '0')} น.`;
  const today = bangkokDate(now);
  if (date === today) return time;
  if (date === addDays(today, 1)) return `พรุ่งนี้ ${time}`;
  return `วันที่ ${formatThaiDate(date)} ${time}`;
}

/** What the officer is told about when the borrower hears of the step: now, or the moment the contact window allows. */
export function borrowerToldText(tellAt: Date, now: Date): string {
  return tellAt.getTime() <= now.getTime() + 60_000 ? 'ระบบแจ้งผู้กู้ให้ทราบทันที' : `ระบบจะแจ้งผู้กู้${whenText(tellAt, now)}`;
}

const subject = (id: number, borrowerName: string, contractNo: string) => `คำขอ #${id} ของคุณ${borrowerName} (สัญญา ${contractNo})`;

export const ENROLLMENT_THAI = {
  /** The same send again, but for another contract or measure: the first one arrived, the change was never sent. */
  sentBeforeOtherwise: (id: number, contractNo: string, measureTitle: string) =>
    `คำขอที่ท่านกดส่งไว้ก่อนหน้านี้ถึงระบบแล้วค่ะ: คำขอเลขที่ ${id} สัญญา ${contractNo} มาตรการ "${measureTitle}" ` +
    'สิ่งที่แก้ไขภายหลังจึงยังไม่ได้ส่ง ดูคำขอนั้นได้ที่หน้า "คำขอของฉัน" ถ้าต้องการเปลี่ยน ติดต่อเจ้าหน้าที่ได้ค่ะ',
  officersOnly: 'ปุ่มนี้สำหรับเจ้าหน้าที่ที่ผูกบัญชีแล้วเท่านั้นค่ะ',
  notFound: (id: number) => `ไม่พบคำขอ #${id} ในระบบค่ะ`,
  stale: (id: number, status: EnrollmentStatus) =>
    `คำขอ #${id} ได้รับการดำเนินการไปแล้วค่ะ ขณะนี้สถานะคือ "${ENROLLMENT_STATUS_THAI[status]}" ปุ่มนี้จึงไม่มีผลใด ๆ ไม่ต้องทำอะไรเพิ่มค่ะ 🙏`,
  notAllowed: (id: number) => `ขออภัยค่ะ คำขอ #${id} อยู่นอกพื้นที่หรือระดับที่ท่านรับผิดชอบ จึงดำเนินการไม่ได้`,
  noLongerEligible: (id: number, reason: string) =>
    `ยังอนุมัติคำขอ #${id} ไม่ได้ค่ะ เพราะสัญญานี้ไม่เข้าเงื่อนไขแล้ว: ${reason}\nคำขอยังรอการพิจารณาอยู่ ท่านเลือก "ไม่อนุมัติ" พร้อมเหตุผลได้`,
  forwardedToOwnLevel: (id: number, deadlineAt: Date | null, told: string) =>
    `คำขอ #${id} ผ่านขั้นอำเภอแล้วค่ะ ✅ (ท่านพิจารณาแทนอำเภอ) การ์ดขั้นจังหวัดส่งถึงท่านแล้ว พิจารณาต่อได้เลย${deadlineAt ? ` ภายใน ${deadlineText(deadlineAt)}` : ''}\n${told}`,
  // Its new deadline, so the one who sent it on knows when to ask after it.
  forwarded: (id: number, to: ReviewLevel, deadlineAt: Date | null, told: string) =>
    `ส่งต่อคำขอ #${id} ไปยัง${REVIEW_LEVEL_THAI[to]}แล้วค่ะ ✅${deadlineAt ? ` ${REVIEW_LEVEL_THAI[to]}พิจารณาภายใน ${deadlineText(deadlineAt)}` : ''}\n${told}`,
  confirmApprove: (id: number, borrowerName: string, contractNo: string, measureTitle: string) =>
    `ยืนยันอนุมัติ${subject(id, borrowerName, contractNo)} เข้ามาตรการ "${measureTitle}" ไหมคะ?\nเมื่ออนุมัติ ระบบจะปรับตารางผ่อนของสัญญานี้และแจ้งผลให้ผู้กู้ทราบ ยกเลิกภายหลังไม่ได้`,
  approveHeld: (id: number) => `ยังไม่ได้อนุมัติค่ะ คำขอ #${id} ยังรอการพิจารณาของท่านเหมือนเดิม ไม่มีอะไรเปลี่ยน`,
  approved: (id: number, contractNo: string, told: string) => `อนุมัติคำขอ #${id} แล้วค่ะ ✅ ระบบปรับตารางผ่อนของสัญญา ${contractNo} แล้ว ${told}`,

  // ไม่อนุมัติ: choose or type a reason, see it back, confirm; then a short while to take it back.
  chooseReason: (id: number, borrowerName: string, contractNo: string) =>
    `ไม่อนุมัติ${subject(id, borrowerName, contractNo)}\nเลือกเหตุผลจากปุ่มด้านล่าง หรือกด "พิมพ์เหตุผลเอง" ค่ะ\nระบบจะให้ท่านตรวจทานก่อนบันทึก ยังไม่มีอะไรเปลี่ยนจนกว่าท่านจะกดยืนยัน`,
  typeReason: (id: number) => `พิมพ์เหตุผลที่ไม่อนุมัติคำขอ #${id} ส่งมาได้เลยค่ะ ✍️\nผู้กู้จะได้อ่านเหตุผลนี้ ยังไม่มีอะไรเปลี่ยนจนกว่าท่านจะกดยืนยัน`,
  reasonTooShort: 'เหตุผลสั้นเกินไปค่ะ กรุณาพิมพ์ให้ผู้กู้เข้าใจ อย่างน้อยสักประโยค หรือเลือกจากปุ่มด้านล่าง',
  confirmReason: (id: number, reason: string) =>
    `ยืนยันไม่อนุมัติคำขอ #${id} ด้วยเหตุผลนี้ไหมคะ?\n“${reason}”\nผู้กู้จะได้รับแจ้งเหตุผลนี้ · กดยืนยันแล้วยังยกเลิกได้ภายใน ${REJECTION_UNDO_MINUTES} นาที`,
  rejected: (id: number, reason: string, tellAt: Date, now: Date) =>
    `บันทึกการไม่อนุมัติคำขอ #${id} แล้วค่ะ ✅\nเหตุผล: “${reason}”\n${borrowerToldText(tellAt, now)}\nหากเปลี่ยนใจ กด "ยกเลิกการไม่อนุมัติ" ก่อนเวลานั้น`,
  undone: (id: number) => `ยกเลิกการไม่อนุมัติคำขอ #${id} แล้วค่ะ ↩️ คำขอกลับมารอการพิจารณาของท่านเหมือนเดิม ผู้กู้ไม่ได้รับแจ้งใด ๆ`,
  undoTooLate: (id: number) => `ยกเลิกการไม่อนุมัติคำขอ #${id} ไม่ได้แล้วค่ะ เพราะเลย ${REJECTION_UNDO_MINUTES} นาทีหรือผู้กู้ได้รับแจ้งผลแล้ว หากต้องการช่วยผู้กู้ต่อ ให้ผู้กู้ยื่นคำขอใหม่ได้`,

  // ขอเอกสารเพิ่ม: tick the documents, see the list, send.
  chooseDocuments: (id: number, borrowerName: string, contractNo: string, chosen: readonly string[]) =>
    `ขอเอกสารเพิ่มสำหรับ${subject(id, borrowerName, contractNo)}\nกดเลือกเอกสารที่ต้องการ (กดซ้ำเพื่อเอาออก) แล้วกด "ส่งคำขอเอกสาร" ค่ะ\n` +
    (chosen.length > 0 ? `เลือกแล้ว:\n${chosen.map((label) => `• ${label}`).join('\n')}` : 'ยังไม่ได้เลือกเอกสาร'),
  typeOtherDocument: 'พิมพ์ชื่อเอกสารอื่นที่ต้องการ ส่งมาได้เลยค่ะ เช่น "หนังสือรับรองจากผู้นำชุมชน"',
  chooseAtLeastOne: 'กรุณาเลือกเอกสารอย่างน้อย 1 รายการก่อนกดส่งค่ะ',
  documentsRequested: (id: number, documents: readonly string[], tellAt: Date, now: Date) =>
    `ขอเอกสารเพิ่มสำหรับคำขอ #${id} แล้วค่ะ ✅\n${documents.map((label) => `• ${label}`).join('\n')}\n${borrowerToldText(tellAt, now)} เมื่อผู้กู้แนบเอกสาร คำขอจะกลับมาให้ท่านพิจารณาอีกครั้ง`,

  // While a draft waits.
  draftCancelled: (id: number) => `ยกเลิกแล้วค่ะ คำขอ #${id} ยังรอการพิจารณาของท่านเหมือนเดิม ไม่มีอะไรเปลี่ยน`,
  draftExpired: `คำถามนี้หมดเวลาแล้วค่ะ (รอได้ ${REJECTION_REASON_MINUTES} นาที) กรุณากดปุ่มบนการ์ดคำขออีกครั้ง`,
  draftWaiting: (id: number, decision: 'reject' | 'request_documents') =>
    `ยังรอท่าน${decision === 'reject' ? 'ยืนยันการไม่อนุมัติ' : 'เลือกเอกสารที่ขอ'}คำขอ #${id} อยู่ค่ะ เลือกจากปุ่มด้านล่าง หรือกด "ยกเลิก"`,

  reminderApplicationPending: (a: { id: number; measureTitle: string }) =>
    `📝 ท่านยื่นคำขอเข้าร่วมมาตรการ "${a.measureTitle}" ไว้แล้ว (คำขอเลขที่ ${a.id}) อยู่ระหว่างพิจารณา ไม่ต้องสมัครซ้ำค่ะ ระหว่างรอผล งวดตามสัญญาเดิมยังครบกำหนดตามเดิม ชำระเท่าที่ไหวจะช่วยให้ยอดค้างไม่เพิ่มค่ะ`,
  withdrawnNotice: (id: number, contractNo: string) => `ผู้กู้ยกเลิกคำขอ #${id} (สัญญา ${contractNo}) แล้วค่ะ ไม่ต้องพิจารณาต่อ`,
  overdue: (id: number, contractNo: string, level: ReviewLevel, deadlineAt: Date) =>
    `⏰ คำขอ #${id} (สัญญา ${contractNo}) เลยกำหนด 15 วันของ${REVIEW_LEVEL_THAI[level]}แล้ว (ครบกำหนด ${deadlineText(deadlineAt)}) กรุณาพิจารณาโดยเร็วค่ะ`,
  delegated: (from: ReviewLevel) => `ส่งถึงท่านแทน${REVIEW_LEVEL_THAI[from]} เพราะยังไม่มีเจ้าหน้าที่ระดับนั้นผูกบัญชีในพื้นที่นี้`,
  noPendingReviews: 'ขณะนี้ไม่มีคำขอเข้าร่วมมาตรการรอการพิจารณาของท่านค่ะ 🎉',
  pendingReviewsHead: (total: number) => `คำขอเข้าร่วมมาตรการรอท่านพิจารณา ${total.toLocaleString('en-US')} รายการค่ะ`,

  outcome: (o: { enrollmentId: number; borrowerName: string; contractNo: string; measureTitle: string; event: string; note: string | null; audience: string }) => {
    const who = `คำขอ #${o.enrollmentId} ของคุณ${o.borrowerName} (สัญญา ${o.contractNo}) มาตรการ "${o.measureTitle}"`;
    const forInfo = o.audience === 'tambon' ? '\n(แจ้งเพื่อทราบ สำหรับการติดตามในพื้นที่ของท่าน)' : '';
    switch (o.event) {
      case 'filed':
        return `📝 ลูกหนี้ในตำบลของท่านยื่น${who} แล้วค่ะ อยู่ระหว่างการพิจารณาของสำนักงานพัฒนาชุมชนอำเภอ${forInfo}`;
      case 'approved':
        return `✅ ${who} ได้รับอนุมัติแล้วค่ะ${forInfo}`;
      case 'rejected':
        return `❌ ${who} ไม่ได้รับอนุมัติค่ะ${o.note ? `\nเหตุผล: ${o.note}` : ''}${forInfo}`;
      default:
        return `↩️ ผู้กู้ยกเลิก${who} แล้วค่ะ${forInfo}`;
    }
  },
};
