// Domain errors carry a stable code; the HTTP and chat edges map codes to status and Thai text.
export type DomainErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'NOT_LINKED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'THROTTLED'
  /** A one-time link (a batch of link-code slips) that was used or has expired. */
  | 'GONE'
  /** The officers' pages: the caller is a borrower or not linked at all. */
  | 'NOT_OFFICER'
  /** LINE could not be asked (e.g. to verify an ID token): try again shortly. */
  | 'LINE_UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    /** Thai text safe to show to the user who caused it. */
    readonly userMessage: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${userMessage}`, options);
    this.name = 'DomainError';
  }
}
