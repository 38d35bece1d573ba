// What services need from the outside world, as interfaces the edges implement.
import type { Notification } from './notifications.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that reads `start` now and runs on from there in real time (`jobs run --at`). */
export function clockStartingAt(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export type SendOutcome = 'sent' | 'duplicate';

/** A failed call to LINE. status 0 means no answer (timeout or network). */
export class LineApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'LineApiError';
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface MessageQuota {
  /** Monthly message limit; null when the plan has none. */
  limit: number | null;
  usedThisMonth: number;
}

/**
 * What a queued message says: a notification (rendered by the messenger), or — for rows queued before
 * notifications were stored as data — the LINE messages as they were rendered then.
 */
export type OutboundContent = { notification: Notification } | { prerendered: unknown[] };

/** Sends the outbox's messages. Implemented over LINE by line/outbound-messenger.ts. */
export interface Messenger {
  /** `retryKey` (a UUID) makes repeats safe: LINE answers 409 for a key it accepted, reported as 'duplicate'. */
  push(to: string, content: OutboundContent, retryKey: string): Promise<SendOutcome>;
  multicast(to: readonly string[], content: OutboundContent, retryKey: string): Promise<SendOutcome>;
  getQuota(): Promise<MessageQuota>;
}

export interface IdTokenVerifier {
  /** The LINE user id (`sub`) of a valid LIFF ID token; throws DomainError UNAUTHENTICATED otherwise. */
  verify(idToken: string): Promise<{ lineUserId: string; expiresAt: Date }>;
}
