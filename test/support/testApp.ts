import type { FastifyBaseLogger, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { describe } from 'vitest';
import { backends, type Backend, type TestDatabase } from './backends';
export { loadDeviceSample } from './deviceSample';
import { buildApp, type App, type BuildAppOptions } from '../../src/http/app';

export const TEST_CONFIG = { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 1_048_576 } as const;

export interface TestApp {
  app: App;
  database: TestDatabase;
  close(): Promise<void>;
}

/** An app on a fresh, migrated database of the given backend. */
export async function startTestApp(
  backend: Backend,
  options: Omit<Partial<BuildAppOptions>, 'db'> = {},
): Promise<TestApp> {
  const database = await backend.create();
  const app = buildApp({ config: TEST_CONFIG, ...options, db: database.db });
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}

/** Runs the suite once per database backend; an unavailable one is skipped, visibly. */
export function describeEachBackend(title: string, suite: (backend: Backend) => void): void {
  for (const backend of backends) {
    describe.skipIf(!backend.available)(`${title} [${backend.name}]`, () => suite(backend));
  }
}

export function postEvents(app: App, body: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/events', payload: body as object });
}

/** Waits until Date.now() has moved on, so that received_at values differ. */
export async function nextMillisecond(): Promise<number> {
  const start = Date.now();
  while (Date.now() <= start + 1) await new Promise((resolve) => setTimeout(resolve, 2));
  return Date.now();
}

export interface CapturedLogs {
  logger: FastifyBaseLogger;
  /** Every line logged so far, parsed. */
  lines(): Array<Record<string, unknown>>;
}

/** A pino logger writing into memory, to assert what reaches the logs. */
export function captureLogs(level = 'info'): CapturedLogs {
  const raw: string[] = [];
  const stream = { write: (line: string) => void raw.push(line) };
  return {
    logger: pino({ level }, stream),
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
