import { describe, expect, it } from 'vitest';
import { PatientPeriodsCache, type PeriodsSnapshot } from './patientPeriodsCache';

const listOf = async (snapshot: Promise<PeriodsSnapshot>) => (await snapshot).periodsJson;

/** A rendered period list standing for one period of `medicationName`. */
const list = (medicationName: string) => JSON.stringify([{ medication_name: medicationName }]);

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the patient periods cache', () => {
  it('given a cached patient, when read again, then it answers without loading', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    let loads = 0;
    const load = async () => (loads++, list('A'));
    await cache.get('p', load);
    expect(await listOf(cache.get('p', load))).toEqual(list('A'));
    expect(loads).toBe(1);
  });

  it('given an invalidation, when read, then it loads afresh', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    await cache.get('p', async () => list('old'));
    cache.invalidate(['p']);
    expect(await listOf(cache.get('p', async () => list('new')))).toEqual(list('new'));
  });

  it('given a load racing an invalidation of the same patient, then the raced result is served once but never kept', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const slow = deferred<string>();
    const racing = cache.get('p', () => slow.promise);
    cache.invalidate(['p']); // a write committed while the read was in flight
    slow.resolve(list('before the write'));
    expect(await listOf(racing)).toEqual(list('before the write'));
    expect(await listOf(cache.get('p', async () => list('after the write')))).toEqual(
      list('after the write'),
    );
  });

  it('given a clear while loading, then nothing loaded before it is kept', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const slow = deferred<string>();
    const racing = cache.get('p', () => slow.promise);
    cache.clear();
    slow.resolve(list('stale'));
    await racing;
    expect(cache.size).toBe(0);
  });

  it('given the TTL passed, then an entry is loaded again (the bound when a notice is missed)', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 30 });
    await cache.get('p', async () => list('old'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await listOf(cache.get('p', async () => list('new')))).toEqual(list('new'));
  });

  it('keeps at most maxPatients, dropping the least recently used', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 2, ttlMs: 60_000 });
    await cache.get('a', async () => list('a'));
    await cache.get('b', async () => list('b'));
    await cache.get('a', async () => list('never'));
    await cache.get('c', async () => list('c'));
    expect(cache.size).toBe(2);
    expect(await listOf(cache.get('b', async () => list('reloaded')))).toEqual(list('reloaded'));
  });

  it('given a hit, then the reader gets the same snapshot, with what an earlier reader rendered on it, until an invalidation', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const first = await cache.get('p', async () => list('A'));
    first.rendered = '{"periods":["A"]}';
    expect((await cache.get('p', async () => list('never'))).rendered).toBe('{"periods":["A"]}');
    cache.invalidate(['p']);
    expect((await cache.get('p', async () => list('B'))).rendered).toBeUndefined();
  });
});
