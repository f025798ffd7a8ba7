import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import { localChecksums } from '../../electron/sync/local-checksums';
import { outboxCounts } from '../../electron/sync/outbox';
import { openServerDb } from '../../server/db/open';
import { percentile, round, type BenchContext } from './run';
import { devices100 } from './sync-devices';
import { signingCost } from './sync-signing';
import { ADMIN, newPatientInputs, RECEPTIONIST, SEED } from './seed';

/**
 * Sync between two workstations of one clinic through a real sync server (server/index.ts, run as
 * a child process on loopback with embedded PGlite, so the devices' event loop is measured without
 * the server's work in it):
 *   - a backlog: workstation A goes offline (sync.configure enabled: false), piles up
 *     SYNC_BENCH_CHANGES outbox changes (default 30,000) through the real router (patients
 *     registered, then updated), and comes back online; measured until A's outbox is empty and
 *     workstation B, online all along, holds the same rows (equal localChecksums);
 *   - the server's apply rate during that push (changes / seconds from reconnect to empty outbox,
 *     as seen by A: it includes A's reads of the outbox and acks, and B's concurrent pulls);
 *   - the event-loop delay of the bench process while draining (both workstations live in it);
 *   - propagation: A updates a patient, B sees the new value in its database (SYNC_BENCH_SAMPLES,
 *     default 200).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_MIGRATIONS = path.join(ROOT, 'server', 'db', 'migrations');
const ADMIN_TOKEN = 'bench-admin-token';
const DRAIN_TIMEOUT_MS = 240_000;

// ---------------------------------------------------------------------------------------------
// The server

/**
 * A migrated PGlite data folder, built once per set of migrations and copied for each run (the
 * same cache, by the same key, as test/helpers/sync.ts, which cannot be imported outside vitest).
 */
async function pgliteTemplate(): Promise<string> {
  const h = createHash('sha256');
  h.update(fs.readFileSync(path.join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
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
    fs.rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer(dataDir: string, log: (m: string) => void, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  fs.cpSync(await pgliteTemplate(), path.join(dataDir, 'pglite'), { recursive: true });
  // SYNC_BENCH_SERVER_PROF=<dir>: the server writes a CPU profile there when it stops (node --cpu-prof).
  const prof = process.env.SYNC_BENCH_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.SYNC_BENCH_SERVER_PROF] : [];
  // SYNC_BENCH_SERVER_NODEARGS: more node options for the server (V8 flags, a --import that samples allocations).
  const extra = process.env.SYNC_BENCH_SERVER_NODEARGS ? process.env.SYNC_BENCH_SERVER_NODEARGS.split(' ') : [];
  const child = spawn(process.execPath, [...prof, ...extra, '--import', 'tsx', path.join(ROOT, 'server', 'index.ts')], {
    cwd: ROOT,
    env: { ...process.env, SYNC_PORT: '0', SYNC_HOST: '127.0.0.1', SERVER_DATA_DIR: dataDir, SERVER_ADMIN_TOKEN: ADMIN_TOKEN, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (c: Buffer) => log(`server: ${c.toString('utf8').trim()}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the sync server did not start: ${out}`)), 60_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sync server exited (${code}): ${out}`));
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * POST with one retry: a kept-alive connection the server closed after its idle timeout (5 s: a
 * clinic's set-up on a busy machine takes longer) fails the next request before it is sent.
 */
export async function post(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  const send = () => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  try {
    return await send();
  } catch {
    return send();
  }
}

export async function admin<T>(url: string, p: string, body: unknown): Promise<T> {
  const res = await post(`${url}${p}`, { Authorization: `Bearer ${ADMIN_TOKEN}` }, body);
  const json = (await res.json()) as T & { ok: boolean; message?: string };
  if (!json.ok) throw new Error(`${p} failed: ${json.message ?? res.status}`);
  return json;
}

// ---------------------------------------------------------------------------------------------
// The workstations

interface Device {
  app: ClinicApp;
  call<M extends MethodName>(method: M, input: Input<M>, token: string | null): Output<M>;
}

function makeDevice(dataDir: string): Device {
  const app = createClinicApp({
    dataDir,
    key: null,
    backupScheduler: false,
    now: () => Date.now(),
    onInternalError: (method, error) => {
      throw new Error(`internal error in ${method}: ${String(error)}`);
    },
  });
  return {
    app,
    call(method, input, token) {
      const r = app.router.call(method, input, token) as Result<Output<typeof method>>;
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs: number, everyMs = 25): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function enrol(device: Device, url: string, code: string, token: string | null): Promise<void> {
  const job = token ? device.call('sync.enrol', { serverUrl: url, code }, token) : device.call('setup.join', { serverUrl: url, code }, null);
  const done = await device.app.jobs.wait(job.id);
  if (done.status !== 'done') throw new Error(`enrolment failed: ${done.message}`);
  await waitFor(() => device.app.sync.getStatus().state === 'online', 'the device to come online', 30_000);
}

const sameRows = (a: Device, b: Device) => JSON.stringify(localChecksums(a.app.database.sqlite)) === JSON.stringify(localChecksums(b.app.database.sqlite));

/**
 * Whether B holds A's version of the row A changed last: one row read on each side. Comparing the
 * copies (sameRows) hashes every row of both, about 0.1 s at 30,000 changes; run on every poll it
 * stalled both workstations (it made most of the lag figure's tail) and slowed B's pulls. It runs
 * only once this probe passes, and still decides when B has caught up.
 */
function lastChangeArrived(a: Device, b: Device): boolean {
  const last = a.app.database.sqlite.prepare('SELECT table_name AS tableName, row_id AS rowId FROM change_log ORDER BY seq DESC LIMIT 1').get() as
    | { tableName: string; rowId: string }
    | undefined;
  if (!last) return true;
  const hlcOn = (d: Device) => d.app.database.sqlite.prepare(`SELECT hlc FROM "${last.tableName}" WHERE id = ?`).pluck().get(last.rowId);
  return hlcOn(a) === hlcOn(b);
}

/** Outbox changes of A not yet acknowledged: a cheap probe (the first one found), not a count. */
function hasPending(device: Device): boolean {
  return device.app.database.sqlite.prepare('SELECT 1 FROM change_log WHERE pushed_at IS NULL AND rejected_at IS NULL LIMIT 1').get() !== undefined;
}

const ms = (h: ReturnType<typeof monitorEventLoopDelay>, p: number) => round(h.percentile(p) / 1e6);

/**
 * CPU time (ms) a process has used, its main thread's and all its threads' (the signature
 * workers), from /proc (Linux; null elsewhere). On a shared machine the wall-clock rate swings
 * with the load; the server's CPU time per change does much less.
 */
export function cpuMs(pid: number): { main: number; all: number; mainSystem: number } | null {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = (file: string) => fs.readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  const ms = (ticks: string | undefined) => (Number(ticks) * 1000) / 100;
  try {
    const main = fields(`/proc/${pid}/task/${pid}/stat`);
    const all = fields(`/proc/${pid}/stat`);
    return { main: ms(main[11]) + ms(main[12]), all: ms(all[11]) + ms(all[12]), mainSystem: ms(main[12]) };
  } catch {
    return null;
  }
}

/** A process's resident memory (VmRSS) in MB, from /proc (Linux; null elsewhere). */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------

/** SYNC_BENCH_PART=backlog or devices runs one of the two scenarios (default both). */
export async function bench(ctx: BenchContext): Promise<void> {
  const part = process.env.SYNC_BENCH_PART;
  if (part !== 'devices') await backlog(ctx);
  if (part !== 'backlog') await devices100(ctx);
}

async function backlog({ report, log }: BenchContext): Promise<void> {
  const target = Number(process.env.SYNC_BENCH_CHANGES ?? 30_000);
  const samples = Number(process.env.SYNC_BENCH_SAMPLES ?? 200);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-sync-'));
  const devices: Device[] = [];
  let server: ServerProcess | undefined;
  try {
    server = await startServer(path.join(root, 'server'), log);
    const url = server.url;
    log(`server (child process ${server.child.pid}) at ${url}`);
    const { clinicId } = await admin<{ clinicId: string }>(url, '/admin/clinics', { name: 'Sanjeevani Clinic' });
    const code = async (deviceName: string) => (await admin<{ code: string }>(url, `/admin/clinics/${clinicId}/enrolment-codes`, { deviceName })).code;

    // A: set up, with a receptionist, enrolled; B joins the clinic from A's data.
    const a = makeDevice(path.join(root, 'a'));
    devices.push(a);
    a.call('setup.initialize', { facility: { name: 'Sanjeevani Clinic', address: '14 Station Road, Pune 411001', phone: '020 2612 3456' }, admin: ADMIN }, null);
    const adminA = a.call('auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
    a.call('staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, adminA);
    const desk = a.call('auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password }, null).token;
    await enrol(a, url, await code('Front desk'), adminA);
    await a.app.sync.syncNow();
    const b = makeDevice(path.join(root, 'b'));
    devices.push(b);
    await enrol(b, url, await code('Doctor room'), null);
    await b.app.sync.syncNow();
    await a.app.sync.syncNow();
    await waitFor(() => sameRows(a, b), 'A and B to agree before the backlog', 30_000, 200);

    // --- Backlog ---------------------------------------------------------------------------
    a.call('sync.configure', { enabled: false }, adminA);
    await waitFor(() => a.app.sync.getStatus().state === 'off', 'A to go offline', 10_000);
    const before = outboxCounts(a.app.database.sqlite).pending;
    const genStart = process.hrtime.bigint();
    const ids: string[] = [];
    const inputs = newPatientInputs(Math.ceil(target / 3) + 1000, SEED + 900);
    let registers = 0;
    let updates = 0;
    let pending = before;
    const CHECK_EVERY = 200;
    // A third of the budget in registrations, the rest in updates of those patients.
    while (pending < target / 3 && registers < inputs.length) {
      for (let k = 0; k < CHECK_EVERY && registers < inputs.length; k++) {
        const patient = inputs[registers++]!;
        let r = a.call('patients.register', { patient, acknowledgeDuplicates: [] }, desk);
        if (r.status === 'duplicates') r = a.call('patients.register', { patient, acknowledgeDuplicates: r.candidates.map((c) => c.id) }, desk);
        if (r.status !== 'registered') throw new Error('registering a patient failed');
        ids.push(r.patient.id);
      }
      pending = outboxCounts(a.app.database.sqlite).pending;
    }
    const perRegister = (pending - before) / registers;
    while (pending < target) {
      for (let k = 0; k < CHECK_EVERY; k++) {
        const id = ids[updates % ids.length]!;
        a.call('patients.update', { id, patch: { addressLine1: `${updates + 1}, Backlog Lane` } }, desk);
        updates++;
      }
      pending = outboxCounts(a.app.database.sqlite).pending;
    }
    const genS = Number(process.hrtime.bigint() - genStart) / 1e9;
    log(
      `backlog: ${pending} pending changes on A from ${registers} registrations (${perRegister.toFixed(2)} changes each) and ${updates} updates in ${genS.toFixed(1)} s`,
    );
    report({ name: 'sync.backlog.generate_s', value: round(genS), unit: 's', n: pending, registers, updates });
    a.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');

    // --- Drain -----------------------------------------------------------------------------
    const lagAll = monitorEventLoopDelay({ resolution: 10 });
    const lagPush = monitorEventLoopDelay({ resolution: 10 });
    lagAll.enable();
    lagPush.enable();
    const serverPid = server.child.pid ?? 0;
    const cpu0 = cpuMs(serverPid);
    const benchCpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - t0) / 1e9;
    a.call('sync.configure', { enabled: true }, adminA);
    let lastLog = 0;
    await waitFor(
      () => {
        if (since() - lastLog >= 5) {
          lastLog = since();
          log(`draining: ${since().toFixed(0)} s, A ${a.app.sync.getStatus().state}, ${outboxCounts(a.app.database.sqlite).pending} pending`);
        }
        return !hasPending(a);
      },
      "A's outbox to empty",
      DRAIN_TIMEOUT_MS,
      50,
    );
    const pushS = since();
    const cpu1 = cpuMs(serverPid);
    const benchCpu = process.cpuUsage(benchCpu0);
    lagPush.disable();
    const pushP99 = ms(lagPush, 99);
    const pushMax = round(lagPush.max / 1e6);
    log(`A's outbox empty after ${pushS.toFixed(1)} s; waiting for B`);
    let compared = 0;
    const caughtUp = () => {
      // The full comparison no more often than it used to run (every 250 ms), should the probe pass early.
      if (!lastChangeArrived(a, b) || since() - compared < 0.25) return false;
      compared = since();
      return sameRows(a, b);
    };
    await waitFor(caughtUp, 'B to hold what A has', DRAIN_TIMEOUT_MS, 50);
    const drainS = since();
    lagAll.disable();
    const rejected = outboxCounts(a.app.database.sqlite).rejected;
    log(`A and B agree after ${drainS.toFixed(1)} s (${rejected} changes rejected by the server)`);
    report({ name: 'sync.backlog30k.drain_s', value: round(drainS), unit: 's', n: pending, push_s: round(pushS), rejected, target: 60 });
    report({
      name: 'sync.server.changes_per_s',
      value: round(pending / pushS, 0),
      unit: 'changes/s',
      n: pending,
      push_s: round(pushS),
      measured: 'at device A: reconnect to empty outbox (includes A reading the outbox and recording acks, and B pulling concurrently)',
      signed: 'every change signed by its author and verified by the server',
      target: 2000,
    });
    if (cpu0 && cpu1) {
      report({
        name: 'sync.server.cpu_us_per_change',
        value: round(((cpu1.main - cpu0.main) * 1000) / pending, 0),
        unit: 'µs',
        n: pending,
        all_threads_us: round(((cpu1.all - cpu0.all) * 1000) / pending, 0),
        bench_process_us: round((benchCpu.user + benchCpu.system) / pending, 0),
        loadavg_1m: round(os.loadavg()[0]!),
        measured: "server main thread's CPU time from reconnect to empty outbox, per change (all_threads_us: with the signature workers; bench_process_us: A and B)",
      });
    }
    report({
      name: 'sync.eventloop_lag.p99_ms',
      value: ms(lagAll, 99),
      unit: 'ms',
      n: lagAll.count,
      max_ms: round(lagAll.max / 1e6),
      push_phase_p99_ms: pushP99,
      push_phase_max_ms: pushMax,
      process: 'bench process holding workstations A (pushing) and B (pulling); the server runs in a child process',
      target: 50,
    });

    signingCost(a.app.database.sqlite, report);

    // --- Propagation -----------------------------------------------------------------------
    await a.app.sync.syncNow();
    await b.app.sync.syncNow();
    const probe = ids[0]!;
    const readB = b.app.database.sqlite.prepare('SELECT address_line1 FROM patients WHERE id = ?').pluck();
    const latencies: number[] = [];
    let waiting: { value: string; resolve: () => void } | null = null;
    const check = () => {
      if (waiting && readB.get(probe) === waiting.value) {
        const w = waiting;
        waiting = null;
        w.resolve();
      }
    };
    const unsubscribe = b.app.onEvent((e) => {
      if (e.event === 'changed') check();
    });
    const poll = setInterval(check, 50);
    try {
      log(`propagation: ${samples} updates on A, each awaited on B`);
      for (let i = 0; i < samples; i++) {
        const value = `${i + 1}, Propagation Road`;
        const seen = new Promise<void>((resolve) => {
          waiting = { value, resolve };
        });
        const start = process.hrtime.bigint();
        a.call('patients.update', { id: probe, patch: { addressLine1: value } }, desk);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`sample ${i + 1} did not reach B within 10 s`)), 10_000);
        });
        try {
          await Promise.race([seen, timeout]);
        } finally {
          clearTimeout(timer);
        }
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        await sleep(20 + ((i * 37) % 60));
      }
    } finally {
      clearInterval(poll);
      unsubscribe();
    }
    report({ name: 'sync.propagation.p50_ms', value: round(percentile(latencies, 50)), unit: 'ms', n: latencies.length });
    report({ name: 'sync.propagation.p95_ms', value: round(percentile(latencies, 95)), unit: 'ms', n: latencies.length, max_ms: round(Math.max(...latencies)), target: 1000 });
  } finally {
    for (const d of devices) d.app.close();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
