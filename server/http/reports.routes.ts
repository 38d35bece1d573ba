// The officers' reports and budget allocation: /api/liff/officer/reports/* and /api/liff/officer/budget/*, registered
// inside the officers' scope (officer.routes.ts), so `request.officer` is already resolved. XLSX downloads are
// streamed: the workbook is written into the reply while the debtor list is still being read.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { allocationRequestSchema, REPORT_KINDS, reportQuerySchema } from '../contracts/reports.ts';
import { DomainError } from '../domain/errors.ts';
import { writeXlsxReport } from '../render/xlsx-report.ts';
import type { ReportFile, ReportsService } from '../services/reports.service.ts';
import { REPORTS_THAI } from '../content/reports.th.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const kindParams = z.object({ kind: z.enum(REPORT_KINDS) });
const idParams = z.object({ id: z.coerce.number().int().positive() });

function sendXlsx(request: FastifyRequest, reply: FastifyReply, file: ReportFile) {
  const output = new PassThrough();
  writeXlsxReport({ sheets: file.sheets, output }).catch((error: unknown) => request.log.error({ err: error, file: file.fileName }, 'report XLSX failed'));
  // The plain filename stays ASCII; filename* (RFC 6266) is the Thai name phones save it under.
  const disposition = `attachment; filename="${file.fileName}"${file.thaiFileName ? `; filename*=UTF-8''${encodeURIComponent(file.thaiFileName)}` : ''}`;
  return reply.type(XLSX_TYPE).header('content-disposition', disposition).send(output);
}

export function reportRoutes(officers: FastifyInstance, reports: ReportsService): void {
  officers.get('/api/liff/officer/reports/:kind', async (request) => {
    const parsed = kindParams.safeParse(request.params);
    if (!parsed.success) throw new DomainError('NOT_FOUND', 'ไม่พบรายงานนี้ค่ะ');
    const query = reportQuerySchema.parse(request.query);
    switch (parsed.data.kind) {
      case 'ageing':
        return reports.ageing(request.officer, query);
      case 'collections':
        return reports.collections(request.officer, query);
      case 'activity':
        return reports.activity(request.officer, query);
      case 'measures':
        return reports.measures(request.officer, query);
      case 'debtors':
        return reports.debtors(request.officer, query);
    }
  });

  officers.get('/api/liff/officer/reports/:kind/xlsx', async (request, reply) => {
    const parsed = kindParams.safeParse(request.params);
    if (!parsed.success) throw new DomainError('NOT_FOUND', 'ไม่พบรายงานนี้ค่ะ');
    const file = await reports.exportFile(request.officer, parsed.data.kind, reportQuerySchema.parse(request.query));
    return sendXlsx(request, reply, file);
  });

  officers.get('/api/liff/officer/budget', async (request) => {
    const { asOf } = reportQuerySchema.parse(request.query);
    return reports.budgetPage(request.officer, asOf);
  });
  officers.post('/api/liff/officer/budget/preview', async (request) => reports.previewAllocation(request.officer, allocationRequestSchema.parse(request.body)));
  officers.post('/api/liff/officer/budget/allocations', async (request, reply) =>
    reply.code(201).send(await reports.saveAllocation(request.officer, allocationRequestSchema.parse(request.body))),
  );
  officers.get('/api/liff/officer/budget/allocations/:id/xlsx', async (request, reply) => {
    const parsed = idParams.safeParse(request.params);
    if (!parsed.success) throw new DomainError('NOT_FOUND', REPORTS_THAI.allocationNotFound);
    return sendXlsx(request, reply, await reports.allocationFile(request.officer, parsed.data.id));
  });
}
