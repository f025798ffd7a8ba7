import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN, expect, logIn, setUpClinic, startHost, test, type Host } from './fixtures';

const ADMIN_TOKEN = 'e2e-sync-admin-token';
const RITA = { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1' };

interface SyncServer {
  url: string;
  stop(): Promise<void>;
}

/** The real sync server (server/index.ts, embedded PGlite) on a data folder; the same port again after a restart. */
async function startSyncServer(dataDir: string, port = 0): Promise<SyncServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, SYNC_PORT: String(port), SYNC_HOST: '127.0.0.1', SERVER_DATA_DIR: dataDir, SERVER_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => reject(new Error(`sync server exited: ${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function admin<T>(server: SyncServer, route: string, body: unknown): Promise<T> {
  const res = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { ok: boolean; message?: string };
  if (!json.ok) throw new Error(`${route}: ${json.message}`);
  return json;
}

test('two workstations of one clinic: the second joins through the server, a patient registered at one desk is found at the other, and work done during an outage arrives when the server is back', async ({ page, host, browser }) => {
  test.setTimeout(120_000);
  const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-e2e-sync-'));
  let server = await startSyncServer(serverDir);
  const second = await startHost();
  const hostB: Host = second.host;
  try {
    const { clinicId } = await admin<{ clinicId: string }>(server, '/admin/clinics', { name: 'Sharma Clinic' });
    const codeA = (await admin<{ code: string }>(server, `/admin/clinics/${clinicId}/enrolment-codes`, { deviceName: 'Reception' })).code;
    const codeB = (await admin<{ code: string }>(server, `/admin/clinics/${clinicId}/enrolment-codes`, { deviceName: 'Front desk 2' })).code;

    // Workstation A: the clinic as it was before sync, with a receptionist.
    const token = await setUpClinic(host);
    expect((await host.api('staff.create', { username: RITA.username, fullName: RITA.fullName, password: RITA.password, roles: ['receptionist'] }, token)).ok).toBe(true);

    // A's administrator enrols it on the Sync screen.
    await page.goto(host.url);
    await logIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('link', { name: /Sync/ }).click();
    await page.getByLabel('Server address').fill(server.url);
    await page.getByLabel('Enrolment code').fill(codeA);
    await page.getByRole('button', { name: 'Enrol' }).click();
    await expect(page.getByTestId('sync-status')).toHaveText('Online', { timeout: 30_000 });

    // Workstation B joins the existing clinic on its first run, and its staff can log in there.
    const desk = await (await browser.newContext()).newPage();
    await desk.goto(hostB.url);
    await desk.getByText('Join an existing clinic').first().click();
    await desk.getByLabel('Sync server address').fill(server.url);
    await desk.getByLabel('Enrolment code').fill(codeB);
    await desk.getByRole('button', { name: 'Join clinic' }).click();
    await logIn(desk, RITA.username, RITA.password);
    await expect(desk.getByRole('heading', { name: 'Reception' })).toBeVisible();
    await expect(desk.getByTestId('sync-status')).toHaveText('Online', { timeout: 30_000 });

    // A's administrator sees both workstations on the Sync screen, A marked as this one.
    const workstations = page.getByTestId('workstations');
    await expect(workstations.getByRole('row')).toHaveCount(3, { timeout: 20_000 });
    await expect(workstations).toContainText('Front desk 2');
    await expect(workstations.getByRole('row', { name: /Reception/ })).toContainText('this workstation');
    await expect(workstations.getByRole('row', { name: /Front desk 2/ }).getByRole('button', { name: 'Remove…' })).toBeVisible();

    // A patient registered at A is found at B by the last digits of her mobile.
    const rita = (await host.api('auth.login', { username: RITA.username, password: RITA.password })).value.token as string;
    expect((await host.api('patients.register', { patient: { givenName: 'Meera', familyName: 'Joshi', gender: 'female', ageYears: 34, mobile: '9822077123' } }, rita)).ok).toBe(true);
    const finderB = desk.getByLabel('Find patient');
    await expect(async () => {
      await finderB.fill('');
      await finderB.fill('7123');
      await expect(desk.getByRole('listbox', { name: 'Search results' })).toContainText('Meera Joshi', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });

    // The server goes away. B keeps working: a walk-in is registered, and the header says it waits.
    await server.stop();
    await expect(desk.getByTestId('sync-status')).toHaveText(/^(Offline|Connecting…)/, { timeout: 30_000 });
    const ritaB = (await hostB.api('auth.login', { username: RITA.username, password: RITA.password })).value.token as string;
    const walkIn = await hostB.api('patients.register', { patient: { givenName: 'Farhan', familyName: 'Qureshi', gender: 'male', ageYears: 51, mobile: '9822066456' } }, ritaB);
    expect(walkIn.ok).toBe(true);
    await expect(desk.getByTestId('sync-status')).toHaveText(/^(Offline|Connecting…) · \d+ to send$/, { timeout: 15_000 });

    // The server is back on the same address: B sends what waited, and A finds the walk-in.
    server = await startSyncServer(serverDir, Number(new URL(server.url).port));
    await expect(desk.getByTestId('sync-status')).toHaveText('Online', { timeout: 90_000 });
    await page.getByRole('link', { name: /Reception/ }).click();
    const finderA = page.getByLabel('Find patient');
    await expect(async () => {
      await finderA.fill('');
      await finderA.fill('Farhan');
      await expect(page.getByRole('listbox', { name: 'Search results' })).toContainText('Farhan Qureshi', { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  } finally {
    await server.stop();
    second.child.kill('SIGTERM');
    fs.rmSync(hostB.dataDir, { recursive: true, force: true });
    fs.rmSync(serverDir, { recursive: true, force: true });
  }
});
