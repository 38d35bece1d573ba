// Plans officer notifications into the outbox, each scoped to the officer's own area: the weekly digest, the monthly
// debtor-forum reminder, the quarterly report reminders, and a daily word when slips wait to be checked.
// (Relief-application deadline alerts are the workflow's own: enrollment-deadlines.service.ts, run by the same job.)
import type { Kysely } from 'kysely';
import type { Database, OfficerRole } from '../db/schema.ts';
import { borrowerNamesAndAreas } from '../db/repos/borrowers.repo.ts';
import { linkedFollowingOfficers, type OfficerProfile } from '../db/repos/officers.repo.ts';
import { bangkokDate, bangkokInstant, addDays, weekdayOf } from '../domain/local-date.ts';
import { reportRemindersDue, weekStart } from '../domain/officer-calendar.ts';
import { summarisePortfolio } from '../domain/debtor-status.ts';
import { debtorStandingsInScope, type DebtorStanding } from './portfolio.service.ts';
import { countPendingReviewsFor } from './enrollment-review.service.ts';
import { countUnkeptPromisesJudged } from '../db/repos/officer-work.repo.ts';
import { pendingSlipsForViewer } from '../db/repos/payment-slips.repo.ts';
import { isRestDay } from '../domain/contact-policy.ts';
import { enqueueOutboxMessages, multicastBatchKey, type OutboxMessageInput } from './outbox.service.ts';
import type { Notification, VisitCandidate } from './notifications.ts';
import { existingDedupeKeys, holidaysBetween } from '../db/repos/outbox.repo.ts';
import { quarterDraftDue } from '../domain/fiscal-quarter.ts';
import { REPORT_DAY_OF_MONTH } from '../domain/officer-calendar.ts';
import { quarterlyDraftOf } from './reports.service.ts';

export interface OfficerNotificationDeps {
  db: Kysely<Database>;
  /** ISO weekday of the weekly digest (1 = Monday). */
  digestWeekday: number;
  /** Day of the month from which the monthly forum reminder goes out. */
  forumReminderDay: number;
}

export interface OfficerPlanSummary {
  digests: number;
  forumReminders: number;
  reportReminders: number;
  /** Quarterly drafts newly planned (each officer's once per quarter, whichever replica plans it). */
  quarterlyDrafts: number;
  /** Filled in by the job, from the relief-application workflow. */
  deadlineAlerts: number;
  /** Filled in by the job: model-centre selection rounds (centre-selection.service.ts). */
  centreRoundReminders?: number;
  centreRoundsClosed?: number;
  /** Officers newly told today that transfer slips wait in their area. */
  slipNotices: number;
  newlyQueued: number;
}

const VISIT_LIST_LENGTH = 5;
const AREA_ROLES: OfficerRole[] = ['tambon', 'district', 'province', 'department'];

async function visitCandidates(db: Kysely<Database>, standings: DebtorStanding[]): Promise<VisitCandidate[]> {
  // Most in need of a home visit: furthest behind, then the largest overdue amount (not those already in court).
  const top = standings
    .filter((s) => s.status === 'defaulted')
    .sort((a, b) => b.daysPastDue - a.daysPastDue || b.overdue - a.overdue)
    .slice(0, VISIT_LIST_LENGTH);
  const names = await borrowerNamesAndAreas(db, top.map((s) => s.borrowerId));
  return top.map((s) => ({ fullName: names.get(s.borrowerId)?.fullName ?? '', areaPath: names.get(s.borrowerId)?.areaPath ?? '', daysPastDue: s.daysPastDue, overdue: s.overdue }));
}

/** One notification to many officers: a row each (their own key), sharing multicast batches of ≤ 500. */
function toOfficers(
  officers: OfficerProfile[],
  notification: Notification,
  options: { keyPrefix: string; kind: string; at: Date; urgency: number; expiresAt: Date },
): OutboxMessageInput[] {
  return officers.map((officer, index) => ({
    dedupeKey: `${options.keyPrefix}:officer:${officer.id}`,
    kind: options.kind,
    recipient: { type: 'officer', officerId: officer.id },
    notification,
    batchKey: multicastBatchKey(options.keyPrefix, notification, index),
    urgency: options.urgency,
    notBefore: options.at,
    expiresAt: options.expiresAt,
    contactWindow: 'anytime',
  }));
}

async function planDigests(deps: OfficerNotificationDeps, officers: OfficerProfile[], at: Date): Promise<OutboxMessageInput[]> {
  const today = bangkokDate(at);
  const week = weekStart(today);
  const standingsByScope = new Map<string, DebtorStanding[]>();
  const outbox: OutboxMessageInput[] = [];
  for (const officer of officers) {
    const scopeKey = officer.scopePath ?? '*';
    let standings = standingsByScope.get(scopeKey);
    if (!standings) {
      standings = await debtorStandingsInScope(deps.db, officer.scopePath, today);
      standingsByScope.set(scopeKey, standings);
    }
    outbox.push({
      dedupeKey: `digest:${week}:officer:${officer.id}`,
      kind: 'officer_digest',
      recipient: { type: 'officer', officerId: officer.id },
      notification: {
        kind: 'officer_digest',
        scopePath: officer.scopePath,
        today,
        summary: summarisePortfolio(standings),
        visits: await visitCandidates(deps.db, standings),
        pendingApplications: await countPendingReviewsFor(deps.db, officer),
        brokenPromises: await countUnkeptPromisesJudged(deps.db, officer.scopePath, bangkokInstant(addDays(today, -7)), bangkokInstant(today)),
      },
      urgency: 10,
      notBefore: at,
      expiresAt: bangkokInstant(addDays(week, 7)),
      contactWindow: 'anytime',
    });
  }
  return outbox;
}

/** Slips waiting in each officer's area, on working days (not weekends or public holidays), once a day each. */
async function planSlipNotices(deps: OfficerNotificationDeps, officers: OfficerProfile[], at: Date): Promise<OutboxMessageInput[]> {
  const today = bangkokDate(at);
  if (isRestDay(today, await holidaysBetween(deps.db, today, today))) return [];
  const keyOf = (officer: OfficerProfile) => `slips:${today}:officer:${officer.id}`;
  const told = await existingDedupeKeys(deps.db, officers.map(keyOf));
  const waitingByScope = new Map<string, { count: number; oldestReceivedAt: Date | null }>();
  const outbox: OutboxMessageInput[] = [];
  for (const officer of officers.filter((o) => !told.has(keyOf(o)))) {
    // Tambon and district officers see their whole area (no mentor's list), so officers of one area share a count.
    const scopePath = officer.scopePath!;
    let waiting = waitingByScope.get(scopePath);
    if (!waiting) {
      waiting = await pendingSlipsForViewer(deps.db, { officerId: officer.id, role: officer.role, scopePath });
      waitingByScope.set(scopePath, waiting);
    }
    if (waiting.count === 0 || !waiting.oldestReceivedAt) continue;
    outbox.push({
      dedupeKey: keyOf(officer),
      kind: 'slips_waiting',
      recipient: { type: 'officer', officerId: officer.id },
      notification: { kind: 'slips_waiting', count: waiting.count, oldestReceivedAt: waiting.oldestReceivedAt.toISOString() },
      urgency: 8,
      notBefore: at,
      expiresAt: bangkokInstant(addDays(today, 1)),
      contactWindow: 'anytime',
    });
  }
  return outbox;
}

export async function planOfficerNotifications(deps: OfficerNotificationDeps, at: Date): Promise<OfficerPlanSummary> {
  const today = bangkokDate(at);
  const officers = await linkedFollowingOfficers(deps.db, AREA_ROLES);
  const outbox: OutboxMessageInput[] = [];
  const summary: OfficerPlanSummary = { digests: 0, forumReminders: 0, reportReminders: 0, quarterlyDrafts: 0, deadlineAlerts: 0, slipNotices: 0, newlyQueued: 0 };

  // Weekly digest, from the configured weekday on (a missed run catches up later in the week).
  const isoWeekday = ((weekdayOf(today) + 6) % 7) + 1;
  if (isoWeekday >= deps.digestWeekday) {
    const digests = await planDigests(deps, officers, at);
    outbox.push(...digests);
    summary.digests += digests.length;
  }

  // A borrower who sent her slip waits for it to be checked (her overdue reminders are held for 7 days meanwhile):
  // tambon and district officers whose area has some hear it once a working day (My work shows it any time).
  const slipNotices = await planSlipNotices(deps, officers.filter((o) => (o.role === 'tambon' || o.role === 'district') && o.scopePath !== null), at);
  outbox.push(...slipNotices);
  summary.slipNotices += slipNotices.length;

  // The monthly debtor forum (5 ท.), at least once a month: tambon and district officers.
  if (Number(today.slice(8, 10)) >= deps.forumReminderDay) {
    const month = today.slice(0, 7);
    const recipients = officers.filter((o) => o.role === 'tambon' || o.role === 'district');
    outbox.push(
      ...toOfficers(recipients, { kind: 'forum_reminder', month }, {
        keyPrefix: `forum:${month}`, kind: 'forum_reminder', at, urgency: 5, expiresAt: bangkokInstant(addDays(`${month}-01`, 31)),
      }),
    );
    summary.forumReminders += recipients.length;
  }

  // The quarterly report on the 5th of December, March, June and September: 7 days and 1 day before.
  // Each level is told its own part: the tambon reports its action plan to the district, which reports up in turn.
  for (const due of reportRemindersDue(today)) {
    for (const level of ['tambon', 'district', 'province'] as const) {
      const recipients = officers.filter((o) => o.role === level);
      outbox.push(
        ...toOfficers(recipients, { kind: 'report_reminder', reportDate: due.reportDate, daysLeft: due.daysLeft, level }, {
          keyPrefix: `report:${due.reportDate}:${due.daysBefore}`, kind: 'report_reminder', at, urgency: 20, expiresAt: bangkokInstant(addDays(due.reportDate, 1)),
        }),
      );
      summary.reportReminders += recipients.length;
    }
  }

  // The quarter's report, drafted on the 1st of the quarter-end month (caught up until the 5th) for tambon, district
  // and province officers, each for their own area. The dedupe key makes it once per officer per quarter however many
  // replicas plan it; officers already served are skipped before the figures are worked out.
  const draftDue = quarterDraftDue(today, REPORT_DAY_OF_MONTH);
  if (draftDue) {
    const recipients = officers.filter((o) => o.role === 'tambon' || o.role === 'district' || o.role === 'province');
    const keyOf = (officer: OfficerProfile) => `quarterly-draft:${draftDue.quarter.key}:officer:${officer.id}`;
    const done = await existingDedupeKeys(deps.db, recipients.map(keyOf));
    const draftsByScope = new Map<string, Awaited<ReturnType<typeof quarterlyDraftOf>>>();
    const reportDate = `${today.slice(0, 7)}-${String(REPORT_DAY_OF_MONTH).padStart(2, '0')}`;
    for (const officer of recipients) {
      if (done.has(keyOf(officer))) continue;
      const scopeKey = officer.scopePath ?? '*';
      let draft = draftsByScope.get(scopeKey);
      if (!draft) {
        draft = await quarterlyDraftOf(deps.db, officer.scopePath, draftDue.asOf, reportDate, at);
        draftsByScope.set(scopeKey, draft);
      }
      outbox.push({
        dedupeKey: keyOf(officer),
        kind: 'quarterly_draft',
        recipient: { type: 'officer', officerId: officer.id },
        notification: { kind: 'quarterly_draft', draft },
        urgency: 15,
        notBefore: at,
        expiresAt: bangkokInstant(addDays(reportDate, 1)),
        contactWindow: 'anytime',
      });
      summary.quarterlyDrafts += 1;
    }
  }

  summary.newlyQueued = await enqueueOutboxMessages(deps.db, outbox);
  return summary;
}
