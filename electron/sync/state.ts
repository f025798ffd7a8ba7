import type Database from 'better-sqlite3';
import type { DeviceInfo, FirstKeyInfo } from '../../shared/sync-protocol';

/** This device's sync settings and progress, in local_meta (never synced). */
export interface SyncSettings {
  serverUrl: string | null;
  clinicId: string | null;
  credential: string | null;
  deviceName: string | null;
  enabled: boolean;
  pullCursor: number;
}

const KEYS = {
  serverUrl: 'sync.serverUrl',
  clinicId: 'sync.clinicId',
  credential: 'sync.credential',
  deviceName: 'sync.deviceName',
  enabled: 'sync.enabled',
  pullCursor: 'sync.pullCursor',
} as const;

function read(sqlite: Database.Database, key: string): string | null {
  return (sqlite.prepare('SELECT value FROM local_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

function write(sqlite: Database.Database, key: string, value: string | null): void {
  if (value === null) sqlite.prepare('DELETE FROM local_meta WHERE key = ?').run(key);
  else sqlite.prepare('INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function readSyncSettings(sqlite: Database.Database): SyncSettings {
  return {
    serverUrl: read(sqlite, KEYS.serverUrl),
    clinicId: read(sqlite, KEYS.clinicId),
    credential: read(sqlite, KEYS.credential),
    deviceName: read(sqlite, KEYS.deviceName),
    enabled: read(sqlite, KEYS.enabled) === 'true',
    pullCursor: Number(read(sqlite, KEYS.pullCursor) ?? 0),
  };
}

export function writeSyncSettings(sqlite: Database.Database, patch: Partial<Omit<SyncSettings, 'pullCursor'>>): void {
  sqlite.transaction(() => {
    for (const [k, v] of Object.entries(patch) as [keyof typeof KEYS, string | boolean | null | undefined][]) {
      if (v === undefined) continue;
      write(sqlite, KEYS[k], v === null ? null : String(v));
    }
  })();
}

/** Starts pulling from the beginning again (after re-enrolment). */
export function resetPullCursor(sqlite: Database.Database): void {
  write(sqlite, KEYS.pullCursor, '0');
}

/**
 * The newest clock stamp this device has received from others (see applyPulled). The device's own
 * newest stamp survives a restart in change_log; this one is what makes a restarted clock still
 * order this device's next edits after everything it had already seen.
 */
export function readClockSeen(sqlite: Database.Database): string | null {
  return read(sqlite, 'sync.clockSeen');
}

/** The clinic's workstations as the server last listed them, and when (for the Sync screen offline). */
export interface KnownDevices {
  devices: DeviceInfo[];
  fetchedAt: number;
  /** First signing keys users registered themselves, and where (absent from lists kept before). */
  firstKeys?: FirstKeyInfo[];
}

export function writeKnownDevices(sqlite: Database.Database, devices: DeviceInfo[], fetchedAt: number, firstKeys: FirstKeyInfo[] = []): void {
  write(sqlite, 'sync.devices', JSON.stringify({ devices, fetchedAt, firstKeys } satisfies KnownDevices));
}

export function readKnownDevices(sqlite: Database.Database): KnownDevices | null {
  const raw = read(sqlite, 'sync.devices');
  if (!raw) return null;
  try {
    return JSON.parse(raw) as KnownDevices;
  } catch {
    return null;
  }
}
