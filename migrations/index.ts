import type { Knex } from 'knex';
import * as createEventLog from './20261126000100_create_event_log';
import * as createReadModel from './20261126000200_create_read_model';
import * as createRejectedEvents from './20261126000300_create_rejected_events';
import * as createStreamCancellations from './20261126000400_create_stream_cancellations';
import * as coverStreamReads from './20261126000500_cover_stream_reads';
import * as mergeStreamIndexes from './20261126000600_merge_stream_indexes';
import * as clusterPeriodsByStream from './20261126000700_cluster_periods_by_stream';
import * as createPatientPeriodLists from './20261127000800_create_patient_period_lists';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Listed here, not discovered on disk, so that the same migrations load under
// tsx, vitest and the knex CLI alike. The names are what knex records.
// (`file` is the property the knex CLI prints for pending migrations.)
interface Entry {
  file: string;
  migration: Migration;
}

const migrations: readonly Entry[] = [
  { file: '20261126000100_create_event_log', migration: createEventLog },
  { file: '20261126000200_create_read_model', migration: createReadModel },
  { file: '20261126000300_create_rejected_events', migration: createRejectedEvents },
  { file: '20261126000400_create_stream_cancellations', migration: createStreamCancellations },
  { file: '20261126000500_cover_stream_reads', migration: coverStreamReads },
  { file: '20261126000600_merge_stream_indexes', migration: mergeStreamIndexes },
  { file: '20261126000700_cluster_periods_by_stream', migration: clusterPeriodsByStream },
  { file: '20261127000800_create_patient_period_lists', migration: createPatientPeriodLists },
];

export const migrationSource: Knex.MigrationSource<Entry> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (entry) => entry.file,
  getMigration: async (entry) => entry.migration,
};
