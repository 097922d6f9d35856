import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Integration suites share one MariaDB and one RabbitMQ on a 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: [
            'src/**/*.test.ts',
            'migrations/**/*.test.ts',
            'seeds/**/*.test.ts',
            'test/**/*.test.ts',
            'docker/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: ['test/disruptive/**', '**/node_modules/**'],
        },
      },
      {
        // Suites that restart shared services: run on their own, after `main`.
        extends: true,
        test: {
          name: 'disruptive',
          include: ['test/disruptive/**/*.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
