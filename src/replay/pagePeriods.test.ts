import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, mariadbBackend, type TestDatabase } from '../../test/support/backends';
import { periodsTableRendered, storedListOf } from '../../test/support/periodLists';
import { findStaleLists } from '../store/patientPeriodLists';
import { ingest } from '../store/writePath';
import { rebuildProjections } from './rebuildProjections';

// Names whose UTF-16 order (emoji first: a surrogate is below U+FF5E) is not
// the byte order of their UTF-8, which the API and the binary collation use.
const MEDICATIONS = ['Zinc', '\uFF5Etilde', '\u{1F600}smile'];
const PATIENTS = ['p1', 'p2', 'p3', 'p4'];
const READ_MODEL = [
  'periods',
  'anomalies',
  'stream_cancellations',
  'streams',
  'patient_period_lists',
];

const event = (upId: string, medication: string, action: string, time: string) => ({
  payload: { up_id: upId, medication_name: medication, action, event_time: time },
});

/** Patient i has 1 + i % 3 medications, all started at the same instant: only the name orders them. */
function events() {
  return PATIENTS.flatMap((upId, i) =>
    MEDICATIONS.slice(0, 1 + (i % 3)).flatMap((medication, j) => [
      event(upId, medication, 'start', '2024-01-01T08:00:00Z'),
      ...(j === 1 ? [] : [event(upId, medication, 'stop', `2024-01-0${2 + j}T08:00:00Z`)]),
    ]),
  );
}

const namesIn = (list: string | null | undefined) =>
  (JSON.parse(list ?? 'null') as { medication_name: string }[]).map((p) => p.medication_name);

describe.each(backends)("a rebuild's period lists on $name", (backend) => {
  let t: TestDatabase;
  beforeEach(async (context) => {
    if (!backend.available) return context.skip();
    t = await backend.create();
    await ingest(t.db, events(), { source: 'http' });
  });
  afterEach(async () => t?.destroy());

  it.each([1, 2, 500])(
    'given pages of %i streams and an empty read model, when rebuilt, then every list is its periods rendered, in byte order of the names',
    async (pageSize) => {
      for (const table of READ_MODEL) await t.db(table).delete();
      await rebuildProjections(t.db, { mode: 'rebuild', pageSize });
      for (const upId of PATIENTS) {
        expect(await storedListOf(t.db, upId)).toBe(await periodsTableRendered(t.db, upId));
      }
      expect(namesIn(await storedListOf(t.db, 'p3'))).toEqual(MEDICATIONS);
      expect(await findStaleLists(t.db, PATIENTS)).toEqual([]);
    },
  );

  it("given a rebuild narrowed to one of a patient's medications, when it renders the patient's list, then the other medications stay in it", async () => {
    await t.db('patient_period_lists').where('up_id', 'p2').update({ periods_json: '[]' });
    await rebuildProjections(t.db, {
      mode: 'rebuild',
      scope: { upId: 'p2', medicationName: 'Zinc' },
    });
    expect(namesIn(await storedListOf(t.db, 'p2'))).toEqual(['Zinc', '\uFF5Etilde']);
    expect(await storedListOf(t.db, 'p2')).toBe(await periodsTableRendered(t.db, 'p2'));
  });
});

// Row locks are MariaDB's: SQLite has one writer at a time.
describe('a rebuild beside writers that give its patients new medications, on mariadb', () => {
  let t: TestDatabase;
  beforeEach(async (context) => {
    if (!mariadbBackend.available) return context.skip();
    t = await mariadbBackend.create();
  });
  afterEach(async () => t?.destroy());

  it('given rebuilds and writers running together, when both are done, then every list is its periods rendered', async () => {
    const patients = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    await ingest(
      t.db,
      patients.map((upId) => event(upId, 'A', 'start', '2024-01-01T08:00:00Z')),
      { source: 'http' },
    );
    const rebuilds = (async () => {
      for (let round = 0; round < 4; round++)
        await rebuildProjections(t.db, { mode: 'rebuild', pageSize: 7 });
    })();
    const writers = patients.map((upId, i) =>
      ingest(t.db, [event(upId, `M${i % 5}`, 'start', '2024-01-01T09:00:00Z')], { source: 'http' }),
    );
    await Promise.all([rebuilds, ...writers]);
    for (const upId of patients) {
      expect(namesIn(await storedListOf(t.db, upId))).toHaveLength(2);
      expect(await storedListOf(t.db, upId)).toBe(await periodsTableRendered(t.db, upId));
    }
  });
});
