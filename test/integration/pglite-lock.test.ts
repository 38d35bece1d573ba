// The embedded database folder belongs to one process at a time: a second one fails with a clear message.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.ts';
import { DataFolderLockedError, lockFilePathFor } from '../../server/db/pglite-lock.ts';
import { runCli } from '../support/cli.ts';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

describe('PGlite folder lock', () => {
  // CLI processes and a PGlite cold start: generous time on a busy 2-core machine.
  it('lets exactly one process open the folder, and the CLI works again once it is free', { timeout: 120_000 }, async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'wdf-lock-')), 'pglite');
    const env = { PGLITE_DIR: dataDir, DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const held = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toBeInstanceOf(DataFolderLockedError);
      const blocked = await runCli(['db', 'migrate'], env);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain('ถูกเปิดใช้อยู่โดยโปรเซส');
      expect(blocked.stderr).toContain(String(process.pid));
    } finally {
      await held.close();
    }
    const free = await runCli(['db', 'migrate'], env);
    expect(free.stderr).toBe('');
    expect(free.code).toBe(0);
  });

  it('takes over a lock left behind by a process that no longer exists', { timeout: 120_000 }, async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'wdf-stale-')), 'pglite');
    writeFileSync(lockFilePathFor(dataDir), JSON.stringify({ pid: 999_999_999, host: hostname(), since: '2026-01-01' }));
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    await handle.close();
  });
});
