import type { TestProject } from 'vitest/node';
import { TEST_AMQP_URL, TEST_MYSQL_URL, isReachable } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    mysqlAvailable: boolean;
    amqpAvailable: boolean;
  }
}

/**
 * Probes the real services once. Under CI=true a missing service fails the
 * run here; elsewhere the suites that need it are skipped, loudly.
 */
export default async function setup(project: TestProject): Promise<void> {
  const mysql = await isReachable(TEST_MYSQL_URL, 3306);
  const amqp = await isReachable(TEST_AMQP_URL, 5672);
  const missing = [
    !mysql && `MariaDB/MySQL at ${TEST_MYSQL_URL}`,
    !amqp && `RabbitMQ at ${TEST_AMQP_URL}`,
  ].filter(Boolean);
  if (missing.length > 0) {
    if (process.env.CI === 'true') {
      throw new Error(
        `CI=true and the integration services are not reachable: ${missing.join(', ')}`,
      );
    }
    console.warn(`Skipping integration suites, not reachable: ${missing.join(', ')}`);
  }
  project.provide('mysqlAvailable', mysql);
  project.provide('amqpAvailable', amqp);
}
