// PDPA in the mini-app's API: ID tokens, national IDs, phones and documents never reach the logs, even when LINE's
// verification fails or a request is refused; LINE's trouble is a 503, not a 500 nor a 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { validNationalId } from '../support/registry.ts';
import { call, idTokenFor, PDF_BYTES } from './liff-support.ts';

const logLines: string[] = [];
const nationalId = validNationalId(731_002);
let t: TestApp;
let borrower: string;

beforeAll(async () => {
  t = await startTestApp({ logLines });
  await t.importLoans([{ contract_no: 'PV-1', national_id: nationalId, full_name: 'ลับ เฉพาะ', phone: '0877777777', paid_total: '0' }]);
  borrower = await t.linkBorrower('PV-1', 'ลับ เฉพาะ');
});
afterAll(async () => {
  await t?.close();
});

describe('personal data around the LIFF API', () => {
  it('answers 503 when LINE cannot verify, and logs no token or personal data anywhere', async () => {
    const token = idTokenFor(t, borrower);
    t.fake.failNext({ path: '/oauth2/v2.1/verify', status: 500 });
    const unavailable = await call(t, 'GET', '/api/liff/me', { token });
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.code).toBe('LINE_UNAVAILABLE');

    await call(t, 'POST', '/api/liff/documents', { token, raw: { bytes: PDF_BYTES, type: 'application/pdf' } });
    await call(t, 'POST', '/api/liff/enrollments', { token, headers: { 'idempotency-key': 'privacy-0001' }, body: { contractNo: 'PV-1', measureCode: 'term_extension', reason: 'ข้อมูลส่วนตัว', phone: '0866666666', consent: true } });
    await call(t, 'POST', '/api/liff/enrollments', { token, headers: { 'idempotency-key': 'privacy-0002' }, body: { contractNo: 'PV-1', phone: 'x' } });
    await call(t, 'GET', '/api/liff/me', { token: 'fake-id-token.not-a-real-one-at-all' });

    const all = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [token, nationalId, '0877777777', '0866666666', 'ลับ เฉพาะ', '%PDF']) expect(all).not.toContain(secret);
    const me = await call(t, 'GET', '/api/liff/me', { token });
    expect(me.headers.get('cache-control')).toBe('no-store');
  });
});
