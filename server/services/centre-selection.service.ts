// Selecting model community-fund management centres (seed 003): rubric versions a province officer completes,
// centres registered per tambon, a province's selection rounds, district assessments (drafts resumable on any
// phone, submitted → frozen, corrections as new versions with a reason), evidence files sealed like application
// documents, the province's ranking and verification score, and what to tell the districts in LINE.
// Everything is scoped to the caller's area in SQL and every change (and every look at evidence) is audited.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OfficerRole } from '../db/schema.ts';
import type {
  AssessmentPage,
  AssessmentSave,
  CentreRequest,
  CentreSelectionHome,
  CentreView,
  RankingPage,
  RoundPage,
  RoundRequest,
  RoundSummary,
  RubricDraftRequest,
  RubricView,
} from '../contracts/centres.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { findAreaByPath } from '../db/repos/areas.repo.ts';
import { childAreasOf } from '../db/repos/reports.repo.ts';
import { findSubdistrictInScope, subdistrictsInScope } from '../db/repos/debtor-scope.repo.ts';
import { linkedFollowingOfficers, type OfficerProfile } from '../db/repos/officers.repo.ts';
import {
  assessmentVersions,
  closeRoundsDue,
  copyEvidenceFiles,
  countFilesOfAssessment,
  evidenceFilesOf,
  findCentre,
  findEvidenceFile,
  findRound,
  findRubricBody,
  insertAssessment,
  insertCentre,
  insertEvidenceFile,
  insertRound,
  insertRubricVersion,
  latestAssessmentsOf,
  latestSubmittedInScope,
  listCentresInScope,
  listRoundsForScope,
  listRubricVersions,
  openRoundsAt,
  rubricIdExists,
  submitDraft,
  updateDraft,
  upsertVerification,
  verificationsOf,
  type AssessmentRow,
  type CentreRow,
  type EvidenceFileMeta,
  type RoundRow,
  type StoredScores,
} from '../db/repos/centres.repo.ts';
import {
  completeRubricDraft,
  parseRubric,
  rankAssessments,
  rubricProblems,
  scoreAssessment,
  type AssessmentResult,
  type CentreAssessment,
  type IndicatorEdit,
  type RankDecidedBy,
  type Rubric,
} from '../domain/centre-rubric.ts';
import { isWithinArea } from '../domain/area-scope.ts';
import { deadlineReminderDue } from '../domain/officer-calendar.ts';
import { DomainError } from '../domain/errors.ts';
import { addDays, bangkokDate, bangkokInstant, formatThaiDateTime, isValidLocalDate } from '../domain/local-date.ts';
import { areaHeading, indicatorHeading, rankNote, rubricTitleForYear } from '../content/centre-rubric.th.ts';
import { CENTRE_THAI } from '../content/centre-selection.th.ts';
import { areaTitle, formatAreaPath } from '../content/area-names.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { sniffDocumentType } from './enrollment-submission.service.ts';
import { field, type OfficerCaller } from './officer-access.ts';
import { enqueueOutboxMessages, multicastBatchKey, type OutboxMessageInput } from './outbox.service.ts';
import type { Notification } from './notifications.ts';
import type { Clock } from './ports.ts';

export interface CentreSelectionDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  dispatchSoon?: () => void;
}

const SCORER_ROLES: readonly OfficerRole[] = ['tambon', 'district'];
const PROVINCE_ROLES: readonly OfficerRole[] = ['province'];
const RANKING_ROLES: readonly OfficerRole[] = ['province', 'department', 'admin'];
const MAX_FILES_PER_ASSESSMENT = 60;

const actorOf = (caller: OfficerCaller) => `officer:${caller.id}`;
const provinceOf = (scopePath: string | null) => (scopePath === null ? null : scopePath.split('/')[0]!);

// ---------------------------------------------------------------------------------------------------------------
// Rubrics: immutable once written, so each service parses a version once (a cache per service, so two databases in
// one process — tests, a replica on another database — never share one).

type RubricCache = Map<string, Rubric>;

async function loadRubric(db: Kysely<Database>, id: string, cache?: RubricCache): Promise<Rubric> {
  const cached = cache?.get(id);
  if (cached) return cached;
  const row = await findRubricBody(db, id);
  if (!row) throw new DomainError('NOT_FOUND', CENTRE_THAI.rubricNotFound);
  const parsed = parseRubric(row.body);
  if (!parsed.ok) throw new Error(`rubric ${id} in the database does not parse: ${parsed.problems.join('; ')}`);
  cache?.set(id, parsed.value);
  return parsed.value;
}

function rubricView(rubric: Rubric): RubricView {
  const problems = rubricProblems(rubric);
  return {
    id: rubric.id,
    basedOn: rubric.basedOn,
    complete: problems.length === 0,
    problems,
    title: rubric.source.title,
    areas: rubric.areas.map((area) => ({ code: area.code, title: area.title, heading: areaHeading(area), maxPoints: area.maxPoints })),
    indicators: rubric.indicators.map((ind) => ({
      code: ind.code,
      area: ind.area,
      missing: ind.missing,
      title: ind.title,
      heading: indicatorHeading(ind),
      preamble: ind.preamble,
      levels: ind.levels.map((l) => ({ level: l.level, points: l.points, criterion: l.criterion })),
      evidence: ind.evidence,
      maxPoints: ind.missing ? 0 : ind.levels.reduce((max, l) => Math.max(max, l.points), 0),
    })),
    videoMaxMinutes: rubric.submission.videoMaxMinutes,
    changes: rubric.changes.map((c) => ({ ...c })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Who may do what

function requireRole(caller: OfficerCaller, roles: readonly OfficerRole[], message: string): void {
  if (!roles.includes(caller.role)) throw new DomainError('FORBIDDEN', message);
}

function mayView(caller: OfficerCaller): void {
  requireRole(caller, [...SCORER_ROLES, ...RANKING_ROLES], CENTRE_THAI.notAllowed);
}

function toCentreView(row: CentreRow): CentreView {
  return {
    id: row.id,
    name: row.name,
    village: row.village,
    area: formatAreaPath(row.areaPath),
    tambonId: row.subdistrictId,
    contactName: row.contactName,
    contactPhone: row.contactPhone,
    memberGroups: row.memberGroups,
  };
}

function isOpen(round: RoundRow, at: Date): boolean {
  return round.closedAt === null && at < round.closesAt;
}

function roundSummary(round: RoundRow, at: Date): RoundSummary {
  const open = isOpen(round, at);
  return {
    id: round.id,
    province: round.provincePath,
    fiscalYearBE: round.fiscalYearBE,
    rubricId: round.rubricId,
    deadlineOn: round.deadlineOn,
    open,
    statusLabel: open ? CENTRE_THAI.roundOpen(round.deadlineOn) : CENTRE_THAI.roundClosedLabel,
  };
}

/** A round of the caller's province (or any, nationally): 404 when there is none, 403 for another province's. */
async function visibleRound(db: Kysely<Database>, caller: OfficerCaller, roundId: number): Promise<RoundRow> {
  const round = await findRound(db, roundId);
  if (!round) throw new DomainError('NOT_FOUND', CENTRE_THAI.roundNotFound);
  const province = provinceOf(caller.scopePath);
  if (province !== null && round.provincePath !== province) throw new DomainError('FORBIDDEN', CENTRE_THAI.roundOutside);
  return round;
}

/** A centre inside the caller's area, and inside the round's province. */
async function visibleCentre(db: Kysely<Database>, caller: OfficerCaller, centreId: number, round?: RoundRow): Promise<CentreRow> {
  const centre = await findCentre(db, centreId);
  if (!centre) throw new DomainError('NOT_FOUND', CENTRE_THAI.centreNotFound);
  if (!isWithinArea(centre.areaPath, caller.scopePath)) throw new DomainError('FORBIDDEN', CENTRE_THAI.centreOutside);
  if (round && !isWithinArea(centre.areaPath, round.provincePath)) throw new DomainError('NOT_FOUND', CENTRE_THAI.centreNotFound);
  return centre;
}

// ---------------------------------------------------------------------------------------------------------------
// Scores

function toDomainAssessment(centreId: number, scores: StoredScores, videoUrl: string | null, files: readonly EvidenceFileMeta[]): CentreAssessment {
  const attachments = new Map<string, number>();
  for (const file of files) attachments.set(file.indicatorCode, (attachments.get(file.indicatorCode) ?? 0) + 1);
  const domainScores: CentreAssessment['scores'] = {};
  for (const [code, score] of Object.entries(scores)) {
    (domainScores as Record<string, unknown>)[code] = { level: score.level, evidence: score.evidence ?? [], attachments: attachments.get(code) ?? 0 };
  }
  // An indicator with files but no level is still unscored; its files wait for it.
  // Zero-padded, so the domain's last-resort order by id (as text) is numeric order.
  return { centreId: String(centreId).padStart(10, '0'), scores: domainScores, videoUrl };
}

function missingLines(result: AssessmentResult): string[] {
  const lines: string[] = [];
  if (result.unscored.length > 0) lines.push(CENTRE_THAI.missingUnscored(result.unscored));
  if (result.notScoreable.length > 0) lines.push(CENTRE_THAI.missingNotScoreable(result.notScoreable));
  if (result.withoutEvidence.length > 0) lines.push(CENTRE_THAI.missingEvidence(result.withoutEvidence));
  if (!result.hasVideoLink) lines.push(CENTRE_THAI.missingVideo);
  for (const r of result.rejected) lines.push(r.reason);
  return lines;
}

function resultView(rubric: Rubric, result: AssessmentResult): AssessmentPage['result'] {
  return {
    total: result.total,
    maxTotal: result.maxTotal,
    areas: result.areas.map((a) => ({ code: a.code, heading: areaHeading(rubric.areas.find((x) => x.code === a.code)!), points: a.points, maxPoints: a.maxPoints })),
    unscored: result.unscored,
    notScoreable: result.notScoreable,
    withoutEvidence: result.withoutEvidence,
    hasVideoLink: result.hasVideoLink,
    complete: result.complete,
    missing: missingLines(result),
  };
}

/** Refuses scores the rubric cannot take (an unknown or missing indicator, evidence numbers out of range). */
function checkScores(rubric: Rubric, scores: StoredScores): void {
  const result = scoreAssessment(rubric, toDomainAssessment(0, scores, null, []));
  if (result.rejected.length > 0) {
    throw new DomainError(
      'VALIDATION',
      CENTRE_THAI.scoresRejected,
      result.rejected.map((r) => ({ path: `scores.${r.indicator}`, message: r.reason })),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------

export function createCentreSelectionService(deps: CentreSelectionDeps) {
  const { db, clock } = deps;
  const rubrics: RubricCache = new Map();

  async function home(caller: OfficerCaller): Promise<CentreSelectionHome> {
    mayView(caller);
    const now = clock.now();
    const scorer = SCORER_ROLES.includes(caller.role);
    const [tambons, centres, rounds, rubrics] = await Promise.all([
      scorer && caller.scopePath !== null ? subdistrictsInScope(db, caller.scopePath) : Promise.resolve([]),
      listCentresInScope(db, caller.scopePath),
      listRoundsForScope(db, caller.scopePath),
      listRubricVersions(db),
    ]);
    return {
      can: {
        registerCentres: scorer,
        score: scorer,
        openRounds: PROVINCE_ROLES.includes(caller.role),
        editRubrics: PROVINCE_ROLES.includes(caller.role),
        rank: RANKING_ROLES.includes(caller.role),
      },
      tambons: tambons.map((t) => ({ id: t.id, name: t.name, area: formatAreaPath(t.path) })),
      centres: centres.map(toCentreView),
      rounds: rounds.map((r) => roundSummary(r, now)),
      rubrics: rubrics.map((r) => ({ id: r.id, basedOn: r.basedOn, complete: r.complete, rounds: r.rounds, createdAt: r.createdAt.toISOString() })),
      today: bangkokDate(now),
    };
  }

  async function rubric(caller: OfficerCaller, id: string): Promise<RubricView> {
    mayView(caller);
    return rubricView(await loadRubric(db, id, rubrics));
  }

  /** A province officer's new version: the base with what they filled in; complete or still a draft. */
  async function createRubricVersion(caller: OfficerCaller, request: RubricDraftRequest): Promise<RubricView> {
    requireRole(caller, PROVINCE_ROLES, CENTRE_THAI.provinceOnly);
    const base = await loadRubric(db, request.basedOn, rubrics);
    const stem = base.id.replace(/\.v\d+(?:\.\d+)*$/, '');
    const indicators: Record<string, IndicatorEdit> = {};
    for (const [code, edit] of Object.entries(request.indicators ?? {})) {
      const criteria: IndicatorEdit['criteria'] = {};
      for (const level of [3, 4, 5] as const) {
        const text = edit.criteria?.[level];
        if (text !== undefined && text.trim() !== '') criteria[level] = text;
      }
      indicators[code] = {
        ...(edit.title !== undefined && edit.title.trim() !== '' ? { title: edit.title } : {}),
        ...(edit.preamble !== undefined && edit.preamble.trim() !== '' ? { preamble: edit.preamble } : {}),
        ...(Object.keys(criteria).length > 0 ? { criteria } : {}),
        ...(edit.evidence !== undefined && edit.evidence.some((e) => e.trim() !== '') ? { evidence: edit.evidence.filter((e) => e.trim() !== '') } : {}),
      };
    }
    const areaTitles = Object.fromEntries(Object.entries(request.areaTitles ?? {}).filter(([, title]) => title.trim() !== ''));
    const now = clock.now();
    // Versions are numbered in order: the next free number, taken again if another officer saved at the same moment.
    for (let attempt = 0; attempt < 5; attempt++) {
      let n = 2;
      while (await rubricIdExists(db, `${stem}.v${n}`)) n++;
      const id = `${stem}.v${n}`;
      const draft = completeRubricDraft(base, { id, areaTitles, indicators });
      if (!draft.ok) {
        throw new DomainError(
          'VALIDATION',
          draft.problems[0] === 'ไม่มีการแก้ไขใดจากฉบับเดิม' ? CENTRE_THAI.rubricNoEdits : draft.problems[0]!,
          draft.problems.map((message) => ({ path: 'rubric', message })),
        );
      }
      const complete = rubricProblems(draft.rubric).length === 0;
      const saved = await db.transaction().execute(async (trx) => {
        if (!(await insertRubricVersion(trx, { id, basedOn: base.id, body: draft.rubric, complete, createdBy: caller.id, at: now }))) return false;
        await recordAudit(trx, { actor: actorOf(caller), action: 'centre_rubric.create', subject: `centre_rubric:${id}`, details: { basedOn: base.id, complete, changes: draft.rubric.changes.length }, at: now });
        return true;
      });
      if (saved) return rubricView(draft.rubric);
    }
    throw new DomainError('CONFLICT', CENTRE_THAI.staleDraft);
  }

  async function registerCentre(caller: OfficerCaller, request: CentreRequest): Promise<CentreView> {
    requireRole(caller, SCORER_ROLES, CENTRE_THAI.scorersOnly);
    const tambon = await findSubdistrictInScope(db, caller.scopePath, request.tambonId);
    if (!tambon) throw field('tambonId', CENTRE_THAI.tambonOutside);
    const now = clock.now();
    const id = await db.transaction().execute(async (trx) => {
      const inserted = await insertCentre(trx, {
        subdistrictId: tambon.id,
        name: request.name.normalize('NFC').replace(/\s+/g, ' '),
        village: request.village,
        contactName: request.contactName,
        contactPhone: request.contactPhone,
        memberGroups: request.memberGroups,
        officerId: caller.id,
        at: now,
      });
      if (inserted === undefined) throw new DomainError('CONFLICT', CENTRE_THAI.centreExists, [{ path: 'name', message: CENTRE_THAI.centreExists }]);
      await recordAudit(trx, { actor: actorOf(caller), action: 'centre.register', subject: `centre:${inserted}`, details: { tambon: tambon.path }, at: now });
      return inserted;
    });
    return toCentreView((await findCentre(db, id))!);
  }

  /** Opens a round for the caller's province; refused until the rubric version is complete. Districts are told. */
  async function openRound(caller: OfficerCaller, request: RoundRequest): Promise<RoundSummary> {
    requireRole(caller, PROVINCE_ROLES, CENTRE_THAI.provinceOnly);
    const provincePath = provinceOf(caller.scopePath);
    const province = provincePath === null ? undefined : await findAreaByPath(db, provincePath);
    if (!province) throw new DomainError('FORBIDDEN', CENTRE_THAI.provinceUnknown);
    const rubric = await loadRubric(db, request.rubricId, rubrics);
    const problems = rubricProblems(rubric);
    if (problems.length > 0) {
      throw new DomainError('CONFLICT', CENTRE_THAI.rubricIncomplete, problems.map((message) => ({ path: 'rubricId', message })));
    }
    const now = clock.now();
    if (!isValidLocalDate(request.deadlineOn) || request.deadlineOn < bangkokDate(now)) throw field('deadlineOn', CENTRE_THAI.deadlinePast);
    const closesAt = bangkokInstant(addDays(request.deadlineOn, 1));
    const roundId = await db.transaction().execute(async (trx) => {
      const id = await insertRound(trx, { provinceId: province.id, fiscalYearBE: request.fiscalYearBE, rubricId: rubric.id, deadlineOn: request.deadlineOn, closesAt, officerId: caller.id, at: now });
      if (id === undefined) throw new DomainError('CONFLICT', CENTRE_THAI.roundExists(request.fiscalYearBE), [{ path: 'fiscalYearBE', message: CENTRE_THAI.roundExists(request.fiscalYearBE) }]);
      await recordAudit(trx, { actor: actorOf(caller), action: 'centre_round.open', subject: `centre_round:${id}`, details: { province: province.path, year: request.fiscalYearBE, rubric: rubric.id, deadlineOn: request.deadlineOn }, at: now });
      const round = (await findRound(trx, id))!;
      await enqueueOutboxMessages(trx, await roundOpenedMessages(trx, round, rubric, now));
      return id;
    });
    deps.dispatchSoon?.();
    return roundSummary((await findRound(db, roundId))!, now);
  }

  async function roundPage(caller: OfficerCaller, roundId: number): Promise<RoundPage> {
    mayView(caller);
    const round = await visibleRound(db, caller, roundId);
    const centres = (await listCentresInScope(db, caller.scopePath)).filter((c) => isWithinArea(c.areaPath, round.provincePath));
    const latest = new Map((await latestAssessmentsOf(db, roundId, centres.map((c) => c.id))).map((a) => [a.centreId, a]));
    // A district that registered no centre, or sent none, is the one the province has to chase.
    const districtPaths = caller.scopePath === null || caller.scopePath === round.provincePath ? await childAreasOf(db, round.provincePath) : [];
    const districts = districtPaths.map((path) => {
      const own = centres.filter((c) => isWithinArea(c.areaPath, path));
      // Sent: its latest version is, or it is being corrected (a later draft of one sent).
      const sent = own.filter((c) => {
        const a = latest.get(c.id);
        return a !== undefined && (a.status === 'submitted' || a.version > 1);
      });
      return { title: areaTitle(path), centres: own.length, submitted: sent.length };
    });
    return {
      round: roundSummary(round, clock.now()),
      districts,
      centres: centres.map((centre) => {
        const a = latest.get(centre.id);
        return {
          centre: toCentreView(centre),
          status: a ? a.status : 'none',
          version: a?.version ?? null,
          total: a?.total ?? null,
          submittedAt: a?.submittedAt?.toISOString() ?? null,
        };
      }),
    };
  }

  async function assessmentPage(caller: OfficerCaller, roundId: number, centreId: number): Promise<AssessmentPage> {
    mayView(caller);
    const round = await visibleRound(db, caller, roundId);
    const centre = await visibleCentre(db, caller, centreId, round);
    const rubric = await loadRubric(db, round.rubricId, rubrics);
    const versions = await assessmentVersions(db, roundId, centreId);
    const now = clock.now();
    const scorer = SCORER_ROLES.includes(caller.role);
    // The province sees what was submitted; the district its draft too.
    const shown = scorer ? versions.at(-1) : versions.filter((v) => v.status === 'submitted').at(-1);
    const files = shown ? await evidenceFilesOf(db, [shown.id]) : [];
    const result = scoreAssessment(rubric, toDomainAssessment(centreId, shown?.scores ?? {}, shown?.videoUrl ?? null, files));
    const verification = (await verificationsOf(db, roundId)).get(centreId);
    if (!scorer) await recordAudit(db, { actor: actorOf(caller), action: 'centre_assessment.view', subject: `centre:${centreId}`, details: { roundId, version: shown?.version ?? null }, at: now });
    const open = isOpen(round, now);
    return {
      round: roundSummary(round, now),
      centre: toCentreView(centre),
      rubric: rubricView(rubric),
      current: shown
        ? {
            id: shown.id,
            version: shown.version,
            status: shown.status,
            reason: shown.reason,
            scores: Object.fromEntries(
              Object.entries(shown.scores).map(([code, s]) => [code, { level: s.level as 3 | 4 | 5, evidence: s.evidence ?? [], note: s.note ?? null }]),
            ),
            videoUrl: shown.videoUrl,
            updatedAt: shown.updatedAt.toISOString(),
            submittedAt: shown.submittedAt?.toISOString() ?? null,
          }
        : null,
      files: files.map((f) => ({ id: f.id, indicator: f.indicatorCode, contentType: f.contentType, byteSize: f.byteSize })),
      versions: (scorer ? versions : versions.filter((v) => v.status === 'submitted')).map((v) => ({
        id: v.id,
        version: v.version,
        status: v.status,
        reason: v.reason,
        total: v.total,
        submittedAt: v.submittedAt?.toISOString() ?? null,
        updatedAt: v.updatedAt.toISOString(),
      })),
      result: resultView(rubric, result),
      editable: scorer && open && (shown === undefined || shown.status === 'draft'),
      correctable: scorer && open && shown?.status === 'submitted',
      verification: verification ? { points: verification.points, note: verification.note } : null,
    };
  }

  /** For a change by a scorer: the round open, the centre theirs. */
  async function scorerContext(caller: OfficerCaller, roundId: number, centreId: number) {
    requireRole(caller, SCORER_ROLES, CENTRE_THAI.scorersOnly);
    const round = await visibleRound(db, caller, roundId);
    const centre = await visibleCentre(db, caller, centreId, round);
    const now = clock.now();
    if (!isOpen(round, now)) throw new DomainError('CONFLICT', CENTRE_THAI.roundClosed);
    return { round, centre, now, rubric: await loadRubric(db, round.rubricId, rubrics) };
  }

  /** Saves the draft (creating version 1 on the first save); any phone of an officer of the area may continue it. */
  async function saveDraft(caller: OfficerCaller, roundId: number, centreId: number, request: AssessmentSave): Promise<AssessmentPage> {
    const { now, rubric } = await scorerContext(caller, roundId, centreId);
    const scores: StoredScores = {};
    for (const [code, s] of Object.entries(request.scores)) scores[code] = { level: s.level, evidence: [...new Set(s.evidence)].sort((a, b) => a - b), note: s.note ?? null };
    checkScores(rubric, scores);
    await db.transaction().execute(async (trx) => {
      const latest = (await assessmentVersions(trx, roundId, centreId)).at(-1);
      if (latest?.status === 'submitted') throw new DomainError('CONFLICT', CENTRE_THAI.alreadySubmitted);
      if (!latest) {
        const id = await insertAssessment(trx, { roundId, centreId, version: 1, scores, videoUrl: request.videoUrl, reason: null, officerId: caller.id, at: now });
        if (id === undefined) throw new DomainError('CONFLICT', CENTRE_THAI.staleDraft);
        await recordAudit(trx, { actor: actorOf(caller), action: 'centre_assessment.draft', subject: `centre:${centreId}`, details: { roundId, version: 1 }, at: now });
        return;
      }
      if (request.version !== undefined && request.version !== latest.version) throw new DomainError('CONFLICT', CENTRE_THAI.staleDraft);
      const expected = request.updatedAt ? new Date(request.updatedAt) : undefined;
      if (!(await updateDraft(trx, latest.id, expected && !Number.isNaN(expected.getTime()) ? expected : undefined, { scores, videoUrl: request.videoUrl, officerId: caller.id, at: now }))) {
        throw new DomainError('CONFLICT', CENTRE_THAI.staleDraft);
      }
      await recordAudit(trx, { actor: actorOf(caller), action: 'centre_assessment.draft', subject: `centre:${centreId}`, details: { roundId, version: latest.version }, at: now });
    });
    return assessmentPage(caller, roundId, centreId);
  }

  /** Submits the draft: frozen from here on (the database refuses any change to it). */
  async function submit(caller: OfficerCaller, roundId: number, centreId: number): Promise<AssessmentPage> {
    const { now, rubric } = await scorerContext(caller, roundId, centreId);
    await db.transaction().execute(async (trx) => {
      const latest = (await assessmentVersions(trx, roundId, centreId)).at(-1);
      if (!latest) throw new DomainError('CONFLICT', CENTRE_THAI.nothingToSubmit);
      if (latest.status === 'submitted') throw new DomainError('CONFLICT', CENTRE_THAI.alreadySubmitted);
      const files = await evidenceFilesOf(trx, [latest.id]);
      const result = scoreAssessment(rubric, toDomainAssessment(centreId, latest.scores, latest.videoUrl, files));
      if (!(await submitDraft(trx, latest.id, { total: result.total, officerId: caller.id, at: now }))) throw new DomainError('CONFLICT', CENTRE_THAI.alreadySubmitted);
      await recordAudit(trx, {
        actor: actorOf(caller),
        action: 'centre_assessment.submit',
        subject: `centre:${centreId}`,
        details: { roundId, version: latest.version, total: result.total, complete: result.complete, withoutEvidence: result.withoutEvidence },
        at: now,
      });
    });
    return assessmentPage(caller, roundId, centreId);
  }

  /** A correction of a submitted assessment: a new draft version, starting from the submitted one, with a reason. */
  async function startCorrection(caller: OfficerCaller, roundId: number, centreId: number, reason: string): Promise<AssessmentPage> {
    const { now } = await scorerContext(caller, roundId, centreId);
    await db.transaction().execute(async (trx) => {
      const latest = (await assessmentVersions(trx, roundId, centreId)).at(-1);
      if (!latest || latest.status !== 'submitted') throw new DomainError('CONFLICT', CENTRE_THAI.notCorrectable);
      const id = await insertAssessment(trx, { roundId, centreId, version: latest.version + 1, scores: latest.scores, videoUrl: latest.videoUrl, reason, officerId: caller.id, at: now });
      if (id === undefined) throw new DomainError('CONFLICT', CENTRE_THAI.notCorrectable);
      await copyEvidenceFiles(trx, latest.id, id);
      await recordAudit(trx, { actor: actorOf(caller), action: 'centre_assessment.correct', subject: `centre:${centreId}`, details: { roundId, version: latest.version + 1, reason }, at: now });
    });
    return assessmentPage(caller, roundId, centreId);
  }

  /** A photo or PDF as evidence for one indicator of the current draft (created if there is none yet). */
  async function uploadEvidence(caller: OfficerCaller, roundId: number, centreId: number, indicator: string, content: Buffer): Promise<{ id: string; indicator: string; contentType: string; byteSize: number }> {
    const { now, rubric } = await scorerContext(caller, roundId, centreId);
    const ind = rubric.indicators.find((i) => i.code === indicator);
    if (!ind || ind.missing) throw field('indicator', CENTRE_THAI.indicatorUnknown(indicator));
    const contentType = sniffDocumentType(content);
    if (!contentType) throw field('file', CENTRE_THAI.fileType);
    const sealed = deps.cipher.sealBytes(content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const id = await db.transaction().execute(async (trx) => {
      let latest: AssessmentRow | undefined = (await assessmentVersions(trx, roundId, centreId)).at(-1);
      if (latest?.status === 'submitted') throw new DomainError('CONFLICT', CENTRE_THAI.alreadySubmitted);
      if (!latest) {
        await insertAssessment(trx, { roundId, centreId, version: 1, scores: {}, videoUrl: null, reason: null, officerId: caller.id, at: now });
        latest = (await assessmentVersions(trx, roundId, centreId)).at(-1)!;
      }
      if ((await countFilesOfAssessment(trx, latest.id)) >= MAX_FILES_PER_ASSESSMENT) throw new DomainError('THROTTLED', CENTRE_THAI.tooManyFiles);
      const fileId = await insertEvidenceFile(trx, { assessmentId: latest.id, indicatorCode: indicator, officerId: caller.id, contentType, byteSize: content.length, sha256, content: sealed, at: now });
      await recordAudit(trx, { actor: actorOf(caller), action: 'centre_evidence.upload', subject: `centre:${centreId}`, details: { roundId, version: latest.version, indicator, fileId }, at: now });
      return fileId;
    });
    return { id, indicator, contentType, byteSize: content.length };
  }

  async function readEvidence(caller: OfficerCaller, fileId: string): Promise<{ contentType: string; content: Buffer }> {
    mayView(caller);
    const file = await findEvidenceFile(db, fileId);
    if (!file) throw new DomainError('NOT_FOUND', CENTRE_THAI.fileNotFound);
    const round = await visibleRound(db, caller, file.roundId);
    await visibleCentre(db, caller, file.centreId, round);
    await recordAudit(db, { actor: actorOf(caller), action: 'centre_evidence.view', subject: `centre:${file.centreId}`, details: { fileId }, at: clock.now() });
    return { contentType: file.contentType, content: deps.cipher.openBytes(file.content) };
  }

  /** The province's ranking of every submitted centre of the round (the latest submitted version of each). */
  async function ranking(caller: OfficerCaller, roundId: number): Promise<RankingPage & { rubric: Rubric; results: Map<number, { result: AssessmentResult; assessment: AssessmentRow; files: EvidenceFileMeta[] }>; centres: Map<number, CentreRow> }> {
    requireRole(caller, RANKING_ROLES, CENTRE_THAI.provinceOnly);
    const round = await visibleRound(db, caller, roundId);
    const rubric = await loadRubric(db, round.rubricId, rubrics);
    const submitted = await latestSubmittedInScope(db, roundId, caller.scopePath ?? round.provincePath);
    const files = await evidenceFilesOf(db, submitted.map((a) => a.id));
    const centres = new Map<number, CentreRow>();
    for (const a of submitted) centres.set(a.centreId, (await findCentre(db, a.centreId))!);
    const ranked = rankAssessments(
      rubric,
      submitted.map((a) => toDomainAssessment(a.centreId, a.scores, a.videoUrl, files.filter((f) => f.assessmentId === a.id))),
    );
    const verifications = await verificationsOf(db, roundId);
    const byCentre = new Map(submitted.map((a) => [a.centreId, a]));
    const results = new Map<number, { result: AssessmentResult; assessment: AssessmentRow; files: EvidenceFileMeta[] }>();
    const rows = ranked.map((r) => {
      const centreId = Number(r.result.centreId);
      const centre = centres.get(centreId)!;
      const assessment = byCentre.get(centreId)!;
      results.set(centreId, { result: r.result, assessment, files: files.filter((f) => f.assessmentId === assessment.id) });
      const v = verifications.get(centreId);
      const parts = centre.areaPath.split('/');
      return {
        position: r.position,
        rank: r.rank,
        centreId,
        centre: centre.name,
        area: formatAreaPath(centre.areaPath),
        district: parts[1] ?? '',
        total: r.result.total,
        areas: r.result.areas.map((a) => ({ code: a.code, points: a.points, maxPoints: a.maxPoints })),
        version: assessment.version,
        withoutEvidence: r.result.withoutEvidence,
        complete: r.result.complete,
        // Every centre of a shared rank is for the committee, the first of the pair too (it was flagged alone).
        tieNote: r.sharesRank ? rankNote('centre_id') : rankNote(r.decidedBy as RankDecidedBy | null),
        verification: v ? { points: v.points, note: v.note } : null,
      };
    });
    await recordAudit(db, { actor: actorOf(caller), action: 'centre_round.ranking', subject: `centre_round:${roundId}`, details: { centres: rows.length }, at: clock.now() });
    return {
      round: roundSummary(round, clock.now()),
      areaHeadings: rubric.areas.map((a) => ({ code: a.code, heading: areaHeading(a), maxPoints: a.maxPoints })),
      rows,
      tieRule: CENTRE_THAI.tieRule,
      rubric,
      results,
      centres,
    };
  }

  async function recordVerification(caller: OfficerCaller, roundId: number, centreId: number, points: number, note: string | null): Promise<{ points: number; note: string | null }> {
    requireRole(caller, PROVINCE_ROLES, CENTRE_THAI.provinceOnly);
    const round = await visibleRound(db, caller, roundId);
    await visibleCentre(db, caller, centreId, round);
    if ((await latestSubmittedInScope(db, roundId, caller.scopePath)).every((a) => a.centreId !== centreId)) throw new DomainError('CONFLICT', CENTRE_THAI.notSubmitted);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await upsertVerification(trx, { roundId, centreId, points, note, officerId: caller.id, at: now });
      await recordAudit(trx, { actor: actorOf(caller), action: 'centre_verification.record', subject: `centre:${centreId}`, details: { roundId, points }, at: now });
    });
    return { points, note };
  }

  /** What the ranking's XLSX and a centre's PDF page need, as plain data for the renderers. */
  async function rankingReport(caller: OfficerCaller, roundId: number): Promise<CentreRankingReport> {
    const page = await ranking(caller, roundId);
    return {
      title: CENTRE_THAI.xlsxTitle(page.round.province, page.round.fiscalYearBE),
      areaHeadings: page.areaHeadings,
      rows: page.rows,
      tieRule: page.tieRule,
      fileName: `centre-ranking-${page.round.fiscalYearBE}.xlsx`,
    };
  }

  async function centreSheet(caller: OfficerCaller, roundId: number, centreId: number): Promise<CentreSheet> {
    const page = await ranking(caller, roundId);
    const entry = page.results.get(centreId);
    const row = page.rows.find((r) => r.centreId === centreId);
    if (!entry || !row) throw new DomainError('NOT_FOUND', CENTRE_THAI.notSubmitted);
    const centre = page.centres.get(centreId)!;
    const { rubric } = page;
    return {
      title: `${CENTRE_THAI.pdf.heading} ปีงบประมาณ ${page.round.fiscalYearBE}`,
      rubricTitle: rubricTitleForYear(rubric.source.title, page.round.fiscalYearBE),
      centre: { name: centre.name, area: formatAreaPath(centre.areaPath), village: centre.village, contact: [centre.contactName, centre.contactPhone].filter(Boolean).join(' '), memberGroups: centre.memberGroups },
      rank: row.rank,
      position: row.position,
      of: page.rows.length,
      total: entry.result.total,
      maxTotal: entry.result.maxTotal,
      submitted: CENTRE_THAI.pdf.submitted(formatThaiDateTime(entry.assessment.submittedAt!), entry.assessment.version),
      reason: entry.assessment.reason,
      verification: row.verification,
      videoUrl: entry.assessment.videoUrl,
      areas: entry.result.areas.map((a) => ({ heading: areaHeading(rubric.areas.find((x) => x.code === a.code)!), points: a.points, maxPoints: a.maxPoints })),
      indicators: entry.result.indicators.map((i) => {
        const ind = rubric.indicators.find((x) => x.code === i.code)!;
        return {
          heading: indicatorHeading(ind),
          level: i.level,
          points: i.points,
          maxPoints: i.maxPoints,
          evidence: i.withoutEvidence ? CENTRE_THAI.pdf.noEvidence : i.level === null ? '' : CENTRE_THAI.pdf.evidence(i.evidence.length, i.attachments),
          flagged: i.withoutEvidence,
        };
      }),
      tieNote: row.tieNote,
      fileName: `centre-${centreId}-${page.round.fiscalYearBE}.pdf`,
    };
  }

  return {
    home,
    rubric,
    createRubricVersion,
    registerCentre,
    openRound,
    roundPage,
    assessmentPage,
    saveDraft,
    submit,
    startCorrection,
    uploadEvidence,
    readEvidence,
    ranking: async (caller: OfficerCaller, roundId: number): Promise<RankingPage> => {
      const { round, areaHeadings, rows, tieRule } = await ranking(caller, roundId);
      return { round, areaHeadings, rows, tieRule };
    },
    recordVerification,
    rankingReport,
    centreSheet,
  };
}

export type CentreSelectionService = ReturnType<typeof createCentreSelectionService>;

export interface CentreRankingReport {
  title: string;
  fileName: string;
  areaHeadings: RankingPage['areaHeadings'];
  rows: RankingPage['rows'];
  tieRule: string;
}

export interface CentreSheet {
  title: string;
  rubricTitle: string;
  fileName: string;
  centre: { name: string; area: string; village: string | null; contact: string; memberGroups: string[] };
  rank: number;
  position: number;
  of: number;
  total: number;
  maxTotal: number;
  submitted: string;
  reason: string | null;
  verification: { points: number; note: string | null } | null;
  videoUrl: string | null;
  areas: Array<{ heading: string; points: number; maxPoints: number }>;
  indicators: Array<{ heading: string; level: number | null; points: number; maxPoints: number; evidence: string; flagged: boolean }>;
  tieNote: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// LINE notices: the round opened, 7 and 1 days before its deadline. Each is planned under a unique key per round,
// reminder and officer, so however many replicas plan it, each officer is told once.

/** District offices inside a province, linked to LINE and following the account. */
async function districtOfficersOf(db: Kysely<Database>, provincePath: string): Promise<OfficerProfile[]> {
  return (await linkedFollowingOfficers(db, ['district'])).filter((o) => o.scopePath !== null && isWithinArea(o.scopePath, provincePath));
}

function toOfficers(officers: readonly OfficerProfile[], notification: Notification, keyPrefix: string, at: Date, expiresAt: Date, urgency: number): OutboxMessageInput[] {
  return officers.map((officer, index) => ({
    dedupeKey: `${keyPrefix}:officer:${officer.id}`,
    kind: notification.kind,
    recipient: { type: 'officer', officerId: officer.id },
    notification,
    batchKey: multicastBatchKey(keyPrefix, notification, index),
    urgency,
    notBefore: at,
    expiresAt,
    contactWindow: 'anytime',
  }));
}

async function roundOpenedMessages(db: Kysely<Database>, round: RoundRow, rubric: Rubric, at: Date): Promise<OutboxMessageInput[]> {
  const notification: Notification = {
    kind: 'centre_round_opened',
    roundId: round.id,
    province: round.provincePath,
    fiscalYearBE: round.fiscalYearBE,
    deadlineOn: round.deadlineOn,
    videoMaxMinutes: rubric.submission.videoMaxMinutes,
  };
  return toOfficers(await districtOfficersOf(db, round.provincePath), notification, `centre-round:${round.id}:opened`, at, round.closesAt, 15);
}

export interface CentreRoundPlanSummary {
  closed: number;
  reminders: number;
  newlyQueued: number;
}

/** The daily officer job: closes rounds whose deadline passed and plans the deadline reminders that are due. */
export async function planCentreRoundNotices(db: Kysely<Database>, at: Date): Promise<CentreRoundPlanSummary> {
  const closed = await closeRoundsDue(db, at);
  const today = bangkokDate(at);
  const outbox: OutboxMessageInput[] = [];
  for (const round of await openRoundsAt(db, at)) {
    const due = deadlineReminderDue(today, round.deadlineOn);
    if (!due) continue;
    const officers = await districtOfficersOf(db, round.provincePath);
    const centres = await listCentresInScope(db, round.provincePath);
    const latest = await latestAssessmentsOf(db, round.id, centres.map((c) => c.id));
    const submittedCentres = new Set(latest.filter((a) => a.status === 'submitted' || a.version > 1).map((a) => a.centreId));
    for (const officer of officers) {
      const mine = centres.filter((c) => isWithinArea(c.areaPath, officer.scopePath));
      const notification: Notification = {
        kind: 'centre_round_reminder',
        roundId: round.id,
        province: round.provincePath,
        fiscalYearBE: round.fiscalYearBE,
        deadlineOn: round.deadlineOn,
        daysLeft: due.daysLeft,
        submitted: mine.filter((c) => submittedCentres.has(c.id)).length,
        centres: mine.length,
      };
      outbox.push(...toOfficers([officer], notification, `centre-round:${round.id}:remind-${due.daysBefore}`, at, round.closesAt, 20));
    }
  }
  const newlyQueued = await enqueueOutboxMessages(db, outbox);
  return { closed: closed.length, reminders: outbox.length, newlyQueued };
}
