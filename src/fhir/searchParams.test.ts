import { describe, expect, it } from 'vitest';
import { parseMedicationAdministrationSearch as parse } from './searchParams';

describe('parseMedicationAdministrationSearch', () => {
  it('reads the patient from subject or patient, with or without Patient/', () => {
    for (const query of [
      { subject: ['Patient/avi123'] },
      { subject: ['avi123'] },
      { patient: ['avi123'] },
      { patient: [' Patient/avi123 '] },
      { subject: ['Patient/avi123'], patient: ['avi123'] },
    ]) {
      expect(parse(query)).toEqual({ upId: 'avi123', matchesNothing: false });
    }
  });

  it('unescapes a literal comma in an id', () => {
    expect(parse({ patient: ['a\\,b'] }).upId).toBe('a,b');
  });

  it('narrows the window with every effective-time and keeps the API overlap window', () => {
    const search = parse({
      patient: ['a'],
      'effective-time': ['ge2021-03-24', 'ge2021-03-24T12:00Z', 'le2021-03-26', 'le2021-03-25'],
    });
    expect(search).toMatchObject({
      from: Date.parse('2021-03-24T12:00:00Z'),
      to: Date.parse('2021-03-26T00:00:00Z'),
      matchesNothing: false,
    });
  });

  it('matches nothing for an empty window or statuses no period has', () => {
    const window = { 'effective-time': ['ge2021-03-25', 'le2021-03-24'] };
    expect(parse({ patient: ['a'], ...window }).matchesNothing).toBe(true);
    expect(parse({ patient: ['a'], status: ['on-hold'] }).matchesNothing).toBe(true);
    expect(parse({ patient: ['a'], status: ['completed,stopped'] })).toMatchObject({
      status: 'completed',
      matchesNothing: false,
    });
  });
});
