import { describe, expect, it } from 'vitest';
import type { PeriodRow } from '../store/types';
import { PatientPeriodsCache, type PeriodsSnapshot } from './patientPeriodsCache';

const rowsOf = async (snapshot: Promise<PeriodsSnapshot>) => (await snapshot).rows;

const row = (medicationName: string): PeriodRow => ({
  upId: 'p',
  medicationName,
  startTime: 0,
  endTime: null,
  status: 'active',
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the patient periods cache', () => {
  it('given a cached patient, when read again, then it answers without loading', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    let loads = 0;
    const load = async () => (loads++, [row('A')]);
    await cache.get('p', load);
    expect(await rowsOf(cache.get('p', load))).toEqual([row('A')]);
    expect(loads).toBe(1);
  });

  it('given an invalidation, when read, then it loads afresh', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    await cache.get('p', async () => [row('old')]);
    cache.invalidate(['p']);
    expect(await rowsOf(cache.get('p', async () => [row('new')]))).toEqual([row('new')]);
  });

  it('given a load racing an invalidation of the same patient, then the raced result is served once but never kept', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const slow = deferred<PeriodRow[]>();
    const racing = cache.get('p', () => slow.promise);
    cache.invalidate(['p']); // a write committed while the read was in flight
    slow.resolve([row('before the write')]);
    expect(await rowsOf(racing)).toEqual([row('before the write')]);
    expect(await rowsOf(cache.get('p', async () => [row('after the write')]))).toEqual([
      row('after the write'),
    ]);
  });

  it('given a clear while loading, then nothing loaded before it is kept', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const slow = deferred<PeriodRow[]>();
    const racing = cache.get('p', () => slow.promise);
    cache.clear();
    slow.resolve([row('stale')]);
    await racing;
    expect(cache.size).toBe(0);
  });

  it('given the TTL passed, then an entry is loaded again (the bound when a notice is missed)', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 30 });
    await cache.get('p', async () => [row('old')]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await rowsOf(cache.get('p', async () => [row('new')]))).toEqual([row('new')]);
  });

  it('keeps at most maxPatients, dropping the least recently used', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 2, ttlMs: 60_000 });
    await cache.get('a', async () => [row('a')]);
    await cache.get('b', async () => [row('b')]);
    await cache.get('a', async () => [row('never')]);
    await cache.get('c', async () => [row('c')]);
    expect(cache.size).toBe(2);
    expect(await rowsOf(cache.get('b', async () => [row('reloaded')]))).toEqual([row('reloaded')]);
  });

  it('given a hit, then the reader gets the same snapshot, with what an earlier reader rendered on it, until an invalidation', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const first = await cache.get('p', async () => [row('A')]);
    first.rendered = '{"periods":["A"]}';
    expect((await cache.get('p', async () => [row('never')])).rendered).toBe('{"periods":["A"]}');
    cache.invalidate(['p']);
    expect((await cache.get('p', async () => [row('B')])).rendered).toBeUndefined();
  });
});
