// The model-centre rubric: the JSON against the seed it was transcribed from, completeness, filling in, scoring, ranking.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  completeRubricDraft,
  parseRubric,
  rankAssessments,
  rubricProblems,
  scoreAssessment,
  type CentreAssessment,
  type IndicatorEdit,
  type IndicatorScore,
  type Rubric,
  type RubricLevelNumber,
} from '../../server/domain/centre-rubric.ts';
import { areaHeading, indicatorHeading, rankNote, rubricTitleForYear, scoreSummaryLines, submissionNote } from '../../server/content/centre-rubric.th.ts';

const seedText = readFileSync(new URL('../fixtures/seeds/003-centre-rubric.txt', import.meta.url), 'utf8');
const rubricJson: unknown = JSON.parse(readFileSync(new URL('../../migrations/data/centre-rubric.v1.json', import.meta.url), 'utf8'));

/** A fresh copy every time, so no test can change what another sees. */
function seededRubric(): Rubric {
  const parsed = parseRubric(structuredClone(rubricJson));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.value;
}

const MISSING_CODES = ['2.8', '2.9', '3.1', '3.2', '3.3', '3.4'];

// --- reading the seed as a person would: drop markup, collapse whitespace -----------------------------------------

const normalise = (text: string) =>
  text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/(^| )- /g, '$1') // a bullet before a paragraph (3.5)
    .trim();

/** The seed's table cut into one piece per indicator: from its code to the next indicator's code. */
function seedSegments(text: string): Map<string, string> {
  const end = text.indexOf('รวมค่าคะแนนทั้งสิ้น');
  const starts = [...text.matchAll(/(?<=^|\t)([1-3]\.[1-9])(?=[ \t])/gm)];
  const segments = new Map<string, string>();
  starts.forEach((match, i) => {
    const next = starts[i + 1];
    segments.set(match[1]!, text.slice(match.index, next ? next.index : end));
  });
  return segments;
}

/** Page furniture that may follow an indicator's last evidence item in the seed: a repeated table header, the next area's title. */
const PAGE_FURNITURE = /^(|ด้านการบริหารจัดการ \(45 คะแนน\)|(ด้าน|คำนำ) ตัวชี้วัด เกณฑ์การให้คะแนน คะแนน หลักฐานเชิงประจักษ์ 3 4 5)$/;

function applyCorrections(text: string, rubric: Rubric, indicator: string | null): string {
  let corrected = text;
  for (const c of rubric.corrections.filter((c) => c.indicator === indicator)) {
    expect(corrected, `correction "${c.from}" → "${c.to}" (${indicator ?? 'source'})`).toContain(c.from);
    corrected = corrected.replaceAll(c.from, c.to);
  }
  return corrected;
}

/** The indicator as the seed prints it: code, title, preamble, "1. … (3 คะแนน)" …, then numbered evidence. */
function asPrinted(rubric: Rubric, code: string): string {
  const ind = rubric.indicators.find((i) => i.code === code)!;
  return normalise(
    [
      code,
      ind.title,
      ind.preamble,
      ...ind.levels.map((l, i) => `${i + 1}. ${l.criterion} (${l.points} คะแนน)`),
      ...ind.evidence.map((e, i) => `${i + 1}. ${e}`),
    ]
      .filter((part) => part !== null)
      .join(' '),
  );
}

describe('centre-rubric.v1.json against seed 003', () => {
  const rubric = seededRubric();
  const segments = seedSegments(seedText);

  it('has the 14 indicators our copy of the seed holds, and only those', () => {
    expect([...segments.keys()]).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '3.5']);
    expect(rubric.indicators.filter((i) => !i.missing).map((i) => i.code)).toEqual([...segments.keys()]);
  });

  it.each(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '3.5'])(
    'transcribes %s word for word (whitespace aside, listed corrections applied), criteria and evidence',
    (code) => {
      const seed = normalise(applyCorrections(segments.get(code)!, rubric, code));
      const expected = asPrinted(rubric, code);
      expect(seed.startsWith(expected), `seed:\n${seed}\n\njson:\n${expected}`).toBe(true);
      expect(seed.slice(expected.length).trim()).toMatch(PAGE_FURNITURE);
    },
  );

  it('gives each level its own number in points, as every "(N คะแนน)" in the seed does', () => {
    const marks = [...segments.values()].flatMap((s) => [...s.matchAll(/\((\d+) คะแนน\)/g)].map((m) => Number(m[1])));
    expect(marks).toHaveLength(14 * 3 + 1); // + "ด้านการบริหารจัดการ (45 คะแนน)" at the foot of 1.6
    expect(marks.filter((n) => n !== 45).every((n) => n === 3 || n === 4 || n === 5)).toBe(true);
    for (const ind of rubric.indicators.filter((i) => !i.missing)) {
      expect(ind.levels.map((l) => [l.level, l.points])).toEqual([
        [3, 3],
        [4, 4],
        [5, 5],
      ]);
    }
  });

  it('marks exactly the six lost indicators missing, with nothing invented for them', () => {
    const missing = rubric.indicators.filter((i) => i.missing);
    expect(missing.map((i) => i.code)).toEqual(MISSING_CODES);
    for (const ind of missing) expect(ind).toMatchObject({ title: null, preamble: null, levels: [], evidence: [] });
  });

  it('takes area titles and points from the seed; area 3 has neither printed, its 25 is what 100 leaves', () => {
    const flat = normalise(seedText);
    expect(flat).toContain('3 ด้าน 20 ตัวชี้วัด จำนวน 100 คะแนน');
    const [structure, management, third] = rubric.areas;
    expect(flat).toContain(`${structure!.code}. ${structure!.title} (${structure!.maxPoints} คะแนน)`);
    expect(flat).toContain(`${management!.title} (${management!.maxPoints} คะแนน)`);
    expect(third).toEqual({ code: '3', title: null, maxPoints: 25 });
    expect(flat).not.toContain('(25 คะแนน)');
  });

  it('takes the source title from the criteria sheet, with its listed correction', () => {
    expect(normalise(applyCorrections(seedText, rubric, null))).toContain(rubric.source.title);
    expect(rubric.source).toMatchObject({ issuedOn: '2025-04-09', documentNumber: 'พย 0019.4/ว 1666' });
    expect(normalise(seedText)).toContain('ที่ พย ๐๐๑๙.๔/ว ๑๖๖๖');
    expect(rubric.submission).toEqual({ dueOn: '2025-04-28', summaryBooks: 1, videoClips: 1, videoMaxMinutes: 7 });
  });

  it('lists every correction with where and why, each one found in the seed', () => {
    expect(rubric.corrections.length).toBeGreaterThan(0);
    for (const c of rubric.corrections) {
      expect(c.reason.length).toBeGreaterThan(10);
      expect(c.from).not.toBe(c.to);
      expect(seedText).toContain(c.from);
    }
  });
});

// --- factories ------------------------------------------------------------------------------------------------------

/** What a province officer might type for a lost indicator (test text, not the fund's). */
function fillerFor(code: string): IndicatorEdit {
  return {
    title: `ตัวชี้วัดทดสอบ ${code}`,
    criteria: { 3: `เกณฑ์ระดับ 3 ของ ${code}`, 4: `เกณฑ์ระดับ 4 ของ ${code}`, 5: `เกณฑ์ระดับ 5 ของ ${code}` },
    evidence: [`หลักฐานที่ 1 ของ ${code}`, `หลักฐานที่ 2 ของ ${code}`],
  };
}

function completedRubric(): Rubric {
  const result = completeRubricDraft(seededRubric(), {
    id: 'centre-rubric.v2-test',
    areaTitles: { '3': 'ด้านทดสอบ' },
    indicators: Object.fromEntries(MISSING_CODES.map((code) => [code, fillerFor(code)])),
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.rubric;
}

function assessment(centreId: string, rubric: Rubric, level: RubricLevelNumber, overrides: Record<string, Partial<IndicatorScore> | null> = {}): CentreAssessment {
  const scores: Record<string, IndicatorScore> = {};
  for (const ind of rubric.indicators.filter((i) => !i.missing)) scores[ind.code] = { level, evidence: [1] };
  for (const [code, override] of Object.entries(overrides)) {
    if (override === null) delete scores[code];
    else scores[code] = { level, evidence: [1], ...override } as IndicatorScore;
  }
  return { centreId, scores, videoUrl: 'https://example.org/clip' };
}

// --- completeness ---------------------------------------------------------------------------------------------------

describe('rubricProblems', () => {
  it('refuses the seeded rubric: six lost indicators and an untitled third area', () => {
    const problems = rubricProblems(seededRubric());
    expect(problems).toEqual([
      'ด้านที่ 3 ยังไม่มีชื่อด้าน',
      ...MISSING_CODES.map((code) => `ตัวชี้วัด ${code} ขาดหายจากเอกสารต้นฉบับ ยังต้องกรอกชื่อตัวชี้วัด เกณฑ์ระดับ 3, 4 และ 5 และรายการหลักฐานเชิงประจักษ์`),
    ]);
  });

  it('accepts a completed rubric: 20 indicators, areas 30 + 45 + 25 = 100', () => {
    const rubric = completedRubric();
    expect(rubricProblems(rubric)).toEqual([]);
    expect(rubric.indicators).toHaveLength(20);
    const maxOf = (code: string) => rubric.indicators.filter((i) => i.area === code).reduce((s, i) => s + Math.max(...i.levels.map((l) => l.points)), 0);
    expect([maxOf('1'), maxOf('2'), maxOf('3')]).toEqual([30, 45, 25]);
    expect(rubric.areas.reduce((s, a) => s + a.maxPoints, 0)).toBe(100);
  });

  it('names a duplicate code, a wrong count, points that are not the level, and a wrong area maximum', () => {
    const rubric = completedRubric();
    rubric.indicators[1] = { ...rubric.indicators[1]!, code: '1.1' };
    rubric.indicators.pop();
    rubric.indicators[2]!.levels[2]!.points = 6;
    rubric.areas[0]!.maxPoints = 35;
    const problems = rubricProblems(rubric);
    expect(problems).toContain('รหัสตัวชี้วัด 1.1 ซ้ำกัน');
    expect(problems).toContain('ต้องมีตัวชี้วัด 20 ตัว แต่มี 19 ตัว');
    expect(problems).toContain('ตัวชี้วัด 1.3 ระดับ 5 ต้องได้ 5 คะแนน แต่กำหนดไว้ 6 คะแนน');
    expect(problems).toContain('ด้านที่ 1 ต้องมีคะแนนเต็ม 30 คะแนน แต่กำหนดไว้ 35 คะแนน');
    expect(problems).toContain('คะแนนเต็มของทุกด้านรวมกันต้องเป็น 100 คะแนน แต่รวมได้ 105 คะแนน');
  });

  it('parseRubric refuses data of the wrong shape, by path', () => {
    const broken = structuredClone(rubricJson) as { indicators: { levels: { level: number }[] }[] };
    broken.indicators[0]!.levels[0]!.level = 2;
    expect(parseRubric(broken)).toEqual({ ok: false, problems: ['indicators[0].levels[0].level: expected 3, 4 or 5'] });
    expect(parseRubric(null).ok).toBe(false);
  });
});

describe('completeRubricDraft', () => {
  it('fills in only what is missing, leaves every seeded indicator as it was, and makes a new version', () => {
    const base = seededRubric();
    const before = structuredClone(base);
    const rubric = completedRubric();
    expect(base).toEqual(before); // the base is not touched
    expect(rubric).toMatchObject({ id: 'centre-rubric.v2-test', basedOn: 'centre-rubric.v1' });
    for (const seeded of base.indicators.filter((i) => !i.missing)) {
      expect(rubric.indicators.find((i) => i.code === seeded.code)).toEqual(seeded);
    }
    expect(rubric.indicators.find((i) => i.code === '3.1')).toEqual({
      code: '3.1',
      area: '3',
      missing: false,
      title: 'ตัวชี้วัดทดสอบ 3.1',
      preamble: null,
      levels: [
        { level: 3, points: 3, criterion: 'เกณฑ์ระดับ 3 ของ 3.1' },
        { level: 4, points: 4, criterion: 'เกณฑ์ระดับ 4 ของ 3.1' },
        { level: 5, points: 5, criterion: 'เกณฑ์ระดับ 5 ของ 3.1' },
      ],
      evidence: ['หลักฐานที่ 1 ของ 3.1', 'หลักฐานที่ 2 ของ 3.1'],
    });
    expect(rubric.changes.every((c) => c.kind === 'filled')).toBe(true);
    expect(rubric.changes).toHaveLength(1 + 6 * 5); // area 3's title; per indicator: title, 3 criteria, evidence
    expect(rubric.corrections).toEqual(base.corrections);
  });

  it('changes seeded text only when an edit names it, and records that it replaced the seed', () => {
    const result = completeRubricDraft(seededRubric(), { id: 'v1-reworded', indicators: { '3.5': { title: 'การเป็นแหล่งเรียนรู้ของคนในชุมชนและนอกชุมชน' } } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ind = result.rubric.indicators.find((i) => i.code === '3.5')!;
    expect(ind.title).toBe('การเป็นแหล่งเรียนรู้ของคนในชุมชนและนอกชุมชน');
    expect(ind.levels).toEqual(seededRubric().indicators.find((i) => i.code === '3.5')!.levels);
    expect(result.rubric.changes).toEqual([{ target: 'indicator', code: '3.5', field: 'title', kind: 'replaced' }]);
  });

  it('keeps a partly filled indicator missing, and says what it still lacks', () => {
    const result = completeRubricDraft(seededRubric(), { id: 'partial', indicators: { '2.8': { title: '  ตัวชี้วัด   ทดสอบ ', criteria: { 3: 'เกณฑ์' } } } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ind = result.rubric.indicators.find((i) => i.code === '2.8')!;
    expect(ind).toMatchObject({ missing: true, title: 'ตัวชี้วัด ทดสอบ', levels: [{ level: 3, points: 3, criterion: 'เกณฑ์' }] });
    expect(rubricProblems(result.rubric)).toContain('ตัวชี้วัด 2.8 ขาดหายจากเอกสารต้นฉบับ ยังต้องกรอกเกณฑ์ระดับ 4 และ 5 และรายการหลักฐานเชิงประจักษ์');
  });

  it('refuses the same id, unknown codes, empty text and an edit that changes nothing', () => {
    const base = seededRubric();
    const bad = completeRubricDraft(base, {
      id: 'centre-rubric.v1',
      areaTitles: { '4': 'ด้านที่ไม่มี' },
      indicators: { '4.1': fillerFor('4.1'), '2.9': { title: '  ', evidence: [] } },
    });
    expect(bad).toEqual({
      ok: false,
      problems: [
        'รหัสฉบับใหม่ต้องไม่ซ้ำกับฉบับเดิม (centre-rubric.v1)',
        'ไม่มีด้านที่ 4 ในเกณฑ์',
        'ไม่มีตัวชี้วัด 4.1 ในเกณฑ์',
        'ชื่อตัวชี้วัด 2.9 ต้องไม่ว่าง',
        'รายการหลักฐานของตัวชี้วัด 2.9 ต้องมีอย่างน้อย 1 รายการ และไม่มีรายการว่าง',
      ],
    });
    const title = base.indicators[0]!.title!;
    expect(completeRubricDraft(base, { id: 'same', indicators: { '1.1': { title } } })).toEqual({ ok: false, problems: ['ไม่มีการแก้ไขใดจากฉบับเดิม'] });
  });
});

// --- scoring --------------------------------------------------------------------------------------------------------

describe('scoreAssessment', () => {
  it('adds a level\'s points per indicator into area subtotals and a total', () => {
    const rubric = completedRubric();
    const result = scoreAssessment(rubric, assessment('c1', rubric, 4, { '1.1': { level: 5 }, '2.9': { level: 3 } }));
    expect(result.total).toBe(80 + 1 - 1);
    expect(result.areas.map((a) => [a.code, a.points, a.maxPoints])).toEqual([
      ['1', 25, 30],
      ['2', 35, 45],
      ['3', 20, 25],
    ]);
    expect(result.indicators.find((i) => i.code === '1.1')).toMatchObject({ level: 5, points: 5, maxPoints: 5 });
    expect(result).toMatchObject({ maxTotal: 100, unscored: [], notScoreable: [], withoutEvidence: [], rejected: [], hasVideoLink: true, complete: true });
  });

  it('on the seeded rubric scores what it can (70 at most) and says which indicators nobody can score yet', () => {
    const rubric = seededRubric();
    const result = scoreAssessment(rubric, assessment('c1', rubric, 5));
    expect(result.total).toBe(70);
    expect(result.areas.map((a) => a.points)).toEqual([30, 35, 5]);
    expect(result.notScoreable).toEqual(MISSING_CODES);
    expect(result.complete).toBe(false);
  });

  it('lists unscored indicators, and flags (but counts) scores without evidence; an attachment is evidence', () => {
    const rubric = completedRubric();
    const result = scoreAssessment(
      rubric,
      assessment('c1', rubric, 4, { '1.2': null, '3.3': null, '2.1': { evidence: [] }, '2.2': { evidence: [], attachments: 2 } }),
    );
    expect(result.unscored).toEqual(['1.2', '3.3']);
    expect(result.withoutEvidence).toEqual(['2.1']);
    expect(result.indicators.find((i) => i.code === '2.1')).toMatchObject({ points: 4, withoutEvidence: true });
    expect(result.indicators.find((i) => i.code === '2.2')).toMatchObject({ points: 4, attachments: 2, withoutEvidence: false });
    expect(result.total).toBe(80 - 8);
    expect(result.complete).toBe(false);
  });

  it('rejects what the rubric cannot take: unknown indicators, lost ones, evidence numbers past the list', () => {
    const rubric = seededRubric();
    const result = scoreAssessment(rubric, {
      centreId: 'c1',
      scores: { '9.9': { level: 5 }, '2.8': { level: 5 }, '1.1': { level: 5, evidence: [2, 3, 2] } },
      videoUrl: 'not a link',
    });
    expect(result.rejected).toEqual([
      { indicator: '9.9', reason: 'ไม่มีตัวชี้วัด 9.9 ในเกณฑ์ฉบับนี้' },
      { indicator: '1.1', reason: 'ตัวชี้วัด 1.1 มีหลักฐานเพียง 2 รายการ ไม่มีรายการที่ 3' },
      { indicator: '2.8', reason: 'ตัวชี้วัด 2.8 ยังไม่มีเกณฑ์ จึงยังให้คะแนนไม่ได้' },
    ]);
    expect(result.indicators.find((i) => i.code === '1.1')).toMatchObject({ points: 5, evidence: [2] });
    expect(result.total).toBe(5);
    expect(result.hasVideoLink).toBe(false);
  });
});

describe('the rubric title in a round', () => {
  it('names the round\'s fiscal year, not the seed\'s (the 2570 round\'s PDF said 2568)', () => {
    const seed = 'เกณฑ์การคัดเลือก การจัดตั้งศูนย์จัดการกองทุนชุมชน เพื่อพัฒนาไปสู่การเป็นต้นแบบด้านการบริหารจัดการหนี้ ประจำปีงบประมาณ พ.ศ. 2568';
    expect(rubricTitleForYear(seed, 2570)).toBe(seed.replace('2568', '2570'));
    expect(rubricTitleForYear('เกณฑ์ที่ไม่มีปี', 2570)).toBe('เกณฑ์ที่ไม่มีปี');
  });
});

describe('rankAssessments', () => {
  const rubric = completedRubric();
  const entries = [
    assessment('p-centre', rubric, 4), // 80, management 36
    assessment('y-centre', rubric, 4, { '1.1': { level: 5 } }), // 81, management 36
    assessment('x-centre', rubric, 5), // 100
    assessment('z-centre', rubric, 4, { '2.1': { level: 5 } }), // 81, management 37
    assessment('a-centre', rubric, 4), // 80, management 36
  ];

  it('orders by total, then by the management area, then by centre id; a full tie shares its rank', () => {
    const ranked = rankAssessments(rubric, entries);
    expect(ranked.map((r) => [r.position, r.rank, r.result.centreId, r.result.total, r.decidedBy])).toEqual([
      [1, 1, 'x-centre', 100, null],
      [2, 2, 'z-centre', 81, 'total'],
      [3, 3, 'y-centre', 81, 'management'],
      [4, 4, 'a-centre', 80, 'total'],
      [5, 4, 'p-centre', 80, 'centre_id'],
    ]);
    expect(rankNote(ranked[2]!.decidedBy)).toBe('คะแนนรวมเท่ากัน จัดลำดับด้วยคะแนนด้านที่ 2 (ด้านการบริหารจัดการ)');
    expect(rankNote(ranked[4]!.decidedBy)).toContain('ขอให้คณะกรรมการพิจารณาตัดสิน');
    // Both of the pair share the rank, the first one too (it was flagged alone in a trial).
    expect(ranked.map((r) => r.sharesRank)).toEqual([false, false, false, true, true]);
  });

  it('gives the same order whatever order the assessments come in', () => {
    const order = (list: CentreAssessment[]) => rankAssessments(rubric, list).map((r) => r.result.centreId);
    expect(order([...entries].reverse())).toEqual(order(entries));
    expect(order([entries[4]!, entries[2]!, entries[0]!, entries[3]!, entries[1]!])).toEqual(order(entries));
  });

  it('refuses two assessments of one centre', () => {
    expect(() => rankAssessments(rubric, [entries[0]!, entries[0]!])).toThrow('มีผลการประเมินมากกว่าหนึ่งชุด');
  });
});

describe('Thai wording around the rubric', () => {
  it('heads areas and indicators as the sheet does, and says when the seed lost a title', () => {
    const rubric = seededRubric();
    expect(rubric.areas.map(areaHeading)).toEqual([
      '1. ด้านโครงสร้าง (คณะกรรมการ/สมาชิก/ระเบียบข้อบังคับ/อาคาร) (30 คะแนน)',
      '2. ด้านการบริหารจัดการ (45 คะแนน)',
      '3. (ชื่อด้านขาดหายจากเอกสารต้นฉบับ) (25 คะแนน)',
    ]);
    expect(indicatorHeading(rubric.indicators[0]!)).toBe('1.1 ที่มาของคณะกรรมการ');
    expect(indicatorHeading(rubric.indicators.find((i) => i.code === '2.8')!)).toBe('2.8 (ขาดหายจากเอกสารต้นฉบับ)');
    expect(submissionNote(rubric.submission)).toBe('ส่งเอกสารสรุปผลงาน 1 เล่ม และคลิปวิดีโอ 1 คลิป ความยาวไม่เกิน 7 นาที ภายในวันที่ 28 เมษายน 2568');
  });

  it('summarises a score with what still needs attention', () => {
    const rubric = completedRubric();
    const result = scoreAssessment(rubric, { ...assessment('c1', rubric, 3, { '1.2': null, '2.1': { evidence: [] } }), videoUrl: null });
    expect(scoreSummaryLines(result)).toEqual([
      'คะแนนรวม 57 จาก 100 คะแนน',
      'ด้านที่ 1: 15 จาก 30 คะแนน',
      'ด้านที่ 2: 27 จาก 45 คะแนน',
      'ด้านที่ 3: 15 จาก 25 คะแนน',
      'ยังไม่ได้ให้คะแนน 1 ตัวชี้วัด: 1.2',
      'ให้คะแนนโดยยังไม่มีหลักฐาน: 2.1',
      'ยังไม่มีลิงก์คลิปวิดีโอ',
    ]);
  });
});
