// Runs the fake LINE platform as its own process (for benchmarks, where LINE must not share our CPU):
//   tsx server/dev/fake-line-server.ts  → prints one JSON line {url, channelSecret, channelAccessToken, loginChannelId}
import { FakeLinePlatform } from './fake-line-platform.ts';

const fake = new FakeLinePlatform({
  channelSecret: process.env.FAKE_LINE_CHANNEL_SECRET,
  channelAccessToken: process.env.FAKE_LINE_ACCESS_TOKEN,
  monthlyQuota: process.env.FAKE_LINE_MONTHLY_QUOTA ? Number(process.env.FAKE_LINE_MONTHLY_QUOTA) : undefined,
  // Counted, not kept: a long benchmark must not grow the fake's memory without bound.
  retainMessages: false,
});
const url = await fake.start(Number(process.env.FAKE_LINE_PORT ?? 0), '127.0.0.1', { controlApi: true });
process.stdout.write(`${JSON.stringify({ url, channelSecret: fake.channelSecret, channelAccessToken: fake.channelAccessToken, loginChannelId: fake.loginChannelId })}\n`);
const stop = () => void fake.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
