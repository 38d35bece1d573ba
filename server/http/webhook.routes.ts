// POST /webhook: the only route that reads raw bytes, because LINE signs the exact body it sent.
import type { FastifyInstance } from 'fastify';
import type { WebhookInbox } from '../services/webhook-inbox.service.ts';
import { readWebhookRequest } from '../line/webhook-request.ts';

export interface WebhookRouteDeps {
  channelSecret: string;
  inbox: WebhookInbox;
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  // Scoped to this plugin: other routes keep Fastify's JSON parser.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.post<{ Body: Buffer }>('/webhook', async (request, reply) => {
    const reading = readWebhookRequest(request.body, request.headers['x-line-signature'], deps.channelSecret);
    if (reading.outcome === 'bad_signature') return reply.code(401).send({ code: 'INVALID_SIGNATURE', message: 'ลายเซ็นของคำขอไม่ถูกต้อง' });
    if (reading.outcome === 'malformed_body') {
      const message = reading.reason === 'json' ? 'ข้อมูลไม่ใช่ JSON ที่ถูกต้อง' : 'รูปแบบข้อมูล webhook ไม่ถูกต้อง';
      return reply.code(400).send({ code: 'MALFORMED_BODY', message });
    }
    // A malformed event will never become well-formed; acknowledging it stops LINE redelivering it.
    if (reading.tooDeep) request.log.warn({ bytes: request.body.length }, 'skipped a webhook body nested too deeply to be LINE events');
    else if (reading.malformed > 0) request.log.warn({ malformed: reading.malformed }, 'skipped malformed webhook events');
    if (reading.repaired > 0) request.log.info({ repaired: reading.repaired }, 'stored webhook events with unstorable characters replaced or texts cut');
    if (reading.nationalIdsMasked > 0) request.log.info({ messages: reading.nationalIdsMasked }, 'masked national ID numbers typed in chat before storing');
    // Stored before we answer: once LINE has its 200, the events survive any crash. An event the database refuses
    // on its own is acknowledged and logged by the inbox; an outage answers 503, so LINE redelivers.
    const stored = await deps.inbox.receive(reading.events);
    return reply.code(200).send({ received: reading.events.length, new: stored.fresh });
  });
}
