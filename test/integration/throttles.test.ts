// Throttles hold under concurrency (issue 12, defect 5): parallel wrong link codes from one LINE user, parallel
// uploads, parallel redemptions of one right code. Each is checked against what the README promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { LINK_CODE_MAX_FAILURES } from '../../server/domain/link-code.ts';
import { call, idTokenFor, JPEG_BYTES } from './liff-support.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await t.importLoans([
    { contract_no: 'TH-001', full_name: 'ทดสอบ หนึ่ง' },
    { contract_no: 'TH-002', full_name: 'ทดสอบ สอง' },
    { contract_no: 'TH-003', full_name: 'ทดสอบ สาม' },
  ]);
});
afterAll(async () => {
  await t?.close();
});

const wrongCode = (i: number) => String(90_000_000 + i);

describe('link-code throttle under parallel guessing', () => {
  it('checks at most five of 30 wrong codes sent at once through the mini-app; the rest are throttled', async () => {
    const guesser = fakeLineUserId('parallel-guesser-liff');
    const token = idTokenFor(t, guesser);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(t, 'POST', '/api/liff/link', { token, body: { code: wrongCode(i) } })),
    );
    const checked = answers.filter((a) => a.status === 400);
    const throttled = answers.filter((a) => a.status === 429);
    expect(checked).toHaveLength(LINK_CODE_MAX_FAILURES);
    expect(throttled).toHaveLength(30 - LINK_CODE_MAX_FAILURES);
    expect(throttled[0]!.body).toMatchObject({ code: 'THROTTLED' });
    // The right code is refused too while the user is throttled.
    const { code } = await t.context.services.linking.issueBorrowerCode({ contractNo: 'TH-001' }, { actor: 'test', at: t.clock.now() });
    expect((await call(t, 'POST', '/api/liff/link', { token, body: { code } })).status).toBe(429);
  });

  it('checks at most five of 30 wrong codes sent at once in chat (any replica, any order)', async () => {
    const guesser = fakeLineUserId('parallel-guesser-chat');
    // Straight to the service, all at once: the inbox would hand one chat's events over one by one.
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => t.context.services.linking.redeem(guesser, wrongCode(100 + i), t.clock.now())));
    expect(outcomes.filter((o) => o.outcome === 'wrong')).toHaveLength(LINK_CODE_MAX_FAILURES);
    expect(outcomes.filter((o) => o.outcome === 'throttled')).toHaveLength(30 - LINK_CODE_MAX_FAILURES);
  });

  it('links exactly one of 30 LINE users sending the same right code at once', async () => {
    const { code } = await t.context.services.linking.issueBorrowerCode({ contractNo: 'TH-002' }, { actor: 'test', at: t.clock.now() });
    const users = Array.from({ length: 30 }, (_, i) => fakeLineUserId(`racer-${i}`));
    const outcomes = await Promise.all(users.map((user) => t.context.services.linking.redeem(user, code, t.clock.now())));
    expect(outcomes.filter((o) => o.outcome === 'linked_borrower')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'used')).toHaveLength(29);
  });
});

describe('upload quota under parallel uploads', () => {
  it('keeps at most nine unattached uploads a day however many arrive at once', async () => {
    const borrower = await t.linkBorrower('TH-003');
    const token = idTokenFor(t, borrower);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(t, 'POST', '/api/liff/documents', { token, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(9);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(11);
  });
});
