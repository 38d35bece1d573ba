// In-process schedules (node-cron, Asia/Bangkok). Several replicas may run them: a planning slot runs on the
// replica that records it first in job_runs; dispatch takes an advisory lock; planning is idempotent anyway.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { describeJobSummary, type JobName, type JobRunner } from '../services/job-runner.service.ts';

export interface SchedulerDeps {
  jobs: JobRunner;
  log: Logger;
  cron: { borrowerReminders: string; officerDigest: string; dispatch: string; retention: string };
}

export function startScheduler(deps: SchedulerDeps): { stop(): Promise<void> } {
  const { jobs } = deps;
  const log = deps.log.child({ area: 'scheduler' });
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
  };

  const planning = (job: JobName, expression: string): ScheduledTask =>
    cron.schedule(
      expression,
      ({ date }) =>
        track(
          (async () => {
            const slot = new Date(Math.floor(date.getTime() / 60_000) * 60_000).toISOString();
            const summary = await jobs.runSlot(job, slot, { dispatch: false });
            if (summary) log.info({ job, slot }, describeJobSummary(summary));
          })().catch((error: unknown) => log.error({ err: error, job }, 'scheduled job failed')),
        ),
      { timezone: 'Asia/Bangkok', name: job, noOverlap: true },
    );

  const tasks = [
    planning('borrower-reminders', deps.cron.borrowerReminders),
    planning('officer-digest', deps.cron.officerDigest),
    planning('retention', deps.cron.retention),
    cron.schedule(
      deps.cron.dispatch,
      () =>
        track(
          jobs
            .runNow('dispatch', { dispatch: true, budgetMs: 50_000 })
            .then((summary) => {
              const d = summary.dispatched;
              if (d && !d.skipped && d.sent + d.dead + d.retried + d.cancelled > 0) log.info(describeJobSummary(summary));
            })
            .catch((error: unknown) => log.error({ err: error }, 'dispatch failed')),
        ),
      { timezone: 'Asia/Bangkok', name: 'dispatch', noOverlap: true },
    ),
  ];
  log.info({ cron: deps.cron }, 'schedules started (Asia/Bangkok)');
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running]);
    },
  };
}
