import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AbdmSim } from '../helpers/abdm-sim';
import { expect, setUpClinic, type Host } from './fixtures';

/**
 * What the ABDM browser specs share (abdm.spec.ts, abha-create.spec.ts): the real sync server
 * (server/index.ts, PGlite) started with its ABDM settings pointing at the gateway simulator, and
 * a clinic on the browser host enrolled with it.
 */
const ADMIN_TOKEN = 'e2e-abdm-admin-token';
export const CLIENT_ID = 'SBX_0000412';
export const CLIENT_SECRET = 'c1ient-s3cret-e2e';
export const HIP_ID = 'IN2710001234';
export const MEERA = { username: 'meera', fullName: 'Dr Meera Rao', password: 'meera-pass-1' };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The real sync server with the ABDM bridge configured against the simulator. */
export async function startServer(sim: AbdmSim): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-e2e-abdm-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: {
      ...process.env,
      SYNC_PORT: String(port),
      SYNC_HOST: '127.0.0.1',
      SERVER_DATA_DIR: dataDir,
      SERVER_ADMIN_TOKEN: ADMIN_TOKEN,
      ABDM_CLIENT_ID: CLIENT_ID,
      ABDM_CLIENT_SECRET: CLIENT_SECRET,
      ABDM_HIP_ID: HIP_ID,
      ABDM_PUBLIC_BASE_URL: `${base}/abdm`,
      ABDM_GATEWAY_URL: sim.url,
      ABDM_ABHA_URL: sim.url,
      ABDM_CM_ID: 'sbx',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/listening on http/.test(out)) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => reject(new Error(`sync server exited: ${out}`)));
  });
  sim.knobs.callbackBaseUrl = `${base}/abdm`;
  return {
    url: base,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function admin<T>(url: string, route: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as T & { ok: boolean; message?: string };
  if (!json.ok) throw new Error(`${route}: ${json.message}`);
  return json;
}

/** A clinic with a doctor, enrolled with the server; the admin's token. */
export async function joinedClinic(host: Host, serverUrl: string): Promise<{ token: string; doctorId: string }> {
  const { clinicId } = await admin<{ clinicId: string }>(serverUrl, '/admin/clinics', { name: 'Sharma Clinic' });
  const { code } = await admin<{ code: string }>(serverUrl, `/admin/clinics/${clinicId}/enrolment-codes`, { deviceName: 'Reception' });
  const token = await setUpClinic(host);
  const doctor = await host.api('staff.create', { ...MEERA, roles: ['doctor'] }, token);
  expect(doctor.ok).toBe(true);
  const doctorId = doctor.value.id as string;
  const schedule = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '23:45', slotMinutes: 15, maxPerSlot: 1, mode: 'in-person' }));
  expect((await host.api('doctors.upsert', { userId: doctorId, specialization: 'General Medicine', qualifications: 'MBBS', registrationCouncil: 'Maharashtra Medical Council', registrationNumber: 'MMC-2011-04567', consultationFeePaise: 50_000, followUpFeePaise: 20_000, followUpWindowDays: 7, schedule }, token)).ok).toBe(true);
  expect((await host.api('sync.enrol', { serverUrl, code }, token)).ok).toBe(true);
  await expect(async () => expect((await host.api('sync.status', {}, token)).value.state).toBe('online')).toPass({ timeout: 30_000 });
  return { token, doctorId };
}

/** Pulls now until `check` holds (server-authored rows arrive with the next pull). */
export async function pulledUntil(host: Host, token: string, check: () => Promise<void>) {
  await expect(async () => {
    await host.api('sync.now', {}, token);
    await check();
  }).toPass({ timeout: 30_000, intervals: [500, 1_000, 2_000] });
}

