// Rotating DATA_ENCRYPTION_KEY while the app serves (issue 13): replicas restarted with the new key beside the old
// one read everything throughout; `keys rotate` re-encrypts in batches, survives being killed and resumes; a replica
// still writing with the old key cannot make it retire that key too early; once complete, the old key is refused.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { registryCsv, registryRow, validNationalId } from '../support/registry.ts';
import { POSTGRES_URL } from '../support/database.ts';
import { runCli } from '../support/cli.ts';
import { loadConfig } from '../../server/config.ts';
import { createContext, type AppContext } from '../../server/context.ts';
import { buildApp } from '../../server/http/app.ts';
import { EncryptionKeyMismatchError } from '../../server/security/encryption-key-check.ts';
import { RotationBlockedError } from '../../server/services/key-rotation.service.ts';
import { call, idTokenFor, JPEG_BYTES } from './liff-support.ts';

const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const BORROWERS = 40;
const area = { province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ' };

let t: TestApp;
const opened: Array<{ app?: FastifyInstance; context: AppContext }> = [];
const users: string[] = [];
const documents: Array<{ user: string; id: string }> = [];
/** A model-centre evidence photo, sealed under the old key like the documents. */
let evidence: { provinceUser: string; fileId: string };

/** Another replica on the same database, with its own keys (as after a restart with new settings). */
async function replica(keys: { current: string; previous?: string }, serve = false) {
  const config = loadConfig({
    PORT: '0',
    ...t.lineEnv,
    DATA_ENCRYPTION_KEY: keys.current,
    ...(keys.previous ? { DATA_ENCRYPTION_KEYS_PREVIOUS: keys.previous } : {}),
    SCHEDULER: 'off',
    LOG_LEVEL: 'silent',
  });
  const context = await createContext(config, { clock: t.clock, database: t.database, log: pino({ level: 'silent' }), sendOnRequest: false });
  const entry: { app?: FastifyInstance; context: AppContext; url?: string } = { context };
  if (serve) {
    entry.app = await buildApp(context);
    entry.url = await entry.app.listen({ port: 0, host: '127.0.0.1' });
  }
  opened.push(entry);
  return entry;
}

async function myNationalId(url: string, user: string): Promise<string> {
  const response = await fetch(`${url}/api/liff/my-data`, { headers: { authorization: `Bearer ${idTokenFor(t, user)}` } });
  if (response.status !== 200) throw new Error(`my-data answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { person: { nationalId: string } }).person.nationalId;
}

async function documentBytes(url: string, user: string, id: string): Promise<number> {
  const response = await fetch(`${url}/api/liff/documents/${id}`, { headers: { authorization: `Bearer ${idTokenFor(t, user)}` } });
  if (response.status !== 200) throw new Error(`document answered ${response.status}`);
  return (await response.arrayBuffer()).byteLength;
}

beforeAll(async () => {
  t = await startTestApp({ env: { DATA_ENCRYPTION_KEY: OLD_KEY } });
  await t.importLoans(
    Array.from({ length: BORROWERS }, (_, i) => ({ ...area, contract_no: `KR-${i}`, national_id: validNationalId(7000 + i), full_name: `ผู้กู้ ${i}` })),
  );
  for (const i of [0, 17, 39]) {
    const user = await t.linkBorrower(`KR-${i}`);
    users.push(user);
    const upload = await call(t, 'POST', '/api/liff/documents', { token: idTokenFor(t, user), raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } });
    expect(upload.status).toBe(201);
    documents.push({ user, id: upload.body.id });
  }
  // A selection round with one evidence photo (the rubric completed with test text: seed 003 lost six indicators).
  const centres = t.context.services.centreSelection;
  const provinceUser = await t.linkOfficer({ name: 'จังหวัด ตราด', role: 'province', area: 'ตราด' });
  const districtUser = await t.linkOfficer({ name: 'อำเภอ เมืองตราด', role: 'district', area: 'ตราด/เมืองตราด' });
  const province = await t.context.services.officerWorkspace.resolveCaller(provinceUser);
  const district = await t.context.services.officerWorkspace.resolveCaller(districtUser);
  const fill = (code: string) => ({ title: `ตัวชี้วัด ${code}`, criteria: { 3: 'ก', 4: 'ข', 5: 'ค' }, evidence: ['ภาพถ่าย'] });
  const rubric = await centres.createRubricVersion(province, { basedOn: 'centre-rubric.v1', areaTitles: { 3: 'ด้านที่สาม' }, indicators: Object.fromEntries(['2.8', '2.9', '3.1', '3.2', '3.3', '3.4'].map((c) => [c, fill(c)])) });
  const round = await centres.openRound(province, { fiscalYearBE: 2570, rubricId: rubric.id, deadlineOn: '2026-12-31' });
  const tambon = (await centres.home(district)).tambons[0]!;
  const centre = await centres.registerCentre(district, { tambonId: tambon.id, name: 'ศูนย์ทดสอบ', village: null, contactName: null, contactPhone: null, memberGroups: [] });
  const file = await centres.uploadEvidence(district, round.id, centre.id, '1.1', Buffer.from(JPEG_BYTES));
  evidence = { provinceUser, fileId: file.id };
});

afterAll(async () => {
  for (const entry of opened.reverse()) {
    await entry.app?.close();
    await entry.context.close();
  }
  await t?.close();
});

describe('key rotation', () => {
  it('is refused without an old key to rotate from', async () => {
    await expect(t.context.services.keys.rotate()).rejects.toThrow('ไม่มีกุญแจเก่าให้เปลี่ยน');
  });

  it('re-encrypts while a replica with both keys answers, survives a kill, resumes, and catches rows an old replica wrote meanwhile', async () => {
    const serving = await replica({ current: NEW_KEY, previous: OLD_KEY }, true);
    const url = (serving as { url: string }).url;
    // A replica not restarted yet still writes with the old key.
    const stale = await replica({ current: OLD_KEY });
    const rotator = await replica({ current: NEW_KEY, previous: OLD_KEY });

    const checks: string[] = [];
    const probe = async () => {
      for (const [i, user] of users.entries()) {
        expect(await myNationalId(url, user)).toBe(validNationalId(7000 + [0, 17, 39][i]!));
        checks.push(user);
      }
      for (const doc of documents) expect(await documentBytes(url, doc.user, doc.id)).toBe(JPEG_BYTES.length);
      // Lookups by national ID find rows under either key.
      const issued = await serving.context.services.linking.issueBorrowerCode({ nationalId: validNationalId(7017) }, { actor: 'test', at: t.clock.now() });
      expect(issued.borrowerName).toBe('ผู้กู้ 17');
    };

    // Refused while replicas not restarted yet (the first app, the stale one) still announce the old key.
    const blocked = rotator.context.services.keys.rotate({ batchSize: 5 });
    await expect(blocked).rejects.toBeInstanceOf(RotationBlockedError);
    await expect(rotator.context.services.keys.rotate()).rejects.toThrow(/2 running process\(es\) still encrypt with another key/);
    // The first app is restarted (from here on the test only reads through it); the stale one keeps running but
    // its announcements lapse, as when its heartbeat cannot reach the database: the last line of defence is the
    // count of rows still under the old key, below.
    await t.context.services.keys.leave();
    await stale.context.services.keys.leave();

    // First run: killed after its third batch.
    let batches = 0;
    await expect(
      rotator.context.services.keys.rotate({
        batchSize: 5,
        onProgress: () => {
          batches += 1;
          if (batches === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    await probe();
    const status = await rotator.context.services.keys.status();
    expect(status.rotation).toMatchObject({ borrowersDone: 15 });

    // Second run resumes (from borrower 16, not from the start), probing the serving replica after every batch.
    // Once it has passed the borrowers, the stale replica adds one under the old key: the check after the pass
    // finds it, and a second pass re-encrypts it before the old key is retired.
    let lateWritten = false;
    const summary = await rotator.context.services.keys.rotate({
      batchSize: 5,
      onProgress: async (progress) => {
        await probe();
        if (progress.phase === 'documents' && !lateWritten) {
          lateWritten = true;
          const late = registryRow({ ...area, contract_no: 'KR-LATE', national_id: validNationalId(7999), full_name: 'ผู้กู้ มาทีหลัง' });
          const result = await stale.context.services.registry.importCsv(registryCsv([late]), { actor: 'test', fileName: 'late.csv', at: t.clock.now() });
          expect(result.ok).toBe(true);
        }
      },
    });
    expect(lateWritten).toBe(true);
    expect(summary.resumed).toBe(true);
    expect(summary.reencryptedBorrowers).toBe(BORROWERS + 1);
    expect(summary.reencryptedDocuments).toBe(documents.length + 1); // + the centre's evidence photo
    expect(summary.retiredKeys).toHaveLength(1);
    await probe();
    expect(checks.length).toBeGreaterThan(users.length * 5);

    // Every row is under the new key now.
    const rows = await t.context.db.selectFrom('borrowers').select('national_id_cipher').execute();
    expect(rows.every((row) => row.national_id_cipher.startsWith(`v2.${rotator.context.cipher.keyId}.`))).toBe(true);
    expect((await rotator.context.services.keys.status()).rotation).toBeNull();
  });

  it('refuses the old key from then on, and the new key alone reads everything', async () => {
    await expect(replica({ current: OLD_KEY })).rejects.toBeInstanceOf(EncryptionKeyMismatchError);
    await expect(replica({ current: OLD_KEY })).rejects.toThrow('เปลี่ยนกุญแจเสร็จแล้ว');
    const fresh = await replica({ current: NEW_KEY }, true);
    expect(await myNationalId((fresh as { url: string }).url, users[1]!)).toBe(validNationalId(7017));
    const late = await fresh.context.services.linking.issueBorrowerCode({ nationalId: validNationalId(7999) }, { actor: 'test', at: t.clock.now() });
    expect(late.borrowerName).toBe('ผู้กู้ มาทีหลัง');
    const province = await fresh.context.services.officerWorkspace.resolveCaller(evidence.provinceUser);
    const photo = await fresh.context.services.centreSelection.readEvidence(province, evidence.fileId);
    expect(Buffer.compare(photo.content, Buffer.from(JPEG_BYTES))).toBe(0);
  });

  it('is audited', async () => {
    const audit = await t.context.db.selectFrom('audit_log').selectAll().where('action', '=', 'keys.rotate').execute();
    expect(audit).toHaveLength(1);
  });
});

describe.skipIf(!POSTGRES_URL)('keys rotate from the CLI', () => {
  it('prints progress, resumes after kill -9, and ends with the contract line', async () => {
    const database = (await import('../support/database.ts')).createTestDatabase;
    const db = await database();
    try {
      const env = { DATABASE_URL: db.url!, DATA_ENCRYPTION_KEY: OLD_KEY };
      const rows = Array.from({ length: 300 }, (_, i) => registryRow({ ...area, contract_no: `CL-${i}`, national_id: validNationalId(8000 + i), full_name: `ผู้กู้ ${i}` }));
      const { writeFile, mkdtemp } = await import('node:fs/promises');
      const dir = await mkdtemp('/tmp/wdf-rotate-');
      await writeFile(`${dir}/loans.csv`, registryCsv(rows));
      expect((await runCli(['import', 'loans', `${dir}/loans.csv`], env)).code).toBe(0);

      const rotateEnv = { ...env, DATA_ENCRYPTION_KEY: NEW_KEY, DATA_ENCRYPTION_KEYS_PREVIOUS: OLD_KEY };
      const { spawn } = await import('node:child_process');
      const killed = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'keys', 'rotate', '--batch', '10'], {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...rotateEnv },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let progress = 0;
        child.stderr.on('data', (chunk: Buffer) => {
          progress += (chunk.toString('utf8').match(/ตรวจแล้ว/g) ?? []).length;
          if (progress >= 3) child.kill('SIGKILL');
        });
        child.on('close', (code) => resolve(code));
      });
      expect(killed).toBeNull();

      const status = await runCli(['keys', 'status'], rotateEnv);
      expect(status.stdout).toContain('กำลังเปลี่ยนกุญแจ');
      const resumed = await runCli(['keys', 'rotate', '--batch', '50'], rotateEnv);
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain('ทำต่อจากครั้งก่อน');
      expect(resumed.stdout).toContain('เลขประจำตัว 300 รายการ');
      expect(resumed.lastLine).toMatch(/^key rotation complete: current \S+$/);
      const refused = await runCli(['keys', 'status'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('retired');
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('a rotation on the embedded database, with the key from the key file', () => {
  it('puts the new key into the key file, so that the next start without DATA_ENCRYPTION_KEY reads the data', async () => {
    const { mkdtemp, readFile, writeFile, rm } = await import('node:fs/promises');
    const dir = await mkdtemp('/tmp/wdf-rotate-file-');
    try {
      const embedded = { PGLITE_DIR: `${dir}/pglite` };
      await writeFile(`${dir}/loans.csv`, registryCsv([registryRow({ ...area, contract_no: 'KF-1', national_id: validNationalId(7001) })]));
      expect((await runCli(['import', 'loans', `${dir}/loans.csv`], embedded)).code).toBe(0);
      const fileKey = (await readFile(`${dir}/pglite.key`, 'utf8')).trim();

      const rotated = await runCli(['keys', 'rotate'], { ...embedded, DATA_ENCRYPTION_KEY: NEW_KEY, DATA_ENCRYPTION_KEYS_PREVIOUS: fileKey });
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toContain(`ไฟล์กุญแจ ${dir}/pglite.key เปลี่ยนเป็นกุญแจใหม่แล้ว`);
      expect(rotated.lastLine).toMatch(/^key rotation complete: current \S+$/);
      expect((await readFile(`${dir}/pglite.key`, 'utf8')).trim()).toBe(NEW_KEY);

      const afterwards = await runCli(['keys', 'status'], embedded);
      expect(afterwards.stderr).not.toContain('retired');
      expect(afterwards.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('a rotation that cannot finish', () => {
  it('refuses to retire the old key while some process keeps writing with it, and finishes once it stops', async () => {
    const other = await startTestApp({ env: { DATA_ENCRYPTION_KEY: OLD_KEY } });
    const contexts: AppContext[] = [];
    try {
      await other.importLoans(Array.from({ length: 6 }, (_, i) => ({ ...area, contract_no: `NF-${i}`, national_id: validNationalId(9000 + i) })));
      // A document, so every pass has a documents phase after its borrowers phase.
      const uploader = await other.linkBorrower('NF-0');
      expect((await call(other, 'POST', '/api/liff/documents', { token: idTokenFor(other, uploader), raw: { bytes: JPEG_BYTES, type: 'image/jpeg' } })).status).toBe(201);
      const open = async (keys: { current: string; previous?: string }) => {
        const env = { LOG_LEVEL: 'silent', SCHEDULER: 'off', DATA_ENCRYPTION_KEY: keys.current, ...(keys.previous ? { DATA_ENCRYPTION_KEYS_PREVIOUS: keys.previous } : {}) };
        const context = await createContext(loadConfig(env), { clock: other.clock, database: other.database, log: pino({ level: 'silent' }), sendOnRequest: false }, { withoutLine: 'plan-only' });
        contexts.push(context);
        return context;
      };
      const stale = await open({ current: OLD_KEY });
      const rotator = await open({ current: NEW_KEY, previous: OLD_KEY });
      // Both old-key processes announce themselves: refused before anything is touched.
      await expect(rotator.services.keys.rotate()).rejects.toBeInstanceOf(RotationBlockedError);
      // Their announcements lapse; the stale one keeps writing all the same.
      await other.context.services.keys.leave();
      await stale.services.keys.leave();
      let written = 0;
      await expect(
        rotator.services.keys.rotate({
          batchSize: 100,
          // After each pass's borrowers, the stale replica adds one more under the old key.
          onProgress: async (progress) => {
            if (progress.phase !== 'documents') return;
            written += 1;
            const row = registryRow({ ...area, contract_no: `NF-LATE-${written}`, national_id: validNationalId(9100 + written) });
            await stale.services.registry.importCsv(registryCsv([row]), { actor: 'test', fileName: 'late.csv', at: other.clock.now() });
          },
        }),
      ).rejects.toThrow('a process still writes with the old key');
      // Not retired: the stale replica may still start, and nothing under the old key was lost.
      const stillAllowed = await open({ current: OLD_KEY });
      await stillAllowed.services.keys.leave();

      const summary = await rotator.services.keys.rotate({ batchSize: 100 });
      expect(summary.retiredKeys).toHaveLength(1);
      const rows = await other.context.db.selectFrom('borrowers').select('national_id_cipher').execute();
      expect(written).toBe(3);
      expect(rows).toHaveLength(6 + written);
      expect(rows.every((row) => row.national_id_cipher.startsWith(`v2.${rotator.cipher.keyId}.`))).toBe(true);
    } finally {
      for (const context of contexts) await context.close();
      await other.close();
    }
  });
});
