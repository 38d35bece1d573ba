// Domain errors carry a stable code; the HTTP and chat edges map codes to status and Thai text.
export type DomainErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'NOT_LINKED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'THROTTLED'
  | 'STALE_ACTION';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    /** Thai text safe to show to the user who caused it. */
    readonly userMessage: string,
    readonly details?: unknown,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'DomainError';
  }
}
