import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * RFC 6750's token68 syntax: what a client can put after `Bearer ` without
 * quoting. A comma can never be part of one, so the variables split on it.
 */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Shorter tokens could be guessed; 16 characters of base64 are 96 bits. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Parses a comma-separated token list (API_TOKENS, OPERATIONS_TOKENS). Several
 * tokens let an operator rotate: add the new one, move the clients, drop the
 * old one. Errors name the variable and the position, never the token itself.
 */
export function parseTokenList(variable: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  const tokens = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  tokens.forEach((token, i) => {
    if (!TOKEN68.test(token)) {
      throw new Error(
        `${variable}: token #${i + 1} may only hold A-Z a-z 0-9 - . _ ~ + / (and trailing =)`,
      );
    }
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new Error(
        `${variable}: token #${i + 1} is shorter than ${MIN_TOKEN_LENGTH} characters; ` +
          'generate one with: openssl rand -base64 32',
      );
    }
  });
  return tokens;
}

/** SHA-256 makes every value 32 bytes, which timingSafeEqual needs, and hides the length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** A set of accepted tokens, compared in constant time. */
export interface TokenSet {
  readonly size: number;
  /** Whether `presented` is one of the tokens. */
  matches(presented: string): boolean;
  /** A short, stable, non-reversible label of the matching token (e.g. a rate-limit key). */
  labelOf(presented: string): string | null;
}

export function tokenSet(tokens: readonly string[]): TokenSet {
  const digests = tokens.map(digest);
  const indexOf = (presented: string): number => {
    const candidate = digest(presented);
    let found = -1;
    // No early exit: the time taken does not tell which token (or how many) matched.
    digests.forEach((d, i) => {
      if (timingSafeEqual(d, candidate) && found === -1) found = i;
    });
    return found;
  };
  return {
    size: digests.length,
    matches: (presented) => indexOf(presented) !== -1,
    labelOf: (presented) => {
      const i = indexOf(presented);
      return i === -1 ? null : digests[i]!.subarray(0, 6).toString('hex');
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header; null when absent or malformed. */
export function bearerTokenOf(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match ? match[1]! : null;
}
