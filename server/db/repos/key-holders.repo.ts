// Which encryption key each running process writes with (refreshed every minute), so a key rotation can refuse to
// retire a key that a replica not restarted yet still uses. Times are the database's own clock.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface KeyHolder {
  keyId: string;
  host: string;
  pid: number;
  startedAt: Date;
  seenAt: Date;
}

export async function announceKeyHolder(db: Kysely<Database>, holder: { processId: string; keyId: string; host: string; pid: number }): Promise<void> {
  await sql`
    INSERT INTO encryption_key_holders (process_id, key_id, host, pid) VALUES (${holder.processId}, ${holder.keyId}, ${holder.host}, ${holder.pid})
    ON CONFLICT (process_id) DO UPDATE SET seen_at = now(), key_id = EXCLUDED.key_id`.execute(db);
}

export async function forgetKeyHolder(db: Kysely<Database>, processId: string): Promise<void> {
  await db.deleteFrom('encryption_key_holders').where('process_id', '=', processId).execute();
}

/** Processes seen within `withinSeconds` that write with another key than `keyId`. Long-silent rows are dropped. */
export async function liveHoldersOfOtherKeys(db: Kysely<Database>, keyId: string, withinSeconds: number): Promise<KeyHolder[]> {
  await sql`DELETE FROM encryption_key_holders WHERE seen_at < now() - interval '1 day'`.execute(db);
  const { rows } = await sql<KeyHolder>`
    SELECT key_id AS "keyId", host, pid, started_at AS "startedAt", seen_at AS "seenAt" FROM encryption_key_holders
    WHERE key_id <> ${keyId} AND seen_at > now() - make_interval(secs => ${withinSeconds})
    ORDER BY started_at`.execute(db);
  return rows;
}
