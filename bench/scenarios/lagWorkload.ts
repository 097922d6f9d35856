import { randomBytes } from 'node:crypto';
import type { BenchContext } from '../context';
import { generateDeviceEvents } from '../generateLog';
import { probeEvent } from './lagProbe';

export const TICK_MS = 10;

/** One message of the lag workload; a probe is a start for a patient of its own. */
export interface LagMessage {
  body: Buffer;
  probeUpId?: string;
}

/**
 * The lag scenario's messages in publishing order: the ingest workload (late
 * events and duplicates included), every n-th message a probe instead.
 */
export function* lagMessages(ctx: BenchContext, total: number): Generator<LagMessage> {
  const { ratePerS, probesPerS } = ctx.sizes.lag;
  const probeEvery = Math.max(1, Math.round(ratePerS / probesPerS));
  const background = generateDeviceEvents({
    events: total,
    streams: ctx.sizes.ingest.streams,
    lateShare: 0.05,
    duplicateShare: 0.02,
    seed: 3,
  });
  const runId = randomBytes(3).toString('hex');
  for (let i = 0; i < total; i++) {
    if (i % probeEvery === 0) {
      const probeUpId = `lag-${runId}-${i}`;
      yield { body: Buffer.from(JSON.stringify(probeEvent(probeUpId))), probeUpId };
    } else {
      const next = background.next();
      if (next.done) return;
      yield { body: Buffer.from(JSON.stringify(next.value)) };
    }
  }
}

/**
 * Calls `send` once per message at a steady rate (a tick every TICK_MS sends
 * what is due), with the message's index. Resolves after the last one.
 */
export async function atSteadyRate(
  ratePerS: number,
  messages: Iterable<LagMessage>,
  send: (message: LagMessage, index: number) => void,
): Promise<void> {
  const iterator = messages[Symbol.iterator]();
  const started = performance.now();
  let sent = 0;
  for (;;) {
    const due = Math.floor(((performance.now() - started) * ratePerS) / 1000);
    for (; sent < due; sent++) {
      const next = iterator.next();
      if (next.done) return;
      send(next.value, sent);
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
}
