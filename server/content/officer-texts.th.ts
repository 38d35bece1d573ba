// What the bot tells officers outside a conversation (forum, report and quota notices), in Thai.
import { formatThaiDate, formatThaiDateTime, type LocalDate } from '../domain/local-date.ts';

const count = (n: number) => n.toLocaleString('en-US');

import { formatAreaPath } from './area-names.ts';

export const OFFICER_THAI = {
  coverageGaps: (gaps: ReadonlyArray<{ level: 'district' | 'province'; path: string; borrowers: number }>, more: boolean) =>
    '⚠️ พื้นที่ที่ยังไม่มีเจ้าหน้าที่ผูกบัญชี LINE\nคำขอเข้าร่วมมาตรการจากพื้นที่เหล่านี้จะส่งไปยังเจ้าหน้าที่ระดับสูงขึ้นแทน กรุณาออกรหัสผูกบัญชีให้เจ้าหน้าที่ของพื้นที่\n' +
    gaps.map((g) => `• ${g.level === 'district' ? 'สำนักงานพัฒนาชุมชน' : 'กองทุนฯ '}${formatAreaPath(g.path)} (ลูกหนี้ ${g.borrowers.toLocaleString('en-US')} ราย)`).join('\n') +
    (more ? '\nและพื้นที่อื่นอีก' : ''),
  forumReminder:
    `📣 เดือนนี้อย่าลืมจัดเวทีพบปะลูกหนี้ (กระบวนการ 5 ท.) อย่างน้อย 1 ครั้งค่ะ\n` +
    'ร่วมกับกลไกในพื้นที่ วิเคราะห์ปัญหาและข้อจำกัดของลูกหนี้ แนะนำมาตรการ "พักหนี้ไม่พักจ่าย" และส่งเสริมการออมและอาชีพเสริม\n' +
    'ในเวทีช่วยลูกหนี้ที่ยังไม่ผูก LINE ผูกบัญชีได้เลย: พิมพ์ใบรหัสของทั้งตำบลจากแท็บ "พื้นที่" ในแอป แล้วตัดแจก',
  reportReminder: (reportDate: LocalDate, daysLeft: number, level?: 'tambon' | 'district' | 'province') =>
    `🗓️ ใกล้ถึงกำหนดรายงานผลการดำเนินงานรายไตรมาส\nรายงานภายในวันที่ ${formatThaiDate(reportDate, 'long')}` +
    `${daysLeft > 0 ? ` (อีก ${daysLeft} วัน)` : ' (วันนี้)'}\n` +
    (level === 'district'
      ? 'รวบรวมผลตามแผนปฏิบัติการของตำบลในอำเภอ แล้วรายงานสำนักงานพัฒนาชุมชนจังหวัดค่ะ'
      : level === 'province'
        ? 'รวบรวมผลของอำเภอในจังหวัด แล้วรายงานกรมการพัฒนาชุมชนค่ะ'
        : 'รายงานผลตามแผนปฏิบัติการขับเคลื่อนงานระดับตำบล ให้สำนักงานพัฒนาชุมชนอำเภอค่ะ') +
    '\nร่างรายงานของพื้นที่ท่านดูและดาวน์โหลดได้ในแอป (แท็บ "พื้นที่" → รายงาน)',
  quotaAlert: (quota: { limit: number | null; usedThisMonth: number; due: number; remaining: number; checkedAt: Date }) =>
    `⚠️ โควตาข้อความ LINE ของเดือนนี้ใกล้หมด\nใช้ไปแล้ว ${count(quota.usedThisMonth)} จาก ${quota.limit === null ? 'ไม่จำกัด' : count(quota.limit)} ข้อความ ` +
    `เหลือ ${count(quota.remaining)} แต่มีข้อความรอส่ง ${count(quota.due)} ข้อความ\n` +
    `ระบบจะส่งข้อความที่เร่งด่วนที่สุดก่อน ส่วนที่เหลือจะรอจนกว่าโควตาเพิ่มหรือขึ้นเดือนใหม่ (ตรวจเมื่อ ${formatThaiDateTime(quota.checkedAt)})`,
};
