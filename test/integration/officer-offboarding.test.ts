// An officer who leaves (found by a security review: nothing could cut one off; her LINE account kept her area's
// debtors until someone edited the database). `officers deactivate ID` ends her access at once, audited, and keeps
// what she recorded.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { runCli } from '../support/cli.ts';
import { registryCsv, registryRow } from '../support/registry.ts';
import { asUser } from './officer-support.ts';
import { enqueueOutboxMessages } from '../../server/services/outbox.service.ts';

const BANG_PHRA = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([{ ...BANG_PHRA, contract_no: 'OFF-1', full_name: 'สมศรี ใจดี', paid_total: '0' }]);
});
afterAll(async () => {
  await t?.close();
});

describe('deactivating an officer', () => {
  it('unlinks her LINE account, ends her unused codes and queued messages, frees her mentees; audited; once', async () => {
    const leaving = await t.linkOfficer({ name: 'ลาออก ย้ายไป', role: 'mentor', area: 'ตราด/เมืองตราด/บางพระ' });
    const tambon = asUser(t, await t.linkOfficer({ name: 'คงอยู่ ที่เดิม', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' }));
    const officerId = (await t.context.db.selectFrom('line_links').select('officer_id').where('line_user_id', '=', leaving).executeTakeFirstOrThrow()).officer_id!;
    const borrowerId = (await t.context.db.selectFrom('loans').select('borrower_id').where('contract_no', '=', 'OFF-1').executeTakeFirstOrThrow()).borrower_id;
    expect((await tambon.put(`/api/liff/officer/debtors/${borrowerId}/mentor`, { mentorId: officerId })).status).toBe(200);
    const mentor = asUser(t, leaving);
    expect((await mentor.get(`/api/liff/officer/debtors/${borrowerId}`)).status).toBe(200);
    // A code issued to her again (a new phone) and not used yet, and a reminder waiting for her in the outbox.
    await t.context.services.linking.issueOfficerCode({ fullName: 'ลาออก ย้ายไป', role: 'mentor', areaPath: 'ตราด/เมืองตราด/บางพระ' }, { actor: 'test', at: t.clock.now() });
    const tomorrow = new Date(t.clock.now().getTime() + 86_400_000);
    await enqueueOutboxMessages(t.context.db, [
      { dedupeKey: `forum:${officerId}`, kind: 'forum_reminder', recipient: { type: 'officer', officerId }, notification: { kind: 'forum_reminder', month: '2026-12' }, notBefore: tomorrow, contactWindow: 'anytime' },
    ]);
    const queued = await t.context.db.selectFrom('outbound_messages').select('id').where('officer_id', '=', officerId).where('status', '=', 'pending').execute();
    expect(queued.length).toBeGreaterThan(0);

    const done = await t.context.services.linking.deactivateOfficer(officerId, { actor: 'cli', at: t.clock.now() });
    expect(done).toEqual({ fullName: 'ลาออก ย้ายไป', changed: true, unlinked: true, codesEnded: 1, messagesCancelled: queued.length, menteesReleased: 1 });

    // Her phone sees nothing of any debtor any more, in the mini-app or in chat.
    expect((await mentor.get(`/api/liff/officer/debtors/${borrowerId}`)).status).toBeGreaterThanOrEqual(400);
    expect((await mentor.get('/api/liff/officer/debtors')).status).toBeGreaterThanOrEqual(400);
    expect((await t.say(leaving, 'สมศรี')).join('\n')).not.toContain('OFF-1');
    expect(await t.context.db.selectFrom('debtor_mentors').select('borrower_id').where('mentor_id', '=', officerId).execute()).toEqual([]);
    // What was queued for her is cancelled; what waits is the one notice saying why her phone sees nothing now.
    expect(await t.context.db.selectFrom('outbound_messages').select('kind').where('officer_id', '=', officerId).where('status', '=', 'pending').execute()).toEqual([{ kind: 'officer_deactivated' }]);
    await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
    const told = t.fake.textsTo(leaving).find((said) => said.includes('สิทธิ์เจ้าหน้าที่ของคุณลาออก ย้ายไป'));
    expect(told).toContain('ถูกปิดแล้วเมื่อ 23 พ.ย. 2569');
    expect(told).toContain('ขอรหัสผูกบัญชีใหม่จากผู้ดูแลระบบของจังหวัด');
    const audit = await t.context.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'officer.deactivate').where('subject', '=', `officer:${officerId}`).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'cli', details: { role: 'mentor', codesEnded: 1, menteesReleased: 1 } });
    // The debtor page of the officers who stay still works, now without a mentor.
    const page = (await tambon.get(`/api/liff/officer/debtors/${borrowerId}`)).body as { mentor: unknown };
    expect(page.mentor).toBeNull();

    const again = await t.context.services.linking.deactivateOfficer(officerId, { actor: 'cli', at: t.clock.now() });
    expect(again.changed).toBe(false);
    await expect(t.context.services.linking.deactivateOfficer(999_999, { actor: 'cli', at: t.clock.now() })).rejects.toThrow('ไม่พบเจ้าหน้าที่หมายเลข 999999');
  });
});

describe('the CLI', () => {
  it('lists officers with their numbers, and deactivates one by number', async () => {
    const dir = await mkdtemp('/tmp/wdf-officers-');
    try {
      const env = { PGLITE_DIR: `${dir}/pglite` };
      await writeFile(`${dir}/loans.csv`, registryCsv([registryRow({ ...BANG_PHRA, contract_no: 'CLI-OFF-1' })]));
      expect((await runCli(['import', 'loans', `${dir}/loans.csv`], env)).code).toBe(0);
      expect((await runCli(['link-code', 'officer', '--name', 'ปราณี ย้ายออก', '--role', 'tambon', '--area', 'ตราด/เมืองตราด/บางพระ'], env)).code).toBe(0);
      const listed = await runCli(['officers', 'list', '--area', 'จ.ตราด'], env);
      expect(listed.code).toBe(0);
      const line = listed.stdout.split('\n').find((l) => l.includes('ปราณี ย้ายออก'))!;
      expect(line).toContain('ตราด/เมืองตราด/บางพระ');
      expect(line).toContain('[ยังไม่ผูก LINE]');
      const id = line.trim().split(/\s+/)[0]!;
      const deactivated = await runCli(['officers', 'deactivate', id], env);
      expect(deactivated.code).toBe(0);
      expect(deactivated.stdout).toContain(`ปิดสิทธิ์เจ้าหน้าที่หมายเลข ${id} ปราณี ย้ายออก แล้ว`);
      expect(deactivated.stdout).toContain('รหัสผูกบัญชีที่ยังไม่ใช้ 1 รหัส');
      expect((await runCli(['officers', 'list'], env)).stdout).toContain('[ปิดสิทธิ์แล้ว]');
      const unknown = await runCli(['officers', 'deactivate', '424242'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('ไม่พบเจ้าหน้าที่หมายเลข 424242');
      expect((await runCli(['officers', 'deactivate', 'ปราณี'], env)).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
