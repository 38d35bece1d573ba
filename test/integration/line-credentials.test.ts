// A production start whose LINE settings do not work (found by following README as a new operator): /readyz is 200,
// since it is about the database, so the log must say in plain words what is wrong with LINE. The real server in a
// child process, on an embedded database of its own, with the fake LINE platform as LINE.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLinePlatform } from '../../server/dev/fake-line-platform.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

let fake: FakeLinePlatform;
let dir: string;

beforeAll(async () => {
  fake = new FakeLinePlatform();
  await fake.start();
  dir = mkdtempSync(path.join(tmpdir(), 'wdf-line-credentials-'));
});
afterAll(async () => {
  await fake?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function env(name: string, line: Record<string, string>): Record<string, string> {
  return {
    PGLITE_DIR: path.join(dir, name),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LINE_CHANNEL_SECRET: fake.channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: fake.channelAccessToken,
    LINE_API_BASE_URL: fake.url,
    LINE_DATA_API_BASE_URL: fake.url,
    LINE_LOGIN_CHANNEL_ID: fake.loginChannelId,
    LIFF_ID: '1650000000-credentials',
    LINE_HTTP_TIMEOUT_MS: '2000',
    SCHEDULER: 'off',
    ...line,
  };
}

async function logLine(server: ServerProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = server.logs.find((line) => pattern.test(line));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no log line ${pattern} in:\n${server.logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a production start whose LINE settings do not work', () => {
  it('says that LINE refused the channel access token, and still serves', async () => {
    const server = await startServerProcess(env('wrong-token', { LINE_CHANNEL_ACCESS_TOKEN: 'not-the-token' }));
    try {
      const said = JSON.parse(await logLine(server, /refused LINE_CHANNEL_ACCESS_TOKEN/)) as { level: number; status: number; msg: string };
      expect(said).toMatchObject({ level: 50, status: 401 });
      expect(said.msg).toContain('Channel access token');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.kill('SIGTERM');
    }
  }, 90_000);

  it('says that LINE could not be reached, naming the address', async () => {
    const server = await startServerProcess(env('unreachable', { LINE_API_BASE_URL: 'http://127.0.0.1:1', LINE_DATA_API_BASE_URL: 'http://127.0.0.1:1' }));
    try {
      const said = JSON.parse(await logLine(server, /LINE could not be reached/)) as { msg: string };
      expect(said.msg).toContain('http://127.0.0.1:1');
    } finally {
      await server.kill('SIGTERM');
    }
  }, 90_000);

  it('says nothing of the kind when the settings work', async () => {
    const menusBefore = fake.requestsTo('/v2/bot/richmenu').filter((r) => r.status === 200).length;
    const server = await startServerProcess(env('working', {}));
    try {
      // The start-up's calls to LINE went through (the three rich menus made), and nothing was said against LINE.
      for (let waited = 0; fake.requestsTo('/v2/bot/richmenu').filter((r) => r.status === 200).length < menusBefore + 3; waited += 100) {
        if (waited > 20_000) throw new Error(`the rich menus were not made:\n${server.logs.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(server.logs.filter((line) => /LINE refused|LINE could not be reached|could not make the rich menus/.test(line))).toEqual([]);
    } finally {
      await server.kill('SIGTERM');
    }
  }, 90_000);
});
