// Runs one job once: plan what is due at `at`, then (optionally) dispatch. Used by the schedules, the CLI
// (`jobs run NAME --at …`) and the simulator's "run now" buttons. The names are a contract other tools use.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock, Messenger } from '../services/ports.ts';
import type { OfficerNotificationDeps } from '../services/officer-notifications.service.ts';
import { planBorrowerReminders, type PlanSummary } from '../services/borrower-reminders.service.ts';
import { planOfficerNotifications, type OfficerPlanSummary } from '../services/officer-notifications.service.ts';
import { dispatchDueMessages, realTimer, type DispatchSummary, type Timer } from '../services/dispatcher.service.ts';
import { loadReminderPolicy } from '../content/reminder-policy.ts';
import { remindOverdueEnrollmentDeadlines } from '../services/enrollment-deadlines.service.ts';

export const JOB_NAMES = ['borrower-reminders', 'officer-digest', 'dispatch'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

export interface JobSummary {
  job: JobName;
  at: string;
  planned?: PlanSummary | OfficerPlanSummary;
  dispatched?: DispatchSummary;
}

export interface RunJobOptions {
  /** Send what is due after planning (the CLI does; the schedules leave it to the dispatch schedule). */
  dispatch: boolean;
  /** How long dispatch keeps waiting for retries that fall due. */
  patienceMs?: number;
  budgetMs?: number;
  timer?: Timer;
}

/** What a job needs; the running app's context has all of it. Without a messenger, jobs only plan. */
export interface JobDeps {
  config: AppConfig;
  db: Kysely<Database>;
  database: { kind: 'postgres' | 'pglite' };
  clock: Clock;
  log: Logger;
  liffUrl: string;
  messenger?: Messenger;
  officerNotificationHooks: Pick<OfficerNotificationDeps, 'pendingApplicationsFor'>;
}

export async function runJob(context: JobDeps, name: JobName, at: Date, options: RunJobOptions): Promise<JobSummary> {
  const policy = loadReminderPolicy();
  const summary: JobSummary = { job: name, at: at.toISOString() };
  if (name === 'borrower-reminders') {
    summary.planned = await planBorrowerReminders({ db: context.db, policy, liffUrl: context.liffUrl }, at);
  } else if (name === 'officer-digest') {
    const planned = await planOfficerNotifications(
      {
        db: context.db,
        digestWeekday: context.config.digestWeekday,
        forumReminderDay: context.config.forumReminderDay,
        ...context.officerNotificationHooks,
      },
      at,
    );
    const deadlineAlerts = await remindOverdueEnrollmentDeadlines({ db: context.db, liffUrl: context.liffUrl }, at);
    summary.planned = { ...planned, deadlineAlerts: deadlineAlerts.planned, newlyQueued: planned.newlyQueued + deadlineAlerts.newlyQueued };
  }
  if ((name === 'dispatch' || options.dispatch) && context.messenger) {
    summary.dispatched = await dispatchDueMessages(
      {
        db: context.db,
        databaseKind: context.database.kind,
        messenger: context.messenger,
        clock: context.clock,
        timer: options.timer ?? realTimer,
        log: context.log.child({ area: 'dispatch' }),
        policy,
        ratePerSecond: context.config.dispatchRatePerSecond,
      },
      { patienceMs: options.patienceMs, budgetMs: options.budgetMs },
    );
  }
  return summary;
}

/** One line per job for humans and logs. */
export function describeJobSummary(summary: JobSummary): string {
  const parts = [`${summary.job} at ${summary.at}`];
  const planned = summary.planned;
  if (planned && 'considered' in planned) {
    const byKind = Object.entries(planned.planned).map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none';
    parts.push(`planned for ${planned.considered} borrowers: ${byKind}; newly queued ${planned.newlyQueued}`);
  } else if (planned) {
    parts.push(
      `planned digests ${planned.digests}, forum reminders ${planned.forumReminders}, report reminders ${planned.reportReminders}, ` +
        `deadline alerts ${planned.deadlineAlerts}; newly queued ${planned.newlyQueued}`,
    );
  }
  const d = summary.dispatched;
  if (d?.skipped) parts.push(`dispatch skipped: ${d.skipped}`);
  else if (d) {
    parts.push(
      `dispatched: sent ${d.sent}, duplicate ${d.duplicate} (multicast calls ${d.multicastCalls}), retried ${d.retried}, dead ${d.dead}, ` +
        `cancelled ${d.cancelled}, deferred outside contact hours ${d.deferredOutsideHours}, deferred (one a day) ${d.deferredDailyLimit}, ` +
        `held blocked ${d.heldBlocked}, held for quota ${d.heldQuota} in ${(d.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  return parts.join(' | ');
}
