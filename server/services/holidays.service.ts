// The public holiday table (contact hours are shorter on holidays): administrators list a year, confirm the lunar
// dates against the government's announcement, and add or remove days. Audited.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { confirmHolidaysOfYear, deleteHoliday, holidaysOfYear, upsertHoliday, type HolidayRow } from '../db/repos/holidays.repo.ts';
import { isValidLocalDate, type LocalDate } from '../domain/local-date.ts';
import { DomainError } from '../domain/errors.ts';

export function createHolidayService(deps: { db: Kysely<Database> }) {
  const checkDay = (day: string): LocalDate => {
    if (!isValidLocalDate(day)) throw new DomainError('VALIDATION', `วันที่ไม่ถูกต้อง: ${day} (ใช้รูปแบบ YYYY-MM-DD ปี ค.ศ.)`);
    return day;
  };
  return {
    list: (year: number): Promise<HolidayRow[]> => holidaysOfYear(deps.db, year),
    async confirmYear(year: number, by: string, at: Date): Promise<number> {
      const count = await confirmHolidaysOfYear(deps.db, year, by, at);
      await recordAudit(deps.db, { actor: by, action: 'holidays.confirm', subject: `year:${year}`, details: { days: count }, at });
      return count;
    },
    async set(day: string, name: string, by: string, at: Date): Promise<void> {
      if (!name.trim()) throw new DomainError('VALIDATION', 'ต้องระบุชื่อวันหยุด');
      await upsertHoliday(deps.db, checkDay(day), name.trim(), by, at);
      await recordAudit(deps.db, { actor: by, action: 'holidays.set', subject: `day:${day}`, details: { name: name.trim() }, at });
    },
    async remove(day: string, by: string, at: Date): Promise<boolean> {
      const removed = await deleteHoliday(deps.db, checkDay(day));
      if (removed) await recordAudit(deps.db, { actor: by, action: 'holidays.remove', subject: `day:${day}`, at });
      return removed;
    },
  };
}

export type HolidayService = ReturnType<typeof createHolidayService>;
