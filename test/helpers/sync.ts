import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { DeskRequestHandler } from '../../server/abdm/desk-requests';
import { createSyncServer } from '../../server/app';
import { openServerDb, type OpenedServerDb } from '../../server/db/open';
import { makeClinic, type TestClinic } from './app';
import { tempDir } from './temp';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export const ADMIN_TOKEN = 'test-admin-token';
const SERVER_MIGRATIONS = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'server', 'db', 'migrations');

/**
 * A PGlite data folder with the server's migrations applied, made once per set of migrations and
 * copied for each server: creating a PostgreSQL cluster in WebAssembly takes seconds, copying one
 * takes milliseconds. Kept in the OS temp dir, keyed by the migrations' content.
 */
export async function pgliteTemplate(): Promise<string> {
  const h = createHash('sha256');
  h.update(fs.readFileSync(path.join(SERVER_MIGRATIONS, '..', '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  for (const f of fs.readdirSync(SERVER_MIGRATIONS, { recursive: true }).map(String).sort()) {
    const p = path.join(SERVER_MIGRATIONS, f);
    if (fs.statSync(p).isFile()) h.update(f).update(fs.readFileSync(p));
  }
  const dir = path.join(os.tmpdir(), `clinic-sync-pglite-${h.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  const building = `${dir}.${process.pid}.${Date.now()}`;
  const opened = await openServerDb({ dataDir: building });
  await opened.close();
  try {
    fs.renameSync(building, dir);
  } catch {
    // another test file made it first
    fs.rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** A fresh server data folder (PGlite, migrated), as a copy of the template. */
export async function freshPgliteDir(): Promise<string> {
  const dir = path.join(tempDir('clinic-sync-server-'), 'pglite');
  fs.cpSync(await pgliteTemplate(), dir, { recursive: true });
  return dir;
}

export interface TestSyncServer {
  url: string;
  port: number;
  /** The PGlite data folder (it outlives restarts); empty with a PostgreSQL server. */
  dataDir: string;
  readonly server: ReturnType<typeof createSyncServer>;
  readonly store: ReturnType<typeof createSyncServer>['store'];
  readonly database: OpenedServerDb;
  readonly running: boolean;
  createClinic(name?: string): Promise<string>;
  enrolmentCode(clinicId: string, deviceName?: string): Promise<string>;
  /** Closes the server and its database (devices see it go away). */
  stop(): Promise<void>;
  /** Opens the same data folder again and listens on the same port. */
  start(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * A real sync server on loopback with a PGlite database in a data folder (or a PostgreSQL server),
 * so it can be stopped and started again on the same data and port while devices keep their
 * server address.
 */
export async function startSyncServer(
  options: {
    afterCommit?: (deviceId: string) => void;
    dataDir?: string;
    databaseUrl?: string;
    now?: () => number;
    /** An ABDM bridge on the server's database (server/abdm/bridge.ts), made again at each (re)start. */
    abdm?: (database: OpenedServerDb) => NonNullable<Parameters<typeof createSyncServer>[0]['abdm']>;
    /** The ABDM desk channel (server/abdm/desk-requests.ts), made on the server's database. */
    deskRequests?: (db: OpenedServerDb['db']) => DeskRequestHandler;
  } = {},
): Promise<TestSyncServer> {
  const dataDir = options.databaseUrl ? '' : (options.dataDir ?? (await freshPgliteDir()));
  let port = 0;
  let current: { server: ReturnType<typeof createSyncServer>; database: OpenedServerDb } | null = null;
  const open = async () => {
    const database = await openServerDb(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir });
    const server = createSyncServer({
      database,
      adminToken: ADMIN_TOKEN,
      ...(options.afterCommit ? { afterCommit: options.afterCommit } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.abdm ? { abdm: options.abdm(database) } : {}),
      ...(options.deskRequests ? { deskRequests: options.deskRequests(database.db) } : {}),
    });
    port = await server.listen(port);
    current = { server, database };
  };
  const stop = async () => {
    const c = current;
    current = null;
    if (!c) return;
    await c.server.close();
    await c.database.close();
  };
  await open();
  cleanups.push(stop);
  const url = `http://127.0.0.1:${port}`;
  const admin = async (p: string, body: unknown) => {
    const res = await fetch(`${url}${p}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; clinicId?: string; code?: string; message?: string };
  };
  const need = () => {
    if (!current) throw new Error('the sync server is stopped');
    return current;
  };
  return {
    url,
    port,
    dataDir,
    get server() {
      return need().server;
    },
    get store() {
      return need().server.store;
    },
    get database() {
      return need().database;
    },
    get running() {
      return current !== null;
    },
    async createClinic(name = 'Sharma Clinic') {
      return (await admin('/admin/clinics', { name })).clinicId!;
    },
    async enrolmentCode(clinicId: string, deviceName = 'Desk') {
      return (await admin(`/admin/clinics/${clinicId}/enrolment-codes`, { deviceName })).code!;
    },
    stop,
    async start() {
      if (!current) await open();
    },
    async restart() {
      await stop();
      await open();
    },
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Enrols a clinic app with the server and waits until it is online. */
export async function enrol(device: TestClinic, url: string, code: string, token: string | null = null): Promise<void> {
  const method = token ? 'sync.enrol' : 'setup.join';
  const job = device.ok(method, { serverUrl: url, code }, token);
  const done = await device.app.jobs.wait(job.id);
  if (done.status !== 'done') throw new Error(`enrolment failed: ${done.message}`);
  await waitFor(() => device.app.sync.getStatus().state === 'online', 'the device to come online');
}

/**
 * A device process-equivalent: a clinic app with the real wall clock (sync needs real time).
 * `skew` moves its clock by a fixed amount, or by whatever `skew.ms` holds at each reading (a
 * clock that jumps).
 */
export function makeDevice(
  options: { setup?: boolean; skewMs?: number; skew?: { ms: number }; dataDir?: string; checksumEveryMs?: number; pullEveryMs?: number; sliceMs?: number } = {},
): TestClinic {
  return makeClinic({
    setup: options.setup ?? false,
    realTime: true,
    syncChecksumEveryMs: options.checksumEveryMs ?? 0,
    ...(options.pullEveryMs !== undefined ? { syncPullEveryMs: options.pullEveryMs } : {}),
    ...(options.sliceMs !== undefined ? { syncSliceMs: options.sliceMs } : {}),
    ...(options.skewMs !== undefined ? { skewMs: options.skewMs } : {}),
    ...(options.skew ? { skew: options.skew } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
}
