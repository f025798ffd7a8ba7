import type Database from 'better-sqlite3';
import { indexPatient } from '../services/patient-search';
import type { HybridClock } from '../../shared/hlc';
import type { PulledRow } from '../../shared/sync-protocol';
import { readClockSeen } from './state';
import { columnsOf, SYNCED_TABLES, toStorage } from '../../db/sync-tables';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function upsertFor(sqlite: Database.Database, table: string, columns: string[]): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map<string, Database.Statement>()));
  const key = `${table}:${columns.join(',')}`;
  let stmt = cache.get(key);
  if (!stmt) {
    const quoted = columns.map((c) => `"${c}"`);
    // Ledger rows are never updated (the database refuses it); everything else takes the merged version.
    const conflict =
      SYNCED_TABLES[table]!.kind === 'ledger'
        ? 'DO NOTHING'
        : `DO UPDATE SET ${quoted.filter((c) => c !== '"id"').map((c) => `${c} = excluded.${c}`).join(', ')}`;
    stmt = sqlite.prepare(`INSERT INTO "${table}" (${quoted.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT("id") ${conflict}`);
    cache.set(key, stmt);
  }
  return stmt;
}

function updateFor(sqlite: Database.Database, table: string, columns: string[]): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map<string, Database.Statement>()));
  const key = `update ${table}:${columns.join(',')}`;
  let stmt = cache.get(key);
  if (!stmt) {
    stmt = sqlite.prepare(`UPDATE "${table}" SET ${columns.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ?`);
    cache.set(key, stmt);
  }
  return stmt;
}

const constraintOf = (error: unknown): string | null => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') ? code : null;
};

/** A pulled row this device cannot store: the pull stops before it until it can (see applyPulled). */
export interface HeldPull {
  table: string;
  rowId: string;
  /** How staff know the row: its username, code or name where it has one, else its id. */
  label: string;
  seq: number;
  reason: string;
  since: number;
}

const HELD_KEY = 'sync.heldPull';

export function readHeldPull(sqlite: Database.Database): HeldPull | null {
  const raw = sqlite.prepare('SELECT value FROM local_meta WHERE key = ?').pluck().get(HELD_KEY) as string | undefined;
  return raw ? (JSON.parse(raw) as HeldPull) : null;
}

/** Why a row cannot be stored here, in words for the Sync screen. */
function holdReason(row: PulledRow, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unique = /UNIQUE constraint failed: (.*)$/.exec(message);
  if (unique) {
    const cols = unique[1]!.split(',').map((c) => c.trim().replace(/^\w+\./, ''));
    const value = cols.map((c) => String(row.data[c] as string)).join(' / ');
    return `another ${row.table} row on this desk already has ${cols.join(' and ')} "${value}"`;
  }
  // A whole row that breaks a rule of this desk's schema (a NOT NULL a newer version dropped, a
  // CHECK it widened) was most likely made by a newer app.
  return `${message}: it may come from a newer version of the app; update this app`;
}

/**
 * Applies a page of pulled rows and the new cursor in ONE local transaction, so a crash leaves
 * either both or neither. Local edits not yet acknowledged by the server are laid over the
 * server's version where their clock is newer, so nothing typed here is lost while it is in flight.
 * Applied rows do not enter the outbox. Returns the tables touched.
 */
export function applyPulled(sqlite: Database.Database, rows: PulledRow[], nextCursor: number, clock: HybridClock, resync = false): string[] {
  return applySlice(sqlite, rows, nextCursor, clock, resync, Number.POSITIVE_INFINITY).touched;
}

/** How long one slice of a pulled page may hold the main process before the app gets a turn. */
export const SLICE_MS = 8;

/**
 * applyPulled in slices of about `sliceMs` each, yielding to the event loop between them, so a
 * desk catching up never holds its screens for long. Each slice is one transaction with the
 * cursor right after its last row (a crash between slices keeps what was applied and pulls the
 * rest again), which is the same guarantee a page had: rows and cursor together, or neither.
 * Resolves with the tables touched once the page is in, or held.
 */
export async function applyPulledInSlices(sqlite: Database.Database, rows: PulledRow[], nextCursor: number, clock: HybridClock, resync = false, sliceMs = SLICE_MS): Promise<string[]> {
  const touched = new Set<string>();
  let rest = rows;
  for (;;) {
    const slice = applySlice(sqlite, rest, nextCursor, clock, resync, performance.now() + sliceMs);
    for (const t of slice.touched) touched.add(t);
    rest = rest.slice(slice.consumed);
    if (slice.held || rest.length === 0) return [...touched];
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Applies rows from the start of `rows` until the deadline passes (at least one row), in one
 * transaction with the cursor: `nextCursor` once the last row is in (or in a resync, which never
 * moves the main cursor), else the seq of the last row applied.
 */
// Long by design: one transaction, row by row, with the merge, the partial-row fallback and the hold.
function applySlice(sqlite: Database.Database, rows: PulledRow[], nextCursor: number, clock: HybridClock, resync: boolean, deadline: number): { touched: string[]; consumed: number; held: boolean } {
  const pending = sqlite.prepare(
    'SELECT columns, hlc FROM change_log WHERE table_name = ? AND row_id = ? AND pushed_at IS NULL AND rejected_at IS NULL ORDER BY seq',
  );
  const saveCursor = sqlite.prepare("INSERT INTO local_meta (key, value) VALUES ('sync.pullCursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const nameOf = sqlite.prepare('SELECT given_name, family_name, mobile FROM patients WHERE id = ?');
  // The newest stamp received, kept with the rows, so a restarted clock still runs after it.
  const seenBefore = readClockSeen(sqlite) ?? '';
  let seen = seenBefore;
  const saveSeen = sqlite.prepare("INSERT INTO local_meta (key, value) VALUES ('sync.clockSeen', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const touched = new Set<string>();
  let held: { at: number; reason: string } | null = null;
  let consumed = 0;
  sqlite.transaction(() => {
    for (const [at, row] of rows.entries()) {
      if (at > 0 && performance.now() > deadline) break;
      consumed = at + 1;
      if (!SYNCED_TABLES[row.table]) continue; // a table this version does not have yet
      const data: Record<string, unknown> = { ...row.data };
      for (const p of pending.all(row.table, row.rowId) as { columns: string; hlc: string }[]) {
        for (const [col, value] of Object.entries(JSON.parse(p.columns) as Record<string, unknown>)) {
          const serverHlc = row.fieldHlc[col];
          if (serverHlc === undefined || p.hlc > serverHlc) data[col] = value;
        }
      }
      const codecs = columnsOf(row.table).filter((c) => c.name in data);
      try {
        upsertFor(sqlite, row.table, codecs.map((c) => c.name)).run(...codecs.map((c) => toStorage(c, data[c.name])));
      } catch (error) {
        const code = constraintOf(error);
        if (!code) throw error;
        // The server may hold only some columns of a row (an edit whose insert never reached it,
        // e.g. of a reference row every device is installed with, stored by servers before they
        // refused such edits). Such a row cannot be inserted; it still updates the row when this
        // device has it.
        const set = codecs.filter((c) => c.name !== 'id');
        let updated = false;
        try {
          updated =
            SYNCED_TABLES[row.table]!.kind === 'lww' && set.length > 0 &&
            updateFor(sqlite, row.table, set.map((c) => c.name)).run(...set.map((c) => toStorage(c, data[c.name])), row.rowId).changes > 0;
        } catch (again) {
          if (!constraintOf(again)) throw again;
          held = { at, reason: holdReason(row, again) };
          break;
        }
        if (!updated) {
          // A partial row this device does not have at all can never be a whole row on any desk
          // (no desk can complete it, and servers now refuse edits of rows they lack): waiting for
          // it would hold this desk forever, so it is passed over. Anything else that does not fit
          // here (a unique value another row holds, a whole row that breaks a rule) holds the pull
          // right before it: skipping it would leave this copy different for good while saying
          // nothing. It is shown, and tried again every cycle until a fix lets it in.
          // Partial: it lacks a column no row can do without. A whole row written before a later
          // version added a nullable or defaulted column is not partial: it must hold, not be passed over.
          const partial = code === 'SQLITE_CONSTRAINT_NOTNULL' && columnsOf(row.table).some((c) => c.required && !(c.name in data));
          if (partial) continue;
          held = { at, reason: holdReason(row, error) };
          break;
        }
      }
      // Only merged (lww) rows order later edits. Ledger rows keep their author's stamp (a fast clock
      // included: the server re-stamps merged changes only), so they must not drag this clock along.
      if (typeof data.hlc === 'string' && SYNCED_TABLES[row.table]!.kind === 'lww') {
        clock.receive(data.hlc);
        if (data.hlc > seen) seen = data.hlc;
      }
      if (row.table === 'patients') {
        // From the row as stored: the pulled data may hold only some of its columns.
        const p = nameOf.get(row.rowId) as { given_name: string; family_name: string | null; mobile: string | null } | undefined;
        if (p) indexPatient(sqlite, { id: row.rowId, givenName: p.given_name, familyName: p.family_name, mobile: p.mobile });
      }
      touched.add(row.table);
    }
    const stop = held;
    if (!stop && !resync && consumed < rows.length) saveCursor.run(String(rows[consumed - 1]!.seq));
    else if (!stop || resync) saveCursor.run(String(nextCursor));
    else if (stop.at > 0) saveCursor.run(String(rows[stop.at - 1]!.seq)); // the rows before it are in
    if (seen > seenBefore) saveSeen.run(seen);
    recordHold(sqlite, stop ? rows[stop.at]! : null, stop?.reason ?? '', resync);
  })();
  return { touched: [...touched], consumed, held: held !== null };
}

/**
 * Saves (or clears) the row a pull is held at, in the same transaction as the cursor. A resync of
 * one table (the checksum round) may find the same row and record it, but only the main pull,
 * which starts again right before the row, clears it.
 */
function recordHold(sqlite: Database.Database, row: PulledRow | null, reason: string, resync: boolean) {
  const before = readHeldPull(sqlite);
  if (!row) {
    if (before && !resync) sqlite.prepare('DELETE FROM local_meta WHERE key = ?').run(HELD_KEY);
    return;
  }
  const same = before && before.table === row.table && before.rowId === row.rowId;
  const named = ['username', 'code', 'name', 'mrn', 'invoice_number'].map((c) => row.data[c]).find((v) => typeof v === 'string');
  const hold: HeldPull = { table: row.table, rowId: row.rowId, label: typeof named === 'string' ? named : row.rowId, seq: row.seq, reason, since: same ? before.since : Date.now() };
  sqlite.prepare('INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(HELD_KEY, JSON.stringify(hold));
}
