import { LRUCache } from 'lru-cache';
/**
 * A patient's whole period list as one load returned it: the JSON array of
 * the API's `periods`. The cache hands the same object to every reader until
 * it is invalidated or expires, so a reader may keep what it derives from it:
 * `rendered` holds the whole response body, built once per snapshot.
 */
export interface PeriodsSnapshot {
  readonly periodsJson: string;
  rendered?: string;
}

export interface PatientPeriodsCacheOptions {
  /** Patients kept at most (least recently used go first). */
  maxPatients: number;
  /** Longest time an entry is served: the staleness bound when an invalidation is missed. */
  ttlMs: number;
}

/**
 * An in-process cache of each patient's whole list of periods, invalidated
 * by the writes that change them. A load that started before an
 * invalidation of the same patient is returned but not kept, so a reader
 * racing a writer can never park pre-write data in the cache.
 */
export class PatientPeriodsCache {
  private readonly entries: LRUCache<string, PeriodsSnapshot>;
  /** Bumped on every invalidation of a patient; a load records it when it starts. */
  private readonly generations = new Map<string, number>();
  private globalGeneration = 0;

  constructor(options: PatientPeriodsCacheOptions) {
    this.entries = new LRUCache({
      max: options.maxPatients,
      ttl: options.ttlMs,
      ttlAutopurge: false,
    });
  }

  async get(upId: string, load: () => Promise<string>): Promise<PeriodsSnapshot> {
    const cached = this.entries.get(upId);
    if (cached) return cached;
    const generation = this.generationOf(upId);
    const snapshot: PeriodsSnapshot = { periodsJson: await load() };
    if (this.generationOf(upId) === generation) this.entries.set(upId, snapshot);
    return snapshot;
  }

  invalidate(upIds: Iterable<string>): void {
    for (const upId of upIds) {
      this.entries.delete(upId);
      this.generations.set(upId, (this.generations.get(upId) ?? 0) + 1);
    }
    // The generation map only needs entries for loads in flight; keep it from growing forever.
    if (this.generations.size > 10_000) {
      this.generations.clear();
      this.globalGeneration += 1;
    }
  }

  /** Drops everything (e.g. after the invalidation channel was lost for a while). */
  clear(): void {
    this.entries.clear();
    this.generations.clear();
    this.globalGeneration += 1;
  }

  get size(): number {
    return this.entries.size;
  }

  private generationOf(upId: string): string {
    return `${this.globalGeneration}:${this.generations.get(upId) ?? 0}`;
  }
}
