import { SessionKeys } from '../../electron/services/session-keys';
import { afterEach } from 'vitest';
import type { FileAccess } from '../../electron/services/file-access';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Result } from '../../shared/api';
import type { AppSettings } from '../../electron/core/context';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Spooler } from '../../electron/services/printing';
import { tempDir } from './temp';

export interface TestClinic {
  app: ClinicApp;
  dataDir: string;
  /** Moves this clinic's clock. */
  clock: { now: number };
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- Input<M> documents what the method takes; `| unknown` lets a test send what it must not
  call<M extends MethodName>(method: M, input: Input<M> | unknown, token?: string | null): Result<Output<M>>;
  /** Calls and insists on success. */
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- Input<M> documents what the method takes; `| unknown` lets a test send what it must not
  ok<M extends MethodName>(method: M, input: Input<M> | unknown, token?: string | null): Output<M>;
  login(username: string, password: string): string;
  /** The administrator picks this file or folder in the desktop app's Open dialog: imports may read it. */
  pick(file: string): string;
}

const open: ClinicApp[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()!.close();
});

/**
 * Every test database is encrypted with this fixed key. It is also put in CLINIC_DB_KEY, so app
 * processes a test starts (sync agents, the crash-test writer) open the same files.
 */
export const TEST_KEY_HEX = '7e57'.repeat(16);
export const TEST_KEY = Buffer.from(TEST_KEY_HEX, 'hex');
process.env.CLINIC_DB_KEY = TEST_KEY_HEX;

export const ADMIN = { username: 'admin', fullName: 'Asha Sharma', password: 'correct horse battery' };
export const FACILITY = { name: 'Sharma Clinic', address: '12 MG Road, Pune 411001', phone: '020 2555 1234' };

/** The one main process all test clinics share by default (see makeClinic's sessionKeys). */
export const PROCESS_SESSION_KEYS = new SessionKeys();

/** A real clinic on a real SQLite file in a temp dir, optionally already set up. */
export function makeClinic(
  opts: {
    setup?: boolean;
    settings?: Partial<AppSettings>;
    dataDir?: string;
    /** Use the real clock (plus an optional skew), as sync between processes needs. */
    realTime?: boolean;
    skewMs?: number;
    /** A clock offset read at every tick, so a test can make the clock jump. */
    skew?: { ms: number };
    syncChecksumEveryMs?: number;
    syncPullEveryMs?: number;
    syncSliceMs?: number;
    /** The database key; null for a plain database. Default: TEST_KEY. */
    key?: Buffer | null;
    /** Finishes a staged restore (default: nothing, the test reopens the clinic itself). */
    onRestartRequested?: () => void;
    /** Default: throw, so a test fails at the first unexpected error; the fuzz suite records them instead. */
    onInternalError?: (method: string, error: unknown) => void;
    /** Default: CUPS, as in the app. */
    spooler?: Spooler;
    /** Stands in for the desktop app's Open dialog (the browser host has none). */
    chooseFile?: FileAccess['choose'];
    /** Where the shipped reference lists are (default: the repository's resources/reference). */
    shippedLists?: string;
    /**
     * The signing keys of sessions (default: one holder for the whole test process, as if every
     * clinic of a test ran in one long-lived main process: a fixture copies a set-up database with
     * its sessions into a fresh app). Pass a new SessionKeys to play a restarted process.
     */
    sessionKeys?: SessionKeys;
  } = {},
): TestClinic {
  const dataDir = opts.dataDir ?? tempDir();
  const clock = { now: Date.UTC(2026, 10, 21, 4, 30) };
  const app = createClinicApp({
    dataDir,
    key: opts.key === undefined ? TEST_KEY : opts.key,
    backupScheduler: false,
    ...(opts.onRestartRequested ? { onRestartRequested: opts.onRestartRequested } : {}),
    now: opts.realTime ? () => Date.now() + (opts.skew?.ms ?? opts.skewMs ?? 0) : () => clock.now,
    ...(opts.syncChecksumEveryMs !== undefined ? { syncChecksumEveryMs: opts.syncChecksumEveryMs } : {}),
    ...(opts.syncPullEveryMs !== undefined ? { syncPullEveryMs: opts.syncPullEveryMs } : {}),
    ...(opts.syncSliceMs !== undefined ? { syncSliceMs: opts.syncSliceMs } : {}),
    ...(opts.settings ? { settings: opts.settings } : {}),
    ...(opts.spooler ? { spooler: opts.spooler } : {}),
    ...(opts.chooseFile ? { chooseFile: opts.chooseFile } : {}),
    ...(opts.shippedLists ? { shippedLists: opts.shippedLists } : {}),
    sessionKeys: opts.sessionKeys ?? PROCESS_SESSION_KEYS,
    onInternalError:
      opts.onInternalError ??
      ((m, e) => {
        throw new Error(`internal error in ${m}: ${String(e)}`);
      }),
  });
  open.push(app);
  const clinic: TestClinic = {
    app,
    dataDir,
    clock,
    call: (method, input, token = null) => app.router.call(method, input, token) as never,
    ok(method, input, token = null) {
      const r = app.router.call(method, input, token);
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value as never;
    },
    login(username, password) {
      return clinic.ok('auth.login', { username, password }).token;
    },
    pick: (file) => app.files.grants.grant(file),
  };
  if (opts.setup !== false) clinic.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
  return clinic;
}
