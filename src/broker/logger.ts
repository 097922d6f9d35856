/**
 * The logging the broker code needs: a subset of pino's API, so Fastify's
 * logger (pino) can be passed as is. Always call it as `(fields, message)`.
 * Event payloads and patient ids go to `debug` only.
 */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = (): void => undefined;

/** For callers that do not care, and for tests. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * Database messages quote the values they choke on ("Duplicate entry
 * 'id:<event id>' for key …", "Incorrect string value: '\xF0…'"): the
 * quoted parts are replaced, the rest (what went wrong) is kept.
 */
function redactQuoted(message: string): string {
  return message.replace(/'(?:[^'\\]|\\.)*'/g, "'?'").replace(/"(?:[^"\\]|\\.)*"/g, '"?"');
}

/** What of an error is worth logging: never its full object, which may carry payloads. */
export function describeError(err: unknown): { err: string; code?: unknown } {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    const message = redactQuoted(err.message);
    return code === undefined ? { err: message } : { err: message, code };
  }
  return { err: redactQuoted(String(err)) };
}
