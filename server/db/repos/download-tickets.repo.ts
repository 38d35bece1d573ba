// One-time download tickets: issued for one LINE user and one address, taken once before they expire.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export async function insertDownloadTicket(
  db: Kysely<Database>,
  ticket: { tokenHash: string; lineUserId: string; path: string; at: Date; expiresAt: Date },
): Promise<void> {
  // Expired tickets of anyone go as new ones are made: the table stays a few rows long.
  await db.deleteFrom('download_tickets').where('expires_at', '<', ticket.at).execute();
  await db
    .insertInto('download_tickets')
    .values({ token_hash: ticket.tokenHash, line_user_id: ticket.lineUserId, path: ticket.path, created_at: ticket.at, expires_at: ticket.expiresAt })
    .execute();
}

/** Marks the ticket used and says whose it was; undefined when unknown, used, expired or made for another address. */
export async function takeDownloadTicket(db: Kysely<Database>, tokenHash: string, path: string, at: Date): Promise<string | undefined> {
  const row = await db
    .updateTable('download_tickets')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('path', '=', path)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning('line_user_id')
    .executeTakeFirst();
  return row?.line_user_id;
}
