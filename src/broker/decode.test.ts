import { describe, expect, it } from 'vitest';
import { decodeMessageBody as decodeWithLimit, patientHintOf } from './decode';

const LIMIT = 1024;
const decodeMessageBody = (body: Buffer) => decodeWithLimit(body, LIMIT);

describe('decodeMessageBody', () => {
  it('parses a JSON body and keeps its bytes', () => {
    const body = Buffer.from('{"up_id":"avi123","action":"start"}');
    expect(decodeMessageBody(body)).toEqual({
      payload: { up_id: 'avi123', action: 'start' },
      raw: body,
    });
  });

  it('passes any JSON value on, leaving validation to the write path', () => {
    expect(decodeMessageBody(Buffer.from('[1, 2]'))).toMatchObject({ payload: [1, 2] });
    expect(decodeMessageBody(Buffer.from('null'))).toMatchObject({ payload: null });
  });

  it('rejects a body that is not UTF-8 as invalid_utf8, with the exact bytes', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const item = decodeMessageBody(body);
    expect(item).toMatchObject({ rejection: { reason: 'invalid_utf8', field: null } });
    expect(item.raw).toBe(body);
  });

  it('rejects UTF-8 that is not JSON as invalid_json, with the exact bytes', () => {
    const body = Buffer.from('{"up_id": "avi123",');
    const item = decodeMessageBody(body);
    expect(item).toMatchObject({ rejection: { reason: 'invalid_json', field: null } });
    expect(item.raw).toBe(body);
  });

  it('takes a body of exactly the limit as an event', () => {
    const [head, tail] = ['{"up_id":"p1","note":"', '"}'];
    const body = Buffer.from(head + 'x'.repeat(LIMIT - head.length - tail.length) + tail);
    expect(body.length).toBe(LIMIT);
    expect(decodeMessageBody(body)).toMatchObject({ payload: { up_id: 'p1' } });
  });

  it('rejects a body one byte over the limit as payload_too_large, keeping its first bytes', () => {
    const body = Buffer.concat([Buffer.from('{"up_id":"p1","note":"'), Buffer.alloc(LIMIT, 0x78)]);
    const item = decodeMessageBody(body);
    expect(item).toMatchObject({ rejection: { reason: 'payload_too_large', field: null } });
    if (!('rejection' in item)) throw new Error('expected a rejection');
    expect(item.rejection.message).toContain(`${body.length} bytes, over the limit of ${LIMIT}`);
    expect(Buffer.compare(item.raw as Buffer, body.subarray(0, LIMIT))).toBe(0);
  });

  it('rejects an empty body as invalid_json', () => {
    expect(decodeMessageBody(Buffer.alloc(0))).toMatchObject({
      rejection: { reason: 'invalid_json' },
    });
  });
});

describe('patientHintOf', () => {
  const hint = (payload: unknown) => patientHintOf({ payload });

  it('names the patient by the trimmed up_id, as validation trims it, whatever the medication', () => {
    expect(hint({ up_id: ' p1 ', medication_name: 'Zinc' })).toBe('p1');
    expect(hint({ up_id: 'p1', medication_name: 'Aspirin' })).toBe(hint({ up_id: 'p1' }));
    expect(hint({ up_id: 'p1' })).not.toBe(hint({ up_id: 'P1' }));
  });

  it('gives no hint for what the write path will reject', () => {
    expect(hint(null)).toBeUndefined();
    expect(hint([1])).toBeUndefined();
    expect(hint({ up_id: 7, medication_name: 'Zinc' })).toBeUndefined();
    expect(patientHintOf(decodeMessageBody(Buffer.from('not json')))).toBeUndefined();
  });
});
