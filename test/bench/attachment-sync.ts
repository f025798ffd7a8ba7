import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import { makePdf } from '../helpers/attachment-files';
import { round, type BenchContext } from './run';
import { ADMIN, newPatientInputs, SEED } from './seed';
import { admin, startServer } from './sync';

/**
 * Attachment bytes through a real sync server (child process, PGlite) over loopback
 * (docs/ATTACHMENTS.md): desk A attaches a PDF of ATTACH_BENCH_MB (default 20) megabytes; measured
 * are A's upload (from the add until the server holds the whole file, as A's transfer sees it) and
 * B's download (from B pulling the record until its read succeeds), in MB/s; and, to show the
 * bytes do not hold back ordinary sync, how long a patient registered on A while the upload runs
 * takes to reach B, and the event-loop delay (p99) of the process holding both desks.
 */

interface Device {
  app: ClinicApp;
  call<M extends MethodName>(method: M, input: Input<M>, token: string | null): Output<M>;
}

function makeDevice(dataDir: string): Device {
  const app = createClinicApp({ dataDir, key: null, backupScheduler: false, now: () => Date.now() });
  return {
    app,
    call(method, input, token) {
      const r = app.router.call(method, input, token) as Result<Output<typeof method>>;
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    },
  };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function enrol(d: Device, url: string, code: string, token: string | null) {
  const job = token ? d.call('sync.enrol', { serverUrl: url, code }, token) : d.call('setup.join', { serverUrl: url, code }, null);
  const done = await d.app.jobs.wait(job.id);
  if (done.status !== 'done') throw new Error(`enrolment failed: ${done.message}`);
  await waitFor(() => d.app.sync.getStatus().state === 'online', 'online', 30_000);
}

/** Pieces of 64 KiB, as the dialog sends them. */
function fileInput(d: Device, token: string, file: Buffer): { uploadId: string } {
  let uploadId: string | null = null;
  for (let at = 0; at < file.length; at += 64 * 1024) uploadId = d.call('attachments.stage', { uploadId, base64: file.subarray(at, at + 64 * 1024).toString('base64') }, token).uploadId;
  return { uploadId: uploadId! };
}

// Long by design: one scenario in order (server, two desks, upload with a registration during it, download), each step measured where it happens.
export async function bench({ report, log }: BenchContext): Promise<void> {
  const mb = Number(process.env.ATTACH_BENCH_MB ?? 20);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-attach-'));
  const devices: Device[] = [];
  const server = await startServer(path.join(root, 'server'), log);
  try {
    const url = server.url;
    const { clinicId } = await admin<{ clinicId: string }>(url, '/admin/clinics', { name: 'Sanjeevani Clinic' });
    const code = async (name: string) => (await admin<{ code: string }>(url, `/admin/clinics/${clinicId}/enrolment-codes`, { deviceName: name })).code;
    const a = makeDevice(path.join(root, 'a'));
    devices.push(a);
    a.call('setup.initialize', { facility: { name: 'Sanjeevani Clinic', address: '14 Station Road, Pune 411001', phone: '020 2612 3456' }, admin: ADMIN }, null);
    const token = a.call('auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
    await enrol(a, url, await code('Front desk'), token);
    const [first, second] = newPatientInputs(2, SEED + 1900);
    const reg = a.call('patients.register', { patient: first!, acknowledgeDuplicates: [] }, token);
    if (reg.status !== 'registered') throw new Error('not registered');
    await a.app.sync.syncNow();
    const b = makeDevice(path.join(root, 'b'));
    devices.push(b);
    await enrol(b, url, await code('Doctor room'), null);
    await b.app.sync.syncNow();
    const tokenB = b.call('auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;

    const pdf = makePdf('BENCH', mb * 1024 * 1024 - 1000);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const start = performance.now();
    const added = a.call('attachments.add', { patientId: reg.patient.id, kind: 'imaging', title: 'CT scan', documentDate: '2026-11-20', ...fileInput(a, token, pdf) }, token);
    const addMs = performance.now() - start;
    // While the upload runs: a registration on A, timed until B holds it.
    await waitFor(() => a.app.attachments.counts.chunksSent >= 5, 'the upload to be under way');
    const regStart = performance.now();
    const other = a.call('patients.register', { patient: second!, acknowledgeDuplicates: [] }, token);
    if (other.status !== 'registered') throw new Error('not registered');
    const otherId = other.patient.id;
    const onB = () => b.app.database.sqlite.prepare('SELECT 1 FROM patients WHERE id = ?').get(otherId) !== undefined;
    await waitFor(onB, 'the registration to reach B');
    const regMs = performance.now() - regStart;
    const sentDuring = a.app.attachments.counts.chunksSent;
    const chunks = Math.ceil(pdf.length / (256 * 1024));
    await waitFor(() => a.app.database.sqlite.prepare('SELECT 1 FROM attachment_on_server WHERE sha256 = (SELECT sha256 FROM attachments WHERE id = ?)').get(added.id) !== undefined, 'the upload');
    const upMs = performance.now() - start - addMs;
    const downStart = performance.now();
    await b.app.sync.syncNow();
    b.app.attachments.kick();
    await waitFor(() => b.app.router.call('attachments.read', { id: added.id }, tokenB).ok, 'B to fetch the file');
    const downMs = performance.now() - downStart;
    loop.disable();
    const bytes = pdf.length / 1024 / 1024;
    report({ name: 'attachments.add.ms', value: round(addMs), unit: 'ms', n: 1, mb });
    report({ name: 'attachments.upload.mb_per_s', value: round(bytes / (upMs / 1000)), unit: 'MB/s', n: chunks, mb });
    report({ name: 'attachments.download.mb_per_s', value: round(bytes / (downMs / 1000)), unit: 'MB/s', n: chunks, mb });
    report({ name: 'attachments.registration_during_upload.ms', value: round(regMs), unit: 'ms', n: 1, chunksSentBeforeItArrived: sentDuring, chunks });
    report({ name: 'attachments.event_loop_p99.ms', value: round(loop.percentile(99) / 1e6), unit: 'ms' });
  } finally {
    for (const d of devices) d.app.close();
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
