import { generateDeviceEvents, type GeneratedEvent } from '../generateLog';
import type { Sizes } from '../sizes';
import { createBenchDatabase, type BenchDatabase } from './database';
import { eventLogRow, type EventLogRow } from './eventRows';

const ROWS_PER_INSERT = 1_000;
const INSERTS_IN_FLIGHT = 2;

/** The large log the read and replay scenarios share. */
export interface ReadLog {
  database: BenchDatabase;
  events: number;
  /** Patients with few events, and with `heavyEventsPerPatient` each. */
  patients: string[];
  heavyPatients: string[];
  heavyEventsPerPatient: number;
  seedMs: number;
}

function* logEvents(size: Sizes['readLog']): Generator<GeneratedEvent> {
  const heavyEvents = size.heavyPatients * size.heavyEventsPerPatient;
  const light = size.patients - size.heavyPatients;
  // Two medications per patient (generateDeviceEvents pairs streams into patients).
  yield* generateDeviceEvents({
    events: size.events - heavyEvents,
    streams: 2 * light,
    lateShare: 0.05,
    seed: 7,
  });
  yield* generateDeviceEvents({
    events: heavyEvents,
    streams: 2 * size.heavyPatients,
    lateShare: 0.05,
    seed: 11,
    patientPrefix: 'heavy-',
  });
}

/**
 * Creates a database and fills its event log directly with knex batched
 * INSERTs of rows shaped exactly as the write path's (dedupe key, received_at,
 * source 'http', raw payload). The read model stays empty: a rebuild fills it.
 */
export async function seedReadLog(adminUrl: string, size: Sizes['readLog']): Promise<ReadLog> {
  const database = await createBenchDatabase(adminUrl, 'reads');
  try {
    return await fill(database, size);
  } catch (err) {
    await database.drop();
    throw err;
  }
}

async function fill(database: BenchDatabase, size: Sizes['readLog']): Promise<ReadLog> {
  const started = performance.now();
  const receivedAt = Date.now();
  const inFlight = new Set<Promise<void>>();
  const insert = (rows: EventLogRow[]) => {
    const p: Promise<void> = database
      .db('events')
      .insert(rows)
      .onConflict('dedupe_key')
      .ignore()
      .then(() => {
        inFlight.delete(p);
      });
    inFlight.add(p);
  };
  let batch: EventLogRow[] = [];
  for (const event of logEvents(size)) {
    batch.push(eventLogRow(event, receivedAt));
    if (batch.length < ROWS_PER_INSERT) continue;
    insert(batch);
    batch = [];
    if (inFlight.size >= INSERTS_IN_FLIGHT) await Promise.race(inFlight);
  }
  if (batch.length > 0) insert(batch);
  await Promise.all(inFlight);
  const [count] = await database.db('events').count({ n: '*' });
  const light = size.patients - size.heavyPatients;
  return {
    database,
    events: Number(count?.n ?? 0),
    patients: Array.from({ length: light }, (_, i) => `patient-${i}`),
    heavyPatients: Array.from({ length: size.heavyPatients }, (_, i) => `heavy-${i}`),
    heavyEventsPerPatient: size.heavyEventsPerPatient,
    seedMs: performance.now() - started,
  };
}
