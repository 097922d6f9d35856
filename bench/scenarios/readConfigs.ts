import { ConfigSchema } from '../../src/config';
import { num } from '../report/format';
import { startServer, type RunningServer } from '../support/children';
import type { ReadLog } from '../support/readLog';
import { startService } from '../support/service';

export type ConfigName =
  | 'hello'
  | 'pk'
  | 'service'
  | 'serviceHeavy'
  | 'serviceCached'
  | 'serviceCachedHot'
  | 'recompute'
  | 'recomputeHeavy';

export interface LoadConfig {
  name: ConfigName;
  label: string;
  server: 'hello' | 'pk' | 'service' | 'serviceCached' | 'recompute';
  nextPath: () => string;
}

export const DEFAULT_TTL_S = Number(ConfigSchema.properties.READ_CACHE_TTL_MS.default) / 1000;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Patients being viewed right now, e.g. on ward screens: a fixed set, read over and over. */
export const HOT_PATIENTS = 1_000;

/** Every n-th patient, so the hot set has the same mix of light and heavy patients as all. */
export function hotSet<T>(all: readonly T[], size: number): T[] {
  const step = Math.max(1, Math.floor(all.length / size));
  return all.filter((_, i) => i % step === 0).slice(0, size);
}

export function configs(log: ReadLog, maxSeq: number): LoadConfig[] {
  const everyone = [...log.patients, ...log.heavyPatients];
  const hot = hotSet(everyone, HOT_PATIENTS);
  const periods = (ids: readonly string[]) => () =>
    `/api/v1/medication_periods/${encodeURIComponent(pick(ids))}`;
  return [
    {
      name: 'hello',
      label: 'baseline: Fastify hello world',
      server: 'hello',
      nextPath: () => '/hello',
    },
    {
      name: 'pk',
      label: 'baseline: one primary-key SELECT (events by seq)',
      server: 'pk',
      nextPath: () => `/pk/${1 + Math.floor(Math.random() * maxSeq)}`,
    },
    {
      name: 'service',
      label: 'service, read cache off: materialized periods, any patient',
      server: 'service',
      nextPath: periods(everyone),
    },
    {
      name: 'serviceHeavy',
      label: `service, read cache off: patients with ${log.heavyEventsPerPatient} events`,
      server: 'service',
      nextPath: periods(log.heavyPatients),
    },
    {
      name: 'serviceCached',
      label: 'service, read cache on (defaults): any patient',
      server: 'serviceCached',
      nextPath: periods(everyone),
    },
    {
      name: 'serviceCachedHot',
      label: `service, read cache on (defaults): ${num(hot.length)} patients being viewed`,
      server: 'serviceCached',
      nextPath: periods(hot),
    },
    {
      name: 'recompute',
      label: 'recompute-on-read, any patient',
      server: 'recompute',
      nextPath: periods(everyone),
    },
    {
      name: 'recomputeHeavy',
      label: `recompute-on-read, patients with ${log.heavyEventsPerPatient} events`,
      server: 'recompute',
      nextPath: periods(log.heavyPatients),
    },
  ];
}

export async function startServers(
  log: ReadLog,
): Promise<Record<LoadConfig['server'], RunningServer>> {
  const env = { DATABASE_URL: log.database.url };
  const hello = await startServer({
    file: 'bench/baselines/helloServer.ts',
    env,
    healthPath: '/hello',
  });
  const pk = await startServer({
    file: 'bench/baselines/pkSelectServer.ts',
    env,
    healthPath: '/healthz',
  });
  const recompute = await startServer({
    file: 'bench/baselines/recomputeServer.ts',
    env,
    healthPath: '/healthz',
  });
  const service = await startService({
    role: 'api',
    databaseUrl: log.database.url,
    env: { READ_CACHE_TTL_MS: '0' },
  });
  const serviceCached = await startService({ role: 'api', databaseUrl: log.database.url });
  return { hello, pk, recompute, service, serviceCached };
}
