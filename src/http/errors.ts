/**
 * An error meant for the client: its code and message are safe to show.
 * Anything else that reaches the error handler becomes a generic 500.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A 400 about one (or two) query/path parameters; the message starts with their names. */
export function invalidParameter(field: string, text: string): HttpError {
  return new HttpError(400, 'invalid_parameter', `${field}: ${text}`);
}

export function invalidBody(text: string): HttpError {
  return new HttpError(400, 'invalid_body', text);
}
