import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, mariadbBackend, type TestDatabase } from '../../test/support/backends';
import { periodsTableRendered, storedListOf } from '../../test/support/periodLists';
import { rebuildProjections } from '../replay/rebuildProjections';
import { MAX_RENDERED_PERIODS } from './patientPeriodLists';
import { readPatientPeriodList, readPatientPeriodLists } from './periodListReads';
import { STREAMS_PER_STATEMENT } from './statementSizes';
import { ingest } from './writePath';

const BASE = Date.UTC(2025, 0, 1);
const at = (minute: number) => new Date(BASE + minute * 60_000).toISOString();

const event = (upId: string, medication: string, action: string, minute: number) => ({
  payload: { up_id: upId, medication_name: medication, action, event_time: at(minute) },
});

/** `count` start/stop pairs of one medication, a minute apart, from `fromMinute`. */
const periodsOf = (upId: string, medication: string, count: number, fromMinute = 0) =>
  Array.from({ length: count }, (_, i) => [
    event(upId, medication, 'start', fromMinute + 2 * i),
    event(upId, medication, 'stop', fromMinute + 2 * i + 1),
  ]).flat();

describe.each(backends)('pre-rendered period lists on $name', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (backend.available) t = await backend.create();
  });
  afterAll(async () => t?.destroy());

  const storedList = (upId: string) => storedListOf(t.db, upId);
  const fromTable = (upId: string) => periodsTableRendered(t.db, upId);

  it.skipIf(!backend.available)(
    'given writes to two medications in any order, then the stored list is the periods table rendered, in the API order',
    async () => {
      await ingest(t.db, [event('two-meds', 'Zinc', 'start', 5)], { source: 'http' });
      await ingest(t.db, [event('two-meds', 'Aspirin', 'start', 5)], { source: 'http' });
      await ingest(
        t.db,
        [
          event('two-meds', 'Zinc', 'stop', 9),
          event('two-meds', 'Aspirin', 'start', 1),
          event('two-meds', 'Aspirin', 'stop', 3),
        ],
        {
          source: 'amqp',
        },
      );
      const list = await storedList('two-meds');
      expect(list).toBe(await fromTable('two-meds'));
      expect(JSON.parse(list ?? 'null')).toEqual([
        { medication_name: 'Aspirin', start_time: at(1), end_time: at(3), status: 'completed' },
        { medication_name: 'Aspirin', start_time: at(5), end_time: null, status: 'active' },
        { medication_name: 'Zinc', start_time: at(5), end_time: at(9), status: 'completed' },
      ]);
    },
  );

  it.skipIf(!backend.available)(
    'given medication names a SQL string has to escape, when written and when rebuilt from nothing, then every list is the periods table rendered',
    async () => {
      const patients = {
        // One patient per character a statement could trip over: a quote or a
        // backslash sends the list as bytes; a question mark is no placeholder.
        'quote-name': [`O'Brien's drops`, 'Zinc'],
        'backslash-name': ['back\\slash "quoted"', 'Zinc'],
        'question-name': ['what?', 'Zinc'],
        // Nothing to escape, but not ASCII: goes into the statement as it is.
        'plain-names': ['Müller–Tropfen 💊', 'Zinc'],
      };
      const written = new Map<string, string | null | undefined>();
      for (const [upId, names] of Object.entries(patients)) {
        for (const [i, name] of names.entries())
          await ingest(t.db, periodsOf(upId, name, 2, 10 * i), { source: 'http' });
        written.set(upId, await storedList(upId));
        expect(written.get(upId)).toBe(await fromTable(upId));
        const listed = JSON.parse(written.get(upId) ?? '[]') as { medication_name: string }[];
        expect(listed.map((p) => p.medication_name)).toEqual(names.flatMap((n) => [n, n]));
      }

      // The replay's way for streams without stored rows: its own inserts and list writes.
      for (const upId of Object.keys(patients)) {
        for (const table of [
          'periods',
          'anomalies',
          'stream_cancellations',
          'patient_period_lists',
        ])
          await t.db(table).where({ up_id: upId }).delete();
        await rebuildProjections(t.db, { mode: 'rebuild', scope: { upId } });
        expect(await storedList(upId)).toBe(written.get(upId));
        const verify = await rebuildProjections(t.db, { mode: 'verify', scope: { upId } });
        expect(verify.differing).toEqual([]);
        expect(verify.staleLists).toEqual([]);
      }
    },
  );

  it.skipIf(!backend.available)(
    'given a stored list, when a write changes the patient, then the list is patched without reading the periods table, which only a patient without a list needs',
    async () => {
      await ingest(t.db, periodsOf('patched', 'Heparin', 2), { source: 'http' });
      await ingest(t.db, periodsOf('unlisted', 'Heparin', 2), { source: 'http' });
      await t.db('patient_period_lists').where({ up_id: 'unlisted' }).delete();
      const periodReads: string[] = [];
      const record = ({ sql }: { sql: string }) => {
        if (/^select .* from `periods`/i.test(sql)) periodReads.push(sql);
      };
      t.db.on('query', record);
      try {
        await ingest(t.db, [event('patched', 'Insulin', 'start', 1)], { source: 'http' });
        expect(periodReads).toEqual([]);
        await ingest(t.db, [event('unlisted', 'Insulin', 'start', 1)], { source: 'http' });
        expect(periodReads).toHaveLength(1);
      } finally {
        t.db.off('query', record);
      }
      for (const upId of ['patched', 'unlisted'])
        expect(await storedListOf(t.db, upId)).toBe(await fromTable(upId));
    },
  );

  it.skipIf(!backend.available)(
    'given a patient with no list (data from before the lists), then the read renders the periods table, and the next write stores it',
    async () => {
      await ingest(t.db, periodsOf('legacy', 'Heparin', 3), { source: 'http' });
      await t.db('patient_period_lists').where({ up_id: 'legacy' }).delete();
      expect(await readPatientPeriodList(t.db, 'legacy')).toBe(await fromTable('legacy'));
      await ingest(t.db, [event('legacy', 'Insulin', 'start', 100)], { source: 'http' });
      expect(await storedList('legacy')).toBe(await fromTable('legacy'));
      expect(JSON.parse((await storedList('legacy')) ?? '[]')).toHaveLength(4);
    },
  );

  it.skipIf(!backend.available)(
    'given patients with a list, without one, marked too long and unknown, then the read of many answers each as the read of one does',
    async () => {
      for (const upId of ['many-a', 'many-b', 'many-c'])
        await ingest(t.db, periodsOf(upId, 'Heparin', 2), { source: 'http' });
      await t.db('patient_period_lists').where({ up_id: 'many-b' }).delete();
      await t.db('patient_period_lists').where({ up_id: 'many-c' }).update({ periods_json: null });
      // More patients than one statement takes, so that the read is chunked.
      const filler = Array.from({ length: STREAMS_PER_STATEMENT + 3 }, (_, i) => ({
        up_id: `many-filler-${i}`,
        periods_json: `[${i}]`,
      }));
      for (const part of [filler.slice(0, 100), filler.slice(100)])
        await t.db('patient_period_lists').insert(part);
      const asked = [
        'many-a',
        'many-b',
        'many-c',
        'nobody',
        'many-a',
        ...filler.map((f) => f.up_id),
      ];

      try {
        const lists = await readPatientPeriodLists(t.db, asked);

        expect([...lists.keys()].sort()).toEqual([...new Set(asked)].sort());
        for (const upId of asked)
          expect(lists.get(upId)).toBe(await readPatientPeriodList(t.db, upId));
        for (const upId of ['many-a', 'many-b', 'many-c'])
          expect(lists.get(upId)).toBe(await fromTable(upId));
        expect(lists.get('nobody')).toBe('[]');
        expect(lists.get(`many-filler-${STREAMS_PER_STATEMENT + 2}`)).toBe(
          `[${STREAMS_PER_STATEMENT + 2}]`,
        );
      } finally {
        // Lists without events: left behind, the replay tests below would find them orphaned.
        await t.db('patient_period_lists').where('up_id', 'like', 'many-filler-%').delete();
      }
    },
  );

  it.skipIf(!backend.available)(
    'given lists emptied or tampered with, when the replay rebuilds, then every list is the periods table rendered again',
    async () => {
      await ingest(t.db, periodsOf('replayed-1', 'Heparin', 2), { source: 'http' });
      await ingest(t.db, periodsOf('replayed-2', 'Heparin', 2), { source: 'http' });
      await t.db('patient_period_lists').where({ up_id: 'replayed-1' }).delete();
      await t
        .db('patient_period_lists')
        .where({ up_id: 'replayed-2' })
        .update({ periods_json: '[]' });
      const verify = await rebuildProjections(t.db, { mode: 'verify' });
      // A missing list is answered from the periods table: not stale, only slower.
      expect(verify.staleLists).toEqual(['replayed-2']);
      await rebuildProjections(t.db, { mode: 'rebuild' });
      expect((await rebuildProjections(t.db, { mode: 'verify' })).staleLists).toEqual([]);
      for (const upId of ['replayed-1', 'replayed-2', 'two-meds', 'legacy']) {
        expect(await storedList(upId)).toBe(await fromTable(upId));
      }
    },
  );

  it.skipIf(!backend.available)(
    'given a list whose patient has no event in the log (erased), then verify reports it and a rebuild removes it',
    async () => {
      await t.db('patient_period_lists').insert({ up_id: 'erased', periods_json: '[]' });
      expect((await rebuildProjections(t.db, { mode: 'verify' })).staleLists).toEqual(['erased']);
      await rebuildProjections(t.db, { mode: 'rebuild', scope: { upId: 'two-meds' } });
      expect(await storedList('erased')).toBe('[]');
      await rebuildProjections(t.db, { mode: 'rebuild' });
      expect(await storedList('erased')).toBeUndefined();
      expect((await rebuildProjections(t.db, { mode: 'verify' })).staleLists).toEqual([]);
    },
  );

  it.skipIf(!backend.available)(
    `given a patient past ${MAX_RENDERED_PERIODS} periods, then the list is marked and reads render the periods table; a replay recounts it`,
    async () => {
      // In calls of 500 events, as a consumer's batches would bring them.
      for (let from = 0; from < MAX_RENDERED_PERIODS; from += 250)
        await ingest(t.db, periodsOf('long', 'Heparin', 250, 2 * from), { source: 'http' });
      expect(JSON.parse((await storedList('long')) ?? '[]')).toHaveLength(MAX_RENDERED_PERIODS);
      await ingest(t.db, periodsOf('long', 'Heparin', 1, 5_000), { source: 'http' });
      expect(await storedList('long')).toBeNull();
      expect(JSON.parse(await readPatientPeriodList(t.db, 'long'))).toHaveLength(
        MAX_RENDERED_PERIODS + 1,
      );
      // A cancel brings it back under the limit; the mark stays until a replay.
      await ingest(t.db, [event('long', 'Heparin', 'cancel_start', 5_000)], { source: 'http' });
      expect(await storedList('long')).toBeNull();
      expect(await readPatientPeriodList(t.db, 'long')).toBe(await fromTable('long'));
      await rebuildProjections(t.db, { mode: 'rebuild', scope: { upId: 'long' } });
      expect(await storedList('long')).toBe(await fromTable('long'));
    },
  );
});

// Row locks are MariaDB's: SQLite has one writer at a time.
describe('pre-rendered period lists under concurrent writers on mariadb', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (mariadbBackend.available) t = await mariadbBackend.create();
  });
  afterAll(async () => t?.destroy());

  const storedList = (upId: string) => storedListOf(t.db, upId);
  const fromTable = (upId: string) => periodsTableRendered(t.db, upId);

  it.skipIf(!mariadbBackend.available)(
    'given concurrent writers of two medications of one patient, then the list holds both writers’ periods',
    async () => {
      await ingest(t.db, [event('together', 'A', 'start', 0), event('together', 'B', 'start', 0)], {
        source: 'http',
      });
      for (let round = 1; round <= 30; round++) {
        await Promise.all(
          ['A', 'B'].map((medication) =>
            ingest(
              t.db,
              [
                event('together', medication, 'stop', 10 * round - 5),
                event('together', medication, 'start', 10 * round),
              ],
              { source: 'amqp' },
            ),
          ),
        );
        expect(await storedList('together')).toBe(await fromTable('together'));
      }
      expect(JSON.parse((await storedList('together')) ?? '[]')).toHaveLength(62);
    },
  );
});
