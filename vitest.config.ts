import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    include: [
      'src/**/*.test.ts',
      'migrations/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Integration suites share one MariaDB and one RabbitMQ on a 2-core machine.
    maxWorkers: 2,
  },
});
