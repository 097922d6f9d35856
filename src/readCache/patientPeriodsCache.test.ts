import { describe, expect, it } from 'vitest';
import {
  PatientPeriodsCache,
  RELOAD_AHEAD_SHARE,
  type PeriodListSource,
  type PeriodsSnapshot,
} from './patientPeriodsCache';

const listOf = async (snapshot: Promise<PeriodsSnapshot>) => (await snapshot).periodsJson;

/** A rendered period list standing for one period of `medicationName`. */
const list = (medicationName: string) => JSON.stringify([{ medication_name: medicationName }]);

/** A source for readers only: these tests never let an entry reach its reload. */
const one = (load: () => Promise<string>): PeriodListSource => ({
  one: load,
  many: () => Promise.reject(new Error('no background reload was expected')),
});

/** A source for readers only, answering with one period of `medicationName`. */
const answering = (medicationName: string) => one(async () => list(medicationName));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('the patient periods cache', () => {
  it('given a cached patient, when read again, then it answers without loading', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    let loads = 0;
    const load = async () => (loads++, list('A'));
    await cache.get('p', one(load));
    expect(await listOf(cache.get('p', one(load)))).toEqual(list('A'));
    expect(loads).toBe(1);
  });

  it('given an invalidation, when read, then it loads afresh', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    await cache.get('p', answering('old'));
    cache.invalidate(['p']);
    expect(await listOf(cache.get('p', answering('new')))).toEqual(list('new'));
  });

  it('given a load racing an invalidation of the same patient, then the raced result is served once but never kept', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const slow = deferred<string>();
    const racing = cache.get(
      'p',
      one(() => slow.promise),
    );
    cache.invalidate(['p']); // a write committed while the read was in flight
    slow.resolve(list('before the write'));
    expect(await listOf(racing)).toEqual(list('before the write'));
    expect(await listOf(cache.get('p', answering('after the write')))).toEqual(
      list('after the write'),
    );
  });

  // A write in another process whose notice was lost invalidates nothing here:
  // only the load order and the TTL then bound what readers see.
  it('given a load that started earlier finishing after a later one, then the later data stays (reads never go back in time)', async () => {
    let clock = 0;
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 1_000, now: () => clock });
    const slow = deferred<string>();
    const early = cache.get(
      'p',
      one(() => slow.promise),
    );
    clock = 10;
    expect(await listOf(cache.get('p', answering('v2, written meanwhile')))).toEqual(
      list('v2, written meanwhile'),
    );
    slow.resolve(list('v1'));
    expect(await listOf(early)).toEqual(list('v1'));
    clock = 20;
    expect(await listOf(cache.get('p', answering('not loaded')))).toEqual(
      list('v2, written meanwhile'),
    );
  });

  it('given a slow load, then its entry expires a TTL after the load started, not after it finished', async () => {
    let clock = 0;
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 100, now: () => clock });
    const slow = deferred<string>();
    const loading = cache.get(
      'p',
      one(() => slow.promise),
    );
    clock = 60;
    slow.resolve(list('as of 0'));
    await loading;
    clock = 99;
    expect(await listOf(cache.get('p', answering('fresh')))).toEqual(list('as of 0'));
    clock = 101;
    expect(await listOf(cache.get('p', answering('fresh')))).toEqual(list('fresh'));
  });

  it('given a clear while loading, then nothing loaded before it is kept', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const slow = deferred<string>();
    const racing = cache.get(
      'p',
      one(() => slow.promise),
    );
    cache.clear();
    slow.resolve(list('stale'));
    await racing;
    expect(cache.size).toBe(0);
  });

  it('given the TTL passed, then an entry is loaded again (the bound when a notice is missed)', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 30 });
    await cache.get('p', answering('old'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await listOf(cache.get('p', answering('new')))).toEqual(list('new'));
  });

  it('keeps at most maxPatients, dropping the least recently used', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 2, ttlMs: 60_000 });
    await cache.get('a', answering('a'));
    await cache.get('b', answering('b'));
    await cache.get('a', answering('never'));
    await cache.get('c', answering('c'));
    expect(cache.size).toBe(2);
    expect(await listOf(cache.get('b', answering('reloaded')))).toEqual(list('reloaded'));
  });

  it('given a hit, then the reader gets the same snapshot, with what an earlier reader rendered on it, until an invalidation', async () => {
    const cache = new PatientPeriodsCache({ maxPatients: 10, ttlMs: 60_000 });
    const first = await cache.get('p', answering('A'));
    first.rendered = '{"periods":["A"]}';
    expect((await cache.get('p', answering('never'))).rendered).toBe('{"periods":["A"]}');
    cache.invalidate(['p']);
    expect((await cache.get('p', answering('B'))).rendered).toBeUndefined();
  });
});

describe('the patient periods cache, reloading ahead of the TTL', () => {
  const TTL = 1_000;
  const RELOAD_AT = TTL * RELOAD_AHEAD_SHARE;

  /** A cache on a clock the test moves, and a source whose loads the test settles. */
  function cacheOnClock() {
    // lru-cache takes an entry stored at 0 for one without a TTL: start later.
    const START = 1_000_000;
    let now = START;
    const cache = new PatientPeriodsCache({
      maxPatients: 10,
      ttlMs: TTL,
      now: () => now,
      reloadWindowMs: 0,
    });
    const reads: ReturnType<typeof deferred<string>>[] = [];
    const reloads: {
      upIds: readonly string[];
      lists: ReturnType<typeof deferred<Map<string, string>>>;
    }[] = [];
    const source: PeriodListSource = {
      one: () => {
        reads.push(deferred<string>());
        return reads.at(-1)!.promise;
      },
      many: (upIds) => {
        reloads.push({ upIds, lists: deferred<Map<string, string>>() });
        return reloads.at(-1)!.lists.promise;
      },
    };
    const read = (upId = 'p') => listOf(cache.get(upId, source));
    return { cache, read, reads, reloads, at: (ms: number) => (now = START + ms) };
  }

  /** Lets the reload window pass and a settled reload reach the cache. */
  const settled = () => new Promise((resolve) => setTimeout(resolve, 5));

  async function stored(clock: ReturnType<typeof cacheOnClock>, upId = 'p') {
    const first = clock.read(upId);
    clock.reads.at(-1)!.resolve(list(`${upId}: A`));
    await first;
  }

  /** Given: an entry read in its TTL's last quarter, its background reload asked for and not settled. */
  async function reloadInFlight() {
    const clock = cacheOnClock();
    await stored(clock);
    clock.at(RELOAD_AT);
    await clock.read();
    await settled();
    return clock;
  }

  it('given an entry read before three quarters of its TTL, then it is not reloaded', async () => {
    const clock = cacheOnClock();
    await stored(clock);
    clock.at(RELOAD_AT - 1);
    expect(await clock.read()).toEqual(list('p: A'));
    await settled();
    expect(clock.reads).toHaveLength(1);
    expect(clock.reloads).toHaveLength(0);
  });

  it('given an entry in the last quarter of its TTL, when read, then it answers at once and reloads in the background', async () => {
    const clock = cacheOnClock();
    await stored(clock);
    clock.at(RELOAD_AT);
    expect(await clock.read()).toEqual(list('p: A'));
    await settled();
    expect(clock.reloads.map((r) => r.upIds)).toEqual([['p']]);

    clock.reloads[0]!.lists.resolve(new Map([['p', list('p: B')]]));
    await settled();
    clock.at(2 * RELOAD_AT - 1); // past the first entry's TTL; the reloaded one is young
    expect(await clock.read()).toEqual(list('p: B'));
    expect(clock.reads).toHaveLength(1);
  });

  it('given several patients due within the reload window, then one load reloads them all', async () => {
    const clock = cacheOnClock();
    for (const upId of ['p', 'q', 'r']) await stored(clock, upId);
    clock.at(RELOAD_AT);
    for (const upId of ['p', 'q', 'r', 'p']) await clock.read(upId);
    await settled();
    expect(clock.reloads.map((r) => r.upIds)).toEqual([['p', 'q', 'r']]);
  });

  it('given a background reload in flight, then reads start no second one', async () => {
    const clock = await reloadInFlight();
    await clock.read();
    await settled();
    expect(clock.reloads).toHaveLength(1);
  });

  it('given a background reload still in flight past the TTL, then the expired entry is not served', async () => {
    const clock = await reloadInFlight();
    clock.at(TTL + 1);
    const reader = clock.read();
    expect(clock.reads).toHaveLength(2);
    clock.reads[1]!.resolve(list('p: C'));
    expect(await reader).toEqual(list('p: C'));
  });

  it('given a background reload racing an invalidation, then its result is not kept', async () => {
    const clock = await reloadInFlight();
    clock.cache.invalidate(['p']); // a write committed while the reload was in flight
    clock.reloads[0]!.lists.resolve(new Map([['p', list('before the write')]]));
    await settled();
    const reader = clock.read();
    expect(clock.reads).toHaveLength(2);
    clock.reads[1]!.resolve(list('after the write'));
    expect(await reader).toEqual(list('after the write'));
  });

  it('given a background reload that fails, then the entry is served until its TTL and the next reader sees the failure', async () => {
    const clock = await reloadInFlight();
    clock.reloads[0]!.lists.reject(new Error('database unavailable'));
    await settled();
    clock.at(TTL - 1);
    expect(await clock.read()).toEqual(list('p: A'));
    await settled();
    expect(clock.reloads).toHaveLength(2); // a failed reload does not stop the next one
    clock.at(TTL + 1);
    const reader = clock.read();
    clock.reads[1]!.reject(new Error('database unavailable'));
    await expect(reader).rejects.toThrow('database unavailable');
  });
});
