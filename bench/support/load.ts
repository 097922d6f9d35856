import autocannon from 'autocannon';

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses and connection errors: any is a failed measurement. */
  failures: number;
}

/**
 * Drives `baseUrl` with autocannon from this process: `connections`
 * keep-alive connections, each request's path drawn by `nextPath`.
 */
export async function load(args: {
  baseUrl: string;
  nextPath: () => string;
  connections: number;
  durationS: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: args.baseUrl,
    connections: args.connections,
    duration: args.durationS,
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: args.nextPath() }) },
    ],
  });
  return {
    rps: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors,
  };
}
