// Encryption at rest for personal data (PDPA): national ID numbers (AES-256-GCM, looked up by a keyed hash)
// and the document photos borrowers upload (AES-256-GCM, binary).
//
// Keys rotate: the cipher holds the current key, which encrypts, and any previous keys, which only decrypt. Every
// ciphertext names the key that sealed it (a key id derived from the key), so rows written under an old key stay
// readable while `npm run cli -- keys rotate` re-encrypts them; ciphertexts from before key ids (v1) are tried
// against each key.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const TEXT_FORMAT = 'v2';
const LEGACY_TEXT_FORMAT = 'v1';
const BYTES_FORMAT = 2;
const LEGACY_BYTES_FORMAT = 1;
const KEY_ID_BYTES = 6;

export interface PersonalDataCipher {
  /** The current key's id: what new ciphertexts are sealed with. */
  readonly keyId: string;
  /** Every key this cipher can read (current first). */
  readonly keyIds: readonly string[];
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** The id of the key a ciphertext was sealed with (undefined for a v1 ciphertext, which names none). */
  keyIdOf(sealed: string | Buffer): string | undefined;
  /** Deterministic keyed hash under the current key: equal inputs give equal hashes, without revealing the input. */
  lookupHash(plain: string): string;
  /** The lookup hash under every key (current first): finds rows not rehashed yet while a rotation runs. */
  lookupHashes(plain: string): string[];
  /** Binary form for files: format byte, key id, IV, tag, ciphertext. */
  sealBytes(plain: Buffer): Buffer;
  openBytes(sealed: Buffer): Buffer;
  /** How everything sealed under the current key begins (lets the database count what is not, without reading it). */
  readonly currentPrefixes: { text: string; bytes: Buffer };
}

interface DerivedKey {
  id: string;
  idBytes: Buffer;
  encryption: Buffer;
  hash: Buffer;
  document: Buffer;
}

function derive(masterKey: Buffer): DerivedKey {
  if (masterKey.length !== 32) throw new Error('a data encryption key must be 32 bytes');
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  // The id names the key without revealing it: a hash of a sub-key of its own.
  const idBytes = createHash('sha256').update(sub('wdf key id')).digest().subarray(0, KEY_ID_BYTES);
  // Separate sub-keys so the lookup hash can never be used to attack the ciphertext, or the reverse.
  return {
    id: idBytes.toString('base64url'),
    idBytes,
    encryption: sub('wdf national-id encryption'),
    hash: sub('wdf national-id lookup'),
    document: sub('wdf document encryption'),
  };
}

/** The id a key has (for configuration checks and the rotation's state). */
export function keyIdOfMasterKey(masterKey: Buffer): string {
  return derive(masterKey).id;
}

function openText(key: DerivedKey, iv: string, body: string, tag: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

function openBinary(key: DerivedKey, iv: Buffer, tag: Buffer, body: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key.document, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

/** Tries each key: GCM's tag tells the right one (for ciphertexts that do not name their key). */
function withAnyKey<T>(keys: readonly DerivedKey[], open: (key: DerivedKey) => T): T {
  for (const key of keys) {
    try {
      return open(key);
    } catch {
      // not this key
    }
  }
  throw new Error('no configured key opens this ciphertext');
}

/**
 * Random 96-bit IVs, drawn from the system's generator a few kilobytes at a time: a registry import encrypts
 * 100,000 national IDs, and one getrandom call each showed up in its profile. Every IV is still fresh randomness.
 */
function ivSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 12 > pool.length) {
      pool = randomBytes(12 * 512);
      offset = 0;
    }
    const iv = Buffer.from(pool.subarray(offset, offset + 12));
    offset += 12;
    return iv;
  };
}

export function createPersonalDataCipher(currentKey: Buffer, previousKeys: readonly Buffer[] = []): PersonalDataCipher {
  const current = derive(currentKey);
  const nextIv = ivSource();
  const keys = [current, ...previousKeys.map(derive).filter((key) => key.id !== current.id)];
  const byId = new Map(keys.map((key) => [key.id, key]));
  const keyNamed = (id: string) => {
    const key = byId.get(id);
    if (!key) throw new Error(`ciphertext sealed with key ${id}, which is not configured (DATA_ENCRYPTION_KEY / DATA_ENCRYPTION_KEYS_PREVIOUS)`);
    return key;
  };

  return {
    keyId: current.id,
    keyIds: keys.map((key) => key.id),
    currentPrefixes: { text: `${TEXT_FORMAT}.${current.id}.`, bytes: Buffer.concat([Buffer.from([BYTES_FORMAT]), current.idBytes]) },
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', current.encryption, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${TEXT_FORMAT}.${current.id}.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    },
    decrypt(sealed) {
      const parts = sealed.split('.');
      if (parts[0] === TEXT_FORMAT && parts.length === 5) return openText(keyNamed(parts[1]!), parts[2]!, parts[3]!, parts[4]!);
      if (parts[0] === LEGACY_TEXT_FORMAT && parts.length === 4) return withAnyKey(keys, (key) => openText(key, parts[1]!, parts[2]!, parts[3]!));
      throw new Error('unrecognised ciphertext format');
    },
    keyIdOf(sealed) {
      if (typeof sealed === 'string') return sealed.startsWith(`${TEXT_FORMAT}.`) ? sealed.split('.')[1] : undefined;
      return sealed[0] === BYTES_FORMAT ? sealed.subarray(1, 1 + KEY_ID_BYTES).toString('base64url') : undefined;
    },
    lookupHash(plain) {
      return createHmac('sha256', current.hash).update(plain, 'utf8').digest('base64url');
    },
    lookupHashes(plain) {
      return keys.map((key) => createHmac('sha256', key.hash).update(plain, 'utf8').digest('base64url'));
    },
    sealBytes(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', current.document, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([BYTES_FORMAT]), current.idBytes, iv, cipher.getAuthTag(), body]);
    },
    openBytes(sealed) {
      if (sealed[0] === BYTES_FORMAT && sealed.length >= 1 + KEY_ID_BYTES + 28) {
        const at = 1 + KEY_ID_BYTES;
        return openBinary(keyNamed(sealed.subarray(1, at).toString('base64url')), sealed.subarray(at, at + 12), sealed.subarray(at + 12, at + 28), sealed.subarray(at + 28));
      }
      if (sealed[0] === LEGACY_BYTES_FORMAT && sealed.length >= 29) {
        return withAnyKey(keys, (key) => openBinary(key, sealed.subarray(1, 13), sealed.subarray(13, 29), sealed.subarray(29)));
      }
      throw new Error('unrecognised sealed document format');
    },
  };
}

export function generateDataEncryptionKey(): Buffer {
  return randomBytes(32);
}
