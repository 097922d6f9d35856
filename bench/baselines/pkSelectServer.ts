/**
 * Baseline server: one route running one indexed primary-key SELECT
 * (events by seq) through the service's own knex pool (createDb on
 * DATABASE_URL). Child process of the bench.
 */
import Fastify from 'fastify';
import { createDb } from '../../src/store/db';
import { serve } from './serve';

const db = createDb(process.env.DATABASE_URL ?? '');
const app = Fastify({ logger: false });

app.get<{ Params: { seq: string } }>('/pk/:seq', async (request) => {
  const row: unknown = await db('events')
    .select('seq', 'up_id', 'medication_name', 'action', 'event_time')
    .where('seq', Number(request.params.seq))
    .first();
  return { event: row ?? null };
});
app.get('/healthz', async () => ({ ok: true }));
void serve(app, () => db.destroy());
