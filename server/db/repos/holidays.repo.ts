// The public holidays that shorten the contact hours: listed, added, removed and confirmed by administrators.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { LocalDate } from '../../domain/local-date.ts';

export interface HolidayRow {
  day: LocalDate;
  name: string;
  estimated: boolean;
  confirmedAt: Date | null;
  confirmedBy: string | null;
}

export async function holidaysOfYear(db: Kysely<Database>, year: number): Promise<HolidayRow[]> {
  return db
    .selectFrom('public_holidays')
    .select(['day', 'name', 'estimated', 'confirmed_at as confirmedAt', 'confirmed_by as confirmedBy'])
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .orderBy('day')
    .execute();
}

/** Adds a day or renames it; a day set by hand is no estimate. */
export async function upsertHoliday(db: Kysely<Database>, day: LocalDate, name: string, by: string, at: Date): Promise<void> {
  await db
    .insertInto('public_holidays')
    .values({ day, name, estimated: false, confirmed_at: at, confirmed_by: by })
    .onConflict((oc) => oc.column('day').doUpdateSet({ name, estimated: false, confirmed_at: at, confirmed_by: by }))
    .execute();
}

export async function deleteHoliday(db: Kysely<Database>, day: LocalDate): Promise<boolean> {
  const result = await db.deleteFrom('public_holidays').where('day', '=', day).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Marks every holiday of a year as checked against the government's announcement. */
export async function confirmHolidaysOfYear(db: Kysely<Database>, year: number, by: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('public_holidays')
    .set({ estimated: false, confirmed_at: at, confirmed_by: by })
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
