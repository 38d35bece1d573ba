// Verifies LIFF ID tokens with LINE (POST /oauth2/v2.1/verify) and remembers the answer until the token expires.
// The LINE user is only ever LINE's `sub` for the token: never a claim we decoded ourselves, never an id a page sent.
import { createHash } from 'node:crypto';
import { DomainError } from '../domain/errors.ts';
import type { Clock, IdTokenVerifier } from '../services/ports.ts';

export interface IdTokenVerifierOptions {
  apiBaseUrl: string;
  /** The LINE Login channel that owns the LIFF app: the token's audience. */
  channelId: string;
  clock: Clock;
  /** Tokens remembered at most; the least recently used is forgotten first. */
  maxEntries?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface Verified {
  lineUserId: string;
  expiresAt: Date;
}

const UNAUTHENTICATED_MESSAGE = 'การยืนยันตัวตนกับ LINE หมดอายุหรือไม่ถูกต้อง กรุณาปิดแล้วเปิดหน้านี้ใหม่อีกครั้งค่ะ';

export class IdTokenVerificationUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdTokenVerificationUnavailableError';
  }
}

function unauthenticated(): DomainError {
  return new DomainError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
}

export function createIdTokenVerifier(options: IdTokenVerifierOptions): IdTokenVerifier & { readonly cacheSize: number } {
  const maxEntries = options.maxEntries ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const verifyUrl = new URL('/oauth2/v2.1/verify', options.apiBaseUrl).toString();
  // Keyed by a hash of the token: the cache never holds a usable token.
  const cache = new Map<string, Verified>();
  const inFlight = new Map<string, Promise<Verified>>();

  function remember(key: string, verified: Verified) {
    cache.delete(key);
    cache.set(key, verified);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  }

  async function askLine(idToken: string): Promise<Verified> {
    let response: Response;
    try {
      response = await doFetch(verifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ id_token: idToken, client_id: options.channelId }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new IdTokenVerificationUnavailableError(`LINE ID-token verification unreachable: ${(error as Error).message}`, { cause: error });
    }
    // LINE answers 400 for a bad, expired or foreign token; anything else is LINE's trouble, not the user's.
    if (response.status === 400 || response.status === 401) throw unauthenticated();
    if (!response.ok) throw new IdTokenVerificationUnavailableError(`LINE ID-token verification answered ${response.status}`);
    const body = (await response.json().catch(() => undefined)) as { sub?: unknown; aud?: unknown; exp?: unknown } | undefined;
    if (!body || typeof body.sub !== 'string' || body.sub === '' || typeof body.exp !== 'number') throw unauthenticated();
    if (body.aud !== undefined && body.aud !== options.channelId) throw unauthenticated();
    return { lineUserId: body.sub, expiresAt: new Date(body.exp * 1000) };
  }

  return {
    get cacheSize() {
      return cache.size;
    },
    async verify(idToken: string) {
      if (typeof idToken !== 'string' || idToken.length < 10 || idToken.length > 4096) throw unauthenticated();
      const key = createHash('sha256').update(idToken).digest('base64url');
      const now = options.clock.now().getTime();
      const hit = cache.get(key);
      if (hit && hit.expiresAt.getTime() > now) {
        remember(key, hit);
        return hit;
      }
      if (hit) cache.delete(key);
      // Requests arriving together with the same new token ask LINE once.
      let pending = inFlight.get(key);
      if (!pending) {
        pending = askLine(idToken).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const verified = await pending;
      if (verified.expiresAt.getTime() > options.clock.now().getTime()) remember(key, verified);
      return verified;
    },
  };
}
