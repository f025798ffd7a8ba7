import type Database from 'better-sqlite3';
import { FingerprintSum, SEED_HLC, type Fingerprint } from '../../db/sync-checksum';
import { SYNCED_TABLES } from '../../db/sync-tables';

/**
 * This device's rows of a table, as the server counts them: seed rows left out (see SEED_HLC), and
 * so is a row whose insert the server refused. Such a row is not on the server and never will be:
 * it stays here, listed on the Sync screen as refused, and is left out so the copies agree on
 * everything else instead of differing (and re-reading the table) forever.
 */
const COUNTED = `hlc <> ? AND id NOT IN (
  SELECT row_id FROM change_log WHERE table_name = ? AND op = 'insert' AND rejected_at IS NOT NULL AND pushed_at IS NULL)`;

/** The same fingerprints the server computes, from this device's rows, in one go (tests, benchmarks). */
export function localChecksums(sqlite: Database.Database): Record<string, Fingerprint> {
  const out: Record<string, Fingerprint> = {};
  for (const table of Object.keys(SYNCED_TABLES)) {
    const f = new FingerprintSum();
    for (const r of sqlite.prepare(`SELECT id, hlc FROM "${table}" WHERE ${COUNTED}`).iterate(SEED_HLC, table) as Iterable<{ id: string; hlc: string }>) f.add(r.id, r.hlc);
    out[table] = f.result();
  }
  return out;
}

export interface SliceOptions {
  /** Rows read per slice; a slice of 2,000 takes a few milliseconds. */
  sliceRows?: number;
  /** Lets the app run between slices (default: the next turn of the event loop). */
  pause?: () => Promise<void>;
}

/**
 * The same fingerprints, read a slice at a time (by id) with the event loop free in between, so
 * a clinic with a million patients does not freeze the app for seconds. The app may write between
 * slices; a table written meanwhile (it has a newer change_log entry) is left out of this round,
 * since its sum mixes two moments. Rows arriving by pull cannot interleave: pulls and this run in
 * the same sync cycle, one after the other.
 */
export async function localChecksumsInSlices(sqlite: Database.Database, options: SliceOptions = {}): Promise<Record<string, Fingerprint>> {
  const sliceRows = options.sliceRows ?? 2_000;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const lastSeq = sqlite.prepare('SELECT coalesce(max(seq), 0) FROM change_log').pluck();
  const writtenSince = sqlite.prepare('SELECT 1 FROM change_log WHERE seq > ? AND table_name = ? LIMIT 1').pluck();
  const out: Record<string, Fingerprint> = {};
  for (const table of Object.keys(SYNCED_TABLES)) {
    const before = lastSeq.get() as number;
    const slice = sqlite.prepare(`SELECT id, hlc FROM "${table}" WHERE id > ? AND ${COUNTED} ORDER BY id LIMIT ?`);
    const f = new FingerprintSum();
    let after = '';
    for (;;) {
      const rows = slice.all(after, SEED_HLC, table, sliceRows) as { id: string; hlc: string }[];
      for (const r of rows) f.add(r.id, r.hlc);
      if (rows.length < sliceRows) break;
      after = rows.at(-1)!.id;
      await pause();
    }
    if (writtenSince.get(before, table) === undefined) out[table] = f.result();
  }
  return out;
}
