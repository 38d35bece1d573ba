// The database remembers a check value of the key it was written with, and refuses another: otherwise lookups
// would silently miss and new rows would be encrypted with a key nobody keeps. While keys rotate, the check is
// the previous key's until `keys rotate` completes; a key retired by a completed rotation is refused for good.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { getSetting, setSetting, setSettingOnce } from '../db/repos/app-settings.repo.ts';
import type { PersonalDataCipher } from './personal-data-cipher.ts';
import { StartupError } from '../startup-error.ts';

const CHECK_INPUT = 'wdf:key-check';
const CHECK_SETTING = 'data_key_check';
const RETIRED_SETTING = 'retired_key_ids';

export class EncryptionKeyMismatchError extends StartupError {
  constructor(retired = false) {
    super(
      retired
        ? 'DATA_ENCRYPTION_KEY นี้ถูกเปลี่ยนออกไปแล้ว (เปลี่ยนกุญแจเสร็จแล้ว) ใช้กุญแจใหม่แทน ' +
            '(this data encryption key was retired by a completed key rotation: configure the new one)'
        : 'DATA_ENCRYPTION_KEY ไม่ตรงกับกุญแจที่ใช้เข้ารหัสข้อมูลในฐานข้อมูลนี้ — ตรวจสอบค่าที่ตั้งไว้ ' +
            '(the data encryption key does not match the one this database was written with)',
    );
    this.name = 'EncryptionKeyMismatchError';
  }
}

export async function retiredKeyIds(db: Kysely<Database>): Promise<string[]> {
  return JSON.parse((await getSetting(db, RETIRED_SETTING)) ?? '[]') as string[];
}

export async function checkEncryptionKey(db: Kysely<Database>, cipher: PersonalDataCipher): Promise<void> {
  if ((await retiredKeyIds(db)).includes(cipher.keyId)) throw new EncryptionKeyMismatchError(true);
  const stored = await setSettingOnce(db, CHECK_SETTING, cipher.lookupHash(CHECK_INPUT));
  if (stored === cipher.lookupHash(CHECK_INPUT)) return;
  // Written with a previous key that is configured beside the current one: a rotation to the current key.
  if (cipher.lookupHashes(CHECK_INPUT).includes(stored)) return;
  throw new EncryptionKeyMismatchError();
}

/** A completed rotation: the database now belongs to the current key, and the keys it replaced are refused. */
export async function completeKeyRotation(db: Kysely<Database>, cipher: PersonalDataCipher): Promise<string[]> {
  const retired = [...new Set([...(await retiredKeyIds(db)), ...cipher.keyIds.filter((id) => id !== cipher.keyId)])];
  await setSetting(db, RETIRED_SETTING, JSON.stringify(retired));
  await setSetting(db, CHECK_SETTING, cipher.lookupHash(CHECK_INPUT));
  return retired;
}
