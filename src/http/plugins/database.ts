import fp from 'fastify-plugin';
import type { Knex } from 'knex';

declare module 'fastify' {
  interface FastifyInstance {
    db: Knex;
  }
}

export interface DatabasePluginOptions {
  db: Knex;
}

/**
 * Shares the knex instance with every route and plugin. The caller created
 * it and may share it with the broker, so closing the app does not destroy
 * it: whoever opened it closes it (main.ts, or the test).
 */
export const databasePlugin = fp<DatabasePluginOptions>(
  (app, { db }, done) => {
    app.decorate('db', db);
    done();
  },
  { name: 'database', fastify: '5.x' },
);
