// The slips of one bank transfer sent by several borrowers (one transfer paying for two members, or a slip used
// again) are found together by their group: the first slip of the transfer, which the later ones point at
// (duplicate_of). An expression index on that group answers the slips queue and every confirm without reading the
// table; a borrower's own repeats (status 'duplicate') are in no group and not in the index.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX payment_slips_transfer_group ON payment_slips ((COALESCE(duplicate_of, id))) WHERE status <> 'duplicate'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX payment_slips_transfer_group`.execute(db);
}
