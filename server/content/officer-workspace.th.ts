// The officer's workspace in Thai: answers and refusals, the work queue's reasons, link codes in chat, and the
// borrower's thank-you and promise reminder.
import { formatThaiDate, formatThaiDateTime, type LocalDate } from '../domain/local-date.ts';
import { formatSatang } from '../domain/money.ts';
import { formatLinkCode } from '../domain/link-code.ts';
import { MONEY_THAI } from './money.th.ts';

/** The number she can look up: a receipt's, or a transfer's bank reference; a slip's own number (SLIP12) means nothing to her. */
function receiptShown(receiptNo: string | null, channel?: string): string {
  if (!receiptNo) return '';
  if (MONEY_THAI.isSlipReceiptNo(receiptNo)) return ' (จากสลิปที่ท่านส่งในแชต)';
  return channel === 'transfer' ? ` (เลขอ้างอิงการโอน ${receiptNo})` : ` (ใบเสร็จเลขที่ ${receiptNo})`;
}

export const WORKSPACE_THAI = {
  notOfficer: 'หน้านี้สำหรับเจ้าหน้าที่และทีมพี่เลี้ยงที่ผูกบัญชี LINE แล้วเท่านั้นค่ะ',
  debtorNotFound: 'ไม่พบลูกหนี้รายนี้ค่ะ',
  debtorOutsideArea: 'ลูกหนี้รายนี้ไม่อยู่ในพื้นที่ที่ท่านดูแลค่ะ',
  contractNotFound: (contractNo: string) => `ไม่พบสัญญาเลขที่ ${contractNo} ในทะเบียนค่ะ`,
  contractOutsideArea: 'สัญญานี้ไม่อยู่ในพื้นที่ที่ท่านดูแลค่ะ',
  contractNotOfBorrower: 'สัญญานี้ไม่ใช่ของลูกหนี้รายนี้ค่ะ',
  mentorsCannotRecordPayments: 'ทีมพี่เลี้ยงบันทึกการติดตามและการนัดชำระได้ แต่การรับชำระเงินต้องบันทึกโดยเจ้าหน้าที่ค่ะ',
  mentorsCannotIssueCodes: 'การออกรหัสผูกบัญชีทำได้โดยเจ้าหน้าที่ค่ะ กรุณาแจ้งพัฒนากรประจำตำบล',
  mentorsCannotAssign: 'การมอบหมายพี่เลี้ยงทำได้โดยเจ้าหน้าที่ค่ะ',
  contactedOnRange: 'วันที่ติดต่อต้องไม่เป็นวันในอนาคต และย้อนหลังได้ไม่เกิน 60 วันค่ะ',
  nextActionRange: 'วันนัดครั้งถัดไปต้องไม่ก่อนวันที่ติดต่อ และไม่เกิน 1 ปีค่ะ',
  promiseRequired: 'ผลการติดตามเป็น "นัดชำระ" กรุณากรอกยอดและวันที่นัดชำระด้วยค่ะ',
  promiseDateRange: 'วันที่นัดชำระต้องไม่ก่อนวันที่ติดต่อ และไม่เกิน 1 ปีค่ะ',
  promiseCannotBeRemoved: 'การนัดชำระที่บันทึกแล้วลบไม่ได้ค่ะ แก้ยอดหรือวันที่ได้ระหว่างยังไม่ถึงวันนัด',
  promiseAlreadyJudged: 'การนัดชำระนี้สรุปผลแล้ว จึงแก้ไขไม่ได้ค่ะ',
  photosUnavailable: 'รูปภาพบางรูปใช้ไม่ได้แล้วค่ะ กรุณาแนบใหม่อีกครั้ง',
  photoType: 'รองรับเฉพาะรูปภาพ JPEG หรือ PNG ค่ะ',
  photosPerDay: 'วันนี้แนบรูปไปหลายครั้งแล้วค่ะ กรุณาบันทึกการติดตามด้วยรูปที่แนบไว้ หรือลองใหม่พรุ่งนี้',
  photoNotFound: 'ไม่พบรูปภาพนี้ค่ะ',
  followUpNotFound: 'ไม่พบบันทึกการติดตามนี้ค่ะ',
  followUpNotEditable: 'แก้ไขได้เฉพาะผู้บันทึก ภายใน 24 ชั่วโมงหลังบันทึกค่ะ',
  paidOnRange: 'วันที่ชำระต้องไม่เป็นวันในอนาคต และย้อนหลังได้ไม่เกิน 1 ปีค่ะ',
  overpayment: (outstanding: number) =>
    outstanding > 0
      ? `ยอดที่ชำระเกินยอดหนี้คงเหลือของสัญญานี้ (${formatSatang(outstanding)}) ค่ะ กรุณาตรวจสอบยอดอีกครั้ง`
      : 'สัญญานี้ชำระครบแล้วค่ะ ไม่มียอดคงเหลือให้บันทึก',
  promiseOverOutstanding: (outstanding: number) =>
    outstanding > 0
      ? `ยอดที่นัดชำระเกินยอดหนี้คงเหลือ (${formatSatang(outstanding)}) ค่ะ กรุณาตรวจสอบยอดอีกครั้ง`
      : 'ลูกหนี้รายนี้ชำระครบแล้วค่ะ ไม่มียอดให้นัดชำระ',
  receiptTaken: (receiptNo: string, amount: number, paidOn: LocalDate) =>
    `ใบเสร็จเลขที่ ${receiptNo} ของสัญญานี้บันทึกไว้แล้ว ยอด ${formatSatang(amount)} วันที่ ${formatThaiDate(paidOn)} ค่ะ หากบันทึกผิด ให้กลับรายการเดิมก่อนแล้วบันทึกใหม่`,
  paymentNotFound: 'ไม่พบรายการชำระเงินนี้ค่ะ',
  paymentConfirmedByRegistry: 'ทะเบียนของกองทุนนับยอดนี้แล้ว จึงกลับรายการที่นี่ไม่ได้ค่ะ กรุณาแก้ไขที่ทะเบียนแล้วนำเข้าใหม่',
  mentorNotInTambon: 'พี่เลี้ยงต้องอยู่ตำบลเดียวกับลูกหนี้ค่ะ',
  tambonNotInArea: 'ตำบลนี้ไม่อยู่ในพื้นที่ที่ท่านดูแลค่ะ',
  batchUnavailable: 'ลิงก์นี้ใช้ไปแล้วหรือหมดอายุแล้วค่ะ กรุณาสร้างชุดรหัสใหม่จากหน้าพื้นที่ของฉัน',
  addFriendUrlMissing: 'ยังไม่ได้ตั้งค่าลิงก์เพิ่มเพื่อนของบัญชี LINE (LINE_ADD_FRIEND_URL) กรุณาแจ้งผู้ดูแลระบบค่ะ',
  slipSheetTitle: 'รหัสผูกบัญชี LINE สำหรับลูกหนี้ — เวทีประชาคมประจำเดือน',
};

/** Why a debtor is in the work queue. */
export const WORK_REASON_THAI = {
  followUpDue: (nextActionOn: LocalDate, today: LocalDate, kindLabel: string) =>
    nextActionOn < today
      ? `เลยวันนัดติดตาม ${formatThaiDate(nextActionOn)} (ครั้งก่อน: ${kindLabel})`
      : `นัดติดตาม ${formatThaiDate(nextActionOn)} (ครั้งก่อน: ${kindLabel})`,
  promiseBroken: (amount: number, promisedOn: LocalDate) => `ผิดนัดชำระ ${formatSatang(amount)} ที่นัดไว้วันที่ ${formatThaiDate(promisedOn)}`,
  promisePartly: (paid: number, amount: number, promisedOn: LocalDate) =>
    `ชำระบางส่วน ${formatSatang(paid)} จาก ${formatSatang(amount)} ที่นัดไว้วันที่ ${formatThaiDate(promisedOn)}`,
  promisePastDue: (amount: number, promisedOn: LocalDate) => `เลยวันนัดชำระ ${formatSatang(amount)} (${formatThaiDate(promisedOn)}) ยังไม่พบการชำระ`,
  crossing: (threshold: number, reachedOn: LocalDate) => `ค้างชำระครบ ${threshold} วัน ในวันที่ ${formatThaiDate(reachedOn)}`,
};

/** The delivery history's kinds, as the debtor page's timeline says them. */
export const REMINDER_KIND_THAI: Record<string, string> = {
  borrower_due_soon: 'แจ้งเตือนก่อนครบกำหนด',
  borrower_due_today: 'แจ้งเตือนวันครบกำหนด',
  borrower_overdue_1: 'แจ้งเตือนค้างชำระ (1 วัน)',
  borrower_overdue_7: 'แจ้งเตือนค้างชำระ (7 วัน)',
  borrower_overdue_30: 'แจ้งเตือนค้างชำระ (30 วัน)',
  borrower_overdue_repeat: 'แจ้งเตือนค้างชำระ (รายเดือน)',
  borrower_keep_paying: 'แจ้งเตือนพักหนี้ไม่พักจ่าย',
  payment_thanks: 'ข้อความขอบคุณที่ชำระเงิน',
  payment_reversed: 'แจ้งการกลับรายการชำระเงิน',
  promise_reminder: 'เตือนวันนัดชำระ',
  slip_rejected: 'แจ้งผลตรวจสลิป (ไม่รับสลิป)',
  account_replaced: 'แจ้งบัญชี LINE เดิมว่าถูกยกเลิกการผูก',
};

export const DELIVERY_STATUS_THAI: Record<string, string> = { sent: 'ส่งแล้ว', pending: 'รอส่ง', dead: 'ส่งไม่สำเร็จ', cancelled: 'ยกเลิก' };
/** A reminder waiting for a borrower without LINE goes only if she links before its day; otherwise it is called off. */
export const PENDING_UNLINKED_THAI = 'รอส่ง (ผู้กู้ยังไม่ได้ผูก LINE ต้องผูกก่อนวันนั้นจึงจะได้รับ)';

export const APPLICATION_KIND_THAI = 'คำขอเข้าร่วมมาตรการ';

/** The chat's "ขอรหัส …" answers. */
export const CHAT_CODE_THAI = {
  usage: 'พิมพ์ "ขอรหัส" ตามด้วยชื่อหรือเลขที่สัญญาของลูกหนี้ เช่น ขอรหัส สมศรี หรือ ขอรหัส TRT-2566-0001 ค่ะ',
  none: (query: string) =>
    /\d/.test(query)
      ? `ไม่พบสัญญา "${query}" ในพื้นที่ที่ท่านดูแลค่ะ ตรวจเลขที่สัญญาอีกครั้ง ถ้าเป็นลูกหนี้ของพื้นที่อื่น ให้เจ้าหน้าที่ของพื้นที่นั้นออกรหัส`
      : `ไม่พบลูกหนี้ "${query}" ในพื้นที่ที่ท่านดูแลค่ะ ลองพิมพ์ชื่อให้ตรงขึ้น หรือใช้เลขที่สัญญา`,
  many: (query: string, matches: Array<{ fullName: string; contractNo: string | null; linked: boolean }>, more: boolean) =>
    [
      `พบลูกหนี้ที่ตรงกับ "${query}" ${matches.length}${more ? ' รายขึ้นไป' : ' ราย'} แตะชื่อคนที่ต้องการด้านล่าง` +
        `${more ? ' (ถ้าไม่มีในรายชื่อ พิมพ์ "ขอรหัส" ตามด้วยเลขที่สัญญา)' : ' หรือพิมพ์ "ขอรหัส" ตามด้วยเลขที่สัญญา'}ค่ะ`,
      ...matches.map((m, i) => `${i + 1}. ${m.fullName} · ${m.contractNo ?? 'ไม่มีสัญญา'}${m.linked ? ' (ผูกบัญชีแล้ว)' : ''}`),
    ].join('\n'),
  issued: (issued: { fullName: string; code: string; expiresAt: Date; alreadyLinked: boolean }) =>
    [
      `รหัสผูกบัญชีของคุณ${issued.fullName}: ${formatLinkCode(issued.code)}`,
      `ใช้ได้ครั้งเดียว ถึง ${formatThaiDateTime(issued.expiresAt)}`,
      'ให้ลูกหนี้เพิ่มเพื่อนบัญชีนี้ แล้วพิมพ์รหัส 8 หลักส่งในแชตค่ะ (รหัสเดิมที่ยังไม่ได้ใช้ถูกยกเลิกแล้ว)',
      ...(issued.alreadyLinked ? ['⚠️ ลูกหนี้รายนี้ผูกบัญชีแล้ว ถ้าใช้รหัสใหม่ บัญชี LINE เดิมจะถูกยกเลิกการผูก'] : []),
    ].join('\n'),
  notAllowed: 'การออกรหัสผูกบัญชีทำได้โดยเจ้าหน้าที่ค่ะ กรุณาแจ้งพัฒนากรประจำตำบล',
};

/** What the borrower reads. */
export const BORROWER_NOTICE_THAI = {
  paymentThanks: (n: { fullName: string; contractNo: string; amount: number; paidOn: LocalDate; receiptNo: string; channel?: string; outstanding: number; nextDue: { dueOn: LocalDate; amount: number } | null }) =>
    [
      `ขอบคุณค่ะ คุณ${n.fullName} 🙏`,
      `ได้รับชำระสัญญา ${n.contractNo} ยอด ${formatSatang(n.amount)} เมื่อวันที่ ${formatThaiDate(n.paidOn)} แล้วค่ะ${receiptShown(n.receiptNo, n.channel)}`,
      n.outstanding > 0 ? `ยอดหนี้คงเหลือ ${formatSatang(n.outstanding)}` : 'สัญญานี้ชำระครบแล้ว ยินดีด้วยค่ะ 🎉',
      ...(n.nextDue ? [`งวดถัดไป ${formatThaiDate(n.nextDue.dueOn)} ยอด ${formatSatang(n.nextDue.amount)}`] : []),
      'พิมพ์ "ยอดหนี้" เพื่อดูรายละเอียดได้ค่ะ',
    ].join('\n'),
  paymentReversed: (n: { fullName: string; contractNo: string; amount: number; paidOn: LocalDate; receiptNo: string | null; reason: string; outstanding: number; slipSentAgain: boolean }) =>
    [
      `คุณ${n.fullName}คะ แจ้งการแก้ไขรายการชำระเงิน`,
      `รายการชำระสัญญา ${n.contractNo} ยอด ${formatSatang(n.amount)} วันที่ ${formatThaiDate(n.paidOn)}${receiptShown(n.receiptNo)} ที่แจ้งไว้ก่อนหน้านี้ เจ้าหน้าที่ได้ยกเลิกแล้ว จึงยังไม่นับเป็นยอดชำระค่ะ`,
      `เหตุผล: ${n.reason}`,
      n.slipSentAgain ? 'เจ้าหน้าที่จะตรวจสลิปที่ท่านส่งอีกครั้งและแจ้งผลในแชตนี้ค่ะ' : 'หากท่านชำระเงินแล้ว กด "ติดต่อเจ้าหน้าที่" ด้านล่าง แล้วแจ้งพร้อมใบเสร็จหรือสลิปได้เลยค่ะ',
      `ยอดหนี้คงเหลือของสัญญานี้ ${formatSatang(n.outstanding)}`,
    ].join('\n'),
  promiseReminder: (n: { fullName: string; amount: number; promisedOn: LocalDate; contractNo: string | null; paid?: number }) =>
    [
      `สวัสดีค่ะ คุณ${n.fullName} 🌸`,
      `พรุ่งนี้ (${formatThaiDate(n.promisedOn)}) เป็นวันที่ท่านนัดชำระ${n.contractNo ? `สัญญา ${n.contractNo}` : ''} ยอด ${formatSatang(n.amount)} ไว้กับเจ้าหน้าที่ค่ะ`,
      ...(n.paid && n.paid > 0 && n.paid < n.amount ? [`ท่านชำระแล้ว ${formatSatang(n.paid)} ขอบคุณค่ะ เหลืออีก ${formatSatang(n.amount - n.paid)}`] : []),
      'ชำระได้ที่สำนักงานพัฒนาชุมชนอำเภอ หรือโอนเข้าบัญชีกองทุนตามสัญญา (กด "วิธีชำระ" ที่เมนูด้านล่าง)',
      'หากติดขัด บอกเจ้าหน้าที่ได้เสมอ ขอบคุณค่ะ 🙏',
    ].join('\n'),
};

/** A line of the weekly digest. */
export const brokenPromisesDigestLine = (count: number) =>
  count > 0 ? `🤝 ลูกหนี้ผิดนัดชำระตามที่ตกลงไว้ในสัปดาห์ที่ผ่านมา ${count} ราย (ดูใน "งานของฉัน")` : '🤝 สัปดาห์ที่ผ่านมาไม่มีลูกหนี้ผิดนัดชำระตามที่ตกลงไว้';
