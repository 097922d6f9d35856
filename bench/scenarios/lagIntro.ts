import { num } from '../report/format';
import type { Sizes } from '../sizes';
import { defaultBatching } from '../support/batching';
import { TICK_MS } from './lagWorkload';

/** What the lag section measures and how, as the report states it. */
export function lagIntro(size: Sizes['lag'], pollIntervalMs: number): string[] {
  return [
    `The service as deployed (\`src/main.ts --role all\`: API and consumer in one child process, ` +
      'default batching: ' +
      `${defaultBatching()}` +
      ') on a fresh database and queue. ' +
      `The bench publishes ${num(size.ratePerS)} events/s for ${size.warmUpS} s of warm-up and ` +
      `then the measured ${size.durationS} s with a bare ` +
      `amqplib confirm channel, paced every ${TICK_MS} ms; the events are the ingest workload ` +
      `(late events and duplicates included), and ${size.probesPerS} a second of them are ` +
      'probes: a start for a patient of its own. For each probe the bench polls ' +
      `GET /api/v1/medication_periods/:up_id (every ${pollIntervalMs} ms after an answer) ` +
      'until the period is there; lag = first answer showing it − moment of publishing. ' +
      'The figures are those of the probes published in the measured period; the warm-up ' +
      'probes (a fresh process compiling its hot paths and opening its pools) are in the last ' +
      'two columns, apart.',
    'The redo log fill is the highest checkpoint age MariaDB reported during the run (sampled ' +
      'every 0.5 s) as a share of `innodb_log_file_size`: past about three quarters the server ' +
      'flushes pages in bursts and, near the end of the log, holds writes until it has, so a ' +
      'lag tail that comes with a high fill is partly the database’s (docs/performance.md).',
    `The baseline, in the same runs, is the broker alone: the same messages at the same rate ` +
      `and pacing (${size.warmUpS} s of warm-up, then ${size.brokerBaselineS} s measured), ` +
      'published the same way to a queue declared as the service declares it, consumed by a ' +
      'bare amqplib consumer (prefetch 1000, one acknowledgement per message) that writes ' +
      'nothing; its latency is from publishing a message to its delivery, for every message. ' +
      'Every connection that carries the bench’s or the service’s messages has Nagle’s algorithm off (`noDelay`): ' +
      'amqplib’s default leaves it on, which alone makes this baseline about 20 ms at p50 and ' +
      '45 ms at p99 (docs/performance.md).',
  ];
}
