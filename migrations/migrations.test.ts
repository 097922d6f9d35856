import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../test/support/backends';
import { migrationSource } from '.';

const TABLES = [
  'events',
  'streams',
  'periods',
  'anomalies',
  'rejected_events',
  'stream_cancellations',
  'patient_period_lists',
];

/** One event row as the write path stores it. */
const EVENT_ROW = {
  dedupe_key: 'k',
  up_id: 'u',
  medication_name: 'm',
  action: 'start',
  event_time: 0,
  received_at: 0,
  source: 'http',
  raw_payload: '{}',
};

describe.each(backends)('migrations on $name', (backend) => {
  let t: TestDatabase;
  beforeEach(async (context) => {
    if (!backend.available) return context.skip();
    t = await backend.create({ migrate: false });
  });
  afterEach(async () => t?.destroy());

  const present = async () => {
    const found: string[] = [];
    for (const table of TABLES) if (await t.db.schema.hasTable(table)) found.push(table);
    return found;
  };

  it('migrates up, all the way down, and up again', async () => {
    await t.db.migrate.latest({ migrationSource });
    expect(await present()).toEqual(TABLES);
    let rolledBack: string[] = [];
    do {
      [, rolledBack] = await t.db.migrate.down({ migrationSource });
    } while (
      rolledBack.length > 0 &&
      (await t.db.migrate.currentVersion({ migrationSource })) !== 'none'
    );
    expect(await present()).toEqual([]);
    await t.db.migrate.latest({ migrationSource });
    expect(await present()).toEqual(TABLES);
    // The immutability triggers came back with the table.
    await t.db('events').insert(EVENT_ROW);
    await expect(t.db('events').update({ action: 'stop' })).rejects.toThrow(/append-only/);
    const [status] = await t.db.migrate.list({ migrationSource });
    expect(status).toHaveLength(8);
  });

  it.each([
    { table: 'events', what: 'events' },
    { table: 'rejected_events', what: 'rejected events' },
  ])(
    'given a row in $table, when everything is rolled back, then the rollback refuses and the row stays',
    async ({ table, what }) => {
      await t.db.migrate.latest({ migrationSource });
      const row =
        table === 'events'
          ? EVENT_ROW
          : {
              received_at: 0,
              source: 'http',
              reason: 'invalid_json',
              message: 'm',
              raw_payload: Buffer.from('{'),
            };
      await t.db(table).insert(row);
      await expect(t.db.migrate.rollback({ migrationSource }, true)).rejects.toThrow(
        `refusing to roll back: ${table} holds 1 ${what}`,
      );
      expect(await t.db(table).count({ n: '*' })).toEqual([{ n: 1 }]);
      // Dropped by hand, on purpose: the rollback then goes all the way.
      await t.db.schema.dropTable(table);
      await t.db.migrate.rollback({ migrationSource }, true);
      expect(await t.db.migrate.currentVersion({ migrationSource })).toBe('none');
    },
  );
});
