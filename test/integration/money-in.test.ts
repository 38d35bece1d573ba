// Money in, end to end against the fake LINE platform: the bill-payment QR in the chat and in reminders (an image
// LINE's app fetches from us, whose QR pays exactly what is due), transfer slips sent in the chat (read through
// the content API, sealed, duplicates caught, thanked) and the officers' queue (confirm → a recorded payment with
// the slip; reject → the borrower is told why), and statement imports uploaded by a province officer (matched,
// unmatched, ambiguous, outside the area, the same file again, a malformed row), scoped to the officer's area.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, validate } from 'promptparse';
import { slipsResponseSchema, statementImportResponseSchema, statementPageSchema } from '../../server/contracts/money.ts';
import { readRef2 } from '../../server/domain/promptpay.ts';
import { readQrText } from '../../server/render/slip-qr-reader.ts';
import { makeSlipPhoto } from '../support/slip-photo.ts';
import { debtorPageSchema } from '../../server/contracts/officer.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { call, idTokenFor, pushedTo } from './liff-support.ts';
import { asUser, installmentsOf } from './officer-support.ts';

const BILLER = '099400016285701';
const PUBLIC = 'https://wdf.example';
const TRAT = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
const LAEM_NGOP = { province: 'ตราด', district: 'แหลมงอบ', subdistrict: 'บางปิด' };
const CHANTHABURI = { province: 'จันทบุรี', district: 'เมืองจันทบุรี', subdistrict: 'ตลาด' };

let t: TestApp;
let borrower: string; // MI-1: 10,000 of 12,000 paid, November's 1,000 overdue
let current: string; // MI-2: 11,000 paid, the next installment (15 Dec) is 1,000
let officer: ReturnType<typeof asUser>; // district officer, เมืองตราด
let outsider: ReturnType<typeof asUser>; // district officer, แหลมงอบ
let mentor: ReturnType<typeof asUser>;
let province: ReturnType<typeof asUser>; // province officer, ตราด
let guest: string;
/** The officers' LINE accounts, for what the bot pushed to them. */
const lineOf: Record<'officer' | 'outsider' | 'province', string> = { officer: '', outsider: '', province: '' };

const slipQrText = (transRef: string, bank = '004') => generate.slipVerify({ sendingBank: bank, transRef });

async function sendPhoto(userId: string, bytes: Buffer | undefined, options: { group?: boolean } = {}): Promise<{ event: Record<string, unknown>; replies: string[] }> {
  const before = t.fake.messagesTo(userId).length;
  const event = t.fake.imageEvent(userId, bytes) as unknown as Record<string, unknown>;
  if (options.group) event.source = { type: 'group', groupId: 'Cgroup0001', userId };
  const result = await t.deliver([event]);
  expect(result.status).toBe(200);
  return { event, replies: t.fake.textsTo(userId).slice(before) };
}

async function slipRows() {
  return t.context.db.selectFrom('payment_slips').selectAll().orderBy('id').execute();
}

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z', env: { PROMPTPAY_BILLER_ID: BILLER, PUBLIC_URL: PUBLIC } });
  await t.importLoans([
    { ...TRAT, contract_no: 'MI-2566-0001', full_name: 'สมศรี ใจดี', paid_total: '10,000' },
    { ...TRAT, contract_no: 'MI-2566-0002', full_name: 'มาลี ทองคำ', paid_total: '11,000' },
    { ...TRAT, contract_no: 'MI-2566-0003', full_name: 'บุษบา มีสุข', paid_total: '0' },
    { ...TRAT, contract_no: 'A-1-23', full_name: 'ลำดวน ทองสุข', paid_total: '0' },
    { ...TRAT, contract_no: 'A-12-3', full_name: 'นงลักษณ์ ใจงาม', paid_total: '0' },
    { ...LAEM_NGOP, contract_no: 'MI-2566-0009', full_name: 'สุดา พรหมมา', paid_total: '0' },
    { ...CHANTHABURI, contract_no: 'JB-2566-0001', full_name: 'ประไพ ศรีสุข', paid_total: '0' },
  ]);
  borrower = await t.linkBorrower('MI-2566-0001', 'สมศรี ใจดี');
  current = await t.linkBorrower('MI-2566-0002', 'มาลี ทองคำ');
  lineOf.officer = await t.linkOfficer({ name: 'วิชัย ทองดี', role: 'district', area: 'ตราด/เมืองตราด' });
  officer = asUser(t, lineOf.officer);
  lineOf.outsider = await t.linkOfficer({ name: 'ศรีสุดา แสงทอง', role: 'district', area: 'ตราด/แหลมงอบ' });
  outsider = asUser(t, lineOf.outsider);
  mentor = asUser(t, await t.linkOfficer({ name: 'บุญเรือน ใจดี', role: 'mentor', area: 'ตราด/เมืองตราด/บางพระ' }));
  lineOf.province = await t.linkOfficer({ name: 'ประเสริฐ ตราดดี', role: 'province', area: 'ตราด' });
  province = asUser(t, lineOf.province);
  guest = 'U' + 'f'.repeat(32);
  t.fake.addUser(guest, 'ผู้ใช้ใหม่');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Fetches the QR image LINE's app would open, and reads the payment it encodes. */
async function qrBehind(url: string) {
  expect(url.startsWith(`${PUBLIC}/pay/qr/`)).toBe(true);
  const response = await fetch(`${t.url}${url.slice(PUBLIC.length)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  const png = Buffer.from(await response.arrayBuffer());
  const payload = await readQrText(png);
  expect(payload).toBeDefined();
  return { payload: payload!, read: validate.billPayment(payload!) };
}

describe('paying by QR from the chat', () => {
  it('"วิธีชำระ" answers with a QR image whose bill payment is the arrears, to the fund, for this contract', async () => {
    const before = t.fake.messagesTo(borrower).length;
    await t.say(borrower, 'วิธีชำระ');
    const answer = t.fake.messagesTo(borrower).slice(before).map((m) => m.message);
    expect(answer[0]).toMatchObject({ type: 'text' });
    expect(String(answer[0]!.text)).toContain('MI-2566-0001');
    expect(String(answer[0]!.text)).toContain('฿1,000.00');
    const image = answer.find((m) => m.type === 'image')!;
    expect(image).toBeDefined();
    expect(image.previewImageUrl).toBe(image.originalContentUrl);
    const { read } = await qrBehind(String(image.originalContentUrl));
    expect(read).toMatchObject({ billerId: BILLER, ref1: 'MI25660001', amount: 1000 });
    // Ref2: installment 000 (arrears) with its check digits, tied to this Ref1.
    expect(readRef2('MI25660001', read!.ref2!)).toBe(0);
    const stored = await t.context.db.selectFrom('loans').select('payment_ref1').where('contract_no', '=', 'MI-2566-0001').executeTakeFirstOrThrow();
    expect(stored.payment_ref1).toBe('MI25660001');
  });

  it('asks a borrower who is up to date for the next installment (its number in Ref2)', async () => {
    const before = t.fake.messagesTo(current).length;
    await t.say(current, 'จ่ายเงินยังไง');
    const image = t.fake.messagesTo(current).slice(before).map((m) => m.message).find((m) => m.type === 'image');
    const { read } = await qrBehind(String(image!.originalContentUrl));
    expect(read).toMatchObject({ ref1: 'MI25660002', amount: 1000 });
    expect(readRef2('MI25660002', read!.ref2!)).toBe(12);
  });

  it('refuses a forged or altered image address (410), and never names the borrower in it', async () => {
    const before = t.fake.messagesTo(borrower).length;
    await t.say(borrower, 'วิธีชำระ');
    const url = String(t.fake.messagesTo(borrower).slice(before).map((m) => m.message).find((m) => m.type === 'image')!.originalContentUrl);
    const path = url.slice(PUBLIC.length);
    expect(path).not.toContain('สมศรี');
    // The same ticket with another amount: the signature no longer fits.
    const altered = path.replace(/^(\/pay\/qr\/\d+-\d+-)(\d+)/, (_, head: string) => `${head}1`);
    expect(altered).not.toBe(path);
    expect((await fetch(`${t.url}${altered}`)).status).toBe(410);
    expect((await fetch(`${t.url}/pay/qr/1-0-100-99999.${'A'.repeat(27)}.png`)).status).toBe(410);
  });

  it('a guest still gets the counter and transfer text (no personal QR before linking)', async () => {
    const replies = await t.say(guest, 'วิธีชำระ');
    expect(replies.join('\n')).toContain('วิธีชำระเงินคืนกองทุน');
  });

  it('every reminder with an amount carries the QR that pays it', async () => {
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    const pushed = (await pushedTo(t, borrower)).map((m) => m.message);
    const reminderAt = pushed.findIndex((m) => m.type === 'text' && String(m.text).includes('สแกนจ่ายได้จากรูป QR'));
    expect(reminderAt).toBeGreaterThanOrEqual(0);
    const image = pushed[reminderAt + 1]!;
    expect(image.type).toBe('image');
    const { read } = await qrBehind(String(image.originalContentUrl));
    expect(read).toMatchObject({ billerId: BILLER, ref1: 'MI25660001', amount: 1000 });
  });
});

describe('a slip sent in the chat', () => {
  let slipPhoto: Buffer;
  let firstSlipId: number;

  beforeAll(async () => {
    slipPhoto = await makeSlipPhoto({ qrText: slipQrText('015047154829ATF06472') });
  });

  it('is read through the content API, stored sealed with its bank reference, and the borrower is thanked', async () => {
    const { replies } = await sendPhoto(borrower, slipPhoto);
    expect(replies.join('\n')).toContain('ได้รับสลิปแล้วค่ะ คุณสมศรี ใจดี');
    expect(replies.join('\n')).toContain('เจ้าหน้าที่กำลังตรวจสอบ');
    const [slip] = await slipRows();
    expect(slip).toMatchObject({ status: 'pending', bank_code: '004', trans_ref: '015047154829ATF06472', content_type: 'image/jpeg', byte_size: slipPhoto.length });
    expect(slip!.content.equals(slipPhoto)).toBe(false);
    expect(slip!.content.includes(slipPhoto.subarray(0, 64))).toBe(false);
    expect(t.context.cipher.openBytes(slip!.content).equals(slipPhoto)).toBe(true);
    firstSlipId = slip!.id;
  }, 30_000);

  it('catches the same slip sent again — the same photo, or another photo of the same transfer — and a redelivered event', async () => {
    const again = await sendPhoto(borrower, slipPhoto);
    expect(again.replies.join('\n')).toContain('สลิปนี้ส่งมาแล้ว');
    const otherPhoto = await makeSlipPhoto({ qrText: slipQrText('015047154829ATF06472'), rotation: -0.04, seed: 99 });
    const same = await sendPhoto(borrower, otherPhoto);
    expect(same.replies.join('\n')).toContain('สลิปนี้ส่งมาแล้ว');
    // LINE redelivers an event it thinks was lost: the same message id stores nothing more.
    await t.deliver([{ ...same.event, webhookEventId: `${String(same.event.webhookEventId)}-redelivered`, deliveryContext: { isRedelivery: true } }]);
    const rows = await slipRows();
    expect(rows.map((r) => [r.status, r.duplicate_of])).toEqual([['pending', null], ['duplicate', firstSlipId], ['duplicate', firstSlipId]]);
  }, 30_000);

  it('is not stored from a group chat or from someone not linked', async () => {
    await sendPhoto(borrower, await makeSlipPhoto({ qrText: slipQrText('GROUP1') }), { group: true });
    const { replies } = await sendPhoto(guest, await makeSlipPhoto({ qrText: slipQrText('GUEST1') }));
    expect(replies.length).toBeGreaterThan(0);
    // Content LINE no longer has (the content API answers 404): she is asked to send it again, nothing is stored.
    const gone = await sendPhoto(borrower, undefined);
    expect(gone.replies.join('\n')).toContain('เปิดรูปนี้ไม่ได้ กรุณาถ่ายรูปสลิปแล้วส่งมาใหม่');
    expect(await slipRows()).toHaveLength(3);
  }, 30_000);

  it('waits in the Slips to check queue of her area only, with the suggested loan and amount', async () => {
    const queue = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body);
    expect(queue.pending).toHaveLength(1);
    expect(queue.pending[0]).toMatchObject({ id: firstSlipId, fullName: 'สมศรี ใจดี', suggestedContractNo: 'MI-2566-0001', suggestedAmountSatang: 100_000, transRef: '015047154829ATF06472' });
    expect(queue.pending[0]!.contracts.map((c) => c.contractNo)).toEqual(['MI-2566-0001']);
    const image = await call(t, 'GET', `/api/liff/officer/slips/${firstSlipId}/image`, { token: officer.token });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');

    expect((await officer.get('/api/liff/officer/slips/waiting')).body).toEqual({ count: 1 });
    expect((await outsider.get('/api/liff/officer/slips/waiting')).body).toEqual({ count: 0 });
    const elsewhere = slipsResponseSchema.parse((await outsider.get('/api/liff/officer/slips')).body);
    expect(elsewhere.pending).toHaveLength(0);
    expect((await outsider.get(`/api/liff/officer/slips/${firstSlipId}/image`)).status).toBe(403);
    expect((await outsider.post(`/api/liff/officer/slips/${firstSlipId}/confirm`, { contractNo: 'MI-2566-0001', amountSatang: 100_000, paidOn: '2026-11-23' })).status).toBe(403);
    expect((await mentor.post(`/api/liff/officer/slips/${firstSlipId}/confirm`, { contractNo: 'MI-2566-0001', amountSatang: 100_000, paidOn: '2026-11-23' })).status).toBe(403);
    expect((await call(t, 'GET', '/api/liff/officer/slips', { token: idTokenFor(t, borrower) })).status).toBe(403);
    const audited = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'slip.view').execute();
    expect(audited).toHaveLength(1);
  });

  it('tells the district officer once a day that slips wait, with a button to the queue; not another district, not the province', async () => {
    const pushed = (who: keyof typeof lineOf) => t.fake.messagesTo(lineOf[who]).map((m) => JSON.stringify(m.message));
    const before = { officer: pushed('officer').length, outsider: pushed('outsider').length, province: pushed('province').length };
    const run = await t.context.services.jobs.run('officer-digest', t.clock.now(), { dispatch: true });
    expect(run.planned).toMatchObject({ slipNotices: 1 });
    const told = pushed('officer').slice(before.officer).filter((m) => m.includes('สลิปโอนเงิน'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('รอตรวจ 1 รายการ');
    expect(told[0]).toContain('/officer/slips');
    expect(pushed('outsider').slice(before.outsider).join()).not.toContain('สลิปโอนเงิน');
    expect(pushed('province').slice(before.province).join()).not.toContain('สลิปโอนเงิน');
    // Later the same day: not again.
    await t.context.services.jobs.run('officer-digest', new Date(t.clock.now().getTime() + 3 * 3_600_000), { dispatch: true });
    expect(pushed('officer').slice(before.officer).filter((m) => m.includes('สลิปโอนเงิน'))).toHaveLength(1);
  });

  it('confirming records the payment with the slip attached; the schedule changes and the borrower is thanked', async () => {
    const answer = await officer.post(`/api/liff/officer/slips/${firstSlipId}/confirm`, { contractNo: 'MI-2566-0001', amountSatang: 100_000, paidOn: '2026-11-22' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'confirmed', replayed: false });
    const payment = await t.context.db.selectFrom('payments').selectAll().where('id', '=', answer.body.paymentId).executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ amount_satang: 100_000, source: 'officer', channel: 'transfer', receipt_no: '015047154829ATF06472', paid_on: '2026-11-22' });
    const [slip] = await slipRows();
    expect(slip).toMatchObject({ status: 'confirmed', payment_id: answer.body.paymentId });
    expect((await installmentsOf(t, 'MI-2566-0001'))[10]!.paid_satang).toBe(100_000);
    const thanks = (await pushedTo(t, borrower)).map((m) => String(m.message.text ?? ''));
    expect(thanks.some((text) => text.includes('ขอบคุณค่ะ คุณสมศรี ใจดี') && text.includes('฿1,000.00'))).toBe(true);
    // The bank's reference is called what it is, not a receipt number.
    expect(thanks.some((text) => text.includes('(เลขอ้างอิงการโอน 015047154829ATF06472)'))).toBe(true);

    const again = await officer.post(`/api/liff/officer/slips/${firstSlipId}/confirm`, { contractNo: 'MI-2566-0001', amountSatang: 100_000, paidOn: '2026-11-22' });
    expect(again.body).toMatchObject({ paymentId: answer.body.paymentId, replayed: true });
    const late = await officer.post(`/api/liff/officer/slips/${firstSlipId}/reject`, { reason: 'ยอดไม่ตรง' });
    expect(late.status).toBe(409);
    // Said with what was decided and by whom: the card she acted on was out of date.
    expect(late.body.message).toMatch(/^สลิปนี้บันทึกรับชำระแล้วโดยคุณ.+ค่ะ ไม่ต้องทำซ้ำ$/);
    expect(await t.context.db.selectFrom('payments').select('id').where('source', '=', 'officer').execute()).toHaveLength(1);
  });

  it('rejecting tells the borrower why, in the chat, quoting the photo it means; nothing is posted', async () => {
    const sent = await sendPhoto(current, await makeSlipPhoto({ seed: 3 }));
    const photoQuote = (sent.event.message as { quoteToken: string }).quoteToken;
    const queue = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body);
    const waiting = queue.pending.find((s) => s.fullName === 'มาลี ทองคำ')!;
    expect(waiting.transRef).toBeNull();
    expect((await officer.post(`/api/liff/officer/slips/${waiting.id}/confirm`, { contractNo: 'MI-2566-0001', amountSatang: 100_000, paidOn: '2026-11-22' })).status).toBe(400);
    const answer = await officer.post(`/api/liff/officer/slips/${waiting.id}/reject`, { reason: 'รูปไม่ชัด อ่านยอดหรือวันที่ไม่ได้' });
    expect(answer.status).toBe(200);
    const told = (await pushedTo(t, current)).filter((m) => String(m.message.text ?? '').includes('ยังบันทึกเป็นการชำระไม่ได้'));
    expect(told).toHaveLength(1);
    expect(told[0]!.message.text).toContain('รูปไม่ชัด อ่านยอดหรือวันที่ไม่ได้');
    // She may have sent several photos that minute: the notice quotes the one it is about.
    expect(told[0]!.message.quoteToken).toBe(photoQuote);
    // The debtor's page shows the slip, what became of it and why.
    const page = debtorPageSchema.parse((await officer.get(`/api/liff/officer/debtors/${waiting.borrowerId}`)).body);
    expect(page.timeline.find((x) => x.type === 'slip' && x.id === waiting.id)).toMatchObject({ status: 'rejected', statusLabel: 'ไม่รับ', reason: 'รูปไม่ชัด อ่านยอดหรือวันที่ไม่ได้' });
    expect(await t.context.db.selectFrom('payments').select('id').where('source', '=', 'officer').execute()).toHaveLength(1);
  }, 30_000);

  it('still tells her when LINE refuses the quote (the photo unsent, or a slip stored before quotes were kept)', async () => {
    await sendPhoto(current, await makeSlipPhoto({ seed: 4 }));
    const queue = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body);
    const waiting = queue.pending.find((s) => s.fullName === 'มาลี ทองคำ')!;
    // A token LINE no longer takes: here one of another chat, which the fake refuses as LINE does.
    const elsewhere = (t.fake.imageEvent(borrower) as unknown as { message: { quoteToken: string } }).message.quoteToken;
    await t.context.db.updateTable('payment_slips').set({ quote_token: elsewhere }).where('id', '=', waiting.id).execute();
    expect((await officer.post(`/api/liff/officer/slips/${waiting.id}/reject`, { reason: 'ยอดเงินในสลิปไม่ตรงกับที่แจ้ง' })).status).toBe(200);
    const told = (await pushedTo(t, current)).filter((m) => String(m.message.text ?? '').includes('ยอดเงินในสลิปไม่ตรงกับที่แจ้ง'));
    expect(told).toHaveLength(1);
    expect(told[0]!.message.quoteToken).toBeUndefined();
    const outbox = await t.context.db.selectFrom('outbound_messages').select(['status']).where('dedupe_key', '=', `slip-rejected:${waiting.id}`).executeTakeFirstOrThrow();
    expect(outbox.status).toBe('sent');
  }, 30_000);
});

describe('her own copy of her data', () => {
  it('lists the slips she sent and what became of them, and who looked at them', async () => {
    const copy = await call(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, borrower) });
    expect(copy.status).toBe(200);
    expect(copy.body.slips.map((s: { status: string }) => s.status)).toEqual(['ส่งซ้ำ', 'ส่งซ้ำ', 'บันทึกการชำระแล้ว']);
    expect(copy.body.slips[2].reference).toBe('015047154829ATF06472');
    const whats = copy.body.accessLog.map((e: { what: string }) => e.what);
    expect(whats).toContain('เปิดดูรูปสลิปที่ท่านส่ง');
    expect(whats).toContain('ตรวจสลิปและบันทึกการชำระ');
  });
});

describe('statement import by a province officer', () => {
  const header = 'paid_on,amount,ref1,ref2,reference';
  const upload = (who: ReturnType<typeof asUser>, csv: string, name = 'ktb-2026-11-23.csv') =>
    call(t, 'POST', '/api/liff/officer/statements', { token: who.token, raw: { bytes: new TextEncoder().encode(csv), type: 'text/csv' }, headers: { 'x-file-name': encodeURIComponent(name) } });
  const csv = [
    header,
    '2026-11-20,"1,000.00",MI25660003,,KTB-0001', // Ref1 of MI-2566-0003
    '2569-11-21,500,mi 2566 0002,,KTB-0002', // typed at a counter in lower case with spaces, Buddhist-era date
    '2026-11-21,250,ZZ99999999,,KTB-0003', // nobody's
    '2026-11-21,300,A123,,KTB-0004', // A-1-23's Ref1 and, spelt as a contract number, A-12-3's too
    '2026-11-21,400,JB25660001,,KTB-0005', // a loan in จันทบุรี: outside the importer's province
    '2026-11-21,"99,000",MI25660009,,KTB-0006', // more than แหลมงอบ's loan still owes
  ].join('\n');

  it('records matched lines as payments and sets the rest aside for an officer', async () => {
    const answer = await upload(province, csv);
    expect(answer.status).toBe(201);
    const result = statementImportResponseSchema.parse(answer.body);
    if (!result.ok) throw new Error('import refused');
    expect(result).toMatchObject({ lines: 6, recorded: 2, alreadyKnown: 0, unmatched: 4 });
    expect(result.exceptions.map((e) => [e.reference, e.status])).toEqual([
      ['KTB-0003', 'unmatched'],
      ['KTB-0004', 'ambiguous'],
      ['KTB-0005', 'refused'],
      ['KTB-0006', 'refused'],
    ]);
    const recorded = await t.context.db
      .selectFrom('payments as p')
      .innerJoin('loans as l', 'l.id', 'p.loan_id')
      .select(['l.contract_no', 'p.amount_satang', 'p.receipt_no', 'p.paid_on', 'p.statement_import_id'])
      .where('p.statement_import_id', 'is not', null)
      .orderBy('l.contract_no')
      .execute();
    expect(recorded).toEqual([
      { contract_no: 'MI-2566-0002', amount_satang: 50_000, receipt_no: 'KTB-0002', paid_on: '2026-11-21', statement_import_id: result.importId },
      { contract_no: 'MI-2566-0003', amount_satang: 100_000, receipt_no: 'KTB-0001', paid_on: '2026-11-20', statement_import_id: result.importId },
    ]);
    expect((await installmentsOf(t, 'MI-2566-0003'))[0]!.paid_satang).toBe(100_000);
  });

  it('the same file again records nothing (idempotent by the statement’s reference)', async () => {
    const again = statementImportResponseSchema.parse((await upload(province, csv)).body);
    expect(again).toMatchObject({ ok: true, recorded: 0, alreadyKnown: 6, unmatched: 0 });
    expect(await t.context.db.selectFrom('payments').select('id').where('statement_import_id', 'is not', null).execute()).toHaveLength(2);
  });

  it('a malformed row stops the whole file, and every bad row is listed', async () => {
    const lines = await t.context.db.selectFrom('statement_lines').select('id').execute();
    const bad = [header, '2026-11-22,700,MI25660003,,KTB-0101', '2026-02-30,700,MI25660003,,KTB-0102', '2026-11-22,-5,MI25660003,,KTB-0103', '2026-11-22,700,MI25660003,,KTB-0101'].join('\n');
    const answer = await upload(province, bad);
    expect(answer.status).toBe(422);
    const result = statementImportResponseSchema.parse(answer.body);
    if (result.ok) throw new Error('should have been refused');
    expect(result.rowErrors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(await t.context.db.selectFrom('statement_lines').select('id').execute()).toHaveLength(lines.length);
    const wrongHeader = await upload(province, 'date,amount,ref1,ref2,reference\n2026-11-22,1,A,,B');
    expect(wrongHeader.status).toBe(422);
    expect(JSON.stringify(wrongHeader.body)).toContain('paid_on');
  });

  it('only province officers and above upload; exceptions are seen in the officer’s own area', async () => {
    expect((await upload(officer, csv)).status).toBe(403);
    const provincial = statementPageSchema.parse((await province.get('/api/liff/officer/statements')).body);
    expect(provincial.canImport).toBe(true);
    // The line naming a จันทบุรี loan stays with ตราด, who holds the money, without naming the contract; จันทบุรี's
    // officers never see it (a security review found that a file could plant lines in another province's queue).
    expect(provincial.exceptions.map((e) => e.reference).sort()).toEqual(['KTB-0003', 'KTB-0004', 'KTB-0005', 'KTB-0006']);
    const outside = provincial.exceptions.find((e) => e.reference === 'KTB-0005')!;
    expect(outside.contractNo).toBeNull();
    expect(outside.reason).toContain('สัญญานอกพื้นที่ของท่าน');
    expect(JSON.stringify(outside)).not.toContain('JB-2566-0001');
    const chanthaburi = asUser(t, await t.linkOfficer({ name: 'สมพร จันทร์ดี', role: 'province', area: 'จันทบุรี' }));
    const theirs = statementPageSchema.parse((await chanthaburi.get('/api/liff/officer/statements')).body);
    expect(theirs.exceptions).toEqual([]);
    // What its reason says is the way: a department officer sees it and can record it (found in review: the reason
    // sent her to the CLI, which counts the line as known and records nothing).
    expect(outside.reason).toContain('เจ้าหน้าที่ระดับกรมหรือผู้ดูแลระบบ');
    const department = asUser(t, await t.linkOfficer({ name: 'ดวงใจ ส่วนกลาง', role: 'department' }));
    const national = statementPageSchema.parse((await department.get('/api/liff/officer/statements')).body);
    expect(national.exceptions.map((e) => e.reference)).toContain('KTB-0005');
    expect(provincial.exceptions.find((e) => e.reference === 'KTB-0004')!.candidateContractNos).toEqual(['A-1-23', 'A-12-3']);
    const district = statementPageSchema.parse((await officer.get('/api/liff/officer/statements')).body);
    expect(district.canImport).toBe(false);
    // เมืองตราด sees the ambiguous line (its loans) but not แหลมงอบ's nor จันทบุรี's, nor the province's unmatched line.
    expect(district.exceptions.map((e) => e.reference)).toEqual(['KTB-0004']);
    const laemNgop = statementPageSchema.parse((await outsider.get('/api/liff/officer/statements')).body);
    expect(laemNgop.exceptions.map((e) => e.reference)).toEqual(['KTB-0006']);
    expect((await mentor.get('/api/liff/officer/statements')).status).toBe(403);
  });

  it('an officer records an exception to the right contract; it leaves every list, and only once', async () => {
    const { exceptions } = statementPageSchema.parse((await officer.get('/api/liff/officer/statements')).body);
    const ambiguous = exceptions.find((e) => e.reference === 'KTB-0004')!;
    expect((await outsider.post(`/api/liff/officer/statement-lines/${ambiguous.id}/record`, { contractNo: 'A-12-3' })).status).toBe(403);
    expect((await mentor.post(`/api/liff/officer/statement-lines/${ambiguous.id}/record`, { contractNo: 'A-12-3' })).status).toBe(403);
    // The contract must be one the officer may see.
    expect((await officer.post(`/api/liff/officer/statement-lines/${ambiguous.id}/record`, { contractNo: 'MI-2566-0009' })).status).toBe(403);
    const recorded = await officer.post(`/api/liff/officer/statement-lines/${ambiguous.id}/record`, { contractNo: 'A-12-3' });
    expect(recorded.status).toBe(200);
    const payment = await t.context.db.selectFrom('payments as p').innerJoin('loans as l', 'l.id', 'p.loan_id').select(['l.contract_no', 'p.amount_satang', 'p.receipt_no']).where('p.id', '=', recorded.body.paymentId).executeTakeFirstOrThrow();
    expect(payment).toEqual({ contract_no: 'A-12-3', amount_satang: 30_000, receipt_no: 'KTB-0004' });
    const again = await officer.post(`/api/liff/officer/statement-lines/${ambiguous.id}/record`, { contractNo: 'A-12-3' });
    expect(again.body).toMatchObject({ paymentId: recorded.body.paymentId, replayed: true });
    expect((await province.post(`/api/liff/officer/statement-lines/${ambiguous.id}/record`, { contractNo: 'A-1-23' })).status).toBe(409);
    const after = statementPageSchema.parse((await province.get('/api/liff/officer/statements')).body);
    expect(after.exceptions.map((e) => e.reference).sort()).toEqual(['KTB-0003', 'KTB-0005', 'KTB-0006']);
  });

  it('an officer closes a line that is not the fund’s money, with a reason: it leaves the list, once, and the audit keeps why', async () => {
    const { exceptions } = statementPageSchema.parse((await province.get('/api/liff/officer/statements')).body);
    const nobodys = exceptions.find((e) => e.reference === 'KTB-0003')!;
    const path = `/api/liff/officer/statement-lines/${nobodys.id}/dismiss`;
    const reason = 'ไม่ใช่เงินของกองทุน (โอนเข้าบัญชีด้วยเรื่องอื่น)';
    expect((await province.post(path, { reason: ' ' })).status).toBe(400);
    expect((await province.post(path, {})).status).toBe(400);
    expect((await mentor.post(path, { reason })).status).toBe(403);
    // A district officer cannot see the province's unmatched line, so cannot close it either.
    expect((await officer.post(path, { reason })).status).toBe(403);
    expect((await province.post('/api/liff/officer/statement-lines/999999/dismiss', { reason })).status).toBe(404);
    // A double tap: both answered, one closing.
    const [first, second] = await Promise.all([province.post(path, { reason }), province.post(path, { reason })]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body.replayed, second.body.replayed].sort()).toEqual([false, true]);
    const line = await t.context.db.selectFrom('statement_lines').select(['dismissal_reason', 'resolved_payment_id', 'resolved_at']).where('id', '=', nobodys.id).executeTakeFirstOrThrow();
    expect(line).toMatchObject({ dismissal_reason: reason, resolved_payment_id: null });
    expect(line.resolved_at).not.toBeNull();
    const audit = await t.context.db.selectFrom('audit_log').select(['action', 'details']).where('subject', '=', `statement-line:${nobodys.id}`).execute();
    expect(audit).toEqual([{ action: 'statement.dismiss', details: expect.objectContaining({ reason, reference: 'KTB-0003', amountSatang: 25_000 }) }]);
    // Closed is closed: recording it now, or another officer closing it, is a conflict that says so.
    const record = await province.post(`/api/liff/officer/statement-lines/${nobodys.id}/record`, { contractNo: 'MI-2566-0003' });
    expect(record.status).toBe(409);
    expect(JSON.stringify(record.body)).toContain('ถูกปิดไปแล้ว');
    const colleague = asUser(t, await t.linkOfficer({ name: 'สมศักดิ์ ปิดงาน', role: 'province', area: 'ตราด' }));
    expect((await colleague.post(path, { reason })).status).toBe(409);
    // A line already recorded cannot be closed.
    const recordedLine = await t.context.db.selectFrom('statement_lines').select('id').where('reference', '=', 'KTB-0004').executeTakeFirstOrThrow();
    expect((await province.post(`/api/liff/officer/statement-lines/${recordedLine.id}/dismiss`, { reason })).status).toBe(409);
    const after = statementPageSchema.parse((await province.get('/api/liff/officer/statements')).body);
    expect(after.exceptions.map((e) => e.reference)).toEqual(['KTB-0006', 'KTB-0005']);
  });
});

describe('a slip waiting for an officer', () => {
  it('holds back her overdue reminders until it is decided', async () => {
    const sender = await t.linkBorrower('MI-2566-0003', 'บุษบา มีสุข');
    await sendPhoto(sender, await makeSlipPhoto({ qrText: slipQrText('HOLD0001') }));
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    const overdueFor = async () =>
      (await t.context.db.selectFrom('outbound_messages as o').innerJoin('loans as l', 'l.borrower_id', 'o.borrower_id').select('o.kind').where('l.contract_no', '=', 'MI-2566-0003').where('o.kind', 'like', 'borrower_overdue%').execute()).length;
    expect(await overdueFor()).toBe(0);
    const queue = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body);
    const waiting = queue.pending.find((s) => s.fullName === 'บุษบา มีสุข')!;
    expect((await officer.post(`/api/liff/officer/slips/${waiting.id}/reject`, { reason: 'ไม่พบเงินเข้าบัญชีกองทุนตามสลิปนี้' })).status).toBe(200);
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    expect(await overdueFor()).toBeGreaterThan(0);
  }, 30_000);
});

describe('a payment recorded from a slip, reversed', () => {
  it('puts the slip back in the queue to be checked again, and tells her so', async () => {
    const sender = await t.linkBorrower('MI-2566-0002', 'มาลี ทองคำ');
    await sendPhoto(sender, await makeSlipPhoto({ qrText: slipQrText('REVERSE0001') }));
    const waiting = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body).pending.find((s) => s.transRef === 'REVERSE0001')!;
    // Recorded with the wrong amount, then reversed.
    const confirmed = await officer.post(`/api/liff/officer/slips/${waiting.id}/confirm`, { contractNo: 'MI-2566-0002', amountSatang: 10_000, paidOn: '2026-11-22' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect((await officer.post(`/api/liff/officer/payments/${confirmed.body.paymentId}/reversal`, { reason: 'กรอกยอดผิด สลิปยอด 400 บาท' })).status).toBe(201);
    const queue = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body);
    expect(queue.pending.map((s) => s.id)).toContain(waiting.id);
    const audit = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'slip.reopen').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ slipId: waiting.id, paymentId: confirmed.body.paymentId });
    // Recorded again, correctly, under the same bank reference.
    const again = await officer.post(`/api/liff/officer/slips/${waiting.id}/confirm`, { contractNo: 'MI-2566-0002', amountSatang: 40_000, paidOn: '2026-11-22' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.paymentId).not.toBe(confirmed.body.paymentId);
    await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
    const told = (await pushedTo(t, sender)).map((m) => String(m.message.text ?? '')).find((text) => text.includes('แจ้งการแก้ไขรายการชำระเงิน'));
    expect(told).toContain('เจ้าหน้าที่จะตรวจสลิปที่ท่านส่งอีกครั้ง');
  }, 30_000);
});

describe('two officers deciding one slip at the same moment', () => {
  it('lets one decide; the other is told what was decided and by whom', async () => {
    const sender = await t.linkBorrower('MI-2566-0003', 'บุษบา มีสุข');
    await sendPhoto(sender, await makeSlipPhoto({ qrText: slipQrText('RACE0001') }));
    const waiting = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body).pending.find((s) => s.transRef === 'RACE0001')!;
    const colleague = asUser(t, await t.linkOfficer({ name: 'สมใจ คู่เวร', role: 'district', area: 'ตราด/เมืองตราด' }));
    const [confirmed, rejected] = await Promise.all([
      officer.post(`/api/liff/officer/slips/${waiting.id}/confirm`, { contractNo: 'MI-2566-0003', amountSatang: 10_000, paidOn: '2026-11-22' }),
      colleague.post(`/api/liff/officer/slips/${waiting.id}/reject`, { reason: 'ยอดไม่ชัด' }),
    ]);
    expect([confirmed.status, rejected.status].sort()).toEqual([200, 409]);
    const loser = confirmed.status === 409 ? confirmed : rejected;
    expect(loser.body.message).toBe(confirmed.status === 409 ? 'สลิปนี้ถูกแจ้งไม่รับแล้วโดยคุณสมใจ คู่เวรค่ะ ไม่ต้องทำซ้ำ' : 'สลิปนี้บันทึกรับชำระแล้วโดยคุณวิชัย ทองดีค่ะ ไม่ต้องทำซ้ำ');
    const [row] = await t.context.db.selectFrom('payment_slips').select(['status', 'payment_id']).where('id', '=', waiting.id).execute();
    expect(row!.status === 'confirmed' ? row!.payment_id : null).toBe(row!.status === 'confirmed' ? confirmed.body.paymentId : null);
  }, 30_000);
});

/** Two borrowers link and send the same slip (one bank transfer), in this order; their LINE users and the answer to the second. */
async function oneTransferFromTwo(first: [contractNo: string, name: string], second: [contractNo: string, name: string], transRef: string) {
  const a = await t.linkBorrower(...first);
  const b = await t.linkBorrower(...second);
  const photo = await makeSlipPhoto({ qrText: slipQrText(transRef) });
  await sendPhoto(a, photo);
  const { replies } = await sendPhoto(b, photo);
  return { a, b, photo, secondReplies: replies };
}

// Found by a security review: the same slip from a second borrower was set aside as "already sent", named the first
// borrower's time to her, and never reached her officers — one transfer paying for two members went unrecorded.
describe('the same transfer sent by two borrowers', () => {
  it('reaches the officers for both, the second marked with when the first came; neither is told of the other', async () => {
    const { b: second, photo, secondReplies } = await oneTransferFromTwo(['A-1-23', 'ลำดวน ทองสุข'], ['A-12-3', 'นงลักษณ์ ใจงาม'], 'SHARED0001');
    expect(secondReplies.join('\n')).toContain('ได้รับสลิปแล้วค่ะ คุณนงลักษณ์ ใจงาม');
    expect(secondReplies.join('\n')).not.toContain('ส่งมาแล้ว');

    const queue = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body).pending.filter((s) => s.transRef === 'SHARED0001');
    expect(queue.map((s) => s.fullName)).toEqual(['ลำดวน ทองสุข', 'นงลักษณ์ ใจงาม']);
    // Both cards say so, the first one too (an officer working down the list meets it first).
    for (const slip of queue) expect(slip.sameTransfer).toEqual({ otherSlips: 1, firstSentAt: queue[0]!.receivedAt, recordedSatang: 0 });

    // Her own slip again is still set aside, and she is told when she sent it.
    const again = await sendPhoto(second, photo);
    expect(again.replies.join('\n')).toContain('สลิปนี้ส่งมาแล้ว');
    const rows = await t.context.db.selectFrom('payment_slips').select(['status', 'duplicate_of']).where('trans_ref', '=', 'SHARED0001').orderBy('id').execute();
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'duplicate']);
    expect(rows[1]!.duplicate_of).not.toBeNull();
    // Both can be recorded, each for her own part of the transfer; the second only once the officer says she checked
    // (found at phone size: one ฿1,234.50 transfer was recorded in full for two borrowers without a word).
    const recordedFirst = await officer.post(`/api/liff/officer/slips/${queue[0]!.id}/confirm`, { contractNo: 'A-1-23', amountSatang: 50_000, paidOn: '2026-11-22' });
    expect(recordedFirst.status, JSON.stringify(recordedFirst.body)).toBe(200);
    const after = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body).pending.find((s) => s.id === queue[1]!.id)!;
    expect(after.sameTransfer).toMatchObject({ otherSlips: 1, recordedSatang: 50_000 });
    const unchecked = await officer.post(`/api/liff/officer/slips/${queue[1]!.id}/confirm`, { contractNo: 'A-12-3', amountSatang: 50_000, paidOn: '2026-11-22' });
    expect(unchecked.status).toBe(400);
    expect(unchecked.body.errors).toEqual([{ path: 'sameTransferChecked', message: expect.stringContaining('บันทึกรับชำระให้ลูกหนี้อีกรายไปแล้ว ฿500.00') }]);
    const checked = await officer.post(`/api/liff/officer/slips/${queue[1]!.id}/confirm`, { contractNo: 'A-12-3', amountSatang: 50_000, paidOn: '2026-11-22', sameTransferChecked: true });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
  }, 30_000);
});

// Found by a security review: a borrower could send any number of photos (up to 20 MB each), and a flood buried the
// other borrowers' slips in the officers' queue.
describe('a flood of photos from one borrower', () => {
  it('stores at most ten a day, counted atomically however many arrive at once, and says why the rest were not kept', async () => {
    const sender = await t.linkBorrower('MI-2566-0009', 'สุดา พรหมมา');
    const jpeg = (i: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`flood-${i}`)]);
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        t.context.services.paymentSlips.receivePhoto({ lineUserId: sender, messageId: `flood-${i}`, load: async () => ({ bytes: jpeg(i), slipQr: undefined }) }),
      ),
    );
    const texts = answers.map((a) => (a!.answers[0] as { text: string }).text);
    expect(texts.filter((text) => text.includes('ได้รับรูปแล้วค่ะ'))).toHaveLength(10);
    expect(texts.filter((text) => text.includes('ใน 24 ชั่วโมงที่ผ่านมาส่งรูปมาครบ 10 รูปแล้ว'))).toHaveLength(4);
    // When she may send again, in Bangkok time: 24 hours after the first of them (the clock stands at 23 Nov 10:00).
    expect(texts.find((text) => text.includes('ครบ 10 รูป'))).toContain('ส่งได้อีกครั้งหลัง 24 พ.ย. 2569 เวลา 10.00 น.');
    const borrowerId = (await t.context.db.selectFrom('loans').select('borrower_id').where('contract_no', '=', 'MI-2566-0009').executeTakeFirstOrThrow()).borrower_id;
    expect(await t.context.db.selectFrom('payment_slips').select('id').where('borrower_id', '=', borrowerId).execute()).toHaveLength(10);
    // A day later she may send again.
    t.clock.advanceMinutes(24 * 60 + 1);
    const next = await t.context.services.paymentSlips.receivePhoto({ lineUserId: sender, messageId: 'flood-next-day', load: async () => ({ bytes: jpeg(99), slipQr: undefined }) });
    expect((next!.answers[0] as { text: string }).text).toContain('ได้รับรูปแล้วค่ะ');
  }, 30_000);
});

// Found in review: the check that one transfer was recorded already ran outside the payment's transaction, so two
// officers confirming two borrowers' slips of one transfer at the same moment both recorded it in full (on
// PostgreSQL; PGlite's single connection serialises them, and passes either way).
describe('two officers confirming two slips of one transfer at the same moment', () => {
  it('records one; the other is asked to confirm, showing what was recorded', async () => {
    await oneTransferFromTwo(['MI-2566-0003', 'บุษบา มีสุข'], ['MI-2566-0002', 'มาลี ทองคำ'], 'SHAREDRACE0001');
    const [a, b] = slipsResponseSchema.parse((await officer.get('/api/liff/officer/slips')).body).pending.filter((s) => s.transRef === 'SHAREDRACE0001');
    const colleague = asUser(t, await t.linkOfficer({ name: 'ปรีดา คู่เวร', role: 'district', area: 'ตราด/เมืองตราด' }));
    const answers = await Promise.all([
      officer.post(`/api/liff/officer/slips/${a!.id}/confirm`, { contractNo: 'MI-2566-0003', amountSatang: 10_000, paidOn: '2026-11-22' }),
      colleague.post(`/api/liff/officer/slips/${b!.id}/confirm`, { contractNo: 'MI-2566-0002', amountSatang: 10_000, paidOn: '2026-11-22' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    expect(answers.find((answer) => answer.status === 400)!.body.errors[0]).toMatchObject({ path: 'sameTransferChecked', message: expect.stringContaining('฿100.00') });
    const payments = await t.context.db.selectFrom('payments').select('id').where('receipt_no', '=', 'SHAREDRACE0001').execute();
    expect(payments).toHaveLength(1);
  }, 30_000);
});
