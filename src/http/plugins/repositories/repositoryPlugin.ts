import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Repositories } from './index';

/** What every repository plugin takes: a replacement, the test seam (a fake, or one that throws). */
export interface RepositoryOverride<K extends keyof Repositories> {
  override?: Repositories[K];
}

/**
 * A plugin that decorates the app with one repository, made by `create` from
 * the app's database (the routes never see knex), unless an override is given.
 */
export function repositoryPlugin<K extends keyof Repositories, Options extends object = object>(
  name: K,
  create: (app: FastifyInstance, options: Options) => Repositories[K],
  dependencies: readonly string[] = ['database'],
) {
  return fp<Options & RepositoryOverride<K>>(
    (app, options, done) => {
      const repository: Repositories[K] = options.override ?? create(app, options);
      // A generic key defeats decorate's conditional value type; the line above checks it.
      app.decorate<unknown>(name as string, repository);
      done();
    },
    { name, fastify: '5.x', dependencies: [...dependencies] },
  );
}
