import { LRUCache } from 'lru-cache';
import type { WriteObserver } from '../store/writePath';

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
  /** Milliseconds on a monotonic clock; tests pin it. */
  now?: () => number;
  /** How long background reloads are collected before one load of them all (tests: 0). */
  reloadWindowMs?: number;
}

/**
 * Where the cache loads patients' period lists from: one patient, for a
 * reader who waits for it, or many at once, for the background reloads.
 * `many` answers for every patient it was asked about.
 */
export interface PeriodListSource {
  one(upId: string): Promise<string>;
  many(upIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/**
 * Share of the TTL after which a read of an entry also reloads it in the
 * background. A patient read at least once in the TTL's last quarter is then
 * replaced before it expires, so its readers never wait for a reload; without
 * it, a tenth of the reads of patients being viewed waited for one.
 */
export const RELOAD_AHEAD_SHARE = 0.75;

/**
 * A reload is not waited for, so reloads are gathered for a few milliseconds
 * and loaded together: one query for many patients costs about what one for
 * a single patient does.
 */
const RELOAD_WINDOW_MS = 10;

interface QueuedReload {
  source: PeriodListSource;
  /** The patient's generation when the reload was asked for. */
  generation: string;
}

/**
 * An in-process cache of each patient's whole list of periods, invalidated
 * by the writes that change them. A load that started before an
 * invalidation of the same patient is returned but not kept, so a reader
 * racing a writer can never park pre-write data in the cache. An entry is
 * served until the TTL has passed since its load *started* (the data is as
 * of then, or newer), reloaded or not; and a load never replaces what a load
 * that started after it stored, so reads never go back in time. Both matter
 * when an invalidation is missed (a write in another process whose notice
 * was lost): the TTL is then the staleness bound, whatever a load takes.
 */
export class PatientPeriodsCache {
  private readonly entries: LRUCache<string, PeriodsSnapshot>;
  /** An entry with at most this much of its TTL left is reloaded when read. */
  private readonly reloadWhenRemainingMs: number;
  private readonly reloadWindowMs: number;
  /** Patients whose background reload is queued or in flight: one at a time each. */
  private readonly reloading = new Set<string>();
  private readonly queuedReloads = new Map<string, QueuedReload>();
  private reloadTimer: NodeJS.Timeout | null = null;
  /** Bumped on every invalidation of a patient; a load records it when it starts. */
  private readonly generations = new Map<string, number>();
  private globalGeneration = 0;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** When the load of each stored snapshot started (on `now`'s clock). */
  private readonly loadStarts = new WeakMap<PeriodsSnapshot, number>();

  constructor(options: PatientPeriodsCacheOptions) {
    const clock = options.now;
    this.ttlMs = options.ttlMs;
    this.now = clock ?? (() => performance.now());
    this.entries = new LRUCache({
      max: options.maxPatients,
      ttl: options.ttlMs,
      // A test's clock moves without real time passing: read it on every check.
      ...(clock ? { perf: { now: clock }, ttlResolution: 0 } : {}),
    });
    this.reloadWhenRemainingMs = options.ttlMs * (1 - RELOAD_AHEAD_SHARE);
    this.reloadWindowMs = options.reloadWindowMs ?? RELOAD_WINDOW_MS;
  }

  async get(upId: string, source: PeriodListSource): Promise<PeriodsSnapshot> {
    const cached = this.entries.get(upId);
    if (cached) {
      if (this.entries.getRemainingTTL(upId) <= this.reloadWhenRemainingMs)
        this.queueReload(upId, source);
      return cached;
    }
    const generation = this.generationOf(upId);
    const startedAt = this.now();
    const snapshot: PeriodsSnapshot = { periodsJson: await source.one(upId) };
    this.keep(upId, snapshot, generation, startedAt);
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

  /** A write observer that drops every patient a committed write changed, before its caller hears back. */
  invalidatedByWrites(): WriteObserver {
    return { onCommitted: (write) => this.invalidate(write.changedPatients) };
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

  /**
   * Keeps what a load returned unless the patient was invalidated since it
   * started, or a load that started later has stored its own; for the rest
   * of the TTL counted from the load's start.
   */
  private keep(
    upId: string,
    snapshot: PeriodsSnapshot,
    generation: string,
    startedAt: number,
  ): void {
    if (this.generationOf(upId) !== generation) return;
    const stored = this.entries.peek(upId);
    if (stored !== undefined && (this.loadStarts.get(stored) ?? -Infinity) > startedAt) return;
    const ttl = this.ttlMs - (this.now() - startedAt);
    if (ttl <= 0) return;
    this.loadStarts.set(snapshot, startedAt);
    this.entries.set(upId, snapshot, { ttl });
  }

  private queueReload(upId: string, source: PeriodListSource): void {
    if (this.reloading.has(upId)) return;
    this.reloading.add(upId);
    this.queuedReloads.set(upId, { source, generation: this.generationOf(upId) });
    if (this.reloadTimer === null) {
      this.reloadTimer = setTimeout(() => this.reloadQueued(), this.reloadWindowMs);
      this.reloadTimer.unref();
    }
  }

  private reloadQueued(): void {
    this.reloadTimer = null;
    const bySource = new Map<PeriodListSource, [string, QueuedReload][]>();
    for (const entry of this.queuedReloads) {
      const group = bySource.get(entry[1].source);
      if (group) group.push(entry);
      else bySource.set(entry[1].source, [entry]);
    }
    this.queuedReloads.clear();
    for (const [source, reloads] of bySource) {
      const upIds = reloads.map(([upId]) => upId);
      const startedAt = this.now();
      source
        .many(upIds)
        .then((lists) => {
          for (const [upId, { generation }] of reloads) {
            const periodsJson = lists.get(upId);
            if (periodsJson !== undefined) this.keep(upId, { periodsJson }, generation, startedAt);
          }
        })
        .catch(() => {
          // Nobody waits for these loads: each entry is served until its TTL
          // and then loaded by a reader, whose request reports a failure then.
        })
        .finally(() => {
          for (const upId of upIds) this.reloading.delete(upId);
        });
    }
  }

  private generationOf(upId: string): string {
    return `${this.globalGeneration}:${this.generations.get(upId) ?? 0}`;
  }
}
