// The officers' pages of the mini-app: /api/liff/officer/*. The caller is resolved once per request for the whole
// prefix — a verified LIFF ID token (liff-auth.ts), then the officer or mentor it is linked to (403 NOT_OFFICER
// for anyone else) — and every route reads `request.officer`; the services scope everything to it in SQL.
// The one exception is a batch's slips PDF, opened by a one-time link a phone's browser or a printer can follow.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema } from '../contracts/liff.ts';
import {
  debtorListQuerySchema,
  downloadTicketSchema,
  followUpEditSchema,
  followUpRequestSchema,
  linkCodeBatchRequestSchema,
  MAX_PHOTO_BYTES,
  mentorAssignmentSchema,
  paymentRequestSchema,
  reversalRequestSchema,
} from '../contracts/officer.ts';
import { DomainError } from '../domain/errors.ts';
import { renderLinkCodeSlips } from '../render/link-code-slips.pdf.ts';
import type { OfficerCaller } from '../services/officer-access.ts';
import type { OfficerWorkspaceService } from '../services/officer-workspace.service.ts';
import type { IdTokenVerifier } from '../services/ports.ts';
import { WORKSPACE_THAI } from '../content/officer-workspace.th.ts';
import { requireLineUser } from './liff-auth.ts';
import type { DownloadTickets } from '../services/download-tickets.service.ts';
import { centreSelectionRoutes } from './centre.routes.ts';
import type { CentreSelectionService } from '../services/centre-selection.service.ts';
import { exceptionDismissSchema, exceptionRecordSchema, MAX_STATEMENT_BYTES, slipConfirmSchema, slipRejectSchema } from '../contracts/money.ts';
import type { PaymentSlipService } from '../services/payment-slips.service.ts';
import type { StatementImportService } from '../services/statement-import.service.ts';
import { MONEY_THAI } from '../content/money.th.ts';
import type { ReportsService } from '../services/reports.service.ts';
import { reportRoutes } from './reports.routes.ts';

export interface OfficerRouteDeps {
  workspace: OfficerWorkspaceService;
  /** One-time links to the officers' files (XLSX, PDF) for the phone's browser. */
  downloadTickets: DownloadTickets;
  /** The model-centre selection (seed 003): its routes share this scope's caller resolution. */
  centres: CentreSelectionService;
  idTokens: IdTokenVerifier;
  /** The official account's add-friend link, printed as the QR code on every slip (LINE_ADD_FRIEND_URL). */
  addFriendUrl: string | undefined;
  /** Transfer slips sent in the chat: the "Slips to check" queue. */
  slips: PaymentSlipService;
  /** Statement uploads (province and above) and the exceptions they leave. */
  statements: StatementImportService;
  /** Reports and the budget allocation (issue 10 §4–6). */
  reports?: ReportsService;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The officer or mentor behind the verified LINE user; set for every /api/liff/officer route. */
    officer: OfficerCaller;
  }
}

const idParams = z.object({ id: z.coerce.number().int().positive() });
const photoParams = z.object({ id: z.uuid() });

function idempotencyKeyOf(headers: Record<string, unknown>): string {
  const key = idempotencyKeySchema.safeParse(headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);
  if (key.success) return key.data;
  const message = key.error.issues[0]?.message ?? 'ต้องมี Idempotency-Key ในคำขอ';
  throw new DomainError('VALIDATION', message, [{ path: IDEMPOTENCY_KEY_HEADER, message }]);
}

function parseId(params: unknown, what: string): number {
  const parsed = idParams.safeParse(params);
  if (!parsed.success) throw new DomainError('NOT_FOUND', what);
  return parsed.data.id;
}

export async function officerApiRoutes(app: FastifyInstance, deps: OfficerRouteDeps): Promise<void> {
  const { workspace } = deps;

  // A person's debts and visits: never in a shared cache.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // The slips of a tambon's batch: the one-time link is the credential (no ID token: a browser outside LINE opens it).
  app.get('/api/liff/officer/link-code-batches/:id/slips.pdf', async (request, reply) => {
    const id = parseId(request.params, WORKSPACE_THAI.batchUnavailable);
    const { token } = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) }).catch({ token: '' }).parse(request.query);
    if (!token) throw new DomainError('GONE', WORKSPACE_THAI.batchUnavailable);
    if (!deps.addFriendUrl) throw new DomainError('CONFLICT', WORKSPACE_THAI.addFriendUrlMissing);
    const sheet = await workspace.takeLinkCodeBatch(id, token);
    const pdf = new PassThrough();
    renderLinkCodeSlips({ ...sheet, addFriendUrl: deps.addFriendUrl }, pdf).catch((error: unknown) => request.log.error({ err: error, batchId: id }, 'link-code slips failed'));
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="link-codes-${id}.pdf"`)
      .header('referrer-policy', 'no-referrer')
      .send(pdf);
  });

  await app.register(async (officers) => {
    requireLineUser(officers, deps.idTokens, deps.downloadTickets);
    officers.decorateRequest('officer', null as unknown as OfficerCaller);
    officers.addHook('onRequest', async (request) => {
      request.officer = await workspace.resolveCaller(request.lineUserId);
    });

    await centreSelectionRoutes(officers, deps.centres);

    officers.get('/api/liff/officer/me', async (request) => workspace.me(request.officer));
    // A one-time link to one of the caller's files, for the phone's browser (LINE's own cannot save a fetched file).
    officers.post('/api/liff/officer/download-tickets', async (request, reply) => {
      const { path } = downloadTicketSchema.parse(request.body);
      return reply.code(201).send(await deps.downloadTickets.issue(request.lineUserId, path));
    });
    if (deps.reports) reportRoutes(officers, deps.reports);
    officers.get('/api/liff/officer/area', async (request) => workspace.areaSummary(request.officer));
    officers.get('/api/liff/officer/work', async (request) => workspace.workQueue(request.officer));
    officers.get('/api/liff/officer/applications', async (request) => workspace.applicationsWaiting(request.officer));

    officers.get('/api/liff/officer/debtors', async (request) => workspace.listDebtors(request.officer, debtorListQuerySchema.parse(request.query)));
    officers.get('/api/liff/officer/debtors/:id', async (request) =>
      workspace.debtorPage(request.officer, parseId(request.params, WORKSPACE_THAI.debtorNotFound)),
    );
    officers.post('/api/liff/officer/debtors/:id/link-code', async (request, reply) =>
      reply.code(201).send(await workspace.issueLinkCode(request.officer, parseId(request.params, WORKSPACE_THAI.debtorNotFound))),
    );
    officers.put('/api/liff/officer/debtors/:id/mentor', async (request) =>
      workspace.assignMentor(request.officer, parseId(request.params, WORKSPACE_THAI.debtorNotFound), mentorAssignmentSchema.parse(request.body).mentorId),
    );

    officers.post('/api/liff/officer/follow-ups', async (request, reply) => {
      const key = idempotencyKeyOf(request.headers);
      const result = await workspace.recordFollowUp(request.officer, key, () => followUpRequestSchema.parse(request.body));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send({ id: result.id, promiseId: result.promiseId });
    });
    // Did the follow-up sent under this key arrive? (A form that never heard back asks before sending again.)
    officers.get('/api/liff/officer/follow-ups/by-key/:key', async (request) =>
      workspace.followUpByKey(request.officer, idempotencyKeySchema.parse((request.params as { key?: string }).key)),
    );
    officers.patch('/api/liff/officer/follow-ups/:id', async (request) =>
      workspace.editFollowUp(request.officer, parseId(request.params, WORKSPACE_THAI.followUpNotFound), followUpEditSchema.parse(request.body)),
    );

    officers.post('/api/liff/officer/payments', async (request, reply) => {
      const key = idempotencyKeyOf(request.headers);
      const result = await workspace.recordPayment(request.officer, key, () => paymentRequestSchema.parse(request.body));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result);
    });
    officers.post('/api/liff/officer/payments/:id/reversal', async (request, reply) => {
      const { reason } = reversalRequestSchema.parse(request.body);
      const result = await workspace.reversePayment(request.officer, parseId(request.params, WORKSPACE_THAI.paymentNotFound), reason);
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send({ id: result.id, reversesPaymentId: result.reversesPaymentId });
    });

    officers.post('/api/liff/officer/link-code-batches', async (request, reply) => {
      if (!deps.addFriendUrl) throw new DomainError('CONFLICT', WORKSPACE_THAI.addFriendUrlMissing);
      return reply.code(201).send(await workspace.createLinkCodeBatch(request.officer, linkCodeBatchRequestSchema.parse(request.body).tambon));
    });

    officers.get('/api/liff/officer/photos/:id', async (request, reply) => {
      const parsed = photoParams.safeParse(request.params);
      if (!parsed.success) throw new DomainError('NOT_FOUND', WORKSPACE_THAI.photoNotFound);
      const photo = await workspace.readPhoto(request.officer, parsed.data.id);
      return reply.type(photo.contentType).header('content-disposition', 'inline').header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(photo.content);
    });

    officers.get('/api/liff/officer/slips', async (request) => deps.slips.listSlips(request.officer));
    officers.get('/api/liff/officer/slips/waiting', async (request) => deps.slips.countWaiting(request.officer));
    officers.get('/api/liff/officer/slips/:id/image', async (request, reply) => {
      const image = await deps.slips.readSlipImage(request.officer, parseId(request.params, MONEY_THAI.slipNotFound));
      return reply.type(image.contentType).header('content-disposition', 'inline').header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(image.content);
    });
    officers.post('/api/liff/officer/slips/:id/confirm', async (request) =>
      deps.slips.confirmSlip(request.officer, parseId(request.params, MONEY_THAI.slipNotFound), slipConfirmSchema.parse(request.body)),
    );
    officers.post('/api/liff/officer/slips/:id/reject', async (request) =>
      deps.slips.rejectSlip(request.officer, parseId(request.params, MONEY_THAI.slipNotFound), slipRejectSchema.parse(request.body).reason),
    );
    officers.get('/api/liff/officer/statements', async (request) => deps.statements.statementPage(request.officer));
    officers.post('/api/liff/officer/statement-lines/:id/record', async (request) =>
      deps.statements.recordException(request.officer, parseId(request.params, MONEY_THAI.exceptionNotFound), exceptionRecordSchema.parse(request.body).contractNo),
    );
    officers.post('/api/liff/officer/statement-lines/:id/dismiss', async (request) =>
      deps.statements.dismissException(request.officer, parseId(request.params, MONEY_THAI.exceptionNotFound), exceptionDismissSchema.parse(request.body).reason),
    );

    // A statement CSV: the file's bytes as the body (any content type), its name in X-File-Name (URI-encoded).
    await officers.register(async (uploads) => {
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_STATEMENT_BYTES }, (_request, body, done) => done(null, body));
      uploads.post('/api/liff/officer/statements', { bodyLimit: MAX_STATEMENT_BYTES }, async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) throw new DomainError('VALIDATION', MONEY_THAI.statementEmpty, [{ path: 'file', message: MONEY_THAI.statementEmpty }]);
        let fileName = 'statement.csv';
        try {
          fileName = decodeURIComponent(String(request.headers['x-file-name'] ?? fileName)).slice(0, 200) || fileName;
        } catch {
          // A name that is not valid URI encoding keeps the default.
        }
        const result = await deps.statements.importStatement(body, { fileName, officer: request.officer });
        return reply.code(result.ok ? 201 : 422).send(result);
      });
    });

    // Photos send the file's bytes as the body: any content type is read as bytes, up to 5 MB; what the file is
    // gets decided from its first bytes.
    await officers.register(async (uploads) => {
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_request, body, done) => done(null, body));
      uploads.post('/api/liff/officer/photos', { bodyLimit: MAX_PHOTO_BYTES }, async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) throw new DomainError('VALIDATION', 'ไม่พบรูปภาพที่แนบค่ะ', [{ path: 'file', message: 'ไม่พบรูปภาพที่แนบค่ะ' }]);
        return reply.code(201).send(await workspace.uploadPhoto(request.officer, body));
      });
    });
  });
}
