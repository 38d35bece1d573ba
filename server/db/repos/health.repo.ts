// The cheapest round trip to the database: is it there?
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
