import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { isoTime } from '../src/domain';
import { listPeriods } from '../src/store/periodsRepository';
import { WORKED_EXAMPLE } from '../test/support/deviceSample';
import { describeEachBackend } from '../test/support/testApp';
import type { TestDatabase } from '../test/support/backends';
import { seedSource } from '.';

describeEachBackend('the knex seed source', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create();
  });
  afterAll(() => database.destroy());

  const periodsOf = async (upId: string) =>
    (await listPeriods(database.db, upId, {})).map((p) => [
      p.medicationName,
      isoTime(p.startTime),
      p.endTime === null ? null : isoTime(p.endTime),
      p.status,
    ]);

  it('given an empty database, when seeded through the knex API, then every patient has the worked example, and a second run changes nothing', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await database.db.seed.run({ seedSource });
      expect(log).toHaveBeenLastCalledWith('device sample: 17 accepted, 0 duplicates, 7 rejected');
      for (const [upId, expected] of Object.entries(WORKED_EXAMPLE)) {
        expect(await periodsOf(upId), upId).toEqual(expected);
      }

      await database.db.seed.run({ seedSource });
      expect(log).toHaveBeenLastCalledWith('device sample: 0 accepted, 17 duplicates, 7 rejected');
      expect(await periodsOf('avi123')).toEqual(WORKED_EXAMPLE.avi123);
    } finally {
      log.mockRestore();
    }
  });
});
