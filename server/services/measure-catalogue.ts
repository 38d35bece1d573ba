// The relief-measure catalogue changes only with a migration, so each process keeps it for a minute
// instead of reading it on every chat message.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listActiveMeasures, type ReliefMeasure } from '../db/repos/measures.repo.ts';

const TTL_MS = 60_000;
const cache = new WeakMap<Kysely<Database>, { at: number; measures: Promise<ReliefMeasure[]> }>();

export function activeMeasures(db: Kysely<Database>): Promise<ReliefMeasure[]> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.measures;
  const measures = listActiveMeasures(db);
  cache.set(db, { at: Date.now(), measures });
  measures.catch(() => cache.delete(db));
  return measures;
}
