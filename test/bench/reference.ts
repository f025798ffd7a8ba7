import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../electron/api/contract';
import { resourcePath } from '../../electron/resources';
import { loadLgdIfEmpty, type ShippedList } from '../../electron/services/shipped-lists';
import { round, type BenchContext } from './run';
import { ADMIN } from './seed';

/**
 * The reference lists shipped with the app, loaded the way a new clinic gets them:
 *   - reference.first_open_ms: opening a new database (migrations, then the LGD directory);
 *   - reference.lgd_on_open_ms: the LGD directory's part of that, which the window waits for once;
 *   - reference.load_shipped.<list>_s: reference.loadShipped for one list, a background job,
 *     from the call to the job's end, on a fresh clinic each, with the database growth.
 */

function openClinic(dir: string): { app: ClinicApp; ms: number } {
  const started = process.hrtime.bigint();
  const app = createClinicApp({ dataDir: dir, key: null, backupScheduler: false });
  return { app, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function ok<M extends MethodName>(app: ClinicApp, method: M, input: Input<M>, token: string | null): Output<M> {
  const r = app.router.call(method, input, token) as Result<Output<M>>;
  if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
  return r.value;
}

const dbBytes = (app: ClinicApp) => {
  app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return fs.statSync(app.dbFile).size;
};

export async function bench({ report, log }: BenchContext): Promise<void> {
  const lists: ShippedList[] = ['lgd', 'icd10', 'pincodes'];
  for (const list of lists) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-reference-'));
    const { app, ms } = openClinic(dir);
    try {
      if (list === 'lgd') {
        report({ name: 'reference.first_open_ms', value: round(ms), unit: 'ms' });
        app.database.sqlite.exec('DELETE FROM lgd_subdistricts; DELETE FROM lgd_districts');
        const started = process.hrtime.bigint();
        const lgd = loadLgdIfEmpty(app.database.sqlite, resourcePath('reference'));
        if (!lgd.loaded) throw new Error(`the LGD directory was not loaded: ${lgd.reason}`);
        report({ name: 'reference.lgd_on_open_ms', value: round(Number(process.hrtime.bigint() - started) / 1e6), unit: 'ms', n: lgd.districts + lgd.subdistricts });
      }
      ok(app, 'setup.initialize', { facility: { name: 'Bench Clinic', address: '1 MG Road, Pune 411001', phone: '020 2612 3456' }, admin: ADMIN }, null);
      const admin = ok(app, 'auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
      const before = dbBytes(app);
      log(`loading the shipped ${list}`);
      const started = process.hrtime.bigint();
      const job = ok(app, 'reference.loadShipped', { lists: [list] }, admin);
      const finished = await app.jobs.wait(job.id);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (finished.status !== 'done') throw new Error(`loading ${list} failed: ${finished.message}`);
      report({ name: `reference.load_shipped.${list}_s`, value: round(seconds), unit: 's', dbGrowthMb: round((dbBytes(app) - before) / 1024 / 1024, 1) });
    } finally {
      app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
