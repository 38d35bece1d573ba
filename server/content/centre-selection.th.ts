// What officers read about selection rounds, centres and assessments: errors, statuses, LINE notices, and the
// headings of the ranking's XLSX and each centre's PDF page. The rubric's own words are data (centre-rubric.v1.json).
import { formatThaiDate, type LocalDate } from '../domain/local-date.ts';
import { MANAGEMENT_AREA } from '../domain/centre-rubric.ts';

export const CENTRE_THAI = {
  notAllowed: 'หน้านี้สำหรับเจ้าหน้าที่สำนักงานพัฒนาชุมชนอำเภอและจังหวัดค่ะ',
  provinceOnly: 'เฉพาะเจ้าหน้าที่ระดับจังหวัดค่ะ',
  scorersOnly: 'ผู้ให้คะแนนคือเจ้าหน้าที่สำนักงานพัฒนาชุมชนอำเภอหรือพัฒนากรของพื้นที่ค่ะ',
  tambonOutside: 'ตำบลนี้ไม่อยู่ในพื้นที่ของท่านค่ะ',
  centreExists: 'ตำบลนี้มีศูนย์ชื่อนี้ลงทะเบียนไว้แล้วค่ะ',
  centreNotFound: 'ไม่พบศูนย์นี้ค่ะ',
  centreOutside: 'ศูนย์นี้ไม่อยู่ในพื้นที่ของท่านค่ะ',
  roundNotFound: 'ไม่พบรอบการคัดเลือกนี้ค่ะ',
  roundOutside: 'รอบการคัดเลือกนี้เป็นของจังหวัดอื่นค่ะ',
  roundExists: (year: number) => `จังหวัดนี้เปิดรอบการคัดเลือกปีงบประมาณ ${year} ไว้แล้วค่ะ`,
  roundClosed: 'รอบการคัดเลือกนี้ปิดรับแล้วค่ะ แก้ไขหรือส่งเพิ่มไม่ได้',
  deadlinePast: 'วันสุดท้ายที่รับต้องไม่ก่อนวันนี้ค่ะ',
  provinceUnknown: 'บัญชีของท่านยังไม่ได้ผูกกับจังหวัดใดค่ะ',
  rubricNotFound: 'ไม่พบเกณฑ์ฉบับนี้ค่ะ',
  rubricIncomplete: 'เกณฑ์ฉบับนี้ยังไม่ครบ จึงยังเปิดรอบการคัดเลือกไม่ได้ค่ะ',
  rubricNoEdits: 'ไม่มีการแก้ไขใดจากฉบับเดิมค่ะ',
  alreadySubmitted: 'ผลการประเมินฉบับนี้ส่งแล้ว แก้ไขไม่ได้ค่ะ หากต้องแก้ กรุณากด "ขอแก้ไข" พร้อมเหตุผล',
  staleDraft: 'มีการบันทึกจากเครื่องอื่นหลังจากที่เปิดหน้านี้ กรุณาโหลดหน้าใหม่เพื่อดูฉบับล่าสุดก่อนบันทึกค่ะ',
  nothingToSubmit: 'ยังไม่มีผลการประเมินที่บันทึกไว้ค่ะ',
  notCorrectable: 'แก้ไขได้เฉพาะผลการประเมินที่ส่งแล้ว และยังไม่มีฉบับแก้ไขที่ค้างอยู่ค่ะ',
  notSubmitted: 'ศูนย์นี้ยังไม่ได้ส่งผลการประเมินค่ะ',
  fileNotFound: 'ไม่พบไฟล์นี้ค่ะ',
  fileType: 'รองรับเฉพาะรูปภาพ JPEG, PNG หรือเอกสาร PDF ค่ะ',
  fileMissing: 'ไม่พบไฟล์ที่แนบค่ะ',
  tooManyFiles: 'แนบไฟล์ได้ไม่เกิน 60 ไฟล์ต่อผลการประเมินค่ะ',
  indicatorUnknown: (code: string) => `ไม่มีตัวชี้วัด ${code} ในเกณฑ์ฉบับนี้ค่ะ`,
  scoresRejected: 'บางตัวชี้วัดให้คะแนนไม่ได้ค่ะ',

  roundOpen: (deadlineOn: LocalDate) => `เปิดรับถึง ${formatThaiDate(deadlineOn)}`,
  roundClosedLabel: 'ปิดรับแล้ว',

  missingUnscored: (codes: readonly string[]) => `ยังไม่ได้ให้คะแนน ${codes.length} ตัวชี้วัด: ${codes.join(', ')}`,
  missingNotScoreable: (codes: readonly string[]) => `เกณฑ์ยังไม่ครบ ให้คะแนนไม่ได้: ${codes.join(', ')}`,
  missingEvidence: (codes: readonly string[]) => `ให้คะแนนแล้วแต่ยังไม่มีหลักฐาน (ตรวจสอบอีกครั้ง): ${codes.join(', ')}`,
  missingVideo: 'ยังไม่มีลิงก์คลิปวิดีโอ',

  tieRule: `เรียงตามคะแนนรวม ถ้าคะแนนรวมเท่ากันใช้คะแนนด้านที่ ${MANAGEMENT_AREA} (ด้านการบริหารจัดการ) ตัดสิน ถ้ายังเท่ากันให้คณะกรรมการพิจารณา`,

  /** LINE: a province opened a round (to the district offices of the province). */
  roundOpenedNotice: (n: { province: string; fiscalYearBE: number; deadlineOn: LocalDate; videoMaxMinutes: number }) =>
    `📋 จังหวัด${n.province}เปิดรอบคัดเลือกศูนย์จัดการกองทุนชุมชนต้นแบบด้านการบริหารจัดการหนี้ ปีงบประมาณ ${n.fiscalYearBE}\n` +
    `ขอให้อำเภอคัดเลือกศูนย์ที่มีผลงานดีเด่น ให้คะแนนตามเกณฑ์ 20 ตัวชี้วัด (100 คะแนน) พร้อมหลักฐาน และลิงก์คลิปวิดีโอไม่เกิน ${n.videoMaxMinutes} นาที ` +
    `ในหน้าเจ้าหน้าที่ แล้วกดส่งภายในวันที่ ${formatThaiDate(n.deadlineOn, 'long')}`,
  /** LINE: 7 days and 1 day before the deadline. */
  roundReminder: (n: { province: string; fiscalYearBE: number; deadlineOn: LocalDate; daysLeft: number; submitted: number; centres: number }) =>
    `⏰ ใกล้ครบกำหนดส่งผลคัดเลือกศูนย์จัดการกองทุนชุมชนต้นแบบ ปีงบประมาณ ${n.fiscalYearBE}\n` +
    `ส่งภายในวันที่ ${formatThaiDate(n.deadlineOn, 'long')}${n.daysLeft > 0 ? ` (อีก ${n.daysLeft} วัน)` : ' (วันนี้)'}\n` +
    `อำเภอของท่านส่งแล้ว ${n.submitted} จาก ${n.centres} ศูนย์ที่ลงทะเบียนไว้`,
  openButton: 'เปิดหน้าคัดเลือก',

  xlsxSheet: 'อันดับศูนย์',
  xlsxTitle: (province: string, year: number) => `ผลคัดเลือกศูนย์จัดการกองทุนชุมชนต้นแบบ จังหวัด${province} ปีงบประมาณ ${year}`,
  columns: {
    rank: 'อันดับ',
    centre: 'ศูนย์จัดการกองทุนชุมชน',
    tambon: 'ตำบล',
    district: 'อำเภอ',
    total: 'คะแนนรวม (อำเภอ)',
    area: (code: string, max: number) => `ด้านที่ ${code} (${max})`,
    verification: 'คะแนนตรวจสอบ (จังหวัด)',
    version: 'ฉบับที่',
    withoutEvidence: 'ตัวชี้วัดที่ไม่มีหลักฐาน',
    note: 'หมายเหตุ',
  },
  pdf: {
    heading: 'สรุปผลการประเมินศูนย์จัดการกองทุนชุมชน',
    district: 'คะแนนของอำเภอ',
    verification: 'คะแนนตรวจสอบของจังหวัด',
    noVerification: 'ยังไม่ได้ตรวจสอบ',
    video: 'คลิปวิดีโอ',
    noVideo: 'ไม่มีลิงก์',
    evidence: (checked: number, files: number) => `หลักฐาน ${checked} รายการ · ไฟล์ ${files}`,
    noEvidence: 'ไม่มีหลักฐาน',
    submitted: (when: string, version: number) => `ส่งเมื่อ ${when} (ฉบับที่ ${version})`,
    members: 'กลุ่มสมาชิก',
    contact: 'ผู้ประสานงาน',
  },
} as const;
