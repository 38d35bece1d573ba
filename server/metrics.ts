// What to watch, in Prometheus format (prom-client: the registry, histograms and text format everyone's
// scrapers expect). One registry per process: every replica is scraped on its own and Prometheus sums them.
// Queue depths are read from Postgres at scrape time, so any replica reports the whole system's backlog.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobSummary } from './services/job-runner.service.ts';

export interface QueueSnapshot {
  inboxPending: number;
  inboxOldestPendingAt: Date | null;
  inboxFailed: number;
  outboxPending: number;
  outboxDead: number;
}

export interface MetricsDeps {
  /** Read at each scrape. */
  queues: () => Promise<QueueSnapshot>;
  now?: () => Date;
}

const DISPATCH_OUTCOMES = ['sent', 'duplicate', 'retried', 'dead', 'cancelled', 'deferredOutsideHours', 'deferredDailyLimit', 'heldBlocked', 'heldQuota', 'heldTokenRefused'] as const;
const DISPATCH_OUTCOME_LABEL: Record<(typeof DISPATCH_OUTCOMES)[number], string> = {
  sent: 'sent',
  duplicate: 'duplicate',
  retried: 'retried',
  dead: 'dead',
  cancelled: 'cancelled',
  deferredOutsideHours: 'deferred_outside_hours',
  deferredDailyLimit: 'deferred_daily_limit',
  heldBlocked: 'held_blocked',
  heldQuota: 'held_quota',
  heldTokenRefused: 'held_token_refused',
};

export function createMetrics(deps: MetricsDeps) {
  const now = deps.now ?? (() => new Date());
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wdf_' });

  const webhookSeconds = new Histogram({
    name: 'wdf_webhook_request_duration_seconds',
    help: 'Time to answer LINE\'s webhook request (events are stored, then acknowledged).',
    labelNames: ['status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'wdf_job_runs_total',
    help: 'Scheduled and manual job runs, by job and outcome.',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'wdf_job_duration_seconds',
    help: 'How long each job run took.',
    labelNames: ['job'] as const,
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const dispatched = new Counter({
    name: 'wdf_dispatch_messages_total',
    help: 'Outbox messages handled by dispatch runs in this process, by outcome (rate() gives the dispatch rate).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const linkAttempts = new Counter({
    name: 'wdf_link_code_attempts_total',
    help: 'Link codes sent in chat or the mini-app, by outcome (wrong: no such code; throttled: refused unchecked).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const lastJobSuccess = new Gauge({
    name: 'wdf_job_last_success_timestamp_seconds',
    help: 'When each job last finished without error in this process (Unix seconds).',
    labelNames: ['job'] as const,
    registers: [registry],
  });

  // One database round trip per scrape, shared by the gauges below. If the database cannot be reached the scrape
  // still answers: wdf_database_up says so and the queue gauges keep their last known values.
  let snapshot: Promise<QueueSnapshot | undefined> = Promise.resolve(undefined);
  const databaseUp = new Gauge({ name: 'wdf_database_up', help: '1 when the last scrape could read the queues from the database.', registers: [registry] });
  const queueGauge = (name: string, help: string, read: (q: QueueSnapshot) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const queues = await snapshot;
        if (queues) this.set(read(queues));
      },
    });
  queueGauge('wdf_inbox_pending_events', 'Webhook events stored but not handled yet (the inbox backlog).', (q) => q.inboxPending);
  queueGauge('wdf_inbox_oldest_pending_age_seconds', 'Age of the oldest unhandled webhook event (0 when none waits).', (q) =>
    q.inboxOldestPendingAt ? Math.max(0, (now().getTime() - q.inboxOldestPendingAt.getTime()) / 1000) : 0,
  );
  queueGauge('wdf_inbox_failed_events', 'Webhook events given up on after repeated failures (poison events).', (q) => q.inboxFailed);
  queueGauge('wdf_outbox_pending_messages', 'Messages waiting to be sent to LINE.', (q) => q.outboxPending);
  queueGauge('wdf_outbox_dead_messages', 'Messages given up on (LINE refused them or retries ran out).', (q) => q.outboxDead);

  return {
    contentType: registry.contentType,
    async render(): Promise<string> {
      snapshot = deps.queues().then(
        (queues) => (databaseUp.set(1), queues),
        () => (databaseUp.set(0), undefined),
      );
      await snapshot;
      return registry.metrics();
    },
    observeWebhook(statusCode: number, seconds: number) {
      webhookSeconds.observe({ status: String(statusCode) }, seconds);
    },
    /** Each throttle holds one LINE account to 5 wrong codes in 15 minutes; many accounts guessing show only here. */
    observeLinkAttempt(outcome: string) {
      linkAttempts.inc({ outcome });
    },
    observeJobRun(summary: JobSummary, seconds: number, failed: boolean) {
      // A run LINE refused sent nothing: not a success, so "no success for a day" fires too.
      const refused = summary.dispatched?.lineRefusedToken !== undefined;
      jobRuns.inc({ job: summary.job, outcome: failed ? 'failed' : refused ? 'line_refused' : 'ok' });
      jobSeconds.observe({ job: summary.job }, seconds);
      if (!failed && !refused) lastJobSuccess.set({ job: summary.job }, Date.now() / 1000);
      const dispatch = summary.dispatched;
      if (dispatch) for (const outcome of DISPATCH_OUTCOMES) if (dispatch[outcome] > 0) dispatched.inc({ outcome: DISPATCH_OUTCOME_LABEL[outcome] }, dispatch[outcome]);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
