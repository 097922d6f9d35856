import { Command } from 'commander';
import { positiveInteger } from '../src/cli/positiveInteger';
import { loadConfig } from '../src/config';
import { createDb, migrateLatest } from '../src/store/db';
import { ingest } from '../src/store/writePath';
import { createProgress } from '../src/cli/progress';

/**
 * Fills DATABASE_URL's log with generated device events through the real
 * write path: `--events` over `--streams` patient/medication streams, mostly
 * in order per stream, a share late and a share duplicated.
 */
export interface GeneratedEvent {
  up_id: string;
  medication_name: string;
  action: 'start' | 'stop' | 'cancel_start' | 'cancel_stop';
  event_time: string;
}

export function* generateDeviceEvents(options: {
  events: number;
  streams: number;
  lateShare?: number;
  duplicateShare?: number;
  seed?: number;
  /** Epoch ms of the first event of every stream. */
  firstDay?: number;
  /** up_id is this prefix and a number; another prefix, other patients. */
  patientPrefix?: string;
}): Generator<GeneratedEvent> {
  let state = options.seed ?? 1;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const perStream = new Array<number>(options.streams).fill(0);
  const recent: GeneratedEvent[] = [];
  const base = options.firstDay ?? Date.UTC(2024, 0, 1);
  for (let i = 0; i < options.events; i++) {
    if (recent.length > 0 && random() < (options.duplicateShare ?? 0)) {
      yield recent[Math.floor(random() * recent.length)]!;
      continue;
    }
    const stream = i % options.streams;
    const n = perStream[stream]!++;
    const late = random() < (options.lateShare ?? 0) && n > 2;
    // In order: one event every ten minutes per stream; late: somewhere in the stream's past.
    const slot = late ? Math.floor(random() * n) : n;
    const action = late
      ? (['start', 'stop', 'cancel_start', 'cancel_stop'] as const)[Math.floor(random() * 4)]!
      : n % 2 === 0
        ? 'start'
        : 'stop';
    const event: GeneratedEvent = {
      up_id: `${options.patientPrefix ?? 'patient-'}${stream % Math.max(1, Math.floor(options.streams / 2))}`,
      medication_name: `med-${Math.floor(stream / Math.max(1, Math.floor(options.streams / 2)))}`,
      action,
      event_time: new Date(
        base + slot * 600_000 + (late ? 1 + Math.floor(random() * 1000) : 0),
      ).toISOString(),
    };
    recent.push(event);
    if (recent.length > 1000) recent.shift();
    yield event;
  }
}

async function main(): Promise<void> {
  const args = new Command('generate-log')
    .option('--events <n>', 'events to generate', positiveInteger, 200_000)
    .option('--streams <n>', 'patient/medication streams', positiveInteger, 20_000)
    .option('--batch <n>', 'events per write transaction', positiveInteger, 1000)
    .option('--late <share>', 'share of late events', Number, 0.05)
    .option('--duplicates <share>', 'share of duplicates', Number, 0.02)
    .option('--seed <n>', 'random seed (another seed, other events)', positiveInteger, 1)
    .option('--first-day <iso>', 'UTC day the streams start on', '2024-01-01')
    .parse(process.argv)
    .opts<{
      events: number;
      streams: number;
      batch: number;
      late: number;
      duplicates: number;
      seed: number;
      firstDay: string;
    }>();
  const db = createDb(loadConfig().DATABASE_URL);
  await migrateLatest(db);
  const progress = createProgress({ total: args.events, unit: 'events' });
  const started = performance.now();
  let batch: GeneratedEvent[] = [];
  let done = 0;
  const flush = async () => {
    await ingest(
      db,
      batch.map((payload) => ({ payload })),
      { source: 'http' },
    );
    done += batch.length;
    batch = [];
    progress.update(done, '');
  };
  const generator = generateDeviceEvents({
    ...args,
    lateShare: args.late,
    duplicateShare: args.duplicates,
    firstDay: Date.parse(args.firstDay),
  });
  for (const event of generator) {
    batch.push(event);
    if (batch.length >= args.batch) await flush();
  }
  if (batch.length > 0) await flush();
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `wrote ${done} events in ${seconds.toFixed(1)} s (${Math.round(done / seconds)} events/s)`,
  );
  await db.destroy();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
