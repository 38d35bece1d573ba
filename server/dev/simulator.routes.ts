// /simulator: a chat page that plays the LINE app against this server, through the in-process fake platform.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { ensureDemoData, type DemoPersona } from './demo-data.ts';
import { describeJobSummary, isJobName } from '../services/job-runner.service.ts';

const assets: Record<string, { file: string; type: string }> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'simulator.js': { file: 'simulator.js', type: 'text/javascript; charset=utf-8' },
  'simulator.css': { file: 'simulator.css', type: 'text/css; charset=utf-8' },
  'flex-renderer.js': { file: 'flex-renderer.js', type: 'text/javascript; charset=utf-8' },
};

const eventRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), userId: z.string().min(1), text: z.string().min(1).max(5000) }),
  z.object({ type: z.literal('postback'), userId: z.string().min(1), data: z.string().min(1).max(300) }),
  z.object({ type: z.literal('follow'), userId: z.string().min(1) }),
  z.object({ type: z.literal('unfollow'), userId: z.string().min(1) }),
  z.object({ type: z.literal('sticker'), userId: z.string().min(1) }),
  // A photo from the phone, as base64 (the fake serves it through LINE's content API for the bot to fetch).
  z.object({ type: z.literal('image'), userId: z.string().min(1), base64: z.string().min(4).max(8_000_000) }),
]);

export async function simulatorRoutes(app: FastifyInstance, options: { context: AppContext }) {
  const { context } = options;
  const fake = context.fakeLine!;
  let personas: DemoPersona[] | undefined;
  // The demo's personas are made once (each call would draw the newcomer a new code); an operator's own registry's are
  // read again, so a LINE user she linked shows as whom it linked to.
  const loadPersonas = async () => {
    if (!personas || personas.some((p) => p.live)) personas = await ensureDemoData(context);
    return personas;
  };

  const webhookUrl = () => {
    const address = app.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}/webhook`;
  };

  app.get('/simulator', async (_request, reply) => reply.redirect('/simulator/'));
  app.get('/simulator/*', async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const asset = assets[name];
    if (!asset) return reply.code(404).send({ code: 'NOT_FOUND', message: 'ไม่พบไฟล์' });
    const body = await readFile(new URL(`./simulator/${asset.file}`, import.meta.url), 'utf8');
    return reply.type(asset.type).header('cache-control', 'no-store').send(body);
  });

  app.get('/simulator-api/personas', async () => ({ personas: await loadPersonas(), liffUrlPrefix: 'https://liff.line.me/' }));

  // The mini-app in simulator mode (@line/liff-mock) signs in as the chosen demo user with an ID token from the
  // fake LINE platform; the API then verifies it exactly as it verifies LINE's own tokens.
  app.post('/simulator-api/liff-login', async (request) => {
    const { userId } = z.object({ userId: z.string().min(1).max(100) }).parse(request.body);
    const persona = (await loadPersonas()).find((p) => p.lineUserId === userId);
    return { idToken: fake.issueIdToken(userId), displayName: persona?.label ?? userId };
  });

  app.post('/simulator-api/events', { bodyLimit: 12 * 1024 * 1024 }, async (request, reply) => {
    const input = eventRequestSchema.parse(request.body);
    await loadPersonas();
    const event =
      input.type === 'text'
        ? fake.textEvent(input.userId, input.text)
        : input.type === 'postback'
          ? fake.postbackEvent(input.userId, input.data)
          : input.type === 'follow'
            ? fake.followEvent(input.userId)
            : input.type === 'sticker'
              ? fake.stickerEvent(input.userId)
              : input.type === 'image'
                ? fake.imageEvent(input.userId, Buffer.from(input.base64, 'base64'))
                : fake.unfollowEvent(input.userId);
    const result = await fake.deliverWebhook(webhookUrl(), [event]);
    return reply.code(result.status === 200 ? 202 : 502).send({ webhookStatus: result.status });
  });

  // "Run now": the same job runner the schedules and the CLI use, with this moment as its clock.
  app.post('/simulator-api/jobs/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!isJobName(name)) return reply.code(404).send({ code: 'NOT_FOUND', message: `ไม่มีงานชื่อ ${name}` });
    await loadPersonas();
    const summary = await context.services.jobs.runNow(name, { dispatch: true, budgetMs: 20_000 });
    return { summary, text: describeJobSummary(summary) };
  });

  // The rich menu LINE would show this user (their own, or the default), and its image.
  app.get('/simulator-api/rich-menu', async (request) => {
    const { userId } = z.object({ userId: z.string().min(1) }).parse(request.query);
    const menu = fake.richMenuOf(userId);
    return { menu: menu ?? null, imageUrl: menu ? `/simulator-api/rich-menu-image/${String(menu.richMenuId)}` : null };
  });

  app.get('/simulator-api/rich-menu-image/:richMenuId', async (request, reply) => {
    const image = fake.richMenuImage((request.params as { richMenuId: string }).richMenuId);
    if (!image) return reply.code(404).send({ code: 'NOT_FOUND', message: 'ไม่พบรูปเมนู' });
    return reply.type(image.type).header('cache-control', 'public, max-age=3600').send(image.bytes);
  });

  app.get('/simulator-api/messages', async (request) => {
    const query = z.object({ userId: z.string().min(1), after: z.coerce.number().int().min(0).default(0) }).parse(request.query);
    return { messages: fake.messagesTo(query.userId).filter((message) => message.seq > query.after) };
  });
}
