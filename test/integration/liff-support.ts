// Helpers for the LIFF API tests: calls with a LIFF ID token issued by the fake LINE platform.
import type { TestApp } from '../support/test-app.ts';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  t: TestApp,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: { bytes: Uint8Array; type: string } } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = Buffer.from(options.raw.bytes);
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${t.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a document's bytes, an HTML page)
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/**
 * A LIFF ID token for a LINE user, issued by the fake platform. The fake dates tokens by the real clock, the app
 * by its ManualClock: the token is made to outlive both, so caching is tested on the app's clock alone.
 */
export function idTokenFor(t: TestApp, lineUserId: string): string {
  const gapSeconds = Math.ceil((t.clock.now().getTime() - Date.now()) / 1000);
  return t.fake.issueIdToken(lineUserId, Math.max(3600, gapSeconds + 3600));
}

/** Sends what the outbox holds now (tests run with SCHEDULER=off, so nothing is sent behind their back). */
export async function dispatchOutbox(t: TestApp): Promise<void> {
  await t.context.services.jobs.run('dispatch', t.clock.now(), { dispatch: true });
}

/** The notifications pushed to a LINE user so far (flex altTexts and texts), after dispatching the outbox. */
export async function pushedTo(t: TestApp, lineUserId: string) {
  await dispatchOutbox(t);
  return t.fake.messagesTo(lineUserId).filter((m) => m.via === 'push');
}

/** Postback buttons (label → data) in the last flex message pushed to a user. */
export async function lastCardButtons(t: TestApp, lineUserId: string): Promise<Map<string, string>> {
  const flex = [...(await pushedTo(t, lineUserId))].reverse().find((m) => m.message.type === 'flex');
  const buttons = new Map<string, string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      const action = n.action as { type?: string; label?: string; data?: string } | undefined;
      if (n.type === 'button' && action?.type === 'postback' && action.label && action.data) buttons.set(action.label, action.data);
      Object.values(n).forEach(walk);
    }
  };
  walk(flex?.message);
  return buttons;
}

export const JPEG_BYTES = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
export const PDF_BYTES = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** The quick-reply buttons (label → postback data, or uri) under the last message sent to a user. */
export function lastQuickReplies(t: TestApp, lineUserId: string): Map<string, string> {
  const last = t.fake.messagesTo(lineUserId).at(-1);
  const items = ((last?.message.quickReply as { items?: Array<{ action: { label: string; data?: string; uri?: string } }> } | undefined)?.items) ?? [];
  return new Map(items.map((item) => [item.action.label, item.action.data ?? item.action.uri ?? '']));
}
