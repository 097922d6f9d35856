import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors } from '../../../../../test/support/fhirSchema';
import { sqliteBackend } from '../../../../../test/support/backends';
import { startTestApp, type TestApp } from '../../../../../test/support/testApp';

describe('GET /fhir/r4/metadata', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend);
  });
  afterAll(() => t.close());

  it('is a valid R4 CapabilityStatement declaring the MedicationAdministration search', async () => {
    const response = await t.app.inject('/fhir/r4/metadata');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const statement = response.json();
    expect(fhirSchemaErrors(statement)).toEqual([]);
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      kind: 'instance',
      format: expect.arrayContaining(['json']),
      implementation: { url: 'http://localhost:80/fhir/r4' },
    });
    const [resource] = statement.rest[0].resource;
    expect(resource.type).toBe('MedicationAdministration');
    expect(resource.interaction).toEqual([{ code: 'search-type' }]);
    expect(resource.searchParam.map((p: { name: string }) => p.name)).toEqual([
      'subject',
      'patient',
      'status',
      'effective-time',
    ]);
  });

  it('answers an unknown parameter with an OperationOutcome', async () => {
    const response = await t.app.inject('/fhir/r4/metadata?mode=full');
    expect(response.statusCode).toBe(400);
    expect(response.json().resourceType).toBe('OperationOutcome');
  });
});
