// PDPA: national IDs never reach the logs, even when a user types one into the chat or a handler fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { validNationalId } from '../support/registry.ts';
import { createBorrowerLinkCode } from '../../server/services/linking.service.ts';

const logLines: string[] = [];
const nationalId = validNationalId(246_810);
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ logLines, databaseKind: 'pglite' });
  await t.importLoans([{ contract_no: 'PD-1', national_id: nationalId, full_name: 'ข้อมูล ส่วนตัว', phone: '0899999999' }]);
});
afterAll(async () => {
  await t?.close();
});

describe('personal data in logs', () => {
  it('keeps national IDs, names and phone numbers out of every log line', async () => {
    const user = fakeLineUserId('pdpa');
    await createBorrowerLinkCode(t.context, { nationalId }, { actor: 'test', at: t.clock.now() });
    await t.say(user, `เลขบัตรของฉันคือ ${nationalId}`);
    t.fake.failNext({ path: '/v2/bot/message/reply', status: 500 });
    await t.say(user, nationalId);
    t.context.log.info({ borrower: { nationalId, fullName: 'ข้อมูล ส่วนตัว', phone: '0899999999' } }, 'redaction check');
    const all = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(all).toContain('redaction check');
    expect(all).toContain('[redacted]');
    expect(all).not.toContain(nationalId);
    expect(all).not.toContain('ข้อมูล ส่วนตัว');
    expect(all).not.toContain('0899999999');
  });

  it('runs the whole pipeline on embedded PGlite too', async () => {
    const health = await fetch(`${t.url}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ database: { kind: 'pglite', status: 'ok' } });
  });
});
