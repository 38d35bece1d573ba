// Where the data encryption key comes from when DATA_ENCRYPTION_KEY is not set (local use only): a key file beside
// the embedded data, generated once, never inside the database.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.ts';
import { generateDataEncryptionKey } from './personal-data-cipher.ts';

/** The key file's path, or undefined for a throwaway in-memory database (whose key need not outlive it). */
export function keyFilePathFor(config: AppConfig): string | undefined {
  if (config.database.kind === 'pglite') {
    if (config.database.dataDir.startsWith('memory://')) return undefined;
    return path.join(path.dirname(path.resolve(config.database.dataDir)), 'data-encryption.key');
  }
  return path.resolve('data', 'data-encryption.key');
}

/** The configured key, or the key file's (created on first use). */
export function resolveDataEncryptionKey(config: AppConfig, log?: Logger): Buffer {
  if (config.dataEncryptionKey) return config.dataEncryptionKey;
  const keyFile = keyFilePathFor(config);
  if (!keyFile) return generateDataEncryptionKey();
  if (existsSync(keyFile)) {
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`the key file ${keyFile} does not hold 32 base64 bytes`);
    return key;
  }
  mkdirSync(path.dirname(keyFile), { recursive: true });
  const key = generateDataEncryptionKey();
  writeFileSync(keyFile, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  log?.warn({ keyFile }, 'generated a data encryption key for local use; set DATA_ENCRYPTION_KEY in production');
  return key;
}
