import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Knex } from 'knex';
import { projectStream, streamKeyOf, validateEvent, type ValidEvent } from '../../src/domain';
import type { BrokerOptions } from '../../src/broker/options';
import { RABBIT_URL } from '../support/broker';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface GeneratedEvent {
  up_id: string;
  medication_name: string;
  action: string;
  event_time: string;
}

/** Deterministic pseudo-random events over `streams` streams, all distinct. */
export function generateEvents(count: number, streams: number, seed = 1): GeneratedEvent[] {
  const actions = ['start', 'stop', 'start', 'stop', 'cancel_start', 'cancel_stop'];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const events: GeneratedEvent[] = [];
  for (let i = 0; i < count; i++) {
    const stream = i % streams;
    events.push({
      up_id: `e2e-p${stream % 97}`,
      medication_name: `Med${Math.floor(stream / 97)}`,
      action: actions[next() % actions.length]!,
      // Unique per event: the index is in the milliseconds.
      event_time: new Date(Date.UTC(2025, 0, 1) + (next() % 100_000) * 60_000 + i).toISOString(),
    });
  }
  return events;
}

export interface StoredPeriod {
  up_id: string;
  medication_name: string;
  start_time: number;
  end_time: number | null;
  status: string;
}

/** The one-shot projection of exactly these payloads (invalid ones ignored), in table form. */
export function expectedPeriods(payloads: readonly unknown[]): StoredPeriod[] {
  const byStream = new Map<string, ValidEvent[]>();
  for (const payload of payloads) {
    const result = validateEvent(payload);
    if (!result.ok) continue;
    const key = streamKeyOf(result.event);
    byStream.set(key, [...(byStream.get(key) ?? []), result.event]);
  }
  const rows: StoredPeriod[] = [];
  for (const events of byStream.values()) {
    const { upId, medicationName } = events[0]!;
    for (const p of projectStream(events).periods) {
      rows.push({
        up_id: upId,
        medication_name: medicationName,
        start_time: p.startTime,
        end_time: p.endTime,
        status: p.status,
      });
    }
  }
  return sortPeriods(rows);
}

function sortPeriods(rows: StoredPeriod[]): StoredPeriod[] {
  return rows.sort(
    (a, b) =>
      a.up_id.localeCompare(b.up_id) ||
      a.medication_name.localeCompare(b.medication_name) ||
      a.start_time - b.start_time,
  );
}

export async function storedPeriods(db: Knex): Promise<StoredPeriod[]> {
  const rows: StoredPeriod[] = await db('periods').select(
    'up_id',
    'medication_name',
    'start_time',
    'end_time',
    'status',
  );
  return sortPeriods(
    rows.map((r) => ({
      ...r,
      start_time: Number(r.start_time),
      end_time: r.end_time === null ? null : Number(r.end_time),
    })),
  );
}

export async function eventCount(db: Knex): Promise<number> {
  const [row] = await db('events').count({ n: '*' });
  return Number(row?.n ?? 0);
}

/** Runs the real service process (`src/main.ts`) in a given role against a test database and topology. */
export function spawnService(
  role: 'consumer' | 'api' | 'all',
  env: { databaseUrl: string; broker: BrokerOptions; extra?: Record<string, string> },
): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', role], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CI: '',
      DATABASE_URL: env.databaseUrl,
      AMQP_URL: RABBIT_URL,
      AMQP_EXCHANGE: env.broker.exchange,
      AMQP_QUEUE: env.broker.queue,
      AMQP_BATCH_WINDOW_MS: '20',
      LOG_LEVEL: 'warn',
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`[${role} ${child.pid}] ${chunk.toString()}`),
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (/"level":(40|50|60)/.test(text)) process.stderr.write(`[${role} ${child.pid}] ${text}`);
  });
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
