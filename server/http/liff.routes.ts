// The LIFF mini-app: its API under /api/liff/ and its built files under /liff/.
// Every call but the catalogue carries `Authorization: Bearer <LIFF ID token>`; the LINE user is LINE's answer to
// verifying that token, nothing the page says about itself.
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  enrollmentRequestSchema,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeySchema,
  linkRequestSchema,
  MAX_DOCUMENT_BYTES,
  previewQuerySchema,
  resubmitRequestSchema,
} from '../contracts/liff.ts';
import { DomainError } from '../domain/errors.ts';
import type { IdTokenVerifier } from '../services/ports.ts';
import type { BorrowerEnrollmentService } from '../services/enrollment-submission.service.ts';
import type { ReviewService } from '../services/enrollment-review.service.ts';
import type { LinkingService } from '../services/linking.service.ts';
import { requireLineUser } from './liff-auth.ts';
import type { PrivacyService } from '../services/privacy.service.ts';
import type { UnlinkResponse } from '../contracts/privacy.ts';

export interface LiffRouteDeps {
  borrowerEnrollment: BorrowerEnrollmentService;
  review: ReviewService;
  linking: LinkingService;
  privacy: PrivacyService;
  idTokens: IdTokenVerifier;
  liffId: string;
  /** Simulator mode: the mini-app runs on @line/liff-mock. */
  mock: boolean;
}

const idParams = z.object({ id: z.coerce.number().int().positive() });
const documentParams = z.object({ id: z.uuid() });

export async function liffApiRoutes(app: FastifyInstance, deps: LiffRouteDeps): Promise<void> {
  const { borrowerEnrollment, review } = deps;

  // Answers never go to a shared cache: they are one person's debts.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // No token needed: the app's own settings and the public catalogue.
  app.get('/api/liff/config', async () => ({ liffId: deps.liffId, mock: deps.mock }));
  app.get('/api/liff/measures', async () => borrowerEnrollment.listMeasures());

  // Everything else: the caller is resolved once per request, here, from the ID token.
  await app.register(async (authed) => {
    requireLineUser(authed, deps.idTokens);

    authed.post('/api/liff/link', async (request) => {
      const { code } = linkRequestSchema.parse(request.body);
      return deps.linking.linkWithCode(request.lineUserId, code);
    });

    authed.get('/api/liff/me', async (request) => borrowerEnrollment.me(request.lineUserId));

    // PDPA: her copy of what the fund holds about her, and unlinking this LINE account (the page asks first).
    authed.get('/api/liff/my-data', async (request) => deps.privacy.dataCopy(request.lineUserId));
    authed.post('/api/liff/unlink', async (request): Promise<UnlinkResponse> => {
      const { was } = await deps.privacy.unlink(request.lineUserId);
      return { unlinked: was !== 'none' };
    });

    authed.get('/api/liff/preview', async (request) => borrowerEnrollment.preview(request.lineUserId, previewQuerySchema.parse(request.query)));

    authed.post('/api/liff/enrollments', async (request, reply) => {
      const key = idempotencyKeySchema.safeParse(request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);
      if (!key.success) {
        const message = key.error.issues[0]?.message ?? 'ต้องมี Idempotency-Key ในคำขอ';
        throw new DomainError('VALIDATION', message, [{ path: IDEMPOTENCY_KEY_HEADER, message }]);
      }
      const result = await borrowerEnrollment.submit(request.lineUserId, key.data, () => enrollmentRequestSchema.parse(request.body));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send({ id: result.id, status: result.status });
    });

    authed.get('/api/liff/enrollments', async (request) => borrowerEnrollment.listMine(request.lineUserId));

    authed.post('/api/liff/enrollments/:id/resubmit', async (request) => {
      const { id } = idParams.parse(request.params);
      return borrowerEnrollment.resubmit(request.lineUserId, id, resubmitRequestSchema.parse(request.body));
    });

    authed.post('/api/liff/enrollments/:id/withdraw', async (request) => {
      const { id } = idParams.parse(request.params);
      return borrowerEnrollment.withdraw(request.lineUserId, id);
    });

    authed.get('/api/liff/review/:id', async (request) => {
      const { id } = idParams.parse(request.params);
      return review.viewAsOfficer(request.lineUserId, id);
    });

    authed.get('/api/liff/documents/:id', async (request, reply) => {
      const parsed = documentParams.safeParse(request.params);
      if (!parsed.success) throw new DomainError('NOT_FOUND', 'ไม่พบเอกสารนี้ค่ะ');
      const document = await borrowerEnrollment.readDocument(request.lineUserId, parsed.data.id);
      return reply
        .type(document.contentType)
        .header('content-disposition', 'inline')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(document.content);
    });

    // Uploads send the file's bytes as the body. Their own scope: any content type is read as bytes, up to 5 MB;
    // what the file is gets decided from its first bytes, not from what the client claims.
    await authed.register(async (uploads) => {
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_request, body, done) => done(null, body));
      uploads.post('/api/liff/documents', { bodyLimit: MAX_DOCUMENT_BYTES }, async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new DomainError('VALIDATION', 'ไม่พบไฟล์ที่แนบค่ะ', [{ path: 'file', message: 'ไม่พบไฟล์ที่แนบค่ะ' }]);
        }
        return reply.code(201).send(await borrowerEnrollment.uploadDocument(request.lineUserId, body));
      });
    });
  });
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="th"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ยังไม่พร้อมใช้งาน</title><body style="font-family:sans-serif;font-size:20px;padding:24px;line-height:1.6">
<h1 style="font-size:24px">ขออภัยค่ะ ระบบยังไม่พร้อมใช้งาน</h1><p>กรุณาลองใหม่อีกครั้งในภายหลัง</p>
<p style="color:#6b6b6b;font-size:16px">(ผู้ดูแลระบบ: ยังไม่ได้สร้างแอป LIFF — รัน <code>npm run build:liff</code>)</p></body></html>`;

/** The built mini-app (dist/liff): hashed assets cached for good, every other path under /liff/ is the app. */
export async function liffAppRoutes(app: FastifyInstance, options: { distDir: string }): Promise<void> {
  const built = existsSync(`${options.distDir}/index.html`);
  app.get('/liff', async (_request, reply) => reply.redirect('/liff/'));
  if (!built) {
    app.get('/liff/*', async (_request, reply) => reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
    return;
  }
  await app.register(fastifyStatic, {
    root: options.distDir,
    prefix: '/liff/',
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each asset: a slow phone connection gets the small one.
    preCompressed: true,
    setHeaders(reply, filePath) {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendApp = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').header('referrer-policy', 'no-referrer').sendFile('index.html');
  app.get('/liff/', sendApp);
  app.get('/liff/*', async (request, reply) => {
    // A missing hashed asset is a 404, not the app: the browser would run HTML as a script otherwise.
    if ((request.params as { '*': string })['*'].startsWith('assets/')) return reply.code(404).send({ code: 'NOT_FOUND', message: 'ไม่พบไฟล์' });
    return sendApp(request, reply);
  });
}
