import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteBackend, type TestDatabase } from '../../test/support/backends';
import { decodeMessageBody } from '../broker/decode';
import { validateEvent } from '../domain';
import { ingest } from '../store/writePath';
import { expectationOf, type Expectation } from './expected';
import { verify } from './verify';
import { generateWorkload, type Workload } from './workload';

// The chaos run passes or fails on verify's counts: they are checked here
// against logs seeded with exactly one fault each. (The chaos run itself
// uses MariaDB; what verify compares is the same on either backend.)
describe("verify, the chaos run's check", () => {
  let database: TestDatabase;
  let workload: Workload;
  let expected: Expectation;
  beforeEach(async () => {
    database = await sqliteBackend.create();
    workload = generateWorkload({ events: 600, seed: 7 });
    expected = expectationOf(workload.jsonPayloads);
  });
  afterEach(() => database.destroy());

  /** Through the write path, as the consumer hands messages over. */
  const deliver = (bodies: readonly Buffer[]) =>
    ingest(
      database.db,
      bodies.map((body) => decodeMessageBody(body, 1 << 20)),
      { source: 'amqp' },
    );
  const check = () => verify(database.db, expected, workload.invalidBodies);
  const isValidEvent = (body: Buffer) => {
    try {
      return validateEvent(JSON.parse(body.toString('utf8'))).ok;
    } catch {
      return false;
    }
  };

  it('given every message delivered, copies included, then nothing is lost, doubled or mismatched', async () => {
    expect(workload.copies).toBeGreaterThan(0);
    await deliver(workload.messages);
    expect(await check()).toEqual({
      accepted: expected.events.size,
      lost: 0,
      doubled: 0,
      unexpected: 0,
      rejected: workload.invalidBodies.length,
      rejectionRows: workload.invalidBodies.length,
      periodsMismatched: 0,
    });
  });

  it('given one valid event never delivered, then exactly one is lost', async () => {
    const missing = workload.messages.find(isValidEvent)!;
    await deliver(workload.messages.filter((body) => !body.equals(missing)));
    expect(await check()).toMatchObject({ lost: 1, doubled: 0, unexpected: 0 });
  });

  it('given one invalid message never recorded as rejected, then exactly one is lost', async () => {
    // Only one of its copies: several invalid messages can be the same bytes.
    const missing = workload.messages.indexOf(workload.invalidBodies[0]!);
    await deliver(workload.messages.filter((_, i) => i !== missing));
    expect(await check()).toMatchObject({
      lost: 1,
      rejected: workload.invalidBodies.length - 1,
      periodsMismatched: 0,
    });
  });

  it('given an event logged twice under two keys, then it is doubled and unexpected', async () => {
    await deliver(workload.messages);
    const row = await database.db('events').first();
    await database.db('events').insert({ ...row, seq: undefined, dedupe_key: 'forged:1' });
    expect(await check()).toMatchObject({ lost: 0, doubled: 1, unexpected: 1 });
  });

  it('given a period altered in the table, then the stored and the expected one both mismatch', async () => {
    await deliver(workload.messages);
    const period = await database
      .db('periods')
      .first('up_id', 'medication_name', 'start_time', 'start_event_key');
    await database
      .db('periods')
      .where(period)
      .update({ start_time: Number(period.start_time) - 1 });
    expect(await check()).toMatchObject({ lost: 0, doubled: 0, periodsMismatched: 2 });
  });
});
