import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type OpenedDatabase } from '../db/open';
import { routes } from './api';
import type { AppSettings, SyncControl } from './api/contract';
import { createRouter, type Router } from './api/router';
import type { ClinicEvent } from './bridge';
import { ensureDeviceId, lastHlc } from './services/device';
import { JobRunner } from './services/jobs';
import { SyncEngine } from './sync/engine';
import { HybridClock } from './sync/hlc';

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
}

export interface ClinicApp {
  router: Router;
  database: OpenedDatabase;
  deviceId: string;
  dbFile: string;
  jobs: JobRunner;
  sync: SyncEngine;
  /** Subscribe to events for the renderer (`changed`, `progress`); returns an unsubscribe function. */
  onEvent(listener: (event: ClinicEvent) => void): () => void;
  close(): void;
}

const CHECKPOINT_EVERY_MS = 2_000;

export const DEFAULT_SETTINGS: AppSettings = {
  sessionIdleMs: 30 * 60_000,
  lockoutAttempts: 5,
  lockoutMs: 15 * 60_000,
  timeZone: 'Asia/Kolkata',
};

/** Everything but the transport: shared by the Electron main process and the browser host. */
export function createClinicApp(options: ClinicAppOptions): ClinicApp {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const dbFile = path.join(options.dataDir, 'clinic.db');
  const database = openDatabase(dbFile, options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {});
  const now = options.now ?? Date.now;
  const deviceId = ensureDeviceId(database.db);
  const clock = new HybridClock(deviceId, now, lastHlc(database.db));
  const listeners = new Set<(event: ClinicEvent) => void>();
  const emit = (event: ClinicEvent) => {
    for (const l of listeners) l(event);
  };
  const jobs = new JobRunner((job) => emit({ event: 'progress', payload: job }), now);
  const engine = new SyncEngine({
    sqlite: database.sqlite,
    clock,
    deviceId,
    appVersion: options.appVersion ?? '0.0.0',
    schemaVersion: database.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number,
    now,
    onApplied: (tables) => emit({ event: 'changed', payload: { tables } }),
    ...(options.syncChecksumEveryMs !== undefined ? { checksumEveryMs: options.syncChecksumEveryMs } : {}),
  });
  const sync: SyncControl = {
    status: () => engine.getStatus(),
    restart: () => {
      void engine.stop().then(() => engine.start());
    },
    trigger: () => engine.trigger(),
  };
  const router = createRouter(routes, {
    db: database.db,
    sqlite: database.sqlite,
    clock,
    deviceId,
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    jobs,
    sync,
    now,
    onChanged: (tables) => {
      emit({ event: 'changed', payload: { tables } });
      engine.trigger();
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
  // Also flush what no screen announces (audit rows of reads) now and then.
  const flush = setInterval(() => engine.trigger(), 60_000);
  flush.unref();
  engine.start();
  return {
    router,
    database,
    deviceId,
    dbFile,
    jobs,
    sync: engine,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(checkpoints);
      clearInterval(flush);
      void engine.stop();
      database.sqlite.close();
    },
  };
}
