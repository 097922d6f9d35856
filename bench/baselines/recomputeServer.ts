/**
 * Baseline server for recompute-on-read, the naive design: every GET loads
 * the patient's events from the log and folds them into periods
 * (listPeriodsAsOf at "now"), on the service's knex pool. It is the service's
 * own app (buildApp: the same plugins, route, validation and rendering, as
 * the bench runs the service: no tokens, no rate limit, LOG_LEVEL=warn) with
 * only the periods repository swapped, so that the comparison measures the
 * read model and nothing else.
 */
import { buildApp } from '../../src/http/app';
import type { PeriodsRepository } from '../../src/http/plugins/repositories';
import { createDb } from '../../src/store/db';
import { renderPeriodList } from '../../src/periodLists/periodListJson';
import type { PeriodFilter } from '../../src/domain';
import { listPeriodsAsOf } from '../../src/store/periodsRepository';
import { serve } from './serve';

const db = createDb(process.env.DATABASE_URL ?? '');
const recompute = (upId: string, filter: PeriodFilter) =>
  listPeriodsAsOf(db, upId, Date.now(), filter);
const periodsRepository: PeriodsRepository = {
  list: recompute,
  listAsOf: (upId, asOf, filter) => listPeriodsAsOf(db, upId, asOf, filter),
  snapshot: async (upId) => ({ periodsJson: renderPeriodList(await recompute(upId, {})) }),
};
const app = buildApp({
  db,
  config: { LOG_LEVEL: 'warn', BODY_LIMIT_BYTES: 1_048_576 },
  repositories: { periodsRepository },
});
void serve(app, () => db.destroy());
