import { describe, expect, it } from 'vitest';
import type { Period } from '../domain';
import { renderPeriodList, type ListedPeriod } from './periodListJson';
import { patchPeriodList } from './periodListPatch';

const HOUR = 3_600_000;
const at = (h: number) => Date.UTC(2024, 0, 1) + h * HOUR;

const listed = (medicationName: string, start: number, end: number | null): ListedPeriod => ({
  medicationName,
  startTime: at(start),
  endTime: end === null ? null : at(end),
  status: end === null ? 'active' : 'completed',
});
const period = (start: number, end: number | null): Period => ({
  startTime: at(start),
  endTime: end === null ? null : at(end),
  status: end === null ? 'active' : 'completed',
  startEventKey: `h:start-${start}`,
  endEventKey: end === null ? null : `h:stop-${end}`,
});

// Aspirin and Zinc interleave; Zinc also starts at the same instant as an Aspirin period.
const STORED = renderPeriodList([
  listed('Aspirin', 1, 2),
  listed('Zinc', 1, 4),
  listed('Aspirin', 3, 5),
  listed('Aspirin', 6, null),
  listed('Zinc', 7, null),
]);

describe('patchPeriodList', () => {
  it('given a stream replayed whole, then only its entries are replaced, and the list keeps the API order', () => {
    const patched = patchPeriodList(STORED, [
      { medicationName: 'Aspirin', from: -Infinity, periods: [period(0, 1), period(7, null)] },
    ]);
    expect(patched).toEqual([
      listed('Aspirin', 0, 1),
      listed('Zinc', 1, 4),
      listed('Aspirin', 7, null),
      listed('Zinc', 7, null),
    ]);
  });

  it('given a tail replayed from an instant, with the period open there, then the earlier entries stay and the open one is replaced', () => {
    const patched = patchPeriodList(STORED, [
      {
        medicationName: 'Aspirin',
        from: at(4),
        alsoFrom: at(3),
        periods: [period(3, 4), period(8, null)],
      },
      { medicationName: 'Zinc', from: at(7), periods: [period(7, 9)] },
    ]);
    expect(renderPeriodList(patched)).toBe(
      renderPeriodList([
        listed('Aspirin', 1, 2),
        listed('Zinc', 1, 4),
        listed('Aspirin', 3, 4),
        listed('Zinc', 7, 9),
        listed('Aspirin', 8, null),
      ]),
    );
  });

  it('given names JSON has to escape, then the stored list reads back and renders to the same bytes', () => {
    const names = ['Zäpfchen "forte"', 'back\\slash', 'tab\tname', '💊'];
    const stored = renderPeriodList(names.map((name, i) => listed(name, i, i + 1)));
    expect(renderPeriodList(patchPeriodList(stored, []))).toBe(stored);
  });
});
