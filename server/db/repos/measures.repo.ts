// The relief-measure catalogue (seeded by migration from migrations/data).
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface ReliefMeasure {
  code: string;
  kind: 'campaign' | 'restructuring_form';
  title: string;
  summary: string;
  details: string;
  effect: Record<string, unknown>;
  eligibility: Record<string, unknown>;
}

export async function listActiveMeasures(db: Kysely<Database>): Promise<ReliefMeasure[]> {
  return db
    .selectFrom('relief_measures')
    .select(['code', 'kind', 'title', 'summary', 'details', 'effect', 'eligibility'])
    .where('active', '=', true)
    .orderBy('sort_order')
    .execute();
}

/** A measure by code, active or not (an application keeps the measure it was made for). */
export async function findMeasureByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('relief_measures')
    .select(['code', 'kind', 'title', 'summary', 'details', 'effect', 'eligibility', 'active'])
    .where('code', '=', code)
    .executeTakeFirst();
}
