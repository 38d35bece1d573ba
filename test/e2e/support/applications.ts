// Applications made and decided the way people make and decide them, for browser tests that need one in a given
// state: the borrower's mini-app API with her LIFF ID token, the district officer's card buttons in LINE (postbacks
// the fake LINE platform delivers, signed, to the webhook).
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { draftStorageKey } from '../../../liff/src/draft.ts';
import type { SimulatorApp } from './simulator-app.ts';

export { draftStorageKey };

/** Leaves an application draft on the phone, as if she had filled the form that far earlier (read when /apply opens). */
export async function leaveDraft(page: Page, lineUserId: string, draft: Record<string, unknown>): Promise<void> {
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [draftStorageKey(lineUserId), JSON.stringify(draft)] as const);
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

function fakeLine(sim: SimulatorApp) {
  const fake = sim.context.fakeLine;
  if (!fake) throw new Error('the simulator app has no fake LINE platform');
  return fake;
}

/** A LIFF ID token that outlives both the fake's real clock and the app's held one. */
function idTokenFor(sim: SimulatorApp, lineUserId: string): string {
  const gapSeconds = Math.ceil((sim.clock.now().getTime() - Date.now()) / 1000);
  return fakeLine(sim).issueIdToken(lineUserId, Math.max(3600, gapSeconds + 3600));
}

async function callAs(sim: SimulatorApp, lineUserId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const raw = Buffer.isBuffer(body);
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${idTokenFor(sim, lineUserId)}`, ...(body === undefined ? {} : { 'content-type': raw ? 'application/octet-stream' : 'application/json' }), ...headers },
    body: body === undefined ? undefined : raw ? new Uint8Array(body as Buffer) : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Submits an application from the borrower's phone (with one photo attached); returns its number. */
export async function applyAs(sim: SimulatorApp, lineUserId: string, application: { contractNo: string; measureCode: string }, idempotencyKey: string): Promise<number> {
  const upload = await callAs(sim, lineUserId, 'POST', '/api/liff/documents', JPEG);
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const answer = await callAs(
    sim,
    lineUserId,
    'POST',
    '/api/liff/enrollments',
    { ...application, reasonCode: 'illness', reason: 'ป่วย ต้องหยุดงานไปสองเดือน', phone: '0812345678', consent: true, documentIds: [upload.body.id] },
    { 'idempotency-key': idempotencyKey },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id as number;
}

type Delivered = ReturnType<ReturnType<typeof fakeLine>['messagesTo']>[number];

function postbackButtons(message: Delivered | undefined): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const action = (node as { action?: { type?: string; label?: string; data?: string } }).action;
      if (action?.type === 'postback' && action.label && action.data) found.set(action.label, action.data);
      Object.values(node).forEach(walk);
    }
  };
  walk(message?.message);
  return found;
}

/** Taps a button (card or quick reply) in the last message the officer got that has it, and waits for the answer. */
async function tap(sim: SimulatorApp, lineUserId: string, label: string, inMessage: (message: Delivered) => boolean = () => true): Promise<void> {
  const fake = fakeLine(sim);
  let data: string | undefined;
  await expect
    .poll(() => {
      data = [...fake.messagesTo(lineUserId)].reverse().filter(inMessage).map(postbackButtons).find((buttons) => buttons.has(label))?.get(label);
      return data;
    }, { timeout: 15_000 })
    .toBeTruthy();
  const before = fake.messagesTo(lineUserId).length;
  const delivered = await fake.deliverWebhook(`${sim.url}/webhook`, [fake.postbackEvent(lineUserId, data!)]);
  expect(delivered.status).toBe(200);
  await expect.poll(() => fake.messagesTo(lineUserId).length, { timeout: 15_000 }).toBeGreaterThan(before);
}

/** The district officer asks, from the application's card, for a copy of the ID card. */
export async function askForDocuments(sim: SimulatorApp, officerLineUserId: string, enrollmentId: number): Promise<void> {
  await tap(sim, officerLineUserId, 'ขอเอกสารเพิ่ม', (m) => JSON.stringify(m.message).includes(`#${enrollmentId}`));
  await tap(sim, officerLineUserId, 'บัตรประชาชน');
  await tap(sim, officerLineUserId, 'ส่งคำขอเอกสาร');
  const row = await sim.context.db.selectFrom('enrollments').select('status').where('id', '=', enrollmentId).executeTakeFirstOrThrow();
  expect(row.status).toBe('needs_documents');
}

/** An officer linked to a LINE user of the fake platform (the demo has none for some areas); returns the LINE user. */
export async function linkOfficer(sim: SimulatorApp, officer: { name: string; role: 'tambon' | 'district' | 'province'; area: string }): Promise<string> {
  const lineUserId = `U${randomBytes(16).toString('hex')}`;
  const { code } = await sim.context.services.linking.issueOfficerCode({ fullName: officer.name, role: officer.role, areaPath: officer.area }, { actor: 'test', at: sim.clock.now() });
  const result = await sim.context.services.linking.redeem(lineUserId, code, sim.clock.now());
  if (result.outcome !== 'linked_officer') throw new Error(`link failed: ${result.outcome}`);
  fakeLine(sim).addUser(lineUserId, officer.name);
  return lineUserId;
}
