// The officers' reports (issue 10 §4), the quarterly draft's figures (§5) and the budget allocation (§6, seed 004
// §4.1). Every figure is computed for an area the caller may see, as of a day, grouped by the area's children; the
// SQL is scoped (db/repos/reports.repo.ts), the arithmetic is domain/portfolio-ageing and domain/budget-allocation.
// XLSX downloads are described here as sheets of typed columns and rows (the debtor list as an async generator that
// reads the database a page at a time); http/ hands them to render/xlsx-report.ts, which streams the file.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  applicationsByStatus,
  budgetAllocationsOf,
  childAreasOf,
  collectionsByArea,
  debtorListPage,
  debtorsContacted,
  districtBases,
  findAreaPath,
  findBudgetAllocation,
  followUpActivity,
  insertBudgetAllocation,
  loanAgeingFacts,
  measureTitles,
  overdueApplications,
  promiseActivity,
  reviewLevelDurations,
  type DebtorListRow,
  type LoanAgeingRow,
  type SavedAllocation,
} from '../db/repos/reports.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { summariseAgeingByGroup, AGEING_ROW_KEYS, type AgeingSummary, type LoanAgeingFacts } from '../domain/portfolio-ageing.ts';
import { allocateBudget, AllocationError, ALLOCATION_BASES, type AllocationWeights } from '../domain/budget-allocation.ts';
import { classifyStatus, OVERDUE_RATE_TARGET_PERCENT } from '../domain/debtor-status.ts';
import { addDays, bangkokDate, bangkokInstant, daysBetween, type LocalDate } from '../domain/local-date.ts';
import { fiscalQuarterOf, fiscalYearStart, monthStart } from '../domain/fiscal-quarter.ts';
import { ENROLLMENT_STATUS_THAI, REVIEW_LEVEL_THAI } from '../domain/enrollment-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import { isWithinArea } from '../domain/area-scope.ts';
import { areaTitle, formatAreaPath } from '../content/area-names.ts';
import { REPORT_HEADERS as H, REPORT_SHEETS, REPORTS_THAI } from '../content/reports.th.ts';
import {
  ALLOCATION_BASIS_KEYS,
  ALLOCATION_BASIS_THAI,
  AGEING_ROW_THAI,
  APPLICATION_STATUS_KEYS,
  COLLECTION_WINDOW_THAI,
  COLLECTION_WINDOWS,
  REPORT_KIND_THAI,
  type ActivityFigures,
  type ActivityReport,
  type AgeingFigures,
  type AgeingReport,
  type AllocationPage,
  type AllocationRequest,
  type AllocationResult,
  type ApplicationStatusKey,
  type CollectionFigures,
  type CollectionsReport,
  type CollectionWindowKey,
  type DebtorReportRow,
  type DebtorsReport,
  type MeasuresReport,
  type ReportKind,
  type ReportQuery,
  type ReportScope,
  type SavedAllocationView,
} from '../contracts/reports.ts';
import { COLOURS, FOLLOW_UP_KIND_THAI, FOLLOW_UP_KINDS, FOLLOW_UP_STAGE_THAI, FOLLOW_UP_STAGES, type Colour } from '../contracts/officer.ts';
import type { OfficerCaller } from './officer-access.ts';
import type { Clock } from './ports.ts';
import type { QuarterlyDraft } from './notifications.ts';

// ---------- sheets as data (render/xlsx-report.ts's shape, which services may not import) ----------

export type ReportColumnType = 'text' | 'baht' | 'count' | 'percent' | 'date' | 'datetime';
export interface ReportColumn {
  header: string;
  key: string;
  type: ReportColumnType;
  width?: number;
}
export type ReportCell = string | number | Date | null | undefined;
export type ReportRow = Record<string, ReportCell>;
export interface ReportSheet {
  name: string;
  title?: string;
  columns: readonly ReportColumn[];
  rows: AsyncIterable<ReportRow> | Iterable<ReportRow>;
}
export interface ReportFile {
  /** ASCII, for tools that read the header's plain filename. */
  fileName: string;
  /** The name a phone saves it under (filename*), in Thai with the Buddhist-Era day. */
  thaiFileName?: string;
  sheets: ReportSheet[];
}

// ---------- scope ----------

export interface ResolvedScope {
  path: string | null;
  /** How many parts of an area path name a child of this scope (at most 3: a tambon is its own child). */
  groupDepth: number;
  asOf: LocalDate;
}

const MAX_YEARS_BACK = 10;
/** Rows of the debtor list read per round trip when it is streamed. */
export const DEBTOR_PAGE_SIZE = 2000;
/** Rows of the debtor list shown on the page (the XLSX has them all). */
export const DEBTOR_ROWS_SHOWN = 100;

function depthOf(path: string | null): number {
  return path === null ? 0 : path.split('/').length;
}

export function scopeOf(path: string | null, asOf: LocalDate): ResolvedScope {
  return { path, groupDepth: Math.min(3, depthOf(path) + 1), asOf };
}

function titleOfGroup(path: string): string {
  return areaTitle(path);
}

// ---------- figures, usable without a caller (the quarterly draft plans them for officers) ----------

function toFigures(summary: AgeingSummary): AgeingFigures {
  return {
    rows: AGEING_ROW_KEYS.map((key) => ({ key, ...summary.rows[key] })),
    loans: summary.loans,
    outstanding: summary.outstanding,
    overdue: summary.overdue,
    par1: summary.par[1],
    par30: summary.par[30],
    par90: summary.par[90],
    overdueRatePercent: summary.overdueRatePercent,
    meetsTarget: summary.overdueRatePercent < OVERDUE_RATE_TARGET_PERCENT,
    restructuredOver30: summary.restructuredOver30,
  };
}

function ageingFacts(rows: readonly LoanAgeingRow[], asOf: LocalDate): LoanAgeingFacts[] {
  return rows.map((row) => ({
    groupKey: row.groupPath,
    outstanding: row.outstanding,
    overdue: row.overdue,
    daysPastDue: row.oldestUnpaidDueOn ? daysBetween(row.oldestUnpaidDueOn, asOf) : 0,
    restructured: row.restructured,
    suspended: row.suspended,
  }));
}

export async function ageingFigures(db: Kysely<Database>, scope: ResolvedScope): Promise<{ total: AgeingFigures; areas: AgeingReport['areas'] }> {
  const rows = await loanAgeingFacts(db, { scopePath: scope.path, asOf: scope.asOf, groupDepth: scope.groupDepth });
  const { groups, total } = summariseAgeingByGroup(ageingFacts(rows, scope.asOf));
  return {
    total: toFigures(total),
    areas: [...groups].sort(([a], [b]) => a.localeCompare(b, 'th')).map(([path, summary]) => ({ path, title: titleOfGroup(path), figures: toFigures(summary) })),
  };
}

function collectionWindows(asOf: LocalDate): CollectionsReport['windows'] {
  const from: Record<CollectionWindowKey, LocalDate> = { month: monthStart(asOf), quarter: fiscalQuarterOf(asOf).startsOn, year: fiscalYearStart(asOf) };
  return COLLECTION_WINDOWS.map((key) => ({ key, title: COLLECTION_WINDOW_THAI[key], from: from[key], to: asOf }));
}

function collectionFigures(due: number, collected: number): CollectionFigures {
  return { due, collected, rate: due > 0 ? collected / due : null };
}

export async function collectionsFigures(db: Kysely<Database>, scope: ResolvedScope, windows = collectionWindows(scope.asOf)) {
  const rows = await collectionsByArea(db, { scopePath: scope.path, groupDepth: scope.groupDepth, windows });
  const byArea = new Map<string, Record<string, CollectionFigures>>();
  const sums: Record<string, { due: number; collected: number }> = {};
  for (const row of rows) {
    const cells = byArea.get(row.groupPath) ?? {};
    cells[row.window] = collectionFigures(row.due, row.collected);
    byArea.set(row.groupPath, cells);
    const sum = (sums[row.window] ??= { due: 0, collected: 0 });
    sum.due += row.due;
    sum.collected += row.collected;
  }
  const fill = (cells: Record<string, CollectionFigures> | Record<string, { due: number; collected: number }>) =>
    Object.fromEntries(windows.map((w) => [w.key, collectionFigures(cells[w.key]?.due ?? 0, cells[w.key]?.collected ?? 0)])) as Record<CollectionWindowKey, CollectionFigures>;
  return {
    windows,
    total: fill(sums),
    areas: [...byArea].map(([path, cells]) => ({ path, title: titleOfGroup(path), figures: fill(cells) })),
  };
}

function emptyActivity(): ActivityFigures {
  return {
    contacts: 0,
    debtorsContacted: 0,
    byKind: Object.fromEntries(FOLLOW_UP_KINDS.map((k) => [k, 0])) as ActivityFigures['byKind'],
    byStage: Object.fromEntries(FOLLOW_UP_STAGES.map((s) => [s, 0])) as ActivityFigures['byStage'],
    promisesMade: 0,
    promisedAmount: 0,
    promisesDue: 0,
    promisesKept: 0,
    promisesPartlyKept: 0,
    promisesBroken: 0,
    promisesOpen: 0,
  };
}

/**
 * Every area the report is grouped by, whether or not anything happened there: an area with no visits or no
 * applications is the one a province officer looks for, so it is listed with its zeros, not left out.
 */
async function groupsOfScope(db: Kysely<Database>, scope: ResolvedScope): Promise<string[]> {
  return scope.path !== null && depthOf(scope.path) >= scope.groupDepth ? [scope.path] : childAreasOf(db, scope.path);
}

export async function activityFigures(db: Kysely<Database>, scope: ResolvedScope, from: LocalDate) {
  const query = { scopePath: scope.path, groupDepth: scope.groupDepth, from, to: scope.asOf };
  const [contacts, promises, distinct, groups] = await Promise.all([followUpActivity(db, query), promiseActivity(db, query), debtorsContacted(db, query), groupsOfScope(db, scope)]);
  const byArea = new Map<string, ActivityFigures>(groups.map((path) => [path, emptyActivity()]));
  const total = emptyActivity();
  const figuresOf = (path: string) => byArea.get(path) ?? byArea.set(path, emptyActivity()).get(path)!;
  for (const row of contacts) {
    const figures = figuresOf(row.groupPath);
    for (const target of [figures, total]) {
      target.contacts += row.contacts;
      target.byKind[row.kind] += row.contacts;
      target.byStage[row.stage] += row.contacts;
    }
  }
  for (const row of promises) {
    const figures = figuresOf(row.groupPath);
    for (const target of [figures, total]) {
      target.promisesMade += row.made;
      target.promisedAmount += row.madeAmount;
      target.promisesDue += row.dueInWindow;
      target.promisesKept += row.kept;
      target.promisesPartlyKept += row.partlyKept;
      target.promisesBroken += row.broken;
      target.promisesOpen += row.open;
    }
  }
  // Distinct debtors per area (the kind × stage rows would count a debtor twice); areas never overlap, so they add up.
  for (const row of distinct) figuresOf(row.groupPath).debtorsContacted = row.debtors;
  total.debtorsContacted = distinct.reduce((sum, row) => sum + row.debtors, 0);
  return {
    from,
    to: scope.asOf,
    total,
    areas: [...byArea].sort(([a], [b]) => a.localeCompare(b, 'th')).map(([path, figures]) => ({ path, title: titleOfGroup(path), figures })),
  };
}

function emptyStatusCounts(): Record<ApplicationStatusKey, number> {
  return Object.fromEntries(APPLICATION_STATUS_KEYS.map((s) => [s, 0])) as Record<ApplicationStatusKey, number>;
}

const OVERDUE_APPLICATIONS_SHOWN = 200;

export async function measuresFigures(db: Kysely<Database>, scope: ResolvedScope, now: Date): Promise<Omit<MeasuresReport, 'scope'>> {
  const endOfDay = bangkokInstant(addDays(scope.asOf, 1));
  // Deadlines passed by the end of the day asked about (or now, for today).
  const lateAt = endOfDay < now ? endOfDay : now;
  const [statuses, levels, late, titles, groups] = await Promise.all([
    applicationsByStatus(db, { scopePath: scope.path, groupDepth: scope.groupDepth, endOfDay }),
    reviewLevelDurations(db, { scopePath: scope.path, endOfDay }),
    overdueApplications(db, { scopePath: scope.path, groupDepth: scope.groupDepth, at: lateAt, limit: OVERDUE_APPLICATIONS_SHOWN }),
    measureTitles(db),
    groupsOfScope(db, scope),
  ]);
  const total = emptyStatusCounts();
  const byArea = new Map<string, Record<ApplicationStatusKey, number>>(groups.map((path) => [path, emptyStatusCounts()]));
  const byMeasure = new Map<string, Record<ApplicationStatusKey, number>>();
  for (const row of statuses) {
    const area = byArea.get(row.groupPath) ?? byArea.set(row.groupPath, emptyStatusCounts()).get(row.groupPath)!;
    const measure = byMeasure.get(row.measureCode) ?? byMeasure.set(row.measureCode, emptyStatusCounts()).get(row.measureCode)!;
    area[row.status] += row.count;
    measure[row.status] += row.count;
    total[row.status] += row.count;
  }
  return {
    statusTitles: ENROLLMENT_STATUS_THAI,
    total,
    areas: [...byArea].sort(([a], [b]) => a.localeCompare(b, 'th')).map(([path, counts]) => ({ path, title: titleOfGroup(path), counts })),
    byMeasure: [...byMeasure].map(([code, counts]) => ({ code, title: titles.get(code) ?? code, counts })),
    levels: (['district', 'province', 'department'] as const).map((level) => {
      const found = levels.find((row) => row.level === level);
      return { level, title: REVIEW_LEVEL_THAI[level], steps: found?.steps ?? 0, medianDays: found?.medianDays ?? null };
    }),
    overdue: late.map((row) => ({
      enrollmentId: row.enrollmentId,
      fullName: row.fullName,
      areaTitle: formatAreaPath(row.areaPath),
      contractNo: row.contractNo,
      measureTitle: titles.get(row.measureCode) ?? row.measureCode,
      levelTitle: REVIEW_LEVEL_THAI[row.level],
      deadlineAt: row.deadlineAt.toISOString(),
      daysLate: Math.max(0, daysBetween(bangkokDate(row.deadlineAt), bangkokDate(lateAt))),
    })),
  };
}

// ---------- the quarterly draft ----------

const WAITING_STATUSES: ApplicationStatusKey[] = ['district_review', 'province_review', 'department_review', 'needs_documents'];

/** The figures of an area's quarterly draft: the quarter up to `asOf`, and the overdue rate at the end of the last one. */
export async function quarterlyDraftOf(db: Kysely<Database>, scopePath: string | null, asOf: LocalDate, reportDate: LocalDate, now: Date): Promise<QuarterlyDraft> {
  const quarter = fiscalQuarterOf(asOf);
  const scope = scopeOf(scopePath, asOf);
  const lastQuarterEnd = addDays(quarter.startsOn, -1);
  const windows = [{ key: 'quarter' as const, title: COLLECTION_WINDOW_THAI.quarter, from: quarter.startsOn, to: asOf }];
  const [ageing, previous, collections, activity, measures] = await Promise.all([
    ageingFigures(db, scope),
    ageingFigures(db, scopeOf(scopePath, lastQuarterEnd)),
    collectionsFigures(db, scope, windows),
    activityFigures(db, scope, quarter.startsOn),
    measuresFigures(db, scope, now),
  ]);
  const collectedBy = new Map(collections.areas.map((a) => [a.path, a.figures.quarter]));
  const children =
    depthOf(scopePath) >= 3
      ? []
      : ageing.areas
          .map((a) => ({ title: a.title, overdueRatePercent: a.figures.overdueRatePercent, collected: collectedBy.get(a.path)?.collected ?? 0, due: collectedBy.get(a.path)?.due ?? 0 }))
          .sort((a, b) => b.overdueRatePercent - a.overdueRatePercent);
  return {
    quarterKey: quarter.key,
    quarter: quarter.quarter,
    fiscalYearBe: quarter.fiscalYearBe,
    reportDate,
    scopePath,
    asOf,
    overdueRatePercent: ageing.total.overdueRatePercent,
    previousRatePercent: previous.total.outstanding > 0 ? previous.total.overdueRatePercent : null,
    outstanding: ageing.total.outstanding,
    overdue: ageing.total.overdue,
    collected: collections.total.quarter.collected,
    due: collections.total.quarter.due,
    contacts: activity.total.contacts,
    debtorsContacted: activity.total.debtorsContacted,
    promisesMade: activity.total.promisesMade,
    promisesKept: activity.total.promisesKept,
    promisesBroken: activity.total.promisesBroken + activity.total.promisesPartlyKept,
    applicationsWaiting: WAITING_STATUSES.reduce((sum, s) => sum + measures.total[s], 0),
    applicationsApproved: measures.total.approved,
    applicationsLate: measures.overdue.length,
    children,
  };
}

// ---------- the debtor list by colour ----------

const STATUS_COLOUR = { normal: 'green', in_measure: 'yellow', defaulted: 'red', litigation: 'black' } as const;

interface DebtorStanding {
  colour: Colour;
  overdue: number;
  outstanding: number;
  daysPastDue: number;
}

function standingsOf(rows: readonly LoanAgeingRow[], asOf: LocalDate): Map<number, DebtorStanding> {
  const byBorrower = new Map<number, { litigation: boolean; inMeasure: boolean; overdue: number; outstanding: number; oldest: LocalDate | null }>();
  for (const row of rows) {
    const entry = byBorrower.get(row.borrowerId) ?? { litigation: false, inMeasure: false, overdue: 0, outstanding: 0, oldest: null };
    entry.litigation ||= row.litigation;
    entry.inMeasure ||= row.inMeasure;
    entry.overdue += row.overdue;
    entry.outstanding += row.outstanding;
    if (row.oldestUnpaidDueOn && (!entry.oldest || row.oldestUnpaidDueOn < entry.oldest)) entry.oldest = row.oldestUnpaidDueOn;
    byBorrower.set(row.borrowerId, entry);
  }
  return new Map(
    [...byBorrower].map(([id, e]) => [
      id,
      {
        colour: STATUS_COLOUR[classifyStatus({ litigation: e.litigation, hasActiveMeasure: e.inMeasure, overdue: e.overdue })],
        overdue: e.overdue,
        outstanding: e.outstanding,
        daysPastDue: e.oldest ? daysBetween(e.oldest, asOf) : 0,
      },
    ]),
  );
}

function debtorRow(person: DebtorListRow, standing: DebtorStanding): DebtorReportRow {
  return {
    borrowerId: person.borrowerId,
    fullName: person.fullName,
    phone: person.phone,
    areaTitle: formatAreaPath(person.areaPath),
    contractNos: person.contractNos,
    colour: standing.colour,
    overdue: standing.overdue,
    outstanding: standing.outstanding,
    daysPastDue: standing.daysPastDue,
    lastContactOn: person.lastContactOn,
    lastContact: person.lastContactKind ? `${FOLLOW_UP_KIND_THAI[person.lastContactKind]} / ${FOLLOW_UP_STAGE_THAI[person.lastContactStage!]}` : null,
    measureTitle: person.measureTitle,
    measureEndsOn: person.measureEndsOn === 'infinity' ? null : person.measureEndsOn,
    nextPromiseOn: person.nextPromiseOn,
  };
}

export async function debtorsFigures(db: Kysely<Database>, scope: ResolvedScope, colour: Colour | undefined): Promise<Omit<DebtorsReport, 'scope'>> {
  const standings = standingsOf(await loanAgeingFacts(db, { scopePath: scope.path, asOf: scope.asOf, groupDepth: scope.groupDepth }), scope.asOf);
  const counts = Object.fromEntries(COLOURS.map((c) => [c, 0])) as Record<Colour, number>;
  for (const standing of standings.values()) counts[standing.colour] += 1;
  const chosen = longestOverdueFirst(standings, colour);
  const shown = chosen.slice(0, DEBTOR_ROWS_SHOWN);
  const people = new Map((await debtorListPage(db, { scopePath: scope.path, asOf: scope.asOf, ids: shown })).map((p) => [p.borrowerId, p]));
  return {
    colour: colour ?? null,
    counts,
    total: chosen.length,
    rows: shown.flatMap((id) => (people.has(id) ? [debtorRow(people.get(id)!, standings.get(id)!)] : [])),
    shown: shown.length,
  };
}

/** The rows as they stream, then (however the stream ends: written whole, or the download cut) who was in them. */
async function* auditedWhileStreamed(rows: AsyncIterable<DebtorReportRow>, record: (shown: number[]) => Promise<void>): AsyncGenerator<DebtorReportRow> {
  const shown: number[] = [];
  try {
    for await (const row of rows) {
      shown.push(row.borrowerId);
      yield row;
    }
  } finally {
    if (shown.length > 0) await record(shown);
  }
}

/** The debtors of a colour (all when none), the longest overdue first, as the screen and the file list them: ids only. */
function longestOverdueFirst(standings: ReadonlyMap<number, { colour: Colour; daysPastDue: number; overdue: number }>, colour: Colour | undefined): number[] {
  const ids: number[] = [];
  for (const [id, standing] of standings) if (!colour || standing.colour === colour) ids.push(id);
  return ids.sort((aId, bId) => {
    const a = standings.get(aId)!;
    const b = standings.get(bId)!;
    return b.daysPastDue - a.daysPastDue || b.overdue - a.overdue || aId - bId;
  });
}

/**
 * Every debtor of the scope (of one colour), the longest overdue first as on the screen: the standings of all of them
 * from one query (a few numbers each), then who they are a page of the database at a time, so the names, phones and
 * contacts never pile up in memory.
 */
export async function* debtorRowsStreamed(db: Kysely<Database>, scope: ResolvedScope, colour: Colour | undefined): AsyncGenerator<DebtorReportRow> {
  const standings = standingsOf(await loanAgeingFacts(db, { scopePath: scope.path, asOf: scope.asOf, groupDepth: scope.groupDepth }), scope.asOf);
  const chosen = longestOverdueFirst(standings, colour);
  for (let start = 0; start < chosen.length; start += DEBTOR_PAGE_SIZE) {
    const slice = chosen.slice(start, start + DEBTOR_PAGE_SIZE);
    const people = new Map((await debtorListPage(db, { scopePath: scope.path, asOf: scope.asOf, ids: slice })).map((p) => [p.borrowerId, p]));
    for (const id of slice) {
      const person = people.get(id);
      if (person) yield debtorRow(person, standings.get(id)!);
    }
  }
}

// ---------- XLSX sheets ----------

function ageingSheets(scopeTitle: string, asOf: LocalDate, figures: { total: AgeingFigures; areas: AgeingReport['areas'] }): ReportSheet[] {
  const rows = [...figures.areas.map((a) => ({ title: a.title, figures: a.figures })), { title: REPORTS_THAI.total, figures: figures.total }];
  const bandColumns = (field: 'outstanding' | 'loans'): ReportColumn[] =>
    AGEING_ROW_KEYS.map((key) => ({ header: AGEING_ROW_THAI[key], key, type: field === 'outstanding' ? 'baht' : 'count' }));
  const bandValues = (f: AgeingFigures, field: 'outstanding' | 'loans') => Object.fromEntries(f.rows.map((r) => [r.key, r[field]]));
  return [
    {
      name: REPORT_SHEETS.ageingOutstanding,
      title: REPORTS_THAI.sheetTitle(REPORT_KIND_THAI.ageing, scopeTitle, asOf),
      columns: [
        { header: H.area, key: 'area', type: 'text' },
        { header: H.loans, key: 'loans', type: 'count' },
        { header: H.outstanding, key: 'outstanding', type: 'baht' },
        ...bandColumns('outstanding'),
        { header: H.par1, key: 'par1', type: 'percent' },
        { header: H.par30, key: 'par30', type: 'percent' },
        { header: H.par90, key: 'par90', type: 'percent' },
        { header: H.overdue, key: 'overdue', type: 'baht' },
        { header: H.overdueRate, key: 'overdueRate', type: 'percent' },
      ],
      rows: rows.map(({ title, figures: f }) => ({
        area: title,
        loans: f.loans,
        outstanding: f.outstanding,
        ...bandValues(f, 'outstanding'),
        par1: f.par1,
        par30: f.par30,
        par90: f.par90,
        overdue: f.overdue,
        overdueRate: f.overdueRatePercent / 100,
      })),
    },
    {
      name: REPORT_SHEETS.ageingLoans,
      title: REPORTS_THAI.sheetTitle(REPORT_KIND_THAI.ageing, scopeTitle, asOf),
      columns: [{ header: H.area, key: 'area', type: 'text' }, { header: H.loans, key: 'loans', type: 'count' }, ...bandColumns('loans')],
      rows: rows.map(({ title, figures: f }) => ({ area: title, loans: f.loans, ...bandValues(f, 'loans') })),
    },
  ];
}

function collectionsSheets(scopeTitle: string, asOf: LocalDate, figures: Awaited<ReturnType<typeof collectionsFigures>>): ReportSheet[] {
  const rows = [...figures.areas, { title: REPORTS_THAI.total, figures: figures.total }];
  return [
    {
      name: REPORT_SHEETS.collections,
      title: REPORTS_THAI.sheetTitle(REPORT_KIND_THAI.collections, scopeTitle, asOf),
      columns: [
        { header: H.area, key: 'area', type: 'text' },
        ...figures.windows.flatMap((w): ReportColumn[] => [
          { header: H.due(w.title), key: `${w.key}Due`, type: 'baht' },
          { header: H.collected(w.title), key: `${w.key}Collected`, type: 'baht' },
          { header: H.rate(w.title), key: `${w.key}Rate`, type: 'percent' },
        ]),
      ],
      rows: rows.map((row) => ({
        area: row.title,
        ...Object.fromEntries(
          figures.windows.flatMap((w) => [
            [`${w.key}Due`, row.figures[w.key].due],
            [`${w.key}Collected`, row.figures[w.key].collected],
            [`${w.key}Rate`, row.figures[w.key].rate],
          ]),
        ),
      })),
    },
  ];
}

function activitySheets(scopeTitle: string, figures: Awaited<ReturnType<typeof activityFigures>>): ReportSheet[] {
  const rows = [...figures.areas, { title: REPORTS_THAI.total, figures: figures.total }];
  const title = REPORTS_THAI.periodTitle(REPORT_KIND_THAI.activity, scopeTitle, figures.from, figures.to);
  return [
    {
      name: REPORT_SHEETS.activity,
      title,
      columns: [
        { header: H.area, key: 'area', type: 'text' },
        { header: H.contacts, key: 'contacts', type: 'count' },
        { header: H.debtorsContacted, key: 'debtors', type: 'count' },
        ...FOLLOW_UP_KINDS.map((k): ReportColumn => ({ header: FOLLOW_UP_KIND_THAI[k], key: `kind_${k}`, type: 'count' })),
        ...FOLLOW_UP_STAGES.map((s): ReportColumn => ({ header: FOLLOW_UP_STAGE_THAI[s], key: `stage_${s}`, type: 'count' })),
      ],
      rows: rows.map(({ title: area, figures: f }) => ({
        area,
        contacts: f.contacts,
        debtors: f.debtorsContacted,
        ...Object.fromEntries(FOLLOW_UP_KINDS.map((k) => [`kind_${k}`, f.byKind[k]])),
        ...Object.fromEntries(FOLLOW_UP_STAGES.map((s) => [`stage_${s}`, f.byStage[s]])),
      })),
    },
    {
      name: REPORT_SHEETS.promises,
      title,
      columns: [
        { header: H.area, key: 'area', type: 'text' },
        { header: H.promisesMade, key: 'made', type: 'count' },
        { header: H.promisedAmount, key: 'amount', type: 'baht' },
        { header: H.promisesDue, key: 'due', type: 'count' },
        { header: H.promisesKept, key: 'kept', type: 'count' },
        { header: H.promisesPartlyKept, key: 'partly', type: 'count' },
        { header: H.promisesBroken, key: 'broken', type: 'count' },
        { header: H.promisesOpen, key: 'open', type: 'count' },
      ],
      rows: rows.map(({ title: area, figures: f }) => ({
        area,
        made: f.promisesMade,
        amount: f.promisedAmount,
        due: f.promisesDue,
        kept: f.promisesKept,
        partly: f.promisesPartlyKept,
        broken: f.promisesBroken,
        open: f.promisesOpen,
      })),
    },
  ];
}

function measuresSheets(scopeTitle: string, asOf: LocalDate, figures: Omit<MeasuresReport, 'scope'>): ReportSheet[] {
  const statusColumns = APPLICATION_STATUS_KEYS.map((s): ReportColumn => ({ header: ENROLLMENT_STATUS_THAI[s], key: s, type: 'count' }));
  const title = REPORTS_THAI.sheetTitle(REPORT_KIND_THAI.measures, scopeTitle, asOf);
  return [
    {
      name: REPORT_SHEETS.measures,
      title,
      columns: [{ header: H.area, key: 'area', type: 'text', width: 34 }, ...statusColumns],
      rows: [...figures.areas.map((a) => ({ area: a.title, ...a.counts })), { area: REPORTS_THAI.total, ...figures.total }],
    },
    // The same applications again, by measure: a sheet of its own, so summing a column never counts them twice.
    {
      name: REPORT_SHEETS.measuresByMeasure,
      title,
      columns: [{ header: H.measure, key: 'measure', type: 'text', width: 34 }, ...statusColumns],
      rows: [...figures.byMeasure.map((m) => ({ measure: m.title, ...m.counts })), { measure: REPORTS_THAI.total, ...figures.total }],
    },
    {
      name: REPORT_SHEETS.measureLevels,
      title,
      columns: [
        { header: H.level, key: 'level', type: 'text', width: 30 },
        { header: H.steps, key: 'steps', type: 'count' },
        { header: H.medianDays, key: 'median', type: 'count' },
      ],
      rows: figures.levels.map((l) => ({ level: l.title, steps: l.steps, median: l.medianDays })),
    },
    {
      name: REPORT_SHEETS.measuresOverdue,
      title,
      columns: [
        { header: H.enrollmentId, key: 'id', type: 'count' },
        { header: H.fullName, key: 'fullName', type: 'text' },
        { header: H.area, key: 'area', type: 'text', width: 34 },
        { header: H.contractNo, key: 'contractNo', type: 'text', width: 16 },
        { header: H.measure, key: 'measure', type: 'text' },
        { header: H.level, key: 'level', type: 'text' },
        { header: H.deadline, key: 'deadline', type: 'datetime' },
        { header: H.daysLate, key: 'daysLate', type: 'count' },
      ],
      rows: figures.overdue.map((o) => ({
        id: o.enrollmentId,
        fullName: o.fullName,
        area: o.areaTitle,
        contractNo: o.contractNo,
        measure: o.measureTitle,
        level: o.levelTitle,
        deadline: new Date(o.deadlineAt),
        daysLate: o.daysLate,
      })),
    },
  ];
}

export const DEBTOR_COLUMNS: readonly ReportColumn[] = [
  { header: H.fullName, key: 'fullName', type: 'text', width: 28 },
  { header: H.area, key: 'areaTitle', type: 'text', width: 34 },
  { header: H.contractNo, key: 'contractNos', type: 'text', width: 18 },
  { header: H.phone, key: 'phone', type: 'text', width: 13 },
  { header: H.colour, key: 'colourTitle', type: 'text', width: 26 },
  { header: H.overdue, key: 'overdue', type: 'baht' },
  { header: H.outstanding, key: 'outstanding', type: 'baht' },
  { header: H.daysPastDue, key: 'daysPastDue', type: 'count' },
  { header: H.lastContactOn, key: 'lastContactOn', type: 'date' },
  { header: H.lastContact, key: 'lastContact', type: 'text' },
  { header: H.measureTitle, key: 'measureTitle', type: 'text', width: 30 },
  { header: H.measureEndsOn, key: 'measureEndsOn', type: 'date' },
  { header: H.nextPromiseOn, key: 'nextPromiseOn', type: 'date' },
];

/** The debtors' rows, then a total: how many, what they owe overdue and in all (so no one sums the column by hand). */
async function* debtorSheetRows(rows: AsyncIterable<DebtorReportRow>): AsyncGenerator<ReportRow> {
  let count = 0;
  let overdue = 0;
  let outstanding = 0;
  for await (const row of rows) {
    count += 1;
    overdue += row.overdue;
    outstanding += row.outstanding;
    yield { ...row, colourTitle: REPORTS_THAI.colourThai[row.colour] };
  }
  yield { fullName: REPORTS_THAI.debtorsTotal(count), overdue, outstanding };
}

function allocationSheet(result: AllocationResult, title: string): ReportSheet {
  return {
    name: REPORT_SHEETS.allocation,
    title: `${title} · ${result.basisTitle} · งบประมาณ ${result.budgetBaht.toLocaleString('en-US')} บาท`,
    columns: [
      { header: H.district, key: 'title', type: 'text' },
      { header: H.tambons, key: 'tambons', type: 'count' },
      { header: H.members, key: 'members', type: 'count' },
      { header: H.overdueRate, key: 'overdueRate', type: 'percent' },
      { header: H.share, key: 'share', type: 'percent' },
      { header: H.amountBaht, key: 'amount', type: 'baht' },
    ],
    rows: [
      ...result.districts.map((d) => ({ title: d.title, tambons: d.tambons, members: d.members, overdueRate: d.overdueRatePercent / 100, share: d.share, amount: d.amountBaht * 100 })),
      { title: REPORTS_THAI.total, tambons: sumOf(result.districts, 'tambons'), members: sumOf(result.districts, 'members'), share: 1, amount: result.totalBaht * 100 },
    ],
  };
}

function sumOf<T>(rows: readonly T[], key: keyof T): number {
  return rows.reduce((sum, row) => sum + (row[key] as number), 0);
}

// ---------- the service ----------

export interface ReportsDeps {
  db: Kysely<Database>;
  clock: Clock;
}

export function createReportsService(deps: ReportsDeps) {
  const { db, clock } = deps;

  async function resolve(caller: OfficerCaller, query: Pick<ReportQuery, 'area' | 'asOf'>): Promise<ResolvedScope & { scope: ReportScope }> {
    if (caller.role === 'mentor') throw new DomainError('FORBIDDEN', REPORTS_THAI.mentorsHaveNoReports);
    const today = bangkokDate(clock.now());
    const asOf = query.asOf ?? today;
    if (asOf > today) throw new DomainError('VALIDATION', REPORTS_THAI.asOfInFuture, [{ path: 'asOf', message: REPORTS_THAI.asOfInFuture }]);
    if (asOf < addDays(today, -366 * MAX_YEARS_BACK)) throw new DomainError('VALIDATION', REPORTS_THAI.asOfTooOld, [{ path: 'asOf', message: REPORTS_THAI.asOfTooOld }]);
    let path = caller.scopePath;
    if (query.area !== undefined) {
      const found = await findAreaPath(db, query.area);
      if (!found) throw new DomainError('NOT_FOUND', REPORTS_THAI.areaNotFound);
      if (!isWithinArea(found, caller.scopePath)) throw new DomainError('FORBIDDEN', REPORTS_THAI.areaOutsideScope);
      path = found;
    }
    const resolved = scopeOf(path, asOf);
    // The officer's own area and its children, and (when narrowed) the chosen area's children too.
    const choices: ReportScope['choices'] = [{ path: caller.scopePath, title: areaTitle(caller.scopePath) }];
    const seen = new Set<string | null>([caller.scopePath]);
    for (const parent of path === caller.scopePath ? [caller.scopePath] : [caller.scopePath, ...(depthOf(path) < 3 ? [path] : [])]) {
      if (depthOf(parent) >= 3) continue;
      for (const child of await childAreasOf(db, parent)) {
        if (!seen.has(child)) choices.push({ path: child, title: formatAreaPath(child) });
        seen.add(child);
      }
    }
    if (!seen.has(path)) choices.push({ path, title: path === null ? REPORTS_THAI.wholeCountry : formatAreaPath(path) });
    return { ...resolved, scope: { path, title: areaTitle(path), asOf, choices } };
  }

  async function audit(caller: OfficerCaller, kind: string, scope: ResolvedScope) {
    await recordAudit(db, { actor: `officer:${caller.id}`, action: 'report.export', subject: scope.path ? `area:${scope.path}` : 'area:*', details: { kind, asOf: scope.asOf }, at: clock.now() });
  }

  /** Names, phones and debts of people, on the screen or in a file: who was shown, so each one's access log shows it. */
  async function auditDebtorsShown(caller: OfficerCaller, scope: ResolvedScope, colour: Colour | undefined, shown: number[], file?: true) {
    await recordAudit(db, {
      actor: `officer:${caller.id}`,
      action: 'report.debtors',
      subject: scope.path ? `area:${scope.path}` : 'area:*',
      details: { shown, colour: colour ?? null, asOf: scope.asOf, ...(file ? { file } : {}) },
      at: clock.now(),
    });
  }

  async function budgetProvince(caller: OfficerCaller): Promise<string> {
    if (caller.role !== 'province' || !caller.scopePath) throw new DomainError('FORBIDDEN', REPORTS_THAI.budgetForProvinces);
    return caller.scopePath;
  }

  async function allocationBasis(provincePath: string, asOf: LocalDate) {
    const [bases, ageing] = await Promise.all([districtBases(db, provincePath), ageingFigures(db, scopeOf(provincePath, asOf))]);
    const rates = new Map(ageing.areas.map((a) => [a.path, a.figures.overdueRatePercent]));
    return bases.map((b) => ({ path: b.path, title: areaTitle(b.path), tambons: b.tambons, members: b.members, overdueRatePercent: rates.get(b.path) ?? 0 }));
  }

  function basisTitle(weights: Record<string, number>): string {
    const used = ALLOCATION_BASIS_KEYS.filter((k) => (weights[k] ?? 0) > 0);
    const total = used.reduce((sum, k) => sum + weights[k]!, 0);
    return REPORTS_THAI.basisMix(used.map((k) => (used.length === 1 ? ALLOCATION_BASIS_THAI[k].title : `${ALLOCATION_BASIS_THAI[k].title} ${Math.round((weights[k]! / total) * 100)}%`)));
  }

  async function allocate(provincePath: string, request: AllocationRequest): Promise<AllocationResult> {
    const today = bangkokDate(clock.now());
    const asOf = request.asOf && request.asOf <= today ? request.asOf : today;
    const districts = await allocationBasis(provincePath, asOf);
    if (districts.length === 0) throw new DomainError('CONFLICT', REPORTS_THAI.budgetNoDistricts);
    const weights: AllocationWeights = Object.fromEntries(ALLOCATION_BASES.map((b) => [b, request.weights[b] ?? 0]));
    let allocated;
    try {
      allocated = allocateBudget(
        request.budgetBaht,
        districts.map((d) => ({ key: d.path, tambons: d.tambons, members: d.members, overdueRatePercent: d.overdueRatePercent })),
        weights,
      );
    } catch (error) {
      if (error instanceof AllocationError) {
        const message = error.reason === 'all_zero' ? REPORTS_THAI.budgetAllZero : REPORTS_THAI.budgetBadWeights;
        throw new DomainError('VALIDATION', message, [{ path: 'weights', message }]);
      }
      throw error;
    }
    return {
      provincePath,
      provinceTitle: areaTitle(provincePath),
      asOf,
      budgetBaht: request.budgetBaht,
      weights: request.weights,
      basisTitle: basisTitle(request.weights),
      districts: districts.map((d, i) => ({ ...d, share: allocated[i]!.share, amountBaht: allocated[i]!.amountBaht })),
      totalBaht: allocated.reduce((sum, a) => sum + a.amountBaht, 0),
    };
  }

  function savedView(saved: SavedAllocation): SavedAllocationView {
    const weights = Object.fromEntries(ALLOCATION_BASIS_KEYS.map((k) => [k, saved.weights[k] ?? 0])) as AllocationResult['weights'];
    return {
      id: saved.id,
      title: saved.title,
      createdByName: saved.createdByName,
      createdAt: saved.createdAt.toISOString(),
      provincePath: saved.provincePath,
      provinceTitle: areaTitle(saved.provincePath),
      asOf: saved.asOf,
      budgetBaht: saved.budgetBaht,
      weights,
      basisTitle: basisTitle(weights),
      districts: saved.rows.map((r) => ({ ...r, title: areaTitle(r.path) })),
      totalBaht: saved.rows.reduce((sum, r) => sum + r.amountBaht, 0),
    };
  }

  return {
    async ageing(caller: OfficerCaller, query: ReportQuery): Promise<AgeingReport> {
      const resolved = await resolve(caller, query);
      return { scope: resolved.scope, ...(await ageingFigures(db, resolved)) };
    },
    async collections(caller: OfficerCaller, query: ReportQuery): Promise<CollectionsReport> {
      const resolved = await resolve(caller, query);
      return { scope: resolved.scope, ...(await collectionsFigures(db, resolved)) };
    },
    async activity(caller: OfficerCaller, query: ReportQuery): Promise<ActivityReport> {
      const resolved = await resolve(caller, query);
      return { scope: resolved.scope, ...(await activityFigures(db, resolved, fiscalQuarterOf(resolved.asOf).startsOn)) };
    },
    async measures(caller: OfficerCaller, query: ReportQuery): Promise<MeasuresReport> {
      const resolved = await resolve(caller, query);
      return { scope: resolved.scope, ...(await measuresFigures(db, resolved, clock.now())) };
    },
    async debtors(caller: OfficerCaller, query: ReportQuery): Promise<DebtorsReport> {
      const resolved = await resolve(caller, query);
      const figures = await debtorsFigures(db, resolved, query.colour);
      // Up to a hundred people: audited like the debtor list, with the ids it showed.
      await auditDebtorsShown(caller, resolved, query.colour, figures.rows.map((row) => row.borrowerId));
      return { scope: resolved.scope, ...figures };
    },

    /** The sheets of a report's XLSX; the debtor list is read while it is written. */
    async exportFile(caller: OfficerCaller, kind: ReportKind, query: ReportQuery): Promise<ReportFile> {
      const resolved = await resolve(caller, query);
      const title = resolved.scope.title;
      await audit(caller, kind, resolved);
      const fileName = REPORTS_THAI.fileName(kind, resolved.asOf);
      const thaiFileName = REPORTS_THAI.thaiFileName(kind, resolved.asOf);
      switch (kind) {
        case 'ageing':
          return { fileName, thaiFileName, sheets: ageingSheets(title, resolved.asOf, await ageingFigures(db, resolved)) };
        case 'collections':
          return { fileName, thaiFileName, sheets: collectionsSheets(title, resolved.asOf, await collectionsFigures(db, resolved)) };
        case 'activity':
          return { fileName, thaiFileName, sheets: activitySheets(title, await activityFigures(db, resolved, fiscalQuarterOf(resolved.asOf).startsOn)) };
        case 'measures':
          return { fileName, thaiFileName, sheets: measuresSheets(title, resolved.asOf, await measuresFigures(db, resolved, clock.now())) };
        case 'debtors': {
          const colourTitle = query.colour ? ` ${REPORTS_THAI.colourThai[query.colour]}` : '';
          return {
            fileName,
            thaiFileName,
            sheets: [
              {
                name: REPORT_SHEETS.debtors,
                title: REPORTS_THAI.sheetTitle(`${REPORT_KIND_THAI.debtors}${colourTitle}`, title, resolved.asOf),
                columns: DEBTOR_COLUMNS,
                // Every debtor the file named, as the screen's list records them.
                rows: debtorSheetRows(auditedWhileStreamed(debtorRowsStreamed(db, resolved, query.colour), (shown) => auditDebtorsShown(caller, resolved, query.colour, shown, true))),
              },
            ],
          };
        }
      }
    },

    async budgetPage(caller: OfficerCaller, asOf?: LocalDate): Promise<AllocationPage> {
      const provincePath = await budgetProvince(caller);
      const today = bangkokDate(clock.now());
      const day = asOf && asOf <= today ? asOf : today;
      return {
        provincePath,
        provinceTitle: areaTitle(provincePath),
        asOf: day,
        districts: await allocationBasis(provincePath, day),
        saved: (await budgetAllocationsOf(db, provincePath, 20)).map(savedView),
      };
    },
    async previewAllocation(caller: OfficerCaller, request: AllocationRequest): Promise<AllocationResult> {
      return allocate(await budgetProvince(caller), request);
    },
    async saveAllocation(caller: OfficerCaller, request: AllocationRequest): Promise<SavedAllocationView> {
      const provincePath = await budgetProvince(caller);
      const result = await allocate(provincePath, request);
      const now = clock.now();
      const title = request.title ?? REPORTS_THAI.allocationTitle(result.provinceTitle, result.asOf);
      const id = await insertBudgetAllocation(db, {
        provincePath,
        budgetBaht: result.budgetBaht,
        weights: result.weights,
        rows: result.districts.map(({ path, title: _t, tambons, members, overdueRatePercent, share, amountBaht }) => ({ path, name: _t, tambons, members, overdueRatePercent, share, amountBaht })),
        title,
        asOf: result.asOf,
        createdBy: caller.id,
        createdAt: now,
      });
      await recordAudit(db, { actor: `officer:${caller.id}`, action: 'budget.allocate', subject: `budget_allocation:${id}`, details: { budgetBaht: result.budgetBaht, weights: result.weights }, at: now });
      return savedView((await findBudgetAllocation(db, id))!);
    },
    async allocationFile(caller: OfficerCaller, id: number): Promise<ReportFile> {
      const provincePath = await budgetProvince(caller);
      const saved = await findBudgetAllocation(db, id);
      if (!saved || saved.provincePath !== provincePath) throw new DomainError('NOT_FOUND', REPORTS_THAI.allocationNotFound);
      const view = savedView(saved);
      return { fileName: `wdf-budget-${id}.xlsx`, sheets: [allocationSheet(view, view.title)] };
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;

