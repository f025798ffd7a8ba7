import { z } from 'zod';

/**
 * The part of JSON Schema the fuzz reads. Each method's zod input is turned into JSON Schema once
 * (z.toJSONSchema with io 'input', so defaults make a field optional and z.preprocess shows the
 * schema behind it). That is zod's own, maintained walk over every schema kind, where walking
 * `_zod.def` here would have to follow each zod release; what JSON Schema cannot say (refine,
 * transform) is left out, which is why the generator never claims a refinement must refuse.
 */
export interface Schema {
  type?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  hasConst?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Reads a JSON Schema document into Schema, narrowing every key; allOf is merged (`.and`). */
export function readSchema(raw: unknown): Schema {
  if (!isRecord(raw)) return {};
  const s: Schema = {};
  const type = raw.type;
  if (typeof type === 'string') s.type = [type];
  else if (Array.isArray(type)) s.type = type.filter((t): t is string => typeof t === 'string');
  if (isRecord(raw.properties)) {
    s.properties = Object.fromEntries(Object.entries(raw.properties).map(([k, v]) => [k, readSchema(v)]));
  }
  if (Array.isArray(raw.required)) s.required = raw.required.filter((r): r is string => typeof r === 'string');
  if (isRecord(raw.additionalProperties)) s.additionalProperties = readSchema(raw.additionalProperties);
  else if (typeof raw.additionalProperties === 'boolean') s.additionalProperties = raw.additionalProperties;
  if (isRecord(raw.items)) s.items = readSchema(raw.items);
  const branches = [raw.anyOf, raw.oneOf].find(Array.isArray);
  if (branches) s.anyOf = branches.map(readSchema);
  if (Array.isArray(raw.enum)) s.enum = raw.enum;
  if ('const' in raw) {
    s.const = raw.const;
    s.hasConst = true;
  }
  s.minLength = num(raw.minLength);
  s.maxLength = num(raw.maxLength);
  if (typeof raw.pattern === 'string') {
    try {
      s.pattern = new RegExp(raw.pattern);
    } catch {
      // a pattern JavaScript cannot compile only loses its plausible values
    }
  }
  if (typeof raw.format === 'string') s.format = raw.format;
  s.minimum = num(raw.minimum) ?? (num(raw.exclusiveMinimum) !== undefined ? num(raw.exclusiveMinimum)! + 1 : undefined);
  s.maximum = num(raw.maximum) ?? (num(raw.exclusiveMaximum) !== undefined ? num(raw.exclusiveMaximum)! - 1 : undefined);
  s.minItems = num(raw.minItems);
  s.maxItems = num(raw.maxItems);
  if (Array.isArray(raw.allOf)) return raw.allOf.map(readSchema).reduce(mergeAll, s);
  return s;
}

function mergeAll(a: Schema, b: Schema): Schema {
  return {
    ...a,
    ...b,
    type: a.type ?? b.type,
    properties: { ...a.properties, ...b.properties },
    required: [...(a.required ?? []), ...(b.required ?? [])],
  };
}

export function schemaOf(input: z.ZodType): Schema {
  return readSchema(z.toJSONSchema(input, { unrepresentable: 'any', io: 'input' }));
}

/** The JSON type of a value as JSON Schema names it. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The alternatives a value may take at this node (a nullish field is a union with null). */
export function branches(s: Schema): Schema[] {
  return s.anyOf ? s.anyOf.flatMap(branches) : [s];
}

/** False only when no alternative can hold a value of this JSON type; an empty schema holds anything. */
export function typeAccepted(s: Schema, v: unknown): boolean {
  const t = jsonType(v);
  return branches(s).some((b) => {
    if (b.hasConst) return b.const === v;
    if (!b.type) return true;
    return b.type.includes(t) || (t === 'integer' && b.type.includes('number'));
  });
}

/** The schema at a field path ('items.0.dose'), or undefined when the schema has no such field. */
export function schemaAt(root: Schema, path: readonly string[]): Schema | undefined {
  if (path.length === 0) return root;
  const [head, ...rest] = path as [string, ...string[]];
  for (const b of branches(root)) {
    let next: Schema | undefined;
    if (b.properties && Object.hasOwn(b.properties, head)) next = b.properties[head];
    else if (b.items && /^\d+$/.test(head)) next = b.items;
    else if (typeof b.additionalProperties === 'object' && !b.properties) next = b.additionalProperties;
    const found = next && schemaAt(next, rest);
    if (found) return found;
  }
  return undefined;
}
