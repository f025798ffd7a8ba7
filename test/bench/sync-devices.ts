import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io as ioClient, type Socket } from 'socket.io-client';
import { v7 as uuidv7 } from 'uuid';
import { createClinicApp } from '../../electron/app';
import { changeSigner, unwrapSigningKey } from '../../electron/services/signing-keys';
import { changeSigningBytes } from '../../shared/change-signing';
import { formatHlc } from '../../shared/hlc';
import { PROTOCOL_VERSION, type Ack, type Change, type Refusal, type Welcome } from '../../shared/sync-protocol';
import { findPostgres, startPostgres } from '../helpers/postgres';
import { percentile, round, type BenchContext } from './run';
import { ADMIN, RECEPTIONIST } from './seed';
import { packStamps } from '../../server/field-stamps';
import { admin, cpuMs, post, rssMb, startServer } from './sync';

/**
 * The central server under many desks (issue #20 item 4): SYNC_BENCH_DEVICES (default 100) bare
 * protocol clients over loopback, in SYNC_BENCH_CLINICS clinics (default 10), all pushing at once
 * against a server process on a real PostgreSQL started here. Each desk pushes
 * SYNC_BENCH_DEVICE_CHANGES signed changes (default 300: new patients, then edits of them) in
 * pushes of SYNC_BENCH_DEVICE_BATCH (default 50), the next push as soon as the last is
 * acknowledged, as the workstation's engine does. Reported:
 *   - sync.server.devices100.ack_p99_ms: push sent -> acknowledgement, over every push;
 *   - sync.server.devices100.changes_per_s: all changes / wall time;
 *   - sync.server.over_postgres_limit: that rate over PostgreSQL's own rate for the same writes
 *     (the server's multi-row INSERTs into rows, unique_claims and applied_changes, under the
 *     clinic's advisory lock, one transaction per push, the same pushes and concurrency), run
 *     directly through pg in the same session;
 *   - sync.server.pglite_idle_rss_mb / postgres_idle_rss_mb: the server process's resident memory,
 *     idle after start with a clinic on it, on embedded PGlite and on PostgreSQL.
 */

interface Desk {
  clinicId: string;
  deviceId: string;
  credential: string;
  pushes: Change[][];
}

interface Clinic {
  clinicId: string;
  /** The patients insert a real workstation wrote (columns by database name), as a template. */
  template: Record<string, unknown>;
  sign: (c: Change) => Change;
  userId: string;
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** A clinic set up on a real workstation (administrator, receptionist, one patient), enrolled, then closed. */
async function setUpClinic(url: string, root: string, n: number): Promise<Clinic> {
  const { clinicId } = await admin<{ clinicId: string }>(url, '/admin/clinics', { name: `Clinic ${n}` });
  const app = createClinicApp({ dataDir: path.join(root, `clinic-${n}`), key: null, backupScheduler: false });
  try {
    const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value as T;
    };
    ok(app.router.call('setup.initialize', { facility: { name: `Clinic ${n}`, address: '14 Station Road, Pune 411001', phone: '020 2612 3456' }, admin: ADMIN }, null));
    const adminToken = ok<{ token: string }>(app.router.call('auth.login', { username: ADMIN.username, password: ADMIN.password }, null)).token;
    const userId = ok<{ id: string }>(app.router.call('staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, adminToken)).id;
    const desk = ok<{ token: string }>(app.router.call('auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password }, null)).token;
    ok(app.router.call('patients.register', { patient: { givenName: 'Template', familyName: 'Patient', gender: 'female', ageYears: 40 }, acknowledgeDuplicates: [] }, desk));
    const { code } = await admin<{ code: string }>(url, `/admin/clinics/${clinicId}/enrolment-codes`, { deviceName: 'Set-up desk' });
    const job = ok<{ id: string }>(app.router.call('sync.enrol', { serverUrl: url, code }, adminToken));
    const done = await app.jobs.wait(job.id);
    if (done.status !== 'done') throw new Error(`enrolment failed: ${done.message}`);
    for (let i = 0; i < 600 && app.sync.getStatus().state !== 'online'; i++) await new Promise((r) => setTimeout(r, 50));
    await app.sync.syncNow();
    if (app.sync.getStatus().pending > 0) throw new Error('the set-up desk did not push everything');
    const sqlite = app.database.sqlite;
    const columns = sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'patients' AND op = 'insert' LIMIT 1").pluck().get() as string;
    const wrapped = sqlite.prepare('SELECT sign_key_wrapped FROM users WHERE id = ?').pluck().get(userId) as string;
    const key = unwrapSigningKey(wrapped, RECEPTIONIST.password);
    if (!key) throw new Error('the receptionist key did not open');
    const signer = changeSigner(userId, key);
    return { clinicId, template: JSON.parse(columns) as Record<string, unknown>, sign: (c) => ({ ...c, ...signer.sign(changeSigningBytes(c)) }), userId };
  } finally {
    app.close();
  }
}

/** A desk's pushes: `total` changes, the first third new patients, the rest edits of them, signed. */
function deskPushes(clinic: Clinic, deviceId: string, prefix: string, total: number, batch: number): Change[][] {
  const changes: Change[] = [];
  const wall = Date.now();
  let counter = 0;
  const hlc = () => formatHlc({ wallMs: wall, counter: counter++, deviceId });
  const inserts = Math.max(1, Math.ceil(total / 3));
  const ids: string[] = [];
  for (let i = 0; i < inserts; i++) {
    const id = uuidv7();
    ids.push(id);
    const stamp = hlc();
    const columns = { ...clinic.template, id, mrn: `${prefix}-${deviceId.slice(-6)}-${i}`, given_name: `Bench${i}`, device_id: deviceId, hlc: stamp, created_at: wall, updated_at: wall };
    changes.push(clinic.sign({ id: uuidv7(), seq: changes.length + 1, table: 'patients', rowId: id, op: 'insert', columns, hlc: stamp, userId: clinic.userId }));
  }
  for (let i = 0; changes.length < total; i++) {
    const stamp = hlc();
    const columns = { address_line1: `${i + 1}, Busy Lane`, device_id: deviceId, hlc: stamp, updated_at: wall };
    changes.push(clinic.sign({ id: uuidv7(), seq: changes.length + 1, table: 'patients', rowId: ids[i % ids.length]!, op: 'update', columns, hlc: stamp, userId: clinic.userId }));
  }
  const pushes: Change[][] = [];
  for (let i = 0; i < changes.length; i += batch) pushes.push(changes.slice(i, i + batch));
  return pushes;
}

async function connect(url: string, desk: Desk): Promise<Socket> {
  const socket = ioClient(url, { transports: ['websocket'], reconnection: false, timeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const reply = (await socket
    .timeout(60_000)
    .emitWithAck('hello', { deviceId: desk.deviceId, clinicId: desk.clinicId, credential: desk.credential, protocol: PROTOCOL_VERSION, schemaVersion: 1, appVersion: '9.0.0', pullCursor: 0, lastAckedSeq: 0 })) as Welcome | Refusal;
  if (!reply.ok) throw new Error(`hello refused: ${reply.message}`);
  return socket;
}

/** Every desk pushes its pushes one after another, all desks at once; the acknowledgement times. */
async function pushAll(sockets: Socket[], desks: Desk[]): Promise<{ acks: number[]; firstAcks: number[]; wallS: number; rejected: number }> {
  const acks: number[] = [];
  // Each desk's first push: all 100 are sent at the same instant, so these set the tail.
  const firstAcks: number[] = [];
  const waves: [number, number, number][] = [];
  let rejected = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    desks.map(async (desk, i) => {
      for (const [n, changes] of desk.pushes.entries()) {
        const start = process.hrtime.bigint();
        const ack = (await sockets[i]!.timeout(120_000).emitWithAck('push', { changes })) as Ack;
        acks.push(Number(process.hrtime.bigint() - start) / 1e6);
        waves.push([n, Number(start - t0) / 1e6, acks.at(-1)!]);
        if (n === 0) firstAcks.push(acks.at(-1)!);
        if (!ack.ok) throw new Error(`push refused: ${ack.message}`);
        rejected += ack.results.filter((r) => r.status === 'rejected').length;
        if (rejected > 0 && rejected === ack.results.length) throw new Error(`every change rejected: ${ack.results[0]?.reason}`);
      }
    }),
  );
  // SYNC_BENCH_ACKS_FILE=<path>: every push as [its index in the desk's pushes, sent at (ms from the start), ack (ms)], to see where the tail is.
  if (process.env.SYNC_BENCH_ACKS_FILE) fs.writeFileSync(process.env.SYNC_BENCH_ACKS_FILE, JSON.stringify({ waves }));
  return { acks, firstAcks, wallS: Number(process.hrtime.bigint() - t0) / 1e9, rejected };
}

/**
 * PostgreSQL's own rate for the server's writes: the same pushes, the same concurrency (a pool of
 * 10 connections, as the server's), each push one transaction under its clinic's advisory lock with
 * the server's three multi-row INSERTs (server/push-batch.ts, server/unique-claims.ts), each
 * column keeping the stamp of the change that last set it, packed as the server packs them
 * (server/field-stamps.ts). Unlike the server it writes edited rows whole rather than as their
 * changed columns. Into clinic ids of its own, so nothing collides with what the server wrote.
 */
async function postgresRate(databaseUrl: string, desks: Desk[]): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  try {
    const merged = new Map<string, { data: Record<string, unknown>; stamps: Record<string, string> }>();
    const t0 = process.hrtime.bigint();
    let total = 0;
    await Promise.all(
      desks.map(async (desk) => {
        const clinicId = `ref-${desk.clinicId}`;
        for (const changes of desk.pushes) {
          total += changes.length;
          const rows = new Map<string, { t: string; r: string; d: Record<string, unknown>; f: Record<string, string>; h: string }>();
          const claims: { t: string; k: string; v: string; r: string }[] = [];
          for (const c of changes) {
            // Each column keeps the stamp of the change that last set it, as the server's merge does.
            const before = merged.get(c.rowId);
            const data = { ...before?.data, ...c.columns };
            const stamps = { ...before?.stamps, ...Object.fromEntries(Object.keys(c.columns).map((k) => [k, c.hlc])) };
            merged.set(c.rowId, { data, stamps });
            rows.set(c.rowId, { t: c.table, r: c.rowId, d: data, f: packStamps(data, stamps), h: c.hlc });
            if (c.op === 'insert') claims.push({ t: c.table, k: 'mrn', v: String(c.columns.mrn), r: c.rowId });
          }
          const records = changes.map((c) => ({ change_id: c.id, clinic_id: clinicId, device_id: desk.deviceId, table_name: c.table, row_id: c.rowId, status: 'applied', reason: null, hlc: c.hlc, restamped: false, warning: null, conflict: null }));
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [clinicId]);
            await client.query(
              `INSERT INTO rows (clinic_id, table_name, row_id, data, field_hlc, hlc, seq)
               SELECT $1, e->>'t', e->>'r', e->'d', e->'f', e->>'h', nextval('change_seq')
               FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n
               ON CONFLICT (clinic_id, table_name, row_id)
               DO UPDATE SET data = excluded.data, field_hlc = excluded.field_hlc, hlc = excluded.hlc, seq = excluded.seq`,
              [clinicId, JSON.stringify([...rows.values()])],
            );
            if (claims.length > 0) {
              await client.query(
                `INSERT INTO unique_claims (clinic_id, table_name, key_name, value, row_id)
                 SELECT $1, t, k, v, r FROM jsonb_to_recordset($2::jsonb) AS x(t text, k text, v text, r text)
                 ON CONFLICT (clinic_id, table_name, key_name, value) DO UPDATE SET row_id = excluded.row_id`,
                [clinicId, JSON.stringify(claims)],
              );
            }
            await client.query(
              `INSERT INTO applied_changes (change_id, clinic_id, device_id, table_name, row_id, status, reason, hlc, restamped, warning, conflict)
               SELECT change_id, clinic_id, device_id, table_name, row_id, status, reason, hlc, restamped, warning, conflict
               FROM jsonb_to_recordset($1::jsonb)
                 AS x(change_id text, clinic_id text, device_id text, table_name text, row_id text, status text, reason text, hlc text, restamped boolean, warning text, conflict jsonb)`,
              [JSON.stringify(records.map((r) => ({ ...r, change_id: `ref-${r.change_id}` })))],
            );
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }
      }),
    );
    return total / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    await pool.end();
  }
}

/**
 * CPU time (ms) of a PostgreSQL instance: its postmaster and every process it started (backends,
 * WAL writer, ...), from /proc; null where /proc is not there. Compared before and after a phase,
 * it says what the database itself cost per change, so the server's share can be told apart.
 */
function postgresCpuMs(dataDir: string): number | null {
  try {
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    let total = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const f = stat.split(') ')[1]!.split(' ');
      // After the command name: ppid is the 2nd field, utime and stime the 12th and 13th; the
      // postmaster's cutime and cstime (14th, 15th) hold the backends that have exited since (a
      // closed pool's), so a backend counts once, alive or gone.
      if (Number(entry) === postmaster) total += ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / 100;
      else if (Number(f[1]) === postmaster) total += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    }
    return total;
  } catch {
    return null;
  }
}

/** CPU per change of the database and of this process (the desks' side) over a phase, in µs. */
function phaseCpu(dataDir: string) {
  const pg0 = postgresCpuMs(dataDir);
  const own0 = process.cpuUsage();
  return (changes: number) => {
    const pg1 = postgresCpuMs(dataDir);
    const own = process.cpuUsage(own0);
    return {
      postgres_cpu_us_per_change: pg0 === null || pg1 === null ? undefined : round(((pg1 - pg0) * 1000) / changes, 0),
      client_cpu_us_per_change: round((own.user + own.system) / changes, 0),
    };
  };
}

/** The server process's resident memory once idle (a clinic created, nothing pushed), in MB. */
async function idleRss(root: string, name: string, extraEnv: Record<string, string>, log: (m: string) => void): Promise<number | null> {
  const server = await startServer(path.join(root, name), log, extraEnv);
  try {
    await admin(server.url, '/admin/clinics', { name: 'Idle clinic' });
    await new Promise((r) => setTimeout(r, 3_000));
    return rssMb(server.child.pid ?? 0);
  } finally {
    await server.stop();
  }
}

// Long by design: one scenario from the database's start to the last report line, with its cleanup.
export async function devices100({ report, log }: BenchContext): Promise<void> {
  const pgliteRss = await idleRss(fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-idle-')), 'pglite', {}, log);
  if (pgliteRss !== null) report({ name: 'sync.server.pglite_idle_rss_mb', value: round(pgliteRss, 0), unit: 'MB', measured: 'VmRSS of the server process on embedded PGlite, 3 s after start with one clinic' });
  const bins = findPostgres();
  if (!bins.ok) return log(`devices: skipped: ${bins.reason}`);
  const postgres = await startPostgres(bins);
  if (!postgres.ok) return log(`devices: skipped: ${postgres.reason}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-devices-'));
  const sockets: Socket[] = [];
  let server: { url: string; child: ChildProcess; stop(): Promise<void> } | undefined;
  try {
    const pgRss = await idleRss(root, 'idle-pg', { DATABASE_URL: postgres.url }, log);
    if (pgRss !== null) report({ name: 'sync.server.postgres_idle_rss_mb', value: round(pgRss, 0), unit: 'MB', measured: 'VmRSS of the server process on PostgreSQL, 3 s after start with one clinic' });
    const deviceCount = env('SYNC_BENCH_DEVICES', 100);
    const clinicCount = Math.min(deviceCount, env('SYNC_BENCH_CLINICS', 10));
    const perDevice = env('SYNC_BENCH_DEVICE_CHANGES', 300);
    const batch = env('SYNC_BENCH_DEVICE_BATCH', 50);
    server = await startServer(path.join(root, 'server'), log, { DATABASE_URL: postgres.url });
    const url = server.url;
    log(`devices: setting up ${clinicCount} clinics on ${url}`);
    const clinics: Clinic[] = [];
    for (let n = 0; n < clinicCount; n++) clinics.push(await setUpClinic(url, root, n));
    const desks: Desk[] = [];
    for (let i = 0; i < deviceCount; i++) {
      const clinic = clinics[i % clinicCount]!;
      const { code } = await admin<{ code: string }>(url, `/admin/clinics/${clinic.clinicId}/enrolment-codes`, { deviceName: `Desk ${i}` });
      const deviceId = uuidv7();
      const res = await post(`${url}/enrol`, {}, { code, deviceId });
      const enrolled = (await res.json()) as { ok: boolean; credential: string; seriesPrefix: string; message?: string };
      if (!enrolled.ok) throw new Error(`enrolment failed: ${enrolled.message}`);
      desks.push({ clinicId: clinic.clinicId, deviceId, credential: enrolled.credential, pushes: deskPushes(clinic, deviceId, enrolled.seriesPrefix, perDevice, batch) });
    }
    for (const desk of desks) sockets.push(await connect(url, desk));
    const total = desks.reduce((n, d) => n + d.pushes.reduce((m, p) => m + p.length, 0), 0);
    log(`devices: ${deviceCount} desks in ${clinicCount} clinics pushing ${total} signed changes (${perDevice} each, ${batch} per push) at once`);
    const pid = server.child.pid ?? 0;
    const cpu0 = cpuMs(pid);
    const serverPhase = phaseCpu(postgres.dataDir);
    const { acks, firstAcks, wallS, rejected } = await pushAll(sockets, desks);
    const cpu1 = cpuMs(pid);
    const serverSide = serverPhase(total);
    const rate = total / wallS;
    log(`devices: ${total} changes in ${wallS.toFixed(1)} s (${rejected} rejected); measuring PostgreSQL's own rate for the same writes`);
    const limitPhase = phaseCpu(postgres.dataDir);
    const limit = await postgresRate(postgres.url, desks);
    const limitSide = limitPhase(total);
    const shape = { devices: deviceCount, clinics: clinicCount, per_device: perDevice, batch, loadavg_1m: round(os.loadavg()[0]!) };
    report({ name: 'sync.server.devices100.ack_p50_ms', value: round(percentile(acks, 50)), unit: 'ms', n: acks.length, ...shape });
    report({ name: 'sync.server.devices100.ack_p99_ms', value: round(percentile(acks, 99)), unit: 'ms', n: acks.length, max_ms: round(Math.max(...acks)), first_push_p50_ms: round(percentile(firstAcks, 50)), first_push_max_ms: round(Math.max(...firstAcks)), ...shape, target: 1000 });
    report({ name: 'sync.server.devices100.changes_per_s', value: round(rate, 0), unit: 'changes/s', n: total, rejected, wall_s: round(wallS), ...shape });
    if (cpu0 && cpu1) {
      report({ name: 'sync.server.devices100.cpu_us_per_change', value: round(((cpu1.main - cpu0.main) * 1000) / total, 0), unit: 'µs', n: total, all_threads_us: round(((cpu1.all - cpu0.all) * 1000) / total, 0), main_system_us: round(((cpu1.mainSystem - cpu0.mainSystem) * 1000) / total, 0), ...serverSide, cores: os.cpus().length, measured: "server main thread's CPU time per change (main_system_us of it in the kernel: sockets); all_threads_us adds its signature workers; PostgreSQL's and the desks' (this process) CPU over the same phase" });
    }
    report({ name: 'sync.server.over_postgres_limit', value: round(rate / limit), unit: 'ratio', server_changes_per_s: round(rate, 0), postgres_changes_per_s: round(limit, 0), reference_postgres_cpu_us_per_change: limitSide.postgres_cpu_us_per_change, reference_client_cpu_us_per_change: limitSide.client_cpu_us_per_change, measured: "the server's rate over PostgreSQL's own for the same writes (same pushes, 10 connections, one transaction per push)", target: 0.8 });
  } finally {
    for (const s of sockets) s.disconnect();
    await server?.stop();
    postgres.stop();
    postgres.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
