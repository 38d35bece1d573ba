// The officers' records under the fund's PDPA duties (issue 13): a borrower's copy of her data shows what officers
// recorded about her; retention keeps the log's facts but not its notes and photos; rotating the data key
// re-encrypts visit photos as it does application documents.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig } from '../../server/config.ts';
import { createContext, type AppContext } from '../../server/context.ts';
import { rotateEncryptionKey } from '../../server/services/key-rotation.service.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { call, idTokenFor, JPEG_BYTES } from './liff-support.ts';
import { asUser, borrowerIdOf, newKey, visit } from './officer-support.ts';

const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const AREA = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };

let t: TestApp;
let officerUser: string;
let officer: ReturnType<typeof asUser>;
let photoId: string;
const opened: AppContext[] = [];

function contextWith(keys: { current: string; previous?: string }): Promise<AppContext> {
  const config = loadConfig({
    PORT: '0',
    LINE_CHANNEL_SECRET: t.fake.channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: t.fake.channelAccessToken,
    LINE_API_BASE_URL: t.fake.url,
    LINE_LOGIN_CHANNEL_ID: t.fake.loginChannelId,
    LIFF_ID: '1650000000-testliff',
    DATA_ENCRYPTION_KEY: keys.current,
    ...(keys.previous ? { DATA_ENCRYPTION_KEYS_PREVIOUS: keys.previous } : {}),
    SCHEDULER: 'off',
    LOG_LEVEL: 'silent',
  });
  return createContext(config, { clock: t.clock, database: t.database, log: pino({ level: 'silent' }) }).then((context) => (opened.push(context), context));
}

beforeAll(async () => {
  // In 2010 the fund lent to สมศรี; she paid it all within the year. An officer visited her that autumn.
  t = await startTestApp({ now: '2010-12-20T03:00:00Z', env: { DATA_ENCRYPTION_KEY: OLD_KEY } });
  await t.importLoans([{ ...AREA, contract_no: 'PD-OLD', full_name: 'สมศรี เก่าแก่', first_due_on: '2010-01-15', paid_total: '12,000' }]);
  officerUser = await t.linkOfficer({ name: 'กาญจนา', role: 'tambon', area: 'ตราด/เมืองตราด/บางพระ' });
  officer = asUser(t, officerUser);
  const old = await borrowerIdOf(t, 'PD-OLD');
  const photo = await call(t, 'POST', '/api/liff/officer/photos', { token: officer.token, raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } });
  photoId = photo.body.id;
  expect(
    (await officer.post('/api/liff/officer/follow-ups', visit(old, { contactedOn: '2010-12-20', note: 'บ้านเลขที่ 12 ลูกสาวรับปากจะช่วยผ่อน', photoIds: [photoId] }), newKey())).status,
  ).toBe(201);
  // This year: มาลี, visited last week, with a promise.
  t.clock.set('2026-11-23T03:00:00Z');
  await t.importLoans([{ ...AREA, contract_no: 'PD-NOW', full_name: 'มาลี ปัจจุบัน', paid_total: '3,000' }]);
  const now = await borrowerIdOf(t, 'PD-NOW');
  await officer.post('/api/liff/officer/follow-ups', visit(now, { outcome: 'promised', note: 'รายได้ลดลง จะชำระต้นเดือน', promise: { amountSatang: 150_000, promisedOn: '2026-12-01' } }), newKey());
});
afterAll(async () => {
  for (const context of opened) await context.close();
  await t?.close();
});

describe('her copy of her data', () => {
  it('shows what officers recorded about contacting her, and the payment she promised', async () => {
    const malee = await t.linkBorrower('PD-NOW', 'มาลี ปัจจุบัน');
    const copy = await call(t, 'GET', '/api/liff/my-data', { token: idTokenFor(t, malee) });
    expect(copy.status).toBe(200);
    expect(copy.body.followUps).toEqual([
      { on: '2026-11-23', kind: 'เยี่ยมบ้าน', outcome: 'นัดชำระ', note: 'รายได้ลดลง จะชำระต้นเดือน', nextActionOn: null, officer: 'กาญจนา', promise: { amount: 150_000, promisedOn: '2026-12-01', status: 'รอถึงวันนัด' } },
    ]);
    expect(JSON.stringify(copy.body)).not.toContain('สมศรี เก่าแก่');
  });
});

describe('rotating the data key', () => {
  it('re-encrypts visit photos, so they are still shown once the old key is gone', async () => {
    // The app that wrote the photo ran on the old key; as in a real rotation it is restarted before the command runs.
    await t.context.services.keys.leave();
    const rotating = await contextWith({ current: NEW_KEY, previous: OLD_KEY });
    const summary = await rotateEncryptionKey({ db: rotating.db, cipher: rotating.cipher, clock: t.clock });
    expect(summary.reencryptedDocuments).toBeGreaterThanOrEqual(1);
    const after = await contextWith({ current: NEW_KEY });
    const caller = await after.services.officerWorkspace.resolveCaller(officerUser);
    const photo = await after.services.officerWorkspace.readPhoto(caller, photoId);
    expect(Buffer.from(photo.content)).toEqual(Buffer.from(JPEG_BYTES));
  });
});

describe('retention', () => {
  it('keeps what was done and when, but not what was written down or photographed', async () => {
    const summary = await t.context.services.jobs.run('retention', t.clock.now(), { dispatch: false });
    expect(summary.retention).toMatchObject({ anonymised: 1 });
    const old = await borrowerIdOf(t, 'PD-OLD');
    const kept = await t.context.db.selectFrom('follow_ups').select(['kind', 'outcome', 'contacted_on', 'note']).where('borrower_id', '=', old).execute();
    expect(kept).toEqual([{ kind: 'visit', outcome: 'met', contacted_on: '2010-12-20', note: null }]);
    expect(await t.context.db.selectFrom('follow_up_photos').select('id').where('id', '=', photoId).execute()).toEqual([]);
    const current = await t.context.db.selectFrom('follow_ups').select('note').where('borrower_id', '=', await borrowerIdOf(t, 'PD-NOW')).execute();
    expect(current).toEqual([{ note: 'รายได้ลดลง จะชำระต้นเดือน' }]);
  });
});
