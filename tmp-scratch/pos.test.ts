import { it } from 'vitest';
import { startTestApp } from '../test/support/test-app.ts';
it('pos', async () => {
  const t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([{ contract_no: 'P-1', full_name: 'ก ข', paid_total: '3,000' }]);
  console.log(JSON.stringify(await t.context.db.selectFrom('debtor_positions').selectAll().execute()));
  console.log(JSON.stringify(await t.context.db.selectFrom('installments').select(['seq','due_on','paid_satang']).limit(5).execute()));
  await t.close();
});
