// POST /webhook: the only route that reads raw bytes, because LINE signs the exact body it sent.
import { validateSignature } from '@line/bot-sdk';
import type { FastifyInstance } from 'fastify';
import type { WebhookInbox } from '../services/webhook-inbox.service.ts';
import type { InboxEvent } from '../db/repos/webhook-events.repo.ts';
import { sourceUserId, webhookBodySchema, webhookEventSchema } from '../line/webhook-events.ts';

export interface WebhookRouteDeps {
  channelSecret: string;
  inbox: WebhookInbox;
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  // Scoped to this plugin: other routes keep Fastify's JSON parser.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.post('/webhook', async (request, reply) => {
    const signature = request.headers['x-line-signature'];
    const raw = request.body;
    if (typeof signature !== 'string' || !Buffer.isBuffer(raw) || !validateSignature(raw, deps.channelSecret, signature)) {
      return reply.code(401).send({ code: 'INVALID_SIGNATURE', message: 'ลายเซ็นของคำขอไม่ถูกต้อง' });
    }
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send({ code: 'MALFORMED_BODY', message: 'ข้อมูลไม่ใช่ JSON ที่ถูกต้อง' });
    }
    const body = webhookBodySchema.safeParse(parsedJson);
    if (!body.success) return reply.code(400).send({ code: 'MALFORMED_BODY', message: 'รูปแบบข้อมูล webhook ไม่ถูกต้อง' });

    const events: InboxEvent[] = [];
    let malformed = 0;
    for (const candidate of body.data.events) {
      const event = webhookEventSchema.safeParse(candidate);
      if (!event.success) {
        malformed += 1;
        continue;
      }
      events.push({ eventId: event.data.webhookEventId, eventType: event.data.type, sourceUserId: sourceUserId(event.data), payload: event.data });
    }
    // A malformed event will never become well-formed; acknowledging it stops LINE redelivering it.
    if (malformed > 0) request.log.warn({ malformed }, 'skipped malformed webhook events');
    // Stored before we answer: once LINE has its 200, the events survive any crash.
    const fresh = await deps.inbox.receive(events);
    return reply.code(200).send({ received: events.length, new: fresh });
  });
}
