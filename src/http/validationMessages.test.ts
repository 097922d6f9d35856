import { describe, expect, it } from 'vitest';
import { describeValidationError } from './validationMessages';

const error = (
  keyword: string,
  instancePath: string,
  params: Record<string, unknown>,
  message?: string,
) => ({
  keyword,
  instancePath,
  schemaPath: '#',
  params,
  message,
});

describe('describeValidationError', () => {
  it('puts the field first, in words a client understands', () => {
    expect(
      describeValidationError([error('enum', '/status', { allowedValues: ['a', 'b'] })], []),
    ).toBe('status: must be one of a, b');
    expect(
      describeValidationError(
        [error('additionalProperties', '', { additionalProperty: 'satus' })],
        ['status'],
      ),
    ).toBe('satus: unknown parameter; accepted parameters are status');
    expect(describeValidationError([error('required', '', { missingProperty: 'up_id' })], [])).toBe(
      'up_id: is required',
    );
    expect(describeValidationError([error('minimum', '/limit', {}, 'must be >= 1')], [])).toBe(
      'limit: must be >= 1',
    );
    expect(describeValidationError([], [])).toBe('request does not match the schema');
  });
});
