import fs from 'node:fs';
import path from 'node:path';
import { appliedMigrations, DEFAULT_MIGRATIONS_FOLDER, openDatabase, type OpenedDatabase } from '../db/open';
import { routes } from './api';
import type { AppSettings, SyncControl } from './core/context';
import { createRouter, type Router } from './api/router';
import { keyFromEnvironment } from './keys';
import { appendAudit } from './services/audit';
import { BackupService } from './services/backups';
import { ensureDeviceId, lastHlc } from './services/device';
import { FileGrants, type FileAccess } from './services/file-access';
import { decideEvent, type AppEvent, type EventDecision } from './services/events';
import { JobRunner } from './services/jobs';
import { refreshNameIndexSlice } from './services/patient-search';
import { loadLgdIfEmpty } from './services/shipped-lists';
import { resourcePath } from './resources';
import { cupsSpooler, type Spooler } from './services/printing';
import { SessionKeys } from './services/session-keys';
import { SyncEngine } from './sync/engine';
import { AttachmentTransfer } from './sync/attachment-transfer';
import { pendingBatch } from './sync/outbox';
import { HybridClock } from '../shared/hlc';
import { SIGNED_CHANGES_SINCE } from '../shared/sync-protocol';

export interface ClinicAppOptions {
  dataDir: string;
  migrationsFolder?: string;
  settings?: Partial<AppSettings>;
  now?: () => number;
  onInternalError?: (method: string, error: unknown) => void;
  /** Reported to the sync server, which may refuse versions that are too old. */
  appVersion?: string;
  /** How often sync compares checksums with the server (tests shorten it). */
  syncChecksumEveryMs?: number;
  /** How often an online workstation pulls even without a poke (tests shorten or lengthen it). */
  syncPullEveryMs?: number;
  /** How long one slice of a pulled page may hold the main process (tests shorten it to see slices on a fast machine). */
  syncSliceMs?: number;
  /**
   * The sessions' signing keys (default: a new, empty holder: keys live as long as the process).
   * Tests that copy a set-up database into a new app within one process share one holder.
   */
  sessionKeys?: SessionKeys;
  /**
   * The database key (32 bytes, see electron/keys.ts). Left out: CLINIC_DB_KEY from the
   * environment if set, else a plain database (benchmarks). null: always plain.
   */
  key?: Buffer | null;
  /** Restarts the app (Electron: relaunch) so a staged restore is put in place. */
  onRestartRequested?: () => void;
  /** Automatic backups (default on; tests drive the scheduler by hand). */
  backupScheduler?: boolean;
  /** Where prints and the printer list go (default CUPS `lp`; Electron's print path on Windows). */
  spooler?: Spooler;
  /** The desktop app's Open dialog; a file picked there may be imported (see services/file-access.ts). */
  chooseFile?: FileAccess['choose'];
  /** Where the shipped reference lists are (default resources/reference; the fuzz suite's are tiny). */
  shippedLists?: string;
}

export interface ClinicApp {
  router: Router;
  database: OpenedDatabase;
  deviceId: string;
  dbFile: string;
  jobs: JobRunner;
  sync: SyncEngine;
  /** Attachment bytes to and from the server (electron/sync/attachment-transfer.ts). */
  attachments: AttachmentTransfer;
  backups: BackupService;
  spooler: Spooler;
  /** Which files imports may read; the desktop app's Open dialog adds to its grants. */
  files: FileAccess;
  /**
   * Subscribe to events for the renderer (`changed`, `progress`); returns an unsubscribe function.
   * Transports pass each through `eventFor` with the receiver's session before sending it.
   */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Whether the holder of `token` may receive `event` now (see services/events.ts). */
  eventFor(token: string | null, event: AppEvent): EventDecision;
  close(): void;
}

const CHECKPOINT_EVERY_MS = 2_000;
const FLUSH_EVERY_MS = 5_000;

export const DEFAULT_SETTINGS: AppSettings = {
  sessionIdleMs: 30 * 60_000,
  lockoutAttempts: 5,
  lockoutMs: 15 * 60_000,
  timeZone: 'Asia/Kolkata',
};

/**
 * Names written again per slice after an index upgrade. On a million-patient encrypted database, 2
 * cores: 52 s in all with the app working, event-loop lag p99 65 ms (1,000 a slice: 46 s, 169 ms).
 */
const NAME_INDEX_SLICE_ROWS = 250;

/** Everything but the transport: shared by the Electron main process and the browser host. */
// Long by design: the composition root: it wires every service once, in dependency order.
export function createClinicApp(options: ClinicAppOptions): ClinicApp {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const dbFile = path.join(options.dataDir, 'clinic.db');
  const key = options.key === undefined ? keyFromEnvironment() : options.key;
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  const now = options.now ?? Date.now;
  const database = openDatabase(dbFile, { migrationsFolder, key, now });
  const deviceId = ensureDeviceId(database.db);
  const clock = new HybridClock(deviceId, now, lastHlc(database.db));
  // What happened to the file while it was opened belongs in the audit log of the database in use.
  const noted = (action: string, detail: string) =>
    database.sqlite.transaction(() =>
      appendAudit(
        { db: database.db, deviceId, tick: () => clock.tick() },
        { at: now(), userId: null, username: null, action, outcome: 'ok', entityType: 'database', entityId: deviceId, detail },
      ),
    )();
  if (database.restored) noted('backups.restored', `restored from a backup; the replaced database is kept as ${database.restored.replacedFile ?? '(none)'}`);
  if (database.encrypted) noted('database.encrypted', 'the plain database was encrypted with this installation\'s key');
  const shippedLists = options.shippedLists ?? resourcePath('reference');
  const lgd = loadLgdIfEmpty(database.sqlite, shippedLists);
  if (!lgd.loaded && lgd.reason !== 'already loaded') console.warn(`The LGD directory was not loaded: ${lgd.reason}`);
  const listeners = new Set<(event: AppEvent) => void>();
  const emit = (event: AppEvent) => {
    for (const l of listeners) l(event);
  };
  const jobs = new JobRunner((job, owner) => emit({ event: 'progress', payload: job, owner }), now);
  // The sessions' signing keys: the router signs each call's changes with them; the sync engine
  // asks for one to re-send a row renamed after a lost uniqueness race.
  const sessionKeys = options.sessionKeys ?? new SessionKeys();
  const engine = new SyncEngine({
    signerFor: (userId) => sessionKeys.signerFor(userId),
    sqlite: database.sqlite,
    clock,
    deviceId,
    // A build that does not say its version (tests, the host without a package) is this one: it signs.
    appVersion: options.appVersion ?? SIGNED_CHANGES_SINCE,
    schemaVersion: appliedMigrations(database.sqlite).count,
    now,
    onApplied: (tables) => {
      emit({ event: 'changed', payload: { tables } });
      if (tables.includes('attachments')) transfer.kick();
    },
    onDevices: () => emit({ event: 'changed', payload: { tables: ['devices'] } }),
    ...(options.syncChecksumEveryMs !== undefined ? { checksumEveryMs: options.syncChecksumEveryMs } : {}),
    ...(options.syncPullEveryMs !== undefined ? { pullEveryMs: options.syncPullEveryMs } : {}),
    ...(options.syncSliceMs !== undefined ? { sliceMs: options.syncSliceMs } : {}),
  });
  const transfer = new AttachmentTransfer({
    sqlite: database.sqlite,
    ask: (event, payload) => engine.ask(event, payload, 30_000),
    now,
    onDownloaded: () => emit({ event: 'changed', payload: { tables: ['attachments'] } }),
  });
  const sync: SyncControl = {
    status: () => engine.getStatus(),
    restart: () => {
      void engine.stop().then(() => engine.start());
    },
    trigger: () => engine.trigger(),
    refreshDevices: () => void engine.refreshDevices().catch(() => undefined),
    ask: (event, payload) => engine.ask(event, payload),
    fetchAttachment: (sha256) => transfer.want(sha256),
  };
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const backups = new BackupService({
    sqlite: database.sqlite,
    db: database.db,
    dbFile,
    key,
    migrationsFolder,
    jobs,
    now,
    timeZone: settings.timeZone,
    requestRestart: () => {
      const restart = options.onRestartRequested;
      if (!restart) return false;
      // After the call that asked has answered.
      setTimeout(restart, 300);
      return true;
    },
  });
  const spooler = options.spooler ?? cupsSpooler;
  const defaultImportFolder = path.join(options.dataDir, 'imports');
  fs.mkdirSync(defaultImportFolder, { recursive: true });
  const files: FileAccess = { grants: new FileGrants(), defaultImportFolder, shippedLists, ...(options.chooseFile ? { choose: options.chooseFile } : {}) };
  const router = createRouter(routes, {
    sessionKeys,
    spooler,
    files,
    db: database.db,
    sqlite: database.sqlite,
    clock,
    deviceId,
    settings,
    jobs,
    sync,
    backups,
    now,
    onChanged: (tables) => {
      emit({ event: 'changed', payload: { tables } });
      engine.trigger();
      if (tables.includes('attachments')) transfer.kick();
    },
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });
  // Copy the write-ahead log back into the database between calls rather than during one.
  const checkpoints = setInterval(() => {
    try {
      database.sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy: the next tick will do it
    }
  }, CHECKPOINT_EVERY_MS);
  checkpoints.unref();
  // Also send what no screen announces (audit rows of logins and reads) within seconds: the header
  // would otherwise show changes "to send" on a live connection until the next edit.
  const flush = setInterval(() => {
    if (pendingBatch(database.sqlite, 1).length > 0) engine.trigger();
  }, FLUSH_EVERY_MS);
  flush.unref();
  // The name index as this build writes it, once after an upgrade that changed it: in slices between
  // calls (a million names take about 24 s in one go), the most recent visitors first. Until a name is
  // written again it is found by MRN and mobile; a failure is tried again at the next open.
  let nameIndex: NodeJS.Timeout | null = null;
  const rewriteNames = (written: number) => {
    nameIndex = null;
    try {
      const slice = refreshNameIndexSlice(database.sqlite, NAME_INDEX_SLICE_ROWS);
      if (!slice.done) nameIndex = setTimeout(rewriteNames, 0, written + slice.rows);
      else if (written + slice.rows > 0) console.info(`The patient name index was written again for ${written + slice.rows} patients.`);
    } catch (error) {
      console.warn(`The patient name index could not be written again: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  rewriteNames(0);
  engine.start();
  transfer.start();
  if (options.backupScheduler !== false) backups.startScheduler();
  return {
    router,
    database,
    deviceId,
    dbFile,
    jobs,
    sync: engine,
    attachments: transfer,
    backups,
    spooler,
    files,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    eventFor: (token, event) => decideEvent({ db: database.db, now, settings }, token, event),
    close() {
      clearInterval(checkpoints);
      clearInterval(flush);
      if (nameIndex) clearTimeout(nameIndex);
      backups.stop();
      transfer.stop();
      void engine.stop();
      database.sqlite.close();
    },
  };
}

/**
 * A ClinicApp that can close and reopen its database in place, for the browser host: restoring
 * a backup there finishes by reopening instead of relaunching the process. Transports hold this
 * object; calls and events follow whichever app is open.
 */
export function createRestartableClinicApp(
  options: ClinicAppOptions,
  onRestartFailed: (error: unknown) => void,
): ClinicApp & { restart(): void } {
  const listeners = new Set<(event: AppEvent) => void>();
  let current: ClinicApp;
  let unsubscribe: () => void = () => {};
  const open = () => {
    current = createClinicApp({ ...options, onRestartRequested: restart });
    unsubscribe = current.onEvent((event) => {
      for (const l of listeners) l(event);
    });
  };
  function restart() {
    unsubscribe();
    current.close();
    try {
      open();
    } catch (error) {
      onRestartFailed(error);
    }
  }
  open();
  return {
    get router() {
      return current.router;
    },
    get database() {
      return current.database;
    },
    get deviceId() {
      return current.deviceId;
    },
    get dbFile() {
      return current.dbFile;
    },
    get jobs() {
      return current.jobs;
    },
    get spooler() {
      return current.spooler;
    },
    get files() {
      return current.files;
    },
    get sync() {
      return current.sync;
    },
    get backups() {
      return current.backups;
    },
    get attachments() {
      return current.attachments;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    eventFor: (token, event) => current.eventFor(token, event),
    restart,
    close() {
      unsubscribe();
      current.close();
    },
  };
}
