// The model-centre selection in the officers' pages (/api/liff/officer/centre-*): request and response shapes shared
// by the server and the mini-app. Imports only zod.
import { z } from 'zod';

const localDate = z.string({ error: 'กรุณาเลือกวันที่' }).min(1, { error: 'กรุณาเลือกวันที่', abort: true }).regex(/^\d{4}-\d{2}-\d{2}$/, 'วันที่ไม่ถูกต้อง');
const text = (max: number, message: string) => z.string().trim().min(1, message).max(max, `ยาวได้ไม่เกิน ${max} ตัวอักษร`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `ยาวได้ไม่เกิน ${max} ตัวอักษร`)
    .optional()
    .nullable()
    .transform((value) => (value ? value : null));

export const LEVEL_VALUES = [3, 4, 5] as const;
export type LevelValue = (typeof LEVEL_VALUES)[number];
const indicatorCode = z.string().regex(/^[1-9]\.[1-9]\d?$/, 'รหัสตัวชี้วัดไม่ถูกต้อง');

// ---------- requests ----------

export const rubricDraftRequestSchema = z.object({
  basedOn: z.string().min(1),
  areaTitles: z.record(z.string(), z.string().max(300)).optional(),
  indicators: z
    .record(
      indicatorCode,
      z.object({
        title: z.string().max(300).optional(),
        preamble: z.string().max(2000).optional(),
        criteria: z.object({ 3: z.string().max(3000).optional(), 4: z.string().max(3000).optional(), 5: z.string().max(3000).optional() }).optional(),
        evidence: z.array(z.string().max(500)).max(20).optional(),
      }),
    )
    .optional(),
});
export type RubricDraftRequest = z.infer<typeof rubricDraftRequestSchema>;

export const centreRequestSchema = z.object({
  tambonId: z.number({ message: 'กรุณาเลือกตำบล' }).int().positive('กรุณาเลือกตำบล'),
  name: text(200, 'กรุณากรอกชื่อศูนย์'),
  village: optionalText(200),
  contactName: optionalText(200),
  contactPhone: z
    .string()
    .trim()
    .regex(/^$|^0\d{8,9}$/, 'เบอร์โทรศัพท์ต้องเป็นตัวเลข 9–10 หลัก ขึ้นต้นด้วย 0')
    .optional()
    .nullable()
    .transform((value) => (value ? value : null)),
  memberGroups: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
});
export type CentreRequest = z.infer<typeof centreRequestSchema>;

export const roundRequestSchema = z.object({
  fiscalYearBE: z.number({ message: 'กรุณากรอกปีงบประมาณ' }).int().min(2560, 'ปีงบประมาณเป็น พ.ศ. เช่น 2569').max(2700, 'ปีงบประมาณเป็น พ.ศ. เช่น 2569'),
  rubricId: z.string().min(1, 'กรุณาเลือกเกณฑ์'),
  deadlineOn: localDate,
});
export type RoundRequest = z.infer<typeof roundRequestSchema>;

/**
 * "www.youtube.com/watch?v=…", "youtu.be/…" as people paste or type a link: the same link with https:// in front (a link
 * refused for it used to stop the draft saving, and the scores typed with it were lost).
 */
export function withScheme(link: string): string {
  return link && !/^[a-z][a-z0-9+.-]*:\/\//i.test(link) && /^[\w-]+(\.[\w-]+)+(\/|$)/.test(link) ? `https://${link}` : link;
}

export const indicatorScoreSchema = z.object({
  level: z.union([z.literal(3), z.literal(4), z.literal(5)], { message: 'ระดับคะแนนมีได้เฉพาะ 3, 4 หรือ 5' }),
  evidence: z.array(z.number().int().min(1).max(20)).max(20).default([]),
  note: z.string().trim().max(1000).optional().nullable(),
});

export const assessmentSaveSchema = z.object({
  scores: z.record(indicatorCode, indicatorScoreSchema),
  videoUrl: z
    .string()
    .trim()
    .max(500)
    .transform(withScheme)
    .pipe(z.string().regex(/^$|^https?:\/\/\S+$/i, 'ลิงก์คลิปวิดีโอต้องเป็นลิงก์เว็บ เช่น https://youtu.be/…'))
    .optional()
    .nullable()
    .transform((value) => (value ? value : null)),
  /** The version the phone last saw: a save from a stale phone is refused instead of overwriting newer work. */
  version: z.number().int().positive().optional(),
  updatedAt: z.string().optional(),
});
export type AssessmentSave = z.infer<typeof assessmentSaveSchema>;

export const correctionRequestSchema = z.object({ reason: text(1000, 'กรุณาระบุเหตุผลที่ต้องแก้ไข').refine((v) => v.length >= 5, 'กรุณาระบุเหตุผลให้ชัดเจน') });

export const verificationRequestSchema = z.object({
  points: z.number({ message: 'กรุณากรอกคะแนน' }).int('คะแนนเป็นจำนวนเต็ม').min(0, 'คะแนน 0–100').max(100, 'คะแนน 0–100'),
  note: optionalText(1000),
});

// ---------- responses ----------

export interface RubricLevelView {
  level: LevelValue;
  points: number;
  criterion: string;
}

export interface RubricIndicatorView {
  code: string;
  area: string;
  missing: boolean;
  title: string | null;
  heading: string;
  preamble: string | null;
  levels: RubricLevelView[];
  evidence: string[];
  maxPoints: number;
}

export interface RubricView {
  id: string;
  basedOn: string | null;
  complete: boolean;
  /** Why it cannot open a round yet (Thai), empty when complete. */
  problems: string[];
  title: string;
  areas: Array<{ code: string; title: string | null; heading: string; maxPoints: number }>;
  indicators: RubricIndicatorView[];
  videoMaxMinutes: number;
  /** Fields this version filled in or changed relative to its base. */
  changes: Array<{ target: 'area' | 'indicator'; code: string; field: string; level?: number; kind: 'filled' | 'replaced' }>;
}

export interface RubricVersionSummary {
  id: string;
  basedOn: string | null;
  complete: boolean;
  rounds: number;
  createdAt: string;
}

export interface CentreView {
  id: number;
  name: string;
  village: string | null;
  area: string;
  tambonId: number;
  contactName: string | null;
  contactPhone: string | null;
  memberGroups: string[];
}

export type AssessmentStatus = 'none' | 'draft' | 'submitted';

export interface RoundSummary {
  id: number;
  province: string;
  fiscalYearBE: number;
  rubricId: string;
  deadlineOn: string;
  open: boolean;
  /** "เปิดรับถึง 28 เม.ย. 2568" / "ปิดรับแล้ว". */
  statusLabel: string;
}

export interface RoundCentreRow {
  centre: CentreView;
  status: AssessmentStatus;
  version: number | null;
  total: number | null;
  submittedAt: string | null;
}

export interface CentreSelectionHome {
  can: { registerCentres: boolean; score: boolean; openRounds: boolean; editRubrics: boolean; rank: boolean };
  tambons: Array<{ id: number; name: string; area: string }>;
  centres: CentreView[];
  rounds: RoundSummary[];
  rubrics: RubricVersionSummary[];
  today: string;
}

export interface RoundPage {
  round: RoundSummary;
  centres: RoundCentreRow[];
  /** Every district of the province, with its centres and how many it has sent: who has not sent yet, at a glance. */
  districts: Array<{ title: string; centres: number; submitted: number }>;
}

export interface EvidenceFileView {
  id: string;
  indicator: string;
  contentType: string;
  byteSize: number;
}

export interface AssessmentVersionView {
  id: number;
  version: number;
  status: 'draft' | 'submitted';
  reason: string | null;
  total: number | null;
  submittedAt: string | null;
  updatedAt: string;
}

export interface AssessmentPage {
  round: RoundSummary;
  centre: CentreView;
  rubric: RubricView;
  /** Null before anything was saved. */
  current: {
    id: number;
    version: number;
    status: 'draft' | 'submitted';
    reason: string | null;
    scores: Record<string, { level: LevelValue; evidence: number[]; note: string | null }>;
    videoUrl: string | null;
    updatedAt: string;
    submittedAt: string | null;
  } | null;
  files: EvidenceFileView[];
  versions: AssessmentVersionView[];
  result: {
    total: number;
    maxTotal: number;
    areas: Array<{ code: string; heading: string; points: number; maxPoints: number }>;
    unscored: string[];
    notScoreable: string[];
    withoutEvidence: string[];
    hasVideoLink: boolean;
    complete: boolean;
    /** What is still missing, as Thai sentences. */
    missing: string[];
  };
  /** May the caller still change it (a draft, the round open, the caller a scorer). */
  editable: boolean;
  /** May the caller start a correction (the latest is submitted, the round open). */
  correctable: boolean;
  verification: { points: number; note: string | null } | null;
}

export interface RankingRow {
  position: number;
  rank: number;
  centreId: number;
  centre: string;
  area: string;
  district: string;
  total: number;
  areas: Array<{ code: string; points: number; maxPoints: number }>;
  version: number;
  withoutEvidence: string[];
  complete: boolean;
  /** Why this centre is below the one above: "คะแนนรวม", the management area's subtotal, or a tie for the committee. */
  tieNote: string | null;
  verification: { points: number; note: string | null } | null;
}

export interface RankingPage {
  round: RoundSummary;
  areaHeadings: Array<{ code: string; heading: string; maxPoints: number }>;
  rows: RankingRow[];
  tieRule: string;
}
