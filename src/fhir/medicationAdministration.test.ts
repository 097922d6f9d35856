import { describe, expect, it } from 'vitest';
import { fhirSchemaErrors } from '../../test/support/fhirSchema';
import { medicationAdministrationId, toMedicationAdministration, type PeriodInput } from '.';

const period = (overrides: Partial<PeriodInput> = {}): PeriodInput => ({
  upId: 'avi123',
  medicationName: 'Propecia',
  startTime: Date.parse('2021-03-24T18:23:56Z'),
  endTime: Date.parse('2021-03-24T19:23:56Z'),
  status: 'completed',
  ...overrides,
});

describe('toMedicationAdministration', () => {
  it('maps a completed period to a completed administration with both ends', () => {
    expect(toMedicationAdministration(period())).toEqual({
      resourceType: 'MedicationAdministration',
      id: medicationAdministrationId(period()),
      status: 'completed',
      medicationCodeableConcept: { text: 'Propecia' },
      subject: { reference: 'Patient/avi123' },
      effectivePeriod: { start: '2021-03-24T18:23:56.000Z', end: '2021-03-24T19:23:56.000Z' },
    });
  });

  it('maps an active period to in-progress with an open period', () => {
    const resource = toMedicationAdministration(period({ endTime: null, status: 'active' }));
    expect(resource.status).toBe('in-progress');
    expect(resource.effectivePeriod).toEqual({ start: '2021-03-24T18:23:56.000Z' });
    expect(fhirSchemaErrors(resource)).toEqual([]);
  });

  it('refers to a patient whose id is no FHIR id by identifier instead', () => {
    const resource = toMedicationAdministration(period({ upId: 'ward 7/bed_2' }));
    expect(resource.subject).toEqual({
      identifier: { value: 'ward 7/bed_2' },
      display: 'ward 7/bed_2',
    });
    expect(fhirSchemaErrors(resource)).toEqual([]);
  });

  it('is checked by a schema that does reject a wrong resource', () => {
    // R4's schema leaves status a plain code (its value set is checked above, by equality).
    const resource = { ...toMedicationAdministration(period()), effectiveDateTime: 'yesterday' };
    expect(fhirSchemaErrors(resource).join()).toMatch(/effectiveDateTime/);
    expect(fhirSchemaErrors({ ...resource, id: 'a_b' }).join()).toMatch(/\/id/);
  });
});

describe('medicationAdministrationId', () => {
  it('is a valid FHIR id that depends on patient, medication and start only', () => {
    const id = medicationAdministrationId(period());
    expect(id).toMatch(/^[a-f0-9]{32}$/);
    expect(medicationAdministrationId(period({ endTime: null }))).toBe(id);
    expect(medicationAdministrationId(period({ upId: 'avi1234' }))).not.toBe(id);
    expect(medicationAdministrationId(period({ medicationName: 'Acamol' }))).not.toBe(id);
    expect(medicationAdministrationId(period({ startTime: period().startTime + 1 }))).not.toBe(id);
  });

  it('cannot be confused by names that concatenate alike', () => {
    expect(medicationAdministrationId(period({ upId: 'a', medicationName: 'bc' }))).not.toBe(
      medicationAdministrationId(period({ upId: 'ab', medicationName: 'c' })),
    );
  });
});
