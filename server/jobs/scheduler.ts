// In-process schedules (node-cron, Asia/Bangkok). Several replicas may run them: a planning slot runs on the
// replica that records it first in job_runs; dispatch takes an advisory lock; planning is idempotent anyway.
import cron, { type ScheduledTask } from 'node-cron';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { describeJobSummary, runJob, type JobName } from './job-runner.ts';

async function claimSlot(context: AppContext, job: JobName, slot: string): Promise<boolean> {
  const result = await sql<{ job_name: string }>`
    INSERT INTO job_runs (job_name, run_key) VALUES (${job}, ${slot}) ON CONFLICT DO NOTHING RETURNING job_name`.execute(context.db);
  return result.rows.length === 1;
}

export function startScheduler(context: AppContext): { stop(): Promise<void> } {
  const log = context.log.child({ area: 'scheduler' });
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
            if (!(await claimSlot(context, job, slot))) return;
            const summary = await runJob(context, job, context.clock.now(), { dispatch: false });
            await sql`UPDATE job_runs SET finished_at = now(), summary = ${JSON.stringify(summary)}::jsonb
                      WHERE job_name = ${job} AND run_key = ${slot}`.execute(context.db);
            log.info({ job, slot }, describeJobSummary(summary));
          })().catch((error: unknown) => log.error({ err: error, job }, 'scheduled job failed')),
        ),
      { timezone: 'Asia/Bangkok', name: job, noOverlap: true },
    );

  const tasks = [
    planning('borrower-reminders', context.config.cron.borrowerReminders),
    planning('officer-digest', context.config.cron.officerDigest),
    cron.schedule(
      context.config.cron.dispatch,
      () =>
        track(
          runJob(context, 'dispatch', context.clock.now(), { dispatch: true, budgetMs: 50_000 })
            .then((summary) => {
              const d = summary.dispatched;
              if (d && !d.skipped && d.sent + d.dead + d.retried + d.cancelled > 0) log.info(describeJobSummary(summary));
            })
            .catch((error: unknown) => log.error({ err: error }, 'dispatch failed')),
        ),
      { timezone: 'Asia/Bangkok', name: 'dispatch', noOverlap: true },
    ),
  ];
  log.info({ cron: context.config.cron }, 'schedules started (Asia/Bangkok)');
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running]);
    },
  };
}
