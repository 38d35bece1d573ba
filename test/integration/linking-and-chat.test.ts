// Linking a LINE account with a one-time code, then the borrower conversation with exact amounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { fakeLineUserId } from '../../server/dev/fake-line-platform.ts';
import { createBorrowerLinkCode } from '../../server/services/linking.service.ts';
import { encodePostback } from '../../server/line/postback.ts';
import { validNationalId } from '../support/registry.ts';

let t: TestApp;
const nationalId = validNationalId(777_001);

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([
    // 12,000 baht, no interest, 12 monthly installments from 15 Jan 2026, 3,000 paid: 8 installments overdue.
    { contract_no: 'LC-001', national_id: nationalId, full_name: 'มาลี ทองคำ', principal: '12,000', paid_total: '3,000.00' },
    { contract_no: 'LC-002', full_name: 'บุษบา ตรงเวลา', first_due_on: '2026-11-30', paid_total: '0' },
    { contract_no: 'LC-003', full_name: 'ประไพ ถูกฟ้อง', principal: '12,000', paid_total: '0', litigation: 'true' },
  ]);
  await t.linkOfficer({ name: 'กาญจนา ศรีวงศ์', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ', phone: '0812345601' });
});
afterAll(async () => {
  await t?.close();
});

async function issueCode(contractNo: string) {
  return (await createBorrowerLinkCode(t.context, { contractNo }, { actor: 'test', at: t.clock.now() })).code;
}

describe('account linking in chat', () => {
  it('greets a new follower and explains how to link', async () => {
    const user = fakeLineUserId('newcomer');
    await t.deliver([t.fake.followEvent(user)]);
    const [greeting] = t.fake.textsTo(user);
    expect(greeting).toContain('ผูกบัญชี');
    expect(greeting).toContain('8 หลัก');
  });

  it('shows no one’s data to an unlinked user asking about debt', async () => {
    const user = fakeLineUserId('stranger');
    const answers = await t.say(user, 'ยอดหนี้');
    expect(answers.join('\n')).toContain('ต้องผูกบัญชีก่อน');
    expect(JSON.stringify(t.fake.messagesTo(user))).not.toMatch(/LC-00|มาลี|฿/);
  });

  it('tells an unlinked user where to reach an officer and get a code, naming no one', async () => {
    const user = fakeLineUserId('who-to-ask');
    for (const asked of ['ติดต่อเจ้าหน้าที่', 'ลืมรหัส']) {
      const answer = (await t.say(user, asked)).join('\n');
      expect(answer).toContain('สำนักงานพัฒนาชุมชนอำเภอ');
      expect(answer).toContain('ขอรหัสผูกบัญชี');
    }
    expect(JSON.stringify(t.fake.messagesTo(user))).not.toMatch(/กาญจนา|0812345601|081-234-5601/);
  });

  it('links with a good code and greets the borrower by name', async () => {
    const user = fakeLineUserId('mali');
    const code = await issueCode('LC-001');
    const answers = await t.say(user, `${code.slice(0, 4)} ${code.slice(4)}`);
    expect(answers[0]).toContain('ผูกบัญชีเรียบร้อยแล้ว');
    expect(answers[0]).toContain('คุณมาลี ทองคำ');
    const audit = await t.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'line.link').execute();
    expect(audit.some((row) => row.actor === `line:${user}`)).toBe(true);
  });

  it('links with the code said in a sentence, in Thai digits', async () => {
    const user = fakeLineUserId('sentence');
    const code = await issueCode('LC-002');
    const thaiDigits = code.replace(/\d/g, (d) => String.fromCharCode(0x0e50 + Number(d)));
    const answers = await t.say(user, `รหัสคือ ${thaiDigits.slice(0, 4)} ${thaiDigits.slice(4)} ค่ะ`);
    expect(answers[0]).toContain('ผูกบัญชีเรียบร้อยแล้ว');
    expect(answers[0]).toContain('คุณบุษบา ตรงเวลา');
  });

  it('does not tell a debtor already sued that measures keep her from being sued', async () => {
    const user = fakeLineUserId('sued');
    await t.say(user, await issueCode('LC-003'));
    const json = JSON.stringify(await t.say(user, 'ยอดหนี้'));
    expect(json).toContain('ค้างชำระ');
    // Her status may say she is sued; nothing may promise that a measure keeps her from it.
    expect(json).not.toContain('ลดโอกาสถูกดำเนินคดี');
    expect(json).not.toContain('ไม่ถูกดำเนินคดี');
    expect(json).toContain('ติดต่อเจ้าหน้าที่');
  });

  it('refuses a code that was already used', async () => {
    const code = await issueCode('LC-002');
    expect((await t.say(fakeLineUserId('first'), code))[0]).toContain('ผูกบัญชีเรียบร้อยแล้ว');
    expect((await t.say(fakeLineUserId('second'), code))[0]).toContain('ถูกใช้ผูกบัญชีไปแล้ว');
  });

  it('refuses an expired code', async () => {
    const code = await issueCode('LC-002');
    t.clock.advanceDays(8);
    try {
      expect((await t.say(fakeLineUserId('late'), code))[0]).toContain('หมดอายุ');
    } finally {
      t.clock.advanceDays(-8);
    }
  });

  // From a trial of the monthly forum: a code typed on the wrong phone changed whose account it was, without a word.
  it('does not let a borrower\'s code take over an officer\'s account; the code stays usable', async () => {
    const officer = await t.linkOfficer({ name: 'อัมพร หาดเล็ก', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
    const code = await issueCode('LC-002');
    const [answer] = await t.say(officer, code);
    expect(answer).toContain('บัญชี LINE นี้เป็นบัญชีเจ้าหน้าที่ (คุณอัมพร หาดเล็ก)');
    expect(answer).toContain('รหัสนี้ยังใช้ได้');
    expect((await t.say(officer, 'สรุป')).join('\n')).not.toContain('ยังไม่เข้าใจ');
    // Typed in a sentence, as officers type it: the same answer, not "no such contract".
    for (const said of [`รหัส ${code.slice(0, 4)} ${code.slice(4)} ค่ะ`, `ลูกหนี้ส่งรหัส ${code} มาให้ค่ะ`]) {
      expect((await t.say(officer, said))[0]).toContain('บัญชี LINE นี้เป็นบัญชีเจ้าหน้าที่');
    }
    expect((await t.say(fakeLineUserId('busaba-own-phone'), code))[0]).toContain('คุณบุษบา ตรงเวลา');
  });

  it('does not move a linked borrower\'s phone to another borrower without her unlinking first', async () => {
    const phone = fakeLineUserId('siriporn-phone');
    expect((await t.say(phone, await issueCode('LC-003')))[0]).toContain('คุณประไพ ถูกฟ้อง');
    const other = await issueCode('LC-002');
    const [refused] = await t.say(phone, other);
    expect(refused).toContain('บัญชี LINE นี้ผูกกับข้อมูลของคุณประไพ ถูกฟ้องอยู่แล้ว');
    expect(refused).toContain('"ยกเลิกการผูกบัญชี"');
    // In a sentence too (a daughter's "รหัสแม่ค่ะ …"): the same way forward, not "ไม่เข้าใจ".
    expect((await t.say(phone, `รหัสแม่ค่ะ ${other.slice(0, 4)} ${other.slice(4)}`))[0]).toContain('"ยกเลิกการผูกบัญชี"');
    expect(await t.context.db.selectFrom('line_links').select('borrower_id').where('line_user_id', '=', phone).executeTakeFirstOrThrow()).toMatchObject({ borrower_id: expect.any(Number) });
    expect((await t.say(phone, 'ยอดหนี้')).join('\n')).not.toContain('บุษบา');
  });

  it('tells her she is linked when she sends her code twice, and warns the owner of a code someone else used', async () => {
    const mine = fakeLineUserId('twice');
    const code = await issueCode('LC-002');
    expect((await t.say(mine, code))[0]).toContain('ผูกบัญชีเรียบร้อยแล้ว');
    expect((await t.say(mine, code))[0]).toContain('บัญชี LINE นี้ผูกกับข้อมูลของคุณบุษบา ตรงเวลาเรียบร้อยแล้ว');
    // The owner tries the code a stranger used: she is told to tell an officer, and is never locked out for it.
    const owner = fakeLineUserId('real-owner');
    for (let i = 0; i < 6; i++) expect((await t.say(owner, code))[0]).toContain('ไม่ได้ใช้รหัสนี้เอง โปรดแจ้งเจ้าหน้าที่ทันที');
    expect((await t.say(owner, await issueCode('LC-002')))[0]).toContain('ผูกบัญชีเรียบร้อยแล้ว');
  });

  it('says so when linking takes the person from the LINE account she was linked to before, and tells that account', async () => {
    const oldPhone = fakeLineUserId('real-owner'); // linked to บุษบา in the test before
    const borrowerMenu = t.fake.richMenuOf(oldPhone)?.richMenuId;
    expect(borrowerMenu).toBeDefined();
    const [linked] = await t.say(fakeLineUserId('new-phone'), await issueCode('LC-002'));
    // The old phone loses the borrower's menu at once; the new one has it.
    expect(t.fake.richMenuOf(oldPhone)?.richMenuId).not.toBe(borrowerMenu);
    expect(t.fake.richMenuOf(fakeLineUserId('new-phone'))?.richMenuId).toBe(borrowerMenu);
    expect(linked).toContain('ผูกบัญชีเรียบร้อยแล้ว');
    expect(linked).toContain('บัญชี LINE ที่เคยผูกกับข้อมูลนี้ไว้ก่อนหน้า');

    // The old phone hears it once, at any hour, by push: never silent, and a code used by someone else is noticed.
    await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
    await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
    const told = t.fake.textsTo(oldPhone).filter((said) => said.includes('มีการผูกบัญชี LINE อื่นกับข้อมูลของคุณบุษบา ตรงเวลา ด้วยรหัสผูกบัญชี'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('23 พ.ย. 2569');
    expect(told[0]).toContain('จะไม่ได้รับข้อมูลหนี้หรือการแจ้งเตือนของคุณบุษบา ตรงเวลา อีก');
    expect(told[0]).toContain('แจ้งพัฒนากรประจำตำบล');
    expect(t.fake.textsTo(fakeLineUserId('new-phone')).join('\n')).not.toContain('มีการผูกบัญชี LINE อื่น');
    // Her debt stays with the new phone only.
    expect((await t.say(oldPhone, 'ยอดหนี้')).join('\n')).not.toContain('บุษบา');
  });

  it('tells an officer\'s old phone when her new phone is linked with an officer code', async () => {
    const oldPhone = await t.linkOfficer({ name: 'วนิดา เปลี่ยนเครื่อง', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
    const newPhone = await t.linkOfficer({ name: 'วนิดา เปลี่ยนเครื่อง', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
    expect(newPhone).not.toBe(oldPhone);
    await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
    const told = t.fake.textsTo(oldPhone).find((said) => said.includes('มีการผูกบัญชี LINE อื่นกับข้อมูลของคุณวนิดา เปลี่ยนเครื่อง'));
    expect(told).toContain('จะไม่ได้รับงานหรือการแจ้งเตือนของเจ้าหน้าที่อีก');
    expect(told).toContain('แจ้งผู้ดูแลระบบของจังหวัด');
  });

  it('throttles wrong guesses per LINE user', async () => {
    const guesser = fakeLineUserId('guesser');
    for (let i = 0; i < 5; i++) expect((await t.say(guesser, String(10_000_000 + i)))[0]).toContain('ไม่ถูกต้อง');
    const good = await issueCode('LC-002');
    expect((await t.say(guesser, good))[0]).toContain('ผิดหลายครั้งเกินไป');
    // Another user is not affected, and the code is still usable.
    expect((await t.say(fakeLineUserId('honest'), good))[0]).toContain('ผูกบัญชีเรียบร้อยแล้ว');
  });
});

describe('borrower conversation', () => {
  let user: string;
  beforeAll(async () => {
    user = fakeLineUserId('mali-chat');
    await t.say(user, await issueCode('LC-001'));
  });
  /** Everything the bot sent her in answer to `text` (cards included), as JSON. */
  const answerJson = async (text: string) => {
    const before = t.fake.messagesTo(user).length;
    await t.say(user, text);
    return JSON.stringify(t.fake.messagesTo(user).slice(before));
  };

  it('takes a linked borrower\'s eight-digit number in a sentence for what she asks, not for a link code', async () => {
    const answers = await t.say(user, 'สัญญา 2566-0007 ค้างเท่าไหร่คะ');
    expect(answers.join('\n')).not.toContain('รหัสผูกบัญชีไม่ถูกต้อง');
  });

  it('answers "ค้างเท่าไหร่" with a debt card of exact amounts', async () => {
    const before = t.fake.messagesTo(user).length;
    await t.say(user, 'ค้างเท่าไหร่คะ');
    const [intro, card] = t.fake.messagesTo(user).slice(before).map((m) => m.message);
    expect(intro!.text).toContain('ยอดค้างชำระรวม ฿8,000.00');
    const json = JSON.stringify(card);
    expect(card!.type).toBe('flex');
    expect(json).toContain('สัญญาเลขที่ LC-001');
    expect(json).toContain('"เงินต้นคงเหลือ"');
    expect(json).toContain('฿9,000.00'); // outstanding principal
    expect(json).toContain('"ดอกเบี้ย"'); // "ดอกเบี้ยเท่าไหร่" gets this card
    expect(json).toContain('฿8,000.00'); // overdue
    expect(json).toContain('222 วัน'); // since 15 Apr 2026
    expect(json).toContain('15 ธ.ค. 2569'); // next due date in the Buddhist Era
    expect(json).toContain('฿1,000.00'); // next installment
    expect(json).toContain('มียอดค้างชำระ');
    expect(json).not.toContain('ลูกหนี้ผิดนัดชำระ'); // the officers' label, and its colour word, are not hers to read
    expect(json).not.toContain('สีแดง');
    expect(json).toContain('#D32F2F');
    expect(json).toContain('https://liff.line.me/1650000000-testliff');
    expect((card as { quickReply?: { items: unknown[] } }).quickReply?.items.length).toBeGreaterThan(0);
  });

  it('explains the relief measures, พักหนี้ไม่พักจ่าย first, with the LIFF link', async () => {
    const json = await answerJson('มีมาตรการอะไรบ้าง');
    expect(json).toContain('ลดโอกาสถูกดำเนินคดี');
    expect(json.indexOf('พักหนี้ไม่พักจ่าย')).toBeLessThan(json.indexOf('การรวมหนี้'));
    for (const form of ['การขยายระยะเวลาชำระหนี้', 'การปรับลดอัตราดอกเบี้ย', 'การพักชำระเงินต้น', 'การพักหนี้', 'เบี้ยปรับ', 'รีไฟแนนซ์', 'บัญชีเงินออมเพื่อปลดหนี้']) {
      expect(json).toContain(form);
    }
    expect(json).toContain('https://liff.line.me/1650000000-testliff');
  });

  it('explains how to pay, quoting the contract number', async () => {
    const answers = await t.say(user, 'จ่ายเงินยังไง');
    expect(answers.join('\n')).toContain('สำนักงานพัฒนาชุมชนอำเภอ');
    expect(answers.join('\n')).toContain('LC-001');
  });

  it('names the officer of the borrower’s area', async () => {
    const json = await answerJson('ติดต่อเจ้าหน้าที่');
    expect(json).toContain('คุณกาญจนา ศรีวงศ์');
    expect(json).toContain('tel:0812345601');
    expect(json).toContain('โทร 081-234-5601');
  });

  it('answers "คำขอของฉัน" with where her applications stand, in the mini-app', async () => {
    const json = await answerJson('คำขอถึงไหนแล้วคะ');
    expect(json).toContain('ดูสถานะคำขอ');
    expect(json).toContain('/applications');
  });

  it('reaches the same answers from quick-reply postbacks', async () => {
    const before = t.fake.messagesTo(user).length;
    await t.deliver([t.fake.postbackEvent(user, encodePostback({ action: 'debt' }))]);
    expect(JSON.stringify(t.fake.messagesTo(user).slice(before))).toContain('สัญญาเลขที่ LC-001');
  });

  it('answers a stale or unknown button politely', async () => {
    const before = t.fake.messagesTo(user).length;
    await t.deliver([t.fake.postbackEvent(user, 'action=vanished&id=9')]);
    expect(t.fake.textsTo(user).slice(before).join('\n')).toContain('ใช้ไม่ได้แล้ว');
  });

  it('never leaves unknown text unanswered', async () => {
    const answers = await t.say(user, 'วันนี้ฝนตกหนักมาก');
    expect(answers[0]).toContain('ยังไม่เข้าใจ');
  });

  it('never puts debt details into a group chat', async () => {
    const group = 'Cgroup0000000000000000000000000001';
    const before = t.fake.messagesTo(group).length;
    await t.deliver([t.fake.groupTextEvent(group, user, 'ยอดหนี้')]);
    const sent = JSON.stringify(t.fake.messagesTo(group).slice(before));
    expect(sent).toContain('ข้อมูลส่วนตัว');
    expect(sent).not.toMatch(/LC-001|฿/);
  });
});
