// Several replicas against one PostgreSQL behave like one: three `jobs run` processes at once plan and
// send each reminder exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { runCli } from '../support/cli.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
let t: TestApp;
const users: string[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  const rows = Array.from({ length: 30 }, (_, i) => ({ contract_no: `REP-${i}`, full_name: `ผู้กู้ ${i}`, first_due_on: '2026-11-26' }));
  await t.importLoans(rows);
  for (let i = 0; i < 30; i++) users.push(await t.linkBorrower(`REP-${i}`, `ผู้กู้ ${i}`));
});
afterAll(async () => {
  await t?.close();
});

describe.runIf(onPostgres)('three processes at once', () => {
  it('plan and send each reminder exactly once', async () => {
    const env = {
      DATABASE_URL: t.database.url!,
      DATA_ENCRYPTION_KEY: t.context.config.dataEncryptionKey!.toString('base64'),
      ...t.lineEnv,
    };
    const at = '2026-11-23T10:00:00+07:00';
    const runs = await Promise.all([1, 2, 3].map(() => runCli(['jobs', 'run', 'borrower-reminders', '--at', at], env)));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.lastLine).toMatch(/^borrower-reminders at 2026-11-23T03:00:00.000Z \| planned for 30 borrowers: due_soon 30/);
    }
    const newlyQueued = runs.map((run) => Number(/newly queued (\d+)/.exec(run.lastLine)?.[1]));
    expect(newlyQueued.reduce((a, b) => a + b, 0)).toBe(30);
    for (const user of users) expect(t.fake.messagesTo(user)).toHaveLength(1);
    const rows = await t.context.db.selectFrom('outbound_messages').select(['status']).execute();
    expect(rows).toHaveLength(30);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
  });
});
