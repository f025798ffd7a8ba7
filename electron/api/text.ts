import { z } from 'zod';

/**
 * The one rule for text that staff type (issue #12): no invisible control characters, no
 * right-to-left overrides (they make "Ram" display as something else on the letterhead), no
 * byte-order marks pasted in from files, no broken UTF-16; everything stored in NFC so the same
 * name typed on two keyboards is the same string for search and duplicate checks.
 *
 * Zero-width joiner and non-joiner (U+200C, U+200D) are allowed: Devanagari spelling needs them.
 */

/** What is wrong with a piece of text. */
export type TextFault = 'control' | 'line-break' | 'bidi' | 'bom' | 'broken';

/**
 * - `line`: one line, as from a text box: no tab, newline or carriage return.
 * - `lines`: a text area: tab and newline allowed, CR only as part of CRLF (turned into LF).
 * - `any`: what the router lets through for fields it knows nothing about: tab, CR and LF.
 * - `secret`: passwords, compared byte for byte with old hashes: only NUL and broken text refused.
 */
export type TextKind = 'line' | 'lines' | 'any' | 'secret';

// One pass over the string on the hot path (patient search runs per keystroke); the fault is
// told apart only when something was found.
const SUSPECT = /[\u0000-\u001F\u007F-\u009F\u200B\u2028\u2029\u2060\u202A-\u202E\u2066-\u2069\uFEFF\uD800-\uDFFF]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const CONTROL_EXCEPT_TAB_LF_CR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const TAB_OR_LINE_BREAK = /[\t\n\r\u2028\u2029]/;
// Zero-width space and word joiner: invisible, and "Ra\u200Bm" would escape the duplicate check for "Ram".
const INVISIBLE = /[\u200B\u2060]/;
const UNICODE_LINE_BREAK = /[\u2028\u2029]/g;
const LONE_CR = /\r(?!\n)/;
// Without the u flag a regex sees UTF-16 code units, so half of a surrogate pair can be matched.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NON_ASCII = /[^\u0000-\u007F]/;

export function textFault(s: string, kind: TextKind): TextFault | null {
  if (!SUSPECT.test(s)) return null;
  if (kind === 'secret') {
    if (s.includes('\u0000')) return 'control';
    return LONE_SURROGATE.test(s) ? 'broken' : null;
  }
  if (CONTROL_EXCEPT_TAB_LF_CR.test(s) || INVISIBLE.test(s)) return 'control';
  if (BIDI.test(s)) return 'bidi';
  if (s.includes('\uFEFF')) return 'bom';
  if (LONE_SURROGATE.test(s)) return 'broken';
  if (kind === 'line' && TAB_OR_LINE_BREAK.test(s)) return 'line-break';
  if (kind === 'lines' && LONE_CR.test(s)) return 'control';
  return null;
}

/** Accepted text as it is stored: NFC, and LF line ends in text areas. */
export function cleanText(s: string, kind: TextKind): string {
  if (kind === 'secret') return s;
  const nfc = NON_ASCII.test(s) ? s.normalize('NFC').replace(UNICODE_LINE_BREAK, kind === 'lines' ? '\n' : '$&') : s;
  return kind === 'lines' && nfc.includes('\r') ? nfc.replace(/\r\n/g, '\n') : nfc;
}

/** In staff words: what is wrong and what to do. */
export function faultMessage(label: string, fault: TextFault): string {
  switch (fault) {
    case 'control':
      return `${label} contains an invisible control character; retype it`;
    case 'line-break':
      return `${label} must be on one line (it contains a line break or tab); retype it`;
    case 'bidi':
      return `${label} contains a right-to-left override mark; retype it`;
    case 'bom':
      return `${label} contains an invisible byte-order mark; retype it`;
    case 'broken':
      return `${label} contains a broken character; retype it`;
  }
}

function checked(label: string, typeError: string, kind: TextKind) {
  return z.string({ error: typeError }).superRefine((s, ctx) => {
    const fault = textFault(s, kind);
    // continue: false, so trim/min/regex do not add a second, misleading message for the field.
    if (fault) ctx.addIssue({ code: 'custom', message: faultMessage(label, fault), continue: false });
  });
}

/** Text typed in a text box (one line). Not trimmed here: callers add .trim() where they want it. */
export const lineText = (label: string, typeError = `${label} must be text`) =>
  checked(label, typeError, 'line').overwrite((s) => cleanText(s, 'line'));

/** Text typed in a text area (several lines). */
export const linesText = (label: string, typeError = `${label} must be text`) =>
  checked(label, typeError, 'lines').overwrite((s) => cleanText(s, 'lines'));

/** A password: checked, never changed, so hashes made before this rule still match. */
export const secretText = (label: string, typeError = `${label} is required`) => checked(label, typeError, 'secret');

/**
 * A file or folder path chosen in a dialog: checked like a line, not normalised, because a file
 * whose name is stored decomposed (as macOS writes them) would no longer be found.
 */
export const pathText = (label: string, typeError = `${label} is required`) => checked(label, typeError, 'line');

/* ---------------------------------------------------------------------------------------------
 * The router's backstop: every string in every input, whether or not its method's schema uses
 * the builders above, so a method added later cannot store what this rule refuses.
 */

/** Keys whose strings are kept byte-exact (see secretText, pathText). */
const SECRET_KEYS = new Set(['password', 'currentPassword', 'newPassword']);
const PATH_KEYS = new Set(['path', 'folder', 'file']);
/** Deeper than any method's input; stops a hostile or cyclic object from costing the walk. */
const MAX_DEPTH = 12;

export interface ScrubbedInput {
  /** The input with every string cleaned; the same object when nothing changed. */
  input: unknown;
  /** Field path (as validationError names it) -> what is wrong; null when nothing is. */
  fields: Record<string, string> | null;
}

/** "givenName" -> "Given name": a label for a field no schema message names. */
function labelOf(path: readonly string[]): string {
  const key = [...path].reverse().find((p) => !/^\d+$/.test(p));
  if (!key) return 'The text';
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** How the walk treats one string: which rule checks it, and whether it may be rewritten. */
interface Handling {
  kind: TextKind;
  keep: boolean;
}
const FREE: Handling = { kind: 'any', keep: false };
const SECRET: Handling = { kind: 'secret', keep: true };
const PATH: Handling = { kind: 'line', keep: true };

function handlingOf(key: string): Handling {
  return SECRET_KEYS.has(key) ? SECRET : PATH_KEYS.has(key) ? PATH : FREE;
}

/** Sets a key on a copy without going through a "__proto__" setter. */
function put(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Walks the raw input once: refuses forbidden characters by field path, NFC-normalises the rest.
 * One path stack is pushed and popped rather than copied per value: this runs on every call.
 */
export function scrubInput(raw: unknown): ScrubbedInput {
  let fields: Record<string, string> | null = null;
  const fault = (path: readonly string[], message: string) => {
    fields ??= {};
    fields[path.join('.') || '(input)'] ??= message;
  };

  const path: string[] = [];
  const walk = (v: unknown, how: Handling): unknown => {
    if (typeof v === 'string') {
      const f = textFault(v, how.kind);
      if (f) {
        fault(path, faultMessage(labelOf(path), f));
        return v;
      }
      return how.keep ? v : cleanText(v, how.kind);
    }
    if (typeof v !== 'object' || v === null) return v;
    if (path.length >= MAX_DEPTH) {
      // Named by the field the caller filled in, not by a path no schema has.
      fault(path.slice(0, 1), 'This is nested too deeply');
      return v;
    }
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        path.push(String(i));
        const next = walk(item, FREE);
        path.pop();
        if (next !== item) (out ??= v.slice())[i] = next;
      }
      return out ?? v;
    }
    if (!isPlainObject(v)) return v;
    let out: Record<string, unknown> | null = null;
    for (const key of Object.keys(v)) {
      path.push(key);
      const keyFault = textFault(key, 'line');
      if (keyFault) fault(path, faultMessage('A field name', keyFault));
      const item = v[key];
      const next = walk(item, handlingOf(key));
      path.pop();
      if (next !== item) put((out ??= { ...v }), key, next);
    }
    return out ?? v;
  };

  const input = walk(raw, FREE);
  return { input, fields };
}
