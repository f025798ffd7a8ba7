import { describe, expect, it } from 'vitest';
import { fhirProblems } from '../helpers/fhir-schema';

// The checker every FHIR test leans on must itself catch what FHIR forbids.
describe('FHIR R4 schema check', () => {
  it('accepts a well-formed bundle', () => {
    const bundle = { resourceType: 'Bundle', type: 'document', entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', id: '1', gender: 'female', birthDate: '1971' } }] };
    expect(fhirProblems(bundle)).toEqual([]);
  });
  it('names a wrong code, a wrong type inside an entry, an unknown element and empty arrays', () => {
    const bundle = {
      resourceType: 'Bundle', type: 'document',
      entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', gender: 'man', birthDate: 1971, identifier: [], nickname: 'x' } }],
    };
    const problems = fhirProblems(bundle).join('\n');
    expect(problems).toMatch(/\/entry\/0\/resource\/gender must be equal to one of the allowed values/);
    expect(problems).toMatch(/\/entry\/0\/resource\/birthDate must be string/);
    expect(problems).toMatch(/additionalProperty":"nickname"/);
    expect(problems).toMatch(/identifier: empty array/);
  });
  it('refuses a resource type R4 does not have', () => {
    expect(() => fhirProblems({ resourceType: 'Bot' })).toThrow(/no resource type Bot/);
  });
});
