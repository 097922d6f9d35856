import fs from 'node:fs';
import path from 'node:path';

/** The device file of the specification's worked example, as the repository carries it (the seed's). */
export const DEVICE_SAMPLE_PATH = path.resolve(__dirname, '../../seeds/device-sample.json');

/**
 * The specification's own copy: its shared folder sits beside the checkout.
 * Only seeds/deviceSample.test.ts reads it, to hold the repository's copy equal.
 */
export const SHARED_DEVICE_SAMPLE_PATH = path.resolve(
  __dirname,
  '../../../shared/fixtures/device-sample.json',
);

export function loadDeviceSample(): unknown[] {
  return JSON.parse(fs.readFileSync(DEVICE_SAMPLE_PATH, 'utf8')) as unknown[];
}

/** The worked example of the semantics, per patient, in the API's order (start time, then medication). */
export const WORKED_EXAMPLE: Record<
  string,
  [string, string, string | null, 'active' | 'completed'][]
> = {
  avi123: [
    ['Propecia', '2021-03-24T18:23:56.000Z', '2021-03-24T19:23:56.000Z', 'completed'],
    ['Acamol', '2021-03-24T18:50:56.000Z', '2021-03-24T19:43:56.000Z', 'completed'],
    ['Propecia', '2021-03-24T19:40:56.000Z', '2021-03-24T21:00:56.000Z', 'completed'],
    ['Multivitamin', '2021-03-24T23:15:56.000Z', null, 'active'],
    ['Propecia', '2021-03-25T09:00:56.000Z', null, 'active'],
  ],
  moshe123: [['Dexamol', '2021-03-24T19:00:56.000Z', '2021-03-24T19:00:56.000Z', 'completed']],
  haim123: [['Zinc', '2021-03-24T20:15:56.000Z', '2021-03-24T23:15:56.000Z', 'completed']],
  dina123: [],
};
