// Our LINE client's calls made through the SDK (loaded on first use, line/line-sdk.ts) against the fake platform: the
// loading animation, the quota, and LINE's refusals turned into LineApiError with their status and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLinePlatform, fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { createLineClient, type LineClient } from '../../server/line/line-messenger.ts';
import { LineApiError } from '../../server/services/ports.ts';

let fake: FakeLinePlatform;
let client: LineClient;

beforeAll(async () => {
  fake = new FakeLinePlatform({ monthlyQuota: 15_000 });
  await fake.start();
  client = createLineClient({ channelAccessToken: fake.channelAccessToken, apiBaseUrl: fake.url, timeoutMs: 2_000 });
});
afterAll(async () => {
  await fake?.stop();
});

describe('the LINE client, through the SDK', () => {
  it('shows the loading animation in a chat', async () => {
    const chatId = fakeLineUserId('loading-1');
    await client.showLoadingAnimation(chatId, 10);
    expect(fake.loadingShown).toContainEqual({ chatId, seconds: 10 });
  });

  it('reads the month’s quota and what was used of it', async () => {
    const userId = fakeLineUserId('quota-1');
    fake.addUser(userId, 'สมศรี');
    await client.push(userId, [{ type: 'text', text: 'สวัสดีค่ะ' }], '0b5d3c9e-7d1f-4a51-9f3e-0c1d2e3f4a5b');
    const quota = await client.getQuota();
    expect(quota.limit).toBe(15_000);
    expect(quota.usedThisMonth).toBeGreaterThanOrEqual(1);
  });

  it('turns a refusal into LineApiError with LINE’s status', async () => {
    // LINE accepts 5–60 seconds in steps of five: 7 is refused with 400.
    const error = await client.showLoadingAnimation(fakeLineUserId('loading-2'), 7).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineApiError);
    expect((error as LineApiError).status).toBe(400);
  });

  it('keeps Retry-After when LINE is busy', async () => {
    fake.failNext({ path: '/v2/bot/message/quota', method: 'GET', status: 429, retryAfterSeconds: 30 });
    const error = await client.getQuota().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineApiError);
    expect((error as LineApiError).status).toBe(429);
    expect((error as LineApiError).retryAfterSeconds).toBe(30);
  });

  it('quotes a message of the same chat, and is refused a quote token of another chat, as LINE refuses it', async () => {
    const her = fakeLineUserId('quote-1');
    const other = fakeLineUserId('quote-2');
    fake.addUser(her, 'มาลี');
    fake.addUser(other, 'สมศรี');
    const photo = (fake.imageEvent(her) as unknown as { message: { quoteToken: string } }).message.quoteToken;
    await client.push(her, [{ type: 'text', text: 'รูปนี้ค่ะ', quoteToken: photo }], '3f1c2b7a-5d4e-4c3b-9a1f-2e3d4c5b6a70');
    expect(fake.messagesTo(her).at(-1)?.message).toMatchObject({ text: 'รูปนี้ค่ะ', quoteToken: photo });
    const error = await client.push(other, [{ type: 'text', text: 'รูปนี้ค่ะ', quoteToken: photo }], '3f1c2b7a-5d4e-4c3b-9a1f-2e3d4c5b6a71').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineApiError);
    expect((error as LineApiError).status).toBe(400);
    expect(fake.messagesTo(other)).toHaveLength(0);
  });
});
