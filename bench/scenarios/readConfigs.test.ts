import { describe, expect, it } from 'vitest';
import { hotSet } from './readConfigs';

describe('the hot set of the cached-reads row', () => {
  it('takes exactly the asked number of distinct patients, spread over the whole list', () => {
    const all = [
      ...Array.from({ length: 99_000 }, (_, i) => `patient-${i}`),
      ...Array.from({ length: 1_000 }, (_, i) => `heavy-${i}`),
    ];
    const hot = hotSet(all, 1_000);
    expect(new Set(hot).size).toBe(1_000);
    expect(hot.filter((id) => id.startsWith('heavy-'))).toHaveLength(10);
  });

  it('is everyone when there are fewer patients than asked', () => {
    expect(hotSet(['a', 'b'], 1_000)).toEqual(['a', 'b']);
  });
});
