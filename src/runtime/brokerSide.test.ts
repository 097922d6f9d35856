import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RABBIT_URL,
  deleteTopology,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
  waitFor,
} from '../../test/support/broker';
import { sqliteBackend, type TestDatabase } from '../../test/support/backends';
import { startTestApp, type TestApp } from '../../test/support/testApp';
import { startTcpProxy, type TcpProxy } from '../chaos/tcpProxy';
import { loadConfig } from '../config';
import type { BrokerOptions } from '../broker/options';
import { createMetrics } from '../metrics';
import { PatientPeriodsCache } from '../readCache/patientPeriodsCache';
import { startBrokerSide, type BrokerSide } from './brokerSide';

// /readyz as the contract has it: "the database (and the broker, when one is
// configured) answer; 503 otherwise", with the broker's real check, its
// connection cut (refused, so rascal cannot reconnect) and then restored.
describe.runIf(shouldRunBrokerTests())('/readyz with the real broker check', () => {
  let proxy: TcpProxy | undefined;
  let side: BrokerSide | undefined;
  let t: TestApp | undefined;
  let options: BrokerOptions | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await proxy?.restore();
    for (const step of side?.stopSteps ?? []) await step();
    await t?.close();
    await database?.destroy();
    await proxy?.close();
    if (options) await deleteTopology(options);
    proxy = side = t = options = database = undefined;
  });

  it.each([
    { role: 'api', consume: false },
    { role: 'all', consume: true },
  ])(
    'given the $role role with a broker configured, when the broker is cut off and restored, then /readyz answers 503 naming it, then 200',
    async ({ consume }) => {
      options = uniqueBrokerOptions('readiness');
      const broker = new URL(RABBIT_URL);
      proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
      broker.host = `127.0.0.1:${proxy.port}`;
      const config = loadConfig({
        DATABASE_URL: 'sqlite::memory:',
        LOG_LEVEL: 'silent',
        AMQP_URL: broker.toString(),
        AMQP_EXCHANGE: options.exchange,
        AMQP_QUEUE: options.queue,
        AMQP_CONNECTION_NAME: options.connectionName,
      });
      database = await sqliteBackend.create();
      side = await startBrokerSide({
        config,
        amqpUrl: broker.toString(),
        consume,
        serveApi: true,
        db: database.db,
        log: pino({ level: 'silent' }),
        metrics: createMetrics(),
        readCache: new PatientPeriodsCache({ maxPatients: 10, ttlMs: 2000 }),
      });
      t = await startTestApp(sqliteBackend, { readiness: side.readiness });
      const readyz = async () => {
        const response = await t!.app.inject('/readyz');
        return { status: response.statusCode, checks: response.json<{ checks: object }>().checks };
      };

      expect(await readyz()).toEqual({ status: 200, checks: { database: 'ok', broker: 'ok' } });

      await proxy.cut();
      await waitFor('/readyz to report the broker', async () => (await readyz()).status === 503);
      expect(await readyz()).toEqual({
        status: 503,
        checks: { database: 'ok', broker: 'failing' },
      });

      await proxy.restore();
      await waitFor('/readyz to recover', async () => (await readyz()).status === 200, {
        timeoutMs: 30_000,
      });
    },
    60_000,
  );
});
