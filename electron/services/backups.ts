/**
 * Backups of the clinic database to a folder the admin chooses (a USB disk, a network share).
 *
 * How a backup is made: a worker thread opens its own read-only connection to the live database
 * (with the same key) and runs `VACUUM INTO` a temporary file in the backup folder. That copies
 * one consistent snapshot (a read transaction in WAL mode) while the app keeps writing, and the
 * copy is encrypted with the same cipher and key as the source: SQLite3 Multiple Ciphers attaches
 * the target with the main database's key. (better-sqlite3's `db.backup()` cannot be used with an
 * encrypted source: it opens the target itself, without a key, and SQLite3 Multiple Ciphers
 * refuses with "backup is not supported with incompatible source and target databases"; it never
 * writes a plain copy.) Progress is the temporary file's size against the live database's used
 * pages. The copy passes `PRAGMA integrity_check` before it is renamed into place.
 *
 * Automatic backups: every 15 minutes, only if something was written since the last one. The
 * first backup of each day, ISO week and month is also kept as a daily / weekly / monthly copy;
 * old files are rotated away (RETENTION). Manual backups are kept until someone deletes them.
 *
 * Restoring: the chosen file is verified (opens with this installation's key, integrity check,
 * made by this app version or an older one), copied beside the live database as
 * clinic.restore-pending.db, and put in place when the database is next opened (db/open.ts),
 * which keeps the replaced database as clinic.replaced-<timestamp>.db.
 *
 * A backup made by another installation (the old computer died or was stolen) opens only with
 * that installation's key, given as its recovery code (electron/keys.ts). The staged copy is then
 * rekeyed to this installation's key before it is renamed into place, so the next start opens it
 * like any other restore and the old key is needed nowhere afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  appliedMigrations,
  fsyncDir,
  fsyncFile,
  isPlainSqliteFile,
  newestKnownMigration,
  pendingRestorePath,
  replacedPath,
  type Db,
} from '../../db/open';
import type Database from '../../db/sqlite';
import { cipherPragmas, connect, DatabaseKeyError, driverLocation } from '../../db/sqlite';
import { formatRecoveryCode } from '../keys';
import { readableFile, refuseSystemFolder } from './file-access';
import { localDate } from '../../shared/clinic-time';
import type { JobControl, JobRunner, JobView } from './jobs';
import { getWorkstation } from './workstation';

export type BackupKind = 'quarter-hourly' | 'daily' | 'weekly' | 'monthly' | 'manual';
export const BACKUP_KINDS: readonly BackupKind[] = ['quarter-hourly', 'daily', 'weekly', 'monthly', 'manual'];
type RotatedKind = Exclude<BackupKind, 'manual'>;

/** How many files of each kind are kept (per workstation). Manual backups are never rotated. */
export const RETENTION: Record<RotatedKind, number> = { 'quarter-hourly': 96, daily: 7, weekly: 4, monthly: 12 };
export const AUTO_BACKUP_EVERY_MS = 15 * 60_000;
/** How often the scheduler looks whether a backup is due. */
const SCHEDULER_TICK_MS = 60_000;

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

const META = { folder: 'backup.folder', enabled: 'backup.enabled', last: 'backup.last', mark: 'backup.mark' } as const;
const NAME = /^clinic-([A-Z0-9]{1,4})-(quarter-hourly|daily|weekly|monthly|manual)-(\d{8}T\d{6}Z)\.db$/;
const KEY_TABLES = ['patients', 'appointments', 'visits', 'consultations', 'prescriptions', 'invoices', 'payments', 'users', 'audit_log'];

export class BackupService {
  private running: { jobId: string; worker: Worker | null } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly getMeta: Database.Statement<[string], string>;
  private readonly setMeta: Database.Statement<[string, string]>;

  constructor(private readonly deps: BackupDeps) {
    this.getMeta = deps.sqlite.prepare<[string], string>('SELECT value FROM local_meta WHERE key = ?').pluck();
    this.setMeta = deps.sqlite.prepare<[string, string]>(
      'INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
  }

  // -------------------------------------------------------------------------------------------
  // Settings and status

  settings(): BackupSettings {
    return { folder: this.getMeta.get(META.folder) || null, enabled: this.getMeta.get(META.enabled) === '1' };
  }

  /** Saves the folder (made if missing, and proved writable) and the automatic switch. */
  configure(patch: { folder?: string | null; enabled?: boolean }): BackupSettings {
    if (patch.folder !== undefined) {
      if (patch.folder === null || patch.folder.trim() === '') this.setMeta.run(META.folder, '');
      else {
        const folder = patch.folder.trim();
        checkFolder(folder, this.deps.dbFile);
        this.setMeta.run(META.folder, path.resolve(folder));
      }
    }
    if (patch.enabled !== undefined) this.setMeta.run(META.enabled, patch.enabled ? '1' : '0');
    return this.settings();
  }

  status(): BackupStatus {
    const s = this.settings();
    const last = this.last();
    return {
      folder: s.folder,
      enabled: s.enabled,
      last,
      running: this.running ? (this.deps.jobs.get(this.running.jobId) ?? null) : null,
      nextDueAt: s.enabled && s.folder ? (last ? last.at + AUTO_BACKUP_EVERY_MS : this.deps.now()) : null,
      changedSinceLast: this.writeMark() !== this.getMeta.get(META.mark),
      encrypted: this.deps.key !== null,
      retention: RETENTION,
      everyMinutes: AUTO_BACKUP_EVERY_MS / 60_000,
    };
  }

  private last(): LastBackup | null {
    const raw = this.getMeta.get(META.last);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as LastBackup;
    } catch {
      return null;
    }
  }

  /**
   * Changes whenever something is committed that a backup should hold: every call that writes
   * leaves an audit row, every local change a change_log entry, and sync moves its pull cursor.
   */
  writeMark(): string {
    const row = this.deps.sqlite
      .prepare(
        `SELECT (SELECT max(rowid) FROM audit_log) AS a, (SELECT max(rowid) FROM change_log) AS c,
                (SELECT value FROM local_meta WHERE key = 'sync.pullCursor') AS p`,
      )
      .get() as { a: number | null; c: number | null; p: string | null };
    return `${row.a ?? 0}:${row.c ?? 0}:${row.p ?? ''}`;
  }

  // -------------------------------------------------------------------------------------------
  // Making backups

  /** Starts a backup as a background job (or returns the one already running). */
  runNow(kind: 'manual' | 'quarter-hourly' = 'manual'): JobView {
    const current = this.running ? this.deps.jobs.get(this.running.jobId) : undefined;
    if (current) return current;
    const folder = this.settings().folder;
    if (!folder) throw new BackupError('Choose a backup folder first.', 'conflict');
    const running: { jobId: string; worker: Worker | null } = { jobId: '', worker: null };
    this.running = running;
    try {
      const job = this.deps.jobs.start('backup', async (control) => {
        try {
          const file = await this.backupTo(folder, kind, control, (w) => (running.worker = w));
          return { file: file.path, name: file.name, size: file.size, kind: file.kind };
        } finally {
          if (this.running === running) this.running = null;
        }
      });
      running.jobId = job.id;
      return job;
    } catch (error) {
      this.running = null;
      throw error;
    }
  }

  /** Looks whether an automatic backup is due, and starts it. Returns the job it started. */
  tick(): JobView | null {
    const s = this.settings();
    if (!s.enabled || !s.folder || this.running) return null;
    const last = this.last();
    if (last && this.deps.now() - last.at < AUTO_BACKUP_EVERY_MS) return null;
    if (this.writeMark() === this.getMeta.get(META.mark)) return null;
    return this.runNow('quarter-hourly');
  }

  startScheduler(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch {
        // a failure is recorded as the last backup; the next tick tries again
      }
    }, SCHEDULER_TICK_MS);
    this.timer.unref();
  }

  /** Stops the scheduler and any backup under way (its partial file is removed). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running?.worker) void this.running.worker.terminate();
  }

  /** Resolves when the running backup (if any) ends. */
  async idle(): Promise<void> {
    if (this.running) await this.deps.jobs.wait(this.running.jobId).catch(() => undefined);
  }

  private async backupTo(
    folder: string,
    kind: 'manual' | 'quarter-hourly',
    control: JobControl,
    onWorker: (w: Worker) => void,
  ): Promise<BackupFile> {
    const started = this.deps.now();
    const t0 = Date.now();
    const record = (entry: Omit<LastBackup, 'at' | 'kind' | 'ms'>) =>
      this.setMeta.run(META.last, JSON.stringify({ at: started, kind, ms: Date.now() - t0, ...entry } satisfies LastBackup));
    const workstation = getWorkstation(this.deps.db).seriesPrefix;
    const name = backupName(workstation, kind, started);
    const dest = path.join(folder, name);
    const partial = path.join(folder, `.${name}.partial`);
    try {
      checkFolder(folder, this.deps.dbFile);
      // What this backup will hold: every commit up to now (the worker's snapshot starts later).
      const mark = this.writeMark();
      const pageSize = this.deps.sqlite.pragma('page_size', { simple: true }) as number;
      const pages = this.deps.sqlite.pragma('page_count', { simple: true }) as number;
      const free = this.deps.sqlite.pragma('freelist_count', { simple: true }) as number;
      const expected = Math.max(pageSize, (pages - free) * pageSize);
      fs.rmSync(partial, { force: true });
      control.progress(0, expected, 'Copying the database…');
      const poll = setInterval(() => {
        try {
          const size = fs.statSync(partial).size;
          control.progress(Math.min(size, expected), expected, `Copying the database… ${mb(size)} of about ${mb(expected)}`);
        } catch {
          // not created yet
        }
      }, 100);
      let result: WorkerResult;
      try {
        result = await runBackupWorker({ source: this.deps.dbFile, dest: partial, pragmas: this.deps.key ? cipherPragmas(this.deps.key) : [] }, onWorker);
      } finally {
        clearInterval(poll);
      }
      if (!result.ok) throw new Error(result.message);
      if (result.integrity !== 'ok') throw new Error(`The copy failed its integrity check (${result.integrity}).`);
      control.progress(expected, expected, 'Saving…');
      fsyncFile(partial);
      fs.renameSync(partial, dest);
      fsyncDir(folder);
      this.keepPeriodCopies(folder, workstation, dest, started);
      this.rotate(folder, workstation);
      this.setMeta.run(META.mark, mark);
      record({ ok: true, file: dest, error: null });
      const size = fs.statSync(dest).size;
      return { name, path: dest, kind, at: started, size, workstation };
    } catch (error) {
      removeQuietly(partial);
      const message = error instanceof Error ? error.message : String(error);
      record({ ok: false, file: null, error: message });
      throw new Error(`The backup failed: ${message}`);
    }
  }

  /** The first backup of each day, ISO week and month is also kept as that period's copy. */
  private keepPeriodCopies(folder: string, workstation: string, source: string, at: number): void {
    const mine = this.list(folder).filter((f) => f.workstation === workstation);
    for (const kind of ['daily', 'weekly', 'monthly'] as const) {
      const period = periodOf(kind, at, this.deps.timeZone);
      if (mine.some((f) => f.kind === kind && periodOf(kind, f.at, this.deps.timeZone) === period)) continue;
      const target = path.join(folder, backupName(workstation, kind, at));
      const tmp = path.join(folder, `.${path.basename(target)}.partial`);
      fs.copyFileSync(source, tmp);
      fsyncFile(tmp);
      fs.renameSync(tmp, target);
    }
    fsyncDir(folder);
  }

  /** Keeps the newest RETENTION[kind] files of each kind made by this workstation. */
  rotate(folder: string, workstation: string): string[] {
    const removed: string[] = [];
    const mine = this.list(folder).filter((f) => f.workstation === workstation);
    for (const kind of Object.keys(RETENTION) as RotatedKind[]) {
      const files = mine.filter((f) => f.kind === kind).sort((a, b) => b.at - a.at);
      for (const f of files.slice(RETENTION[kind])) {
        fs.rmSync(f.path, { force: true });
        removed.push(f.name);
      }
    }
    return removed;
  }

  // -------------------------------------------------------------------------------------------
  // Listing, verifying, restoring

  /** The backup files in the folder, newest first. */
  list(folder: string | null = this.settings().folder || null): BackupFile[] {
    if (!folder) return [];
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      return [];
    }
    const out: BackupFile[] = [];
    for (const name of names) {
      const m = NAME.exec(name);
      if (!m) continue;
      const file = path.join(folder, name);
      let size = 0;
      try {
        size = fs.statSync(file).size;
      } catch {
        continue;
      }
      out.push({ name, path: file, kind: m[2] as BackupKind, at: parseStamp(m[3]!), size, workstation: m[1]! });
    }
    return out.sort((a, b) => b.at - a.at || a.name.localeCompare(b.name));
  }

  /** A file named by the list (its name) or by an absolute path. */
  resolve(file: string): string {
    const folder = this.settings().folder || null;
    const full = path.isAbsolute(file) ? file : folder ? path.join(folder, path.basename(file)) : null;
    if (!full) throw new BackupError('Choose a backup folder first, or give the full path of the backup file.', 'invalid');
    if (!fs.existsSync(full) || !fs.statSync(full).isFile()) throw new BackupError(`There is no backup file ${full}.`, 'not_found');
    // Not a way to read (or copy out) the system's files: /dev/zero would never end, /proc is live.
    const real = readableFile(full, 'file');
    // After links: a link to the live database is the live database.
    if (real === fs.realpathSync(this.deps.dbFile)) throw new BackupError('That is the live database, not a backup.', 'invalid');
    return real;
  }

  /**
   * This installation's key as a recovery code to keep on paper. The caller (backups.recoveryKey)
   * checks the admin's password first; the code is returned, never stored or logged.
   */
  recoveryCode(): string {
    if (!this.deps.key) throw new BackupError('This database is not encrypted, so there is no recovery key.', 'conflict');
    return formatRecoveryCode(this.deps.key);
  }

  /**
   * Opens the backup read-only with this installation's key (or with another installation's key
   * from its recovery code) and checks it: integrity, made by this app version or an older one,
   * and what it holds. Never changes the file.
   */
  verify(fileArg: string, recoveryKey: Buffer | null = null): BackupVerification {
    const { result } = this.inspect(fileArg, recoveryKey);
    return result;
  }

  /** verify(), also saying which key opened the file (stageRestore rekeys the copy from it). */
  private inspect(fileArg: string, recoveryKey: Buffer | null): { result: BackupVerification; key: Buffer | null } {
    const file = this.resolve(fileArg);
    const problems: string[] = [];
    const size = fs.statSync(file).size;
    const encrypted = !isPlainSqliteFile(file);
    const appNewest = newestKnownMigration(this.deps.migrationsFolder);
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
    if (encrypted && !this.deps.key) {
      // A recovered backup is rekeyed to this installation's key; without one there is nothing to rekey to.
      problems.push('The backup is encrypted, and this installation has no database key to open it.');
      return { result, key: null };
    }
    // The recovery key first when one is given; this installation's own key as well, so an admin
    // who types the code for every file of a mixed folder is not refused for this computer's own backups.
    const candidates: { key: Buffer; via: 'this-installation' | 'recovery-key' }[] = [];
    if (encrypted && recoveryKey) candidates.push({ key: recoveryKey, via: 'recovery-key' });
    if (encrypted && this.deps.key && !(recoveryKey && recoveryKey.equals(this.deps.key))) candidates.push({ key: this.deps.key, via: 'this-installation' });
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
      } else problems.push(`The backup cannot be opened: ${messageOf(failure)}`);
      return { result, key: null };
    }
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
    return { result, key: openedKey };
  }

  /**
   * Verifies the backup, then stages it to replace the live database at the next start (which
   * keeps the replaced one). Asks the host to restart; says what the user must do otherwise.
   */
  stageRestore(fileArg: string, recoveryKey: Buffer | null = null): RestoreStaged {
    if (this.running) throw new BackupError('A backup is being made. Wait until it finishes, then restore.');
    const file = this.resolve(fileArg);
    const { result: check, key: backupKey } = this.inspect(file, recoveryKey);
    if (!check.ok) throw new BackupError(`This backup cannot be restored. ${check.problems.join(' ')}`);
    const recovered = backupKey !== null && this.deps.key !== null && !backupKey.equals(this.deps.key);
    const pending = pendingRestorePath(this.deps.dbFile);
    const tmp = `${pending}.tmp`;
    removeWithSidecars(tmp);
    try {
      fs.copyFileSync(file, tmp);
      // Another installation's backup: the copy (never the backup itself) is rekeyed to this
      // installation's key, so the next start opens it with the key it already has.
      if (recovered && backupKey && this.deps.key) rekey(tmp, backupKey, this.deps.key);
      fsyncFile(tmp);
      // The copy must be as good as what was verified, and open with this installation's key,
      // before it may replace anything.
      const copy = connect(tmp, { key: check.encrypted ? this.deps.key : null, readonly: true });
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
    fsyncDir(path.dirname(pending));
    const replaced = path.basename(replacedPath(this.deps.dbFile, this.deps.now()));
    const restarting = this.deps.requestRestart();
    return {
      staged: true,
      from: file,
      recovered,
      replacedWillBeKeptAs: replaced,
      restarting,
      message: restarting
        ? `The app restarts now to finish the restore. The current database is kept as ${replaced}. Everyone must log in again.`
        : `Close and start the app again to finish the restore. The current database will be kept as ${replaced}.`,
    };
  }

  /** Forgets a staged restore that has not been put in place yet. */
  cancelRestore(): boolean {
    const pending = pendingRestorePath(this.deps.dbFile);
    const had = fs.existsSync(pending);
    fs.rmSync(pending, { force: true });
    return had;
  }

  restorePending(): boolean {
    return fs.existsSync(pendingRestorePath(this.deps.dbFile));
  }
}

// ---------------------------------------------------------------------------------------------

export function backupName(workstation: string, kind: BackupKind, at: number): string {
  return `clinic-${workstation}-${kind}-${stamp(at)}.db`;
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function parseStamp(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The day, ISO week or month (in the clinic's time zone) that a moment falls in. */
export function periodOf(kind: 'daily' | 'weekly' | 'monthly', at: number, timeZone: string): string {
  const date = localDate(at, timeZone);
  if (kind === 'daily') return date;
  if (kind === 'monthly') return date.slice(0, 7);
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this ISO week names its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function checkFolder(folder: string, dbFile: string): void {
  if (!path.isAbsolute(folder)) throw new BackupError('The backup folder must be a full path, e.g. E:\\ClinicBackups or /media/usb/clinic-backups.', 'invalid');
  refuseSystemFolder(folder, 'folder');
  if (path.resolve(folder) === path.resolve(path.dirname(dbFile))) {
    throw new BackupError("The backup folder must not be the app's own data folder: a backup there is lost with the computer.", 'invalid');
  }
  try {
    fs.mkdirSync(folder, { recursive: true });
    const probe = path.join(folder, `.clinic-write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    throw new BackupError(
      `The backup folder ${folder} cannot be written (${(error as NodeJS.ErrnoException).code ?? messageOf(error)}). Is the disk plugged in?`,
      'invalid',
    );
  }
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

function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // the folder itself is gone
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// The worker: its own connection, so the copy neither blocks nor is blocked by the app's writes.

interface WorkerInput {
  source: string;
  dest: string;
  pragmas: string[];
}
type WorkerResult = { ok: true; integrity: string } | { ok: false; message: string };

// Plain CommonJS run with `eval`, so it needs no build step of its own (electron-vite bundles the
// main process into one file); it loads the same driver the app uses.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
function open(file, options) {
  const db = new Database(file, workerData.nativeBinding ? { ...options, nativeBinding: workerData.nativeBinding } : options);
  for (const p of workerData.pragmas) db.pragma(p);
  return db;
}
try {
  const source = open(workerData.source, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    source.prepare('VACUUM INTO ?').run(workerData.dest);
  } finally {
    source.close();
  }
  const copy = open(workerData.dest, { readonly: true, fileMustExist: true });
  let integrity;
  try {
    integrity = copy.pragma('integrity_check').map((r) => r.integrity_check).slice(0, 5).join('; ');
  } finally {
    copy.close();
  }
  parentPort.postMessage({ ok: true, integrity });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error && error.message ? error.message : String(error) });
}
`;

function runBackupWorker(input: WorkerInput, onWorker: (w: Worker) => void): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const driver = driverLocation();
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...input, driver: driver.module, nativeBinding: driver.nativeBinding } });
    onWorker(worker);
    let settled = false;
    const done = (r: WorkerResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    worker.once('message', (m: WorkerResult) => done(m));
    worker.once('error', (e) => done({ ok: false, message: e.message }));
    worker.once('exit', (code) => done({ ok: false, message: code === 1 ? 'The backup was stopped.' : `The backup worker ended (${code}).` }));
  });
}
