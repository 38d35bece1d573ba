// The model-centre selection in the officers' pages: registered inside the officers' scope (officer.routes.ts), so
// every route has `request.officer`; the service scopes and audits everything. Evidence uploads send the file's
// bytes as the body (photos and PDFs up to 5 MB, like application documents); the XLSX and each centre's PDF page
// stream into the reply.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  assessmentSaveSchema,
  centreRequestSchema,
  correctionRequestSchema,
  roundRequestSchema,
  rubricDraftRequestSchema,
  verificationRequestSchema,
} from '../contracts/centres.ts';
import { MAX_DOCUMENT_BYTES } from '../contracts/liff.ts';
import { DomainError } from '../domain/errors.ts';
import { CENTRE_THAI } from '../content/centre-selection.th.ts';
import { renderCentreSheet, writeCentreRankingXlsx } from '../render/centre-reports.ts';
import type { CentreSelectionService } from '../services/centre-selection.service.ts';

const roundParams = z.object({ roundId: z.coerce.number().int().positive() });
const centreParams = roundParams.extend({ centreId: z.coerce.number().int().positive() });
const fileParams = centreParams.extend({ indicator: z.string().regex(/^[1-9]\.[1-9]\d?$/) });

function parse<T>(schema: z.ZodType<T>, params: unknown, message: string): T {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new DomainError('NOT_FOUND', message);
  return parsed.data;
}

/** A file name for Content-Disposition: ASCII, plus the RFC 5987 form. */
const attachment = (name: string) => `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function centreSelectionRoutes(officers: FastifyInstance, centres: CentreSelectionService): Promise<void> {
  const base = '/api/liff/officer/centre-selection';
  officers.get(base, async (request) => centres.home(request.officer));
  officers.get(`${base}/rubrics/:id`, async (request) => centres.rubric(request.officer, parse(z.object({ id: z.string().max(100) }), request.params, CENTRE_THAI.rubricNotFound).id));
  officers.post(`${base}/rubrics`, async (request, reply) => reply.code(201).send(await centres.createRubricVersion(request.officer, rubricDraftRequestSchema.parse(request.body))));
  officers.post(`${base}/centres`, async (request, reply) => reply.code(201).send(await centres.registerCentre(request.officer, centreRequestSchema.parse(request.body))));
  officers.post(`${base}/rounds`, async (request, reply) => reply.code(201).send(await centres.openRound(request.officer, roundRequestSchema.parse(request.body))));
  officers.get(`${base}/rounds/:roundId`, async (request) => centres.roundPage(request.officer, parse(roundParams, request.params, CENTRE_THAI.roundNotFound).roundId));
  officers.get(`${base}/rounds/:roundId/ranking`, async (request) => centres.ranking(request.officer, parse(roundParams, request.params, CENTRE_THAI.roundNotFound).roundId));
  officers.get(`${base}/rounds/:roundId/ranking.xlsx`, async (request, reply) => {
    const report = await centres.rankingReport(request.officer, parse(roundParams, request.params, CENTRE_THAI.roundNotFound).roundId);
    const file = new PassThrough();
    writeCentreRankingXlsx(report, file).catch((error: unknown) => request.log.error({ err: error }, 'centre ranking xlsx failed'));
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachment(report.fileName)).send(file);
  });

  const centrePath = `${base}/rounds/:roundId/centres/:centreId`;
  const ids = (params: unknown) => parse(centreParams, params, CENTRE_THAI.centreNotFound);
  officers.get(`${centrePath}/assessment`, async (request) => {
    const { roundId, centreId } = ids(request.params);
    return centres.assessmentPage(request.officer, roundId, centreId);
  });
  officers.put(`${centrePath}/assessment`, async (request) => {
    const { roundId, centreId } = ids(request.params);
    return centres.saveDraft(request.officer, roundId, centreId, assessmentSaveSchema.parse(request.body));
  });
  officers.post(`${centrePath}/assessment/submit`, async (request) => {
    const { roundId, centreId } = ids(request.params);
    return centres.submit(request.officer, roundId, centreId);
  });
  officers.post(`${centrePath}/assessment/corrections`, async (request, reply) => {
    const { roundId, centreId } = ids(request.params);
    return reply.code(201).send(await centres.startCorrection(request.officer, roundId, centreId, correctionRequestSchema.parse(request.body).reason));
  });
  officers.put(`${centrePath}/verification`, async (request) => {
    const { roundId, centreId } = ids(request.params);
    const { points, note } = verificationRequestSchema.parse(request.body);
    return centres.recordVerification(request.officer, roundId, centreId, points, note);
  });
  officers.get(`${centrePath}/summary.pdf`, async (request, reply) => {
    const { roundId, centreId } = ids(request.params);
    const sheet = await centres.centreSheet(request.officer, roundId, centreId);
    const file = new PassThrough();
    renderCentreSheet(sheet, file).catch((error: unknown) => request.log.error({ err: error }, 'centre sheet pdf failed'));
    return reply.type('application/pdf').header('content-disposition', attachment(sheet.fileName)).send(file);
  });
  officers.get(`${base}/files/:id`, async (request, reply) => {
    const { id } = parse(z.object({ id: z.uuid() }), request.params, CENTRE_THAI.fileNotFound);
    const file = await centres.readEvidence(request.officer, id);
    return reply.type(file.contentType).header('content-disposition', 'inline').header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(file.content);
  });

  await officers.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_request, body, done) => done(null, body));
    uploads.post(`${centrePath}/indicators/:indicator/files`, { bodyLimit: MAX_DOCUMENT_BYTES }, async (request, reply) => {
      const { roundId, centreId, indicator } = parse(fileParams, request.params, CENTRE_THAI.centreNotFound);
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new DomainError('VALIDATION', CENTRE_THAI.fileMissing, [{ path: 'file', message: CENTRE_THAI.fileMissing }]);
      return reply.code(201).send(await centres.uploadEvidence(request.officer, roundId, centreId, indicator, body));
    });
  });
}
