// The rubric for selecting model community-fund management centres (ศูนย์จัดการกองทุนชุมชน, seed 003, Phayao
// 2568): its shape, what keeps it from being used, how an officer fills in what our copy lost, and scoring and
// ranking of centres against it. The rubric itself is data (migrations/data/centre-rubric.v1.json).
//
// What the sheet fixes, and this module enforces: 3 areas worth 30, 45 and 25 points, 20 indicators, 100 points.
// Every indicator is scored at level 3, 4 or 5, and a level gives its own number in points ("(3 คะแนน)",
// "(4 คะแนน)", "(5 คะแนน)"), so level 5 is an indicator's full 5 points and 20 × 5 = 100. The sheet has no
// level below 3: an indicator nobody has scored yet gives 0 and is reported as unscored.
import { DomainError } from './errors.ts';
import type { LocalDate } from './local-date.ts';

export type RubricLevelNumber = 3 | 4 | 5;
export const RUBRIC_LEVELS: readonly RubricLevelNumber[] = [3, 4, 5];

/** The sheet's heading: "3 ด้าน 20 ตัวชี้วัด จำนวน 100 คะแนน"; 30 and 45 are printed, 25 is what is left. */
export const CENTRE_RUBRIC_SHAPE = {
  indicatorCount: 20,
  totalPoints: 100,
  areaMaxPoints: { '1': 30, '2': 45, '3': 25 } as Readonly<Record<string, number>>,
} as const;

/** ด้านการบริหารจัดการ: the area whose subtotal breaks a tie on the total. */
export const MANAGEMENT_AREA = '2';

export interface RubricLevel {
  level: RubricLevelNumber;
  points: number;
  criterion: string;
}

export interface RubricIndicator {
  /** "1.1": area code, dot, number within the area. */
  code: string;
  area: string;
  /** True while our copy of the sheet lacks the indicator and nobody has filled it in. */
  missing: boolean;
  title: string | null;
  /** Text the sheet puts before the numbered levels and which applies to all of them (2.7, 3.5). */
  preamble: string | null;
  levels: RubricLevel[];
  /** หลักฐานเชิงประจักษ์, in the sheet's order; an assessment refers to them by number, from 1. */
  evidence: string[];
}

export interface RubricArea {
  code: string;
  title: string | null;
  maxPoints: number;
}

export interface RubricSource {
  seed: string;
  documentNumber: string;
  issuedBy: string;
  issuedOn: LocalDate;
  title: string;
  fiscalYearBE: number;
}

/** What a district sends for each centre: one summary book and one video clip of at most a few minutes. */
export interface RubricSubmission {
  dueOn: LocalDate;
  summaryBooks: number;
  videoClips: number;
  videoMaxMinutes: number;
}

/** An OCR slip fixed while transcribing the seed: `from` is the seed's text, `to` what the rubric says. */
export interface RubricCorrection {
  indicator: string | null;
  where: string;
  from: string;
  to: string;
  reason: string;
}

/** One field this version changed relative to `basedOn`; `replaced` means there was text before. */
export interface RubricChange {
  target: 'area' | 'indicator';
  code: string;
  field: 'title' | 'preamble' | 'criterion' | 'evidence';
  level?: RubricLevelNumber;
  kind: 'filled' | 'replaced';
}

export interface Rubric {
  id: string;
  basedOn: string | null;
  source: RubricSource;
  submission: RubricSubmission;
  totalPoints: number;
  areas: RubricArea[];
  indicators: RubricIndicator[];
  corrections: RubricCorrection[];
  changes: RubricChange[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the JSON

type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isTextOrNull = (v: unknown): v is string | null => v === null || isText(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isLevelNumber = (v: unknown): v is RubricLevelNumber => v === 3 || v === 4 || v === 5;

/**
 * Checks a rubric's structure (types and required fields, not completeness: see rubricProblems). The messages
 * name JSON paths and are meant for whoever edits the data file.
 */
export function parseRubric(json: unknown): Parsed<Rubric> {
  const problems: string[] = [];
  const need = (ok: boolean, path: string, what: string) => {
    if (!ok) problems.push(`${path}: ${what}`);
  };
  if (!isObject(json)) return { ok: false, problems: ['rubric: expected an object'] };
  need(isText(json.id), 'id', 'expected text');
  need(isTextOrNull(json.basedOn), 'basedOn', 'expected text or null');
  const source = json.source;
  if (isObject(source)) {
    for (const key of ['seed', 'documentNumber', 'issuedBy', 'issuedOn', 'title'] as const) need(isText(source[key]), `source.${key}`, 'expected text');
    need(isCount(source.fiscalYearBE), 'source.fiscalYearBE', 'expected a whole number');
  } else need(false, 'source', 'expected an object');
  const submission = json.submission;
  if (isObject(submission)) {
    need(isText(submission.dueOn), 'submission.dueOn', 'expected a date');
    for (const key of ['summaryBooks', 'videoClips', 'videoMaxMinutes'] as const) need(isCount(submission[key]), `submission.${key}`, 'expected a whole number');
  } else need(false, 'submission', 'expected an object');
  need(isCount(json.totalPoints), 'totalPoints', 'expected a whole number');

  const areas = Array.isArray(json.areas) ? json.areas : [];
  need(Array.isArray(json.areas), 'areas', 'expected a list');
  areas.forEach((a: unknown, i) => {
    if (!isObject(a)) return need(false, `areas[${i}]`, 'expected an object');
    need(isText(a.code), `areas[${i}].code`, 'expected text');
    need(isTextOrNull(a.title), `areas[${i}].title`, 'expected text or null');
    need(isCount(a.maxPoints), `areas[${i}].maxPoints`, 'expected a whole number');
  });

  const indicators = Array.isArray(json.indicators) ? json.indicators : [];
  need(Array.isArray(json.indicators), 'indicators', 'expected a list');
  indicators.forEach((ind: unknown, i) => {
    const at = `indicators[${i}]`;
    if (!isObject(ind)) return need(false, at, 'expected an object');
    need(isText(ind.code), `${at}.code`, 'expected text');
    need(isText(ind.area), `${at}.area`, 'expected text');
    need(typeof ind.missing === 'boolean', `${at}.missing`, 'expected true or false');
    need(isTextOrNull(ind.title), `${at}.title`, 'expected text or null');
    need(isTextOrNull(ind.preamble), `${at}.preamble`, 'expected text or null');
    need(Array.isArray(ind.evidence) && ind.evidence.every(isText), `${at}.evidence`, 'expected a list of texts');
    if (!Array.isArray(ind.levels)) return need(false, `${at}.levels`, 'expected a list');
    ind.levels.forEach((l: unknown, j) => {
      if (!isObject(l)) return need(false, `${at}.levels[${j}]`, 'expected an object');
      need(isLevelNumber(l.level), `${at}.levels[${j}].level`, 'expected 3, 4 or 5');
      need(isCount(l.points), `${at}.levels[${j}].points`, 'expected a whole number');
      need(isText(l.criterion), `${at}.levels[${j}].criterion`, 'expected text');
    });
  });

  const list = (key: string) => Array.isArray(json[key]);
  need(list('corrections'), 'corrections', 'expected a list');
  need(list('changes'), 'changes', 'expected a list');
  need(list('notes'), 'notes', 'expected a list');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: json as unknown as Rubric };
}

// ---------------------------------------------------------------------------------------------------------------
// Completeness

/** Numbers: "3", "4 และ 5", "3, 4 และ 5". */
function listNumbersThai(items: readonly number[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} และ ${items[items.length - 1]}`;
}

/** Phrases, spaced as Thai lists them: "ก", "ก และข", "ก ข และค". */
function listPhrasesThai(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(' ')} และ${items[items.length - 1]}`;
}

const maxPointsOf = (ind: RubricIndicator): number => ind.levels.reduce((max, l) => Math.max(max, l.points), 0);
const criterionOf = (ind: RubricIndicator, level: RubricLevelNumber) => ind.levels.find((l) => l.level === level)?.criterion;

/** What an indicator still lacks, as Thai phrases; empty when it can be scored against. */
function indicatorGaps(ind: RubricIndicator): string[] {
  const gaps: string[] = [];
  if (!isText(ind.title)) gaps.push('ชื่อตัวชี้วัด');
  const lacking = RUBRIC_LEVELS.filter((level) => !isText(criterionOf(ind, level)));
  if (lacking.length > 0) gaps.push(`เกณฑ์ระดับ ${listNumbersThai(lacking)}`);
  if (ind.evidence.filter(isText).length === 0) gaps.push('รายการหลักฐานเชิงประจักษ์');
  return gaps;
}

/**
 * Why this rubric cannot be used for a selection round yet, one Thai sentence per problem; an empty list means
 * it is complete: 20 indicators, none missing, each with criteria and points for levels 3, 4 and 5 and a list
 * of evidence, every area titled, areas worth 30, 45 and 25 points, codes unique.
 */
export function rubricProblems(rubric: Rubric): string[] {
  const problems: string[] = [];
  const shape = CENTRE_RUBRIC_SHAPE;

  if (rubric.totalPoints !== shape.totalPoints) problems.push(`คะแนนเต็มของเกณฑ์ต้องเป็น ${shape.totalPoints} คะแนน แต่กำหนดไว้ ${rubric.totalPoints} คะแนน`);

  const areaCodes = new Set<string>();
  for (const area of rubric.areas) {
    if (areaCodes.has(area.code)) problems.push(`รหัสด้าน ${area.code} ซ้ำกัน`);
    areaCodes.add(area.code);
    const required = shape.areaMaxPoints[area.code];
    if (required === undefined) problems.push(`ด้านที่ ${area.code} ไม่มีในเกณฑ์ของเอกสารต้นฉบับ (มีเพียงด้านที่ 1, 2 และ 3)`);
    else if (area.maxPoints !== required) problems.push(`ด้านที่ ${area.code} ต้องมีคะแนนเต็ม ${required} คะแนน แต่กำหนดไว้ ${area.maxPoints} คะแนน`);
    if (!isText(area.title)) problems.push(`ด้านที่ ${area.code} ยังไม่มีชื่อด้าน`);
  }
  for (const [code, points] of Object.entries(shape.areaMaxPoints)) {
    if (!areaCodes.has(code)) problems.push(`ยังไม่มีด้านที่ ${code} (${points} คะแนน)`);
  }
  const areaSum = rubric.areas.reduce((sum, a) => sum + a.maxPoints, 0);
  if (areaSum !== shape.totalPoints) problems.push(`คะแนนเต็มของทุกด้านรวมกันต้องเป็น ${shape.totalPoints} คะแนน แต่รวมได้ ${areaSum} คะแนน`);

  if (rubric.indicators.length !== shape.indicatorCount) {
    problems.push(`ต้องมีตัวชี้วัด ${shape.indicatorCount} ตัว แต่มี ${rubric.indicators.length} ตัว`);
  }
  const seen = new Set<string>();
  for (const ind of rubric.indicators) {
    if (seen.has(ind.code)) problems.push(`รหัสตัวชี้วัด ${ind.code} ซ้ำกัน`);
    seen.add(ind.code);
    if (!areaCodes.has(ind.area)) problems.push(`ตัวชี้วัด ${ind.code} อยู่ในด้านที่ ${ind.area} ซึ่งไม่มีในเกณฑ์`);
    else if (!ind.code.startsWith(`${ind.area}.`)) problems.push(`รหัสตัวชี้วัด ${ind.code} ไม่ตรงกับด้านที่ ${ind.area} ที่อยู่`);

    const gaps = indicatorGaps(ind);
    if (ind.missing) {
      problems.push(
        gaps.length > 0
          ? `ตัวชี้วัด ${ind.code} ขาดหายจากเอกสารต้นฉบับ ยังต้องกรอก${listPhrasesThai(gaps)}`
          : `ตัวชี้วัด ${ind.code} ยังถูกระบุว่าขาดหายจากเอกสารต้นฉบับ`,
      );
    } else if (gaps.length > 0) {
      problems.push(`ตัวชี้วัด ${ind.code} ยังไม่มี${listPhrasesThai(gaps)}`);
    }

    const levelsSeen = new Set<number>();
    for (const level of ind.levels) {
      if (levelsSeen.has(level.level)) problems.push(`ตัวชี้วัด ${ind.code} มีเกณฑ์ระดับ ${level.level} ซ้ำกัน`);
      levelsSeen.add(level.level);
      // The sheet marks every level with its own number of points: "(3 คะแนน)", "(4 คะแนน)", "(5 คะแนน)".
      if (level.points !== level.level) problems.push(`ตัวชี้วัด ${ind.code} ระดับ ${level.level} ต้องได้ ${level.level} คะแนน แต่กำหนดไว้ ${level.points} คะแนน`);
    }
  }

  for (const area of rubric.areas) {
    const inArea = rubric.indicators.filter((ind) => ind.area === area.code);
    const sum = inArea.reduce((total, ind) => total + (ind.missing ? 0 : maxPointsOf(ind)), 0);
    const complete = inArea.every((ind) => !ind.missing && indicatorGaps(ind).length === 0);
    // Only worth saying for an area whose indicators are all there: otherwise the missing ones already explain it.
    if (complete && sum !== area.maxPoints) {
      problems.push(`ตัวชี้วัดในด้านที่ ${area.code} มีคะแนนเต็มรวม ${sum} คะแนน ไม่ตรงกับคะแนนเต็มของด้าน (${area.maxPoints} คะแนน)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Filling in what our copy lost

export interface IndicatorEdit {
  title?: string;
  preamble?: string;
  /** Criterion text per level; a level not named keeps its text. */
  criteria?: Partial<Record<RubricLevelNumber, string>>;
  /** Replaces the whole evidence list. */
  evidence?: string[];
}

export interface RubricEdits {
  /** The new version's id; must differ from the base's. */
  id: string;
  areaTitles?: Readonly<Record<string, string>>;
  indicators?: Readonly<Record<string, IndicatorEdit>>;
}

export type RubricDraftResult = { ok: true; rubric: Rubric } | { ok: false; problems: string[] };

/** Trims, and collapses runs of spaces and tabs; line breaks (a list inside a criterion) are kept. */
function cleanText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * A new version of the rubric with a province officer's edits applied: usually the title of area 3 and the
 * indicators our copy lost (title, criteria per level, evidence). Only what the edits name changes: a seeded
 * indicator's text changes only when an edit names that indicator and field, and every change is listed in the
 * new version's `changes` ("replaced" where there was text before), so a reviewer sees any rewording of the
 * seed. The result may still be incomplete (it is a draft): rubricProblems says whether it can be used.
 */
export function completeRubricDraft(base: Rubric, edits: RubricEdits): RubricDraftResult {
  const problems: string[] = [];
  const changes: RubricChange[] = [];
  const newId = typeof edits.id === 'string' ? edits.id.trim() : '';
  if (newId === '') problems.push('ต้องระบุรหัสฉบับใหม่ของเกณฑ์');
  else if (newId === base.id) problems.push(`รหัสฉบับใหม่ต้องไม่ซ้ำกับฉบับเดิม (${base.id})`);

  const areas = base.areas.map((area) => ({ ...area }));
  for (const [code, rawTitle] of Object.entries(edits.areaTitles ?? {})) {
    const area = areas.find((a) => a.code === code);
    if (!area) {
      problems.push(`ไม่มีด้านที่ ${code} ในเกณฑ์`);
      continue;
    }
    const title = typeof rawTitle === 'string' ? cleanText(rawTitle) : '';
    if (title === '') {
      problems.push(`ชื่อด้านที่ ${code} ต้องไม่ว่าง`);
      continue;
    }
    if (title === area.title) continue;
    changes.push({ target: 'area', code, field: 'title', kind: area.title === null ? 'filled' : 'replaced' });
    area.title = title;
  }

  const indicators = base.indicators.map((ind) => ({ ...ind, levels: ind.levels.map((l) => ({ ...l })), evidence: [...ind.evidence] }));
  for (const [code, edit] of Object.entries(edits.indicators ?? {})) {
    const ind = indicators.find((i) => i.code === code);
    if (!ind) {
      problems.push(`ไม่มีตัวชี้วัด ${code} ในเกณฑ์`);
      continue;
    }
    const record = (field: RubricChange['field'], hadText: boolean, level?: RubricLevelNumber) =>
      changes.push({ target: 'indicator', code, field, ...(level === undefined ? {} : { level }), kind: hadText ? 'replaced' : 'filled' });

    if (edit.title !== undefined) {
      const title = cleanText(String(edit.title));
      if (title === '') problems.push(`ชื่อตัวชี้วัด ${code} ต้องไม่ว่าง`);
      else if (title !== ind.title) {
        record('title', ind.title !== null);
        ind.title = title;
      }
    }
    if (edit.preamble !== undefined) {
      const preamble = cleanText(String(edit.preamble));
      if (preamble === '') problems.push(`คำอธิบายของตัวชี้วัด ${code} ต้องไม่ว่าง`);
      else if (preamble !== ind.preamble) {
        record('preamble', ind.preamble !== null);
        ind.preamble = preamble;
      }
    }
    for (const [key, raw] of Object.entries(edit.criteria ?? {})) {
      const level = Number(key);
      if (!isLevelNumber(level)) {
        problems.push(`ตัวชี้วัด ${code}: มีได้เฉพาะเกณฑ์ระดับ 3, 4 และ 5`);
        continue;
      }
      const criterion = cleanText(String(raw ?? ''));
      if (criterion === '') {
        problems.push(`เกณฑ์ระดับ ${level} ของตัวชี้วัด ${code} ต้องไม่ว่าง`);
        continue;
      }
      const existing = ind.levels.find((l) => l.level === level);
      if (existing?.criterion === criterion) continue;
      record('criterion', existing !== undefined, level);
      if (existing) existing.criterion = criterion;
      // A new level gets the points the sheet gives every level: its own number.
      else ind.levels.push({ level, points: level, criterion });
    }
    ind.levels.sort((a, b) => a.level - b.level);
    if (edit.evidence !== undefined) {
      const evidence = Array.isArray(edit.evidence) ? edit.evidence.map((item) => cleanText(String(item))) : [];
      if (evidence.length === 0 || evidence.some((item) => item === '')) {
        problems.push(`รายการหลักฐานของตัวชี้วัด ${code} ต้องมีอย่างน้อย 1 รายการ และไม่มีรายการว่าง`);
      } else if (evidence.join('\n') !== ind.evidence.join('\n')) {
        record('evidence', ind.evidence.length > 0);
        ind.evidence = evidence;
      }
    }
    // An indicator our copy lost stays "missing" until everything a scorer needs is there.
    if (ind.missing && indicatorGaps(ind).length === 0) ind.missing = false;
  }

  if (problems.length === 0 && changes.length === 0) problems.push('ไม่มีการแก้ไขใดจากฉบับเดิม');
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    rubric: {
      ...base,
      id: newId,
      basedOn: base.id,
      areas,
      indicators,
      corrections: base.corrections.map((c) => ({ ...c })),
      changes,
      notes: [...base.notes],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring

export interface IndicatorScore {
  level: RubricLevelNumber;
  /** Numbers (from 1) of the indicator's evidence items the assessor saw. */
  evidence?: readonly number[];
  /** Files (photos, scans) attached for this indicator. */
  attachments?: number;
}

/** One centre's assessment against one rubric version. */
export interface CentreAssessment {
  centreId: string;
  /** By indicator code. */
  scores: Readonly<Record<string, IndicatorScore>>;
  /** The centre's video clip (the sheet asks for one, of at most `submission.videoMaxMinutes`). */
  videoUrl?: string | null;
}

export interface ScoredIndicator {
  code: string;
  area: string;
  level: RubricLevelNumber | null;
  points: number;
  maxPoints: number;
  evidence: number[];
  attachments: number;
  /** Scored, with no evidence item checked and nothing attached: flagged, still counted. */
  withoutEvidence: boolean;
}

export interface AreaSubtotal {
  code: string;
  title: string | null;
  points: number;
  maxPoints: number;
}

export interface AssessmentResult {
  centreId: string;
  rubricId: string;
  total: number;
  maxTotal: number;
  areas: AreaSubtotal[];
  /** In the rubric's order, every indicator, scored or not. */
  indicators: ScoredIndicator[];
  /** Indicators the rubric can score but this assessment has not: what is missing. */
  unscored: string[];
  /** Indicators the rubric itself still lacks (missing from our copy): nobody can score them yet. */
  notScoreable: string[];
  withoutEvidence: string[];
  /** Parts of the assessment the rubric cannot take, with a Thai reason; they count for nothing. */
  rejected: { indicator: string; reason: string }[];
  hasVideoLink: boolean;
  /** Every indicator scored, nothing rejected. */
  complete: boolean;
}

const VIDEO_LINK = /^https?:\/\/\S+$/i;

export function scoreAssessment(rubric: Rubric, assessment: CentreAssessment): AssessmentResult {
  const rejected: AssessmentResult['rejected'] = [];
  const known = new Map(rubric.indicators.map((ind) => [ind.code, ind]));
  for (const code of Object.keys(assessment.scores)) {
    if (!known.has(code)) rejected.push({ indicator: code, reason: `ไม่มีตัวชี้วัด ${code} ในเกณฑ์ฉบับนี้` });
  }

  const indicators: ScoredIndicator[] = rubric.indicators.map((ind) => {
    const maxPoints = ind.missing ? 0 : maxPointsOf(ind);
    const blank: ScoredIndicator = { code: ind.code, area: ind.area, level: null, points: 0, maxPoints, evidence: [], attachments: 0, withoutEvidence: false };
    const score = Object.hasOwn(assessment.scores, ind.code) ? assessment.scores[ind.code] : undefined;
    if (score === undefined) return blank;
    if (ind.missing) {
      rejected.push({ indicator: ind.code, reason: `ตัวชี้วัด ${ind.code} ยังไม่มีเกณฑ์ จึงยังให้คะแนนไม่ได้` });
      return blank;
    }
    const level = ind.levels.find((l) => l.level === score.level);
    if (!level) {
      rejected.push({ indicator: ind.code, reason: `ตัวชี้วัด ${ind.code} ให้คะแนนได้เฉพาะระดับ 3, 4 หรือ 5` });
      return blank;
    }
    const evidence = [...new Set(score.evidence ?? [])].sort((a, b) => a - b);
    const outOfRange = evidence.filter((n) => !Number.isInteger(n) || n < 1 || n > ind.evidence.length);
    if (outOfRange.length > 0) {
      rejected.push({ indicator: ind.code, reason: `ตัวชี้วัด ${ind.code} มีหลักฐานเพียง ${ind.evidence.length} รายการ ไม่มีรายการที่ ${outOfRange.join(', ')}` });
    }
    const checked = evidence.filter((n) => !outOfRange.includes(n));
    const attachments = score.attachments ?? 0;
    if (!isCount(attachments)) rejected.push({ indicator: ind.code, reason: `จำนวนไฟล์แนบของตัวชี้วัด ${ind.code} ต้องเป็นจำนวนเต็มไม่ติดลบ` });
    const attached = isCount(attachments) ? attachments : 0;
    return { ...blank, level: level.level, points: level.points, evidence: checked, attachments: attached, withoutEvidence: checked.length === 0 && attached === 0 };
  });

  const areas = rubric.areas.map((area) => ({
    code: area.code,
    title: area.title,
    points: indicators.filter((i) => i.area === area.code).reduce((sum, i) => sum + i.points, 0),
    maxPoints: area.maxPoints,
  }));
  const missingCodes = new Set(rubric.indicators.filter((ind) => ind.missing).map((ind) => ind.code));
  const unscored = indicators.filter((i) => i.level === null && !missingCodes.has(i.code)).map((i) => i.code);
  const notScoreable = [...missingCodes];
  return {
    centreId: assessment.centreId,
    rubricId: rubric.id,
    total: indicators.reduce((sum, i) => sum + i.points, 0),
    maxTotal: rubric.totalPoints,
    areas,
    indicators,
    unscored,
    notScoreable,
    withoutEvidence: indicators.filter((i) => i.withoutEvidence).map((i) => i.code),
    rejected,
    hasVideoLink: typeof assessment.videoUrl === 'string' && VIDEO_LINK.test(assessment.videoUrl.trim()),
    complete: unscored.length === 0 && notScoreable.length === 0 && rejected.length === 0,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Ranking

/**
 * How a centre was separated from the one ranked just above it: by total, by the management area's subtotal,
 * or, when both are equal, only by the final tie-break (centre id), which the sheet does not provide for: such
 * a pair shares its `rank` and is for the committee to decide.
 */
export type RankDecidedBy = 'total' | 'management' | 'centre_id';

export interface RankedCentre {
  /** 1, 2, 3, ... with no gaps and no repeats: the order to list centres in. */
  position: number;
  /** Shared by centres equal on total and management subtotal (1, 2, 2, 4). */
  rank: number;
  /** Null for the first centre. */
  decidedBy: RankDecidedBy | null;
  /** Another centre has the same rank: the pair (every one of them, the first too) is for the committee. */
  sharesRank: boolean;
  result: AssessmentResult;
}

const managementPoints = (r: AssessmentResult) => r.areas.find((a) => a.code === MANAGEMENT_AREA)?.points ?? 0;
/** Plain code-unit order: the same on every machine and locale, unlike localeCompare. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks centres by total, then by the management area's subtotal (ด้านการบริหารจัดการ, area 2), then by centre
 * id in code-unit order, so the same assessments give the same order whatever order they arrive in.
 * Incomplete assessments are ranked on what they have; `result.complete` says which they are.
 */
export function rankAssessments(rubric: Rubric, assessments: readonly CentreAssessment[]): RankedCentre[] {
  const ids = new Set<string>();
  for (const a of assessments) {
    if (ids.has(a.centreId)) throw new DomainError('CONFLICT', `ศูนย์ ${a.centreId} มีผลการประเมินมากกว่าหนึ่งชุด`);
    ids.add(a.centreId);
  }
  const results = assessments.map((a) => scoreAssessment(rubric, a));
  results.sort((a, b) => b.total - a.total || managementPoints(b) - managementPoints(a) || byCodeUnits(a.centreId, b.centreId));

  const ranked: RankedCentre[] = [];
  results.forEach((result, index) => {
    const above = ranked[index - 1];
    if (!above) {
      ranked.push({ position: 1, rank: 1, decidedBy: null, sharesRank: false, result });
      return;
    }
    const decidedBy: RankDecidedBy =
      above.result.total !== result.total ? 'total' : managementPoints(above.result) !== managementPoints(result) ? 'management' : 'centre_id';
    if (decidedBy === 'centre_id') above.sharesRank = true;
    ranked.push({ position: index + 1, rank: decidedBy === 'centre_id' ? above.rank : index + 1, decidedBy, sharesRank: decidedBy === 'centre_id', result });
  });
  return ranked;
}
