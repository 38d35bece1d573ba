// Maps errors to HTTP answers: domain codes become 4xx with a Thai message; anything else is a generic 500
// whose details go to the log only.
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, type DomainErrorCode } from '../domain/errors.ts';
import { isDatabaseOutage } from '../services/database-outage.ts';

const STATUS_OF: Record<DomainErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  NOT_LINKED: 403,
  FORBIDDEN: 403,
  NOT_OFFICER: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  THROTTLED: 429,
  LINE_UNAVAILABLE: 503,
};

export function zodIssuesToThai(error: ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DomainError | ZodError, request, reply) => {
    if (error instanceof DomainError) {
      if (STATUS_OF[error.code] >= 500) request.log.warn({ err: error.cause ?? error, code: error.code }, 'service unavailable');
      const body: Record<string, unknown> = { code: error.code, message: error.userMessage };
      if (error.details !== undefined) body.errors = error.details;
      return reply.code(STATUS_OF[error.code]).send(body);
    }
    if (error instanceof ZodError) {
      return reply.code(400).send({ code: 'VALIDATION', message: 'ข้อมูลไม่ถูกต้อง', errors: zodIssuesToThai(error) });
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const messages: Record<number, string> = {
        400: 'ระบบรับข้อมูลนี้ไม่ได้ค่ะ กรุณาลองใหม่อีกครั้ง',
        404: 'ไม่พบหน้านี้ค่ะ',
        413: 'ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป',
        415: 'รูปแบบข้อมูลไม่รองรับ',
      };
      return reply.code(status).send({ code: 'BAD_REQUEST', message: messages[status] ?? 'ระบบรับข้อมูลนี้ไม่ได้ค่ะ กรุณาลองใหม่อีกครั้ง' });
    }
    if (isDatabaseOutage(error)) {
      // LINE redelivers a webhook that got a 5xx, and the mini-app retries: nothing is lost while it is away.
      request.log.warn({ code: (error as { code?: string }).code, reason: error.message, url: request.routeOptions.url }, 'database unavailable');
      return reply.code(503).header('retry-after', '5').send({ code: 'DATABASE_UNAVAILABLE', message: 'ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้ง' });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ code: 'INTERNAL', message: 'ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้ง' });
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'NOT_FOUND', message: 'ไม่พบหน้านี้ค่ะ' }));
}
