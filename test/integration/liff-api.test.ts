// The mini-app's API over HTTP, with LIFF ID tokens verified against the fake LINE platform's /oauth2/v2.1/verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enrollmentCreatedSchema,
  enrollmentsResponseSchema,
  errorResponseSchema,
  measuresResponseSchema,
  meResponseSchema,
  previewResponseSchema,
} from '../../server/contracts/liff.ts';
import { fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { createBorrowerLinkCode } from '../../server/services/linking.service.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { call, idTokenFor, JPEG_BYTES, PDF_BYTES, pushedTo } from './liff-support.ts';
import { validNationalId } from '../support/registry.ts';
import { maskNationalId } from '../../server/domain/thai-national-id.ts';

let t: TestApp;
const nationalId = validNationalId(551_001);
let mali: string; // linked borrower, overdue on AP-1, paying AP-2 on time
let maliToken: string;
let other: string;
let districtOfficer: string;

const application = (overrides: Record<string, unknown> = {}) => ({
  contractNo: 'AP-1',
  measureCode: 'term_extension',
  reasonCode: 'income_lost',
  reason: 'ร้านขายของปิดไปสามเดือน รายได้ลดลงมาก',
  phone: '081-234-5678',
  monthlyIncome: 9000,
  monthlyExpenses: 7500.5,
  affordableMonthlyPayment: 500,
  consent: true,
  ...overrides,
});

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  const inBangPhra = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
  await t.importLoans([
    // 12,000 baht, no interest, 12 monthly installments from 15 Jan 2026, 3,000 paid: overdue since 15 Apr.
    { ...inBangPhra, contract_no: 'AP-1', national_id: nationalId, full_name: 'มาลี ทองคำ', paid_total: '3,000' },
    { ...inBangPhra, contract_no: 'AP-2', national_id: nationalId, full_name: 'มาลี ทองคำ', first_due_on: '2026-12-05' },
    { ...inBangPhra, contract_no: 'AP-9', full_name: 'บุษบา คนอื่น', paid_total: '0' },
    { ...inBangPhra, contract_no: 'AP-8', full_name: 'เรไร มาใหม่', paid_total: '0' },
  ]);
  mali = await t.linkBorrower('AP-1', 'มาลี ทองคำ');
  other = await t.linkBorrower('AP-9', 'บุษบา คนอื่น');
  maliToken = idTokenFor(t, mali);
  districtOfficer = await t.linkOfficer({ name: 'วิชัย', role: 'district', area: 'ตราด/เมืองตราด' });
});
afterAll(async () => {
  await t?.close();
});

describe('authentication', () => {
  it('answers 401 UNAUTHENTICATED without a token, with a malformed one, or one LINE does not know', async () => {
    for (const token of [undefined, 'x', 'fake-id-token.0123456789abcdef']) {
      const answer = await call(t, 'GET', '/api/liff/me', { token });
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses an expired token and a token for another channel', async () => {
    const expired = t.fake.issueIdToken(mali, -60);
    expect((await call(t, 'GET', '/api/liff/me', { token: expired })).body.code).toBe('UNAUTHENTICATED');
    const foreign = t.fake.issueIdToken(mali, 3600, '1234567890');
    const answer = await call(t, 'GET', '/api/liff/me', { token: foreign });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('UNAUTHENTICATED');
  });

  it('asks LINE once per token and then remembers it until it expires', async () => {
    const token = idTokenFor(t, mali);
    const before = t.fake.requestsTo('/oauth2/v2.1/verify').length;
    expect((await call(t, 'GET', '/api/liff/me', { token })).status).toBe(200);
    expect((await call(t, 'GET', '/api/liff/enrollments', { token })).status).toBe(200);
    const verifications = t.fake.requestsTo('/oauth2/v2.1/verify').slice(before);
    expect(verifications).toHaveLength(1);
    expect(verifications[0]!.body).toMatchObject({ id_token: token, client_id: t.fake.loginChannelId });
  });

  it('takes the user only from the verified token, never from what the page says', async () => {
    const answer = await call(t, 'GET', `/api/liff/me?lineUserId=${other}&userId=${other}`, { token: maliToken, headers: { 'x-line-user-id': other } });
    expect(answer.status).toBe(200);
    expect(answer.body.borrower.fullName).toBe('มาลี ทองคำ');
  });

  it('answers 403 NOT_LINKED for a LINE user not linked to a borrower', async () => {
    const stranger = fakeLineUserId('liff-stranger');
    const answer = await call(t, 'GET', '/api/liff/me', { token: idTokenFor(t, stranger) });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('NOT_LINKED');
  });
});

describe('catalogue, my loans, eligibility and preview', () => {
  it('lists the measures without a token', async () => {
    const answer = await call(t, 'GET', '/api/liff/measures');
    expect(answer.status).toBe(200);
    const measures = measuresResponseSchema.parse(answer.body);
    expect(measures.map((m) => m.code)).toEqual([
      'keep_paying', 'consolidation', 'term_extension', 'rate_reduction', 'principal_pause', 'debt_suspension', 'penalty_waiver', 'refinance', 'other',
    ]);
    expect(measures[0]).toMatchObject({ title: 'พักหนี้ไม่พักจ่าย', changesSchedule: true });
    expect(measures.find((m) => m.code === 'penalty_waiver')!.changesSchedule).toBe(false);
  });

  it('links an account from the mini-app with the officer’s code', async () => {
    const newcomer = fakeLineUserId('liff-newcomer');
    const token = idTokenFor(t, newcomer);
    const wrong = await call(t, 'POST', '/api/liff/link', { token, body: { code: '0000 0000' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'code', message: expect.stringContaining('รหัสผูกบัญชีไม่ถูกต้อง') }]);
    const malformed = await call(t, 'POST', '/api/liff/link', { token, body: { code: '12' } });
    expect(malformed.body.errors[0]).toMatchObject({ path: 'code', message: expect.stringContaining('8 หลัก') });
    const { code } = await createBorrowerLinkCode(t.context, { contractNo: 'AP-8' }, { actor: 'test', at: t.clock.now() });
    const linked = await call(t, 'POST', '/api/liff/link', { token, body: { code: `${code.slice(0, 4)} ${code.slice(4)}` } });
    expect(linked.status).toBe(200);
    expect(linked.body).toEqual({ linked: 'borrower', fullName: 'เรไร มาใหม่' });
    expect((await call(t, 'GET', '/api/liff/me', { token })).body.borrower.fullName).toBe('เรไร มาใหม่');
  });

  it('shows my loans with schedule, paid, overdue, status colour and a masked national ID', async () => {
    const answer = await call(t, 'GET', '/api/liff/me', { token: maliToken });
    const me = meResponseSchema.parse(answer.body);
    expect(me.borrower).toMatchObject({ nationalIdMasked: maskNationalId(nationalId), status: 'defaulted', colour: '#D32F2F', area: 'ต.บางพระ อ.เมืองตราด จ.ตราด' });
    expect(JSON.stringify(answer.body)).not.toContain(nationalId);
    const ap1 = me.loans.find((l) => l.contractNo === 'AP-1')!;
    expect(ap1).toMatchObject({ status: 'defaulted', statusLabel: 'มียอดค้างชำระ', paidTotal: 300_000, overdue: 800_000, outstandingTotal: 900_000 });
    expect(ap1.installments).toHaveLength(12);
    expect(ap1.installments[0]).toMatchObject({ dueOn: '2026-01-15', amount: 100_000, paid: 100_000, state: 'paid' });
    expect(ap1.installments[3]).toMatchObject({ state: 'overdue' });
    expect(ap1.installments[11]).toMatchObject({ dueOn: '2026-12-15', state: 'upcoming' });
    const ap2 = me.loans.find((l) => l.contractNo === 'AP-2')!;
    expect(ap2).toMatchObject({ status: 'normal', colour: '#1E9E4A' });
  });

  it('says per loan which measures the borrower can join, and why not', async () => {
    const me = meResponseSchema.parse((await call(t, 'GET', '/api/liff/me', { token: maliToken })).body);
    const verdict = (contract: string, measure: string) => me.loans.find((l) => l.contractNo === contract)!.eligibility.find((e) => e.measureCode === measure)!;
    expect(verdict('AP-1', 'term_extension')).toEqual({ measureCode: 'term_extension', eligible: true, reasons: [] });
    expect(verdict('AP-1', 'penalty_waiver').eligible).toBe(true);
    expect(verdict('AP-2', 'penalty_waiver')).toMatchObject({ eligible: false, reasons: [expect.stringContaining('ค้างชำระ')] });
    expect(verdict('AP-1', 'consolidation').eligible).toBe(true); // two loans with money owed
  });

  it('previews a longer term: the new installment and end date, computed by the server', async () => {
    const answer = await call(t, 'GET', '/api/liff/preview?contractNo=AP-1&measureCode=term_extension', { token: maliToken });
    expect(answer.status).toBe(200);
    const preview = previewResponseSchema.parse(answer.body);
    expect(preview).toMatchObject({ changesSchedule: true, contracts: ['AP-1'] });
    expect(preview.before).toMatchObject({ regularInstallment: 100_000, lastDueOn: '2026-12-15', remainingTotal: 900_000 });
    expect(preview.after).toMatchObject({ regularInstallment: 24_324, firstDueOn: '2026-12-15', lastDueOn: '2029-12-15', remainingInstallments: 37 });
    expect(preview.explanation.join('\n')).toContain('฿243.24');
    expect(preview.explanation.join('\n')).toContain('15 ธ.ค. 2572');
    expect(preview.firstInstallments[0]).toEqual({ dueOn: '2026-12-15', principal: 24_324, interest: 0, amount: 24_324 });
  });

  it('refuses to preview another borrower’s contract', async () => {
    const answer = await call(t, 'GET', '/api/liff/preview?contractNo=AP-9&measureCode=term_extension', { token: maliToken });
    expect(answer.status).toBe(403);
  });
});

describe('POST /api/liff/enrollments', () => {
  it('rejects invalid input with Thai messages per field', async () => {
    const answer = await call(t, 'POST', '/api/liff/enrollments', {
      token: maliToken,
      headers: { 'idempotency-key': 'invalid-0001' },
      body: application({ phone: '12345', consent: false, reason: '', monthlyIncome: -5 }),
    });
    expect(answer.status).toBe(400);
    const error = errorResponseSchema.parse(answer.body);
    expect(error.code).toBe('VALIDATION');
    const byPath = Object.fromEntries(error.errors!.map((e) => [e.path, e.message]));
    expect(Object.keys(byPath).sort()).toEqual(['consent', 'monthlyIncome', 'phone', 'reason']);
    expect(byPath.phone).toContain('เบอร์โทรศัพท์ไม่ถูกต้อง');
    expect(byPath.consent).toContain('ยินยอม');
    expect(byPath.monthlyIncome).toContain('ต้องไม่ติดลบ');
    for (const message of Object.values(byPath)) expect(message).toMatch(/[\u0E00-\u0E7F]/);
  });

  it('requires an Idempotency-Key', async () => {
    const answer = await call(t, 'POST', '/api/liff/enrollments', { token: maliToken, body: application() });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'VALIDATION', errors: [{ path: 'Idempotency-Key' }] });
  });

  it('refuses another borrower’s contract with 403', async () => {
    const answer = await call(t, 'POST', '/api/liff/enrollments', { token: maliToken, headers: { 'idempotency-key': 'other-0001' }, body: application({ contractNo: 'AP-9' }) });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('FORBIDDEN');
  });

  it('refuses a measure the loan is not eligible for, saying why beside the measure', async () => {
    const answer = await call(t, 'POST', '/api/liff/enrollments', {
      token: maliToken,
      headers: { 'idempotency-key': 'inelig-0001' },
      body: application({ contractNo: 'AP-2', measureCode: 'penalty_waiver' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ path: 'measureCode', message: expect.stringContaining('ค้างชำระ') });
  });

  it('creates the application once per Idempotency-Key, and 409 for a second open one', async () => {
    const upload = await call(t, 'POST', '/api/liff/documents', { token: maliToken, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } });
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ contentType: 'image/jpeg', byteSize: JPEG_BYTES.length });

    const body = application({ documentIds: [upload.body.id] });
    const first = await call(t, 'POST', '/api/liff/enrollments', { token: maliToken, headers: { 'idempotency-key': 'double-tap-0001' }, body });
    expect(first.status).toBe(201);
    expect(enrollmentCreatedSchema.parse(first.body)).toEqual({ id: expect.any(Number), status: 'district_review' });

    const again = await call(t, 'POST', '/api/liff/enrollments', { token: maliToken, headers: { 'idempotency-key': 'double-tap-0001' }, body });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const rows = await t.context.db.selectFrom('enrollments').select('id').where('submitted_by_line_user_id', '=', mali).execute();
    expect(rows).toHaveLength(1);
    // The same key for another measure (she changed the form after a send whose answer was lost): not reported as
    // made, but told that the first one arrived (found in review: the change silently became "sent #<first>").
    const changed = await call(t, 'POST', '/api/liff/enrollments', { token: maliToken, headers: { 'idempotency-key': 'double-tap-0001' }, body: { ...body, measureCode: 'keep_paying' } });
    expect(changed.status).toBe(409);
    expect(changed.body.message).toContain(`คำขอเลขที่ ${first.body.id} สัญญา AP-1`);
    expect(await t.context.db.selectFrom('enrollments').select('id').where('submitted_by_line_user_id', '=', mali).execute()).toHaveLength(1);

    const second = await call(t, 'POST', '/api/liff/enrollments', { token: maliToken, headers: { 'idempotency-key': 'double-tap-0002' }, body: application() });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('CONFLICT');
    // Another measure for the same loan while this one is open: measures do not stack, so she is told to withdraw first.
    const another = await call(t, 'POST', '/api/liff/enrollments', { token: maliToken, headers: { 'idempotency-key': 'double-tap-0003' }, body: application({ measureCode: 'keep_paying' }) });
    expect(another.status).toBe(400);
    expect(another.body.errors[0]).toMatchObject({ path: 'measureCode', message: expect.stringContaining(`สัญญานี้มีคำขอเลขที่ ${first.body.id} เข้าร่วมมาตรการ "`) });
    const me = meResponseSchema.parse((await call(t, 'GET', '/api/liff/me', { token: maliToken })).body);
    const keepPaying = me.loans.find((l) => l.contractNo === 'AP-1')!.eligibility.find((e) => e.measureCode === 'keep_paying')!;
    expect(keepPaying).toMatchObject({ eligible: false, reasons: [expect.stringContaining('ถอนคำขอเดิม')] });

    // The district officer of her district got the card; she got a plain-Thai acknowledgement.
    expect((await pushedTo(t, districtOfficer)).some((m) => String(m.message.altText).includes(`คำขอเข้าร่วมมาตรการ #${first.body.id}`))).toBe(true);
    expect((await pushedTo(t, mali)).some((m) => String(m.message.altText).includes('ได้รับคำขอของท่านแล้วค่ะ'))).toBe(true);
  });

  it('creates one application when the same key arrives many times at once', async () => {
    const headers = { 'idempotency-key': 'concurrent-0001' };
    const body = application({ contractNo: 'AP-2', measureCode: 'rate_reduction' });
    // A dozen taps a millisecond or so apart: some see the first one committed, some race it.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        new Promise((resolve) => setTimeout(resolve, i % 4)).then(() => call(t, 'POST', '/api/liff/enrollments', { token: maliToken, headers, body })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });

  it('lists my applications with status, history and documents', async () => {
    const answer = await call(t, 'GET', '/api/liff/enrollments', { token: maliToken });
    expect(answer.status).toBe(200);
    const list = enrollmentsResponseSchema.parse(answer.body);
    const extension = list.find((e) => e.measureCode === 'term_extension')!;
    expect(extension).toMatchObject({
      status: 'district_review',
      statusLabel: 'รอสำนักงานพัฒนาชุมชนอำเภอตรวจสอบ',
      awaitingLevel: 'district',
      deadlineAt: '2026-12-08T03:00:00.000Z',
      phone: '0812345678',
      monthlyExpenses: 750_050,
      canWithdraw: true,
    });
    expect(extension.history).toEqual([{ at: '2026-11-23T03:00:00.000Z', fromStatus: null, toStatus: 'district_review', label: extension.statusLabel, note: null }]);
    expect(extension.documents).toHaveLength(1);
    // Only my own applications.
    expect((await call(t, 'GET', '/api/liff/enrollments', { token: idTokenFor(t, other) })).body).toEqual([]);
  });

  it('withdraws an open application', async () => {
    const list = enrollmentsResponseSchema.parse((await call(t, 'GET', '/api/liff/enrollments', { token: maliToken })).body);
    const rate = list.find((e) => e.measureCode === 'rate_reduction')!;
    const answer = await call(t, 'POST', `/api/liff/enrollments/${rate.id}/withdraw`, { token: maliToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'withdrawn', canWithdraw: false });
    expect((await call(t, 'POST', `/api/liff/enrollments/${rate.id}/withdraw`, { token: maliToken })).status).toBe(409);
    expect((await call(t, 'POST', `/api/liff/enrollments/${rate.id}/withdraw`, { token: idTokenFor(t, other) })).status).toBe(404);
  });
});

describe('documents', () => {
  it('decides the type from the bytes, not from the client', async () => {
    const pdf = await call(t, 'POST', '/api/liff/documents', { token: maliToken, raw: { bytes: PDF_BYTES, type: 'image/jpeg' } });
    expect(pdf.status).toBe(201);
    expect(pdf.body.contentType).toBe('application/pdf');
    const fake = await call(t, 'POST', '/api/liff/documents', { token: maliToken, raw: { bytes: new TextEncoder().encode('<html>not an image</html>'), type: 'image/png' } });
    expect(fake.status).toBe(400);
    expect(fake.body.errors[0]).toMatchObject({ path: 'file', message: expect.stringContaining('(JPEG, PNG) หรือไฟล์ PDF') });
  });

  it('refuses a file over 5 MB', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff]);
    const answer = await call(t, 'POST', '/api/liff/documents', { token: maliToken, raw: { bytes: big, type: 'application/octet-stream' } });
    expect(answer.status).toBe(413);
  });

  it('shows a document to its owner only, never to another borrower', async () => {
    const upload = await call(t, 'POST', '/api/liff/documents', { token: maliToken, raw: { bytes: JPEG_BYTES, type: 'application/octet-stream' } });
    const own = await fetch(`${t.url}/api/liff/documents/${upload.body.id}`, { headers: { authorization: `Bearer ${maliToken}` } });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(JPEG_BYTES);
    expect((await call(t, 'GET', `/api/liff/documents/${upload.body.id}`, { token: idTokenFor(t, other) })).status).toBe(403);
  });

  it('keeps documents encrypted at rest', async () => {
    const upload = await call(t, 'POST', '/api/liff/documents', { token: maliToken, raw: { bytes: PDF_BYTES, type: 'application/pdf' } });
    const row = await t.context.db.selectFrom('enrollment_documents').select(['content', 'byte_size']).where('id', '=', upload.body.id).executeTakeFirstOrThrow();
    expect(row.byte_size).toBe(PDF_BYTES.length);
    expect(Buffer.from(row.content).includes(Buffer.from('%PDF'))).toBe(false);
    expect(new Uint8Array(t.context.cipher.openBytes(Buffer.from(row.content)))).toEqual(PDF_BYTES);
  });
});
