import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVICE_SAMPLE_PATH } from '../test/support/deviceSample';

describe('the seeded device sample', () => {
  it('is the specification’s device file, item for item', () => {
    const seeded: unknown = JSON.parse(
      fs.readFileSync(path.join(__dirname, 'device-sample.json'), 'utf8'),
    );
    const spec: unknown = JSON.parse(fs.readFileSync(DEVICE_SAMPLE_PATH, 'utf8'));
    expect(seeded).toEqual(spec);
  });
});
