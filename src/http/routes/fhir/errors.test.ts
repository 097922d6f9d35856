import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors } from '../../../../test/support/fhirSchema';
import { sqliteBackend } from '../../../../test/support/backends';
import { startTestApp, type TestApp } from '../../../../test/support/testApp';

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics: string }[];
}

describe('FHIR errors are OperationOutcome', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend, {
      repositories: {
        periodsRepository: {
          list: async (upId) => {
            if (upId === 'boom') throw new Error('select … where up_id = boom');
            return [];
          },
          listAsOf: async () => [],
          snapshot: async () => ({ periodsJson: '[]' }),
        },
      },
    });
  });
  afterAll(() => t.close());

  const outcome = async (url: string, status: number) => {
    const response = await t.app.inject(url);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const body = response.json<Outcome>();
    expect(body.resourceType).toBe('OperationOutcome');
    expect(fhirSchemaErrors(body)).toEqual([]);
    return body.issue[0]!;
  };
  const search = '/fhir/r4/MedicationAdministration';

  it.each([
    ['', 'required', /^subject: subject or patient is required/],
    ['?status=completed', 'required', /^subject: /],
    [
      '?subject=Patient/a&satus=x',
      'invalid',
      /^satus: unknown parameter; accepted .*effective-time/,
    ],
    ['?subject=Group/1', 'invalid', /^subject: only Patient subjects/],
    ['?patient=a,b', 'invalid', /^patient: give one patient per search/],
    ['?patient=a&subject=Patient/b', 'invalid', /^subject, patient: name different patients/],
    ['?patient=%20', 'invalid', /^patient: the patient id must be 1-64/],
    ['?patient=a&status=active', 'invalid', /^status: 'active' is not a MedicationAdministration/],
    ['?patient=a&effective-time=2021-03-24', 'invalid', /^effective-time: needs a prefix/],
    ['?patient=a&effective-time=eq2021-03-24', 'invalid', /prefix 'eq' is not supported/],
    ['?patient=a&effective-time=ge2021-02-30', 'invalid', /'2021-02-30' is not a FHIR date/],
    ['?patient=a&effective-time=ge2021-03-24T10:00:00', 'invalid', /not a FHIR date/],
    ['?patient=a&effective-time=ge2021-03-24T10:00:00+02:00', 'invalid', /must be written %2B/],
  ])('answers 400 to %s', async (query, code, message) => {
    const issue = await outcome(`${search}${query}`, 400);
    expect(issue).toMatchObject({ severity: 'error', code });
    expect(issue.diagnostics).toMatch(message);
  });

  it('answers 406 to a _format other than JSON, and accepts the JSON ones', async () => {
    expect(await outcome(`${search}?patient=a&_format=xml`, 406)).toMatchObject({
      code: 'not-supported',
    });
    for (const format of ['json', 'application/fhir%2Bjson', 'application/fhir+json']) {
      const response = await t.app.inject(`${search}?patient=a&_format=${format}`);
      expect(response.statusCode, format).toBe(200);
    }
  });

  it('answers 404 to an unknown FHIR URL, including read by id, which is not offered', async () => {
    const issue = await outcome('/fhir/r4/MedicationAdministration/abc', 404);
    expect(issue.code).toBe('not-found');
    await outcome('/fhir/r4/Patient', 404);
  });

  it('answers 500 without the internal message', async () => {
    const issue = await outcome(`${search}?patient=boom`, 500);
    expect(issue).toMatchObject({ severity: 'fatal', code: 'exception' });
    expect(issue.diagnostics).not.toMatch(/boom|select/);
  });

  it('leaves the API error shape alone outside /fhir', async () => {
    const response = await t.app.inject('/api/v1/nothing');
    expect(response.json()).toMatchObject({ error: 'not_found' });
  });
});
