// The officer's pages: My area, the debtor list, a debtor's page with one timeline, My work this week and the
// applications waiting. Always limited, in SQL, to what the caller may see; every read of a person's data is
// audited. The use-cases of follow-ups, payments and link codes are gathered here for the edges.
import {
  COLOUR_THAI,
  COLOURS,
  FOLLOW_UP_KIND_THAI,
  PROMISE_STATUS_THAI,
  type ApplicationsWaiting,
  type AreaSummary,
  type Colour,
  type DebtorListQuery,
  type DebtorListResponse,
  type DebtorPage,
  type FollowUpEditParsed,
  type FollowUpRequestParsed,
  type OfficerMe,
  type PaymentRequestParsed,
  type TimelineItem,
  type WorkItem,
  type WorkQueue,
} from '../contracts/officer.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { listEnrollmentsOfBorrower } from '../db/repos/enrollments.repo.ts';
import { deliveryHistoryOfBorrower } from '../db/repos/outbox.repo.ts';
import { slipsOfBorrower } from '../db/repos/payment-slips.repo.ts';
import { SLIP_STATUS_THAI } from '../contracts/money.ts';
import { debtorFiguresInScope, debtorsWithOldestDueIn, listDebtors, type DebtorListFilters, type DebtorListRow } from '../db/repos/debtor-list.repo.ts';
import { areaIdsByPath, subdistrictsInScope } from '../db/repos/debtor-scope.repo.ts';
import { followUpsOfBorrower, photoIdsOfFollowUps, promisesOfBorrower, promisesOfFollowUps, type PromiseRow } from '../db/repos/follow-ups.repo.ts';
import { applicationsAwaiting, assignMentor, type WaitingApplicationRow, followUpsDueBy, borrowerLinkedAt, mentorOfBorrower, mentorsInScope, unkeptPromises } from '../db/repos/officer-work.repo.ts';
import { paymentHistoryOfBorrower, unconfirmedRecordedPayments } from '../db/repos/recorded-payments.repo.ts';
import { findOfficerById } from '../db/repos/officers.repo.ts';
import { DEBTOR_STATUS_LABEL, isOverdueOn } from '../domain/debtor-status.ts';
import { ENROLLMENT_STATUS_THAI, reviewLevelOfRole, REVIEW_LEVEL_THAI, REVIEW_LEVELS } from '../domain/enrollment-workflow.ts';
import { mayDecideAt } from './enrollment-notifications.service.ts';
import { DomainError } from '../domain/errors.ts';
import { installmentTotal } from '../domain/loan-schedule.ts';
import { addDays, bangkokDate, daysBetween, type LocalDate } from '../domain/local-date.ts';
import { cleanChatText, nameWithoutTitle } from '../domain/thai-text.ts';
import { NAME_TITLES } from '../content/chat-intents.th.ts';
import { canEditFollowUp, DPD_BAND_RANGE, OVERDUE_THRESHOLDS, thresholdsCrossedDuring, workWeek } from '../domain/officer-work.ts';
import { OVERDUE_RATE_TARGET_PERCENT } from '../domain/debtor-status.ts';
import { areaTitle, formatAreaPath, ROLE_TITLE } from '../content/area-names.ts';
import { DELIVERY_STATUS_THAI, PENDING_UNLINKED_THAI, REMINDER_KIND_THAI, WORK_REASON_THAI, WORKSPACE_THAI } from '../content/officer-workspace.th.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { loadDebtOverview } from './debt-overview.service.ts';
import { countPendingReviewsFor } from './enrollment-review.service.ts';
import { editFollowUp, followUpByKey, readFollowUpPhoto, recordFollowUp, uploadFollowUpPhoto } from './follow-ups.service.ts';
import { createLinkCodeBatch, issueCodeForBorrower, issueCodeFromChat, takeBatchForDownload } from './officer-link-codes.service.ts';
import { isMentorCaller, officerOfLineUser, visibleBorrower, type OfficerCaller } from './officer-access.ts';
import { recordPayment, reversePayment, type RecordedPaymentDeps } from './recorded-payments.service.ts';
import { judgeDuePromises } from './payment-promises.service.ts';

/** What recording payments needs (promiseGraceDays: PROMISE_GRACE_DAYS), and the cipher for sealed photos. */
export interface OfficerWorkspaceDeps extends RecordedPaymentDeps {
  cipher: PersonalDataCipher;
}

/** The provincial indicator: overdue debt below 10 % of what is owed. */
export const PROVINCE_INDICATOR_PERCENT = 10;
const TIMELINE_LIMIT = 200;
const WORK_LIST_LIMIT = 50;

const colourOfStatus = (status: keyof typeof DEBTOR_STATUS_LABEL): Colour => DEBTOR_STATUS_LABEL[status].colour;
const rate = (overdue: number, outstanding: number) => (outstanding === 0 ? 0 : Math.round((overdue / outstanding) * 10_000) / 100);
const actorOf = (caller: OfficerCaller) => `officer:${caller.id}`;

export async function officerMe(deps: OfficerWorkspaceDeps, caller: OfficerCaller): Promise<OfficerMe> {
  const today = bangkokDate(deps.clock.now());
  const mentor = isMentorCaller(caller);
  // Nationally there are thousands of tambons: the department searches instead of picking from a list.
  const [tambons, mentors] = mentor || caller.scopePath === null ? [[], []] : await Promise.all([subdistrictsInScope(deps.db, caller.scopePath), mentorsInScope(deps.db, caller.scopePath)]);
  return {
    id: caller.id,
    fullName: caller.fullName,
    role: caller.role,
    roleLabel: ROLE_TITLE[caller.role],
    area: areaTitle(caller.scopePath),
    can: { recordPayments: !mentor, issueLinkCodes: !mentor, assignMentors: !mentor, reviewApplications: reviewLevelOfRole(caller.role) !== undefined },
    tambons: tambons.map((t) => ({ id: t.id, name: t.name, area: formatAreaPath(t.path) })),
    mentors: mentors.map((m) => ({ id: m.id, fullName: m.fullName, tambonId: m.areaId, area: formatAreaPath(m.areaPath) })),
    today,
    week: workWeek(today),
  };
}

function toListItem(row: DebtorListRow): DebtorListResponse['items'][number] {
  return {
    contractNo: row.contractNo,
    fullName: row.fullName,
    colour: row.colour,
    overdueSatang: row.overdue,
    daysPastDue: row.daysPastDue,
    lastContactOn: row.lastContactOn,
    nextPromiseOn: row.nextPromiseOn,
    borrowerId: row.borrowerId,
    area: formatAreaPath(row.areaPath),
    loanCount: row.loanCount,
    mentorName: row.mentorName,
    linked: row.linked,
  };
}

export async function listDebtorsForOfficer(deps: OfficerWorkspaceDeps, caller: OfficerCaller, query: DebtorListQuery): Promise<DebtorListResponse> {
  const now = deps.clock.now();
  const today = bangkokDate(now);
  // Typed as phones type it: Thai digits, นิคหิต + า for ำ, a title before the name.
  const q = query.q === undefined ? undefined : cleanChatText(query.q).replace(/\s+/g, ' ').trim() || undefined;
  const filters: DebtorListFilters = {
    q,
    colour: query.colour,
    dpd: query.dpd ? DPD_BAND_RANGE[query.dpd] : undefined,
    tambonId: query.tambon,
    mentor: query.mentor,
    noContactSince: query.noContactDays ? addDays(today, -query.noContactDays) : undefined,
    promiseDue: query.promiseDue === 'week' ? workWeek(today) : undefined,
    unplanned: query.planned === 'none' || undefined,
    linked: query.linked === undefined ? undefined : query.linked === 'yes',
  };
  let { rows, total } = await listDebtors(deps.db, caller.viewer, filters, today, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
  const untitled = q === undefined ? undefined : nameWithoutTitle(q, NAME_TITLES);
  if (total === 0 && untitled) {
    filters.q = untitled;
    ({ rows, total } = await listDebtors(deps.db, caller.viewer, filters, today, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize }));
  }
  if (rows.length > 0) {
    // The filters say what was looked for, never who: names stay out of the audit details.
    await recordAudit(deps.db, {
      actor: actorOf(caller),
      action: 'debtor.list',
      subject: caller.scopePath ? `area:${caller.scopePath}` : 'area:*',
      details: { shown: rows.map((r) => r.borrowerId), page: query.page, colour: query.colour, dpd: query.dpd, searched: query.q !== undefined },
      at: now,
    });
  }
  return { items: rows.map(toListItem), total, page: query.page, pageSize: query.pageSize };
}

function promiseView(p: PromiseRow) {
  return { id: p.id, amountSatang: p.amount, promisedOn: p.promisedOn, contractNo: p.contractNo, status: p.status, statusLabel: PROMISE_STATUS_THAI[p.status], paidSatang: p.paid };
}

export async function debtorPageForOfficer(deps: OfficerWorkspaceDeps, caller: OfficerCaller, borrowerId: number): Promise<DebtorPage> {
  const borrower = await visibleBorrower(deps.db, caller, borrowerId);
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const [overview, followUps, payments, deliveries, applications, mentor, linkedAt, promises, slips] = await Promise.all([
    loadDebtOverview(deps.db, borrower.id, today),
    followUpsOfBorrower(deps.db, borrower.id, 100),
    paymentHistoryOfBorrower(deps.db, borrower.id, 100),
    deliveryHistoryOfBorrower(deps.db, borrower.id, 40),
    listEnrollmentsOfBorrower(deps.db, borrower.id),
    mentorOfBorrower(deps.db, borrower.id),
    borrowerLinkedAt(deps.db, borrower.id),
    promisesOfBorrower(deps.db, borrower.id),
    slipsOfBorrower(deps.db, borrower.id, 40),
  ]);
  await recordAudit(deps.db, { actor: actorOf(caller), action: 'borrower.view', subject: `borrower:${borrower.id}`, details: { via: 'officer_page' }, at: now });
  const loans = overview?.loans ?? [];
  const unconfirmed = await unconfirmedRecordedPayments(deps.db, loans.map((l) => l.id));
  const [photos, promiseByFollowUp] = await Promise.all([photoIdsOfFollowUps(deps.db, followUps.map((f) => f.id)), promisesOfFollowUps(deps.db, followUps.map((f) => f.id))]);
  const mentorCaller = isMentorCaller(caller);

  const timeline: TimelineItem[] = [];
  for (const f of followUps) {
    const promise = promiseByFollowUp.get(f.id);
    timeline.push({
      type: 'follow_up',
      id: f.id,
      on: f.contactedOn,
      at: f.createdAt.toISOString(),
      kind: f.kind,
      stage: f.stage,
      outcome: f.outcome,
      note: f.note,
      nextActionOn: f.nextActionOn,
      contractNo: f.contractNo,
      officerName: f.officerName,
      editable: canEditFollowUp(f, { officerId: caller.id }, now),
      photoIds: photos.get(f.id) ?? [],
      promise: promise ? promiseView(promise) : null,
    });
  }
  for (const p of payments) {
    if (p.source === 'officer_reversal') {
      timeline.push({
        type: 'reversal',
        id: p.id,
        on: p.paidOn ?? bangkokDate(p.recordedAt),
        at: p.recordedAt.toISOString(),
        contractNo: p.contractNo,
        amountSatang: p.amount,
        reversesPaymentId: p.reversesPaymentId!,
        receiptNo: p.receiptNo,
        reason: p.note,
        officerName: p.officerName,
      });
    } else {
      const recorded = p.source === 'officer';
      timeline.push({
        type: 'payment',
        id: p.id,
        on: p.paidOn ?? bangkokDate(p.recordedAt),
        at: p.recordedAt.toISOString(),
        source: recorded ? 'officer' : 'registry',
        contractNo: p.contractNo,
        amountSatang: p.amount,
        channel: p.channel,
        receiptNo: p.receiptNo,
        officerName: p.officerName,
        confirmedSatang: p.confirmed,
        reversed: p.reversedBy !== null,
        reversible: recorded && !mentorCaller && p.reversedBy === null && p.confirmed === 0,
        opening: p.opening,
      });
    }
  }
  for (const d of deliveries) {
    // Sent: when it went. Waiting: when it will go (not when it was queued), e.g. the day before a promise.
    // Not sent (waiting, or called off): the day it was for, which is what the officer looks for.
    const at = d.sentAt ?? (d.status === 'pending' || d.status === 'cancelled' ? d.notBefore : d.createdAt);
    const statusLabel = d.status === 'pending' && linkedAt === undefined ? PENDING_UNLINKED_THAI : (DELIVERY_STATUS_THAI[d.status] ?? d.status);
    timeline.push({ type: 'reminder', on: bangkokDate(at), at: at.toISOString(), label: REMINDER_KIND_THAI[d.kind] ?? 'ข้อความแจ้งเตือน', statusLabel });
  }
  for (const s of slips) {
    timeline.push({
      type: 'slip',
      id: s.id,
      on: bangkokDate(s.receivedAt),
      at: s.receivedAt.toISOString(),
      status: s.status,
      statusLabel: SLIP_STATUS_THAI[s.status],
      reason: s.status === 'rejected' ? s.rejectReason : null,
    });
  }
  for (const a of applications) {
    timeline.push({
      type: 'application',
      id: a.id,
      on: bangkokDate(a.submittedAt),
      at: a.submittedAt.toISOString(),
      contractNo: a.contractNo,
      measureTitle: a.measureTitle,
      status: a.status,
      statusLabel: ENROLLMENT_STATUS_THAI[a.status],
    });
  }
  timeline.sort((x, y) => (x.on === y.on ? (x.at < y.at ? 1 : x.at > y.at ? -1 : 0) : x.on < y.on ? 1 : -1));

  const openPromise = promises.find((p) => p.status === 'open');
  return {
    borrowerId: borrower.id,
    fullName: borrower.fullName,
    nationalIdMasked: borrower.nationalIdMasked,
    area: formatAreaPath(borrower.areaPath),
    phone: borrower.phone,
    colour: colourOfStatus(overview?.status ?? 'normal'),
    statusLabel: DEBTOR_STATUS_LABEL[overview?.status ?? 'normal'].thai,
    linked: linkedAt !== undefined,
    linkedAt: linkedAt?.toISOString() ?? null,
    mentor: mentor ?? null,
    today,
    loans: loans.map((loan) => {
      const awaitingRegistry = (unconfirmed.get(loan.id) ?? []).reduce((sum, p) => sum + p.unconfirmed, 0);
      return {
        contractNo: loan.contractNo,
        colour: colourOfStatus(loan.position.status),
        statusLabel: DEBTOR_STATUS_LABEL[loan.position.status].thai,
        principal: loan.principal,
        paidTotal: loan.paidTotal,
        awaitingRegistry,
        outstandingTotal: loan.position.outstandingTotal,
        overdue: loan.position.overdue,
        daysPastDue: loan.position.daysPastDue,
        nextDue: loan.position.nextDue ? { dueOn: loan.position.nextDue.dueOn, amount: loan.position.nextDue.amount } : null,
        activeMeasure: loan.activeMeasureTitle,
        installments: loan.installments.map((i) => {
          const amount = installmentTotal(i);
          const state = i.paid >= amount ? 'paid' : isOverdueOn(i.dueOn, today) ? 'overdue' : i.paid > 0 ? 'partly_paid' : 'upcoming';
          return { seq: i.seq, dueOn: i.dueOn, amount, paid: i.paid, state } as const;
        }),
      };
    }),
    openPromise: openPromise ? promiseView(openPromise) : null,
    openPromises: promises.filter((p) => p.status === 'open').map(promiseView),
    timeline: timeline.slice(0, TIMELINE_LIMIT),
    can: { recordFollowUp: true, recordPayment: !mentorCaller && loans.length > 0, issueLinkCode: !mentorCaller, assignMentor: !mentorCaller },
  };
}

/** The level below an area: provinces nationally, districts of a province, tambons of a district. */
function childDepth(scopePath: string | null): number | undefined {
  const depth = scopePath === null ? 0 : scopePath.split('/').length;
  return depth < 3 ? depth + 1 : undefined;
}

const CHILD_LEVEL_THAI = ['', 'จังหวัด', 'อำเภอ', 'ตำบล'];

function figuresOf(rows: ReadonlyArray<{ colour: Colour; overdue: number; outstanding: number }>) {
  const byColour = new Map<Colour, { debtors: number; outstandingSatang: number; overdueSatang: number }>(COLOURS.map((c) => [c, { debtors: 0, outstandingSatang: 0, overdueSatang: 0 }]));
  let outstanding = 0;
  let overdue = 0;
  for (const row of rows) {
    const entry = byColour.get(row.colour)!;
    entry.debtors += 1;
    entry.outstandingSatang += row.outstanding;
    entry.overdueSatang += row.overdue;
    outstanding += row.outstanding;
    overdue += row.overdue;
  }
  const percent = rate(overdue, outstanding);
  return {
    debtors: rows.length,
    outstandingSatang: outstanding,
    overdueSatang: overdue,
    overdueRatePercent: percent,
    meetsFundTarget: percent < OVERDUE_RATE_TARGET_PERCENT,
    meetsProvinceIndicator: percent < PROVINCE_INDICATOR_PERCENT,
    byColour: COLOURS.map((colour) => ({ colour, label: COLOUR_THAI[colour].label, ...byColour.get(colour)! })),
  };
}

export async function areaSummaryForOfficer(deps: OfficerWorkspaceDeps, caller: OfficerCaller): Promise<AreaSummary> {
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const rows = await debtorFiguresInScope(deps.db, caller.viewer, today);
  await recordAudit(deps.db, { actor: actorOf(caller), action: 'area.summary', subject: caller.scopePath ? `area:${caller.scopePath}` : 'area:*', details: { via: 'officer_page' }, at: now });
  const depth = isMentorCaller(caller) ? undefined : childDepth(caller.scopePath);
  let breakdown: AreaSummary['breakdown'] = null;
  if (depth !== undefined) {
    const byChild = new Map<string, typeof rows>();
    for (const row of rows) {
      const child = row.areaPath.split('/').slice(0, depth).join('/');
      byChild.set(child, [...(byChild.get(child) ?? []), row]);
    }
    const ids = await areaIdsByPath(deps.db, [...byChild.keys()]);
    breakdown = {
      levelLabel: CHILD_LEVEL_THAI[depth]!,
      rows: [...byChild.entries()]
        .map(([path, childRows]) => ({ areaId: ids.get(path) ?? 0, name: path.split('/').at(-1)!, ...figuresOf(childRows) }))
        .sort((a, b) => b.overdueRatePercent - a.overdueRatePercent || a.name.localeCompare(b.name, 'th')),
    };
  }
  return {
    title: isMentorCaller(caller) ? `ลูกหนี้ที่ดูแล ${areaTitle(caller.scopePath)}` : areaTitle(caller.scopePath),
    today,
    fundTargetPercent: OVERDUE_RATE_TARGET_PERCENT,
    provinceIndicatorPercent: PROVINCE_INDICATOR_PERCENT,
    totals: figuresOf(rows),
    breakdown,
  };
}

export async function workQueueForOfficer(deps: OfficerWorkspaceDeps, caller: OfficerCaller): Promise<WorkQueue> {
  const now = deps.clock.now();
  const today = bangkokDate(now);
  const week = workWeek(today);
  // A tambon officer and a mentor answer for everyone they see: an overdue debtor nobody plans to see is work too.
  const answersForAll = caller.viewer.role === 'tambon' || caller.viewer.role === 'mentor';
  const [due, unkept, crossing, applicationsWaiting, unplanned] = await Promise.all([
    followUpsDueBy(deps.db, caller.viewer, week.end, WORK_LIST_LIMIT),
    unkeptPromises(deps.db, caller.viewer, { judgedSince: new Date(now.getTime() - 14 * 24 * 60 * 60 * 1000), today, graceDays: deps.promiseGraceDays, limit: WORK_LIST_LIMIT }),
    debtorsWithOldestDueIn(
      deps.db,
      caller.viewer,
      OVERDUE_THRESHOLDS.map((threshold) => ({ start: addDays(week.start, -threshold), end: addDays(week.end, -threshold) })),
      today,
      WORK_LIST_LIMIT,
    ),
    isMentorCaller(caller) ? Promise.resolve(0) : countPendingReviewsFor(deps.db, caller),
    answersForAll ? listDebtors(deps.db, caller.viewer, { unplanned: true }, today, { limit: 1, offset: 0 }).then((found) => found.total) : Promise.resolve(0),
  ]);
  const ids = [...new Set([...due.map((d) => d.borrowerId), ...unkept.map((p) => p.borrowerId)])];
  const facts = ids.length === 0 ? [] : (await listDebtors(deps.db, caller.viewer, { borrowerIds: ids }, today, { limit: ids.length, offset: 0 })).rows;
  const factOf = new Map(facts.map((f) => [f.borrowerId, f]));
  const item = (row: DebtorListRow, reason: string, dueOn: LocalDate | null): WorkItem => ({
    borrowerId: row.borrowerId,
    fullName: row.fullName,
    area: formatAreaPath(row.areaPath),
    colour: row.colour,
    overdueSatang: row.overdue,
    daysPastDue: row.daysPastDue,
    reason,
    dueOn,
  });
  const followUpsDue = due.flatMap((d) => {
    const row = factOf.get(d.borrowerId);
    return row ? [item(row, WORK_REASON_THAI.followUpDue(d.nextActionOn, today, FOLLOW_UP_KIND_THAI[d.kind as keyof typeof FOLLOW_UP_KIND_THAI] ?? d.kind), d.nextActionOn)] : [];
  });
  const brokenPromises = unkept.flatMap((p) => {
    const row = factOf.get(p.borrowerId);
    if (!row) return [];
    const reason =
      p.status === 'partly_kept'
        ? WORK_REASON_THAI.promisePartly(p.paid, p.amount, p.promisedOn)
        : p.status === 'broken'
          ? WORK_REASON_THAI.promiseBroken(p.amount, p.promisedOn)
          : WORK_REASON_THAI.promisePastDue(p.amount, p.promisedOn);
    return [item(row, reason, p.promisedOn)];
  });
  const crossingThresholds = crossing.rows.map((row) => {
    const threshold = thresholdsCrossedDuring(row.oldestUnpaidDueOn!, week)[0] ?? row.daysPastDue;
    const reachedOn = addDays(row.oldestUnpaidDueOn!, threshold);
    return item(row, WORK_REASON_THAI.crossing(threshold, reachedOn), reachedOn);
  });
  const shown = [...new Set([...followUpsDue, ...brokenPromises, ...crossingThresholds].map((i) => i.borrowerId))];
  if (shown.length > 0) {
    await recordAudit(deps.db, { actor: actorOf(caller), action: 'officer.work_queue', subject: caller.scopePath ? `area:${caller.scopePath}` : 'area:*', details: { shown }, at: now });
  }
  return { today, week, followUpsDue, brokenPromises, crossingThresholds, crossingTotal: crossing.total, applicationsWaiting, overdueUnplanned: unplanned };
}

export async function applicationsWaitingForOfficer(deps: OfficerWorkspaceDeps, caller: OfficerCaller): Promise<ApplicationsWaiting> {
  const level = reviewLevelOfRole(caller.role);
  if (!level) return { level: null, items: [], onwards: [] };
  const now = deps.clock.now();
  // Her own level, and a level below it she stands in for (a district with no officer): the same as the chat's list.
  const candidates = await applicationsAwaiting(deps.db, REVIEW_LEVELS.slice(0, REVIEW_LEVELS.indexOf(level) + 1), level === 'department' ? null : caller.scopePath, 200);
  const rows: typeof candidates = [];
  for (const row of candidates) if (row.awaitingLevel === level || (await mayDecideAt(deps.db, caller, row.awaitingLevel, row.areaPath))) rows.push(row);
  // What she sent on and is waiting above her, in her area: so she can follow it and its deadline there.
  const above = REVIEW_LEVELS.slice(REVIEW_LEVELS.indexOf(level) + 1);
  const onwards = level === 'department' ? [] : await applicationsAwaiting(deps.db, above, caller.scopePath, 100);
  const shown = [...rows, ...onwards].map((r) => r.id);
  if (shown.length > 0) {
    await recordAudit(deps.db, { actor: actorOf(caller), action: 'enrollment.list', subject: caller.scopePath ? `area:${caller.scopePath}` : 'area:*', details: { shown }, at: now });
  }
  const today = bangkokDate(now);
  const item = (row: WaitingApplicationRow) => ({
    id: row.id,
    borrowerId: row.borrowerId,
    fullName: row.fullName,
    area: formatAreaPath(row.areaPath),
    contractNo: row.contractNo,
    measureTitle: row.measureTitle,
    statusLabel: ENROLLMENT_STATUS_THAI[row.status as keyof typeof ENROLLMENT_STATUS_THAI] ?? row.status,
    submittedAt: row.submittedAt.toISOString(),
    deadlineAt: row.deadlineAt.toISOString(),
    daysLeft: daysBetween(today, bangkokDate(row.deadlineAt)),
    standsInFor: REVIEW_LEVELS.indexOf(row.awaitingLevel) < REVIEW_LEVELS.indexOf(level) ? REVIEW_LEVEL_THAI[row.awaitingLevel] : null,
  });
  return {
    level: REVIEW_LEVEL_THAI[level],
    items: rows.map(item),
    onwards: onwards.map(item),
  };
}

/** Assigns (or removes) the debtor's mentor: an active mentor of the debtor's own tambon. */
export async function assignMentorForOfficer(deps: OfficerWorkspaceDeps, caller: OfficerCaller, borrowerId: number, mentorId: number | null) {
  if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', WORKSPACE_THAI.mentorsCannotAssign);
  const borrower = await visibleBorrower(deps.db, caller, borrowerId);
  let mentor: { id: number; fullName: string } | null = null;
  if (mentorId !== null) {
    const found = await findOfficerById(deps.db, mentorId);
    if (!found || found.role !== 'mentor' || found.scopePath !== borrower.areaPath) {
      throw new DomainError('VALIDATION', WORKSPACE_THAI.mentorNotInTambon, [{ path: 'mentorId', message: WORKSPACE_THAI.mentorNotInTambon }]);
    }
    mentor = { id: found.id, fullName: found.fullName };
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const previous = await assignMentor(trx, borrower.id, mentorId, caller.id, now);
    await recordAudit(trx, { actor: actorOf(caller), action: 'mentor.assign', subject: `borrower:${borrower.id}`, details: { from: previous, to: mentorId }, at: now });
  });
  return { mentor };
}

/** Every use-case of the officers' pages, as the edges (HTTP, chat, jobs) call them. */
export function createOfficerWorkspaceService(deps: OfficerWorkspaceDeps) {
  return {
    /** The caller, resolved once per request by the HTTP edge; 403 NOT_OFFICER for anyone else. */
    resolveCaller: (lineUserId: string) => officerOfLineUser(deps.db, lineUserId),
    me: (caller: OfficerCaller) => officerMe(deps, caller),
    listDebtors: (caller: OfficerCaller, query: DebtorListQuery) => listDebtorsForOfficer(deps, caller, query),
    debtorPage: (caller: OfficerCaller, borrowerId: number) => debtorPageForOfficer(deps, caller, borrowerId),
    areaSummary: (caller: OfficerCaller) => areaSummaryForOfficer(deps, caller),
    workQueue: (caller: OfficerCaller) => workQueueForOfficer(deps, caller),
    applicationsWaiting: (caller: OfficerCaller) => applicationsWaitingForOfficer(deps, caller),
    assignMentor: (caller: OfficerCaller, borrowerId: number, mentorId: number | null) => assignMentorForOfficer(deps, caller, borrowerId, mentorId),
    recordFollowUp: (caller: OfficerCaller, idempotencyKey: string, parse: () => FollowUpRequestParsed) => recordFollowUp(deps, caller, idempotencyKey, parse),
    editFollowUp: (caller: OfficerCaller, followUpId: number, input: FollowUpEditParsed) => editFollowUp(deps, caller, followUpId, input),
    followUpByKey: (caller: OfficerCaller, idempotencyKey: string) => followUpByKey(deps, caller, idempotencyKey),
    uploadPhoto: (caller: OfficerCaller, content: Buffer) => uploadFollowUpPhoto(deps, caller, content),
    readPhoto: (caller: OfficerCaller, photoId: string) => readFollowUpPhoto(deps, caller, photoId),
    recordPayment: (caller: OfficerCaller, idempotencyKey: string, parse: () => PaymentRequestParsed) => recordPayment(deps, caller, idempotencyKey, parse),
    reversePayment: (caller: OfficerCaller, paymentId: number, reason: string) => reversePayment(deps, caller, paymentId, reason),
    issueLinkCode: (caller: OfficerCaller, borrowerId: number) => issueCodeForBorrower(deps, caller, borrowerId),
    issueCodeFromChat: (officerId: number, query: string | undefined) => issueCodeFromChat(deps, officerId, query),
    createLinkCodeBatch: (caller: OfficerCaller, tambonId: number) => createLinkCodeBatch(deps, caller, tambonId),
    takeLinkCodeBatch: (batchId: number, token: string) => takeBatchForDownload(deps, batchId, token),
    /** The hourly job: promises whose day has passed. */
    judgeDuePromises: (at: Date) => judgeDuePromises(deps.db, at, deps.promiseGraceDays),
  };
}

export type OfficerWorkspaceService = ReturnType<typeof createOfficerWorkspaceService>;
