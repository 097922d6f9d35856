import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BrokerOptions } from '../broker/options';
import {
  deleteTopology,
  deviceSamplePath,
  drainQueue,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
} from '../../test/support/broker';
import { formatSummary } from './publish';
import { parseArgs } from './publishArgs';
import { streamJsonArray } from './jsonArrayFile';

const scratch = mkdtempSync(join(tmpdir(), 'publish-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

async function collect(file: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of streamJsonArray(file)) items.push(item);
  return items;
}

describe('parseArgs', () => {
  it('takes the URL from AMQP_URL unless --url is given', () => {
    expect(parseArgs(['f.json'], { AMQP_URL: 'amqp://env' }).url).toBe('amqp://env');
    expect(parseArgs(['f.json', '--url', 'amqp://flag'], { AMQP_URL: 'amqp://env' }).url).toBe(
      'amqp://flag',
    );
  });

  it('publishes where the service consumes: AMQP_EXCHANGE, AMQP_QUEUE and AMQP_DELIVERY_LIMIT, unless a flag says otherwise', () => {
    const env = { AMQP_EXCHANGE: 'ward-7', AMQP_QUEUE: 'ward-7.events', AMQP_DELIVERY_LIMIT: '3' };
    expect(parseArgs(['f.json'], env)).toMatchObject({
      exchange: 'ward-7',
      queue: 'ward-7.events',
      deliveryLimit: 3,
    });
    const flags = ['f.json', '--exchange', 'x', '--queue', 'q', '--delivery-limit', '9'];
    expect(parseArgs(flags, env)).toMatchObject({ exchange: 'x', queue: 'q', deliveryLimit: 9 });
    expect(parseArgs(['f.json'], {})).toMatchObject({
      exchange: 'device-events',
      queue: 'medication-periods.device-events',
      deliveryLimit: 5,
    });
    expect(() => parseArgs(['f.json'], { AMQP_DELIVERY_LIMIT: 'five' })).toThrow(
      'AMQP_DELIVERY_LIMIT must be a positive integer, got "five"',
    );
  });

  it('reads every option', () => {
    const args = parseArgs(
      [
        'f.json',
        '--shuffle',
        '--repeat',
        '3',
        '--rate',
        '100',
        '--message-id',
        'hash',
        '--no-progress',
      ],
      {},
    );
    expect(args).toMatchObject({
      file: 'f.json',
      shuffle: true,
      repeat: 3,
      rate: 100,
      messageId: 'hash',
      progress: false,
      exchange: 'device-events',
    });
  });

  it('refuses a bad number or strategy', () => {
    const quiet = (): void => undefined;
    expect(() => parseArgs(['f.json', '--repeat', '0'], {}, quiet)).toThrow(/positive integer/);
    expect(() => parseArgs(['f.json', '--message-id', 'sequential'], {}, quiet)).toThrow(
      /uuid, hash/,
    );
  });
});

describe('streamJsonArray', () => {
  it('yields each item of the top-level array, whatever it holds', async () => {
    const file = scratchFile('items.json', '[{"a": 1}, {}, "x", [2], null]');
    expect(await collect(file)).toEqual([{ a: 1 }, {}, 'x', [2], null]);
  });

  it('reads a file larger than one read chunk', async () => {
    const items = Array.from({ length: 20_000 }, (_, n) => ({ up_id: `p${n}`, action: 'start' }));
    const file = scratchFile('large.json', JSON.stringify(items));
    expect(await collect(file)).toEqual(items);
  });

  it('accepts an empty array', async () => {
    expect(await collect(scratchFile('empty.json', ' [ ] '))).toEqual([]);
  });

  it('refuses a file that is not an array', async () => {
    await expect(collect(scratchFile('object.json', '{"a": 1}'))).rejects.toThrow(/JSON array/);
  });

  it('refuses a truncated file', async () => {
    await expect(collect(scratchFile('truncated.json', '[{"a": 1}, {"b":'))).rejects.toThrow();
  });
});

describe('formatSummary', () => {
  it('says what was published, confirmed and failed, and the rate', () => {
    expect(formatSummary({ published: 24, confirmed: 24, failed: 0, elapsedMs: 500 })).toBe(
      'published 24, confirmed 24, failed 0 in 0.50s (48/s)',
    );
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would, in its own process. */
function runCli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), 'src/cli/publish.ts', ...args],
      {
        env: { ...process.env, AMQP_URL: undefined },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(shouldRunBrokerTests())('publish CLI (real RabbitMQ)', () => {
  let options: BrokerOptions | undefined;
  afterEach(async () => {
    if (options) await deleteTopology(options);
    options = undefined;
  });

  const topologyArgs = (o: BrokerOptions): string[] => [
    '--url',
    o.url,
    '--exchange',
    o.exchange,
    '--queue',
    o.queue,
    '--no-progress',
  ];

  it('publishes the device sample, 24 confirmed messages, and prints a summary', async () => {
    options = uniqueBrokerOptions('cli');
    const run = await runCli([deviceSamplePath(), ...topologyArgs(options)]);

    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^published 24, confirmed 24, failed 0 in \d+\.\d\ds \(\d+\/s\)\n$/);
    expect(run.code).toBe(0);
    const messages = await drainQueue(options.queue);
    expect(messages).toHaveLength(24);
    expect(messages[0]?.properties).toMatchObject({
      deliveryMode: 2,
      contentType: 'application/json',
    });
    // Items go out as they are, invalid ones included.
    expect(messages.map((m) => m.content.toString())).toContain('{}');
  });

  it('publishes --repeat copies in shuffled order, with --message-id hash tying copies together', async () => {
    options = uniqueBrokerOptions('cli-shuffle');
    const file = scratchFile('three.json', '[{"n": 1}, {"n": 2}, {"n": 3}]');
    const run = await runCli([
      file,
      ...topologyArgs(options),
      '--shuffle',
      '--repeat',
      '3',
      '--message-id',
      'hash',
    ]);

    expect(run.stdout).toMatch(/^published 9, confirmed 9, failed 0/);
    const messages = await drainQueue(options.queue);
    expect(messages.map((m) => m.content.toString()).sort()).toEqual(
      ['{"n":1}', '{"n":2}', '{"n":3}'].flatMap((body) => [body, body, body]),
    );
    expect(new Set(messages.map((m) => m.properties.messageId)).size).toBe(3);
  });

  it('fails with a non-zero exit code when the file is not a JSON array', async () => {
    options = uniqueBrokerOptions('cli-bad');
    const run = await runCli([scratchFile('bad.json', '{"up_id": 1}'), ...topologyArgs(options)]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/expected a JSON array/);
    expect(run.stdout).toBe('');
  });
});
