import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { HybridClock } from '../../shared/hlc';
import type { ChangeResult, UniqueConflict } from '../../shared/sync-protocol';
import { UNIQUE_KEYS, CLAIM_SEPARATOR } from '../../db/sync-unique';
import { columnsOf, fromStorage } from '../../db/sync-tables';
import { changeSigningBytes } from '../../shared/change-signing';
import { isSetAside } from './set-aside';

/** Signs as a person who has a session open on this desk now, or null (see SessionKeys.signerFor). */
export type SignerFor = (userId: string) => { userId: string; sign: (bytes: Uint8Array) => { sig: string; keyId: string } } | null;

/** A uniqueness race this desk lost, as the Sync (and Staff) screens list it. */
export interface SyncConflict {
  /** The refused change. */
  changeId: string;
  table: string;
  rowId: string;
  columns: string[];
  value: string;
  /** The value this desk's row was given instead; null: the change stays refused (nothing renamed). */
  renamedTo: string | null;
  /** The row that holds the value, and where it was made when the server knows. */
  heldBy: string;
  deviceName: string | null;
  at: number;
  message: string;
  /**
   * The renamed row still has to be sent, signed by its author (who created it here), once they
   * have a session on this desk: the desk holds nobody's key otherwise.
   */
  awaitingSignature?: { authorId: string; authorName: string; sentMessage: string };
}

const KEY = 'sync.conflicts';
/** The newest this many are kept: they are for people to read, not a history. */
const KEEP = 50;

export function listConflicts(sqlite: Database.Database): SyncConflict[] {
  const raw = sqlite.prepare('SELECT value FROM local_meta WHERE key = ?').pluck().get(KEY) as string | undefined;
  return raw ? (JSON.parse(raw) as SyncConflict[]) : [];
}

function addConflict(sqlite: Database.Database, conflict: SyncConflict) {
  const all = [conflict, ...listConflicts(sqlite).filter((c) => c.changeId !== conflict.changeId)].filter((c, i) => i < KEEP || c.awaitingSignature);
  sqlite.prepare('INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(all));
}

/**
 * Queues the whole row as a fresh insert signed by `signer`, in the outbox slot of the refused
 * change `slotId` (so it goes before work that needs it, such as changes the renamed person made
 * meanwhile); false when there is no signer (the server refuses unsigned changes from a person who
 * has a key).
 */
function resend(sqlite: Database.Database, slotId: string, table: string, rowId: string, signer: ReturnType<SignerFor>, clock: HybridClock): boolean {
  if (!signer) return false;
  const stored = sqlite.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(rowId) as Record<string, unknown> | undefined;
  if (!stored) return false;
  const columns = Object.fromEntries(columnsOf(table).map((c) => [c.name, fromStorage(c, stored[c.name])]));
  const change = { id: uuidv7(), table, rowId, op: 'insert' as const, columns, hlc: clock.tick(), userId: signer.userId };
  const { sig, keyId } = signer.sign(changeSigningBytes(change));
  sqlite
    .prepare(
      `UPDATE change_log SET id = ?, table_name = ?, row_id = ?, op = 'insert', columns = ?, hlc = ?, user_id = ?, sig = ?, key_id = ?,
         pushed_at = NULL, rejected_at = NULL, rejected_reason = NULL, warning = NULL WHERE id = ?`,
    )
    .run(change.id, table, rowId, JSON.stringify(columns), change.hlc, signer.userId, sig, keyId, slotId);
  return true;
}

/** Renamed rows waiting for their author: sent, signed, as soon as the author has a session here. */
export function sendAwaitingRows(sqlite: Database.Database, signerFor: SignerFor, clock: HybridClock): void {
  const waiting = listConflicts(sqlite).filter((c) => c.awaitingSignature);
  if (waiting.length === 0) return;
  sqlite.transaction(() => {
    for (const c of waiting) {
      const w = c.awaitingSignature!;
      if (!resend(sqlite, c.changeId, c.table, c.rowId, signerFor(w.authorId), clock)) continue;
      const { awaitingSignature: _sent, ...rest } = c;
      addConflict(sqlite, { ...rest, message: w.sentMessage });
    }
  })();
}

/** Usernames and codes the app accepts are at most this long (electron/api/fields.ts). */
const MAX_LENGTH = 32;

/** "ravi" -> "ravi.2", "ravi.3" ...: the first value no row on this desk holds. */
function freeVariant(sqlite: Database.Database, table: string, column: string, value: string): string {
  const taken = sqlite.prepare(`SELECT 1 FROM "${table}" WHERE "${column}" = ?`).pluck();
  for (let n = 2; ; n++) {
    const suffix = `.${n}`;
    const candidate = value.slice(0, Math.max(1, MAX_LENGTH - suffix.length)) + suffix;
    if (taken.get(candidate) === undefined) return candidate;
  }
}

/**
 * What a desk does when the server says one of its changes lost a race for a unique value (see
 * server/unique-claims.ts). A row this desk inserted with a name people choose (a username, a
 * price code) is renamed to the first free variant and sent again as a fresh insert of the whole
 * row (new change id, every column), so the server and every desk end up with both rows; the
 * refused change, and the row's other changes it made pointless, leave the outbox. Anything else
 * (an edit, a key such as a visit's consultation) stays refused. Either way the conflict is
 * recorded for the Sync screen, in words staff can act on.
 */
export function resolveUniqueLosses(sqlite: Database.Database, results: ChangeResult[], clock: HybridClock, now: number, signerFor: SignerFor = () => null): void {
  const lost = results.filter((r): r is ChangeResult & { conflict: UniqueConflict } => r.conflict !== undefined && r.status !== 'applied');
  if (lost.length === 0) return;
  const changeOf = sqlite.prepare('SELECT table_name, row_id, op, user_id, pushed_at FROM change_log WHERE id = ?');
  sqlite.transaction(() => {
    for (const r of lost) {
      const change = changeOf.get(r.id) as { table_name: string; row_id: string; op: string; user_id: string | null; pushed_at: number | null } | undefined;
      if (!change || change.pushed_at !== null) continue; // already resolved (a replayed ack)
      const key = UNIQUE_KEYS[change.table_name]?.find((k) => k.name === r.conflict.key);
      if (isSetAside(sqlite, r.id)) continue; // kept in set_aside_rows and listed from there (set-aside.ts)
      const column = key?.columns[0];
      const shown = r.conflict.value.split(CLAIM_SEPARATOR).join(' / ');
      const where = r.conflict.deviceName ? `made at ${r.conflict.deviceName}` : 'made at another desk';
      const base = { changeId: r.id, table: change.table_name, rowId: change.row_id, columns: r.conflict.columns, value: r.conflict.value, heldBy: r.conflict.rowId, deviceName: r.conflict.deviceName ?? null, at: now };
      const row = sqlite.prepare(`SELECT * FROM "${change.table_name}" WHERE id = ?`).get(change.row_id) as Record<string, unknown> | undefined;
      if (!key || key.onLoss !== 'rename' || change.op !== 'insert' || !column || !row) {
        addConflict(sqlite, { ...base, renamedTo: null, message: `A ${change.table_name.replace(/_/g, ' ')} change made on this desk was refused: ${r.reason ?? `"${shown}" already existed`} (${where}).` });
        continue;
      }
      // A variant this desk chose lost again (a third desk had it): count on from the original name.
      const ours = listConflicts(sqlite).find((c) => c.rowId === change.row_id && c.renamedTo === r.conflict.value);
      const original = ours ? ours.value : r.conflict.value;
      const renamedTo = row[column] === r.conflict.value ? freeVariant(sqlite, change.table_name, column, original) : String(row[column]);
      sqlite.prepare(`UPDATE "${change.table_name}" SET "${column}" = ?, hlc = ?, updated_at = ? WHERE id = ?`).run(renamedTo, clock.tick(), now, change.row_id);
      // Everything the desk had sent or queued for this row goes out in the fresh insert: none of it
      // may reach the server on its own (edits of a row the server does not have are refused).
      sqlite.prepare('UPDATE change_log SET pushed_at = ? WHERE table_name = ? AND row_id = ? AND pushed_at IS NULL').run(now, change.table_name, change.row_id);
      const what = change.table_name === 'users' ? `${shown} created on this desk while offline` : `The ${change.table_name.replace(/_/g, ' ')} ${column} ${shown} made on this desk while offline`;
      const fix = change.table_name === 'users' ? 'Tell the person their username, or rename it.' : 'Rename it if another code suits better.';
      const sentMessage = `${what} was renamed ${renamedTo}: ${shown} already existed (${where}). ${fix}`;
      const conflict: SyncConflict = { ...base, renamedTo, message: sentMessage };
      if (change.user_id === null || !resend(sqlite, r.id, change.table_name, change.row_id, signerFor(change.user_id), clock)) {
        // Nobody who may sign it is logged in here: the row waits (renamed, so pulls go on).
        const authorName = change.user_id ? ((sqlite.prepare('SELECT username FROM users WHERE id = ?').pluck().get(change.user_id) as string | undefined) ?? 'its author') : 'its author';
        conflict.message = `${what} was renamed ${renamedTo} here: ${shown} already existed (${where}). It reaches the other desks when ${authorName} next logs in on this desk.`;
        conflict.awaitingSignature = { authorId: change.user_id ?? '', authorName, sentMessage };
      }
      addConflict(sqlite, conflict);
    }
  })();
}

/**
 * Changes the server answered 'retry' (their author is not on the server yet) stay in the outbox
 * only while that person's account is on its way from this desk (its insert waiting to be sent, or
 * renamed and waiting for its author's signature). Otherwise nothing will ever make them acceptable:
 * they are marked refused, shown, and never retried forever.
 */
export function settleRetries(sqlite: Database.Database, results: ChangeResult[], now: number): void {
  const retried = results.filter((r) => r.retry);
  if (retried.length === 0) return;
  const authorOf = sqlite.prepare('SELECT user_id FROM change_log WHERE id = ? AND pushed_at IS NULL AND rejected_at IS NULL').pluck();
  const accountOnItsWay = sqlite
    .prepare("SELECT 1 FROM change_log WHERE table_name = 'users' AND row_id = ? AND op = 'insert' AND pushed_at IS NULL AND rejected_at IS NULL")
    .pluck();
  const waiting = new Set(listConflicts(sqlite).filter((c) => c.awaitingSignature && c.table === 'users').map((c) => c.rowId));
  const refuse = sqlite.prepare('UPDATE change_log SET rejected_at = ?, rejected_reason = ? WHERE id = ?');
  sqlite.transaction(() => {
    for (const r of retried) {
      const author = authorOf.get(r.id) as string | null | undefined;
      if (author === undefined) continue;
      if (author !== null && (waiting.has(author) || accountOnItsWay.get(author) !== undefined)) continue;
      refuse.run(now, 'the user who made the change is not known to the server', r.id);
    }
  })();
}
