import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type OpenedDatabase } from '../db/open';
import { routes } from './api';
import type { AppSettings } from './api/contract';
import { createRouter, type Router } from './api/router';
import type { ClinicEvent } from './bridge';
import { ensureDeviceId, lastHlc } from './services/device';
import { JobRunner } from './services/jobs';
import { HybridClock } from './sync/hlc';

export interface ClinicAppOptions {
  dataDir: string;
  migrationsFolder?: string;
  settings?: Partial<AppSettings>;
  now?: () => number;
  onInternalError?: (method: string, error: unknown) => void;
}

export interface ClinicApp {
  router: Router;
  database: OpenedDatabase;
  deviceId: string;
  dbFile: string;
  jobs: JobRunner;
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
  const router = createRouter(routes, {
    db: database.db,
    sqlite: database.sqlite,
    clock,
    deviceId,
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    jobs,
    now,
    onChanged: (tables) => emit({ event: 'changed', payload: { tables } }),
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
  return {
    router,
    database,
    deviceId,
    dbFile,
    jobs,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(checkpoints);
      database.sqlite.close();
    },
  };
}
