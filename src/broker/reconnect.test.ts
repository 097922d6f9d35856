import { afterEach, describe, expect, it } from 'vitest';
import { connectBroker } from './connection';
import { startConsumer, type Consumer } from './consumer';
import type { BrokerOptions } from './options';
import {
  closeConnectionsNamed,
  deleteTopology,
  memoryLogger,
  publishRaw,
  readyCount,
  recordingWrite,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  waitFor,
} from '../../test/support/broker';

const event = (n: number): string =>
  JSON.stringify({
    up_id: `p${n}`,
    medication_name: 'Zinc',
    action: 'stop',
    event_time: '2021-03-24T18:23:56Z',
  });

describe.runIf(shouldRunBrokerTests())('recovery from a lost connection (real RabbitMQ)', () => {
  let options: BrokerOptions | undefined;
  let consumer: Consumer | undefined;
  afterEach(async () => {
    await consumer?.stop();
    if (options) await deleteTopology(options);
    consumer = undefined;
    options = undefined;
  });

  it('reconnects, resubscribes and goes on consuming after the broker drops the connection', async () => {
    options = uniqueBrokerOptions('reconnect');
    const write = recordingWrite();
    const logger = memoryLogger();
    consumer = await startConsumer({ options, write: write.write, logger });
    await publishRaw(options, [event(1), event(2)]);
    await waitFor('the first messages', () => write.itemCount === 2);

    expect(closeConnectionsNamed(options.connectionName)).toBe(1);
    // The outage can be shorter than a poll (rascal reconnects at once, and
    // the handshake takes milliseconds), so it is read from the log, not sampled.
    await waitFor('the disconnect to be noticed', () => logger.has('warn', 'broker disconnected'));
    await waitFor('the reconnection', () => logger.has('info', 'broker reconnected'), {
      timeoutMs: 20_000,
    });
    expect(consumer.isConnected()).toBe(true);

    await publishRaw(options, [event(3), event(4), event(5)]);
    await waitFor('messages published after the outage', () => write.itemCount >= 5, {
      timeoutMs: 20_000,
    });
    await consumer.stop();
    expect(await readyCount(options.queue)).toBe(0);
  });

  it('redelivers a batch whose channel closed before it could be acknowledged', async () => {
    options = uniqueBrokerOptions('lost-acks');
    const outage = { triggered: false };
    const write = recordingWrite(async (_batch, call) => {
      if (call !== 1) return;
      // The connection drops while the first batch is being written.
      outage.triggered = true;
      closeConnectionsNamed(options!.connectionName);
      await new Promise((r) => setTimeout(r, 200));
    });
    await connectBroker({ options }).then((c) => c.close());
    await publishRaw(options, [event(1), event(2), event(3)]);
    const logger = memoryLogger();
    consumer = await startConsumer({ options, write: write.write, logger });

    const raw = (item: unknown) => String((item as { raw?: unknown }).raw);
    // Under load the first batch may hold fewer than all three messages; what
    // matters is that every message of it is written again, and none is missing.
    await waitFor(
      'the first batch to be written again after reconnecting',
      () => {
        const [first = [], ...later] = write.batches;
        const again = new Set(later.flat().map(raw));
        return (
          first.length > 0 &&
          first.every((item) => again.has(raw(item))) &&
          new Set(write.batches.flat().map(raw)).size === 3
        );
      },
      { timeoutMs: 20_000 },
    );
    expect(outage.triggered).toBe(true);
    // With two batches in flight the redelivered copy may be written before the
    // first write even returns; its acknowledgements then fail and are reported.
    await waitFor('the lost acknowledgements reported', () =>
      logger.has('warn', 'could not be settled'),
    );
    await consumer.stop();
    expect(await readyCount(options.queue)).toBe(0);
  });
});
