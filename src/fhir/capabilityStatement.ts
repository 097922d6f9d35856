/** A search parameter as the CapabilityStatement declares it, pointing at R4's own definition. */
interface SearchParamDeclaration {
  name: string;
  definition: string;
  type: 'reference' | 'token' | 'date';
  documentation: string;
}

export const MEDICATION_ADMINISTRATION_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  {
    name: 'subject',
    definition: 'http://hl7.org/fhir/SearchParameter/MedicationAdministration-subject',
    type: 'reference',
    documentation: 'Patient/{id} (or a bare id). subject or patient is required.',
  },
  {
    name: 'patient',
    definition: 'http://hl7.org/fhir/SearchParameter/clinical-patient',
    type: 'reference',
    documentation: '{id} or Patient/{id}. One patient per search.',
  },
  {
    name: 'status',
    definition: 'http://hl7.org/fhir/SearchParameter/medications-status',
    type: 'token',
    documentation: 'in-progress (active periods) or completed; commas OR, repeats AND.',
  },
  {
    name: 'effective-time',
    definition: 'http://hl7.org/fhir/SearchParameter/MedicationAdministration-effective-time',
    type: 'date',
    documentation:
      'ge and le prefixes only; keeps the administrations whose period overlaps the range. ' +
      'Repeatable, e.g. effective-time=ge2021-03-24&effective-time=le2021-03-25.',
  },
];

export interface CapabilityOptions {
  /** Absolute base of the FHIR endpoint, e.g. http://host:4567/fhir/r4. */
  baseUrl: string;
  softwareVersion: string;
  /** When this statement was made: the process start. */
  date: Date;
}

/** What this FHIR endpoint can do: search MedicationAdministration, in JSON, nothing else. */
export function capabilityStatement(options: CapabilityOptions) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date.toISOString(),
    publisher: 'medication periods',
    kind: 'instance',
    software: { name: 'medication periods', version: options.softwareVersion },
    implementation: {
      description: 'Medication periods derived from device events, as MedicationAdministration',
      url: options.baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Read-only. Errors are OperationOutcome resources.',
        resource: [
          {
            type: 'MedicationAdministration',
            documentation:
              'One resource per medication period: in-progress while the period is active, ' +
              'completed once it ended. Ids are stable across requests and replays.',
            interaction: [{ code: 'search-type' }],
            searchParam: MEDICATION_ADMINISTRATION_SEARCH_PARAMS.map((p) => ({ ...p })),
          },
        ],
      },
    ],
  } as const;
}
