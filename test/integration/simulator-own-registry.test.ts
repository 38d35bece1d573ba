// The simulator on a database that holds the operator's own registry (imported before the simulator was first
// opened): it used to fail to start ("/simulator-api/personas: 404") looking for the demo's contracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { ensureDemoData } from '../../server/dev/demo-data.ts';
import { createBorrowerLinkCode } from '../../server/services/linking.service.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([{ contract_no: 'OWN-REG-1', full_name: 'ลำดวน ทองคำ' }]);
});
afterAll(async () => {
  await t?.close();
});

describe('the simulator on an operator\'s own registry', () => {
  it('offers LINE users to link with her codes, and brings them back as whom they linked to', async () => {
    const personas = await ensureDemoData(t.context);
    expect(personas.length).toBeGreaterThan(1);
    expect(personas.every((p) => p.kind === 'guest')).toBe(true);
    // No demo data is mixed into her registry.
    expect(await t.context.db.selectFrom('loans').select('contract_no').execute()).toEqual([{ contract_no: 'OWN-REG-1' }]);
    const { code } = await createBorrowerLinkCode(t.context, { contractNo: 'OWN-REG-1' }, { actor: 'cli', at: t.clock.now() });
    expect((await t.say(personas[0]!.lineUserId, code))[0]).toContain('คุณลำดวน ทองคำ');
    const again = await ensureDemoData(t.context);
    expect(again[0]).toMatchObject({ label: 'ลำดวน ทองคำ', kind: 'borrower' });
  });
});
