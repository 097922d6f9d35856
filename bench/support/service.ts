import { startServer, type RunningServer } from './children';

/** Settings of this process that must not leak into the service under test. */
const FOREIGN = [
  'AMQP_URL',
  'API_TOKENS',
  'OPERATIONS_TOKENS',
  'RATE_LIMIT_PER_MINUTE',
  'ALLOW_UNAUTHENTICATED',
  'LOG_FORMAT',
];

/**
 * The service itself, `node --import tsx src/main.ts --role <role>`, in a
 * child process on a free loopback port; open API (loopback, no tokens), no
 * rate limit, LOG_LEVEL=warn (no per-request log lines), ready when /readyz
 * answers 200.
 */
export function startService(args: {
  role: 'api' | 'all';
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  return startServer({
    file: 'src/main.ts',
    args: ['--role', args.role],
    env: { DATABASE_URL: args.databaseUrl, LOG_LEVEL: 'warn', ...args.env },
    unset: FOREIGN,
    healthPath: '/readyz',
  });
}
