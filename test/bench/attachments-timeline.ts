import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { makePdf } from '../helpers/attachment-files';
import { isPlainSqliteFile } from '../../db/open';
import { percentile, round, timed, type BenchContext } from './run';
import { BENCH_DB_KEY, createStaff, DOCTOR, RECEPTIONIST } from './seed';

/**
 * The doctor's timeline of a patient with 200 attachments (issue #19), through the real router on an
 * encrypted database: patients.timeline's p50/p95, and the bare SQL the attachment part needs (the
 * listing with who added each, and one grouped count of the chunks held) measured in the same run,
 * as a ratio. BENCH_ATTACHMENTS sets the number of files, BENCH_ROUNDS the calls measured.
 */

const DAY = Date.UTC(2026, 10, 23, 4, 30);

export async function bench({ report, log }: BenchContext): Promise<void> {
  const files = Number(process.env.BENCH_ATTACHMENTS ?? 200);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 60);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-att-'));
  let app: ClinicApp | undefined;
  try {
    const t0 = Date.now();
    app = createClinicApp({ dataDir: dir, key: BENCH_DB_KEY, backupScheduler: false, now: () => DAY + (Date.now() - t0) });
    const clinic = app;
    const call = <M extends MethodName>(method: M, input: Input<M>, token: string | null): Output<M> => {
      const r = clinic.router.call(method, input, token) as Result<Output<M>>;
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    createStaff(clinic);
    report({ name: 'bench.encrypted', value: isPlainSqliteFile(path.join(dir, 'clinic.db')) ? 0 : 1, unit: 'bool', bench: 'attachments-timeline' });
    const desk = call('auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password }, null).token;
    const doctor = call('auth.login', { username: DOCTOR.username, password: DOCTOR.password }, null);
    const registered = call('patients.register', { patient: { givenName: 'Ramesh', familyName: 'Kulkarni', gender: 'male', ageYears: 58, mobile: '9823012345' } }, desk);
    if (registered.status !== 'registered') throw new Error('the bench patient was taken for a duplicate');
    const patient = registered.patient;
    call('queue.checkIn', { patientId: patient.id, doctorId: doctor.user.id }, desk);
    log(`attaching ${files} files`);
    for (let i = 0; i < files; i++) {
      const date = new Date(DAY - i * 3 * 86_400_000).toISOString().slice(0, 10);
      call('attachments.add', { patientId: patient.id, kind: i % 3 ? 'lab_report' : 'imaging', title: `Report ${i + 1}`, documentDate: date, base64: makePdf(`REPORT ${i}`, 4000).toString('base64') }, desk);
    }

    const viaRouter: number[] = [];
    for (let i = 0; i < rounds + 5; i++) {
      const { ms, value } = timed(() => call('patients.timeline', { patientId: patient.id }, doctor.token));
      if (value.attachments.length !== files) throw new Error(`timeline listed ${value.attachments.length} attachments, not ${files}`);
      if (i >= 5) viaRouter.push(ms);
    }
    // The attachment part as bare SQL: what the timeline cannot do with less.
    const list = clinic.database.sqlite.prepare(
      `SELECT a.*, u.full_name FROM attachments a LEFT JOIN users u ON u.id = a.made_by
       WHERE a.patient_id = ? AND a.deleted_at IS NULL ORDER BY a.document_date DESC, a.made_at DESC LIMIT 500`,
    );
    const bare: number[] = [];
    for (let i = 0; i < rounds + 5; i++) {
      const { ms } = timed(() => {
        const rows = list.all(patient.id) as { sha256: string }[];
        const hashes = rows.map((r) => r.sha256);
        clinic.database.sqlite.prepare(`SELECT sha256, count(*) FROM attachment_blobs WHERE sha256 IN (${hashes.map(() => '?').join(',')}) GROUP BY sha256`).all(...hashes);
      });
      if (i >= 5) bare.push(ms);
    }
    const load = os.loadavg()[0]!;
    const extra = { attachments: files, load1: round(load) };
    report({ name: 'attachments_timeline.router.p50_ms', value: round(percentile(viaRouter, 50)), unit: 'ms', n: viaRouter.length, ...extra });
    report({ name: 'attachments_timeline.router.p95_ms', value: round(percentile(viaRouter, 95)), unit: 'ms', n: viaRouter.length, ...extra });
    report({ name: 'attachments_timeline.bare_sql.p50_ms', value: round(percentile(bare, 50), 3), unit: 'ms', n: bare.length, ...extra });
    report({ name: 'attachments_timeline.router_vs_bare_sql.p50_ratio', value: round(percentile(viaRouter, 50) / percentile(bare, 50), 1), unit: 'x', ...extra });
  } finally {
    app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
