import { randomUUID } from 'node:crypto';
import type { prng } from '../helpers/prng';
import { branches, type Schema, typeAccepted } from './schema';

export type Rng = ReturnType<typeof prng>;

/** What the generator knows about the clinic: real ids to aim at and where files may go. */
export interface World {
  /** Ids of existing rows by entity (see principals.ts `pools`). */
  pools: Record<string, readonly string[]>;
  /** A temp folder: every path a generated input names lies inside it. */
  sandbox: string;
  /** A loopback URL with nothing listening, for the sync server address. */
  deadUrl: string;
}

export interface Case {
  input: unknown;
  /** How the input was made, for the failure message ("patient.givenName: too long"). */
  label: string;
  /** The field the mutation hit (empty for the whole input). */
  path: string[];
  /** True when the schema alone says this input cannot be valid: it must come back invalid_input. */
  mustRefuse: boolean;
}

/** Free text that is valid, including Indian scripts, which no check may confuse with garbage. */
const TEXT = ['Ravi Kumar', 'Fever for 3 days', 'रामलाल शर्मा', 'ஆனந்த்', 'Tab. Paracetamol', "D'Souza"];

/**
 * Characters a clinic record must never store (issue #12 item 9): NUL, right-to-left override,
 * byte-order mark, a lone surrogate. Embedded in otherwise good text so only they are wrong.
 */
export const GARBAGE_TEXT: readonly [string, string][] = [
  ['NUL', 'Ravi\u0000Kumar'],
  ['U+202E', 'Ravi\u202EramuK'],
  ['U+FEFF', '\uFEFFRavi Kumar'],
  ['lone surrogate', 'Ravi \uD800Kumar'],
];

/** Odd but legitimate text, and text aimed at SQL, FTS and HTML: must never cause a 500. */
const NASTY_TEXT = [
  '😷🤒 खांसी',
  'e\u0301\u0301\u0301\u0301 Zalgo\u0336\u0336',
  `'; DROP TABLE patients; --`,
  '" OR 1=1 -- *',
  'NEAR(a b) AND "x',
  '%_\\',
  '<script>alert(1)</script>',
  '\t\n\r',
  '   ',
  '',
  ...GARBAGE_TEXT.map(([, s]) => s),
];

/** Values a pattern-checked field is tried with, kept if the field's own regex matches. */
const PATTERN_CANDIDATES = [
  '09:00', '09:15', '10:30', '17:00', '12:30', '2026-11-21', '411001', '9822000099', '27AAAPL1234C1Z5', '020', '24251234',
  'A', 'AB12', 'MMC-2011-04567', '12345678901234', 'ravi@hpr.abdm', 'ravi_k@abdm', 'ravi.kumar@example.in', 'CONS-1', 'PROC-7',
  '9988', '998311', 'Sharma Clinic', 'fuzzuser', '+91 98220 00099', 'example.in',
];

const DATES = ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-28', '2026-12-05', '2026-11-20'];

/** Which pool an id field draws from, by its name (and, for a bare `id`, by the method). */
function poolName(key: string, method: string): string | undefined {
  const byKey: Record<string, string> = {
    patientId: 'patients', acknowledgeDuplicates: 'patients', visitId: 'visits', doctorId: 'doctors', userId: 'victims',
    appointmentId: 'appointments', invoiceId: 'invoices', paymentId: 'payments', orderId: 'labOrders', testIds: 'labTests',
    leaveId: 'leaves', jobId: 'jobs', drugId: 'drugs', refId: 'drugs',
  };
  if (byKey[key]) return byKey[key];
  if (key !== 'id') return undefined;
  const byMethod: [string, string][] = [
    ['patients.', 'patients'], ['formulary.', 'drugs'], ['templates.', 'templates'], ['prescriptions.', 'favourites'], ['billing.', 'priceItems'],
  ];
  return byMethod.find(([prefix]) => method.startsWith(prefix))?.[1];
}

export class Generator {
  constructor(
    private readonly rnd: Rng,
    private readonly world: World,
  ) {}

  private chance(p: number): boolean {
    return this.rnd.next() < p;
  }

  /** A real id most of the time, so calls reach the services instead of stopping at not_found. */
  private id(key: string, method: string): string {
    const pool = this.world.pools[poolName(key, method) ?? ''] ?? [];
    const roll = this.rnd.next();
    if (pool.length > 0 && roll < 0.8) return this.rnd.pick(pool);
    const all = Object.values(this.world.pools).flat();
    if (all.length > 0 && roll < 0.9) return this.rnd.pick(all);
    return randomUUID();
  }

  /** A plausible value for a schema node; `key` is the field's name (or its array's). */
  value(s: Schema, key: string, method: string, depth = 0): unknown {
    const options = branches(s);
    const nonNull = options.filter((b) => !(b.type?.length === 1 && b.type[0] === 'null'));
    const nullable = nonNull.length < options.length || (s.type?.includes('null') ?? false);
    if (nullable && this.chance(0.1)) return null;
    const b = nonNull.length > 0 ? this.rnd.pick(nonNull) : s;
    if (b.hasConst) return b.const;
    if (b.enum && b.enum.length > 0) return this.rnd.pick(b.enum);
    const type = b.type?.find((t) => t !== 'null') ?? (b.properties ? 'object' : 'string');
    switch (type) {
      case 'object':
        return this.object(b, method, depth);
      case 'array': {
        const min = b.minItems ?? 0;
        const n = this.rnd.int(min, Math.min(b.maxItems ?? min + 2, min + 2));
        return Array.from({ length: n }, () => (b.items ? this.value(b.items, key, method, depth + 1) : 'x'));
      }
      case 'integer':
      case 'number':
        return this.number(b, key, type === 'integer');
      case 'boolean':
        return this.chance(0.5);
      default:
        return this.string(b, key, method);
    }
  }

  private object(s: Schema, method: string, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const required = new Set(s.required ?? []);
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (required.has(k) || (depth < 4 && this.chance(0.6))) out[k] = this.value(v, k, method, depth + 1);
    }
    if (typeof s.additionalProperties === 'object' && !s.properties && this.chance(0.5)) {
      out[this.rnd.pick(['500', '100', '10', '2'])] = this.value(s.additionalProperties, 'count', method, depth + 1);
    }
    return out;
  }

  private number(s: Schema, key: string, integer: boolean): number {
    const min = s.minimum ?? 0;
    const max = s.maximum ?? Math.max(min, 100_000);
    const hints: Record<string, number[]> = {
      gstRateBp: [0, 500, 1200, 1800], weekday: [6, 1], year: [2010], stateCode: [27], districtCode: [490], stateLgd: [27],
      limit: [10, 20], slotMinutes: [15], maxPerSlot: [2], quantity: [1, 10], amountPaise: [50_000, 10_000], ratePaise: [50_000],
      consultationFeePaise: [50_000], followUpFeePaise: [20_000], followUpWindowDays: [7], reviewInDays: [7], ageYears: [42],
    };
    const fits = (hints[key] ?? []).filter((v) => v >= min && v <= max);
    if (fits.length > 0 && this.chance(0.8)) return this.rnd.pick(fits);
    const v = min + this.rnd.next() * Math.min(max - min, 1000);
    return integer ? Math.min(max, Math.ceil(v)) : Math.round(v * 10) / 10;
  }

  private string(s: Schema, key: string, method: string): string {
    if (s.format === 'uuid') return this.id(key, method);
    const hinted = this.hint(key, method);
    const pattern = s.pattern;
    if (hinted !== undefined && (!pattern || pattern.test(hinted))) return hinted;
    if (s.format === 'email') return 'ravi.kumar@example.in';
    if (pattern) {
      const fits = PATTERN_CANDIDATES.filter((c) => pattern.test(c));
      if (fits.length > 0) return this.rnd.pick(fits);
    }
    let text = this.rnd.pick(TEXT);
    while (text.length < (s.minLength ?? 0)) text += ' and more';
    return text.slice(0, s.maxLength ?? text.length);
  }

  /** Plausible text by field name, and the confinement of paths and URLs to the sandbox. */
  private hint(key: string, method: string): string | undefined {
    const { sandbox, deadUrl, pools } = this.world;
    if (/password/i.test(key)) return 'fuzz-password-1';
    switch (key) {
      case 'serverUrl':
        return deadUrl;
      case 'folder':
        return method.startsWith('backups.') ? `${sandbox}/backups` : `${sandbox}/no-such-folder`;
      case 'file':
        return `${sandbox}/no-such-backup.db`;
      case 'path':
        return `${sandbox}/no-such-file.csv`;
      case 'recoveryKey':
        return this.chance(0.5) ? '' : 'ABCD-EFGH';
      case 'username':
        return method === 'auth.login' ? this.rnd.pick(['nobody', 'fuzz.victim']) : `fuzz${this.rnd.int(0, 1e6)}`;
      case 'code':
        return method.startsWith('sync.') || method === 'setup.join' ? 'ABCD1234' : undefined;
      case 'receiptNumber':
        return this.rnd.pick([...(pools.receipts ?? []), 'R-0001']);
      case 'query':
        return this.rnd.pick(['para', 'an', 'amox', 'A09', '9822', 'Joshi']);
      case 'mobile':
      case 'alternatePhone':
      case 'phone':
        return '9822000099';
      case 'dob':
        return '1985-07-01';
      case 'setName':
        return this.rnd.pick(['ownership', 'facility-type', 'speciality']);
    }
    if (/(date|Date|expiry|^from$|^to$)$/.test(key)) return this.rnd.pick(DATES);
    return undefined;
  }

  /** The plausible input of a method (what a well-behaved screen sends). */
  plausible(s: Schema, method: string): unknown {
    return this.value(s, 'input', method);
  }

  /** Mutations of a plausible input, shuffled; the first `count` are kept (made lazily: some are large). */
  mutations(s: Schema, method: string, count: number): Case[] {
    const base = this.plausible(s, method);
    const whole: Case[] = [
      { input: undefined, label: '(no input)', path: [], mustRefuse: false },
      { input: null, label: 'null', path: [], mustRefuse: false },
      { input: 42, label: 'a number', path: [], mustRefuse: false },
      { input: 'text', label: 'a string', path: [], mustRefuse: false },
      { input: [base], label: 'an array', path: [], mustRefuse: false },
      { input: withOwn(base, [], '__proto__', { fuzzPolluted: true }), label: '__proto__ key', path: [], mustRefuse: false },
      { input: withOwn(base, [], 'constructor', { prototype: { fuzzPolluted: true } }), label: 'constructor key', path: [], mustRefuse: false },
      { input: withOwn(base, [], 'fuzzUnknownKey', 'x'), label: 'unknown key', path: [], mustRefuse: false },
    ];
    const lazy = fieldSites(s, base, []).flatMap((site) => this.siteCases(base, site));
    for (let i = lazy.length - 1; i > 0; i--) {
      const j = this.rnd.int(0, i);
      [lazy[i], lazy[j]] = [lazy[j]!, lazy[i]!];
    }
    return [...whole, ...lazy.slice(0, Math.max(0, count - whole.length)).map((make) => make())];
  }

  private siteCases(base: unknown, site: Site): (() => Case)[] {
    const { path, schema, required, present } = site;
    const name = path.join('.');
    const at = (v: () => unknown, label: string, mustRefuse: boolean) => (): Case => ({ input: setAt(base, path, v()), label: `${name}: ${label}`, path, mustRefuse });
    const out: (() => Case)[] = [];
    if (present) out.push(at(() => REMOVE, 'missing', required));
    for (const v of [12345, -1, true, 'text', {}, [], null]) {
      if (!typeAccepted(schema, v)) out.push(at(() => v, `wrong type ${JSON.stringify(v)}`, true));
    }
    // The outermost level is an object, so a field that takes objects may accept (and strip) it.
    out.push(at(() => nest(3000), 'nested 3000 deep', !typeAccepted(schema, {})));
    for (const b of branches(schema)) {
      const types = b.type ?? [];
      if (b.enum) out.push(at(() => 'not-a-choice', 'not one of the choices', !b.enum.includes('not-a-choice') && branches(schema).every((o) => o.enum || o.type?.includes('null'))));
      if (types.includes('string') && !b.enum) {
        const limit = maxLengthOf(schema);
        if (limit !== undefined) out.push(at(() => 'x'.repeat(limit + 1), `${limit + 1} characters`, true));
        out.push(at(() => 'x'.repeat(100_000), '100k characters', limit !== undefined));
        for (const t of NASTY_TEXT) out.push(at(() => t, `text ${JSON.stringify(t)}`, false));
      }
      if (types.includes('integer') || types.includes('number')) {
        const integer = !types.includes('number');
        const { minimum: min, maximum: max } = b;
        if (min !== undefined) out.push(at(() => min - 1, `${min - 1} (below the minimum)`, true), at(() => min, 'the minimum', false));
        if (max !== undefined && max < 1e15) out.push(at(() => max + 1, `${max + 1} (above the maximum)`, true), at(() => max, 'the maximum', false));
        for (const v of [0, -1, 1e308, -1e308, 2 ** 53 + 2]) out.push(at(() => v, String(v), integer && Math.abs(v) > 2 ** 53));
        out.push(at(() => 0.5, '0.5', integer), at(() => '12', 'the string "12"', !typeAccepted(schema, '12')));
      }
      if (types.includes('array')) {
        if ((b.minItems ?? 0) > 0) out.push(at(() => [], 'empty list', true));
        const current = getAt(base, path);
        const item: unknown = Array.isArray(current) ? current[0] : undefined;
        const most = b.maxItems;
        if (most !== undefined && most <= 1000 && item !== undefined) out.push(at(() => Array.from({ length: most + 1 }, () => item), `${most + 1} items`, true));
      }
      if (types.includes('object') && present) {
        out.push(() => ({ input: withOwn(base, path, '__proto__', { fuzzPolluted: true }), label: `${name}: __proto__ key`, path, mustRefuse: false }));
      }
    }
    return out;
  }
}

interface Site {
  path: string[];
  schema: Schema;
  required: boolean;
  present: boolean;
}

/** Every field of the schema, with whether the plausible input has it (arrays: their first item). */
function fieldSites(s: Schema, value: unknown, path: string[], depth = 0): Site[] {
  if (depth > 6) return [];
  const out: Site[] = [];
  for (const b of branches(s)) {
    if (b.properties && isObject(value)) {
      const required = new Set(b.required ?? []);
      for (const [k, child] of Object.entries(b.properties)) {
        const present = Object.hasOwn(value, k);
        out.push({ path: [...path, k], schema: child, required: required.has(k), present });
        if (present) out.push(...fieldSites(child, value[k], [...path, k], depth + 1));
      }
    }
    if (b.items && Array.isArray(value) && value.length > 0) {
      out.push({ path: [...path, '0'], schema: b.items, required: false, present: true });
      out.push(...fieldSites(b.items, value[0], [...path, '0'], depth + 1));
    }
  }
  return out;
}

function maxLengthOf(s: Schema): number | undefined {
  const strings = branches(s).filter((b) => b.type?.includes('string'));
  if (strings.length === 0 || strings.some((b) => b.maxLength === undefined)) return undefined;
  return Math.max(...strings.map((b) => b.maxLength!));
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const REMOVE = Symbol('remove');

function clone(v: unknown): unknown {
  return structuredClone(v);
}

export function getAt(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (isObject(cur)) cur = cur[k];
    else return undefined;
  }
  return cur;
}

/** A copy of `base` with the value at `path` replaced (or removed). */
function setAt(base: unknown, path: readonly string[], v: unknown): unknown {
  if (path.length === 0) return v;
  const root = clone(base);
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    if (v === REMOVE) parent.splice(Number(last), 1);
    else parent[Number(last)] = v;
  } else if (isObject(parent)) {
    if (v === REMOVE) delete parent[last];
    else parent[last] = v;
  }
  return root;
}

/** Adds an own property the way JSON.parse does, so `__proto__` is a key rather than the prototype. */
function withOwn(base: unknown, path: readonly string[], key: string, v: unknown): unknown {
  const root = clone(base);
  const target = getAt(root, path);
  if (!isObject(target)) return root;
  Object.defineProperty(target, key, { value: v, enumerable: true, writable: true, configurable: true });
  return root;
}

function nest(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { deeper: v };
  return v;
}
