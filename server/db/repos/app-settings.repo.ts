// Installation facts kept in the database itself.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Sets the value only if the key has none yet; returns the value now stored. */
export async function setSettingOnce(db: Kysely<Database>, key: string, value: string): Promise<string> {
  await db.insertInto('app_settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await getSetting(db, key))!;
}

/** Sets (or replaces) a value. */
export async function setSetting(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db.insertInto('app_settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}
