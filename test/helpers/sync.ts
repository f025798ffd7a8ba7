import { afterEach } from 'vitest';
import { createSyncServer } from '../../server/app';
import { openServerDb } from '../../server/db/open';
import { makeClinic, type TestClinic } from './app';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export const ADMIN_TOKEN = 'test-admin-token';

/** A real sync server on loopback, with an in-memory PGlite database. */
export async function startSyncServer(options: { afterCommit?: (deviceId: string) => void } = {}) {
  const database = await openServerDb({});
  const server = createSyncServer({ database, adminToken: ADMIN_TOKEN, ...options });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await server.close();
    await database.close();
  };
  cleanups.push(stop);
  const admin = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; clinicId?: string; code?: string; message?: string };
  };
  return {
    url,
    server,
    store: server.store,
    async createClinic(name = 'Sharma Clinic') {
      return (await admin('/admin/clinics', { name })).clinicId!;
    },
    async enrolmentCode(clinicId: string, deviceName = 'Desk') {
      return (await admin(`/admin/clinics/${clinicId}/enrolment-codes`, { deviceName })).code!;
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

/** A device process-equivalent: a clinic app with the real wall clock (sync needs real time). */
export function makeDevice(options: { setup?: boolean; skewMs?: number; dataDir?: string } = {}): TestClinic {
  return makeClinic({ setup: options.setup ?? false, realTime: true, syncChecksumEveryMs: 0, ...(options.skewMs !== undefined ? { skewMs: options.skewMs } : {}), ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
}
