import fc from 'fast-check';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERIOD_STATUSES, PeriodsResponse } from '../http/schemas';
import { isoTime } from '../domain';
import { renderPeriodList, renderPeriodsResponse } from './periodListJson';
import type { PeriodRow } from '../store/types';

/** What the route's own response serializer (Fastify, the PeriodsResponse schema) writes. */
async function serializedByFastify(upId: string, rows: readonly PeriodRow[]): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/',
    payload: {
      up_id: upId,
      periods: rows.map((r) => ({
        medication_name: r.medicationName,
        start_time: isoTime(r.startTime),
        end_time: r.endTime === null ? null : isoTime(r.endTime),
        status: r.status,
      })),
    },
  });
  return response.body;
}

const app = Fastify();
app.post('/', { schema: { response: { 200: PeriodsResponse } } }, async (request) => request.body);
beforeAll(() => app.ready());
afterAll(() => app.close());

// Any text a name may hold: quotes, backslashes, control characters, emoji, lone surrogates.
const text = fc.string({ unit: 'binary', maxLength: 40 });
const instant = fc.integer({ min: -62_000_000_000_000, max: 300_000_000_000_000 });
const period = fc.record({
  upId: fc.constant('p'),
  medicationName: text,
  startTime: instant,
  endTime: fc.option(instant, { nil: null }),
  status: fc.constantFrom(...PERIOD_STATUSES),
});

describe('the pre-rendered period list', () => {
  it('given any periods, then the rendered body is byte for byte what the route serializer writes', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(period, { maxLength: 6 }), async (upId, rows) => {
        const rendered = renderPeriodsResponse(upId, renderPeriodList(rows));
        expect(rendered).toBe(await serializedByFastify(upId, rows));
      }),
      { seed: Number(process.env.PROPERTY_SEED ?? 20261127), numRuns: 500 },
    );
  });

  it('given no periods, then it is an empty array', () => {
    expect(renderPeriodsResponse('p-1', renderPeriodList([]))).toBe('{"up_id":"p-1","periods":[]}');
  });
});
