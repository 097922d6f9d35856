import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../test/support/backends';
import { loadPageEvents } from './pageEvents';
import { loadPageProjections } from './storedProjections';

const event = (upId: string, medicationName: string, n: number) => ({
  dedupe_key: `k:${upId}:${medicationName}:${n}`,
  up_id: upId,
  medication_name: medicationName,
  action: 'start',
  event_time: 1000 + n,
  received_at: 1,
  source: 'http',
  raw_payload: '{}',
});

const period = (upId: string, medicationName: string) => ({
  up_id: upId,
  medication_name: medicationName,
  start_time: 1000,
  end_time: null,
  status: 'active',
  start_event_key: `k:${upId}:${medicationName}:0`,
});

describe.each(backends)('reading a page by its key range on $name', (backend) => {
  let t: TestDatabase;
  beforeEach(async (context) => {
    if (!backend.available) return context.skip();
    t = await backend.create();
    await t.db('events').insert([
      event('a', 'x', 0),
      event('a', 'x', 1),
      event('a', 'y', 0), // inside the range of the page below, but not one of its streams
      event('b', 'x', 0),
      event('c', 'x', 0), // after the range
    ]);
    await t.db('periods').insert([period('a', 'x'), period('a', 'y'), period('b', 'x')]);
    await t.db('periods').insert(period('a', 'ghost')); // an orphan inside the range
  });
  afterEach(async () => t?.destroy());

  const page = [
    { upId: 'a', medicationName: 'x' },
    { upId: 'b', medicationName: 'x' },
  ];

  it('reads the events of exactly the page’s streams, the range’s bounds included', async () => {
    const events = await loadPageEvents(t.db, page);
    expect([...events.keys()].sort()).toEqual(['["a","x"]', '["b","x"]']);
    expect(
      events
        .get('["a","x"]')
        ?.map((e) => e.eventTime)
        .sort(),
    ).toEqual([1000, 1001]);
  });

  it('reads the stored rows of exactly the page’s streams', async () => {
    const stored = await loadPageProjections(t.db, page);
    expect([...stored.keys()].sort()).toEqual(['["a","x"]', '["b","x"]']);
    expect(stored.get('["b","x"]')?.periods).toHaveLength(1);
  });
});
