import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerOptions } from './options';
import { startConsumer, type Consumer } from './consumer';
import { connectBroker } from './connection';
import {
  deferred,
  deleteTopology,
  drainQueue,
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
    action: 'start',
    event_time: '2021-03-24T18:23:56Z',
  });

describe.runIf(shouldRunBrokerTests())('consumer (real RabbitMQ)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Declares a fresh topology (so publishing before the consumer starts is routed) and registers its cleanup. */
  async function topology(
    label: string,
    overrides: Partial<BrokerOptions> = {},
  ): Promise<BrokerOptions> {
    const options = uniqueBrokerOptions(label, overrides);
    const connection = await connectBroker({ options });
    await connection.close();
    cleanups.push(() => deleteTopology(options));
    return options;
  }

  async function consumer(
    options: BrokerOptions,
    write: Parameters<typeof startConsumer>[0]['write'],
  ): Promise<Consumer> {
    const started = await startConsumer({ options, write });
    cleanups.push(() => started.stop());
    return started;
  }

  it('writes deliveries in batches of at most batchSize, one batch at a time when so configured', async () => {
    const options = await topology('batches', {
      batchSize: 5,
      batchWindowMs: 200,
      prefetch: 50,
      concurrentBatches: 1,
    });
    await publishRaw(
      options,
      Array.from({ length: 12 }, (_, n) => event(n)),
    );
    let running = 0;
    let maxRunning = 0;
    const write = recordingWrite(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 20));
      running -= 1;
    });
    await consumer(options, write.write);

    await waitFor('12 items written', () => write.itemCount === 12);
    expect(write.batches.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(maxRunning).toBe(1);
    const payloads = write.batches.flat().map((item) => ('payload' in item ? item.payload : null));
    expect(payloads).toContainEqual({
      up_id: 'p7',
      medication_name: 'Zinc',
      action: 'start',
      event_time: '2021-03-24T18:23:56Z',
    });
  });

  it('acknowledges nothing while the write is pending', async () => {
    const options = await topology('held', { shutdownTimeoutMs: 300 });
    await publishRaw(
      options,
      Array.from({ length: 10 }, (_, n) => event(n)),
    );
    const held = deferred<void>();
    const write = recordingWrite(() => held.promise);
    const started = await consumer(options, write.write);
    await waitFor('the batch to reach the write', () => write.itemCount === 10);
    expect(await readyCount(options.queue)).toBe(0);

    // Stop gives up waiting after 300 ms and closes the connection: had any
    // message been acknowledged, it would not come back to the queue.
    await started.stop();
    await waitFor('all 10 back in the queue', async () => (await readyCount(options.queue)) === 10);
    held.resolve();
  });

  it('acknowledges a batch once its write resolved', async () => {
    const options = await topology('acked');
    await publishRaw(
      options,
      Array.from({ length: 10 }, (_, n) => event(n)),
    );
    const write = recordingWrite();
    const started = await consumer(options, write.write);
    await waitFor('10 items written', () => write.itemCount === 10);
    await started.stop();
    expect(await readyCount(options.queue)).toBe(0);
  });

  it('stop() waits for the batch in flight to commit and be acknowledged', async () => {
    const options = await topology('drain');
    await publishRaw(
      options,
      Array.from({ length: 8 }, (_, n) => event(n)),
    );
    const held = deferred<void>();
    const write = recordingWrite(() => held.promise);
    const started = await consumer(options, write.write);
    await waitFor('the batch to reach the write', () => write.itemCount === 8);

    let stopped = false;
    const stopping = started.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped).toBe(false);
    held.resolve();
    await stopping;
    expect(await readyCount(options.queue)).toBe(0);
    expect(started.isConnected()).toBe(false);
  });

  it('dead-letters a message that keeps failing on its own, past the delivery limit', async () => {
    const options = await topology('failing', { deliveryLimit: 2 });
    const bodies = [event(1), event(2), event(3)];
    await publishRaw(options, bodies);
    const write = recordingWrite(() => Promise.reject(new Error('constraint violated')));
    await consumer(options, write.write);

    await waitFor(
      'all three in the dead-letter queue',
      async () => (await readyCount(options.deadLetterQueue)) === 3,
    );
    expect(await readyCount(options.queue)).toBe(0);
    const deadLetters = await drainQueue(options.deadLetterQueue);
    expect(deadLetters.map((m) => m.content.toString()).sort()).toEqual([...bodies].sort());
    expect(deadLetters[0]?.properties.headers?.['x-first-death-reason']).toBe('delivery_limit');
  });

  it('isolates a poison message: its batch-mates are written and only it is dead-lettered', async () => {
    const options = await topology('poison', { deliveryLimit: 1, batchWindowMs: 200 });
    const poison = Buffer.from(JSON.stringify({ up_id: 'poison' }));
    const good = [event(1), event(2), event(3), event(4)];
    await publishRaw(options, [good[0]!, good[1]!, poison, good[2]!, good[3]!]);
    const written: string[] = [];
    const write = recordingWrite((batch) => {
      const texts = batch.map((item) => String('raw' in item ? item.raw : ''));
      if (texts.some((t) => t.includes('poison'))) return Promise.reject(new Error('bad row'));
      written.push(...texts);
      return Promise.resolve();
    });
    await consumer(options, write.write);
    await waitFor(
      'the poison message dead-lettered',
      async () => (await readyCount(options.deadLetterQueue)) === 1,
    );
    expect(written.sort()).toEqual(good.map((b) => b.toString()).sort());
    expect((await drainQueue(options.deadLetterQueue)).map((m) => m.content.toString())).toEqual([
      poison.toString(),
    ]);
  });

  it('holds a batch unacknowledged while the database is unavailable, without spending its delivery limit', async () => {
    const options = await topology('outage', { deliveryLimit: 1 });
    await publishRaw(options, [event(1), event(2)]);
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
      code: 'ECONNREFUSED',
    });
    const write = recordingWrite((_batch, call) =>
      call < 6 ? Promise.reject(down) : Promise.resolve(),
    );
    const started = await consumer(options, write.write);
    await waitFor('five failed attempts and a success', () => write.batches.length === 6);
    await started.stop();
    expect(write.batches.every((b) => b.length === 2)).toBe(true);
    expect(await readyCount(options.queue)).toBe(0);
    expect(await readyCount(options.deadLetterQueue)).toBe(0);
  });

  it('returns a batch held through an outage to the queue when stopped, for the next consumer to write within the delivery limit', async () => {
    const options = await topology('outage-stop', { deliveryLimit: 2, retryInitialMs: 50 });
    await publishRaw(options, [event(1), event(2)]);
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
      code: 'ECONNREFUSED',
    });
    const write = recordingWrite(() => Promise.reject(down));
    const started = await consumer(options, write.write);
    await waitFor('three failed attempts', () => write.batches.length >= 3);
    await started.stop();
    expect(await readyCount(options.queue)).toBe(2);
    expect(await readyCount(options.deadLetterQueue)).toBe(0);

    // Held through any number of attempts, then one delivery spent by the stop: a second consumer gets both.
    const second = recordingWrite();
    const again = await consumer(options, second.write);
    await waitFor('both written by the next consumer', () => second.itemCount === 2);
    await again.stop();
    expect(await readyCount(options.deadLetterQueue)).toBe(0);
  });

  it('retries after a failure and acknowledges once the write succeeds', async () => {
    const options = await topology('recovers', { deliveryLimit: 5 });
    await publishRaw(options, [event(1)]);
    const write = recordingWrite((_batch, call) =>
      call < 3 ? Promise.reject(new Error('database is down')) : Promise.resolve(),
    );
    const started = await consumer(options, write.write);
    await waitFor('the third attempt', () => write.batches.length === 3);
    await started.stop();
    expect(await readyCount(options.queue)).toBe(0);
    expect(await readyCount(options.deadLetterQueue)).toBe(0);
  });

  it('hands bodies that are not UTF-8, not JSON or over the size limit to the write as rejections with their bytes', async () => {
    const options = await topology('invalid', { maxMessageBytes: 1024 });
    const notUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const notJson = Buffer.from('{"up_id": "avi123"');
    const tooLarge = Buffer.from(JSON.stringify({ up_id: 'p2', note: 'x'.repeat(2000) }));
    await publishRaw(options, [notUtf8, notJson, tooLarge, event(1)]);
    const write = recordingWrite();
    const started = await consumer(options, write.write);
    await waitFor('4 items written', () => write.itemCount === 4);

    const items = write.batches.flat();
    const byReason = (reason: string) =>
      items.find((item) => 'rejection' in item && item.rejection.reason === reason);
    expect(byReason('invalid_utf8')?.raw).toEqual(notUtf8);
    expect(byReason('invalid_json')?.raw).toEqual(notJson);
    expect(byReason('payload_too_large')?.raw).toEqual(tooLarge.subarray(0, 1024));
    expect(items.filter((item) => 'payload' in item)).toHaveLength(1);
    await started.stop();
    expect(await readyCount(options.queue)).toBe(0);
  });
});
