/** SQLSTATEs after which the whole transaction is safe to run again: nothing was applied. */
const RETRYABLE_SQLSTATES = new Set([
  '40P01', // deadlock_detected
  '40001', // serialization_failure
  '55P03', // lock_not_available (lock_timeout)
]);

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}

/** Full jitter: a random wait in [0, baseMs * 2^attempt), capped. */
export function backoffMs(attempt: number, baseMs = 4, capMs = 200, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/** SQLSTATEs of a database that is overloaded, timing out or going away: 503, not 500. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled (statement_timeout)
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08006', // connection_failure
]);

/**
 * A failure that says nothing about the request, only that the database could not serve it
 * now (including the pool giving up on a free connection): the client may retry.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined && (UNAVAILABLE_SQLSTATES.has(state) || RETRYABLE_SQLSTATES.has(state))) return true;
  if (state === 'ECONNREFUSED' || state === 'ECONNRESET') return true;
  const message = error instanceof Error ? error.message : '';
  // A database closed to new connections (ALLOW_CONNECTIONS false, a restore) answers SQLSTATE 55000, which also names other states.
  return /timeout exceeded when trying to connect|Connection terminated|is not currently accepting connections/i.test(message);
}
