import type { RowState } from './push-batch';

/**
 * How much the cache holds at most, in MB of its own estimate (SERVER_ROW_CACHE_MB; 0 turns it
 * off). A patient's row and its stamps count about 7.5 KB (about as much heap), so the default holds
 * some 17,000 of them. A clinic's rows in use at once beyond that are not helped: each is dropped
 * before it is used again (least recently used first), and costs its keeping for nothing.
 */
export function rowCacheBudget(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.SERVER_ROW_CACHE_MB;
  if (set !== undefined && set.trim() !== '' && Number.isFinite(Number(set)) && Number(set) >= 0) return Number(set) * 1024 * 1024;
  return 128 * 1024 * 1024;
}

/** A row larger than this (the facility's logo, an ABDM record's bundles) is not held: one would crowd out hundreds. */
const LARGEST_ROW = 64 * 1024;
/** What an entry costs beyond its columns (its key, the map's entry, the objects around the row), in the estimate. */
const ENTRY_OVERHEAD = 256;

/** A row as this instance last saw it committed, and the cursor value (`rows.seq`) it had then. */
export interface CachedRow {
  seq: number;
  state: RowState;
  /** The estimate of its size counted against the budget. */
  size: number;
}

/**
 * The rows this instance last read or wrote, each with its `seq`, so that a push touching them
 * again reads only their `seq` under the lock (server/push-open.ts) instead of the whole row. Every
 * write of a row takes a new value from `change_seq` (it is the cursor desks pull by: a write
 * that kept its seq would never reach them), and a sequence never gives a value twice, so a row
 * whose seq is the one held here is the row held here, whichever instance or path wrote it since.
 * A row whose seq differs is read whole, as before. Nothing here is trusted without that check.
 *
 * Under 100 desks reading those rows whole cost PostgreSQL about a tenth of its CPU per change
 * (each edit's row taken out of TOAST, decompressed and written out as JSON text), 81-86 µs a
 * change then and 70-76 with the cache, and the main thread their parsing.
 *
 * The row's `hlc` must match too, which costs nothing and would catch a sequence given twice (a
 * database restored behind the instances' backs).
 *
 * A row is kept as a read would give it back (asRead: an object's members in jsonb's order), so
 * no rule can judge a change differently with a held row than with one read, on one instance
 * than on another; a row that cannot come back the same (-0, NaN, Infinity) is not kept. The
 * columns themselves keep the order they have: rules look a row up column by column, never
 * depend on the order of its columns.
 */
export class RowCache {
  /** By clinic and row key; a Map keeps insertion order, so the first entry is the least recently used. */
  private readonly rows = new Map<string, CachedRow>();
  private bytes = 0;

  constructor(private readonly budget: number = rowCacheBudget()) {}

  /** Rows held. */
  get size() {
    return this.rows.size;
  }

  /** Their estimated size, counted against the budget. */
  get estimatedBytes() {
    return this.bytes;
  }

  /** What is held for these rows (the caller keeps the answer: an entry evicted meanwhile is still there for it). */
  held(clinicId: string, keys: Iterable<string>): Map<string, CachedRow> {
    const out = new Map<string, CachedRow>();
    if (this.budget === 0) return out;
    for (const key of keys) {
      const k = cacheKey(clinicId, key);
      const entry = this.rows.get(k);
      if (!entry) continue;
      out.set(key, entry);
      // Used: to the back of the line, behind the rows to be dropped first.
      this.rows.delete(k);
      this.rows.set(k, entry);
    }
    return out;
  }

  /**
   * Keeps a committed row at `seq` (a row it cannot keep exactly, or too large, is dropped
   * instead; one held at a later seq stays). `read`: the row is as PostgreSQL gave it back, so it
   * needs no ordering.
   */
  put(clinicId: string, key: string, seq: number, state: RowState | null, read = false) {
    if (this.budget === 0) return;
    const k = cacheKey(clinicId, key);
    // A turn that committed earlier can come here after a later one: the later row stays.
    if ((this.rows.get(k)?.seq ?? -1) > seq) return;
    this.drop(k);
    if (state === null || !Number.isSafeInteger(seq)) return;
    const size = { bytes: ENTRY_OVERHEAD + 2 * k.length };
    const data = columnsAsRead(state.data, read, size);
    const fieldHlc = columnsAsRead(state.fieldHlc, read, size);
    if (data === undefined || fieldHlc === undefined) return;
    // Frozen (the row and its stamps, not the values in them, which may be a push's own): a merge
    // copies a row and sets columns, never edits one in place; should some code ever do that to
    // a row held here, it fails at once instead of changing the next turn's row.
    this.rows.set(k, { seq, state: Object.freeze({ data: Object.freeze(data), fieldHlc: Object.freeze(fieldHlc), hlc: state.hlc }), size: size.bytes });
    this.bytes += size.bytes;
    for (const [oldest] of this.rows) {
      if (this.bytes <= this.budget) break;
      this.drop(oldest);
    }
  }

  /** put, for a row already committed: a row the cache cannot take (whatever the reason) is left out, the push goes on. */
  keep(clinicId: string, key: string, seq: number, state: RowState | null, read = false) {
    try {
      this.put(clinicId, key, seq, state, read);
    } catch {
      this.drop(cacheKey(clinicId, key));
    }
  }

  private drop(k: string) {
    const entry = this.rows.get(k);
    if (!entry) return;
    this.rows.delete(k);
    this.bytes -= entry.size;
  }
}

const cacheKey = (clinicId: string, key: string) => `${clinicId}\u0000${key}`;

/**
 * A row's columns with each value as asRead gives it (the same object when none differs), adding
 * an estimate of their size (names and strings at two bytes a character, 16 a value) to `size`.
 */
function columnsAsRead<V>(columns: Record<string, V>, read: boolean, size: { bytes: number }): Record<string, V> | undefined {
  let out: Record<string, V> | null = null;
  for (const k in columns) {
    const v = columns[k];
    size.bytes += 2 * k.length + 16 + (typeof v === 'string' ? 2 * v.length : 0);
    if (size.bytes > LARGEST_ROW) return undefined;
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return undefined;
      if (v === undefined) return undefined;
      continue;
    }
    // (An object's size is estimated from its JSON only when it has one: most columns are scalars.)
    size.bytes += 2 * JSON.stringify(v).length;
    if (size.bytes > LARGEST_ROW) return undefined;
    if (read) continue;
    const r = asRead(v);
    if (r === undefined) return undefined;
    if (r !== v) (out ??= { ...columns })[k] = r;
  }
  return out ?? columns;
}

/**
 * The value as PostgreSQL gives it back from jsonb (the same object when nothing differs), or
 * undefined when it cannot come back the same: jsonb orders an object's members by the length of
 * their name, then by its bytes, and JSON has no -0, NaN or Infinity.
 */
function asRead<T>(value: T): T | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : undefined;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = asRead(v);
      if (r === undefined) return undefined;
      if (r !== v) (out ??= [...value])[i] = r;
    }
    return (out ?? value) as T;
  }
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  let changed = false;
  for (let i = 0; i < entries.length; i++) {
    const r = asRead(entries[i]![1]);
    if (r === undefined) return undefined;
    if (r !== entries[i]![1]) {
      entries[i] = [entries[i]![0], r];
      changed = true;
    }
    if (i > 0 && jsonbKeyOrder(entries[i - 1]![0], entries[i]![0]) > 0) changed = true;
  }
  if (!changed) return value;
  // (An own member named __proto__ stays an own member: defineProperty, not assignment.)
  const out = {} as Record<string, unknown>;
  for (const [k, v] of entries.sort((a, b) => jsonbKeyOrder(a[0], b[0]))) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out as T;
}

const ASCII = /^[\x00-\x7f]*$/;

/** jsonb's order of an object's member names: shorter first (in UTF-8 bytes), then by bytes. */
function jsonbKeyOrder(a: string, b: string): number {
  // (In ASCII a character is a byte, and comparing the strings compares the bytes.)
  if (ASCII.test(a) && ASCII.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length - y.length || Buffer.compare(x, y);
}
