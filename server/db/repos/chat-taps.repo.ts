// The last button each LINE user tapped, for answering a double tap once.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface ChatTap {
  lineUserId: string;
  /** What the button carries (its postback data). */
  tapKey: string;
  eventId: string;
  /** When she tapped (LINE's event time), not when we got round to it. */
  tappedAt: Date;
}

/**
 * Records the tap and says whether it is a repeat: the same button as her last tap, by another event, less than
 * `windowMs` before or after it. A retry of the same event is never its own repeat. Atomic (one upsert), so two
 * replicas handling both taps at once still answer only one.
 */
export async function recordTap(db: Kysely<Database>, tap: ChatTap, windowMs: number): Promise<'first' | 'repeat'> {
  const { rows } = await sql<{ event_id: string }>`
    INSERT INTO chat_taps AS t (line_user_id, tap_key, event_id, tapped_at)
    VALUES (${tap.lineUserId}, ${tap.tapKey}, ${tap.eventId}, ${tap.tappedAt})
    ON CONFLICT (line_user_id) DO UPDATE SET tap_key = excluded.tap_key, event_id = excluded.event_id, tapped_at = excluded.tapped_at
    WHERE t.event_id = excluded.event_id OR t.tap_key <> excluded.tap_key
       OR abs(extract(epoch FROM excluded.tapped_at - t.tapped_at)) * 1000 >= ${windowMs}
    RETURNING event_id`.execute(db);
  return rows.length > 0 ? 'first' : 'repeat';
}
