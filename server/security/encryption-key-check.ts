// The database remembers a check value of the key it was written with, and refuses another: otherwise lookups
// would silently miss and new rows would be encrypted with a key nobody keeps.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { setSettingOnce } from '../db/repos/app-settings.repo.ts';
import type { PersonalDataCipher } from './personal-data-cipher.ts';
import { StartupError } from '../startup-error.ts';

export class EncryptionKeyMismatchError extends StartupError {
  constructor() {
    super(
      'DATA_ENCRYPTION_KEY ไม่ตรงกับกุญแจที่ใช้เข้ารหัสข้อมูลในฐานข้อมูลนี้ — ตรวจสอบค่าที่ตั้งไว้ ' +
        '(the data encryption key does not match the one this database was written with)',
    );
    this.name = 'EncryptionKeyMismatchError';
  }
}

export async function checkEncryptionKey(db: Kysely<Database>, cipher: PersonalDataCipher): Promise<void> {
  const check = cipher.lookupHash('wdf:key-check');
  if ((await setSettingOnce(db, 'data_key_check', check)) !== check) throw new EncryptionKeyMismatchError();
}
