// The fake LINE platform in a process of its own, for benchmarks: LINE is not on our machine in production.
import { spawn } from 'node:child_process';

export interface FakeLineProcess {
  url: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId: string;
  /** The process id, to read its CPU time. */
  pid: number | undefined;
  stats(): Promise<{ delivered: number; requests: Record<string, number> }>;
  replyTokens(chatIds: string[]): Promise<string[]>;
  /** Reply token → when LINE (the fake) accepted its reply, epoch ms; taken once. */
  replyTimes(): Promise<Record<string, number>>;
  stop(): void;
}

/** LINE is not on our machine in production: the fake platform runs in its own process here too. */
export async function startFakeLineProcess(): Promise<FakeLineProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/dev/fake-line-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ url: string; channelSecret: string; channelAccessToken: string; loginChannelId: string }>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffered.slice(0, newline)));
    });
    child.once('exit', (code) => reject(new Error(`fake LINE platform exited with ${code}`)));
  });
  return {
    ...info,
    pid: child.pid,
    stats: () => fetch(`${info.url}/__fake/stats`).then((r) => r.json() as Promise<{ delivered: number; requests: Record<string, number> }>),
    async replyTokens(chatIds) {
      const response = await fetch(`${info.url}/__fake/reply-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatIds }) });
      return ((await response.json()) as { tokens: string[] }).tokens;
    },
    replyTimes: () => fetch(`${info.url}/__fake/reply-times`, { method: 'POST' }).then((r) => r.json() as Promise<Record<string, number>>),
    stop: () => child.kill('SIGTERM'),
  };
}

