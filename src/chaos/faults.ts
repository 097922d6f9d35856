import type { ConsumerPool } from './consumers';
import { closeConnectionsNamed } from './rabbitmqctl';
import type { TcpProxy } from './tcpProxy';

export const FAULT_KINDS = [
  'consumer_killed',
  'broker_connections_closed',
  'database_cut',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultTargets {
  consumers: ConsumerPool;
  proxy: TcpProxy;
  /** The connection name the consumers give RabbitMQ. */
  consumerConnectionName: string;
}

export interface FaultSchedule {
  /** Pause between two faults, drawn uniformly, in ms. */
  minIntervalMs: number;
  maxIntervalMs: number;
  /** How long the database stays cut, drawn uniformly, in ms. */
  minOutageMs: number;
  maxOutageMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (random: () => number, min: number, max: number) =>
  Math.round(min + random() * (max - min));

/** Injects one fault of `kind`; false when it could not be (e.g. no consumer running). */
async function inject(
  kind: FaultKind,
  targets: FaultTargets,
  schedule: FaultSchedule,
  random: () => number,
): Promise<boolean> {
  switch (kind) {
    case 'consumer_killed':
      return targets.consumers.killOne(random, between(random, 200, 2_000));
    case 'broker_connections_closed':
      return (await closeConnectionsNamed(targets.consumerConnectionName)) > 0;
    case 'database_cut':
      await targets.proxy.cut();
      await sleep(between(random, schedule.minOutageMs, schedule.maxOutageMs));
      await targets.proxy.restore();
      return true;
  }
}

/**
 * Injects faults one after another at random intervals until `until`
 * resolves, then returns how many of each kind were injected. The kinds
 * take turns in a shuffled order, so each is exercised about as often.
 */
export async function injectFaults(
  targets: FaultTargets,
  schedule: FaultSchedule,
  random: () => number,
  until: Promise<unknown>,
  onFault: (kind: FaultKind, at: number) => void = () => undefined,
): Promise<Record<FaultKind, number>> {
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  let done = false;
  const finish = () => {
    done = true;
  };
  until.then(finish, finish);
  let turn: FaultKind[] = [];
  for (;;) {
    await sleep(between(random, schedule.minIntervalMs, schedule.maxIntervalMs));
    if (done) return counts;
    if (turn.length === 0) turn = [...FAULT_KINDS].sort(() => random() - 0.5);
    const kind = turn.shift()!;
    if (await inject(kind, targets, schedule, random)) {
      counts[kind] += 1;
      onFault(kind, Date.now());
    }
  }
}
