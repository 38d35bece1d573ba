// Which database errors mean "the server is away for a moment" (restart, fail-over, a dropped connection) rather than
// "this statement is wrong": the first kind is waited out and retried, the second is a bug or bad data.

/** SQLSTATE classes and codes of a server that is restarting, shutting down or unreachable. */
const TRANSIENT_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;

/** Node and pg messages of a connection that died or could not be made. */
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection error',
  'not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
];

export function isTransientDatabaseError(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (TRANSIENT_SQLSTATE.test(e.code) || TRANSIENT_NODE_CODES.has(e.code))) return true;
    if (typeof e.message === 'string' && TRANSIENT_MESSAGES.some((m) => (e!.message as string).includes(m))) return true;
    // AggregateError (connecting to several addresses) carries the reasons in `errors`.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isTransientDatabaseError(inner))) return true;
  }
  return false;
}

/** A unique index refused the write (PostgreSQL 23505), e.g. two replicas taking the same key at once. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/**
 * The statement was refused only because an earlier one of its transaction failed (PostgreSQL 25P02, "current
 * transaction is aborted"): the earlier failure is the one to report.
 */
export function isAbortedTransaction(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '25P02';
}
