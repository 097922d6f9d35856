import type { Knex } from 'knex';
import * as createEventLog from './20261126000100_create_event_log';
import * as createReadModel from './20261126000200_create_read_model';
import * as createRejectedEvents from './20261126000300_create_rejected_events';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Listed here, not discovered on disk, so that the same migrations load under
// tsx, vitest and the knex CLI alike. The names are what knex records.
const migrations: ReadonlyArray<[string, Migration]> = [
  ['20261126000100_create_event_log', createEventLog],
  ['20261126000200_create_read_model', createReadModel],
  ['20261126000300_create_rejected_events', createRejectedEvents],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
