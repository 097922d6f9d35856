/**
 * Baseline server for recompute-on-read, the naive design: every GET loads
 * the patient's events from the log and folds them into periods
 * (listPeriodsAsOf at "now"), on the service's knex pool. A bare Fastify
 * route with no plugins, so it is, if anything, favoured against the service.
 */
import Fastify from 'fastify';
import { listPeriodsAsOf } from '../../src/store/periodsRepository';
import { createDb } from '../../src/store/db';
import { serve } from './serve';

const db = createDb(process.env.DATABASE_URL ?? '');
const app = Fastify({ logger: false });

app.get<{ Params: { up_id: string } }>('/api/v1/medication_periods/:up_id', async (request) => {
  const upId = request.params.up_id;
  const rows = await listPeriodsAsOf(db, upId, Date.now(), {});
  return {
    up_id: upId,
    periods: rows.map((r) => ({
      medication_name: r.medicationName,
      start_time: new Date(r.startTime).toISOString(),
      end_time: r.endTime === null ? null : new Date(r.endTime).toISOString(),
      status: r.status,
    })),
  };
});
app.get('/healthz', async () => ({ ok: true }));
void serve(app, () => db.destroy());
