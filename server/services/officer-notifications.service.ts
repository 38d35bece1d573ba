// Plans officer notifications into the outbox, each scoped to the officer's own area: the weekly digest,
// the monthly debtor-forum reminder and the quarterly report reminders. (Relief-application deadline alerts are
// the workflow's own: enrollment-deadlines.service.ts, run by the same job.)
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OfficerRole } from '../db/schema.ts';
import { bangkokDate, bangkokInstant, addDays, formatThaiDate, weekdayOf } from '../domain/local-date.ts';
import { reportRemindersDue, weekStart } from '../domain/officer-calendar.ts';
import { summarisePortfolio } from '../domain/debtor-status.ts';
import type { OfficerProfile } from '../db/repos/officers.repo.ts';
import { digestMessage, type VisitCandidate } from '../line/flex/digest.flex.ts';
import { debtorStandingsInScope, type DebtorStanding } from './portfolio.service.ts';
import { enqueueOutboxMessages, type OutboxMessageInput } from './outbox.service.ts';

export interface OfficerNotificationDeps {
  db: Kysely<Database>;
  /** ISO weekday of the weekly digest (1 = Monday). */
  digestWeekday: number;
  /** Day of the month from which the monthly forum reminder goes out. */
  forumReminderDay: number;
  /** Applications waiting for this officer's decision (from the relief-application workflow). */
  pendingApplicationsFor?: (officer: OfficerProfile) => Promise<number>;
}

export interface OfficerPlanSummary {
  digests: number;
  forumReminders: number;
  reportReminders: number;
  /** Filled in by the job, from the relief-application workflow. */
  deadlineAlerts: number;
  newlyQueued: number;
}

const VISIT_LIST_LENGTH = 5;
const AREA_ROLES: OfficerRole[] = ['tambon', 'district', 'province', 'department'];

async function linkedOfficers(db: Kysely<Database>): Promise<OfficerProfile[]> {
  return db
    .selectFrom('officers as o')
    .innerJoin('line_links as k', 'k.officer_id', 'o.id')
    .innerJoin('line_users as u', 'u.line_user_id', 'k.line_user_id')
    .leftJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.id', 'o.full_name as fullName', 'o.phone', 'o.role', 'o.area_id as areaId', 'a.path as scopePath', 'a.name as areaName'])
    .where('o.active', '=', true)
    .where('u.following', '=', true)
    .where('o.role', 'in', AREA_ROLES)
    .orderBy('o.id')
    .execute();
}

async function visitCandidates(db: Kysely<Database>, standings: DebtorStanding[]): Promise<VisitCandidate[]> {
  // Most in need of a home visit: furthest behind, then the largest overdue amount (not those already in court).
  const top = standings
    .filter((s) => s.status === 'defaulted')
    .sort((a, b) => b.daysPastDue - a.daysPastDue || b.overdue - a.overdue)
    .slice(0, VISIT_LIST_LENGTH);
  if (top.length === 0) return [];
  const rows = await db
    .selectFrom('borrowers as b')
    .innerJoin('areas as a', 'a.id', 'b.area_id')
    .select(['b.id', 'b.full_name', 'a.path'])
    .where('b.id', 'in', top.map((s) => s.borrowerId))
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return top.map((s) => ({ fullName: byId.get(s.borrowerId)?.full_name ?? '', areaPath: byId.get(s.borrowerId)?.path ?? '', daysPastDue: s.daysPastDue, overdue: s.overdue }));
}

/**
 * Identical texts to many officers go out as multicasts of at most 500. The batch key names the text itself,
 * so officers planned on another day (with other words) never join a batch whose text is not theirs.
 */
function batched(
  keyPrefix: string,
  text: string,
  officers: OfficerProfile[],
  build: (officer: OfficerProfile, batchKey: string) => OutboxMessageInput,
): OutboxMessageInput[] {
  const textHash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return officers.map((officer, index) => build(officer, `${keyPrefix}:${textHash}:${Math.floor(index / 500)}`));
}

export async function planOfficerNotifications(deps: OfficerNotificationDeps, at: Date): Promise<OfficerPlanSummary> {
  const { db } = deps;
  const today = bangkokDate(at);
  const officers = await linkedOfficers(db);
  const outbox: OutboxMessageInput[] = [];
  const summary: OfficerPlanSummary = { digests: 0, forumReminders: 0, reportReminders: 0, deadlineAlerts: 0, newlyQueued: 0 };
  const officerMessage = (officer: OfficerProfile, dedupeKey: string, kind: string, text: string, extra: Partial<OutboxMessageInput> = {}): OutboxMessageInput => ({
    dedupeKey,
    kind,
    recipient: { type: 'officer', officerId: officer.id },
    messages: [{ type: 'text', text }],
    notBefore: at,
    contactWindow: 'anytime',
    ...extra,
  });

  // Weekly digest, from the configured weekday on (a missed run catches up later in the week).
  const isoWeekday = ((weekdayOf(today) + 6) % 7) + 1;
  if (isoWeekday >= deps.digestWeekday) {
    const week = weekStart(today);
    const standingsByScope = new Map<string, DebtorStanding[]>();
    for (const officer of officers) {
      const scopeKey = officer.scopePath ?? '*';
      let standings = standingsByScope.get(scopeKey);
      if (!standings) {
        standings = await debtorStandingsInScope(db, officer.scopePath, today);
        standingsByScope.set(scopeKey, standings);
      }
      const pending = (await deps.pendingApplicationsFor?.(officer)) ?? 0;
      const visits = await visitCandidates(db, standings);
      outbox.push({
        dedupeKey: `digest:${week}:officer:${officer.id}`,
        kind: 'officer_digest',
        recipient: { type: 'officer', officerId: officer.id },
        messages: [digestMessage({ officer, today, summary: summarisePortfolio(standings), visits, pendingApplications: pending })],
        urgency: 10,
        notBefore: at,
        expiresAt: bangkokInstant(addDays(week, 7)),
        contactWindow: 'anytime',
      });
      summary.digests += 1;
    }
  }

  // The monthly debtor forum (5 ท.), at least once a month: tambon and district officers.
  if (Number(today.slice(8, 10)) >= deps.forumReminderDay) {
    const month = today.slice(0, 7);
    const forumText =
      `📣 เดือนนี้อย่าลืมจัดเวทีพบปะลูกหนี้ (กระบวนการ 5 ท.) อย่างน้อย 1 ครั้งค่ะ\n` +
      'ร่วมกับกลไกในพื้นที่ วิเคราะห์ปัญหาและข้อจำกัดของลูกหนี้ แนะนำมาตรการ "พักหนี้ไม่พักจ่าย" และส่งเสริมการออมและอาชีพเสริม';
    const recipients = officers.filter((o) => o.role === 'tambon' || o.role === 'district');
    outbox.push(
      ...batched(`forum:${month}`, forumText, recipients, (officer, batchKey) =>
        officerMessage(officer, `forum:${month}:officer:${officer.id}`, 'forum_reminder', forumText, {
          batchKey,
          urgency: 5,
          expiresAt: bangkokInstant(addDays(`${month}-01`, 31)),
        }),
      ),
    );
    summary.forumReminders += recipients.length;
  }

  // The quarterly report on the 5th of December, March, June and September: 7 days and 1 day before.
  for (const due of reportRemindersDue(today)) {
    const text =
      `🗓️ ใกล้ถึงกำหนดรายงานผลการดำเนินงานรายไตรมาส\nรายงานภายในวันที่ ${formatThaiDate(due.reportDate, 'long')}` +
      `${due.daysLeft > 0 ? ` (อีก ${due.daysLeft} วัน)` : ' (วันนี้)'}\nแผนปฏิบัติการขับเคลื่อนงานระดับตำบล รายงานผลผู้บังคับบัญชาตามลำดับค่ะ`;
    const recipients = officers.filter((o) => o.role === 'tambon' || o.role === 'district' || o.role === 'province');
    outbox.push(
      ...batched(`report:${due.reportDate}:${due.daysBefore}`, text, recipients, (officer, batchKey) =>
        officerMessage(officer, `report:${due.reportDate}:${due.daysBefore}:officer:${officer.id}`, 'report_reminder', text, {
          batchKey,
          urgency: 20,
          expiresAt: bangkokInstant(addDays(due.reportDate, 1)),
        }),
      ),
    );
    summary.reportReminders += recipients.length;
  }

  summary.newlyQueued = await enqueueOutboxMessages(db, outbox);
  return summary;
}
