// The append-only audit trail: who did what to whose data, and when.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface AuditEntry {
  /** 'cli', 'system', 'line:<userId>', 'officer:<id>', 'borrower:<id>' */
  actor: string;
  action: string;
  subject?: string;
  details?: Record<string, unknown>;
  at: Date;
}

export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      occurred_at: entry.at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** Many entries in one statement (a batch of link codes: one entry per borrower). */
export async function recordAudits(db: Kysely<Database>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        occurred_at: entry.at,
        actor: entry.actor,
        action: entry.action,
        subject: entry.subject ?? null,
        details: JSON.stringify(entry.details ?? {}),
      })),
    )
    .execute();
}

/**
 * Who did what about these subjects (e.g. 'borrower:12', 'loan:40'), and every list that showed this borrower (the
 * debtor list, the debtors report, a work queue, the slips queue: their details name the ids shown), newest first:
 * the person's own access log. Each part is read through its index (migration 0026 for the lists).
 */
export async function auditEntriesAbout(db: Kysely<Database>, borrowerId: number, subjects: readonly string[], limit: number) {
  const her = JSON.stringify([borrowerId]);
  const { rows } = await sql<{ occurredAt: Date; actor: string; action: string; subject: string | null }>`
    SELECT occurred_at AS "occurredAt", actor, action, subject FROM (
      (SELECT id, occurred_at, actor, action, subject FROM audit_log WHERE subject = ANY(${[...subjects]}::text[])
       ORDER BY occurred_at DESC, id DESC LIMIT ${limit})
      UNION ALL
      (SELECT id, occurred_at, actor, action, subject FROM audit_log
       WHERE action IN ('debtor.list', 'report.debtors', 'officer.work_queue') AND details -> 'shown' @> ${her}::jsonb
       ORDER BY occurred_at DESC, id DESC LIMIT ${limit})
      UNION ALL
      (SELECT id, occurred_at, actor, action, subject FROM audit_log
       WHERE action = 'slips.list' AND details -> 'borrowerIds' @> ${her}::jsonb
       ORDER BY occurred_at DESC, id DESC LIMIT ${limit})
    ) entries
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${limit}`.execute(db);
  return rows;
}
