import type { Db } from '../../../db/open';
import type Database from '../../../db/sqlite';
import type { JobRunner, JobView } from '../jobs';

/* What backups are: their kinds, how many are kept, and what the service reports. */

export type BackupKind = 'quarter-hourly' | 'daily' | 'weekly' | 'monthly' | 'manual';
export const BACKUP_KINDS: readonly BackupKind[] = ['quarter-hourly', 'daily', 'weekly', 'monthly', 'manual'];
export type RotatedKind = Exclude<BackupKind, 'manual'>;

/** How many files of each kind are kept (per workstation). Manual backups are never rotated. */
export const RETENTION: Record<RotatedKind, number> = { 'quarter-hourly': 96, daily: 7, weekly: 4, monthly: 12 };
export const AUTO_BACKUP_EVERY_MS = 15 * 60_000;
/** How often the scheduler looks whether a backup is due. */
export const SCHEDULER_TICK_MS = 60_000;

export interface BackupSettings {
  /** Absolute path of the backup folder; null until the admin chooses one. */
  folder: string | null;
  /** Automatic backups on or off (manual ones work either way). */
  enabled: boolean;
}

export interface LastBackup {
  at: number;
  kind: BackupKind;
  ok: boolean;
  file: string | null;
  error: string | null;
  ms: number;
}

export interface BackupStatus extends BackupSettings {
  last: LastBackup | null;
  running: JobView | null;
  /** When the next automatic backup will be made if something is written (null: automatic backups off). */
  nextDueAt: number | null;
  /** Something was written since the last backup. */
  changedSinceLast: boolean;
  encrypted: boolean;
  retention: Record<RotatedKind, number>;
  everyMinutes: number;
}

export interface BackupFile {
  name: string;
  path: string;
  kind: BackupKind;
  /** When it was made (from its name). */
  at: number;
  size: number;
  /** The workstation's number-series prefix that made it. */
  workstation: string;
}

export interface BackupVerification {
  file: string;
  name: string;
  ok: boolean;
  /** What is wrong, in words for the admin; empty when ok. */
  problems: string[];
  size: number;
  encrypted: boolean;
  /**
   * True when the file is encrypted with a key other than this installation's (or is damaged
   * where the key is checked): only another installation's recovery key can open it.
   */
  needsRecoveryKey: boolean;
  /** Which key opened it: this installation's, the recovery key given, or none (plain or not opened). */
  openedWith: 'this-installation' | 'recovery-key' | null;
  integrity: string;
  schema: { applied: number; newest: number; appNewest: number; tooNew: boolean };
  /** Row counts of the main tables, to see at a glance what the backup holds. */
  counts: Record<string, number>;
  facilityName: string | null;
}

export interface RestoreStaged {
  staged: true;
  from: string;
  /** The live database is kept under this name when the restore is put in place. */
  replacedWillBeKeptAs: string;
  /** True when the app restarts by itself; otherwise the user must restart it. */
  restarting: boolean;
  /** The backup was made by another installation and the copy was re-encrypted with this one's key. */
  recovered: boolean;
  message: string;
}

export class BackupError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'conflict' | 'not_found' = 'conflict',
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupDeps {
  sqlite: Database.Database;
  db: Db;
  dbFile: string;
  key: Buffer | null;
  migrationsFolder: string;
  jobs: JobRunner;
  now: () => number;
  timeZone: string;
  /** Asks the host to restart the app (to finish a restore); false when it cannot. */
  requestRestart: () => boolean;
}
