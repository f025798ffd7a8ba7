import fs from 'node:fs';
import { fsyncFile } from '../../../db/open';
import { connect } from '../../../db/sqlite';
import { messageOf, removeWithSidecars } from './files';
import { BackupError } from './types';

/* Restoring: the verified backup copied beside the live database, to be put in place at the next start. */

/**
 * Copies the verified backup to `pending` (through a temporary file), rekeyed to this
 * installation's key when it came from another one, and checks the copy. Nothing is left behind
 * when it fails.
 */
export function prepareRestoreCopy(
  file: string,
  pending: string,
  { encrypted, backupKey, ownKey, recovered }: { encrypted: boolean; backupKey: Buffer | null; ownKey: Buffer | null; recovered: boolean },
): void {
  const tmp = `${pending}.tmp`;
  removeWithSidecars(tmp);
  try {
    fs.copyFileSync(file, tmp);
    // Another installation's backup: the copy (never the backup itself) is rekeyed to this
    // installation's key, so the next start opens it with the key it already has.
    if (recovered && backupKey && ownKey) rekey(tmp, backupKey, ownKey);
    fsyncFile(tmp);
    // The copy must be as good as what was verified, and open with this installation's key,
    // before it may replace anything.
    const copy = connect(tmp, { key: encrypted ? ownKey : null, readonly: true });
    try {
      const quick = copy.pragma('quick_check', { simple: true });
      if (quick !== 'ok') throw new BackupError(`The copy of the backup is damaged (${String(quick)}); nothing was changed.`);
    } finally {
      copy.close();
    }
  } catch (error) {
    removeWithSidecars(tmp);
    if (error instanceof BackupError) throw error;
    throw new BackupError(`The backup could not be prepared for restoring (${messageOf(error)}); nothing was changed.`);
  }
  fs.renameSync(tmp, pending);
}

/**
 * Re-encrypts a database file from one key to another in place (SQLite3 Multiple Ciphers
 * rewrites every page). Rekeying needs a rollback journal, not WAL; the app sets WAL again when
 * it opens the restored database.
 */
function rekey(file: string, from: Buffer, to: Buffer): void {
  const sqlite = connect(file, { key: from });
  try {
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma(`rekey = "x'${to.toString('hex')}'"`);
  } finally {
    sqlite.close();
  }
}
