import { describe, expect, it } from 'vitest';
import { dedupeKeyOf } from './dedupeKey';

// Keys are stored with the events: a formula that changed would make a
// redelivered event after an upgrade look new. These values were computed by
// the first released formula and must never change.
describe('dedupeKeyOf: stored keys stay stable', () => {
  it.each([
    [
      { upId: 'avi123', medicationName: 'Acamol', action: 'start' as const },
      Date.UTC(2021, 2, 24, 19, 23, 56),
      'h:ff6a06967d38ed9d0bbdf137b4d7031a7f23e036d3861316f34af0944f5222af',
    ],
    [
      { upId: 'מטופל-7', medicationName: 'Ibuprofen 200 mg', action: 'cancel_stop' as const },
      -1, // before 1970: formatted by another branch of isoTime
      'h:c63bc0b90c91b026cf06eaa84cca79779a42bc5dfc97f86701816f143fa45e5c',
    ],
  ])(
    'given %o at %i, when keyed without an event_id, then the key is %s',
    (fields, eventTime, key) => {
      expect(dedupeKeyOf({ ...fields, eventTime, eventId: null })).toBe(key);
    },
  );
});
