import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadbBackend, type TestDatabase } from '../../test/support/backends';
import { projectStreamDetailed, type DetailedProjection, type StreamKey } from '../domain';
import { applyProjectionChanges } from './applyProjectionChanges';

const NOTHING: DetailedProjection = { periods: [], anomalies: [], cancellations: [] };
const START = Date.UTC(2024, 0, 1);
const OTHER_STREAMS = 3_000;

const streamOf = (n: number): StreamKey => ({ upId: `patient-${n}`, medicationName: 'Acamol' });
const onePeriod = (stream: StreamKey) =>
  projectStreamDetailed([{ action: 'start', eventTime: START, dedupeKey: `k-${stream.upId}` }]);

/** Rows MariaDB read by scanning, on this connection (counts SHOW STATUS's own reads too). */
async function rowsScanned(trx: Knex.Transaction): Promise<number> {
  const [rows] = (await trx.raw("SHOW SESSION STATUS LIKE 'Handler_read_rnd_next'")) as [
    { Value: string }[],
  ];
  return Number(rows[0]?.Value);
}

/** What removing these streams' periods scanned, net of the status query's own reads. */
async function scannedWhileRemoving(db: Knex, streams: StreamKey[]): Promise<number> {
  return db.transaction(async (trx) => {
    const first = await rowsScanned(trx);
    const statusOnly = (await rowsScanned(trx)) - first;
    const before = await rowsScanned(trx);
    await applyProjectionChanges(
      trx,
      streams.map((stream) => ({ stream, before: onePeriod(stream), after: NOTHING })),
    );
    return (await rowsScanned(trx)) - before - statusOnly;
  });
}

// Query plans are MariaDB's; SQLite plans these deletes by the key anyway.
describe('removing periods on mariadb', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!mariadbBackend.available) return;
    t = await mariadbBackend.create();
    const streams = Array.from({ length: OTHER_STREAMS }, (_, n) => streamOf(n));
    await t.db.transaction((trx) =>
      applyProjectionChanges(
        trx,
        streams.map((stream) => ({ stream, before: NOTHING, after: onePeriod(stream) })),
      ),
    );
  });
  afterAll(async () => t?.destroy());

  const remaining = async (upIds: string[]) =>
    (await t.db('periods').whereIn('up_id', upIds).select('up_id')).map((r) => r.up_id as string);

  it.skipIf(!mariadbBackend.available)(
    'given thousands of periods, when one stream loses its only period, then it is found by its key, not by a scan',
    async () => {
      const scanned = await scannedWhileRemoving(t.db, [streamOf(7)]);
      expect(scanned).toBeLessThan(100);
      expect(await remaining(['patient-6', 'patient-7', 'patient-8'])).toEqual([
        'patient-6',
        'patient-8',
      ]);
    },
  );

  it.skipIf(!mariadbBackend.available)(
    'given thousands of periods, when several streams lose theirs in one write, then exactly those are gone',
    async () => {
      const scanned = await scannedWhileRemoving(t.db, [streamOf(20), streamOf(21), streamOf(40)]);
      expect(scanned).toBeLessThan(100);
      expect(await remaining(['patient-20', 'patient-21', 'patient-22', 'patient-40'])).toEqual([
        'patient-22',
      ]);
    },
  );
});
