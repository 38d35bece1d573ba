// What officers read about the model-centre rubric and its scores. Area and indicator wording is data
// (migrations/data/centre-rubric.v1.json); this file holds only the words around it.
import {
  MANAGEMENT_AREA,
  type AssessmentResult,
  type RankDecidedBy,
  type RubricArea,
  type RubricIndicator,
  type RubricLevel,
  type RubricSubmission,
} from '../domain/centre-rubric.ts';
import { formatThaiDate } from '../domain/local-date.ts';

const MISSING_AREA_TITLE = 'ชื่อด้านขาดหายจากเอกสารต้นฉบับ';

export const CENTRE_RUBRIC_TH = {
  rubricTitle: 'เกณฑ์คัดเลือกศูนย์จัดการกองทุนชุมชนต้นแบบด้านการบริหารจัดการหนี้',
  evidenceHeading: 'หลักฐานเชิงประจักษ์',
  criteriaHeading: 'เกณฑ์การให้คะแนน',
  missingIndicator: 'ตัวชี้วัดนี้ขาดหายจากเอกสารต้นฉบับที่เราได้รับ รอสำนักงานพัฒนาชุมชนจังหวัดกรอกเกณฑ์ก่อนจึงจะให้คะแนนได้',
  rubricReady: 'เกณฑ์ฉบับนี้ครบถ้วน ใช้คัดเลือกได้',
  rubricNotReady: 'เกณฑ์ฉบับนี้ยังใช้คัดเลือกไม่ได้ เพราะ',
  withoutEvidenceNote: 'ให้คะแนนแล้วแต่ยังไม่ได้เลือกหลักฐานหรือแนบไฟล์ กรุณาตรวจสอบ',
  noVideoLink: 'ยังไม่มีลิงก์คลิปวิดีโอ',
  tieByManagement: `คะแนนรวมเท่ากัน จัดลำดับด้วยคะแนนด้านที่ ${MANAGEMENT_AREA} (ด้านการบริหารจัดการ)`,
  tieUnresolved: `คะแนนรวมและคะแนนด้านที่ ${MANAGEMENT_AREA} เท่ากัน ลำดับที่แสดงเรียงตามรหัสศูนย์เท่านั้น ขอให้คณะกรรมการพิจารณาตัดสิน`,
} as const;

/** "1. ด้านโครงสร้าง (…) (30 คะแนน)", as the sheet heads an area; a lost title says so. */
export function areaHeading(area: RubricArea): string {
  return `${area.code}. ${area.title ?? `(${MISSING_AREA_TITLE})`} (${area.maxPoints} คะแนน)`;
}

/** "1.1 ที่มาของคณะกรรมการ", or "2.8 (ขาดหายจากเอกสารต้นฉบับ)". */
export function indicatorHeading(indicator: RubricIndicator): string {
  return `${indicator.code} ${indicator.title ?? '(ขาดหายจากเอกสารต้นฉบับ)'}`;
}

/** "ระดับ 5 (5 คะแนน)". */
export function levelLabel(level: RubricLevel): string {
  return `ระดับ ${level.level} (${level.points} คะแนน)`;
}

/** "ส่งเอกสารสรุปผลงาน 1 เล่ม และคลิปวิดีโอ 1 คลิป ความยาวไม่เกิน 7 นาที ภายในวันที่ 28 เมษายน 2568". */
export function submissionNote(submission: RubricSubmission): string {
  return (
    `ส่งเอกสารสรุปผลงาน ${submission.summaryBooks} เล่ม และคลิปวิดีโอ ${submission.videoClips} คลิป ` +
    `ความยาวไม่เกิน ${submission.videoMaxMinutes} นาที ภายในวันที่ ${formatThaiDate(submission.dueOn, 'long')}`
  );
}

/** A centre's score as plain lines: total, one line per area, then what still needs attention. */
export function scoreSummaryLines(result: AssessmentResult): string[] {
  const lines = [`คะแนนรวม ${result.total} จาก ${result.maxTotal} คะแนน`];
  for (const area of result.areas) lines.push(`ด้านที่ ${area.code}: ${area.points} จาก ${area.maxPoints} คะแนน`);
  if (result.unscored.length > 0) lines.push(`ยังไม่ได้ให้คะแนน ${result.unscored.length} ตัวชี้วัด: ${result.unscored.join(', ')}`);
  if (result.notScoreable.length > 0) lines.push(`ยังให้คะแนนไม่ได้เพราะเกณฑ์ยังไม่ครบ: ${result.notScoreable.join(', ')}`);
  if (result.withoutEvidence.length > 0) lines.push(`ให้คะแนนโดยยังไม่มีหลักฐาน: ${result.withoutEvidence.join(', ')}`);
  for (const r of result.rejected) lines.push(r.reason);
  if (!result.hasVideoLink) lines.push(CENTRE_RUBRIC_TH.noVideoLink);
  return lines;
}

/**
 * The rubric's title for a round of another year: the seed's "ประจำปีงบประมาณ พ.ศ. 2568" becomes the round's year (the
 * criteria carry over from year to year; the title would otherwise contradict the heading above it).
 */
export function rubricTitleForYear(title: string, fiscalYearBE: number): string {
  return title.replace(/(ปีงบประมาณ\s*(?:พ\.ศ\.\s*)?)\d{4}/, `$1${fiscalYearBE}`);
}

/** Why a centre sits below the one above it, when it was not simply a lower total. */
export function rankNote(decidedBy: RankDecidedBy | null): string | null {
  if (decidedBy === 'management') return CENTRE_RUBRIC_TH.tieByManagement;
  if (decidedBy === 'centre_id') return CENTRE_RUBRIC_TH.tieUnresolved;
  return null;
}
