export interface BatcherOptions<T> {
  /** A batch is processed as soon as this many items are pending... */
  maxSize: number;
  /** ...or once its oldest item has waited this long (0: at the next turn of the event loop). */
  windowMs: number;
  /** Batches handled at the same time (1: strictly one after the other). */
  maxConcurrent?: number;
  /**
   * Items with the same key never go into two batches in flight at once: a
   * later one waits for the batch holding its key (undefined: no key).
   */
  keyOf?: (item: T) => string | undefined;
  /** Handles one batch; at most maxConcurrent calls are unsettled at once. */
  process: (batch: T[]) => Promise<void>;
  /** Called if `process` rejects; it is expected to deal with its own failures. */
  onProcessError: (err: unknown) => void;
}

interface Pending<T> {
  item: T;
  key: string | undefined;
  arrivedAt: number;
}

/**
 * Gathers items into batches by size or age and processes up to
 * `maxConcurrent` batches at a time. Each batch is one database transaction;
 * a second one in flight keeps the database busy while this process prepares
 * or acknowledges the other. Two batches that touch the same patient would
 * serialize on its locks in the database (its streams, its period list), the
 * second holding its transaction open while it waits, so with `keyOf` an item
 * whose patient is in flight waits here for the next batch instead. Items keep arriving while batches are in
 * flight; the broker's prefetch bounds how many.
 */
export class Batcher<T> {
  private pending: Pending<T>[] = [];
  /** Keys of the items in the batches in flight. */
  private readonly keysInFlight = new Set<string>();
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: BatcherOptions<T>) {
    if (options.maxSize < 1) throw new Error('maxSize must be at least 1');
  }

  add(item: T): void {
    this.pending.push({ item, key: this.options.keyOf?.(item), arrivedAt: Date.now() });
    this.schedule();
  }

  /** Items waiting for a batch, not counting the one in flight. */
  get pendingCount(): number {
    return this.pending.length;
  }

  get busy(): boolean {
    return this.running > 0;
  }

  private get full(): boolean {
    return this.running >= (this.options.maxConcurrent ?? 1);
  }

  /**
   * From now on processes pending items without waiting for the window, and
   * resolves once nothing is pending or in flight. Used on shutdown.
   */
  drain(): Promise<void> {
    this.draining = true;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.schedule();
    return idle;
  }

  private schedule(): void {
    if (this.full) return; // re-examined when a batch in flight settles
    if (this.pending.length === 0) {
      this.clearTimer();
      if (this.running === 0) this.notifyIdle();
      return;
    }
    const oldest = this.pending[0] as Pending<T>;
    const waitMs = this.draining ? 0 : oldest.arrivedAt + this.options.windowMs - Date.now();
    if (this.pending.length >= this.options.maxSize || waitMs <= 0) {
      // Even when due, let deliveries that arrived in the same socket read join the batch.
      if (this.options.windowMs === 0 || this.draining) this.armTimer(0);
      else this.startBatch();
      return;
    }
    if (!this.timer) this.armTimer(waitMs);
  }

  private armTimer(ms: number): void {
    const dueAt = Date.now() + ms;
    // Every delivery calls this: keep an armed timer that fires soon enough
    // instead of replacing it, which would cost a timer per message.
    if (this.timer && this.timerDueAt <= dueAt) return;
    this.clearTimer();
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.full && this.pending.length > 0) this.startBatch();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Up to maxSize pending items, oldest first, skipping those whose key is in flight. */
  private takeBatch(): Pending<T>[] {
    const { maxSize } = this.options;
    if (this.keysInFlight.size === 0) return this.pending.splice(0, maxSize);
    const taken: Pending<T>[] = [];
    const kept: Pending<T>[] = [];
    for (const p of this.pending) {
      const free = p.key === undefined || !this.keysInFlight.has(p.key);
      (free && taken.length < maxSize ? taken : kept).push(p);
    }
    this.pending = kept;
    return taken;
  }

  private startBatch(): void {
    this.clearTimer();
    const batch = this.takeBatch();
    // Everything pending waits for a batch in flight; its settling re-examines.
    if (batch.length === 0) return;
    // takeBatch left out every key already in flight: these are the batch's own.
    const keys = new Set<string>();
    for (const p of batch) if (p.key !== undefined) keys.add(p.key);
    for (const key of keys) this.keysInFlight.add(key);
    this.running += 1;
    void this.runProcess(batch.map((p) => p.item)).finally(() => {
      for (const key of keys) this.keysInFlight.delete(key);
      this.running -= 1;
      this.schedule();
    });
    // A second batch may start at once if enough is pending and there is room.
    if (!this.full && this.pending.length >= this.options.maxSize) this.startBatch();
  }

  private async runProcess(batch: T[]): Promise<void> {
    try {
      await this.options.process(batch);
    } catch (err) {
      this.options.onProcessError(err);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
