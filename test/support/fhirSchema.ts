import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';

/**
 * The official FHIR R4 (4.0.1) JSON schema, vendored gzipped; where it comes
 * from and its licence (CC0): test/fixtures/fhir/README.md.
 */
const SCHEMA_PATH = path.resolve(__dirname, '../fixtures/fhir/fhir.schema.r4.json.gz');

interface FhirSchema {
  id: string;
  [key: string]: unknown;
}

let ajv: Ajv | undefined;
let schemaId = '';
const validators = new Map<string, ValidateFunction>();

function compiler(): Ajv {
  if (ajv) return ajv;
  const { id, ...schema } = JSON.parse(
    zlib.gunzipSync(fs.readFileSync(SCHEMA_PATH)).toString('utf8'),
  ) as FhirSchema;
  schemaId = id;
  // strict: false because the schema uses "discriminator" as an annotation;
  // draft-06's "id" is renamed to "$id", the only spelling ajv 8 accepts.
  ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addSchema({ ...schema, $id: id });
  return ajv;
}

/** The schema errors of one FHIR resource, checked against its resourceType's definition. */
export function fhirSchemaErrors(resource: object): string[] {
  const type = String((resource as { resourceType?: unknown }).resourceType);
  let validate = validators.get(type);
  if (!validate) {
    const instance = compiler();
    validate = instance.getSchema(`${schemaId}#/definitions/${type}`);
    if (!validate) return [`no R4 definition for resourceType ${type}`];
    validators.set(type, validate);
  }
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
