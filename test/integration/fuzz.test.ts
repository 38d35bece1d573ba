// Property-based fuzzing of the two doors the outside world knocks on: POST /webhook (signed bodies of any shape,
// events with any text — NUL, lone surrogates, deep nesting — and unsigned ones) and the mini-app API (any method,
// path, query, body and header under /api/liff/, with a real ID token or none). The property: never a 5xx, never
// slow, and the server keeps serving. fast-check with a fixed seed and a bounded count, so CI runs the same cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { signWebhookBody } from '../../server/dev/fake-line-platform.ts';
import { idTokenFor } from './liff-support.ts';

const SEED = 12_012;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Generous for a busy 2-core CI machine; a poison input used to take seconds to minutes. */
const SLOW_MS = 3_000;

let t: TestApp;
let borrower: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.importLoans([{ contract_no: 'FZ-1' }]);
  borrower = await t.linkBorrower('FZ-1');
});
afterAll(async () => {
  await t?.close();
});

/** Any UTF-16 code unit: NUL, controls, lone surrogates, Thai, emoji halves. */
const anyUnit = fc.oneof(
  fc.nat(0xffff).map((code) => String.fromCharCode(code)),
  fc.constantFrom('\u0000', '\ud800', '\udfff', 'ก', 'ยอดหนี้', 'มาตรการ', '😀', '"', '\\', '{', '['),
);
const anyText = fc.string({ unit: anyUnit, maxLength: 60 });
/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on those). */
const percentEncode = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const longText = fc.integer({ min: 5_001, max: 30_000 }).map((n) => 'ค้าง'.repeat(Math.ceil(n / 4)).slice(0, n));
const nesting = fc.integer({ min: 1, max: 2_000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}0${']'.repeat(depth)}`) as unknown);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nesting);

/** An event shaped like LINE's, with any part of it replaced by something else. */
const event = fc
  .record({
    type: fc.oneof(fc.constantFrom('message', 'postback', 'follow', 'unfollow', 'join', 'unsend', 'memberJoined'), anyText),
    text: fc.oneof(anyText, longText),
    postback: fc.oneof(anyText, fc.constantFrom('action=debt', 'action=measures', 'e=1&v=1&d=forward', 'a=approve&id=99999')),
    replyToken: fc.oneof(hex(32), anyText),
    userId: fc.oneof(fc.constant('U' + '0'.repeat(32)), anyText),
    sourceType: fc.constantFrom('user', 'group', 'room', 'other'),
    extra: anyJson,
    breakField: fc.constantFrom(undefined, 'type', 'webhookEventId', 'timestamp', 'source', 'message'),
    breakWith: anyJson,
  })
  .chain((e) =>
    hex(26).map((id) => {
      const value: Record<string, unknown> = {
        type: e.type,
        mode: 'active',
        timestamp: Date.now(),
        webhookEventId: `01${id.toUpperCase()}`,
        deliveryContext: { isRedelivery: false },
        source: e.sourceType === 'user' ? { type: 'user', userId: e.userId } : { type: e.sourceType, groupId: 'Cfuzz', userId: e.userId },
        replyToken: e.replyToken,
        message: { type: 'text', id: '1', text: e.text, extra: e.extra },
        postback: { data: e.postback },
      };
      if (e.breakField) value[e.breakField] = e.breakWith;
      return value;
    }),
  );

const webhookBody = fc.oneof(
  { weight: 6, arbitrary: fc.array(event, { maxLength: 4 }).map((events) => JSON.stringify({ destination: 'Ufuzz', events })) },
  { weight: 1, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: anyText },
);

describe('fuzz: POST /webhook', () => {
  it(`never answers 5xx nor takes more than ${SLOW_MS} ms, for ${RUNS} generated requests (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(webhookBody, fc.constantFrom('signed', 'signed', 'signed', 'unsigned', 'wrong'), async (body, signing) => {
        const signature = signing === 'signed' ? signWebhookBody(body, t.fake.channelSecret) : signing === 'wrong' ? 'bm90IGEgc2lnbmF0dXJl' : null;
        const started = performance.now();
        const result = await t.fake.deliverWebhook(t.webhookUrl, [], { rawBody: body, signature });
        const elapsedMs = performance.now() - started;
        expect(result.status, result.body).toBeLessThan(500);
        expect(elapsedMs).toBeLessThan(SLOW_MS);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    await t.context.services.inbox.idle();
    expect((await fetch(`${t.url}/livez`)).status).toBe(200);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  }, 300_000);
});

describe('fuzz: the mini-app API', () => {
  const paths = fc.oneof(
    fc.constantFrom(
      '/api/liff/me', '/api/liff/measures', '/api/liff/config', '/api/liff/link', '/api/liff/preview', '/api/liff/enrollments',
      '/api/liff/enrollments/1/resubmit', '/api/liff/enrollments/1/withdraw', '/api/liff/review/1', '/api/liff/documents/1', '/api/liff/documents',
    ),
    fc.tuple(fc.constantFrom('/api/liff/enrollments/', '/api/liff/review/', '/api/liff/documents/'), anyText).map(([base, id]) => base + percentEncode(id)),
    anyText.map((tail) => `/api/liff/${percentEncode(tail)}`),
  );
  const query = fc.option(fc.dictionary(fc.constantFrom('contractNo', 'measureCode', 'x'), anyText, { maxKeys: 3 }), { nil: undefined });
  const body = fc.oneof(
    fc.constant(undefined),
    anyJson.map((value) => ({ type: 'application/json', data: JSON.stringify(value) })),
    fc
      .record({
        contractNo: fc.oneof(fc.constant('FZ-1'), anyText),
        measureCode: fc.oneof(fc.constantFrom('extend_term', 'principal_pause'), anyText),
        reason: anyText,
        phone: fc.oneof(fc.constant('0812345678'), anyText),
        consent: fc.oneof(fc.constant(true), anyJson),
        monthlyIncome: fc.oneof(fc.integer(), fc.double(), anyText),
        documentIds: fc.array(anyText, { maxLength: 3 }),
        code: fc.oneof(fc.stringMatching(/^\d{8}$/), anyText),
        note: anyText,
      }, { requiredKeys: [] })
      .map((value) => ({ type: 'application/json', data: JSON.stringify(value) })),
    fc
      .tuple(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('image/jpeg', 'application/pdf', 'application/octet-stream', 'text/plain'))
      .map(([bytes, type]) => ({ type, data: Buffer.from(bytes) })),
    anyText.map((text) => ({ type: 'application/json', data: text })),
  );

  it(`never answers 5xx for ${RUNS} generated calls, with a real ID token or without (seed ${SEED})`, async () => {
    const token = idTokenFor(t, borrower);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        paths,
        query,
        body,
        fc.constantFrom('valid', 'valid', 'none', 'garbage'),
        fc.option(anyText, { nil: undefined }),
        async (method, path, params, payload, auth, idempotencyKey) => {
          const headers: Record<string, string> = {};
          if (auth === 'valid') headers.authorization = `Bearer ${token}`;
          if (auth === 'garbage') headers.authorization = 'Bearer ' + 'x'.repeat(40);
          if (idempotencyKey !== undefined) headers['idempotency-key'] = percentEncode(idempotencyKey).slice(0, 200);
          if (payload && method !== 'GET') headers['content-type'] = payload.type;
          const url = `${t.url}${path}${params ? `?${new URLSearchParams(params as Record<string, string>)}` : ''}`;
          const response = await fetch(url, { method, headers, body: payload && method !== 'GET' ? payload.data : undefined });
          const text = await response.text();
          expect(response.status, `${method} ${path} → ${text.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  }, 300_000);
});
