import type { BenchContext } from '../context';
import { cell, num, ratioCell } from '../report/format';
import type { ScenarioResult } from '../report/types';
import { ratios, summarize, type Summary } from '../stats';
import { load, type LoadResult } from '../support/load';
import type { ReadLog } from '../support/readLog';
import { configs, DEFAULT_TTL_S, HOT_PATIENTS, startServers, type ConfigName } from './readConfigs';

/** Scenario 3 and 4: reads under autocannon, the service against its baselines and recompute-on-read. */
export async function runReads(ctx: BenchContext, log: ReadLog): Promise<ScenarioResult> {
  const size = ctx.sizes.reads;
  const [maxRow] = await log.database.db('events').max({ seq: 'seq' });
  const all = configs(log, Number(maxRow?.seq ?? 1));
  const results = new Map<ConfigName, LoadResult[]>(all.map((c) => [c.name, []]));
  const servers = await startServers(log);
  try {
    for (let i = 0; i < ctx.runs; i++) {
      for (const config of all) {
        ctx.log(`reads: run ${i + 1}/${ctx.runs}, ${config.name}`);
        const baseUrl = servers[config.server].baseUrl;
        const common = { baseUrl, nextPath: config.nextPath, connections: size.connections };
        await load({ ...common, durationS: size.warmupS });
        const result = await load({ ...common, durationS: size.durationS });
        if (result.failures > 0)
          throw new Error(`reads: ${config.name} had ${result.failures} failed requests`);
        results.get(config.name)!.push(result);
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
  const rps = (name: ConfigName) => results.get(name)!.map((r) => r.rps);
  const stat = (name: ConfigName, f: (r: LoadResult) => number): Summary =>
    summarize(results.get(name)!.map(f));
  const ofPk = (name: ConfigName) => summarize(ratios(rps(name), rps('pk')));
  const ofHello = (name: ConfigName) => summarize(ratios(rps(name), rps('hello')));
  const materializedGain = summarize(ratios(rps('serviceHeavy'), rps('recomputeHeavy')));
  const materializedGainAll = summarize(ratios(rps('service'), rps('recompute')));
  const serviceOfPk = ofPk('service');
  const hotOfHello = ofHello('serviceCachedHot');
  const hotP99 = stat('serviceCachedHot', (r) => r.p99Ms);

  return {
    section: {
      title: '3–4. Reads: GET /api/v1/medication_periods/:up_id',
      intro: [
        `autocannon in the bench process, ${size.connections} connections, ${size.durationS} s per ` +
          `measurement after ${size.warmupS} s of warm-up, against servers in child processes (so ` +
          'the load generator does not share their event loop); each request asks for a patient ' +
          `drawn at random. MariaDB holds ${num(log.events)} events of ` +
          `${num(log.patients.length + log.heavyPatients.length)} patients ` +
          `(${num(log.heavyPatients.length)} of them with ${log.heavyEventsPerPatient} events each; ` +
          'the others about ' +
          `${num((log.events - log.heavyPatients.length * log.heavyEventsPerPatient) / Math.max(1, log.patients.length), 1)}), ` +
          'their periods built by the replay.',
        'The service is `node --import tsx src/main.ts --role api` (all its plugins, LOG_LEVEL=warn, ' +
          'no tokens, no rate limit), once with the read cache off (`READ_CACHE_TTL_MS=0`) and once ' +
          `with its defaults (cache on, TTL ${DEFAULT_TTL_S} s): once with patients drawn at random ` +
          `from all of them, where most reads miss it, and once from a fixed set of ${num(HOT_PATIENTS)} ` +
          'patients (every n-th one) standing for the patients being viewed at a time. A hit sends ' +
          'the response built when the entry was loaded. The baselines run the same way: a ' +
          'Fastify hello-world route; a route running one primary-key SELECT through `createDb` ' +
          '(the same pool); and recompute-on-read, the service’s own app (`buildApp`, all its ' +
          'plugins, the same route and the same JSON rendering) with the periods repository ' +
          'swapped for one calling `listPeriodsAsOf(db, upId, Date.now(), filter)` (loads the ' +
          'patient’s events and projects them on every GET), so the two differ in the read model ' +
          'only. The service answers an unfiltered GET from the patient’s pre-rendered period list ' +
          '(one primary-key lookup; docs/architecture.md), which the replay rendered. ' +
          'The configurations take turns within each run.',
      ],
      tables: [
        {
          headers: [
            'what',
            'req/s',
            'p50 ms',
            'p99 ms',
            'req/s vs PK SELECT',
            'req/s vs hello world',
          ],
          rows: all.map((c) => [
            c.label,
            cell(summarize(rps(c.name))),
            cell(stat(c.name, (r) => r.p50Ms)),
            cell(stat(c.name, (r) => r.p99Ms)),
            c.name === 'pk' ? '1×' : ratioCell(ofPk(c.name)),
            c.name === 'hello' ? '1×' : ratioCell(ofHello(c.name)),
          ]),
        },
        {
          caption:
            'What the materialized read model buys (service req/s ÷ recompute-on-read req/s):',
          headers: ['patients', 'materialized ÷ recompute'],
          rows: [
            ['any patient', ratioCell(materializedGainAll)],
            [`patients with ${log.heavyEventsPerPatient} events`, ratioCell(materializedGain)],
          ],
        },
      ],
    },
    targets: [
      {
        target: 'reads (no cache) ≥ 90% of the PK-SELECT baseline',
        measured: `${num(serviceOfPk.median * 100, 1)}%`,
        met: serviceOfPk.median >= 0.9,
      },
      {
        target:
          `reads with the read cache ≥ 50% of hello world, p99 < 10 ms ` +
          `(${num(HOT_PATIENTS)} patients being viewed)`,
        measured: `${num(hotOfHello.median * 100, 1)}%, p99 ${num(hotP99.median, 1)} ms`,
        met: hotOfHello.median >= 0.5 && hotP99.median < 10,
      },
      {
        target: 'materialized reads ≥ 5× recompute-on-read, patients with 100+ events',
        measured: `${num(materializedGain.median, 2)}×`,
        met: materializedGain.median >= 5,
      },
    ],
  };
}
