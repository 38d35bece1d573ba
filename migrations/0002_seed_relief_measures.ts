// The relief-measure catalogue is data: this migration loads the version of it that shipped with it.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

interface MeasureSeed {
  code: string;
  kind: string;
  title: string;
  summary: string;
  details: string;
  effect: unknown;
  eligibility: unknown;
  sortOrder: number;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const seeds = JSON.parse(
    readFileSync(new URL('./data/relief-measures.v1.json', import.meta.url), 'utf8'),
  ) as MeasureSeed[];
  for (const m of seeds) {
    await sql`
      INSERT INTO relief_measures (code, kind, title, summary, details, effect, eligibility, sort_order)
      VALUES (${m.code}, ${m.kind}, ${m.title}, ${m.summary}, ${m.details},
              ${JSON.stringify(m.effect)}::jsonb, ${JSON.stringify(m.eligibility)}::jsonb, ${m.sortOrder})
      ON CONFLICT (code) DO NOTHING`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM relief_measures`.execute(db);
}
