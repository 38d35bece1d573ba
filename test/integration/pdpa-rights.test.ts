// The borrower's PDPA rights (issue 13): unlinking her LINE account herself, in the chat and in the mini-app —
// reminders stop, her debts are no longer shown there, and a new code links again — and a copy of exactly what
// the fund holds about her, nobody else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { validNationalId } from '../support/registry.ts';
import type { DataCopy } from '../../server/contracts/privacy.ts';
import { call, idTokenFor, lastQuickReplies } from './liff-support.ts';

let t: TestApp;
const area = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
// Three installments already due and unpaid: overdue reminders are planned for them every run.
const behind = { principal: '12,000', annual_interest_rate: '0', installments: '12', first_due_on: '2026-08-15', paid_total: '0' };
const ids = { a: validNationalId(4101), b: validNationalId(4102), c: validNationalId(4103) };
const users: Record<string, string> = {};

async function linkedOf(lineUserId: string) {
  return t.context.db.selectFrom('line_links').selectAll().where('line_user_id', '=', lineUserId).executeTakeFirst();
}

async function pendingRemindersOf(contractNo: string) {
  return t.context.db
    .selectFrom('outbound_messages as m')
    .innerJoin('loans as l', 'l.borrower_id', 'm.borrower_id')
    .select(['m.id', 'm.status', 'm.outcome'])
    .where('l.contract_no', '=', contractNo)
    .where('m.kind', 'like', 'borrower_%')
    .execute();
}

beforeAll(async () => {
  // Monday 23 Nov 2026, 10:00 in Bangkok.
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([
    { ...area, ...behind, contract_no: 'PD-A1', national_id: ids.a, full_name: 'อรุณี ขอข้อมูล', phone: '0811111111' },
    { ...area, ...behind, contract_no: 'PD-A2', national_id: ids.a, full_name: 'อรุณี ขอข้อมูล', phone: '0811111111', paid_total: '3,000' },
    { ...area, ...behind, contract_no: 'PD-B1', national_id: ids.b, full_name: 'บังอร เลิกใช้', phone: '0822222222' },
    { ...area, ...behind, contract_no: 'PD-C1', national_id: ids.c, full_name: 'จำปา คนอื่น', phone: '0833333333' },
  ]);
  users.a = await t.linkBorrower('PD-A1', 'อรุณี');
  users.b = await t.linkBorrower('PD-B1', 'บังอร');
  users.c = await t.linkBorrower('PD-C1', 'จำปา');
  users.tambon = await t.linkOfficer({ name: 'กาญจนา ดูแลดี', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
});
afterAll(async () => {
  await t?.close();
});

describe('unlinking in the chat', () => {
  it('asks first, in plain words, with a confirm button and a way out', async () => {
    const [answer] = await t.say(users.b!, 'อยากยกเลิกการผูกบัญชีค่ะ');
    expect(answer).toContain('ต้องการยกเลิกการผูกบัญชี LINE นี้ใช่ไหมคะ');
    expect(answer).toContain('ยังต้องชำระตามสัญญา');
    const buttons = lastQuickReplies(t, users.b!);
    expect([...buttons.keys()]).toEqual(['ยืนยัน ยกเลิกการผูก', 'ไม่ยกเลิก']);
    // Asking changes nothing.
    expect(await linkedOf(users.b!)).toBeDefined();
  });

  it('"ไม่ยกเลิก" keeps the link', async () => {
    await t.say(users.b!, 'เลิกผูกบัญชี');
    const keep = lastQuickReplies(t, users.b!).get('ไม่ยกเลิก')!;
    await t.deliver([t.fake.postbackEvent(users.b!, keep)]);
    expect(await linkedOf(users.b!)).toBeDefined();
    const [debt] = await t.say(users.b!, 'ยอดหนี้');
    expect(debt).toContain('บังอร');
  });

  it('confirming unlinks: pending reminders are cancelled, no new ones are planned, her debts are no longer shown', async () => {
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    expect((await pendingRemindersOf('PD-B1')).filter((m) => m.status === 'pending').length).toBeGreaterThan(0);

    await t.say(users.b!, 'ยกเลิกการผูก');
    const confirm = lastQuickReplies(t, users.b!).get('ยืนยัน ยกเลิกการผูก')!;
    const before = t.fake.textsTo(users.b!).length;
    await t.deliver([t.fake.postbackEvent(users.b!, confirm)]);
    expect(t.fake.textsTo(users.b!).slice(before).join('\n')).toContain('ยกเลิกการผูกบัญชีเรียบร้อยแล้วค่ะ');

    expect(await linkedOf(users.b!)).toBeUndefined();
    const messages = await pendingRemindersOf('PD-B1');
    expect(messages.filter((m) => m.status === 'pending')).toEqual([]);
    expect(messages.some((m) => m.status === 'cancelled' && m.outcome === 'unlinked')).toBe(true);

    // The next day's run plans nothing for her.
    t.clock.advanceDays(1);
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    expect((await pendingRemindersOf('PD-B1')).filter((m) => m.status === 'pending')).toEqual([]);

    const [debt] = await t.say(users.b!, 'ยอดหนี้');
    expect(debt).not.toContain('PD-B1');
    expect(debt).toContain('ผูกบัญชี');

    const audit = await t.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'line.unlink').execute();
    expect(audit.map((row) => row.actor)).toContain(`line:${users.b}`);
  });

  it('tapped again later, the confirm button only says there is nothing linked; a double tap of it is answered once', async () => {
    const data = 'action=unlink_confirm';
    const tapAt = (secondsLater: number) => {
      const event = t.fake.postbackEvent(users.b!, data);
      return { ...event, timestamp: (event.timestamp as number) + secondsLater * 1000 };
    };
    const before = t.fake.textsTo(users.b!).length;
    await t.deliver([tapAt(60)]);
    await t.deliver([tapAt(60.4)]);
    expect(t.fake.textsTo(users.b!).slice(before)).toEqual(['บัญชี LINE นี้ไม่ได้ผูกกับข้อมูลของใครอยู่แล้วค่ะ']);
  });

  it('a new code links her again, and reminders resume', async () => {
    const { code } = await t.context.services.linking.issueBorrowerCode({ contractNo: 'PD-B1' }, { actor: 'test', at: t.clock.now() });
    const [linked] = await t.say(users.b!, code);
    expect(linked).toContain('ผูกบัญชีเรียบร้อยแล้ว');
    const [debt] = await t.say(users.b!, 'ยอดหนี้');
    expect(debt).toContain('บังอร');
    // Reminders already sent or cancelled are not repeated; the next one is: December's installment, a day late.
    t.clock.advanceDays(21);
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });
    expect((await pendingRemindersOf('PD-B1')).filter((m) => m.status === 'pending').length).toBeGreaterThan(0);
  });

  it('an officer can unlink too; a guest is told there is nothing to unlink', async () => {
    const officer = await t.linkOfficer({ name: 'สมศักดิ์ ย้ายงาน', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
    const [asked] = await t.say(officer, 'ยกเลิกผูกบัญชี');
    expect(asked).toContain('บัญชีเจ้าหน้าที่');
    await t.deliver([t.fake.postbackEvent(officer, lastQuickReplies(t, officer).get('ยืนยัน ยกเลิกการผูก')!)]);
    expect(await linkedOf(officer)).toBeUndefined();

    const [guest] = await t.say('U' + 'f'.repeat(32), 'ยกเลิกการผูกบัญชี');
    expect(guest).toBe('บัญชี LINE นี้ไม่ได้ผูกกับข้อมูลของใครอยู่แล้วค่ะ');
  });
});

describe('unlinking in the mini-app', () => {
  it('unlinks with one call after the page asked; the API then treats her as not linked; a repeat is harmless', async () => {
    const token = idTokenFor(t, users.c!);
    expect((await call(t, 'GET', '/api/liff/me', { token })).status).toBe(200);
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });

    const first = await call(t, 'POST', '/api/liff/unlink', { token, body: {} });
    expect(first).toMatchObject({ status: 200, body: { unlinked: true } });
    expect((await pendingRemindersOf('PD-C1')).filter((m) => m.status === 'pending')).toEqual([]);
    const me = await call(t, 'GET', '/api/liff/me', { token });
    expect(me.body.code).toBe('NOT_LINKED');
    expect((await call(t, 'GET', '/api/liff/my-data', { token })).body.code).toBe('NOT_LINKED');
    expect((await call(t, 'POST', '/api/liff/unlink', { token, body: {} })).body).toEqual({ unlinked: false });

    const { code } = await t.context.services.linking.issueBorrowerCode({ contractNo: 'PD-C1' }, { actor: 'test', at: t.clock.now() });
    expect((await call(t, 'POST', '/api/liff/link', { token, body: { code } })).status).toBe(200);
    expect((await call(t, 'GET', '/api/liff/me', { token })).status).toBe(200);
  });

  it('needs a verified LINE identity', async () => {
    expect((await call(t, 'POST', '/api/liff/unlink', { body: {} })).status).toBe(401);
    expect((await call(t, 'GET', '/api/liff/my-data')).status).toBe(401);
  });
});

describe('the copy of her data', () => {
  it('holds exactly her data: her loans, payments, messages and who looked at her — nobody else’s', async () => {
    // Things happen to her and to others: an officer looks her (and someone else) up, reminders are queued.
    await t.say(users.tambon!, 'อรุณี');
    await t.say(users.tambon!, 'จำปา');
    await t.context.services.jobs.run('borrower-reminders', t.clock.now(), { dispatch: false });

    const response = await call<DataCopy>(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, users.a!) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const copy = response.body;

    expect(copy.person).toEqual({ fullName: 'อรุณี ขอข้อมูล', nationalId: ids.a, phone: '0811111111', area: expect.stringContaining('บางพระ') });
    expect(copy.lineAccount?.lineUserId).toBe(users.a);
    expect(copy.loans.map((loan) => loan.contractNo).sort()).toEqual(['PD-A1', 'PD-A2']);
    expect(copy.loans.find((loan) => loan.contractNo === 'PD-A2')!.paidTotal).toBe(300_000);
    expect(copy.loans.every((loan) => loan.installments.length === 12)).toBe(true);
    expect(copy.payments.every((payment) => payment.contractNo.startsWith('PD-A'))).toBe(true);

    // Her messages are the outbox rows addressed to her, all of them, and only them.
    const borrowerId = (await t.context.db.selectFrom('loans').select('borrower_id').where('contract_no', '=', 'PD-A1').executeTakeFirstOrThrow()).borrower_id;
    const hers = await t.context.db.selectFrom('outbound_messages').select('id').where('borrower_id', '=', borrowerId).execute();
    expect(hers.length).toBeGreaterThan(0);
    expect(copy.messages).toHaveLength(hers.length);
    expect(copy.messages.every((m) => m.kindLabel.length > 0 && m.statusLabel.length > 0)).toBe(true);

    // The officer's look at her is there, by name; the look at จำปา is not.
    const looks = copy.accessLog.filter((entry) => entry.action === 'borrower.view');
    expect(looks).toHaveLength(1);
    expect(looks[0]!.who).toContain('กาญจนา ดูแลดี');
    expect(looks[0]!.what).toBe('เปิดดูข้อมูลหนี้ของท่าน');

    const text = JSON.stringify(copy);
    for (const other of ['PD-B1', 'PD-C1', 'บังอร', 'จำปา', ids.b, ids.c, '0822222222', '0833333333', users.b!, users.c!]) expect(text).not.toContain(other);
  });

  // Found by a security review: lists that showed her (with her phone and debt) were audited but never reached her log.
  it('includes the lists she appeared on — the debtor list and the debtors report — by whom; not lists she was not on', async () => {
    const officer = { token: idTokenFor(t, users.tambon!) };
    expect((await call(t, 'GET', '/api/liff/officer/debtors', officer)).status).toBe(200);
    expect((await call(t, 'GET', '/api/liff/officer/reports/debtors', officer)).status).toBe(200);
    expect((await call(t, 'GET', `/api/liff/officer/debtors?q=${encodeURIComponent('จำปา')}`, officer)).status).toBe(200);
    const copy = (await call<DataCopy>(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, users.a!) })).body;
    const lists = copy.accessLog.filter((entry) => entry.action === 'debtor.list' || entry.action === 'report.debtors');
    expect(lists.map((entry) => entry.action).sort()).toEqual(['debtor.list', 'report.debtors']);
    expect(lists.every((entry) => entry.who.includes('กาญจนา ดูแลดี'))).toBe(true);
    expect(lists.map((entry) => entry.what).sort()).toEqual(['ดูรายชื่อลูกหนี้ในพื้นที่', 'ดูรายชื่อลูกหนี้ในรายงาน']);
  });

  it('includes the debtors Excel she was in, once it was downloaded', async () => {
    const reportLooks = async () =>
      (await call<DataCopy>(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, users.a!) })).body.accessLog.filter((entry) => entry.action === 'report.debtors').length;
    const before = await reportLooks();
    const file = await fetch(`${t.url}/api/liff/officer/reports/debtors/xlsx`, { headers: { authorization: `Bearer ${idTokenFor(t, users.tambon!)}` } });
    expect(file.status).toBe(200);
    await file.arrayBuffer();
    await expect.poll(reportLooks).toBe(before + 1);
    const entry = await t.context.db.selectFrom('audit_log').select('details').where('action', '=', 'report.debtors').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ file: true, shown: expect.arrayContaining([expect.any(Number)]) });
  });

  it('is itself recorded: she sees that she asked', async () => {
    const copy = (await call<DataCopy>(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, users.a!) })).body;
    expect(copy.accessLog.some((entry) => entry.action === 'borrower.data_copy' && entry.who === 'ท่านเอง')).toBe(true);
  });

  it('is for borrowers: an officer gets FORBIDDEN, a stranger NOT_LINKED', async () => {
    expect((await call(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, users.tambon!) })).body.code).toBe('FORBIDDEN');
    expect((await call(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, 'U' + 'e'.repeat(32)) })).body.code).toBe('NOT_LINKED');
  });

  it('is offered in the chat when she asks what the fund keeps about her', async () => {
    await t.say(users.a!, 'ขอดูข้อมูลส่วนตัวที่กองทุนเก็บไว้');
    const last = t.fake.messagesTo(users.a!).at(-1)!;
    expect(JSON.stringify(last.message)).toContain('/privacy');
  });
});
