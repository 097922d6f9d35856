import { describe, expect, it } from 'vitest';
import { projectStreamDetailed, type OrderedEvent } from '../domain';
import { anomalyRow, cancellationRow, periodRow } from '../store/projectionRows';
import { COLUMNS, rowsOf } from './freshRows';

const stream = { upId: 'p1', medicationName: 'm1' };
const events: OrderedEvent[] = [
  { action: 'start', eventTime: 1000, dedupeKey: 'a' },
  { action: 'stop', eventTime: 2000, dedupeKey: 'b' },
  { action: 'cancel_stop', eventTime: 2500, dedupeKey: 'c' },
  { action: 'stop', eventTime: 3000, dedupeKey: 'd' },
  { action: 'stop', eventTime: 4000, dedupeKey: 'e' },
  { action: 'start', eventTime: 5000, dedupeKey: 'f' },
];

describe('rows of streams without stored rows', () => {
  it('are exactly the rows the write path stores for the same projection', () => {
    const projection = projectStreamDetailed(events);
    expect(projection.periods.length).toBeGreaterThan(0);
    expect(projection.anomalies.length).toBeGreaterThan(0);
    expect(projection.cancellations.length).toBeGreaterThan(0);
    const rows = rowsOf([stream], new Map([[JSON.stringify(['p1', 'm1']), projection]]));
    const asObjects = (table: keyof typeof COLUMNS) =>
      rows[table].map((values) =>
        Object.fromEntries(COLUMNS[table].map((column, i) => [column, values[i]])),
      );
    expect(asObjects('periods')).toEqual(projection.periods.map((p) => periodRow(stream, p)));
    expect(asObjects('anomalies')).toEqual(projection.anomalies.map((a) => anomalyRow(stream, a)));
    expect(asObjects('stream_cancellations')).toEqual(
      projection.cancellations.map((c) => cancellationRow(stream, c)),
    );
  });
});
