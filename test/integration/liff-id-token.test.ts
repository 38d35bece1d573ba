// The ID-token verifier against the fake LINE platform, both on one manual clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLinePlatform, fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { DomainError } from '../../server/domain/errors.ts';
import { createIdTokenVerifier, IdTokenVerificationUnavailableError } from '../../server/line/id-token-verifier.ts';
import { ManualClock } from '../support/clock.ts';

const clock = new ManualClock('2026-11-23T03:00:00Z');
let fake: FakeLinePlatform;

beforeAll(async () => {
  fake = new FakeLinePlatform({ now: () => clock.now().getTime() });
  await fake.start();
});
afterAll(async () => {
  await fake?.stop();
});

function verifier(maxEntries?: number) {
  return createIdTokenVerifier({ apiBaseUrl: fake.url, channelId: fake.loginChannelId, clock, ...(maxEntries ? { maxEntries } : {}) });
}

const verifyCalls = () => fake.requestsTo('/oauth2/v2.1/verify').length;

describe('LIFF ID-token verification', () => {
  it('returns LINE’s sub and expiry, and asks LINE again only after the token expired', async () => {
    const v = verifier();
    const user = fakeLineUserId('verifier-user');
    const token = fake.issueIdToken(user, 600);
    const before = verifyCalls();
    const first = await v.verify(token);
    expect(first.lineUserId).toBe(user);
    expect(first.expiresAt.toISOString()).toBe('2026-11-23T03:10:00.000Z');
    clock.advanceMinutes(9);
    expect((await v.verify(token)).lineUserId).toBe(user);
    expect(verifyCalls() - before).toBe(1);
    clock.advanceMinutes(2);
    await expect(v.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(verifyCalls() - before).toBe(2);
  });

  it('asks once for requests arriving together with the same token', async () => {
    const v = verifier();
    const token = fake.issueIdToken(fakeLineUserId('together'), 600);
    const before = verifyCalls();
    await Promise.all([v.verify(token), v.verify(token), v.verify(token)]);
    expect(verifyCalls() - before).toBe(1);
  });

  it('keeps at most maxEntries tokens, forgetting the least recently used', async () => {
    const v = verifier(2);
    const tokens = [1, 2, 3].map((n) => fake.issueIdToken(fakeLineUserId(`lru-${n}`), 600));
    for (const token of tokens) await v.verify(token);
    expect(v.cacheSize).toBe(2);
    const before = verifyCalls();
    await v.verify(tokens[2]!);
    expect(verifyCalls()).toBe(before);
    await v.verify(tokens[0]!);
    expect(verifyCalls()).toBe(before + 1);
  });

  it('refuses a token of another channel as UNAUTHENTICATED, and tells LINE trouble apart', async () => {
    const v = verifier();
    await expect(v.verify(fake.issueIdToken(fakeLineUserId('foreign'), 600, '999'))).rejects.toBeInstanceOf(DomainError);
    fake.failNext({ path: '/oauth2/v2.1/verify', status: 500 });
    await expect(v.verify(fake.issueIdToken(fakeLineUserId('line-down'), 600))).rejects.toBeInstanceOf(IdTokenVerificationUnavailableError);
  });
});
