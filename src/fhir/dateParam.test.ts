import { describe, expect, it } from 'vitest';
import { parseDateParam, parseDateValue } from './dateParam';

const range = (start: string, end: string) => ({ start: Date.parse(start), end: Date.parse(end) });

describe('parseDateValue', () => {
  it.each([
    ['2021', '2021-01-01T00:00:00Z', '2022-01-01T00:00:00Z'],
    ['2021-12', '2021-12-01T00:00:00Z', '2022-01-01T00:00:00Z'],
    ['2021-03-24', '2021-03-24T00:00:00Z', '2021-03-25T00:00:00Z'],
    ['2021-03-24T19:00Z', '2021-03-24T19:00:00Z', '2021-03-24T19:01:00Z'],
    ['2021-03-24T19:00:05+02:00', '2021-03-24T17:00:05Z', '2021-03-24T17:00:06Z'],
    ['2021-03-24T19:00:05.25-01:30', '2021-03-24T20:30:05.250Z', '2021-03-24T20:30:05.251Z'],
  ])('reads %s as the range its precision implies', (value, start, end) => {
    expect(parseDateValue(value)).toEqual(range(start, end));
  });

  it.each([
    '2021-02-29',
    '2021-13',
    '2021-03-24T24:00Z',
    '2021-03-24T10:00',
    '2021-03-24T10:00:00',
    '21-03-24',
    '2021-03-24 10:00Z',
    '',
  ])('refuses %j', (value) => {
    expect(parseDateValue(value)).toBeNull();
  });
});

describe('parseDateParam', () => {
  it('takes the ge and le prefixes', () => {
    expect(parseDateParam('ge2021-03-24')).toMatchObject({ ok: true, prefix: 'ge' });
    expect(parseDateParam('le2021')).toMatchObject({ ok: true, prefix: 'le' });
  });

  it('names what is wrong', () => {
    expect(parseDateParam('2021-03-24')).toMatchObject({ ok: false, message: /needs a prefix/ });
    expect(parseDateParam('sa2021-03-24')).toMatchObject({ ok: false, message: /'sa' is not/ });
    expect(parseDateParam('gex')).toMatchObject({ ok: false, message: /'x' is not a FHIR date/ });
  });
});
