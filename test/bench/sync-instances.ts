import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import { createSyncServer } from '../../server/app';
import { openServerDb } from '../../server/db/open';
import type { Result } from '../../shared/api';
import { findPostgres, startPostgres } from '../helpers/postgres';
import { percentile, round, type BenchContext } from './run';
import { ADMIN } from './seed';

/**
 * Two sync server instances on one real PostgreSQL (started here), one desk on each: how long an
 * update made at the desk on instance one takes to reach the idle desk on instance two, which
 * hears of it only through the instances' LISTEN/NOTIFY (its periodic pull is set to an hour).
 * Prints sync.cross_instance.propagation_p95_ms (target 1,000). SYNC_BENCH_SAMPLES (default 100).
 */

const ADMIN_TOKEN = 'bench-admin-token';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

export async function bench({ report, log }: BenchContext): Promise<void> {
  const bins = findPostgres();
  if (!bins.ok) {
    log(`sync-instances: skipped: ${bins.reason}`);
    return;
  }
  const pg = await startPostgres(bins);
  if (!pg.ok) {
    log(`sync-instances: skipped: ${pg.reason}`);
    return;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-instances-'));
  const servers: ReturnType<typeof createSyncServer>[] = [];
  const databases: Awaited<ReturnType<typeof openServerDb>>[] = [];
  const apps: ClinicApp[] = [];
  try {
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const database = await openServerDb({ databaseUrl: pg.url });
      databases.push(database);
      const server = createSyncServer({ database, adminToken: ADMIN_TOKEN });
      servers.push(server);
      urls.push(`http://127.0.0.1:${await server.listen(0)}`);
    }
    const adminCall = async <T>(p: string, body: unknown): Promise<T> => {
      const res = await fetch(`${urls[0]}${p}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()) as T;
    };
    const { clinicId } = await adminCall<{ clinicId: string }>('/admin/clinics', { name: 'Sanjeevani Clinic' });
    const desk = (name: string) => {
      const app = createClinicApp({ dataDir: path.join(root, name), key: null, backupScheduler: false, syncPullEveryMs: 3600_000 });
      apps.push(app);
      return app;
    };
    const enrol = async (app: ClinicApp, url: string, token: string | null) => {
      const { code } = await adminCall<{ code: string }>(`/admin/clinics/${clinicId}/enrolment-codes`, { deviceName: 'Desk' });
      const job = ok<{ id: string }>(app.router.call(token ? 'sync.enrol' : 'setup.join', { serverUrl: url, code }, token));
      await app.jobs.wait(job.id);
      await waitFor(() => app.sync.getStatus().state === 'online', 'the desk to come online', 30_000);
      await app.sync.syncNow();
    };
    const a = desk('a');
    ok(a.router.call('setup.initialize', { facility: { name: 'Sanjeevani Clinic', address: '14 Station Road, Pune 411001', phone: '020 2612 3456' }, admin: ADMIN }, null));
    const token = ok<{ token: string }>(a.router.call('auth.login', { username: ADMIN.username, password: ADMIN.password }, null)).token;
    await enrol(a, urls[0]!, token);
    const reg = ok<{ patient: { id: string } }>(a.router.call('patients.register', { patient: { givenName: 'Probe', gender: 'female', ageYears: 40 } }, token));
    const b = desk('b');
    await enrol(b, urls[1]!, null);
    await waitFor(() => b.sync.getStatus().pending === 0, 'B to settle', 30_000);

    const samples = Number(process.env.SYNC_BENCH_SAMPLES ?? 100);
    log(`sync-instances: ${samples} updates at the desk on instance one, each awaited at the desk on instance two`);
    const read = b.database.sqlite.prepare('SELECT address_line1 FROM patients WHERE id = ?').pluck();
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const value = `${i + 1}, Instance Road`;
      const start = process.hrtime.bigint();
      ok(a.router.call('patients.update', { id: reg.patient.id, patch: { addressLine1: value } }, token));
      await waitFor(() => read.get(reg.patient.id) === value, `sample ${i + 1} on B`, 10_000);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      await sleep(20 + ((i * 37) % 60));
    }
    report({ name: 'sync.cross_instance.propagation_p50_ms', value: round(percentile(latencies, 50)), unit: 'ms', n: latencies.length });
    report({ name: 'sync.cross_instance.propagation_p95_ms', value: round(percentile(latencies, 95)), unit: 'ms', n: latencies.length, max_ms: round(Math.max(...latencies)), target: 1000 });
  } finally {
    for (const app of apps) app.close();
    for (const s of servers) await s.close();
    for (const d of databases) await d.close();
    pg.stop();
    pg.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
