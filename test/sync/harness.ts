/**
 * Shared pieces of the sync suite: a clinic with staff and a doctor on N real devices, convergence
 * (sync everyone until every copy has the server's checksums), a sync server in its own process
 * (to kill it), device agents in their own processes (to kill -9 them), and a bare protocol client
 * (to replay pushes). Everything is real: socket.io, PGlite, SQLite files.
 *
 * Knobs (environment): SYNC_BIG (offline changes per device in bulk.test.ts; default the full 5000),
 * SYNC_ROUNDS / SYNC_SEED / SYNC_DEVICES / SYNC_SKEW=0 (random.test.ts), SYNC_KILL_N
 * (registrations in kill-device.test.ts), PG_BIN (where initdb and pg_ctl are, for the
 * database-down test; otherwise PATH and /usr/lib/postgresql/<version>/bin are searched).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterEach, expect } from 'vitest';
import { localDate } from '../../shared/clinic-time';
import { localChecksums } from '../../electron/sync/local-checksums';
import { PROTOCOL_VERSION, type Ack, type Change, type ChecksumReply, type Pulled, type Refusal, type Welcome } from '../../shared/sync-protocol';
import { readSyncSettings } from '../../electron/sync/state';
import { unwrapSigningKey, type ChangeSigner } from '../../electron/services/signing-keys';
import { changeSigningBytes } from '../../shared/change-signing';
import { columnsOf, fromStorage } from '../../db/sync-tables';
import { appliedChanges, rows } from '../../server/db/schema';
import type { ServerDb } from '../../server/db/open';
import { ADMIN, FACILITY, type TestClinic } from '../helpers/app';
import { ADMIN_TOKEN, enrol, freshPgliteDir, makeDevice, waitFor, type TestSyncServer } from '../helpers/sync';
import type { AgentCommand, AgentEvent, AgentOptions, AgentReply, AgentState } from './agent-protocol';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export type Checksums = Record<string, { count: number; hash: string }>;

export const STAFF = {
  rita: { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-password', roles: ['receptionist'] },
  meera: { username: 'meera', fullName: 'Dr Meera Rao', password: 'meera-password', roles: ['doctor'] },
  kiran: { username: 'kiran', fullName: 'Kiran Patil', password: 'kiran-password', roles: ['cashier'] },
} as const;

export interface Desk {
  c: TestClinic;
  /** An administrator's session on this device. */
  admin: string;
  name: string;
}

export interface ClinicFixture {
  clinicId: string;
  devices: Desk[];
  /** Dr Meera Rao: one booking per 15-minute slot, every day, 00:00-23:45. */
  doctorId: string;
  staff: Record<keyof typeof STAFF, string>;
}

/**
 * A clinic set up on device A (administrator, staff, a doctor with a timetable), enrolled with the
 * server, and joined from `count - 1` more devices; every device synced and logged in as admin.
 */
export async function setupClinic(
  server: TestSyncServer,
  opts: { devices: number; skews?: (number | { ms: number } | undefined)[]; name?: string; checksumEveryMs?: number },
): Promise<ClinicFixture> {
  const clinicId = await server.createClinic(opts.name ?? FACILITY.name);
  const deviceOpts = (i: number) => {
    const s = opts.skews?.[i];
    return {
      ...(typeof s === 'number' ? { skewMs: s } : s ? { skew: s } : {}),
      ...(opts.checksumEveryMs !== undefined ? { checksumEveryMs: opts.checksumEveryMs } : {}),
    };
  };
  const a = makeDevice(deviceOpts(0));
  a.ok('setup.initialize', { facility: { ...FACILITY, name: opts.name ?? FACILITY.name }, admin: ADMIN });
  const adminA = a.login('admin', ADMIN.password);
  await enrol(a, server.url, await server.enrolmentCode(clinicId, 'Desk A'), adminA);
  const staff = Object.fromEntries(
    Object.entries(STAFF).map(([key, s]) => [key, a.ok('staff.create', { ...s, roles: [...s.roles] }, adminA).id]),
  ) as Record<keyof typeof STAFF, string>;
  a.ok(
    'doctors.upsert',
    {
      userId: staff.meera,
      specialization: 'General Medicine',
      qualifications: 'MBBS, MD',
      registrationCouncil: 'Maharashtra Medical Council',
      registrationNumber: 'MMC-2011-04567',
      consultationFeePaise: 50_000,
      followUpFeePaise: 20_000,
      followUpWindowDays: 7,
      schedule: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '23:45', slotMinutes: 15, maxPerSlot: 1, mode: 'in-person' })),
    },
    adminA,
  );
  await a.app.sync.syncNow();
  const devices: Desk[] = [{ c: a, admin: adminA, name: 'A' }];
  for (let i = 1; i < opts.devices; i++) {
    const d = makeDevice(deviceOpts(i));
    await enrol(d, server.url, await server.enrolmentCode(clinicId, `Desk ${String.fromCharCode(65 + i)}`));
    await d.app.sync.syncNow();
    devices.push({ c: d, admin: d.login('admin', ADMIN.password), name: String.fromCharCode(65 + i) });
  }
  return { clinicId, devices, doctorId: staff.meera, staff };
}

/** Anything with a clinic app: a TestClinic, or an app opened by hand. */
export type HasApp = Pick<TestClinic, 'app'>;

export function checksumsOf(c: HasApp): Checksums {
  return localChecksums(c.app.database.sqlite);
}

/** Tables whose fingerprints differ, for readable failures. */
export function diffChecksums(a: Checksums, b: Checksums): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => JSON.stringify(a[t]) !== JSON.stringify(b[t])).map((t) => `${t}: ${JSON.stringify(a[t])} vs ${JSON.stringify(b[t])}`);
}

/**
 * Syncs every device (push, pull) round after round until each has an empty outbox and exactly the
 * server's checksums; then asserts it. Devices must be (or become) online by themselves.
 */
export async function converge(server: TestSyncServer, clinicId: string, devices: HasApp[], timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    for (const d of devices) {
      await waitFor(() => d.app.sync.getStatus().state === 'online', 'a device to be online', Math.max(1_000, started + timeoutMs - Date.now()));
      await d.app.sync.syncNow();
    }
    const expected = await server.store.checksums(clinicId);
    const lagging = devices.filter((d) => d.app.sync.getStatus().pending > 0 || diffChecksums(checksumsOf(d), expected).length > 0);
    if (lagging.length === 0) break;
    if (Date.now() - started > timeoutMs) {
      const d = lagging[0]!;
      throw new Error(`devices did not converge: pending ${d.app.sync.getStatus().pending}; ${diffChecksums(checksumsOf(d), expected).join('; ')}`);
    }
  }
  const expected = await server.store.checksums(clinicId);
  for (const d of devices) expect(checksumsOf(d)).toEqual(expected);
  return Date.now() - started;
}

/**
 * Checksums compare (id, clock) pairs; this compares contents: every column the server holds for
 * every row of `table` has the same value on the device (decoded as the app wrote it).
 */
export async function rowDifferences(db: ServerDb, clinicId: string, device: HasApp, table: string): Promise<string[]> {
  const codecs = new Map(columnsOf(table).map((c) => [c.name, c]));
  const local = new Map(
    (device.app.database.sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((r) => [String(r.id), r]),
  );
  const out: string[] = [];
  for (const row of await serverRows(db, clinicId, table)) {
    const mine = local.get(row.rowId);
    if (!mine) {
      out.push(`${table}/${row.rowId} missing`);
      continue;
    }
    for (const [col, value] of Object.entries(row.data)) {
      const codec = codecs.get(col);
      if (!codec) continue;
      const here = fromStorage(codec, mine[col]);
      if (JSON.stringify(here) !== JSON.stringify(value ?? null)) out.push(`${table}/${row.rowId}.${col}: ${JSON.stringify(here)} here, ${JSON.stringify(value)} on the server`);
    }
  }
  return out;
}

export interface ServerRow {
  rowId: string;
  data: Record<string, unknown>;
  hlc: string;
  seq: number;
}

export async function serverRows(db: ServerDb, clinicId: string, table: string): Promise<ServerRow[]> {
  return db
    .select({ rowId: rows.rowId, data: rows.data, hlc: rows.hlc, seq: rows.seq })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, table)));
}

export async function appliedRecords(db: ServerDb, changeIds: string[]) {
  const out: (typeof appliedChanges.$inferSelect)[] = [];
  for (let i = 0; i < changeIds.length; i += 500) {
    out.push(...(await db.select().from(appliedChanges).where(inArray(appliedChanges.changeId, changeIds.slice(i, i + 500)))));
  }
  return out;
}

/** A date every device (even one a day behind) sees as bookable, in the clinic's time zone. */
export function bookableDate(daysAhead = 2): string {
  return localDate(Date.now() + daysAhead * 86_400_000, 'Asia/Kolkata');
}

export function localIds(c: HasApp, table: string): string[] {
  return c.app.database.sqlite.prepare(`SELECT id FROM "${table}" ORDER BY id`).pluck().all() as string[];
}

/** A patient body with a distinct name and birthday (the duplicate check stays out of the way). */
export function patientBody(label: string, n: number) {
  const day = new Date(Date.UTC(1945, 0, 1) + ((n * 7919) % 25_000) * 86_400_000).toISOString().slice(0, 10);
  return { givenName: label, familyName: 'Test', gender: n % 2 ? 'male' : 'female', dob: day } as const;
}

type Registered = { status: 'registered'; patient: { id: string } } | { status: 'duplicates'; candidates: { id: string }[] };

export function register(d: Desk, label: string, n: number, token = d.admin): string {
  const patient = patientBody(label, n);
  let r = d.c.ok('patients.register', { patient }, token) as Registered;
  if (r.status === 'duplicates') r = d.c.ok('patients.register', { patient, acknowledgeDuplicates: r.candidates.map((c) => c.id) }, token);
  if (r.status !== 'registered') throw new Error('not registered');
  return r.patient.id;
}

/* ------------------------------------------------------------------------------------------------
 * Processes: every child started here is killed (by its own pid) after the test.
 */
const children: ChildProcess[] = [];
afterEach(() => {
  while (children.length > 0) {
    const child = children.pop()!;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  exit: Promise<Exit>;
  output: () => string;
}

/** `node --import tsx server/index.ts` on a data folder (PGlite in <dataRoot>/pglite, or DATABASE_URL). */
export async function spawnServer(opts: { dataRoot: string; port?: number; env?: Record<string, string> }): Promise<ServerProcess> {
  const pglite = path.join(opts.dataRoot, 'pglite');
  if (!opts.env?.DATABASE_URL && !fs.existsSync(pglite)) {
    fs.mkdirSync(opts.dataRoot, { recursive: true });
    fs.renameSync(await freshPgliteDir(), pglite);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, SYNC_PORT: String(opts.port ?? 0), SERVER_DATA_DIR: opts.dataRoot, SERVER_ADMIN_TOKEN: ADMIN_TOKEN, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exit = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    void exit.then((e) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${e.code ?? e.signal}) before listening: ${out}`));
    });
  });
  return { url, port: Number(new URL(url).port), child, exit, output: () => out };
}

export interface Agent {
  pid: number;
  deviceId: string;
  exit: Promise<Exit>;
  call<T = unknown>(command: AgentCommand): Promise<T>;
  state(): Promise<AgentState>;
  kill(): Promise<Exit>;
}

/** A device in its own process (test/sync/agent.ts) on a clinic data folder. */
export async function spawnAgent(opts: Partial<AgentOptions> & { dataDir: string }): Promise<Agent> {
  const options: AgentOptions = { offline: true, skewMs: 0, ...opts };
  const child = fork(path.join(ROOT, 'test/sync/agent.ts'), [JSON.stringify(options)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
  child.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
  const exit = exitOf(child);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  const deviceId = await new Promise<string>((resolve, reject) => {
    child.on('message', (raw) => {
      const m = raw as AgentReply | AgentEvent;
      if ('event' in m) return resolve(m.deviceId);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
    void exit.then((e) => {
      reject(new Error(`agent exited (${e.code ?? e.signal}) before it was ready: ${out}`));
      for (const p of pending.values()) p.reject(new Error(`agent exited (${e.code ?? e.signal})`));
      pending.clear();
    });
  });
  const call = <T>(command: AgentCommand) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: (v) => resolve(v as T), reject });
      child.send({ id, command });
    });
  return {
    pid: child.pid!,
    deviceId,
    exit,
    call,
    state: () => call<AgentState>({ cmd: 'state' }),
    kill: () => {
      child.kill('SIGKILL');
      return exit;
    },
  };
}

/* ------------------------------------------------------------------------------------------------
 * A bare protocol client: what a device says, without a device (for replays).
 */
export interface ProtocolClient {
  welcome: Welcome;
  push(changes: Change[]): Promise<Ack>;
  pull(cursor: number, limit?: number): Promise<Pulled>;
  checksums(): Promise<Checksums>;
  /** How many pokes this connection has received. */
  pokes(): number;
  close(): void;
}

export async function connectAs(url: string, who: { deviceId: string; clinicId: string; credential: string }, appVersion = '0.2.0', timeoutMs = 20_000): Promise<ProtocolClient> {
  const socket: Socket = ioClient(url, { transports: ['websocket'], reconnection: false, timeout: 10_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ask = <T>(event: string, payload: unknown) => socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
  let pokes = 0;
  socket.on('poke', () => pokes++);
  const reply = await ask<Welcome | Refusal>('hello', { ...who, protocol: PROTOCOL_VERSION, schemaVersion: 1, appVersion, pullCursor: 0, lastAckedSeq: 0 });
  if (!reply.ok) {
    socket.disconnect();
    throw new Error(`refused: ${reply.code} ${reply.message}`);
  }
  return {
    welcome: reply,
    push: (changes) => ask<Ack>('push', { changes }),
    pull: (cursor, limit = 1000) => ask<Pulled>('pull', { cursor, limit }),
    async checksums() {
      const r = await ask<ChecksumReply>('checksum', { tables: {} });
      if (!r.ok) throw new Error(r.message);
      return r.server;
    },
    pokes: () => pokes,
    close: () => socket.disconnect(),
  };
}

/** A person's signing key as their desk holds it, opened with their password (as a login does). */
export function keyOf(c: HasApp, userId: string, password: string) {
  const wrapped = c.app.database.sqlite.prepare('SELECT sign_key_wrapped FROM users WHERE id = ?').pluck().get(userId) as string;
  const key = unwrapSigningKey(wrapped, password);
  if (!key) throw new Error('the key did not open');
  return key;
}

/** A change as a desk signs it (see db/write.ts), for tests that speak the protocol by hand. */
export function signed(change: Change, signer: ChangeSigner): Change {
  return { ...change, ...signer.sign(changeSigningBytes(change)) };
}

/** The identity a device presents in its hello, from its own database. */
export function credentialsOf(c: HasApp) {
  const s = readSyncSettings(c.app.database.sqlite);
  return { deviceId: c.app.deviceId, clinicId: s.clinicId!, credential: s.credential! };
}

/** Everything the server holds for the clinic, through the protocol (works for a server in another process). */
export async function pullEverything(client: ProtocolClient): Promise<Map<string, { table: string; data: Record<string, unknown> }>> {
  const all = new Map<string, { table: string; data: Record<string, unknown> }>();
  let cursor = 0;
  for (;;) {
    const page = await client.pull(cursor, 1000);
    if (!page.ok) throw new Error(page.message);
    for (const r of page.rows) all.set(`${r.table}/${r.rowId}`, { table: r.table, data: r.data });
    cursor = page.nextCursor;
    if (!page.hasMore) return all;
  }
}

export const adminHeaders = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

/** Creates a clinic and an enrolment code on a server reached over HTTP only. */
export async function adminClinic(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/admin/clinics`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name }) });
  return ((await res.json()) as { clinicId: string }).clinicId;
}

export async function adminCode(url: string, clinicId: string, deviceName = 'Desk'): Promise<string> {
  const res = await fetch(`${url}/admin/clinics/${clinicId}/enrolment-codes`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ deviceName }) });
  return ((await res.json()) as { code: string }).code;
}

export function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A line for the CI log, so timings and skips are visible. */
export function note(message: string): void {
  console.log(`[sync] ${message}`);
}
