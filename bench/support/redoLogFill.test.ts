import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadbBackend, type TestDatabase } from '../../test/support/backends';
import { TEST_MYSQL_URL } from '../../test/support/services';
import { sampleRedoLogFill } from './redoLogFill';

describe('the redo log fill sampled during a bench run, on mariadb', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (mariadbBackend.available) t = await mariadbBackend.create({ migrate: false });
  });
  afterAll(async () => t?.destroy());

  it.skipIf(!mariadbBackend.available)(
    'given writes while it samples, then it reports the highest checkpoint age as a share of the log',
    async () => {
      const sampler = sampleRedoLogFill(TEST_MYSQL_URL);
      await t.db.schema.createTable('filler', (table) => {
        table.increments('id');
        table.string('text', 1000);
      });
      for (let i = 0; i < 5; i++)
        await t.db('filler').insert(Array.from({ length: 500 }, () => ({ text: 'x'.repeat(900) })));
      await new Promise((resolve) => setTimeout(resolve, 700));
      const { maxShare } = await sampler.stop();
      expect(maxShare).toBeGreaterThan(0);
      expect(maxShare).toBeLessThanOrEqual(1);
      // Stopping again gives the same answer (the scenario's finally block does).
      expect((await sampler.stop()).maxShare).toBe(maxShare);
    },
  );
});
