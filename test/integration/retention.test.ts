// Retention (issue 13): the daily job anonymises the borrowers whose every loan closed more than RETENTION_YEARS
// ago — and only them — keeps the fund's accounting, audits each one, and purges old operational records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { registryCsv, registryRow, validNationalId } from '../support/registry.ts';
import { ANONYMISED_NAME } from '../../server/db/repos/retention.repo.ts';
import { applyRetention } from '../../server/services/retention.service.ts';
import { loadConfig } from '../../server/config.ts';

let t: TestApp;
const area = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };
// 12 monthly installments of ฿1,000 from 15 Jan 2010: the last fell due on 15 Dec 2010.
const closedIn2010 = { principal: '12,000', annual_interest_rate: '0', installments: '12', first_due_on: '2010-01-15', paid_total: '12,000' };
const people = {
  closedLongAgo: { contract_no: 'RT-OLD', national_id: validNationalId(5101), full_name: 'เก่า ปิดนานแล้ว', phone: '0810000001', ...closedIn2010 },
  closedRecently: { contract_no: 'RT-2020', national_id: validNationalId(5102), full_name: 'ใหม่ ปิดไม่นาน', ...closedIn2010, first_due_on: '2020-01-15' },
  unpaid: { contract_no: 'RT-UNPAID', national_id: validNationalId(5103), full_name: 'ค้าง ยังไม่ครบ', ...closedIn2010, paid_total: '11,000' },
  inCourt: { contract_no: 'RT-COURT', national_id: validNationalId(5104), full_name: 'คดี ยังอยู่', ...closedIn2010, litigation: 'true' },
  oneStillOpenA: { contract_no: 'RT-TWO-A', national_id: validNationalId(5105), full_name: 'สอง สัญญา', ...closedIn2010 },
  oneStillOpenB: { contract_no: 'RT-TWO-B', national_id: validNationalId(5105), full_name: 'สอง สัญญา', ...closedIn2010, first_due_on: '2026-01-15', paid_total: '0' },
};
let oldUser: string;

async function borrowerOf(contractNo: string) {
  return t.context.db
    .selectFrom('borrowers as b')
    .innerJoin('loans as l', 'l.borrower_id', 'b.id')
    .select(['b.id', 'b.full_name', 'b.phone', 'b.national_id_cipher', 'b.national_id_masked', 'b.anonymised_at', 'l.principal_satang', 'l.paid_total_satang'])
    .where('l.contract_no', '=', contractNo)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  // The registry has been imported over the years: a loan's payments are dated by the import that first saw them
  // (the fund's registry does not say when money came in).
  t = await startTestApp({ now: '2010-12-20T03:00:00Z' });
  const { closedRecently, oneStillOpenB, ...seenIn2010 } = people;
  await t.importLoans(Object.values(seenIn2010).map((row) => ({ ...area, ...row })));
  t.clock.set('2021-01-10T03:00:00Z');
  await t.importLoans([{ ...area, ...closedRecently }, { ...area, ...oneStillOpenB }]);
  t.clock.set('2026-11-23T03:00:00Z');
  oldUser = await t.linkBorrower('RT-OLD', 'เก่า');
  await t.say(oldUser, 'ยอดหนี้');
  // A second code was issued for her and never used.
  await t.context.services.linking.issueBorrowerCode({ contractNo: 'RT-OLD' }, { actor: 'test', at: t.clock.now() });
  // Operational records: a handled webhook event and a link attempt from last spring, and one still pending.
  const spring = new Date('2026-04-01T00:00:00Z');
  await t.context.db
    .insertInto('webhook_events')
    .values([
      { event_id: 'old-done', event_type: 'message', source_user_id: 'Uold', payload: JSON.stringify({}), received_at: spring, status: 'done' },
      { event_id: 'old-pending', event_type: 'message', source_user_id: 'Uold', payload: JSON.stringify({}), received_at: spring, status: 'pending' },
    ])
    .execute();
  await t.context.db.insertInto('link_attempts').values({ line_user_id: 'Uold', attempted_at: spring, succeeded: false }).execute();
});
afterAll(async () => {
  await t?.close();
});

describe('the retention job', () => {
  it('anonymises only the borrower whose every loan closed more than ten years ago', async () => {
    const summary = await t.context.services.jobs.run('retention', t.clock.now(), { dispatch: false });
    expect(summary.retention).toMatchObject({ anonymised: 1, cutoff: '2016-11-23' });
    // Only what the cut-off says: the loan closed in 2020 is not due for another four years.

    const old = await borrowerOf('RT-OLD');
    expect(old).toMatchObject({ full_name: ANONYMISED_NAME, phone: null, national_id_cipher: '', national_id_masked: 'x-xxxx-xxxxx-xx-x' });
    expect(old.anonymised_at).not.toBeNull();
    // The fund's accounting stays.
    expect(old).toMatchObject({ principal_satang: 1_200_000, paid_total_satang: 1_200_000 });

    for (const [key, row] of Object.entries(people)) {
      if (key === 'closedLongAgo') continue;
      const kept = await borrowerOf(row.contract_no);
      expect(kept.full_name).toBe(row.full_name);
      expect(kept.anonymised_at).toBeNull();
      expect(kept.national_id_cipher).not.toBe('');
    }
  });

  it('removes her LINE link and the messages sent to her: the bot no longer knows her', async () => {
    const link = await t.context.db.selectFrom('line_links').selectAll().where('line_user_id', '=', oldUser).executeTakeFirst();
    expect(link).toBeUndefined();
    const old = await borrowerOf('RT-OLD');
    expect(await t.context.db.selectFrom('outbound_messages').select('id').where('borrower_id', '=', old.id).execute()).toEqual([]);
    const [answer] = await t.say(oldUser, 'ยอดหนี้');
    expect(answer).not.toContain('RT-OLD');
  });

  it('leaves no code that could link anyone to her, and no record of which LINE account used one', async () => {
    const codes = await t.context.db.selectFrom('link_codes').selectAll().where('borrower_id', '=', (await borrowerOf('RT-OLD')).id).execute();
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ used_by_line_user_id: null });
    expect(codes[0]!.used_at).not.toBeNull();
  });

  it('is not undone by the next registry import that still lists her closed contract', async () => {
    const before = await t.context.db.selectFrom('borrowers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const result = await t.context.services.registry.importCsv(registryCsv([registryRow({ ...area, ...people.closedLongAgo })]), {
      actor: 'test',
      fileName: 'again.csv',
      at: t.clock.now(),
    });
    expect(result).toMatchObject({ ok: true, skippedAnonymised: 1, loansCreated: 0, loansUpdated: 0, borrowersCreated: 0 });
    const after = await t.context.db.selectFrom('borrowers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await borrowerOf('RT-OLD')).full_name).toBe(ANONYMISED_NAME);
  });

  it('audits each anonymisation, and only those', async () => {
    const rows = await t.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'retention.anonymise').execute();
    expect(rows.map((row) => row.subject)).toEqual([`borrower:${(await borrowerOf('RT-OLD')).id}`]);
  });

  it('purges handled webhook events and link attempts older than 90 days, never a pending event', async () => {
    const events = await t.context.db.selectFrom('webhook_events').select('event_id').where('event_id', 'like', 'old-%').execute();
    expect(events.map((e) => e.event_id)).toEqual(['old-pending']);
    expect(await t.context.db.selectFrom('link_attempts').select('id').where('line_user_id', '=', 'Uold').execute()).toEqual([]);
  });

  it('does nothing more when run again the same day', async () => {
    const summary = await t.context.services.jobs.run('retention', t.clock.now(), { dispatch: false });
    expect(summary.retention).toMatchObject({ anonymised: 0, webhookEvents: 0, linkAttempts: 0 });
  });

  it('follows RETENTION_YEARS: with 5 years, the loan closed in 2020 (paid by Jan 2021) is due too', async () => {
    expect(loadConfig({ RETENTION_YEARS: '5' }).retentionYears).toBe(5);
    const summary = await applyRetention({ db: t.context.db }, t.clock.now(), 5);
    expect(summary).toMatchObject({ anonymised: 1, cutoff: '2021-11-23' });
    expect((await borrowerOf('RT-2020')).anonymised_at).not.toBeNull();
    expect((await borrowerOf('RT-UNPAID')).anonymised_at).toBeNull();
  });

  it('runs on 29 February too (the cut-off a common year away is the 28th)', async () => {
    const summary = await applyRetention({ db: t.context.db }, new Date('2028-02-29T05:00:00Z'), 1);
    expect(summary.cutoff).toBe('2027-02-28');
  });
});
