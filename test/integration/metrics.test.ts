// GET /metrics (issue 13): scraped as Prometheus would, it exposes the named series with values that follow what
// happened — webhook latency, the inbox backlog, the outbox's pending and dead messages, dispatch outcomes, job runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { dispatchOutbox } from './liff-support.ts';

let t: TestApp;
const TOKEN = 'scrape-me-0123456789';

/** Parses the text format into "name{labels}" → value. */
async function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<Map<string, number>> {
  const response = await fetch(`${t.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const series = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

beforeAll(async () => {
  t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  await t.importLoans([{ contract_no: 'MX-1', first_due_on: '2026-08-15' }]);
});
afterAll(async () => {
  await t?.close();
});

describe('/metrics', () => {
  it('asks for the token when METRICS_TOKEN is set', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    await scrape();
  });

  it('times the webhook', async () => {
    const user = await t.linkBorrower('MX-1', 'เมตริก');
    const before = (await scrape()).get('wdf_webhook_request_duration_seconds_count{status="200"}') ?? 0;
    await t.say(user, 'ยอดหนี้');
    await t.say(user, 'สวัสดี');
    const after = await scrape();
    expect(after.get('wdf_webhook_request_duration_seconds_count{status="200"}')).toBe(before + 2);
    expect(after.get('wdf_webhook_request_duration_seconds_bucket{le="+Inf",status="200"}')).toBe(before + 2);
    expect(after.get('wdf_webhook_request_duration_seconds_sum{status="200"}')).toBeGreaterThan(0);
  });

  it('counts link codes sent, by outcome: guessing with many LINE accounts shows only here', async () => {
    const before = await scrape();
    for (const guesser of ['guess-a', 'guess-b']) await t.say(`U${guesser.padEnd(32, '0')}`, '12345678');
    const after = await scrape();
    expect(after.get('wdf_link_code_attempts_total{outcome="wrong"}')).toBe((before.get('wdf_link_code_attempts_total{outcome="wrong"}') ?? 0) + 2);
  });

  it('shows the inbox backlog and how old its oldest event is', async () => {
    expect((await scrape()).get('wdf_inbox_pending_events')).toBe(0);
    await t.context.db
      .insertInto('webhook_events')
      .values({ event_id: 'stuck-1', event_type: 'message', source_user_id: null, payload: JSON.stringify({}), received_at: new Date(Date.now() - 120_000), status: 'pending' })
      .execute();
    const series = await scrape();
    expect(series.get('wdf_inbox_pending_events')).toBe(1);
    // The metric ages by the app's clock; the test clock is fixed, so just check it is a number of seconds.
    expect(series.get('wdf_inbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    await t.context.db.deleteFrom('webhook_events').where('event_id', '=', 'stuck-1').execute();
  });

  it('counts the outbox and what dispatch did with it, and each job run', async () => {
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    const queued = await scrape();
    const pending = queued.get('wdf_outbox_pending_messages')!;
    expect(pending).toBeGreaterThan(0);
    expect(queued.get('wdf_job_runs_total{job="borrower-reminders",outcome="ok"}')).toBe(1);

    await dispatchOutbox(t);
    const sent = await scrape();
    expect(sent.get('wdf_outbox_pending_messages')).toBe(0);
    expect(sent.get('wdf_dispatch_messages_total{outcome="sent"}')).toBe(pending);
    expect(sent.get('wdf_job_runs_total{job="dispatch",outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sent.get('wdf_job_duration_seconds_count{job="dispatch"}')).toBeGreaterThanOrEqual(1);
    expect(sent.get('wdf_job_last_success_timestamp_seconds{job="dispatch"}')).toBeGreaterThan(0);

    await t.context.db.updateTable('outbound_messages').set({ status: 'dead' }).where('status', '=', 'sent').execute();
    expect((await scrape()).get('wdf_outbox_dead_messages')).toBe(pending);
  });

  it('counts failed job runs', async () => {
    const failing = t.context.services.jobs.run('borrower-reminders', new Date('invalid'), { dispatch: false });
    await expect(failing).rejects.toThrow();
    expect((await scrape()).get('wdf_job_runs_total{job="borrower-reminders",outcome="failed"}')).toBe(1);
  });

  it('has the process series and says the database is up', async () => {
    const series = await scrape();
    expect(series.get('wdf_database_up')).toBe(1);
    expect(series.get('wdf_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
