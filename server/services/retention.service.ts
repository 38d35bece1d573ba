// Retention (PDPA): personal data is kept only as long as it serves its purpose. Borrowers whose every loan closed
// more than RETENTION_YEARS ago are anonymised, a batch at a time, each audited; webhook payloads and link attempts
// are purged after 90 days. Run daily by the `retention` job.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { anonymiseBorrower, borrowersDueForAnonymising, lockIfStillDue, purgeOperationalRecords } from '../db/repos/retention.repo.ts';
import { addDays, bangkokDate, isValidLocalDate } from '../domain/local-date.ts';

const BATCH = 200;
export const OPERATIONAL_RECORDS_KEPT_DAYS = 90;

export interface RetentionSummary {
  cutoff: string;
  anonymised: number;
  webhookEvents: number;
  linkAttempts: number;
}

export async function applyRetention(deps: { db: Kysely<Database> }, at: Date, years: number): Promise<RetentionSummary> {
  const today = bangkokDate(at);
  // 29 February minus a number of years that lands on a common year is the 28th.
  const sameDay = `${Number(today.slice(0, 4)) - years}${today.slice(4)}`;
  const cutoff = isValidLocalDate(sameDay) ? sameDay : `${sameDay.slice(0, 8)}28`;
  let anonymised = 0;
  for (;;) {
    const due = await borrowersDueForAnonymising(deps.db, cutoff, BATCH);
    if (due.length === 0) break;
    for (const borrowerId of due) {
      const done = await deps.db.transaction().execute(async (trx) => {
        if (!(await lockIfStillDue(trx, borrowerId, cutoff))) return false;
        await anonymiseBorrower(trx, borrowerId, at);
        await recordAudit(trx, { actor: 'system', action: 'retention.anonymise', subject: `borrower:${borrowerId}`, details: { closedBefore: cutoff, years }, at });
        return true;
      });
      if (done) anonymised += 1;
    }
  }
  const purged = await purgeOperationalRecords(deps.db, new Date(`${addDays(today, -OPERATIONAL_RECORDS_KEPT_DAYS)}T00:00:00+07:00`));
  return { cutoff, anonymised, ...purged };
}
