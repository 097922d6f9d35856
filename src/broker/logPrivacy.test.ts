import { describe, expect, it } from 'vitest';
import { mariadbBackend } from '../../test/support/backends';
import {
  deleteTopology,
  memoryLogger,
  publishRaw,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  waitFor,
} from '../../test/support/broker';
import { ingest } from '../store/writePath';
import { connectBroker } from './connection';
import { startConsumer } from './consumer';
import { describeError } from './logger';

const SECRET = 'secret-patient-4711';
const event = (eventId: string) =>
  JSON.stringify({
    up_id: SECRET,
    medication_name: `${SECRET}-med`,
    action: 'start',
    event_time: '2021-03-24T10:00:00Z',
    event_id: `${SECRET}-${eventId}`,
  });

describe('describeError', () => {
  it('keeps the code and the shape of a database message but not the values quoted in it', () => {
    const err = Object.assign(
      new Error(`Duplicate entry 'id:${SECRET}' for key 'events_dedupe_key_unique'`),
      {
        code: 'ER_DUP_ENTRY',
        errno: 1062,
        sqlMessage: `Duplicate entry 'id:${SECRET}' for key 'events_dedupe_key_unique'`,
      },
    );
    const described = describeError(err);
    expect(JSON.stringify(described)).not.toContain(SECRET);
    expect(described).toMatchObject({
      code: 'ER_DUP_ENTRY',
      err: "Duplicate entry '?' for key '?'",
    });
  });
});

describe.skipIf(!shouldRunBrokerTests() || !mariadbBackend.available)(
  'broker log lines during a failing write (MariaDB)',
  () => {
    it('carry no patient id, medication or payload at warn and error', async () => {
      const t = await mariadbBackend.create();
      const options = uniqueBrokerOptions('logs', {
        batchWindowMs: 50,
        retryInitialMs: 50,
        retryMaxMs: 100,
      });
      const log = memoryLogger();
      // A database error that quotes the patient id, as MySQL's own messages quote values.
      await t.db.raw(`
        CREATE TRIGGER periods_refuse BEFORE INSERT ON periods FOR EACH ROW
        BEGIN
          DECLARE m VARCHAR(200) DEFAULT CONCAT('refused row ''', NEW.up_id, '''');
          SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m;
        END`);
      await (await connectBroker({ options })).close();
      const consumer = await startConsumer({
        options,
        logger: log,
        write: (items) => ingest(t.db, items, { source: 'amqp' }),
      });
      try {
        await publishRaw(options, [event('a'), event('b')]);
        await waitFor('a failed write logged', () =>
          log.entries.some((e) => e.level === 'error' || e.level === 'warn'),
        );
        const visible = log.entries.filter((e) => e.level !== 'debug');
        expect(visible.length).toBeGreaterThan(0);
        expect(JSON.stringify(visible)).not.toContain(SECRET);
      } finally {
        await consumer.stop();
        await deleteTopology(options).catch(() => undefined);
        await t.destroy();
      }
    }, 60_000);
  },
);
