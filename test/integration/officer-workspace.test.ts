// The officers' pages over HTTP: scoping (nothing outside the area through any page, filter, search or id),
// mentors, the debtor list's contract and filters, follow-ups (idempotent, editable by their author for 24 h),
// and link codes from the debtor page, the chat and a tambon's batch of slips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  areaSummarySchema,
  debtorListResponseSchema,
  debtorPageSchema,
  linkCodeBatchCreatedSchema,
  officerMeSchema,
  workQueueSchema,
  applicationsWaitingSchema,
} from '../../server/contracts/officer.ts';
import { fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { extractPdfText } from '../support/pdf-text.ts';
import { maskContractNo } from '../../server/domain/officer-work.ts';
import { call, JPEG_BYTES, PDF_BYTES } from './liff-support.ts';
import { asUser, borrowerIdOf, positionsAgree, newKey, visit } from './officer-support.ts';

let t: TestApp;
let muang: ReturnType<typeof asUser>; // district officer, เมืองตราด
let laemNgop: ReturnType<typeof asUser>; // district officer, แหลมงอบ
let bangPhra: ReturnType<typeof asUser>; // tambon officer, บางพระ
let province: ReturnType<typeof asUser>;
let mentor: ReturnType<typeof asUser>; // mentor in บางพระ
let mentorId: number;
let borrower: ReturnType<typeof asUser>;
let somsri: number; // บางพระ, overdue
let malee: number; // บางพระ, normal
let prapai: number; // วังกระแจะ (เมืองตราด), litigation
let sudaOutside: number; // แหลมงอบ

const BANG_PHRA = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z', env: { LINE_ADD_FRIEND_URL: 'https://line.me/R/ti/p/@wdf-test' } });
  await t.importLoans([
    // 12,000 baht, no interest, 12 monthly installments from 15 Jan 2026: 3,000 paid → overdue since 15 Apr (222 days).
    { ...BANG_PHRA, contract_no: 'WS-1', full_name: 'สมศรี ใจดี', paid_total: '3,000' },
    { ...BANG_PHRA, contract_no: 'WS-2', full_name: 'มาลี ทองคำ', first_due_on: '2026-12-15' },
    { ...BANG_PHRA, contract_no: 'WS-3', full_name: 'จำปา ศรีสุข', paid_total: '10,000' }, // overdue since 15 Nov: 8 days
    { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'วังกระแจะ', contract_no: 'WS-4', full_name: 'ประไพ แก้วมณี', litigation: 'true' },
    { province: 'ตราด', district: 'แหลมงอบ', subdistrict: 'บางปิด', contract_no: 'WS-5', full_name: 'สุดา พรหมมา', paid_total: '0' },
  ]);
  somsri = await borrowerIdOf(t, 'WS-1');
  malee = await borrowerIdOf(t, 'WS-2');
  prapai = await borrowerIdOf(t, 'WS-4');
  sudaOutside = await borrowerIdOf(t, 'WS-5');
  muang = asUser(t, await t.linkOfficer({ name: 'วิชัย ทองดี', role: 'district', area: 'ตราด/เมืองตราด' }));
  laemNgop = asUser(t, await t.linkOfficer({ name: 'ศรีสุดา', role: 'district', area: 'ตราด/แหลมงอบ' }));
  bangPhra = asUser(t, await t.linkOfficer({ name: 'กาญจนา ศรีวงศ์', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' }));
  province = asUser(t, await t.linkOfficer({ name: 'พรทิพย์ ใจงาม', role: 'province', area: 'ตราด' }));
  const mentorUser = await t.linkOfficer({ name: 'บุญเรือน พี่เลี้ยง', role: 'mentor', area: 'ตราด/เมืองตราด/บางพระ' });
  mentor = asUser(t, mentorUser);
  mentorId = (await t.context.db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', mentorUser).executeTakeFirstOrThrow()).officer_id!;
  borrower = asUser(t, await t.linkBorrower('WS-1', 'สมศรี ใจดี'));
});
afterAll(async () => {
  await t?.close();
});

describe('who may use the officers’ pages', () => {
  const paths = ['/api/liff/officer/me', '/api/liff/officer/debtors', '/api/liff/officer/area', '/api/liff/officer/work', '/api/liff/officer/applications'];

  it('answers 403 NOT_OFFICER to a borrower and to an unlinked LINE user, and 401 without a token', async () => {
    const stranger = asUser(t, fakeLineUserId('stranger'));
    for (const path of paths) {
      for (const user of [borrower, stranger]) {
        const answer = await user.get(path);
        expect(answer.status, path).toBe(403);
        expect(answer.body.code).toBe('NOT_OFFICER');
      }
      expect((await call(t, 'GET', path)).status).toBe(401);
    }
    const payment = await borrower.post('/api/liff/officer/payments', { contractNo: 'WS-1', amountSatang: 100, paidOn: '2026-11-23', channel: 'counter', receiptNo: 'R1' }, newKey());
    expect(payment.status).toBe(403);
    expect(payment.body.code).toBe('NOT_OFFICER');
  });

  it('tells an officer who they are, what they may do, and the tambons and mentors of their area', async () => {
    const answer = await muang.get('/api/liff/officer/me');
    expect(answer.status).toBe(200);
    const me = officerMeSchema.parse(answer.body);
    expect(me).toMatchObject({ fullName: 'วิชัย ทองดี', role: 'district', area: 'อำเภอเมืองตราด', today: '2026-11-23', week: { start: '2026-11-23', end: '2026-11-29' } });
    expect(me.can).toEqual({ recordPayments: true, issueLinkCodes: true, assignMentors: true, reviewApplications: true });
    expect(me.tambons.map((x) => x.name).sort()).toEqual(['บางพระ', 'วังกระแจะ']);
    expect(me.mentors.map((x) => x.fullName)).toEqual(['บุญเรือน พี่เลี้ยง']);
    const mentorMe = officerMeSchema.parse((await mentor.get('/api/liff/officer/me')).body);
    expect(mentorMe.can).toEqual({ recordPayments: false, issueLinkCodes: false, assignMentors: false, reviewApplications: false });
  });
});

describe('the debtor list', () => {
  it('answers the contract shape, most days past due first, inside the caller’s area only', async () => {
    const answer = await muang.get('/api/liff/officer/debtors');
    expect(answer.status).toBe(200);
    const list = debtorListResponseSchema.parse(answer.body);
    expect(list.total).toBe(4);
    expect(list.items.map((i) => i.contractNo)).toEqual(['WS-4', 'WS-1', 'WS-3', 'WS-2']);
    const first = answer.body.items[1];
    for (const key of ['contractNo', 'fullName', 'colour', 'overdueSatang', 'daysPastDue', 'lastContactOn', 'nextPromiseOn']) expect(first).toHaveProperty(key);
    expect(list.items[1]).toMatchObject({ contractNo: 'WS-1', fullName: 'สมศรี ใจดี', colour: 'red', overdueSatang: 800_000, daysPastDue: 222, lastContactOn: null, nextPromiseOn: null, linked: true });
    expect(list.items[0]).toMatchObject({ colour: 'black', fullName: 'ประไพ แก้วมณี' });
    expect(list.items[3]).toMatchObject({ colour: 'green', overdueSatang: 0, daysPastDue: 0 });
  });

  it('filters by colour, days-past-due band, tambon and search, and pages', async () => {
    const ids = async (query: string) => debtorListResponseSchema.parse((await muang.get(`/api/liff/officer/debtors?${query}`)).body).items.map((i) => i.contractNo);
    expect(await ids('colour=red')).toEqual(['WS-1', 'WS-3']);
    expect(await ids('colour=green')).toEqual(['WS-2']);
    expect(await ids('dpd=1-30')).toEqual(['WS-3']);
    expect(await ids('dpd=90%2B')).toEqual(['WS-4', 'WS-1']);
    const tambons = officerMeSchema.parse((await muang.get('/api/liff/officer/me')).body).tambons;
    expect(await ids(`tambon=${tambons.find((x) => x.name === 'วังกระแจะ')!.id}`)).toEqual(['WS-4']);
    expect(await ids('q=สมศรี')).toEqual(['WS-1']);
    expect(await ids('q=ws-3')).toEqual(['WS-3']);
    // As phones type: นิคหิต + า for ำ, a title before the name, Thai digits, a part of the contract number.
    expect(await ids(`q=${encodeURIComponent('มาลี ทองค\u0E4D\u0E32')}`)).toEqual(['WS-2']);
    expect(await ids(`q=${encodeURIComponent('นางมาลี')}`)).toEqual(['WS-2']);
    expect(await ids(`q=${encodeURIComponent('คุณ สมศรี')}`)).toEqual(['WS-1']);
    expect(await ids(`q=${encodeURIComponent('๓')}`)).toEqual(['WS-3']);
    expect(await ids(`q=${encodeURIComponent('ศรีสุข จำปา')}`)).toEqual(['WS-3']); // surname first
    // Typing slips: a short vowel for a long one, a tone mark left out, the surname glued on.
    expect(await ids(`q=${encodeURIComponent('มาลิ ทองคา')}`)).toEqual(['WS-2']);
    expect(await ids(`q=${encodeURIComponent('มาลีทองคำ')}`)).toEqual(['WS-2']);
    const page2 = debtorListResponseSchema.parse((await muang.get('/api/liff/officer/debtors?page=2&pageSize=3')).body);
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.items.map((i) => i.contractNo)).toEqual(['WS-2']);
    const beyond = debtorListResponseSchema.parse((await muang.get('/api/liff/officer/debtors?page=5&pageSize=3')).body);
    expect(beyond).toMatchObject({ total: 4, items: [] });
    // Who from the forum still has to link (only WS-1's สมศรี is linked), and who has.
    const linkedIds = await ids('linked=yes');
    expect(linkedIds).toEqual(['WS-1']);
    expect((await ids('linked=no')).sort()).toEqual(['WS-2', 'WS-3', 'WS-4']);
    expect((await muang.get('/api/liff/officer/debtors?linked=maybe')).status).toBe(400);
    const bad = await muang.get('/api/liff/officer/debtors?colour=purple');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION');
  });

  it('audits every page of names shown, with the ids and no names', async () => {
    await muang.get('/api/liff/officer/debtors?colour=red');
    const row = await t.context.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'debtor.list').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.details).toMatchObject({ shown: [somsri, await borrowerIdOf(t, 'WS-3')], colour: 'red' });
    expect(JSON.stringify(row.details)).not.toContain('สมศรี');
  });
});

describe('scoping: a district officer never sees another district’s debtor', () => {
  it('not through the list, any filter or a search by name or contract', async () => {
    for (const query of ['', 'q=สุดา', 'q=WS-5', 'colour=red', 'dpd=90%2B', 'noContactDays=30', `tambon=${(await t.context.db.selectFrom('areas').select('id').where('path', '=', 'ตราด/แหลมงอบ/บางปิด').executeTakeFirstOrThrow()).id}`]) {
      const list = debtorListResponseSchema.parse((await muang.get(`/api/liff/officer/debtors?${query}`)).body);
      expect(list.items.map((i) => i.fullName), query).not.toContain('สุดา พรหมมา');
    }
    const theirs = debtorListResponseSchema.parse((await laemNgop.get('/api/liff/officer/debtors')).body);
    expect(theirs.items.map((i) => i.fullName)).toEqual(['สุดา พรหมมา']);
  });

  it('not by id: the debtor page, a link code, a mentor, a follow-up or a payment are refused with 403', async () => {
    expect((await muang.get(`/api/liff/officer/debtors/${sudaOutside}`)).status).toBe(403);
    expect((await muang.post(`/api/liff/officer/debtors/${sudaOutside}/link-code`)).status).toBe(403);
    expect((await muang.put(`/api/liff/officer/debtors/${sudaOutside}/mentor`, { mentorId: null })).status).toBe(403);
    expect((await muang.post('/api/liff/officer/follow-ups', visit(sudaOutside), newKey())).status).toBe(403);
    const payment = await muang.post('/api/liff/officer/payments', { contractNo: 'WS-5', amountSatang: 100_000, paidOn: '2026-11-23', channel: 'counter', receiptNo: 'X-1' }, newKey());
    expect(payment.status).toBe(403);
    expect(await t.context.db.selectFrom('payments').select('id').where('source', '=', 'officer').execute()).toEqual([]);
    expect((await muang.get('/api/liff/officer/debtors/999999')).status).toBe(404);
  });

  it('not in the area summary, the work queue or the applications waiting', async () => {
    const area = areaSummarySchema.parse((await muang.get('/api/liff/officer/area')).body);
    expect(area.totals.debtors).toBe(4);
    expect(area.breakdown?.levelLabel).toBe('ตำบล');
    expect(area.breakdown?.rows.map((r) => r.name).sort()).toEqual(['บางพระ', 'วังกระแจะ']);
    const provinceArea = areaSummarySchema.parse((await province.get('/api/liff/officer/area')).body);
    expect(provinceArea.totals.debtors).toBe(5);
    expect(provinceArea.breakdown?.rows.map((r) => r.name).sort()).toEqual(['เมืองตราด', 'แหลมงอบ']);
    const work = workQueueSchema.parse((await muang.get('/api/liff/officer/work')).body);
    expect(JSON.stringify(work)).not.toContain('สุดา');
    expect(applicationsWaitingSchema.parse((await muang.get('/api/liff/officer/applications')).body)).toEqual({ level: 'สำนักงานพัฒนาชุมชนอำเภอ', items: [], onwards: [] });
  });
});

describe('My area', () => {
  it('counts and sums by colour and compares the overdue rate with 5 % and 10 %', async () => {
    const area = areaSummarySchema.parse((await bangPhra.get('/api/liff/officer/area')).body);
    expect(area.title).toBe('ตำบลบางพระ');
    expect(area.breakdown).toBeNull();
    const red = area.totals.byColour.find((c) => c.colour === 'red')!;
    expect(red).toMatchObject({ debtors: 2, overdueSatang: 800_000 + 100_000, outstandingSatang: 900_000 + 200_000 });
    // overdue 9,000 of 23,000 owed: 39.13 %
    expect(area.totals).toMatchObject({ debtors: 3, overdueRatePercent: 39.13, meetsFundTarget: false, meetsProvinceIndicator: false });
  });
});

describe('mentors', () => {
  it('see only the debtors assigned to them, and nothing once unassigned', async () => {
    expect(debtorListResponseSchema.parse((await mentor.get('/api/liff/officer/debtors')).body).total).toBe(0);
    expect((await mentor.get(`/api/liff/officer/debtors/${somsri}`)).status).toBe(403);
    // Only an officer assigns, and only a mentor of the debtor's own tambon.
    expect((await mentor.put(`/api/liff/officer/debtors/${somsri}/mentor`, { mentorId })).status).toBe(403);
    expect((await muang.put(`/api/liff/officer/debtors/${prapai}/mentor`, { mentorId })).status).toBe(400);
    const assigned = await bangPhra.put(`/api/liff/officer/debtors/${somsri}/mentor`, { mentorId });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ mentor: { id: mentorId, fullName: 'บุญเรือน พี่เลี้ยง' } });

    const list = debtorListResponseSchema.parse((await mentor.get('/api/liff/officer/debtors')).body);
    expect(list.items.map((i) => i.fullName)).toEqual(['สมศรี ใจดี']);
    expect(list.items[0]!.mentorName).toBe('บุญเรือน พี่เลี้ยง');
    expect((await mentor.get(`/api/liff/officer/debtors/${malee}`)).status).toBe(403);
    expect(debtorListResponseSchema.parse((await mentor.get('/api/liff/officer/debtors?q=มาลี')).body).total).toBe(0);
    const page = debtorPageSchema.parse((await mentor.get(`/api/liff/officer/debtors/${somsri}`)).body);
    expect(page.can).toEqual({ recordFollowUp: true, recordPayment: false, issueLinkCode: false, assignMentor: false });
    expect(debtorListResponseSchema.parse((await bangPhra.get(`/api/liff/officer/debtors?mentor=${mentorId}`)).body).items.map((i) => i.contractNo)).toEqual(['WS-1']);
    expect(debtorListResponseSchema.parse((await bangPhra.get('/api/liff/officer/debtors?mentor=none')).body).items.map((i) => i.contractNo)).toEqual(['WS-3', 'WS-2']);
  });

  it('record follow-ups and promises for their debtors, but not payments or link codes', async () => {
    const followUp = await mentor.post('/api/liff/officer/follow-ups', visit(somsri, { outcome: 'promised', promise: { amountSatang: 100_000, promisedOn: '2026-11-30' } }), newKey());
    expect(followUp.status).toBe(201);
    expect(followUp.body.promiseId).toEqual(expect.any(Number));
    const payment = await mentor.post('/api/liff/officer/payments', { contractNo: 'WS-1', amountSatang: 100_000, paidOn: '2026-11-23', channel: 'mentor', receiptNo: 'M-1' }, newKey());
    expect(payment.status).toBe(403);
    expect(payment.body.message).toContain('ทีมพี่เลี้ยง');
    expect((await mentor.post(`/api/liff/officer/debtors/${somsri}/link-code`)).status).toBe(403);
    expect((await mentor.post('/api/liff/officer/follow-ups', visit(malee), newKey())).status).toBe(403);
  });

  it('find only their own debtors in chat too, and are not offered to borrowers as an office to call', async () => {
    const mentorChat = (await t.context.db.selectFrom('line_links').select('line_user_id').where('officer_id', '=', mentorId).executeTakeFirstOrThrow()).line_user_id;
    const before = t.fake.messagesTo(mentorChat).length;
    await t.say(mentorChat, 'จำปา');
    expect(JSON.stringify(t.fake.messagesTo(mentorChat).slice(before))).not.toContain('จำปา ศรีสุข');
    const found = t.fake.messagesTo(mentorChat).length;
    await t.say(mentorChat, 'สมศรี');
    expect(JSON.stringify(t.fake.messagesTo(mentorChat).slice(found))).toContain('สมศรี ใจดี');
    const somsriChat = (await t.context.db.selectFrom('line_links').select('line_user_id').where('borrower_id', '=', somsri).executeTakeFirstOrThrow()).line_user_id;
    const asked = t.fake.messagesTo(somsriChat).length;
    await t.say(somsriChat, 'ติดต่อเจ้าหน้าที่');
    const contact = JSON.stringify(t.fake.messagesTo(somsriChat).slice(asked));
    expect(contact).toContain('กาญจนา ศรีวงศ์');
    expect(contact).not.toContain('บุญเรือน');
  });

  it('are registered with the existing link-code mechanism, tambon-scoped', async () => {
    await expect(t.context.services.linking.issueOfficerCode({ fullName: 'ผิดระดับ', role: 'mentor', areaPath: 'ตราด/เมืองตราด' }, { actor: 'test', at: t.clock.now() })).rejects.toThrow(/ตำบล/);
  });
});

describe('a planned visit and a later contact that plans nothing', () => {
  it('keeps the visit planned until a contact on or after its day', async () => {
    const due = async () => workQueueSchema.parse((await muang.get('/api/liff/officer/work')).body).followUpsDue.filter((w) => w.borrowerId === malee);
    try {
      // The district officer plans a home visit for Friday; the tambon officer phones on Tuesday and leaves the next date empty.
      expect((await muang.post('/api/liff/officer/follow-ups', visit(malee, { kind: 'phone', outcome: 'met', nextActionOn: '2026-11-27' }), newKey())).status).toBe(201);
      t.clock.set('2026-11-24T03:00:00Z');
      expect((await bangPhra.post('/api/liff/officer/follow-ups', visit(malee, { kind: 'phone', outcome: 'not_home', contactedOn: '2026-11-24' }), newKey())).status).toBe(201);
      expect((await due()).map((w) => w.dueOn)).toEqual(['2026-11-27']);
      // The visit happens on Friday and plans nothing more: done.
      t.clock.set('2026-11-27T03:00:00Z');
      expect((await bangPhra.post('/api/liff/officer/follow-ups', visit(malee, { contactedOn: '2026-11-27' }), newKey())).status).toBe(201);
      expect(await due()).toEqual([]);
    } finally {
      t.clock.set('2026-11-23T03:00:00Z');
    }
  });
});

describe('overdue debtors nobody plans to see', () => {
  it('are counted in the tambon officer’s work and listed with planned=none, until a follow-up is planned', async () => {
    const unplanned = async () => debtorListResponseSchema.parse((await bangPhra.get('/api/liff/officer/debtors?planned=none')).body);
    const before = await unplanned();
    expect(before.total).toBeGreaterThan(0);
    for (const item of before.items) expect(item.daysPastDue).toBeGreaterThan(0);
    const work = workQueueSchema.parse((await bangPhra.get('/api/liff/officer/work')).body);
    expect(work.overdueUnplanned).toBe(before.total);
    // Planning the next visit takes her off it, and puts her in the queue for that day instead.
    const first = before.items[0]!;
    expect((await bangPhra.post('/api/liff/officer/follow-ups', visit(first.borrowerId, { kind: 'phone', outcome: 'not_home', nextActionOn: '2026-11-27' }), newKey())).status).toBe(201);
    expect((await unplanned()).total).toBe(before.total - 1);
    const after = workQueueSchema.parse((await bangPhra.get('/api/liff/officer/work')).body);
    expect(after.overdueUnplanned).toBe(before.total - 1);
    expect(after.followUpsDue.map((w) => w.borrowerId)).toContain(first.borrowerId);
    // A district officer's queue is the debtors he follows himself: not counted there.
    expect(workQueueSchema.parse((await muang.get('/api/liff/officer/work')).body).overdueUnplanned).toBe(0);
  });
});

describe('follow-ups (the 5 ต. log)', () => {
  it('records a contact once however often it is sent, audited, and shows it on the debtor page and in the list', async () => {
    const key = newKey();
    const body = visit(somsri, { kind: 'phone', stage: 'warn', outcome: 'not_home', nextActionOn: '2026-11-26', note: 'โทรไม่รับสาย จะไปเยี่ยมบ้านวันพฤหัส' });
    const [a, b] = await Promise.all([bangPhra.post('/api/liff/officer/follow-ups', body, key), bangPhra.post('/api/liff/officer/follow-ups', body, key)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    const again = await bangPhra.post('/api/liff/officer/follow-ups', body, key);
    expect(again.body.id).toBe(a.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await t.context.db.selectFrom('follow_ups').select('id').where('idempotency_key', '=', key).execute()).toHaveLength(1);
    // A form that never heard back asks whether its key arrived: hers only; another officer's key is not found.
    expect((await bangPhra.get(`/api/liff/officer/follow-ups/by-key/${key}`)).body).toEqual({ id: a.body.id, borrowerId: somsri, contactedOn: '2026-11-23' });
    expect((await muang.get(`/api/liff/officer/follow-ups/by-key/${key}`)).status).toBe(404);
    expect((await bangPhra.get(`/api/liff/officer/follow-ups/by-key/${newKey()}`)).status).toBe(404);
    expect((await bangPhra.get('/api/liff/officer/follow-ups/by-key/x')).status).toBe(400);
    const audits = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'follow_up.record').where('subject', '=', `borrower:${somsri}`).execute();
    expect(audits.some((row) => (row.details as { followUpId: number }).followUpId === a.body.id)).toBe(true);
    expect(JSON.stringify(audits)).not.toContain('โทรไม่รับสาย');

    const page = debtorPageSchema.parse((await bangPhra.get(`/api/liff/officer/debtors/${somsri}`)).body);
    // When she linked, so a link made at the forum is told from an old one.
    expect(page).toMatchObject({ linked: true, linkedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const item = page.timeline.find((x) => x.type === 'follow_up' && x.id === a.body.id);
    expect(item).toMatchObject({ kind: 'phone', stage: 'warn', outcome: 'not_home', nextActionOn: '2026-11-26', officerName: 'กาญจนา ศรีวงศ์', editable: true });
    const row = debtorListResponseSchema.parse((await bangPhra.get('/api/liff/officer/debtors?q=สมศรี')).body).items[0]!;
    expect(row).toMatchObject({ lastContactOn: '2026-11-23', nextPromiseOn: '2026-11-30' });
    // The next action falls in the week: the debtor is in the tambon officer's queue.
    const work = workQueueSchema.parse((await bangPhra.get('/api/liff/officer/work')).body);
    expect(work.followUpsDue.map((w) => w.fullName)).toContain('สมศรี ใจดี');
  });

  it('checks what it is told: dates, the debtor’s own contracts, a promise when the outcome is a promise', async () => {
    const errorsOf = async (body: Record<string, unknown>) => (await bangPhra.post('/api/liff/officer/follow-ups', body, newKey())).body.errors?.map((e: { path: string }) => e.path);
    expect(await errorsOf(visit(somsri, { contactedOn: '2026-12-01' }))).toEqual(['contactedOn']);
    // A date left empty is asked for, not called wrong.
    const empty = await bangPhra.post('/api/liff/officer/follow-ups', visit(somsri, { contactedOn: '' }), newKey());
    expect(empty.body.errors).toEqual([{ path: 'contactedOn', message: 'กรุณาเลือกวันที่' }]);
    expect(await errorsOf(visit(somsri, { nextActionOn: '2026-11-01' }))).toEqual(['nextActionOn']);
    expect(await errorsOf(visit(somsri, { contractNo: 'WS-2' }))).toEqual(['contractNo']);
    expect(await errorsOf(visit(somsri, { outcome: 'promised' }))).toEqual(['promise']);
    expect(await errorsOf(visit(somsri, { kind: 'pigeon' }))).toEqual(['kind']);
  });

  it('is editable by its author for 24 hours, by nobody else, and never deleted', async () => {
    const created = await bangPhra.post('/api/liff/officer/follow-ups', visit(malee, { note: 'ร่าง' }), newKey());
    const id = created.body.id as number;
    const edit = { kind: 'visit', stage: 'check', contactedOn: '2026-11-22', outcome: 'met', note: 'แก้ไขแล้ว', nextActionOn: null };
    expect((await muang.patch(`/api/liff/officer/follow-ups/${id}`, edit)).status).toBe(403);
    const ok = await bangPhra.patch(`/api/liff/officer/follow-ups/${id}`, edit);
    expect(ok.status).toBe(200);
    const row = await t.context.db.selectFrom('follow_ups').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ note: 'แก้ไขแล้ว', stage: 'check', contacted_on: '2026-11-22' });
    const audit = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'follow_up.edit').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((audit.details as { changed: string[] }).changed.sort()).toEqual(['contactedOn', 'note', 'stage']);

    t.clock.advanceMinutes(24 * 60 + 1);
    try {
      const late = await bangPhra.patch(`/api/liff/officer/follow-ups/${id}`, { ...edit, note: 'สายเกินไป' });
      expect(late.status).toBe(403);
      expect(late.body.message).toContain('24 ชั่วโมง');
      const page = debtorPageSchema.parse((await bangPhra.get(`/api/liff/officer/debtors/${malee}`)).body);
      expect(page.timeline.find((x) => x.type === 'follow_up' && x.id === id)).toMatchObject({ editable: false, note: 'แก้ไขแล้ว' });
    } finally {
      t.clock.set('2026-11-23T03:00:00Z');
    }
    expect((await call(t, 'DELETE', `/api/liff/officer/follow-ups/${id}`, { token: bangPhra.token })).status).toBe(404);
  });

  it('keeps photos encrypted, attached once, and shown to those who may see the debtor (audited)', async () => {
    const upload = await call(t, 'POST', '/api/liff/officer/photos', { token: bangPhra.token, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } });
    expect(upload.status).toBe(201);
    expect((await call(t, 'POST', '/api/liff/officer/photos', { token: bangPhra.token, raw: { bytes: PDF_BYTES, type: 'application/pdf' } })).status).toBe(400);
    const created = await bangPhra.post('/api/liff/officer/follow-ups', visit(somsri, { photoIds: [upload.body.id] }), newKey());
    expect(created.status).toBe(201);
    const stored = await t.context.db.selectFrom('follow_up_photos').select(['content', 'follow_up_id']).where('id', '=', upload.body.id).executeTakeFirstOrThrow();
    expect(stored.follow_up_id).toBe(created.body.id);
    expect(Buffer.from(stored.content).includes(Buffer.from(JPEG_BYTES))).toBe(false);
    // The same photo cannot be attached twice.
    expect((await bangPhra.post('/api/liff/officer/follow-ups', visit(somsri, { photoIds: [upload.body.id] }), newKey())).status).toBe(400);
    const seen = await call(t, 'GET', `/api/liff/officer/photos/${upload.body.id}`, { token: muang.token });
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('image/jpeg');
    expect((await call(t, 'GET', `/api/liff/officer/photos/${upload.body.id}`, { token: laemNgop.token })).status).toBe(403);
  });

  it('lets the author add and take off photos while the record can be corrected, and no one else', async () => {
    const upload = async (officer: typeof bangPhra) => (await call(t, 'POST', '/api/liff/officer/photos', { token: officer.token, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } })).body.id as string;
    const wrong = await upload(bangPhra);
    const created = await bangPhra.post('/api/liff/officer/follow-ups', visit(somsri, { photoIds: [wrong] }), newKey());
    const id = created.body.id as number;
    const edit = { kind: 'visit', stage: 'follow', contactedOn: '2026-11-23', outcome: 'met', note: 'แก้บันทึก', nextActionOn: null };
    const photosOf = async () => (await t.context.db.selectFrom('follow_up_photos').select('id').where('follow_up_id', '=', id).orderBy('uploaded_at').execute()).map((r) => r.id);

    // An edit that does not mention photos leaves them.
    expect((await bangPhra.patch(`/api/liff/officer/follow-ups/${id}`, edit)).status).toBe(200);
    expect(await photosOf()).toEqual([wrong]);

    // The wrong photo off, two right ones on: the wrong one's bytes are gone, not merely detached.
    const [right1, right2] = [await upload(bangPhra), await upload(bangPhra)];
    expect((await bangPhra.patch(`/api/liff/officer/follow-ups/${id}`, { ...edit, photoIds: [right1, right2] })).status).toBe(200);
    expect(await photosOf()).toEqual([right1, right2]);
    expect(await t.context.db.selectFrom('follow_up_photos').select('id').where('id', '=', wrong).executeTakeFirst()).toBeUndefined();
    const audit = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'follow_up.edit').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((audit.details as { changed: string[] }).changed).toEqual(['photos']);

    // Four is one too many; another officer's upload, or a photo already on another record, is refused whole.
    const extra = [await upload(bangPhra), await upload(bangPhra)];
    expect((await bangPhra.patch(`/api/liff/officer/follow-ups/${id}`, { ...edit, photoIds: [right1, right2, ...extra] })).status).toBe(400);
    const othersUpload = await upload(muang);
    const refused = await bangPhra.patch(`/api/liff/officer/follow-ups/${id}`, { ...edit, photoIds: [othersUpload] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.path).toBe('photoIds');
    expect(await photosOf()).toEqual([right1, right2]);

    // Someone else cannot take her photos off.
    expect((await muang.patch(`/api/liff/officer/follow-ups/${id}`, { ...edit, photoIds: [] })).status).toBe(403);
    expect(await photosOf()).toEqual([right1, right2]);
  });
});

describe('link codes', () => {
  it('are issued from the debtor page, replace older unused codes, and are audited', async () => {
    const first = await bangPhra.post(`/api/liff/officer/debtors/${malee}/link-code`);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ fullName: 'มาลี ทองคำ', code: expect.stringMatching(/^\d{8}$/), alreadyLinked: false });
    const second = await bangPhra.post(`/api/liff/officer/debtors/${malee}/link-code`);
    const user = fakeLineUserId('malee-phone');
    expect((await t.context.services.linking.redeem(user, first.body.code, t.clock.now())).outcome).toBe('replaced');
    expect((await t.context.services.linking.redeem(user, second.body.code, t.clock.now())).outcome).toBe('linked_borrower');
    const audits = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'link_code.issue').where('subject', '=', `borrower:${malee}`).execute();
    expect(audits).toHaveLength(2);
  });

  it('a debtor’s card in chat opens the debtor page and the follow-up form in the mini-app', async () => {
    const chatOfficer = await t.linkOfficer({ name: 'การ์ด', role: 'district', area: 'ตราด/เมืองตราด' });
    const before = t.fake.messagesTo(chatOfficer).length;
    await t.say(chatOfficer, 'สมศรี');
    const card = JSON.stringify(t.fake.messagesTo(chatOfficer).slice(before));
    expect(card).toContain(`https://liff.line.me/1650000000-testliff/officer/debtors/${somsri}/follow-up`);
    expect(card).toContain('"label":"บันทึกการติดตาม"');
    expect(card).toContain('"label":"งานของฉัน"');
  });

  it('are issued from chat with "ขอรหัส <name>", only inside the area', async () => {
    const chatOfficer = await t.linkOfficer({ name: 'ชาตรี', role: 'district', area: 'ตราด/เมืองตราด' });
    const [answer] = await t.say(chatOfficer, 'ขอรหัส จำปา');
    expect(answer).toMatch(/รหัสผูกบัญชีของคุณจำปา ศรีสุข: \d{4} \d{4}/);
    const [none] = await t.say(chatOfficer, 'ขอรหัส สุดา');
    expect(none).toContain('ไม่พบลูกหนี้ "สุดา"');
    // A contract of another district: she did use a contract number, and is told who can issue it.
    const [outside] = await t.say(chatOfficer, 'ขอรหัส WS-5');
    expect(outside).toContain('ไม่พบสัญญา "WS-5"');
    expect(outside).toContain('ให้เจ้าหน้าที่ของพื้นที่นั้นออกรหัส');
    await t.importLoans([{ ...BANG_PHRA, contract_no: 'WS-6', full_name: 'จำปา ทองดี', first_due_on: '2026-12-15' }]);
    const [many] = await t.say(chatOfficer, 'ขอรหัส จำปา');
    expect(many).toContain('WS-3');
    expect(many).toContain('WS-6');
    // Whom she meant, one tap (found in the forum's trial: the list had no buttons).
    const choices = ((t.fake.messagesTo(chatOfficer).at(-1)!.message.quickReply as { items: Array<{ action: { label: string; data: string } }> }).items).map((i) => i.action);
    expect(choices.map((c) => c.label)).toEqual(['1. จำปา ทองดี', '2. จำปา ศรีสุข']);
    const before = t.fake.messagesTo(chatOfficer).length;
    await t.deliver([t.fake.postbackEvent(chatOfficer, choices[0]!.data)]);
    expect(t.fake.textsTo(chatOfficer).slice(before)[0]).toMatch(/รหัสผูกบัญชีของคุณจำปา ทองดี: \d{4} \d{4}/);
    // The button of a borrower outside her area (a forged postback) gives nothing away.
    const outsideBefore = t.fake.messagesTo(chatOfficer).length;
    await t.deliver([t.fake.postbackEvent(chatOfficer, `action=code_for&borrower=${sudaOutside}`)]);
    const outsideAnswer = t.fake.textsTo(chatOfficer).slice(outsideBefore)[0];
    expect(outsideAnswer).not.toMatch(/\d{4} \d{4}/);
    expect(outsideAnswer).not.toMatch(/[A-Z_]{5,}:/); // Thai only: no error code ("FORBIDDEN:") shown to her
    // Typed without the space between first name and surname, as many do.
    const [spaceless] = await t.say(chatOfficer, 'ขอรหัสจำปาทองดี');
    expect(spaceless).toMatch(/รหัสผูกบัญชีของคุณจำปา ทองดี: \d{4} \d{4}/);
    const [byContract] = await t.say(chatOfficer, 'ขอรหัส WS-6');
    expect(byContract).toMatch(/รหัสผูกบัญชีของคุณจำปา ทองดี: \d{4} \d{4}/);
    // As officers type it: a title written onto the name, and polite words around it.
    const [polite] = await t.say(chatOfficer, 'ขอรหัสให้คุณจำปา ทองดีหน่อยค่ะ');
    expect(polite).toMatch(/รหัสผูกบัญชีของคุณจำปา ทองดี: \d{4} \d{4}/);
  });

  it('print a tambon’s batch: one slip per unlinked borrower, older codes replaced, the link works once', async () => {
    const tambonId = (await t.context.db.selectFrom('areas').select('id').where('path', '=', 'ตราด/เมืองตราด/บางพระ').executeTakeFirstOrThrow()).id;
    const oldCode = (await bangPhra.post(`/api/liff/officer/debtors/${await borrowerIdOf(t, 'WS-3')}/link-code`)).body.code as string;
    expect((await laemNgop.post('/api/liff/officer/link-code-batches', { tambon: tambonId })).status).toBe(403);
    const created = await bangPhra.post('/api/liff/officer/link-code-batches', { tambon: tambonId });
    expect(created.status).toBe(201);
    const batch = linkCodeBatchCreatedSchema.parse(created.body);
    // สมศรี and มาลี are linked by now: จำปา ศรีสุข and จำปา ทองดี get slips.
    expect(batch).toMatchObject({ tambon: 'ตำบลบางพระ', slipCount: 2 });

    const pdf = await fetch(`${t.url}${batch.downloadUrl}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    // PDF readers give "ำ" back as "ํา": compare as they search (NFKC).
    const text = extractPdfText(Buffer.from(await pdf.arrayBuffer())).pages.join('\n').normalize('NFKC');
    expect(text).toContain('จำปา ศรีสุข'.normalize('NFKC'));
    expect(text).toContain('จำปา ทองดี'.normalize('NFKC'));
    expect(text).not.toContain('สมศรี');
    // The slip shows a masked contract number: it may be lost on the way home.
    expect(text).toContain(`สัญญา ${maskContractNo('WS-6')}`);
    expect((await fetch(`${t.url}${batch.downloadUrl}`)).status).toBe(410);

    // Ended by the batch's newer code: she is told to use the newer one, not that 7 days passed.
    expect((await t.context.services.linking.redeem(fakeLineUserId('champa-old'), oldCode, t.clock.now())).outcome).toBe('replaced');
    const [told] = await t.say(fakeLineUserId('champa-chat'), oldCode);
    expect(told).toContain('เจ้าหน้าที่ออกรหัสใหม่ให้ท่านแล้ว');
    const issued = (await t.context.db.selectFrom('audit_log').select(['subject', 'details']).where('action', '=', 'link_code.issue').execute()).filter(
      (row) => (row.details as { batchId?: number }).batchId === batch.id,
    );
    expect(issued.map((row) => row.subject).sort()).toEqual([`borrower:${await borrowerIdOf(t, 'WS-3')}`, `borrower:${await borrowerIdOf(t, 'WS-6')}`].sort());
  });
});

describe('debtor positions (the list’s index, kept by triggers)', () => {
  it('agree with positions recomputed from scratch after everything above', async () => {
    const { kept, recomputed } = await positionsAgree(t);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(recomputed);
  });
});
