import { describe, expect, it } from 'vitest';
import { HttpError } from './errors';
import { parseInstantParam, parseTimeWindow, requireIdentifier } from './params';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return (error as HttpError).message;
  }
  throw new Error('expected an HttpError');
}

describe('requireIdentifier', () => {
  it('trims and counts code points, not UTF-16 units', () => {
    expect(requireIdentifier('  avi123 ', 'up_id', 64)).toBe('avi123');
    expect(requireIdentifier('😀'.repeat(64), 'up_id', 64)).toHaveLength(128);
    expect(messageOf(() => requireIdentifier('😀'.repeat(65), 'up_id', 64))).toBe(
      'up_id: must be 1-64 characters after trimming',
    );
    expect(messageOf(() => requireIdentifier(' \t', 'medication', 128))).toBe(
      'medication: must not be empty',
    );
  });
});

describe('parseInstantParam', () => {
  it('follows the event_time rule: any offset, normalized to epoch ms', () => {
    expect(parseInstantParam(undefined, 'from')).toBeUndefined();
    expect(parseInstantParam('2021-03-24T20:00:00+0100', 'from')).toBe(
      Date.parse('2021-03-24T19:00:00Z'),
    );
    expect(messageOf(() => parseInstantParam('2021-03-24', 'to'))).toMatch(/^to: must be/);
  });
});

describe('parseTimeWindow', () => {
  it('refuses an empty or inverted window, naming both bounds', () => {
    const at = '2021-03-24T19:00:00Z';
    expect(messageOf(() => parseTimeWindow({ from: at, to: at }))).toMatch(/^from, to: /);
    expect(parseTimeWindow({ from: at })).toEqual({ from: Date.parse(at), to: undefined });
  });
});
