// Money in, in Thai: paying by QR in the chat, slips sent in the chat and the officers' queue, statement imports.
import { formatThaiDate, formatThaiDateTime, type LocalDate } from '../domain/local-date.ts';
import { formatSatang } from '../domain/money.ts';

export const MONEY_THAI = {
  qrTitle: 'กองทุนพัฒนาบทบาทสตรี',
  qrContract: (contractNo: string) => `สัญญาเลขที่ ${contractNo}`,
  qrWhat: (installmentSeq: number, dueOn: LocalDate | null) =>
    installmentSeq === 0 ? 'ยอดค้างชำระทั้งหมด' : `ค่างวดที่ ${installmentSeq}${dueOn ? ` ครบกำหนด ${formatThaiDate(dueOn)}` : ''}`,
  qrRefs: (ref1: string, ref2: string) => `Ref.1 ${ref1}  Ref.2 ${ref2}`,
  qrFooter: 'บันทึกรูปนี้ แล้วเปิดในแอปธนาคารเพื่อสแกนจ่าย',
  qrAltText: (contractNo: string, amount: number) => `QR ชำระเงินสัญญา ${contractNo} ยอด ${formatSatang(amount)}`,
  payByQrIntro: (offers: ReadonlyArray<{ contractNo: string; amount: number; installmentSeq: number; dueOn: LocalDate | null }>) =>
    [
      'จ่ายผ่านแอปธนาคารได้เลยค่ะ 📱',
      ...offers.map((o) => `• สัญญา ${o.contractNo}: ${o.installmentSeq === 0 ? 'ยอดค้างชำระ' : `งวดที่ ${o.installmentSeq}${o.dueOn ? ` (ครบกำหนด ${formatThaiDate(o.dueOn)})` : ''}`} ${formatSatang(o.amount)}`),
      '',
      'วิธีจ่าย: กดค้างที่รูป QR ด้านล่าง เลือก "บันทึก" แล้วเปิดแอปธนาคาร เลือก "สแกนจ่าย" และเลือกรูปจากอัลบั้ม ยอดเงินและเลขอ้างอิงจะขึ้นให้เองค่ะ',
      'จ่ายแล้ว ส่งรูปสลิปในแชตนี้ได้เลย เจ้าหน้าที่จะตรวจและบันทึกให้ค่ะ',
    ].join('\n'),
  nothingDueNow: 'ตอนนี้ไม่มียอดที่ต้องชำระค่ะ 😊 หากต้องการชำระล่วงหน้า ชำระได้ตามช่องทางด้านล่าง',
  reminderQrHint: 'สแกนจ่ายได้จากรูป QR นี้ (บันทึกรูปแล้วเปิดในแอปธนาคาร) จ่ายแล้วส่งรูปสลิปในแชตนี้ได้เลยค่ะ',
  qrLinkExpired: 'รูป QR นี้หมดอายุแล้วค่ะ พิมพ์ "วิธีชำระ" เพื่อรับ QR ใหม่',

  slipReceived: (name: string, readRef: boolean) =>
    readRef
      ? [`ได้รับสลิปแล้วค่ะ คุณ${name} ขอบคุณมากนะคะ 🙏`, 'เจ้าหน้าที่กำลังตรวจสอบ เมื่อบันทึกการชำระแล้ว ระบบจะแจ้งให้ทราบในแชตนี้ค่ะ'].join('\n')
      : // No slip QR could be read: it may be a slip photographed badly, or another picture altogether.
        [`ได้รับรูปแล้วค่ะ คุณ${name} ขอบคุณนะคะ 🙏`, 'หากเป็นสลิปการโอนเงิน เจ้าหน้าที่จะตรวจและบันทึกการชำระ แล้วแจ้งผลในแชตนี้ค่ะ (ถ้ารูปไม่ชัด เจ้าหน้าที่อาจขอให้ส่งใหม่)'].join('\n'),
  photoWhileDocumentsAsked: (name: string, applicationIds: readonly number[], documents: readonly string[]) =>
    [
      `ได้รับรูปแล้วค่ะ คุณ${name} 🙏`,
      `ถ้าเป็นเอกสารที่เจ้าหน้าที่ขอสำหรับคำขอเลขที่ ${applicationIds.join(', ')}${documents.length ? ` (${documents.join(', ')})` : ''} ` +
        'รูปที่ส่งในแชตยังไม่ถึงคำขอนะคะ กรุณากดปุ่ม "แนบเอกสาร" ด้านล่าง แล้วแนบรูปนั้นในหน้าคำขอ คำขอจะกลับไปพิจารณาต่อทันที',
      'ถ้าเป็นสลิปโอนเงิน กรุณาถ่ายรูปสลิปให้เห็นคิวอาร์โค้ดชัด ๆ แล้วส่งมาอีกครั้งค่ะ',
    ].join('\n'),
  slipDuplicate: (name: string, firstAt: Date) =>
    `คุณ${name}คะ สลิปนี้ส่งมาแล้วเมื่อ ${formatThaiDateTime(firstAt)} ไม่ต้องส่งซ้ำนะคะ 🙏 เจ้าหน้าที่จะตรวจและแจ้งผลในแชตนี้ค่ะ`,
  slipAlreadyStored: 'ได้รับรูปนี้แล้วค่ะ เจ้าหน้าที่กำลังตรวจสอบ 🙏',
  sameTransferRecorded: (recorded: number) =>
    `รายการโอนเดียวกันนี้บันทึกรับชำระให้ลูกหนี้อีกรายไปแล้ว ${formatSatang(recorded)} ค่ะ ตรวจยอดในสลิปก่อน: ` +
    'ถ้ายอดโอนครอบคลุมทั้งสองคนจริง กด "ยืนยันบันทึกรับชำระ" ถ้าไม่ใช่ กด "ไม่รับสลิปนี้"',
  slipsFull: (name: string, perDay: number, againAt: Date) =>
    `คุณ${name}คะ ใน 24 ชั่วโมงที่ผ่านมาส่งรูปมาครบ ${perDay} รูปแล้ว รูปนี้จึงยังไม่ได้เก็บไว้ให้เจ้าหน้าที่ค่ะ 🙏 ` +
    `สลิปที่ส่งมาแล้วเจ้าหน้าที่กำลังตรวจ ถ้ายังมีสลิปอื่นอีก ส่งได้อีกครั้งหลัง ${formatThaiDateTime(againAt)} หรือกด "ติดต่อเจ้าหน้าที่" ค่ะ`,
  slipUnreadable: (name: string) => `ได้รับรูปแล้วค่ะ คุณ${name} แต่เปิดรูปนี้ไม่ได้ กรุณาถ่ายรูปสลิปแล้วส่งมาใหม่อีกครั้งนะคะ 🙏`,
  slipsWaitingNotice: (n: { count: number; oldestReceivedAt: string }) =>
    [
      `มีสลิปโอนเงินที่ผู้กู้ในพื้นที่ส่งมาทาง LINE รอตรวจ ${n.count.toLocaleString('th-TH')} รายการค่ะ (รายการที่รอนานที่สุดส่งมาเมื่อ ${formatThaiDateTime(new Date(n.oldestReceivedAt))})`,
      'ตรวจแล้วบันทึกรับชำระ ระบบจะส่งข้อความขอบคุณผู้กู้ และถ้ายอดครบจะไม่เตือนผู้กู้ว่าค้างชำระอีกค่ะ',
    ].join('\n'),
  slipsWaitingButton: 'เปิดสลิปรอตรวจ',
  slipRejectedNotice: (n: { fullName: string; receivedAt: string; reason: string }) =>
    [
      `คุณ${n.fullName}คะ เจ้าหน้าที่ตรวจสลิปที่ท่านส่งเมื่อ ${formatThaiDateTime(new Date(n.receivedAt))} แล้ว ยังบันทึกเป็นการชำระไม่ได้ค่ะ`,
      `เหตุผล: ${n.reason}`,
      'หากท่านโอนเงินแล้ว ส่งรูปสลิปที่ชัดเจนมาใหม่ หรือกด "ติดต่อเจ้าหน้าที่" ที่เมนูด้านล่างได้เลยค่ะ',
    ].join('\n'),

  slipNotFound: 'ไม่พบสลิปนี้ค่ะ',
  slipOutsideArea: 'สลิปนี้เป็นของลูกหนี้นอกพื้นที่ที่ท่านดูแลค่ะ',
  /** Another officer decided it first: who, and what (the card is out of date). */
  slipDecidedBy: (status: string, decidedBy: string | null) =>
    `สลิปนี้${status === 'confirmed' ? 'บันทึกรับชำระแล้ว' : status === 'rejected' ? 'ถูกแจ้งไม่รับแล้ว' : 'ไม่ต้องตรวจแล้ว'}${decidedBy ? `โดยคุณ${decidedBy}` : ''}ค่ะ ไม่ต้องทำซ้ำ`,
  mentorsCannotDecideSlips: 'การยืนยันหรือปฏิเสธสลิปทำได้โดยเจ้าหน้าที่ค่ะ',
  slipContractNotOfBorrower: 'สัญญานี้ไม่ใช่ของผู้ส่งสลิปค่ะ',
  slipReceiptNo: (slipId: number) => `SLIP${slipId}`,
  /** Whether a receipt number is a slip's own (`slipReceiptNo`), which means nothing to the borrower. */
  isSlipReceiptNo: (receiptNo: string) => /^SLIP\d+$/.test(receiptNo),

  statementHeader: (problems: string[]) => `หัวตารางไม่ถูกต้อง: ${problems.join('; ')} (ต้องเป็น paid_on,amount,ref1,ref2,reference)`,
  statementEmpty: 'ไฟล์ไม่มีรายการค่ะ',
  statementNotCsv: 'อ่านไฟล์ไม่ได้ค่ะ ต้องเป็นไฟล์ CSV (UTF-8)',
  statementUploadRole: 'การนำเข้ารายการเดินบัญชีทำได้โดยเจ้าหน้าที่ระดับจังหวัดขึ้นไปค่ะ',
  statementOutsideArea: 'Ref1 นี้เป็นของสัญญานอกพื้นที่ของท่าน จึงไม่บันทึก — ถ้าเงินเข้าบัญชีกองทุนของท่านจริง แจ้งเจ้าหน้าที่ระดับกรมหรือผู้ดูแลระบบ ให้บันทึกรายการนี้จากหน้า "รายการเดินบัญชี"',
  statementOverpaid: (contractNo: string, outstanding: number) =>
    outstanding > 0 ? `ยอดเกินหนี้คงเหลือของสัญญา ${contractNo} (${formatSatang(outstanding)}) ให้เจ้าหน้าที่ตรวจสอบ` : `สัญญา ${contractNo} ชำระครบแล้ว ให้เจ้าหน้าที่ตรวจสอบ`,
  statementReceiptTaken: (contractNo: string) => `สัญญา ${contractNo} มีการชำระเลขอ้างอิงนี้ด้วยยอดหรือวันที่ต่างกันแล้ว ให้เจ้าหน้าที่ตรวจสอบ`,
  statementTooOld: 'วันที่ชำระย้อนหลังเกิน 1 ปี หรือเป็นวันในอนาคต ให้เจ้าหน้าที่ตรวจสอบ',
  exceptionNotFound: 'ไม่พบรายการนี้ค่ะ',
  exceptionResolved: 'รายการนี้มีผู้บันทึกแล้วค่ะ',
  exceptionDismissed: 'รายการนี้ถูกปิดไปแล้วค่ะ',
  exceptionOutsideArea: 'รายการนี้เป็นของสัญญานอกพื้นที่ที่ท่านดูแลค่ะ',
};

/** The one line the CLI ends with (scripts read it). */
export function statementSummaryLine(s: { recorded: number; alreadyKnown: number; unmatched: number }): string {
  return `statement import: recorded ${s.recorded}, already known ${s.alreadyKnown}, unmatched ${s.unmatched}`;
}
