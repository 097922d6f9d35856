import type { Knex } from 'knex';
import { ingest } from '../../src/store/writePath';

const UP_ID = 'long-patient';
const MEDICATION = 'long-med';
const BASE = Date.UTC(2020, 0, 1);
const SLOT_MS = 600_000;

/** Cost of one late event: wall time of its ingest call and how many events follow it in time. */
export interface LateSample {
  after: number;
  ms: number;
}

/**
 * One patient/medication stream written through the write path (`ingest`,
 * in this process): in-order events one slot apart, late events somewhere in
 * its past. Deterministic for a seed.
 */
export class LongStream {
  /** In-order events written so far. */
  inOrder = 0;
  private state: number;

  constructor(
    private readonly db: Knex,
    seed: number,
  ) {
    this.state = seed;
  }

  private random(): number {
    this.state = (this.state * 1103515245 + 12345) % 2 ** 31;
    return this.state / 2 ** 31;
  }

  private inOrderEvent(n: number) {
    return {
      up_id: UP_ID,
      medication_name: MEDICATION,
      action: n % 2 === 0 ? 'start' : 'stop',
      event_time: new Date(BASE + n * SLOT_MS).toISOString(),
    };
  }

  /** Writes the next `count` in-order events in one ingest call; returns its wall time in ms. */
  async appendInOrder(count: number): Promise<number> {
    const items = [];
    for (let i = 0; i < count; i++) items.push({ payload: this.inOrderEvent(this.inOrder + i) });
    const started = performance.now();
    await ingest(this.db, items, { source: 'amqp' });
    const ms = performance.now() - started;
    this.inOrder += count;
    return ms;
  }

  /** Grows the stream in order to `size` events, `batch` at a time, untimed. */
  async growTo(size: number, batch: number): Promise<void> {
    while (this.inOrder < size) await this.appendInOrder(Math.min(batch, size - this.inOrder));
  }

  /** Writes one event at a random point of the stream's past, alone in its ingest call. */
  async appendLate(): Promise<LateSample> {
    const slot = Math.floor(this.random() * this.inOrder);
    const actions = ['start', 'stop', 'cancel_start', 'cancel_stop'] as const;
    const payload = {
      up_id: UP_ID,
      medication_name: MEDICATION,
      action: actions[Math.floor(this.random() * actions.length)]!,
      // Between two in-order events, never on one: a distinct event, strictly late.
      event_time: new Date(
        BASE + slot * SLOT_MS + 1 + Math.floor(this.random() * (SLOT_MS - 2)),
      ).toISOString(),
    };
    const started = performance.now();
    await ingest(this.db, [{ payload }], { source: 'amqp' });
    return { after: this.inOrder - slot - 1, ms: performance.now() - started };
  }
}
