// How the borrower's data copy says things: what each audited action, message kind and payment source means,
// in plain Thai. Unknown codes fall back to a general phrase rather than showing a code.

const AUDIT_ACTION: Record<string, string> = {
  'borrower.view': 'เปิดดูข้อมูลหนี้ของท่าน',
  'borrower.delivery_history': 'ดูประวัติข้อความที่ส่งถึงท่าน',
  'borrower.data_copy': 'ท่านขอดูสำเนาข้อมูลของท่าน',
  'debtor.list': 'ดูรายชื่อลูกหนี้ในพื้นที่',
  'report.debtors': 'ดูรายชื่อลูกหนี้ในรายงาน',
  'enrollment.submit': 'ยื่นคำขอเข้าร่วมมาตรการ',
  'enrollment.view': 'เปิดดูคำขอเข้าร่วมมาตรการ',
  'enrollment.document.view': 'เปิดดูเอกสารแนบของคำขอ',
  'enrollment.transition': 'พิจารณาคำขอเข้าร่วมมาตรการ',
  'enrollment.resubmit': 'ส่งเอกสารเพิ่มเติมของคำขอเข้าร่วมมาตรการ',
  'enrollment.withdraw': 'ยกเลิกคำขอเข้าร่วมมาตรการ',
  'loan.measure_applied': 'บันทึกมาตรการในสัญญาเงินกู้',
  'line.link': 'ผูกบัญชี LINE',
  'line.unlink': 'ยกเลิกการผูกบัญชี LINE',
  'link_code.issue': 'ออกรหัสผูกบัญชี',
  'registry.import': 'นำเข้าข้อมูลจากทะเบียนลูกหนี้',
  'follow_up.record': 'บันทึกการติดตามเยี่ยมบ้าน',
  'follow_up.edit': 'แก้ไขบันทึกการติดตาม',
  'follow_up.photo.view': 'เปิดดูรูปถ่ายการติดตาม',
  'payment.record': 'บันทึกการรับชำระเงิน',
  'payment.reverse': 'ยกเลิกรายการรับชำระเงิน',
  'promise.judge': 'บันทึกผลนัดชำระ',
  'mentor.assign': 'กำหนดพี่เลี้ยง',
  'officer.work_queue': 'ดูรายการงานติดตามของเจ้าหน้าที่',
  'retention.anonymise': 'ลบข้อมูลส่วนบุคคลตามระยะเวลาเก็บรักษา',
  'slip.receive': 'ท่านส่งรูปสลิปทาง LINE',
  'slips.list': 'ดูรายการสลิปรอตรวจ',
  'slip.view': 'เปิดดูรูปสลิปที่ท่านส่ง',
  'slip.confirm': 'ตรวจสลิปและบันทึกการชำระ',
  'slip.reject': 'ตรวจสลิปแล้วไม่รับ',
};

const MESSAGE_KIND: Record<string, string> = {
  borrower_reminder: 'แจ้งเตือนการชำระ',
  enrollment_update: 'ความคืบหน้าคำขอเข้าร่วมมาตรการ',
  enrollment_outcome: 'ผลการพิจารณาคำขอ',
  enrollment_withdrawn: 'การถอนคำขอ',
  payment_thanks: 'ขอบคุณที่ชำระเงิน',
  payment_reversed: 'แจ้งการแก้ไขรายการชำระเงิน',
  promise_reminder: 'เตือนวันนัดชำระ',
  slip_rejected: 'ผลการตรวจสลิป',
  account_replaced: 'แจ้งบัญชี LINE เดิมว่าถูกยกเลิกการผูก เมื่อผูกบัญชีใหม่',
};

const MESSAGE_STATUS: Record<string, string> = { pending: 'รอส่ง', sent: 'ส่งแล้ว', dead: 'ส่งไม่สำเร็จ', cancelled: 'ยกเลิกการส่ง' };

const PAYMENT_SOURCE: Record<string, string> = {
  registry_import: 'ตามทะเบียนลูกหนี้ของกองทุน',
  officer: 'เจ้าหน้าที่บันทึก',
  officer_reversal: 'เจ้าหน้าที่ยกเลิกรายการที่บันทึกผิด',
  slip: 'สลิปโอนเงิน',
};

export const describeAuditAction = (action: string): string => AUDIT_ACTION[action] ?? 'ดำเนินการกับข้อมูลของท่าน';
export const describeMessageKind = (kind: string): string => MESSAGE_KIND[kind] ?? 'ข้อความจากกองทุน';
export const describeMessageStatus = (status: string): string => MESSAGE_STATUS[status] ?? status;
export const describePaymentSource = (source: string): string => PAYMENT_SOURCE[source] ?? 'บันทึกการชำระ';

/** Who did it, as she would say it. */
export const ACTOR = { herself: 'ท่านเอง', otherLineAccount: 'บัญชี LINE อื่น', administrator: 'ผู้ดูแลระบบ', system: 'ระบบอัตโนมัติ', officer: 'เจ้าหน้าที่' };
