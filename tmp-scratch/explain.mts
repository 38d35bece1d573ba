import { sql } from 'kysely';
import { openDatabase } from '/work/wt/officer/server/db/connection.ts';
import { listDebtors } from '/work/wt/officer/server/db/repos/debtor-list.repo.ts';
const h = await openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:54329/wdf_test_aabc06c68ea8' });
const viewer = { officerId: 1, role: 'province' as const, scopePath: 'ตราด' };
for (let i = 0; i < 3; i++) { const t = performance.now(); const r = await listDebtors(h.db, viewer, {}, '2026-11-23', { limit: 20, offset: 0 }); console.log('list', (performance.now() - t).toFixed(0), r.total); }
await h.close();
