// Runs one job once: plan what is due at `at`, then (optionally) dispatch. Used by the schedules, the CLI
// (`jobs run NAME --at …`) and the simulator's "run now" buttons. The names are a contract other tools use.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { claimJobSlot, finishJobSlot } from '../db/repos/job-runs.repo.ts';
import type { ReminderPolicy } from '../content/reminder-policy.ts';
import type { Clock, Messenger } from './ports.ts';
import { planBorrowerReminders, type PlanSummary } from './borrower-reminders.service.ts';
import { planOfficerNotifications, type OfficerPlanSummary } from './officer-notifications.service.ts';
import { dispatchDueMessages, realTimer, type DispatchSummary, type Timer } from './dispatcher.service.ts';
import { remindOverdueEnrollmentDeadlines, tellAdminsAboutUncoveredAreas } from './enrollment-deadlines.service.ts';
import { judgeDuePromises } from './payment-promises.service.ts';
import { applyRetention, type RetentionSummary } from './retention.service.ts';
import { retryThroughOutage } from './database-outage.ts';
import { planCentreRoundNotices } from './centre-selection.service.ts';

const DEFAULT_OUTAGE_PATIENCE_MS = 60_000;

export const JOB_NAMES = ['borrower-reminders', 'officer-digest', 'dispatch', 'retention'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

export interface JobSummary {
  job: JobName;
  at: string;
  planned?: PlanSummary | OfficerPlanSummary;
  /** Promises to pay whose day has passed, judged by the hourly borrower-reminders run. */
  promises?: { judged: number; kept: number; partlyKept: number; broken: number };
  dispatched?: DispatchSummary;
  retention?: RetentionSummary;
}

export interface RunJobOptions {
  /** Send what is due after planning (the CLI does; the schedules leave it to the dispatch schedule). */
  dispatch: boolean;
  /** How long dispatch keeps waiting for retries that fall due. */
  patienceMs?: number;
  budgetMs?: number;
  timer?: Timer;
  /**
   * How long the job waits out a database outage (restart, fail-over) before it fails: planning is repeated
   * (it is idempotent), dispatch goes on where it was. Default one minute.
   */
  outagePatienceMs?: number;
}

export interface JobRunnerDeps {
  db: Kysely<Database>;
  databaseKind: 'postgres' | 'pglite';
  clock: Clock;
  log: Logger;
  policy: ReminderPolicy;
  /** Without a messenger (the CLI with no LINE settings) jobs only plan; the server sends. */
  messenger: Messenger | undefined;
  dispatchRatePerSecond: number;
  digestWeekday: number;
  forumReminderDay: number;
  /** Days after a promised date that payments still count (PROMISE_GRACE_DAYS). */
  promiseGraceDays?: number;
  retentionYears: number;
  /** Told about every run (metrics). */
  onRun?: (summary: JobSummary, seconds: number, failed: boolean) => void;
}

export function createJobRunner(deps: JobRunnerDeps) {
  const log = deps.log.child({ area: 'jobs' });

  async function plan(name: JobName, at: Date): Promise<JobSummary['planned']> {
    if (name === 'borrower-reminders') return planBorrowerReminders({ db: deps.db, policy: deps.policy }, at);
    if (name === 'officer-digest') {
      const planned = await planOfficerNotifications({ db: deps.db, digestWeekday: deps.digestWeekday, forumReminderDay: deps.forumReminderDay }, at);
      const deadlineAlerts = await remindOverdueEnrollmentDeadlines(deps.db, at);
      const coverage = await tellAdminsAboutUncoveredAreas(deps.db, at);
      // Model-centre selection rounds: close those past their deadline, remind districts 7 days and 1 day before.
      const centres = await planCentreRoundNotices(deps.db, at);
      return {
        ...planned,
        deadlineAlerts: deadlineAlerts.planned,
        centreRoundReminders: centres.reminders,
        centreRoundsClosed: centres.closed,
        newlyQueued: planned.newlyQueued + deadlineAlerts.newlyQueued + coverage + centres.newlyQueued,
      };
    }
    return undefined;
  }

  async function run(name: JobName, at: Date, options: RunJobOptions): Promise<JobSummary> {
    const started = performance.now();
    try {
      const summary = await runOnce(name, at, options);
      deps.onRun?.(summary, (performance.now() - started) / 1000, false);
      return summary;
    } catch (error) {
      // Told even when `at` itself was the problem (an invalid date must not hide the failure from the metrics).
      deps.onRun?.({ job: name, at: Number.isNaN(at.getTime()) ? 'invalid' : at.toISOString() }, (performance.now() - started) / 1000, true);
      throw error;
    }
  }

  async function runOnce(name: JobName, at: Date, options: RunJobOptions): Promise<JobSummary> {
    const summary: JobSummary = { job: name, at: at.toISOString() };
    const outagePatienceMs = options.outagePatienceMs ?? DEFAULT_OUTAGE_PATIENCE_MS;
    if (name === 'retention') {
      // Each anonymisation is its own transaction and re-checks what is due: repeating after an outage is safe.
      summary.retention = await retryThroughOutage(() => applyRetention({ db: deps.db }, at, deps.retentionYears), { log, what: 'retention', patienceMs: outagePatienceMs });
      return summary;
    }
    // Planning writes each message under its unique key: repeating it after an outage plans nothing twice.
    const planned = await retryThroughOutage(() => plan(name, at), { log, what: `${name} planning`, patienceMs: outagePatienceMs });
    if (planned) summary.planned = planned;
    if (name === 'borrower-reminders') {
      // Judging moves each open promise once, in its own transaction: repeating after an outage judges nothing twice.
      summary.promises = await retryThroughOutage(() => judgeDuePromises(deps.db, at, deps.promiseGraceDays ?? 0), {
        log,
        what: 'promise judgement',
        patienceMs: outagePatienceMs,
      });
    }
    if ((name === 'dispatch' || options.dispatch) && deps.messenger) {
      summary.dispatched = await dispatchDueMessages(
        {
          db: deps.db,
          databaseKind: deps.databaseKind,
          messenger: deps.messenger,
          clock: deps.clock,
          timer: options.timer ?? realTimer,
          log: deps.log.child({ area: 'dispatch' }),
          policy: deps.policy,
          ratePerSecond: deps.dispatchRatePerSecond,
        },
        { patienceMs: options.patienceMs, budgetMs: options.budgetMs, outagePatienceMs },
      );
    }
    return summary;
  }

  return {
    run,
    /** Runs the job as of this process's clock. */
    runNow: (name: JobName, options: RunJobOptions) => run(name, deps.clock.now(), options),
    /** Whether this process can send (it has a messenger) or only plan. */
    canDispatch: deps.messenger !== undefined,
    /**
     * A scheduled slot (e.g. the 08:30 digest): it runs on the replica that records the slot first; the others
     * skip it. Undefined when another replica has it.
     */
    async runSlot(name: JobName, slot: string, options: RunJobOptions): Promise<JobSummary | undefined> {
      const patienceMs = options.outagePatienceMs ?? DEFAULT_OUTAGE_PATIENCE_MS;
      if (!(await retryThroughOutage(() => claimJobSlot(deps.db, name, slot), { log, what: `${name} slot`, patienceMs }))) return undefined;
      const summary = await run(name, deps.clock.now(), options);
      await retryThroughOutage(() => finishJobSlot(deps.db, name, slot, summary as unknown as Record<string, unknown>), { log, what: `${name} slot`, patienceMs });
      return summary;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

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
        `deadline alerts ${planned.deadlineAlerts}${planned.quarterlyDrafts ? `, quarterly drafts ${planned.quarterlyDrafts}` : ''}, ` +
        `centre round reminders ${planned.centreRoundReminders ?? 0} (rounds closed ${planned.centreRoundsClosed ?? 0}); newly queued ${planned.newlyQueued}`,
    );
  }
  if (planned && 'slipNotices' in planned && planned.slipNotices > 0) parts.push(`slip notices ${planned.slipNotices}`);
  if (summary.promises?.judged) {
    const p = summary.promises;
    parts.push(`promises judged ${p.judged}: kept ${p.kept}, partly kept ${p.partlyKept}, broken ${p.broken}`);
  }
  if (summary.retention) {
    const r = summary.retention;
    parts.push(`anonymised ${r.anonymised} borrowers whose loans closed before ${r.cutoff}; purged ${r.webhookEvents} webhook events, ${r.linkAttempts} link attempts`);
  }
  const d = summary.dispatched;
  if (d?.skipped) parts.push(`dispatch skipped: ${d.skipped}`);
  else if (d) {
    parts.push(
      `dispatched: sent ${d.sent}, duplicate ${d.duplicate} (multicast calls ${d.multicastCalls}), retried ${d.retried}, dead ${d.dead}, ` +
        `cancelled ${d.cancelled}, deferred outside hours ${d.deferredOutsideHours}, deferred (one a day) ${d.deferredDailyLimit}, ` +
        `held blocked ${d.heldBlocked}, held for quota ${d.heldQuota} in ${(d.elapsedMs / 1000).toFixed(1)} s`,
    );
    // Added after the line above, which other tools read, and only when it happened.
    if (d.lineRefusedToken !== undefined) parts.push(`LINE refused the channel access token (HTTP ${d.lineRefusedToken}): ${d.heldTokenRefused} held, the rest not tried`);
  }
  return parts.join(' | ');
}
