// Officers in chat: area summary and lookups, never outside their own area; every look is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let tambonOfficer: string;
let provinceOfficer: string;
let otherProvinceOfficer: string;

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  const inBangPhra = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
  await t.importLoans([
    { ...inBangPhra, contract_no: 'OF-1', full_name: 'สมศรี ปกติดี', first_due_on: '2026-12-15' },
    { ...inBangPhra, contract_no: 'OF-2', full_name: 'มาลี ค้างนาน', paid_total: '3000' },
    { ...inBangPhra, contract_no: 'OF-3', full_name: 'ประไพ ถูกฟ้อง', litigation: 'true' },
    { province: 'ตราด', district: 'คลองใหญ่', subdistrict: 'หาดเล็ก', contract_no: 'OF-4', full_name: 'มาลี หาดเล็ก', paid_total: '0' },
    { province: 'จันทบุรี', district: 'เมืองจันทบุรี', subdistrict: 'ตลาด', contract_no: 'OF-5', full_name: 'มาลี จันทบุรี', first_due_on: '2026-12-15' },
  ]);
  tambonOfficer = await t.linkOfficer({ name: 'กาญจนา', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
  provinceOfficer = await t.linkOfficer({ name: 'พรทิพย์', role: 'province', area: 'ตราด' });
  otherProvinceOfficer = await t.linkOfficer({ name: 'สมปอง', role: 'province', area: 'จันทบุรี' });
});
afterAll(async () => {
  await t?.close();
});

function lastJson(user: string, since: number) {
  return JSON.stringify(t.fake.messagesTo(user).slice(since));
}

describe('officer summary', () => {
  it('counts debtors per colour in the tambon and compares the overdue rate with 5 %', async () => {
    const before = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'สรุป');
    const json = lastJson(tambonOfficer, before);
    expect(json).toContain('สรุปลูกหนี้ ตำบลบางพระ');
    // normal 1, in measure 0, defaulted 1, litigation 1
    expect(json).toContain('ลูกหนี้ปกติ 1, ลูกหนี้เข้าร่วมมาตรการ 0, ลูกหนี้ผิดนัดชำระ 1, ลูกหนี้ดำเนินคดี 1');
    // overdue 8,000 + 11,000 = 19,000 of outstanding 12,000 + 9,000 + 12,000 = 33,000 → 57.58 %
    expect(json).toContain('57.58%');
    expect(json).toContain('เป้า < 5%');
  });

  it('widens to the province for a province officer, and stops at its border', async () => {
    const before = t.fake.messagesTo(provinceOfficer).length;
    await t.say(provinceOfficer, 'ขอภาพรวม');
    expect(lastJson(provinceOfficer, before)).toContain('ลูกหนี้ปกติ 1, ลูกหนี้เข้าร่วมมาตรการ 0, ลูกหนี้ผิดนัดชำระ 2, ลูกหนี้ดำเนินคดี 1');
  });
});

describe('officer lookup', () => {
  it('finds debtors by name inside the area only', async () => {
    const before = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'มาลี');
    const json = lastJson(tambonOfficer, before);
    expect(json).toContain('มาลี ค้างนาน');
    expect(json).not.toContain('มาลี หาดเล็ก');
    expect(json).not.toContain('มาลี จันทบุรี');
    expect(json).toMatch(/\d-xxxx-xxxxx-\d\d-\d/);
  });

  it('finds a name typed with the usual slips: a short vowel for a long one, no tone mark, no space', async () => {
    for (const typed of ['มาลิ', 'มาลีค้างนาน', 'มาลี คางนาน']) {
      const before = t.fake.messagesTo(tambonOfficer).length;
      await t.say(tambonOfficer, typed);
      const json = lastJson(tambonOfficer, before);
      expect(json, typed).toContain('มาลี ค้างนาน');
      expect(json, typed).not.toContain('มาลี หาดเล็ก');
    }
    const [code] = await t.say(tambonOfficer, 'ขอรหัส มาลิ');
    expect(code).toContain('มาลี ค้างนาน');
    expect(code).not.toContain('ไม่พบ');
  });

  it('finds a name followed by a question about her', async () => {
    const before = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'มาลี ค้างนาน จ่ายแล้วยัง');
    expect(lastJson(tambonOfficer, before)).toContain('มาลี ค้างนาน');
    // Nothing of the name matches: still "not found", with the short commands to try.
    const [none] = await t.say(tambonOfficer, 'สมหญิง ไม่มีตัวตน ย้ายไปไหน');
    expect(none).toContain('ไม่พบลูกหนี้');
    expect(none).toContain('"ลูกหนี้แดง"');
  });

  it('answers a question with no name in it ("ใครยังไม่จ่ายบ้าง") with the list of those behind', async () => {
    const [answer] = await t.say(tambonOfficer, 'ใครยังไม่จ่ายบ้างคะ');
    expect(answer).not.toContain('ไม่พบลูกหนี้');
    expect(JSON.stringify(t.fake.messagesTo(tambonOfficer).at(-1)!.message)).toContain('/officer/debtors?colour=red');
  });

  it('opens the list of those not linked yet for "ใครยังไม่ผูกบัญชี" and "ขอรหัสทั้งตำบล"; finds "ป้ามาลี" for a code', async () => {
    for (const asked of ['ใครยังไม่ผูกบัญชีบ้างคะ', 'ขอรหัสทั้งตำบล']) {
      const [answer] = await t.say(tambonOfficer, asked);
      expect(answer).toContain('ยังไม่ผูกบัญชี LINE');
      expect(answer).not.toContain('ไม่พบลูกหนี้');
      expect(JSON.stringify(t.fake.messagesTo(tambonOfficer).at(-1)!.message)).toContain('/officer/debtors?linked=no');
    }
    const [code] = await t.say(tambonOfficer, 'ขอรหัสผูกบัญชีให้ป้ามาลีหน่อย');
    expect(code).not.toContain('ไม่พบลูกหนี้');
    expect(code).toContain('มาลี');
  });

  it('finds her card when a name is glued to a page command ("บันทึกเยี่ยมบ้านมาลี"), the list when no one is named', async () => {
    const before = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'บันทึกเยี่ยมบ้านมาลี');
    const card = lastJson(tambonOfficer, before);
    expect(card).toContain('มาลี ค้างนาน');
    expect(card).toContain('/follow-up');
    const [list] = await t.say(tambonOfficer, 'รับชำระวันนี้');
    expect(list).toContain('"รับชำระเงิน"');
    expect(list).not.toContain('ไม่พบลูกหนี้');
    expect(JSON.stringify(t.fake.messagesTo(tambonOfficer).at(-1)!.message)).toContain('/officer/debtors');
  });

  it('finds by contract number, and says so when the contract is outside the area', async () => {
    const before = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'OF-2');
    expect(lastJson(tambonOfficer, before)).toContain('มาลี ค้างนาน');
    const answers = await t.say(tambonOfficer, 'OF-5');
    expect(answers[0]).toContain('ไม่พบลูกหนี้');
    const other = await t.say(otherProvinceOfficer, 'OF-2');
    expect(other[0]).toContain('ไม่พบลูกหนี้');
  });

  it('audits every debtor an officer looked at', async () => {
    await t.say(provinceOfficer, 'OF-4');
    const rows = await t.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'borrower.view').execute();
    expect(rows.some((row) => row.subject?.startsWith('borrower:') && row.actor.startsWith('officer:'))).toBe(true);
  });

  it('gives the officer menu, not borrower features', async () => {
    const answers = await t.say(tambonOfficer, 'เมนู');
    expect(answers[0]).toContain('เมนูเจ้าหน้าที่');
  });

  it('points to the reports in the mini-app when asked for the quarter’s report, instead of looking up a debtor', async () => {
    const [answer] = await t.say(tambonOfficer, 'รายงานไตรมาส');
    expect(answer).toContain('ไฟล์ Excel');
    expect(answer).not.toContain('ไม่พบลูกหนี้');
    expect(JSON.stringify(t.fake.messagesTo(tambonOfficer).at(-1)!.message)).toContain('/officer/reports');
  });

  it('opens the slips and the debtor list for "ตรวจสลิป" and "รับชำระ"; tells a mentor who checks slips', async () => {
    const [slips] = await t.say(tambonOfficer, 'ตรวจสลิปค่ะ');
    expect(slips).toContain('สลิปโอนเงินที่ผู้กู้ในพื้นที่ส่งมาทาง LINE');
    expect(JSON.stringify(t.fake.messagesTo(tambonOfficer).at(-1)!.message)).toContain('/officer/slips');
    const [debtors] = await t.say(tambonOfficer, 'รับชำระ');
    expect(debtors).toContain('"รับชำระเงิน"');
    expect(JSON.stringify(t.fake.messagesTo(tambonOfficer).at(-1)!.message)).toContain('/officer/debtors');
    await t.say(tambonOfficer, 'ลูกหนี้ค้างชำระ');
    expect(JSON.stringify(t.fake.messagesTo(tambonOfficer).at(-1)!.message)).toContain('/officer/debtors?colour=red');
    const mentor = await t.linkOfficer({ name: 'บุญเรือน', role: 'mentor', area: 'ตราด/เมืองตราด/บางพระ' });
    const [told] = await t.say(mentor, 'สลิป');
    expect(told).toContain('การตรวจสลิปโอนเงินทำโดยเจ้าหน้าที่พัฒนาชุมชน');
    const [list] = await t.say(mentor, 'บันทึกเยี่ยมบ้าน');
    expect(list).toContain('การรับชำระเงินต้องให้เจ้าหน้าที่พัฒนาชุมชนบันทึก');
    for (const answer of [slips, debtors, told, list]) expect(answer).not.toContain('ไม่พบลูกหนี้');
  });
});

describe('officer lookup as phones type it', () => {
  it('finds a debtor with a title before her name, or by the last digits of her contract', async () => {
    const before = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'นางมาลี ค้างนาน');
    expect(lastJson(tambonOfficer, before)).toContain('OF-2');
    const surnameFirst = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'ค้างนาน มาลี');
    expect(lastJson(tambonOfficer, surnameFirst)).toContain('OF-2');
    await t.importLoans([{ province: 'ตราด', district: 'แหลมงอบ', subdistrict: 'บางปิด', contract_no: 'TRT-2567-0042', full_name: 'ลำใย เลขท้าย' }]);
    const again = t.fake.messagesTo(provinceOfficer).length;
    await t.say(provinceOfficer, 'ค้นหา ๐๐๔๒');
    expect(lastJson(provinceOfficer, again)).toContain('ลำใย เลขท้าย');
  });
});

describe('officer lookup by a number only', () => {
  it('finds a contract number of eight digits, never taking it for a link code', async () => {
    // Imported last: the counts above are of the first five debtors.
    await t.importLoans([{ province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ', contract_no: '2566-0007', full_name: 'จันทร์เพ็ญ เลขล้วน' }]);
    const before = t.fake.messagesTo(tambonOfficer).length;
    await t.say(tambonOfficer, 'ค้นหา 2566-0007');
    const json = lastJson(tambonOfficer, before);
    expect(json).toContain('จันทร์เพ็ญ เลขล้วน');
    expect(json).not.toContain('รหัสผูกบัญชีไม่ถูกต้อง');
  });
});
