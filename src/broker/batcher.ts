export interface BatcherOptions<T> {
  /** A batch is processed as soon as this many items are pending... */
  maxSize: number;
  /** ...or once its oldest item has waited this long (0: at the next turn of the event loop). */
  windowMs: number;
  /** Batches handled at the same time (1: strictly one after the other). */
  maxConcurrent?: number;
  /** Handles one batch; at most maxConcurrent calls are unsettled at once. */
  process: (batch: T[]) => Promise<void>;
  /** Called if `process` rejects; it is expected to deal with its own failures. */
  onProcessError: (err: unknown) => void;
}

interface Pending<T> {
  item: T;
  arrivedAt: number;
}

/**
 * Gathers items into batches by size or age and processes up to
 * `maxConcurrent` batches at a time. Each batch is one database transaction;
 * a second one in flight keeps the database busy while this process prepares
 * or acknowledges the other. Batches that touch the same streams serialize on
 * the stream locks (the write path retries the rare deadlock), and the result
 * does not depend on their order. Items keep arriving while batches are in
 * flight; the broker's prefetch bounds how many.
 */
export class Batcher<T> {
  private readonly pending: Pending<T>[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: BatcherOptions<T>) {
    if (options.maxSize < 1) throw new Error('maxSize must be at least 1');
  }

  add(item: T): void {
    this.pending.push({ item, arrivedAt: Date.now() });
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

  private startBatch(): void {
    this.clearTimer();
    const batch = this.pending.splice(0, this.options.maxSize).map((p) => p.item);
    this.running += 1;
    void this.runProcess(batch).finally(() => {
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
