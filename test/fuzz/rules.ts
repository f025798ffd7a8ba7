import { routes } from '../../electron/api';
import type { Result } from '../../shared/api';
import { PERMISSIONS } from '../../shared/permissions';
import type { Principal } from './clinic';
import { isObject } from './generate';
import { type Schema, schemaAt, schemaOf } from './schema';

export type MethodName = Extract<keyof typeof routes, string>;
export const METHODS = Object.keys(routes) as MethodName[];

const SCHEMAS = new Map<string, Schema>();
export function schemaFor(method: MethodName): Schema {
  let s = SCHEMAS.get(method);
  if (!s) SCHEMAS.set(method, (s = schemaOf(routes[method].input)));
  return s;
}

/** What a session opened on an administrator's password may do (mirrors the router, on purpose). */
const WHILE_PASSWORD_MUST_CHANGE = ['auth.me', 'auth.changePassword', 'auth.logout'];

export type Expected = 'runs' | 'unauthenticated' | 'forbidden';

/**
 * The rule book: a method's declared access and the PERMISSIONS table, read here without the
 * router's hasPermission so a change to either side shows up as a failure.
 */
export function ruleBook(method: MethodName, p: Principal): Expected {
  const access = routes[method].access;
  if (access === 'public') return 'runs';
  if (p.kind === 'anonymous' || p.kind === 'garbage' || p.kind === 'ended' || p.kind === 'deactivated') return 'unauthenticated';
  if (p.kind === 'mustChange' && !WHILE_PASSWORD_MUST_CHANGE.includes(method)) return 'forbidden';
  if (access === 'session') return 'runs';
  const holders: readonly string[] = PERMISSIONS[access];
  return p.roles.some((r) => holders.includes(r)) ? 'runs' : 'forbidden';
}

/**
 * Methods that check a record saved earlier and name the fields of the method that saves it:
 * facility.complete lists what the registration still lacks, as facility.save's fields;
 * consultations.complete names what the note still lacks (no diagnosis), as consultations.save's.
 */
const FIELDS_OF: Partial<Record<MethodName, MethodName>> = { 'facility.complete': 'facility.save', 'consultations.complete': 'consultations.save' };

export interface Call {
  method: MethodName;
  principal: Principal;
  input: unknown;
  label: string;
  /** The field the input was mutated at, and whether the schema alone makes it invalid. */
  path: string[];
  mustRefuse: boolean;
  outcome: { result: Result<unknown> } | { thrown: unknown };
  /** Business tables the call left changed. */
  changed: string[];
}

/** Everything wrong with one call's answer, as short sentences (empty: the call behaved). */
export function problemsOf(call: Call): string[] {
  if ('thrown' in call.outcome) return [`threw instead of answering: ${String(call.outcome.thrown)}`];
  const r: unknown = call.outcome.result;
  if (!isObject(r) || typeof r.ok !== 'boolean') return [`answered something that is not a Result: ${preview(r)}`];
  const problems: string[] = [];
  const expected = ruleBook(call.method, call.principal);
  const error = r.ok === false && isObject(r.error) ? r.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  if (r.ok === false && !error) problems.push('refused without an error');
  if (code === 'internal') problems.push('internal error (HTTP 500)');
  if (error && (typeof error.message !== 'string' || error.message === '')) problems.push('error without a message');
  if (expected !== 'runs' && code !== expected) {
    problems.push(r.ok ? `ACCEPTED although the rule book says ${expected}` : `answered ${code} where the rule book says ${expected}`);
  }
  if (r.ok === false && call.changed.length > 0) problems.push(`refused, yet rows changed in ${call.changed.join(', ')}`);
  if (r.ok && !routes[call.method].mutates && call.changed.length > 0) problems.push(`declared read-only (mutates: false), yet changed rows in ${call.changed.join(', ')}`);
  if (code === 'invalid_input') problems.push(...fieldProblems(call, error?.fields));
  if (expected === 'runs' && call.mustRefuse && code !== 'invalid_input') {
    problems.push(`the schema cannot accept this input, yet it was ${r.ok ? 'accepted' : `answered ${code}`}`);
  }
  if (Reflect.get(Object.prototype, 'fuzzPolluted') !== undefined) {
    Reflect.deleteProperty(Object.prototype, 'fuzzPolluted');
    problems.push('Object.prototype was polluted');
  }
  if (r.ok) {
    try {
      JSON.stringify(r.value);
    } catch (e) {
      problems.push(`the value cannot be sent as JSON: ${String(e)}`);
    }
  }
  return problems;
}

/** invalid_input must name real fields, and for a mutated field, that field (or its parent or child). */
function fieldProblems(call: Call, fields: unknown): string[] {
  if (!isObject(fields) || Object.keys(fields).length === 0) return ['invalid_input without field names'];
  const schema = schemaFor(FIELDS_OF[call.method] ?? call.method);
  const keys = Object.keys(fields);
  const out: string[] = [];
  const unknown = keys.filter((k) => k !== '(input)' && !schemaAt(schema, k.split('.')));
  if (unknown.length > 0) out.push(`invalid_input names fields the input has no place for: ${unknown.join(', ')}`);
  if (keys.some((k) => typeof fields[k] !== 'string' || fields[k] === '')) out.push('invalid_input with an empty field message');
  if (call.mustRefuse && call.path.length > 0) {
    const target = call.path.join('.');
    const related = keys.some((k) => k === '(input)' || k === target || target.startsWith(`${k}.`) || k.startsWith(`${target}.`));
    if (!related) out.push(`invalid_input does not name ${target} (named: ${keys.join(', ')})`);
  }
  return out;
}

export function preview(v: unknown, max = 300): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && x.length > 60 ? `${x.slice(0, 40)}…(${x.length} chars)` : x));
  } catch {
    s = String(v);
  }
  // Deep nesting and long lists would drown the message; the seed replays the full input.
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** A failure found on the current code and reported, kept visible in the log without failing the run. */
export interface Known {
  match: RegExp;
  why: string;
}

/** Failures grouped by method and problem, with the first examples of each, and counts for the summary. */
export class Tally {
  calls = 0;
  inputs = 0;
  readonly methods = new Set<string>();
  /** Milliseconds spent per method, to tune the input counts (FUZZ_PROFILE=1 prints the slowest). */
  readonly time = new Map<string, number>();
  private readonly groups = new Map<string, { count: number; examples: string[] }>();

  constructor(
    readonly seed: number,
    private readonly known: readonly Known[] = [],
  ) {}

  record(call: Call, problems: readonly string[], ms = 0) {
    this.calls++;
    this.time.set(call.method, (this.time.get(call.method) ?? 0) + ms);
    this.methods.add(call.method);
    for (const problem of problems) this.fail(`${call.method} — ${problem}`, `as ${call.principal.name}, ${call.label}: input ${preview(call.input)}`);
  }

  fail(group: string, example: string) {
    const g = this.groups.get(group) ?? { count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(example);
    this.groups.set(group, g);
  }

  private isKnown(group: string): boolean {
    return this.known.some((k) => k.match.test(group));
  }

  /** Failures not on the known list: these fail the test. */
  get failures(): number {
    return [...this.groups.entries()].filter(([group]) => !this.isKnown(group)).reduce((n, [, g]) => n + g.count, 0);
  }

  get knownFailures(): number {
    return [...this.groups.entries()].filter(([group]) => this.isKnown(group)).reduce((n, [, g]) => n + g.count, 0);
  }

  slowest(n: number): string {
    return [...this.time.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([m, ms]) => `${m} ${Math.round(ms)}ms`)
      .join(', ');
  }

  report(): string {
    const lines = [...this.groups.entries()].map(
      ([group, g]) => `${this.isKnown(group) ? '✗ (known)' : '✗'} ${group} (${g.count}×)` + g.examples.map((e) => `\n    ${e}`).join(''),
    );
    const gone = this.known.filter((k) => ![...this.groups.keys()].some((group) => k.match.test(group)));
    for (const k of gone) lines.push(`? known failure not seen this run (fixed? then drop it from KNOWN): ${k.why}`);
    return lines.length === 0 ? '' : `${lines.join('\n')}\nreplay: FUZZ_SEED=${this.seed} npx vitest run test/fuzz`;
  }
}
