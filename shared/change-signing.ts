/**
 * What a person signs for each synced change, computed identically by the desk (db/write.ts,
 * electron/services/audit.ts) and the server (server/signatures.ts). See docs/SYNC.md "Signed
 * changes". Pure: no node: imports, so both ends and tests share it.
 */

/** Bumped if the signed fields ever change; old signatures then stop verifying on purpose. */
export const CHANGE_SIGNING_DOMAIN = 'clinic-change-v1';

export interface SignedFields {
  id: string;
  table: string;
  rowId: string;
  op: 'insert' | 'update' | 'delete';
  columns: Record<string, unknown>;
  hlc: string;
  userId: string | null;
}

/**
 * JSON with object keys sorted at every level, as JSON.stringify would write the values otherwise
 * (undefined members dropped, undefined in arrays as null): a change's columns survive a JSON round
 * trip (the outbox stores them as text, socket.io carries them as JSON) with the same bytes.
 *
 * Written with plain loops: it runs for every change a desk writes and every change the server
 * verifies, and the entries/filter/sort/map/join version cost more than the hashing it feeds.
 * Strings JSON writes as they are (no quote, backslash, control character or surrogate) and
 * finite numbers are written without calling JSON.stringify: a patient's forty columns made eighty
 * such calls. Keys sort by UTF-16 code units (Array.prototype.sort's default), as before.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return AS_IS.test(value) ? `"${value}"` : JSON.stringify(value);
    case 'number':
      // JSON.stringify writes a finite number as String does (-0 as 0), and NaN or Infinity as null.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value) ?? 'null';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out += (i === 0 ? '' : ',') + (v === undefined ? 'null' : canonicalJson(v));
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const k of keys) {
    const v = record[k];
    if (v === undefined || typeof v === 'function') continue;
    out += (out.length === 1 ? '' : ',') + canonicalJson(k) + ':' + canonicalJson(v);
  }
  return `${out}}`;
}

/**
 * A string JSON.stringify writes unchanged between quotes: it escapes quotes, backslashes and
 * control characters, and lone surrogates; strings with any surrogate go to JSON.stringify.
 */
const AS_IS = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

const utf8 = new TextEncoder();

/** What is signed for a change, as text: canonical JSON of the domain tag and every field that matters. */
export function changeSigningText(c: SignedFields): string {
  return canonicalJson([CHANGE_SIGNING_DOMAIN, c.id, c.table, c.rowId, c.op, c.columns, c.hlc, c.userId]);
}

/** The bytes signed for a change: changeSigningText in UTF-8. */
export function changeSigningBytes(c: SignedFields): Uint8Array {
  return utf8.encode(changeSigningText(c));
}
