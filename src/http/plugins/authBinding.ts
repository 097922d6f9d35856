import net from 'node:net';
import type { Config } from '../../config';
import { parseTokenList } from './authTokens';

/** Whether HOST only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

export type SecurityConfig = Pick<
  Config,
  'HOST' | 'API_TOKENS' | 'OPERATIONS_TOKENS' | 'ALLOW_UNAUTHENTICATED'
>;

export interface AuthSettings {
  apiTokens: string[];
  operationsTokens: string[];
  /** Set when the API listens beyond loopback without tokens because an operator said so. */
  warning: string | null;
}

/**
 * The secure default, checked before the server listens: without API tokens
 * the API is open, so it may only listen on loopback. Binding anywhere else
 * needs tokens, or an explicit ALLOW_UNAUTHENTICATED=true for deployments
 * where something in front (a gateway, a sidecar) authenticates.
 */
export function resolveAuthSettings(config: SecurityConfig): AuthSettings {
  const apiTokens = parseTokenList('API_TOKENS', config.API_TOKENS);
  const operationsTokens = parseTokenList('OPERATIONS_TOKENS', config.OPERATIONS_TOKENS);
  if (apiTokens.length > 0 || isLoopbackHost(config.HOST)) {
    return { apiTokens, operationsTokens, warning: null };
  }
  if (!config.ALLOW_UNAUTHENTICATED) {
    throw new Error(
      `refusing to listen on HOST=${config.HOST} without authentication: the API serves ` +
        'clinical data. Set API_TOKENS (comma-separated bearer tokens), or listen on ' +
        '127.0.0.1, or set ALLOW_UNAUTHENTICATED=true if something in front authenticates.',
    );
  }
  return {
    apiTokens,
    operationsTokens,
    warning: `the API listens on ${config.HOST} WITHOUT authentication (ALLOW_UNAUTHENTICATED=true)`,
  };
}
