import { describe, expect, it } from 'vitest';
import { isoTime, isoTimeOrNull, presentRawPayload } from './format';

describe('isoTime', () => {
  it('formats epoch ms as ISO UTC with milliseconds', () => {
    expect(isoTime(Date.UTC(2021, 2, 24, 18, 23, 56))).toBe('2021-03-24T18:23:56.000Z');
    expect(isoTimeOrNull(null)).toBeNull();
  });

  it('writes exactly what Date#toISOString writes', () => {
    const edges = [
      0,
      1,
      999,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2100, 1, 28, 12),
      Date.UTC(2100, 2, 1),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      -1,
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(-1, 0, 1),
      1.5,
    ];
    const random = Array.from({ length: 100_000 }, () => Math.floor(Math.random() * 253e12));
    const wrong = [...edges, ...random].filter((ms) => isoTime(ms) !== new Date(ms).toISOString());
    expect(wrong).toEqual([]);
  });
});

describe('presentRawPayload', () => {
  it('gives UTF-8 as text only, byte for byte (a BOM included)', () => {
    expect(presentRawPayload(Buffer.from('{"up_id":"אבי"}'))).toEqual({
      raw_payload: '{"up_id":"אבי"}',
    });
    expect(presentRawPayload(Buffer.from('\uFEFF{}')).raw_payload).toBe('\uFEFF{}');
  });

  it('adds base64 when the bytes are not UTF-8', () => {
    const bytes = Buffer.from([0x41, 0xc3]);
    expect(presentRawPayload(bytes)).toEqual({
      raw_payload: 'A\uFFFD',
      raw_payload_base64: 'QcM=',
    });
  });
});
