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
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The bytes signed for a change: canonical JSON of the domain tag and every field that matters. */
export function changeSigningBytes(c: SignedFields): Uint8Array {
  return new TextEncoder().encode(canonicalJson([CHANGE_SIGNING_DOMAIN, c.id, c.table, c.rowId, c.op, c.columns, c.hlc, c.userId]));
}
