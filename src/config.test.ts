import { describe, expect, it } from 'vitest';
import { loadConfig, loadDatabaseUrl } from './config';

describe('the configuration', () => {
  it('names every bad variable of the server', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT must be integer/);
  });

  it('gives the database tools DATABASE_URL alone, whatever the server variables say', () => {
    expect(loadDatabaseUrl({ PORT: 'abc', DATABASE_URL: 'sqlite::memory:' })).toBe(
      'sqlite::memory:',
    );
    expect(loadDatabaseUrl({})).toBe('sqlite:./data/medication-periods.sqlite');
    expect(() => loadDatabaseUrl({ DATABASE_URL: 'bogus' })).toThrow(/DATABASE_URL must match/);
  });
});
