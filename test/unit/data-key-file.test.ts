// The simulator's key file (no DATA_ENCRYPTION_KEY): one per data folder. Found by a security review: every PGlite
// folder under /tmp read and wrote the same /tmp/data-encryption.key, and a key planted there was used.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { keyFilePathFor, resolveDataEncryptionKey } from '../../server/security/data-key-file.ts';

const parents: string[] = [];
const parent = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wdf-keyfile-'));
  parents.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of parents.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the key file beside an embedded database', () => {
  it('is named after its data folder, so two folders in one parent never share a key', () => {
    const dir = parent();
    const a = loadConfig({ PGLITE_DIR: path.join(dir, 'a') });
    const b = loadConfig({ PGLITE_DIR: path.join(dir, 'b') });
    expect(keyFilePathFor(a)).toBe(path.join(dir, 'a.key'));
    const keyA = resolveDataEncryptionKey(a);
    const keyB = resolveDataEncryptionKey(b);
    expect(keyA.equals(keyB)).toBe(false);
    expect(readFileSync(path.join(dir, 'a.key'), 'utf8').trim()).toBe(keyA.toString('base64'));
    expect(resolveDataEncryptionKey(a).equals(keyA)).toBe(true);
  });

  it('keeps the shared name for a folder made before, and ignores it for a new folder', () => {
    const dir = parent();
    const planted = Buffer.alloc(32, 7).toString('base64');
    writeFileSync(path.join(dir, 'data-encryption.key'), `${planted}\n`);
    mkdirSync(path.join(dir, 'old'));
    expect(resolveDataEncryptionKey(loadConfig({ PGLITE_DIR: path.join(dir, 'old') })).toString('base64')).toBe(planted);
    expect(resolveDataEncryptionKey(loadConfig({ PGLITE_DIR: path.join(dir, 'new') })).toString('base64')).not.toBe(planted);
  });

  it('is none for a throwaway in-memory database', () => {
    expect(keyFilePathFor(loadConfig({ PGLITE_DIR: 'memory://' }))).toBeUndefined();
  });
});
