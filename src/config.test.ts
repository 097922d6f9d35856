import { describe, expect, it } from 'vitest';
import { loadConfig, loadDatabaseUrl } from './config';

describe('the configuration', () => {
  it('names every bad variable of the server', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^PORT must be integer$/);
    expect(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'verbose', LOG_FORMAT: 'xml' })).toThrow(
      new Error(
        'PORT must be integer; LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; ' +
          'LOG_FORMAT must be one of json, pretty',
      ),
    );
  });

  it('gives the database tools DATABASE_URL alone, whatever the server variables say', () => {
    expect(loadDatabaseUrl({ PORT: 'abc', DATABASE_URL: 'sqlite::memory:' })).toBe(
      'sqlite::memory:',
    );
    expect(loadDatabaseUrl({})).toBe('sqlite:./data/medication-periods.sqlite');
    expect(() => loadDatabaseUrl({ DATABASE_URL: 'bogus' })).toThrow(/DATABASE_URL must match/);
  });
});
