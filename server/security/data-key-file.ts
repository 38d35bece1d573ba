// Where the data encryption key comes from when DATA_ENCRYPTION_KEY is not set (local use only): a key file beside
// the embedded data, generated once, never inside the database.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.ts';
import { StartupError } from '../startup-error.ts';
import { generateDataEncryptionKey, keyIdOfMasterKey } from './personal-data-cipher.ts';

/**
 * The key file's path, or undefined for a throwaway in-memory database (whose key need not outlive it). One key per
 * data folder, named after it and beside it ("data/pglite" → "data/pglite.key"): two folders in one parent (/tmp)
 * never share a key. A folder made before keeps the shared name it was made with ("data-encryption.key").
 */
export function keyFilePathFor(config: AppConfig): string | undefined {
  if (config.database.kind === 'pglite') {
    if (config.database.dataDir.startsWith('memory://')) return undefined;
    const dataDir = path.resolve(config.database.dataDir);
    const own = ownKeyFileOf(dataDir);
    const earlier = path.join(path.dirname(dataDir), 'data-encryption.key');
    return !existsSync(own) && existsSync(dataDir) && existsSync(earlier) ? earlier : own;
  }
  return path.resolve('data', 'data-encryption.key');
}

/** A data folder's own key file, beside it: "data/pglite" → "data/pglite.key". */
function ownKeyFileOf(dataDir: string): string {
  return `${dataDir}.key`;
}

function readKeyFile(keyFile: string): Buffer {
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`the key file ${keyFile} does not hold 32 base64 bytes`);
  return key;
}

/**
 * The configured key, or the key file's (created on first use) — for the embedded database and the simulator only.
 * A CLI run against a real PostgreSQL (it needs no LINE settings) would otherwise encrypt a first import with a key
 * file left in the current folder, and the server started later with the real key would be refused.
 */
export function resolveDataEncryptionKey(config: AppConfig, log?: Logger): Buffer {
  if (config.dataEncryptionKey) return config.dataEncryptionKey;
  if (config.database.kind === 'postgres' && !config.simulator) {
    throw new StartupError(
      'DATA_ENCRYPTION_KEY: ต้องตั้งค่าเมื่อใช้ DATABASE_URL — ใช้กุญแจเดียวกับเซิร์ฟเวอร์ ' +
        '(required with a DATABASE_URL outside SIMULATOR=on: the same key as the server, 32 random bytes, base64)',
    );
  }
  const keyFile = keyFilePathFor(config);
  if (!keyFile) return generateDataEncryptionKey();
  if (existsSync(keyFile)) return readKeyFile(keyFile);
  mkdirSync(path.dirname(keyFile), { recursive: true });
  const key = generateDataEncryptionKey();
  writeFileSync(keyFile, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  log?.warn({ keyFile }, 'generated a data encryption key for local use; set DATA_ENCRYPTION_KEY in production');
  return key;
}

/**
 * After `keys rotate` on the embedded database: the key file it was read from held the key just retired, so the next
 * start without DATA_ENCRYPTION_KEY would read it and be refused. The key the data was rotated to goes into the
 * folder's own key file ("data/pglite.key"), which is read first from then on; a shared file of a folder made before
 * ("data-encryption.key") is left as it is, for the other folders that may still read it. Written to a temporary
 * file and renamed, so a crash never leaves half a key. Returns the path written, if any.
 */
export function replaceRetiredKeyFile(config: AppConfig, retiredKeyIds: readonly string[]): string | undefined {
  if (config.database.kind !== 'pglite' || !config.dataEncryptionKey) return undefined;
  const keyFile = keyFilePathFor(config);
  if (!keyFile || !existsSync(keyFile)) return undefined;
  if (!retiredKeyIds.includes(keyIdOfMasterKey(readKeyFile(keyFile)))) return undefined;
  const own = ownKeyFileOf(path.resolve(config.database.dataDir));
  const temporary = `${own}.${process.pid}.tmp`;
  writeFileSync(temporary, `${config.dataEncryptionKey.toString('base64')}\n`, { mode: 0o600 });
  renameSync(temporary, own);
  return own;
}
