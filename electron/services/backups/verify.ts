import fs from 'node:fs';
import path from 'node:path';
import { appliedMigrations, isPlainSqliteFile, newestKnownMigration } from '../../../db/open';
import type Database from '../../../db/sqlite';
import { connect, DatabaseKeyError } from '../../../db/sqlite';
import { messageOf } from './files';
import type { BackupVerification } from './types';

/* Verifying a backup: opening it with the right key and checking what it holds. Never changes the file. */

const KEY_TABLES = ['patients', 'appointments', 'visits', 'consultations', 'prescriptions', 'invoices', 'payments', 'users', 'audit_log'];

/**
 * Opens the backup at `file` (already resolved) read-only with this installation's key `ownKey`
 * or the recovery key given, and checks it; also says which key opened it.
 */
export function inspectBackup(
  file: string,
  ownKey: Buffer | null,
  recoveryKey: Buffer | null,
  migrationsFolder: string,
): { result: BackupVerification; key: Buffer | null } {
  const problems: string[] = [];
  const size = fs.statSync(file).size;
  const encrypted = !isPlainSqliteFile(file);
  const appNewest = newestKnownMigration(migrationsFolder);
  const result: BackupVerification = {
    file,
    name: path.basename(file),
    ok: false,
    problems,
    size,
    encrypted,
    needsRecoveryKey: false,
    openedWith: null,
    integrity: 'not checked',
    schema: { applied: 0, newest: 0, appNewest, tooNew: false },
    counts: {},
    facilityName: null,
  };
  if (encrypted && !ownKey) {
    // A recovered backup is rekeyed to this installation's key; without one there is nothing to rekey to.
    problems.push('The backup is encrypted, and this installation has no database key to open it.');
    return { result, key: null };
  }
  // The recovery key first when one is given; this installation's own key as well, so an admin
  // who types the code for every file of a mixed folder is not refused for this computer's own backups.
  const candidates: { key: Buffer; via: 'this-installation' | 'recovery-key' }[] = [];
  if (encrypted && recoveryKey) candidates.push({ key: recoveryKey, via: 'recovery-key' });
  if (encrypted && ownKey && !(recoveryKey && recoveryKey.equals(ownKey))) candidates.push({ key: ownKey, via: 'this-installation' });
  let sqlite: Database.Database | null = null;
  let openedKey: Buffer | null = null;
  let failure: unknown = null;
  for (const candidate of encrypted ? candidates : [null]) {
    try {
      sqlite = connect(file, { key: candidate?.key ?? null, readonly: true });
      openedKey = candidate?.key ?? null;
      result.openedWith = candidate?.via ?? null;
      break;
    } catch (error) {
      failure = error;
      if (!(error instanceof DatabaseKeyError)) break;
    }
  }
  if (!sqlite) {
    if (failure instanceof DatabaseKeyError) {
      // SQLCipher cannot tell a foreign key from a damaged first page: both fail the same check.
      result.needsRecoveryKey = true;
      problems.push(
        recoveryKey
          ? "The backup cannot be opened with the recovery key given, nor with this installation's key: it belongs to another installation, or the backup is damaged."
          : "The backup cannot be opened with this installation's key: it was made on another computer (with another key), or it is damaged. " +
              "To restore a backup from another computer, enter that installation's recovery key.",
      );
    } else if (isDamage(failure)) {
      // A damaged page of the schema fails the open itself, before the integrity check can run.
      problems.push(`The backup is damaged: it cannot be opened (${messageOf(failure)}).`);
    } else problems.push(`The backup cannot be opened: ${messageOf(failure)}`);
    return { result, key: null };
  }
  readContents(sqlite, result, appNewest);
  return { result, key: openedKey };
}

/** SQLite's word for a file whose pages do not hold together (SQLITE_CORRUPT and its extended codes). */
function isDamage(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code.startsWith('SQLITE_CORRUPT') || /malformed/i.test(messageOf(error));
}

/** Integrity, schema version and row counts of an opened backup, into `result` (which it closes). */
function readContents(sqlite: Database.Database, result: BackupVerification, appNewest: number): void {
  const problems = result.problems;
  try {
    try {
      const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
      result.integrity = rows.map((r) => r.integrity_check).slice(0, 5).join('; ') || 'no answer';
    } catch (error) {
      result.integrity = messageOf(error);
    }
    if (result.integrity !== 'ok') problems.push(`The backup is damaged (integrity check: ${result.integrity}).`);
    try {
      const applied = appliedMigrations(sqlite);
      result.schema = { applied: applied.count, newest: applied.newest, appNewest, tooNew: applied.newest > appNewest };
      if (applied.count === 0) problems.push('The file is not a Clinic Workstation database.');
      if (result.schema.tooNew) problems.push('The backup was made by a newer version of Clinic Workstation. Update this app before restoring it.');
      const tables = new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
      for (const t of KEY_TABLES) {
        if (tables.has(t)) result.counts[t] = sqlite.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number;
      }
      if (tables.has('facility')) {
        result.facilityName = (sqlite.prepare('SELECT name FROM facility WHERE deleted_at IS NULL LIMIT 1').pluck().get() as string | undefined) ?? null;
      }
    } catch (error) {
      if (problems.length === 0) problems.push(`The backup cannot be read: ${messageOf(error)}`);
    }
  } finally {
    sqlite.close();
  }
  result.ok = problems.length === 0;
}
