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
import { fsyncDir, fsyncFile, pendingRestorePath, replacedPath } from '../../../db/open';
import type Database from '../../../db/sqlite';
import { cipherPragmas } from '../../../db/sqlite';
import { formatRecoveryCode } from '../../keys';
import { readableFile } from '../file-access';
import type { JobControl, JobView } from '../jobs';
import { getWorkstation } from '../workstation';
import {
  type BackupKind,
  type RotatedKind,
  RETENTION,
  AUTO_BACKUP_EVERY_MS,
  SCHEDULER_TICK_MS,
  type BackupSettings,
  type LastBackup,
  type BackupStatus,
  type BackupFile,
  type BackupVerification,
  type RestoreStaged,
  BackupError,
  type BackupDeps,
} from './types';
import { backupName, parseStamp, periodOf, checkFolder, removeQuietly, mb } from './files';
import { type WorkerResult, runBackupWorker } from './worker';
import { inspectBackup } from './verify';
import { prepareRestoreCopy } from './restore';

const META = { folder: 'backup.folder', enabled: 'backup.enabled', last: 'backup.last', mark: 'backup.mark' } as const;
const NAME = /^clinic-([A-Z0-9]{1,4})-(quarter-hourly|daily|weekly|monthly|manual)-(\d{8}T\d{6}Z)\.db$/;

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
    return inspectBackup(this.resolve(fileArg), this.deps.key, recoveryKey, this.deps.migrationsFolder);
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
    prepareRestoreCopy(file, pending, { encrypted: check.encrypted, backupKey, ownKey: this.deps.key, recovered });
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
