import { afterAll, beforeAll, expect, it } from 'vitest';
import { fhirSchemaErrors } from '../../../../../../test/support/fhirSchema';
import {
  describeEachBackend,
  loadDeviceSample,
  postEvents,
  startTestApp,
  type TestApp,
} from '../../../../../../test/support/testApp';

interface Resource {
  id: string;
  status: string;
  medicationCodeableConcept: { text: string };
  subject: { reference: string };
  effectivePeriod: { start: string; end?: string };
}
interface Bundle {
  resourceType: string;
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry: { resource: Resource }[];
}

const BASE = '/fhir/r4/MedicationAdministration';

/** The worked example (docs/semantics.md) for avi123, as the FHIR search must give it. */
const AVI123 = [
  ['Propecia', '2021-03-24T18:23:56.000Z', '2021-03-24T19:23:56.000Z'],
  ['Acamol', '2021-03-24T18:50:56.000Z', '2021-03-24T19:43:56.000Z'],
  ['Propecia', '2021-03-24T19:40:56.000Z', '2021-03-24T21:00:56.000Z'],
  ['Multivitamin', '2021-03-24T23:15:56.000Z', undefined],
  ['Propecia', '2021-03-25T09:00:56.000Z', undefined],
] as const;

describeEachBackend('GET /fhir/r4/MedicationAdministration', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
    expect((await postEvents(t.app, loadDeviceSample())).json().accepted).toBe(17);
  });
  afterAll(() => t.close());

  const search = async (query: string) => {
    const response = await t.app.inject(`${BASE}?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    return response.json<Bundle>();
  };
  const starts = async (query: string) =>
    (await search(query)).entry.map((e) => e.resource.effectivePeriod.start.slice(8, 16));

  it('gives avi123 the worked example as a valid searchset Bundle', async () => {
    const bundle = await search('subject=Patient/avi123');
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 5 });
    expect(bundle.link).toEqual([
      { relation: 'self', url: `http://localhost:80${BASE}?subject=Patient/avi123` },
    ]);
    expect(
      bundle.entry.map(({ resource: r }) => [
        r.medicationCodeableConcept.text,
        r.effectivePeriod.start,
        r.effectivePeriod.end,
        r.status,
        r.subject.reference,
      ]),
    ).toEqual(
      AVI123.map(([name, start, end]) => [
        name,
        start,
        end,
        end === undefined ? 'in-progress' : 'completed',
        'Patient/avi123',
      ]),
    );
    for (const { resource } of bundle.entry) expect(resource.id).toMatch(/^[a-f0-9]{32}$/);
    expect(new Set(bundle.entry.map((e) => e.resource.id)).size).toBe(5);
  });

  it('keeps ids stable across requests, spellings and re-posted events', async () => {
    const ids = async (query: string) => (await search(query)).entry.map((e) => e.resource.id);
    const first = await ids('subject=Patient/avi123');
    await postEvents(t.app, loadDeviceSample());
    expect(await ids('patient=avi123')).toEqual(first);
    expect(await ids('patient=Patient/avi123')).toEqual(first);
  });

  it('gives a patient without periods an empty, valid Bundle', async () => {
    const bundle = await search('patient=nobody');
    expect(bundle).toMatchObject({ total: 0, entry: [] });
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    expect((await search('patient=moshe123')).entry[0]!.resource.effectivePeriod).toEqual({
      start: '2021-03-24T19:00:56.000Z',
      end: '2021-03-24T19:00:56.000Z',
    });
  });

  it('filters by status, commas OR and repeats AND', async () => {
    expect(await starts('patient=avi123&status=in-progress')).toEqual(['24T23:15', '25T09:00']);
    expect((await search('patient=avi123&status=completed')).total).toBe(3);
    expect((await search('patient=avi123&status=completed,in-progress')).total).toBe(5);
    expect((await search('patient=avi123&status=completed&status=in-progress')).total).toBe(0);
    expect((await search('patient=avi123&status=stopped')).total).toBe(0);
  });

  it('keeps the periods overlapping the effective-time range, like the API from/to', async () => {
    expect(await starts('patient=avi123&effective-time=ge2021-03-25')).toEqual([
      '24T23:15',
      '25T09:00',
    ]);
    expect(await starts('patient=avi123&effective-time=le2021-03-24T18:30Z')).toEqual(['24T18:23']);
    expect(
      await starts(
        'patient=avi123&effective-time=ge2021-03-24T19:30:00Z&effective-time=le2021-03-24T20:00:00%2B00:00',
      ),
    ).toEqual(['24T18:50', '24T19:40']);
    // A date stands for its whole day (UTC): le2021-03-24 includes 23:15 that day.
    expect((await search('patient=avi123&effective-time=le2021-03-24')).total).toBe(4);
    expect(
      (await search('patient=avi123&effective-time=ge2021-03-26&effective-time=le2021-03-25'))
        .total,
    ).toBe(0);
    // The zero-length period counts at its instant.
    expect((await search('patient=moshe123&effective-time=ge2021-03-24T19:00:56Z')).total).toBe(1);
  });
});
