import { describe, expect, it } from 'vitest';
import { validateEvent } from '../domain';
import { expectationOf } from './expected';
import { generateWorkload } from './workload';

describe('the chaos workload', () => {
  const w = generateWorkload({ events: 5_000, seed: 3 });

  it('has exactly the requested number of messages, and is the same for the same seed', () => {
    expect(w.messages).toHaveLength(5_000);
    expect(generateWorkload({ events: 5_000, seed: 3 }).messages).toEqual(w.messages);
    expect(generateWorkload({ events: 5_000, seed: 4 }).messages).not.toEqual(w.messages);
  });

  it('mixes copies, late events and invalid messages', () => {
    expect(w.copies).toBeGreaterThan(100);
    expect(w.late).toBeGreaterThan(50);
    expect(w.invalidBodies.length).toBeGreaterThan(50);
  });

  it('makes every invalid message one the service must reject', () => {
    for (const body of w.invalidBodies) {
      let payload: unknown;
      try {
        payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch {
        continue; // not UTF-8 or not JSON: rejected by the transport
      }
      expect(validateEvent(payload).ok, body.toString()).toBe(false);
    }
  });

  it('expects one event per distinct valid message: valid = accepted + copies', () => {
    const expected = expectationOf(w.jsonPayloads);
    const valid = w.messages.length - w.invalidBodies.length;
    expect(expected.events.size).toBe(valid - w.copies);
    expect(expected.periods.length).toBeGreaterThan(0);
  });
});
