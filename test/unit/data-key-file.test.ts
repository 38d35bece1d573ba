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

describe('after a key rotation', () => {
  it('writes the new key into the folder’s own key file and leaves a shared file of older folders alone', async () => {
    const { replaceRetiredKeyFile } = await import('../../server/security/data-key-file.ts');
    const { keyIdOfMasterKey } = await import('../../server/security/personal-data-cipher.ts');
    const dir = parent();
    const old = Buffer.alloc(32, 3);
    const fresh = Buffer.alloc(32, 9);
    writeFileSync(path.join(dir, 'data-encryption.key'), `${old.toString('base64')}\n`);
    mkdirSync(path.join(dir, 'pglite'));
    const config = loadConfig({ PGLITE_DIR: path.join(dir, 'pglite'), DATA_ENCRYPTION_KEY: fresh.toString('base64') });
    expect(replaceRetiredKeyFile(config, [keyIdOfMasterKey(old)])).toBe(path.join(dir, 'pglite.key'));
    expect(readFileSync(path.join(dir, 'pglite.key'), 'utf8').trim()).toBe(fresh.toString('base64'));
    expect(readFileSync(path.join(dir, 'data-encryption.key'), 'utf8').trim()).toBe(old.toString('base64'));
    // The next start without DATA_ENCRYPTION_KEY reads the new key.
    expect(resolveDataEncryptionKey(loadConfig({ PGLITE_DIR: path.join(dir, 'pglite') })).equals(fresh)).toBe(true);
    // A key file holding another key (not the one retired) is not touched.
    expect(replaceRetiredKeyFile(config, ['some-other-key-id'])).toBeUndefined();
  });
});
