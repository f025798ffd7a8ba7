/**
 * How a row's column stamps (field_hlc) are stored in PostgreSQL. In memory a row holds one stamp
 * per column (RowState.fieldHlc); most columns of a row share one stamp, the one it was inserted
 * with, so the table stores that stamp once under BASE and only the columns whose stamp differs.
 *
 * Why: a patient's forty stamps are about 2.7 KB of JSON, twice its data. That pushed every row
 * version over PostgreSQL's 2 KB TOAST threshold, so each insert and each edit paid for parsing
 * the stamps and compressing them; a new patient's row cost PostgreSQL about twice as much to
 * write as the same row stored this way (measured on this machine with lz4).
 *
 * The stored form stays a flat JSON object of strings, so an edit still merges into it with jsonb
 * `||` (server/push-batch.ts): the columns it changed arrive as their own members and take
 * precedence over BASE. A row stored whole, as every row was before, reads back unchanged.
 */

/** The member naming the shared stamp: not a column name (every synced column is an SQL identifier). */
export const BASE = '*';

/**
 * What SERVER_PACKED_STAMPS asks: unset, 1, on, true or yes packs; 0, off, false or no keeps writing
 * stamps whole, for instances that share a database with servers older than this one (they read
 * stamps only whole: docs/SYNC.md "Upgrading instances that share a database"); anything else is a
 * mistake the server refuses to start with (null). Reading takes both forms always.
 */
export function packingSetting(env: NodeJS.ProcessEnv = process.env): boolean | null {
  const v = (env.SERVER_PACKED_STAMPS ?? '').trim().toLowerCase();
  if (['', '1', 'on', 'true', 'yes'].includes(v)) return true;
  if (['0', 'off', 'false', 'no'].includes(v)) return false;
  return null;
}

const asked = packingSetting() === true;
/** Whether older instances were seen on this database lately (server/db/open.ts watches for them). */
let olderSeen = false;

/** Whether this instance packs what it writes now: asked to, and no older instance seen. */
export function packingOn(): boolean {
  return asked && !olderSeen;
}

/** Told by the database's watch: older instances share it (write whole) or are gone. */
export function setOlderInstancesSeen(seen: boolean): void {
  olderSeen = seen;
}

export function olderInstancesSeen(): boolean {
  return olderSeen;
}

const own = (o: object, k: string) => Object.hasOwn(o, k);

/**
 * The stored form of a row's stamps: BASE with the commonest stamp, and every stamp that is not it
 * (or belongs to no column of `data`). Whole (a copy) when that saves nothing, or when a column or
 * a stamp is named BASE, a column has no stamp or an undefined value (JSON drops it, so its stamp
 * would fall to BASE): unpackStamps then gives back every column's stamp exactly (a stray stamp
 * named BASE, which stamps no column, is the one thing it cannot tell from a packed map).
 */
export function packStamps(data: Readonly<Record<string, unknown>>, fieldHlc: Readonly<Record<string, string>>, on = packingOn()): Record<string, string> {
  if (!on || own(data, BASE) || own(fieldHlc, BASE)) return { ...fieldHlc };
  const counts = new Map<string, number>();
  let base = '';
  let most = 0;
  for (const col in data) {
    if (!own(fieldHlc, col) || data[col] === undefined) return { ...fieldHlc };
    const stamp = fieldHlc[col]!;
    const n = (counts.get(stamp) ?? 0) + 1;
    counts.set(stamp, n);
    if (n > most) {
      most = n;
      base = stamp;
    }
  }
  if (most < 2) return { ...fieldHlc };
  const packed: Record<string, string> = { [BASE]: base };
  for (const col in fieldHlc) if (fieldHlc[col] !== base || !own(data, col)) packed[col] = fieldHlc[col]!;
  return packed;
}

/** A row's stamps as stored (packed or whole) back to one stamp per column. */
export function unpackStamps(data: Readonly<Record<string, unknown>>, stored: Readonly<Record<string, string>>): Record<string, string> {
  if (!own(stored, BASE) || own(data, BASE)) return stored;
  const base = stored[BASE]!;
  const out: Record<string, string> = {};
  for (const col in data) out[col] = own(stored, col) ? stored[col]! : base;
  for (const col in stored) if (col !== BASE && !own(out, col)) out[col] = stored[col]!;
  return out;
}
