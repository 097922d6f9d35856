import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVICE_SAMPLE_PATH, SHARED_DEVICE_SAMPLE_PATH } from '../test/support/deviceSample';

// Every test reads the repository's copy; this one holds it equal to the
// specification's. Outside CI a checkout without the shared folder skips it.
const sharedPresent = fs.existsSync(SHARED_DEVICE_SAMPLE_PATH);

describe('the seeded device sample', () => {
  it.skipIf(!sharedPresent && process.env.CI !== 'true')(
    'is the specification’s device file, item for item',
    () => {
      const seeded: unknown = JSON.parse(fs.readFileSync(DEVICE_SAMPLE_PATH, 'utf8'));
      const spec: unknown = JSON.parse(fs.readFileSync(SHARED_DEVICE_SAMPLE_PATH, 'utf8'));
      expect(seeded).toEqual(spec);
    },
  );
});
