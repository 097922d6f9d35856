import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../test/support/backends';
import { loadDeviceSample } from '../../test/support/deviceSample';
import { filterPeriods } from '../domain';
import { listPeriods } from './periodsRepository';
import { ingest } from './writePath';

// The read cache filters a patient's whole list in memory; it must agree with the SQL exactly.
describe.each(backends)('period filters in SQL and in memory on $name', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!backend.available) return;
    t = await backend.create();
    await ingest(
      t.db,
      loadDeviceSample().map((payload) => ({ payload })),
      { source: 'http' },
    );
  });
  afterAll(async () => t?.destroy());

  it.skipIf(!backend.available)(
    'given any filter, when applied by listPeriods and by filterPeriods, then both keep the same periods',
    async () => {
      const everything = await listPeriods(t.db, 'avi123', {});
      const base = Date.parse('2021-03-24T18:00:00Z');
      const instant = fc.integer({ min: 0, max: 20 * 3600 }).map((s) => base + s * 1000);
      const filter = fc.record(
        {
          medication: fc.constantFrom('Acamol', 'Propecia', 'Multivitamin', 'Zinc', 'acamol'),
          status: fc.constantFrom('active' as const, 'completed' as const),
          from: instant,
          to: instant,
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(filter, async (f) => {
          expect(filterPeriods(everything, f)).toEqual(await listPeriods(t.db, 'avi123', f));
        }),
        { seed: 11, numRuns: backend.name === 'sqlite' ? 200 : 60 },
      );
    },
  );
});
