// The bill-payment QR images LINE's app shows in the chat: GET /pay/qr/<signed ticket>.png. The signed ticket is
// the credential (LINE's app fetches images without our ID tokens); it names a loan, an installment and an amount,
// and expires. The image names the contract, never the borrower.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { renderPaymentQrPng } from '../render/promptpay-qr-image.ts';
import type { PaymentQrService } from '../services/payment-qr.service.ts';
import { MONEY_THAI } from '../content/money.th.ts';

export async function paymentQrRoutes(app: FastifyInstance, deps: { paymentQr: PaymentQrService }): Promise<void> {
  app.get('/pay/qr/:file', async (request, reply) => {
    const { file } = z.object({ file: z.string().max(120) }).catch({ file: '' }).parse(request.params);
    if (!file.endsWith('.png')) throw new DomainError('GONE', MONEY_THAI.qrLinkExpired);
    const image = await deps.paymentQr.imageFor(file.slice(0, -'.png'.length));
    const png = await renderPaymentQrPng(image);
    return reply
      .type('image/png')
      .header('cache-control', 'private, max-age=86400')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .send(png);
  });
}
