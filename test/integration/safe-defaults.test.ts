// Safe by default (issue 13): production without LINE credentials refuses to start instead of becoming the
// simulator; the simulator starts only without a DATABASE_URL or with SIMULATOR=on (never in production);
// docker-compose refuses to start without its required settings.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENVIRONMENT_VARIABLES, loadConfig } from '../../server/config.ts';

function startServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    // A server that started would keep running: give it a while, then stop it and report.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('which mode a configuration starts', () => {
  it('no settings at all: the simulator on the embedded database (the one-command demo)', () => {
    const config = loadConfig({});
    expect(config.simulator).toBe(true);
    expect(config.serverStartProblem).toBeUndefined();
    expect(config.database.kind).toBe('pglite');
  });

  it('NODE_ENV=production without LINE credentials: refuses, and names what is missing', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/wdf' }, { NODE_ENV: 'production', LINE_CHANNEL_SECRET: '' }]) {
      const config = loadConfig(env);
      expect(config.simulator).toBe(false);
      expect(config.serverStartProblem).toContain('LINE_CHANNEL_SECRET');
      expect(config.serverStartProblem).toContain('production');
    }
  });

  it('a DATABASE_URL without LINE credentials: refuses unless SIMULATOR=on says so', () => {
    const refused = loadConfig({ DATABASE_URL: 'postgres://db/wdf' });
    expect(refused.simulator).toBe(false);
    expect(refused.serverStartProblem).toContain('SIMULATOR=on');
    const asked = loadConfig({ DATABASE_URL: 'postgres://db/wdf', SIMULATOR: 'on' });
    expect(asked.simulator).toBe(true);
    expect(asked.serverStartProblem).toBeUndefined();
    expect(loadConfig({ SIMULATOR: 'off' }).simulator).toBe(false);
  });

  // Found by a security review: on 0.0.0.0 anyone on the network could take the simulator's login as any persona,
  // officers of the whole country included, against an operator's own imported registry.
  it('the simulator listens on this machine only unless HOST says otherwise; a real server on every interface', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/wdf', SIMULATOR: 'on' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const real = { LINE_CHANNEL_SECRET: 's', LINE_CHANNEL_ACCESS_TOKEN: 't', LINE_LOGIN_CHANNEL_ID: '1', LIFF_ID: '1-x', DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadConfig(real).host).toBe('0.0.0.0');
    expect(loadConfig({ ...real, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('SIMULATOR=on is a configuration error in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SIMULATOR: 'on' })).toThrow(ConfigError);
  });

  it('with LINE credentials: never the simulator, and every LINE setting is required', () => {
    expect(() => loadConfig({ LINE_CHANNEL_SECRET: 'x' })).toThrow(/LINE_CHANNEL_ACCESS_TOKEN[\s\S]*LINE_LOGIN_CHANNEL_ID[\s\S]*LIFF_ID[\s\S]*DATA_ENCRYPTION_KEY/);
  });
});

describe('the server process', () => {
  it('exits with the reason, and never listens, in production without LINE credentials', async () => {
    const { code, output } = await startServer({ NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(code).toBe(1);
    expect(output).toContain('production refuses to start without LINE credentials');
    expect(output).not.toContain('simulator');
    expect(output).not.toContain('listening');
  }, 60_000);

  it('exits with the reason with a DATABASE_URL and no LINE credentials', async () => {
    const { code, output } = await startServer({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(code).toBe(1);
    expect(output).toContain('SIMULATOR=on');
  }, 60_000);
});

describe('docker-compose.yml', () => {
  it('fails fast (${VAR:?…}) when a required setting is missing, and defaults none of them to empty', async () => {
    const compose = await readFile('docker-compose.yml', 'utf8');
    for (const name of ['POSTGRES_PASSWORD', 'LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN', 'LINE_LOGIN_CHANNEL_ID', 'LIFF_ID', 'PUBLIC_URL', 'DATA_ENCRYPTION_KEY']) {
      expect(compose).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]+\\}`));
      expect(compose).not.toMatch(new RegExp(`\\$\\{${name}:?-`));
    }
    expect(compose).toMatch(/NODE_ENV: production/);
  });

  // Found by following README as a new operator: compose passes on only the variables it lists, so METRICS_TOKEN
  // and LINE_ADD_FRIEND_URL set in .env never reached the app (an open /metrics, link-code slips always refused).
  it('passes every setting the app reads to it, except those of development and tests', async () => {
    const compose = await readFile('docker-compose.yml', 'utf8');
    const readme = await readFile('README.md', 'utf8');
    const notForCompose = new Set(['HOST', 'PGLITE_DIR', 'SIMULATOR', 'LINE_API_BASE_URL', 'LINE_DATA_API_BASE_URL']);
    for (const name of ENVIRONMENT_VARIABLES) {
      expect(readme, `README names ${name}`).toContain(`| \`${name}\` |`);
      if (!notForCompose.has(name)) expect(compose, `compose passes ${name}`).toMatch(new RegExp(`^\\s+${name}: `, 'm'));
    }
  });
});
