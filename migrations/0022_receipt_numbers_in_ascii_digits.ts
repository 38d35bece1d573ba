// Receipt numbers are compared as normalised text (one receipt for a loan is one payment). Thai digits now become
// ASCII digits and spaces go when a receipt is read (normalizeReceiptNo), so "รบ. ๑๒๓/๒๕๖๙" and "รบ.123/2569" are the
// same receipt; receipts recorded before are brought to the same form, or one typed the other way would be counted
// again.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE payments SET receipt_no = regexp_replace(translate(receipt_no, '๐๑๒๓๔๕๖๗๘๙', '0123456789'), '[[:space:]]+', '', 'g')
    WHERE receipt_no ~ '[๐-๙[:space:]]'`.execute(db);
}

export async function down(): Promise<void> {
  // Nothing to undo: which digits were typed is not worth keeping, and the old code reads ASCII digits too.
}
