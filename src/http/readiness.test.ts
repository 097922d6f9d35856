import { describe, expect, it } from 'vitest';
import { runReadinessChecks } from './readiness';

describe('runReadinessChecks', () => {
  it('fails a check that hangs instead of hanging itself', async () => {
    const failures: string[] = [];
    const report = await runReadinessChecks(
      [
        { name: 'fast', check: () => undefined },
        { name: 'hung', check: () => new Promise<void>(() => undefined) },
        { name: 'rejects', check: () => Promise.reject(new Error('no')) },
      ],
      (name) => failures.push(name),
      20,
    );
    expect(report).toEqual({
      ready: false,
      checks: { fast: 'ok', hung: 'failing', rejects: 'failing' },
      failing: ['hung', 'rejects'],
    });
    expect(failures.sort()).toEqual(['hung', 'rejects']);
  });
});
