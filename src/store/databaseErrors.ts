/**
 * Whether an error says the database cannot be reached right now (down,
 * restarting, network cut, pool exhausted) rather than that something is
 * wrong with what was written. Work that failed this way should be retried
 * as it is, later; it is not the data's fault.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; errno?: unknown; fatal?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'KnexTimeoutError') return true; // no pooled connection could be had
  if (e.fatal === true) return true; // mysql2: the connection itself broke
  return typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code);
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
