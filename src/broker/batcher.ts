export interface BatcherOptions<T> {
  /** A batch is processed as soon as this many items are pending... */
  maxSize: number;
  /** ...or once its oldest item has waited this long (0: at the next turn of the event loop). */
  windowMs: number;
  /** Handles one batch. Never called again before the previous call settled. */
  process: (batch: T[]) => Promise<void>;
  /** Called if `process` rejects; it is expected to deal with its own failures. */
  onProcessError: (err: unknown) => void;
}

interface Pending<T> {
  item: T;
  arrivedAt: number;
}

/**
 * Gathers items into batches by size or age and processes one batch at a
 * time. One at a time is deliberate: each batch is one database transaction
 * that locks the streams it touches, and a second concurrent transaction from
 * the same consumer would only queue on those locks or deadlock on them.
 * Items keep arriving while a batch is in flight; the broker's prefetch
 * bounds how many.
 */
export class Batcher<T> {
  private readonly pending: Pending<T>[] = [];
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
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
    return this.inFlight !== null;
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
    if (this.inFlight) return; // re-examined when the batch in flight settles
    if (this.pending.length === 0) {
      this.clearTimer();
      this.notifyIdle();
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
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.inFlight && this.pending.length > 0) this.startBatch();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private startBatch(): void {
    this.clearTimer();
    const batch = this.pending.splice(0, this.options.maxSize).map((p) => p.item);
    this.inFlight = this.runProcess(batch).finally(() => {
      this.inFlight = null;
      this.schedule();
    });
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
