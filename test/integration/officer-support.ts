// Helpers for the officers' pages: calls to /api/liff/officer/* as a LINE user, with fresh idempotency keys.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TestApp } from '../support/test-app.ts';
import { call, idTokenFor, type ApiAnswer } from './liff-support.ts';

export function asUser(t: TestApp, lineUserId: string) {
  const token = idTokenFor(t, lineUserId);
  return {
    token,
    get: <T = any>(path: string): Promise<ApiAnswer<T>> => call<T>(t, 'GET', path, { token }),
    post: <T = any>(path: string, body?: unknown, key?: string): Promise<ApiAnswer<T>> =>
      call<T>(t, 'POST', path, { token, body, headers: key === undefined ? {} : { 'Idempotency-Key': key } }),
    put: <T = any>(path: string, body?: unknown): Promise<ApiAnswer<T>> => call<T>(t, 'PUT', path, { token, body }),
    patch: <T = any>(path: string, body?: unknown): Promise<ApiAnswer<T>> => call<T>(t, 'PATCH', path, { token, body }),
  };
}

export const newKey = () => `k-${randomUUID()}`;

/** A follow-up body with sensible defaults: a home visit today where the debtor was met. */
export function visit(borrowerId: number, overrides: Record<string, unknown> = {}) {
  return { borrowerId, kind: 'visit', stage: 'follow', contactedOn: '2026-11-23', outcome: 'met', note: 'พบตัว คุยเรื่องการชำระ', ...overrides };
}

/** The borrower id behind a contract number. */
export async function borrowerIdOf(t: TestApp, contractNo: string): Promise<number> {
  const row = await t.context.db.selectFrom('loans').select('borrower_id').where('contract_no', '=', contractNo).executeTakeFirstOrThrow();
  return row.borrower_id;
}

export async function installmentsOf(t: TestApp, contractNo: string) {
  return t.context.db
    .selectFrom('installments as i')
    .innerJoin('loans as l', 'l.id', 'i.loan_id')
    .select(['i.seq', 'i.due_on', 'i.principal_satang', 'i.interest_satang', 'i.paid_satang'])
    .where('l.contract_no', '=', contractNo)
    .orderBy('i.seq')
    .execute();
}

/** debtor_positions as the triggers left them, and as recomputing them from scratch gives: they must agree. */
export async function positionsAgree(t: TestApp): Promise<{ kept: unknown[]; recomputed: unknown[] }> {
  const read = () => t.context.db.selectFrom('debtor_positions').selectAll().orderBy('borrower_id').execute();
  const kept = await read();
  await sql`SELECT refresh_debtor_positions(ARRAY(SELECT id FROM borrowers))`.execute(t.context.db);
  return { kept, recomputed: await read() };
}
