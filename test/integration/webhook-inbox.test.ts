// The inbox under a slow chat: events waiting behind each other keep their claim, and sweeps (this replica's
// or another's) never take them a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestDatabase } from '../support/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { createWebhookInbox, type EventAnswerer } from '../../server/services/webhook-inbox.service.ts';
import type { DatabaseHandle } from '../../server/db/connection.ts';

let database: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(async () => {
  await database?.close();
});

describe('webhook inbox', () => {
  it('handles each event once while a slow chat holds the later ones back past their first claim', async () => {
    const handled: string[] = [];
    const options = { db: database.db, log: pino({ level: 'silent' }), claimSeconds: 1 };
    const slow: EventAnswerer = {
      async prepare(payload) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        handled.push((payload as { id: string }).id);
        return undefined;
      },
      reply: async () => 'delivered',
      push: async () => undefined,
    };
    const replicaA = createWebhookInbox({ ...options, answerer: slow });
    const replicaB = createWebhookInbox({ ...options, answerer: slow });
    const events = Array.from({ length: 6 }, (_, i) => ({ eventId: `slow-${i}`, eventType: 'message', sourceUserId: 'Uslowchat', payload: { id: `slow-${i}`, source: { userId: 'Uslowchat' } } }));
    await replicaA.receive(events);
    // Both replicas sweep every half second while A works through the chat (2.4 s, claims of 1 s).
    const sweeping = setInterval(() => {
      void replicaA.sweep();
      void replicaB.sweep();
    }, 500);
    try {
      await replicaA.idle();
      await new Promise((resolve) => setTimeout(resolve, 600));
      await replicaB.idle();
    } finally {
      clearInterval(sweeping);
    }
    expect(handled.sort()).toEqual(events.map((e) => e.eventId).sort());
  });
});
