import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../test/support/backends';
import { ACTIONS, projectStream, validateEvent, type Action } from '../domain';
import { rebuildProjections } from '../replay/rebuildProjections';
import { listAnomalies } from './anomaliesRepository';
import { renderPeriodList } from '../periodLists/periodListJson';
import { comparePeriodRows } from '../domain';
import { listPeriods } from './periodsRepository';
import type { PeriodRow } from './types';
import { ingest } from './writePath';

interface RawEvent {
  up_id: string;
  medication_name: string;
  action: Action;
  event_time: string;
  event_id?: string;
}

const BASE = Date.UTC(2024, 0, 1);

// Two streams of one patient, named so that byte order and UTF-16 order
// differ: the patient's list interleaves their periods in byte order.
const MEDICATIONS = ['Drug', 'Ärzte-Mix'] as const;

// Few instants, so that many events share one and the key tie-break matters.
const rawEvent = fc.record({
  medication: fc.constantFrom(...MEDICATIONS),
  action: fc.constantFrom(...ACTIONS),
  minute: fc.integer({ min: 0, max: 25 }),
  id: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
});

const deliveries = fc.array(rawEvent, { minLength: 1, maxLength: 60 }).chain((events) =>
  fc.tuple(
    fc.constant(events),
    // A batch number for each event, and the order the batches arrive in.
    fc.array(fc.integer({ min: 0, max: 7 }), {
      minLength: events.length,
      maxLength: events.length,
    }),
    fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 }),
  ),
);

// Both ways a write re-projects a stream: from its earliest new event (long
// streams), and as a whole with only the changed rows written (short ones).
const MODES = [
  { mode: 'from the earliest new event', incrementalFromEvents: 0 },
  { mode: 'whole, writing only what changed', incrementalFromEvents: Number.MAX_SAFE_INTEGER },
  // Streams cross from the whole replay to the incremental path mid-way.
  { mode: 'whole while short, then from the earliest new event', incrementalFromEvents: 12 },
];

describe.each(
  backends.flatMap((backend) => MODES.map((m) => ({ ...m, backend, name: backend.name }))),
)('re-projection $mode on $name', ({ backend, incrementalFromEvents, mode }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (backend.available) t = await backend.create();
  });
  afterAll(async () => t?.destroy());

  it.skipIf(!backend.available)(
    `given events of two streams arriving in any batches and order, when each batch is projected ${mode}, then the result is exactly the whole replay`,
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(deliveries, async ([events, batchOf, arrival]) => {
          run += 1;
          const patient = { up_id: `inc-${incrementalFromEvents}-${run}` };
          const raw: RawEvent[] = events.map((e, i) => ({
            ...patient,
            medication_name: e.medication,
            action: e.action,
            event_time: new Date(BASE + e.minute * 60_000).toISOString(),
            ...(e.id !== undefined ? { event_id: `ev-${run}-${e.id}-${i}` } : {}),
          }));
          for (const batch of arrival) {
            const items = raw
              .filter((_, i) => batchOf[i] === batch)
              .map((payload) => ({ payload }));
            if (items.length > 0)
              await ingest(t.db, items, { source: 'http', incrementalFromEvents });
          }
          // The reference: the whole replay of each stream, as the read side shows it.
          const expected = wholeReplay(raw);
          const stored = await listPeriods(t.db, patient.up_id, {});
          expect(stored).toEqual(expected.periods);
          // The patient's pre-rendered list (patched by each write) is exactly those periods.
          const [list] = await t
            .db('patient_period_lists')
            .where(patient)
            .select<{ periods_json: string | null }[]>('periods_json');
          expect(list?.periods_json).toBe(renderPeriodList(expected.periods));
          const anomalies = await listAnomalies(t.db, patient.up_id);
          expect(anomalies.map((a) => [a.medicationName, a.code, a.eventKey])).toEqual(
            expected.anomalies,
          );
          const verify = await rebuildProjections(t.db, {
            mode: 'verify',
            scope: { upId: patient.up_id },
          });
          expect(verify.differing).toEqual([]);
          expect(verify.staleLists).toEqual([]);
          // Once a stream is long enough for the incremental path, its recorded count is exact.
          for (const medication_name of MEDICATIONS) {
            const stream = { ...patient, medication_name };
            const [row] = await t
              .db('streams')
              .where(stream)
              .select<{ event_count: number | string }[]>('event_count');
            const logged = await t.db('events').where(stream).count({ n: '*' });
            const count = Number(logged[0]?.n);
            if (count === 0) expect(row).toBeUndefined();
            else if (count >= incrementalFromEvents) expect(Number(row?.event_count)).toBe(count);
            else expect(Number(row?.event_count)).toBeLessThan(incrementalFromEvents);
          }
        }),
        {
          seed: Number(process.env.PROPERTY_SEED ?? 20261126),
          numRuns: Number(process.env.PROPERTY_RUNS ?? (backend.name === 'sqlite' ? 150 : 40)),
        },
      );
    },
  );
});

/**
 * projectStream over each stream's validated events, independent of how they
 * arrived: the patient's periods in the API's order, and its anomalies by
 * medication name (byte order), then in stream order.
 */
function wholeReplay(raw: RawEvent[]) {
  const valid = raw.map((r) => validateEvent(r)).flatMap((v) => (v.ok ? [v.event] : []));
  const byteOrder = [...MEDICATIONS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const periods: PeriodRow[] = [];
  const anomalies: [string, string, string][] = [];
  for (const medicationName of byteOrder) {
    const projection = projectStream(valid.filter((e) => e.medicationName === medicationName));
    for (const p of projection.periods)
      periods.push({
        upId: valid[0]?.upId ?? '',
        medicationName,
        startTime: p.startTime,
        endTime: p.endTime,
        status: p.status,
      });
    for (const a of projection.anomalies) anomalies.push([medicationName, a.code, a.eventKey]);
  }
  return { periods: periods.sort(comparePeriodRows), anomalies };
}
