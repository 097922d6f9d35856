import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runPublish } from '../../src/cli/publish';
import { publishConfirmed } from '../baselines/confirmPublisher';
import type { BenchContext } from '../context';
import { generateDeviceEvents } from '../generateLog';
import { cell, num, ratioCell } from '../report/format';
import type { ScenarioResult } from '../report/types';
import { ratios, summarize } from '../stats';
import { readyMessages, withTopology } from '../support/broker';
import { messageBodies } from '../support/eventRows';

async function publishWithCli(ctx: BenchContext, file: string, expected: number): Promise<number> {
  return withTopology(ctx.amqpUrl, 'publish-cli', async (topology) => {
    const summary = await runPublish({
      file,
      url: ctx.amqpUrl,
      exchange: topology.exchange,
      routingKey: topology.routingKey,
      queue: topology.queue,
      deliveryLimit: topology.deliveryLimit,
      shuffle: false,
      repeat: 1,
      rate: undefined,
      messageId: 'uuid',
      window: 1000,
      connectTimeout: 15_000,
      progress: false,
    });
    if (summary.confirmed !== expected || summary.error)
      throw new Error(
        `publisher CLI confirmed ${summary.confirmed} of ${expected}: ${summary.error}`,
      );
    if ((await readyMessages(topology)) !== expected) throw new Error('queue is missing messages');
    return summary.elapsedMs;
  });
}

async function publishBare(ctx: BenchContext, bodies: readonly Buffer[]): Promise<number> {
  return withTopology(ctx.amqpUrl, 'publish-bare', async (topology) => {
    const { elapsedMs } = await publishConfirmed(topology, bodies);
    if ((await readyMessages(topology)) !== bodies.length)
      throw new Error('queue is missing messages');
    return elapsedMs;
  });
}

/** The publisher CLI against a bare amqplib confirm-channel publisher, on the same events. */
export async function runPublishScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const events = [
    ...generateDeviceEvents({ ...ctx.sizes.ingest, events: ctx.sizes.publish.events, seed: 1 }),
  ];
  const bodies = messageBodies(events);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-bench-publish-'));
  const file = path.join(dir, 'events.json');
  await writeFile(file, JSON.stringify(events));
  const cliRates: number[] = [];
  const bareRates: number[] = [];
  try {
    for (let i = 0; i < ctx.runs; i++) {
      ctx.log(`publish: run ${i + 1}/${ctx.runs}`);
      bareRates.push((bodies.length * 1000) / (await publishBare(ctx, bodies)));
      cliRates.push((bodies.length * 1000) / (await publishWithCli(ctx, file, bodies.length)));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const share = summarize(ratios(cliRates, bareRates));
  return {
    section: {
      title: '1b. Publishing: the publisher CLI against bare amqplib',
      intro: [
        `The first ${num(bodies.length)} events of the ingest workload, published to a fresh quorum queue ` +
          'declared as the service declares it. The CLI is `runPublish` (src/cli/publish.ts) with its ' +
          'defaults (window 1000, one confirm channel, stream-parsing a JSON file), in the bench ' +
          'process. The baseline is one amqplib confirm channel publishing the same bodies with the ' +
          'same message properties (persistent, mandatory, a UUID message id), up to 1,000 ' +
          'unconfirmed. Timed until every message is confirmed.',
      ],
      tables: [
        {
          headers: ['what', 'events/s', 'CLI as a share of it'],
          rows: [
            ['publisher CLI (rascal, confirms)', cell(summarize(cliRates)), '—'],
            [
              'baseline: bare amqplib confirm channel',
              cell(summarize(bareRates)),
              ratioCell(share),
            ],
          ],
        },
      ],
    },
    targets: [
      {
        target: 'publisher CLI ≥ 50% of bare amqplib publishing with confirms',
        measured: `${num(share.median * 100, 1)}%`,
        met: share.median >= 0.5,
      },
    ],
  };
}
