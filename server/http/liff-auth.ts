// The mini-app's caller: resolved once per request, for a whole route scope, from the LIFF ID token in
// `Authorization: Bearer …`. The LINE user is LINE's answer to verifying that token, nothing the page says.
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import { IdTokenVerificationUnavailableError } from '../line/id-token-verifier.ts';
import type { IdTokenVerifier } from '../services/ports.ts';
import type { DownloadTickets } from '../services/download-tickets.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The LINE user LINE vouched for (a verified LIFF ID token); set for every /api/liff route that needs one. */
    lineUserId: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/;

function unauthenticated(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'กรุณาเปิดหน้านี้จาก LINE อีกครั้งเพื่อยืนยันตัวตนค่ะ');
}

/**
 * Every route registered in `scope` (and its children) requires a verified LIFF ID token: 401 otherwise. With
 * `tickets`, a GET may instead carry a one-time download ticket made for exactly its address (a file opened in the
 * phone's browser, where there is no ID token).
 */
export function requireLineUser(scope: FastifyInstance, idTokens: IdTokenVerifier, tickets?: DownloadTickets): void {
  if (!scope.hasRequestDecorator('lineUserId')) scope.decorateRequest('lineUserId', '');
  scope.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match && tickets && request.method === 'GET') {
      const ticketHolder = await tickets.redeem(request.url);
      if (ticketHolder) {
        request.lineUserId = ticketHolder;
        return;
      }
    }
    if (!match) throw unauthenticated();
    try {
      request.lineUserId = (await idTokens.verify(match[1]!)).lineUserId;
    } catch (error) {
      if (error instanceof IdTokenVerificationUnavailableError) {
        throw new DomainError('LINE_UNAVAILABLE', 'ระบบยืนยันตัวตนของ LINE ไม่ตอบสนองชั่วคราว กรุณาลองใหม่อีกครั้งค่ะ', undefined, { cause: error });
      }
      throw error;
    }
  });
}
