// The append-only audit trail: who did what to whose data, and when.
import type { Kysely } from 'kysely';
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

/** Who did what about these subjects (e.g. 'borrower:12', 'loan:40'), newest first: the person's own access log. */
export async function auditEntriesAbout(db: Kysely<Database>, subjects: readonly string[], limit: number) {
  if (subjects.length === 0) return [];
  return db
    .selectFrom('audit_log')
    .select(['occurred_at as occurredAt', 'actor', 'action', 'subject'])
    .where('subject', 'in', subjects)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
