import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { SYNCED_TABLES } from './sync-tables';

/**
 * A unique key of a synced table, read from the drizzle schema (a unique index, or a column marked
 * unique). Every desk's SQLite enforces it locally, but two desks offline can each hand out the
 * same value; only the server, which sees every desk, can decide who had it first.
 */
export interface UniqueKey {
  table: string;
  /** The index's name (or `<table>_<column>_unique`), the claim's key_name on the server. */
  name: string;
  columns: string[];
  /**
   * What a desk that lost a race for this value may do: `rename` its own row to a free variant
   * ("ravi" -> "ravi.2") and send it again (names people choose: usernames, price codes);
   * `setAside` its own row (kept whole in set_aside_rows and shown, out of the live table so the
   * winner's row can be pulled: a second consultation or prescription of one visit, a second profile
   * of one doctor, where renaming makes no sense); or `refuse`: the change stays refused and visible.
   * Refused: values from a desk's own series (MRNs, booking references, invoice and Rx numbers,
   * tokens, a desk's day-end), which collide only when two desks share a series, and whose rows
   * everything else points at (a patient, a visit, a bill): moving them aside would orphan that.
   */
  onLoss: 'rename' | 'setAside' | 'refuse';
}

const RENAMEABLE = new Set(['users.username', 'price_list.code', 'lab_tests.code']);
const SET_ASIDE = new Set(['consultations.visit_id', 'prescriptions.visit_id', 'doctor_profiles.user_id', 'abdm_care_contexts.visit_id']);

function keysOf(table: string): UniqueKey[] {
  const cfg = getTableConfig(SYNCED_TABLES[table]!.table);
  const keys: UniqueKey[] = [];
  const add = (name: string, columns: string[]) =>
    keys.push({ table, name, columns, onLoss: RENAMEABLE.has(`${table}.${columns.join(',')}`) ? 'rename' : SET_ASIDE.has(`${table}.${columns.join(',')}`) ? 'setAside' : 'refuse' });
  for (const index of cfg.indexes) {
    // A partial index (WHERE ...) does not hold a value for every row; none exists today, and the
    // server cannot evaluate an arbitrary SQLite condition, so such an index would need its own rule.
    if (!index.config.unique || index.config.where) continue;
    add(index.config.name, index.config.columns.map((c) => (c as SQLiteColumn).name));
  }
  for (const u of cfg.uniqueConstraints) add(u.getName() ?? `${table}_${u.columns.map((c) => c.name).join('_')}_unique`, u.columns.map((c) => c.name));
  for (const c of cfg.columns) if (c.isUnique) add(c.uniqueName ?? `${table}_${c.name}_unique`, [c.name]);
  return keys;
}

/** The unique keys of every synced table that has any (see docs/SYNC.md "Conflicts the server decides"). */
export const UNIQUE_KEYS: Record<string, UniqueKey[]> = Object.fromEntries(
  Object.keys(SYNCED_TABLES)
    .map((t) => [t, keysOf(t)] as const)
    .filter(([, keys]) => keys.length > 0),
);

/** Between the columns of a composite value: the server builds the same text in SQL (concat_ws). */
export const CLAIM_SEPARATOR = '\u001f';

/**
 * The value a row holds for a key, as the server stores its claim: the columns' text joined by
 * CLAIM_SEPARATOR. Null when any column is null or absent: SQLite lets any number of rows hold NULL
 * (an invoice draft has no number yet), so a null claims nothing.
 */
export function claimValue(key: UniqueKey, data: Record<string, unknown>): string | null {
  const values = key.columns.map((c) => data[c]);
  if (values.some((v) => v === null || v === undefined)) return null;
  return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean))).join(CLAIM_SEPARATOR);
}
