import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors';

/**
 * Deeper than any device event can be (an array of flat objects is 2 levels);
 * Re-serializing a value nested ~10,000 levels deep overflows the stack, so
 * such a body is refused up front instead of failing half-way.
 */
export const MAX_JSON_DEPTH = 64;

// fatal: bytes that are not UTF-8 are refused, never turned into U+FFFD,
// which would silently change what the client sent. A leading BOM is dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true });

const invalidJson = (message: string) => new HttpError(400, 'invalid_json', message);

/** The deepest nesting of arrays and objects in JSON text, without recursion; strings skipped. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

/** Parses a JSON request body exactly as sent, or throws a 400 that says why. */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, 'invalid_utf8', 'request body is not valid UTF-8');
  }
  if (text.trim() === '')
    throw invalidJson('request body is empty; expected a JSON object or array');
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw invalidJson(`request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    // Plain JSON.parse, no reviver: a `__proto__` or `constructor` key becomes an
    // ordinary own property (it never sets a prototype), so it is kept as data,
    // like any unknown field, and stored as sent. docs/security.md.
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidJson('request body is not valid JSON');
  }
}

/**
 * Replaces Fastify's JSON body parser, which answers 400 for any body with a
 * `__proto__` or `constructor` key (refusing a whole batch for one unknown
 * field), decodes invalid UTF-8 into U+FFFD without a word, and accepts
 * nesting deep enough to crash re-serialization with a 500.
 */
export const jsonBodyPlugin = fp(
  (app, _options, done) => {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer' },
      (
        _request: FastifyRequest,
        body: Buffer,
        parsed: (err: Error | null, value?: unknown) => void,
      ) => {
        try {
          parsed(null, parseJsonBody(body));
        } catch (err) {
          parsed(err as Error);
        }
      },
    );
    done();
  },
  { name: 'json-body', fastify: '5.x' },
);
