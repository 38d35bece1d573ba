// One row per scheduled run slot: the replica that records it first runs the job, the others skip it.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** True when this process took the slot (and should run the job). */
export async function claimJobSlot(db: Kysely<Database>, job: string, slot: string): Promise<boolean> {
  const row = await db
    .insertInto('job_runs')
    .values({ job_name: job, run_key: slot })
    .onConflict((oc) => oc.columns(['job_name', 'run_key']).doNothing())
    .returning('job_name')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishJobSlot(db: Kysely<Database>, job: string, slot: string, summary: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('job_runs')
    .set((eb) => ({ finished_at: eb.fn<Date>('now', []), summary: JSON.stringify(summary) }))
    .where('job_name', '=', job)
    .where('run_key', '=', slot)
    .execute();
}
