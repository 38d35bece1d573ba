// How every search of borrowers by name matches, so that the chat, the debtor list and the code lookup find the
// same people for the same words.
import { sql, type RawBuilder } from 'kysely';
import { NAME_KEY_FROM, NAME_KEY_TO, nameSearchKey } from '../domain/thai-text.ts';

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * True when every word of the query is in the name, in any order ("ทองคำ มาลี" finds มาลี ทองคำ), as typed or after
 * both are reduced to their name keys (nameSearchKey: "มาลิ ทองคํา" finds มาลี ทองคำ, "สมใจใจงาม" finds สมใจ ใจงาม).
 * A query with no words matches nothing.
 */
export function nameMatches(name: RawBuilder<unknown> | ReturnType<typeof sql.ref>, query: string): RawBuilder<boolean> {
  const words = query.split(/\s+/).filter(Boolean);
  const keys = words.map(nameSearchKey).filter(Boolean);
  if (words.length === 0) return sql<boolean>`false`;
  const exact = sql<boolean>`${name} ILIKE ALL (${words.map((word) => `%${escapeLike(word)}%`)}::text[])`;
  if (keys.length === 0) return exact;
  return sql<boolean>`(${exact} OR translate(${name}, ${NAME_KEY_FROM}, ${NAME_KEY_TO}) ILIKE ALL (${keys.map((key) => `%${escapeLike(key)}%`)}::text[]))`;
}
