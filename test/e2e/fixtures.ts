import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A reply's JSON as it came over HTTP; each test reads the fields it expects and expect() checks them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: typing each reply would restate the assertions
type Reply = { ok: boolean; value?: any; error?: any };

export interface Host {
  url: string;
  dataDir: string;
  /** Calls the API directly, as a quick way to arrange a scenario. */
  api: (method: string, input?: unknown, token?: string) => Promise<Reply>;
}

export const ADMIN = { username: 'admin', fullName: 'Asha Sharma', password: 'correct horse battery' };
export const FACILITY = { name: 'Sharma Clinic', address: '12 MG Road, Pune 411001', phone: '020 2555 1234' };

/** A browser host on its own data directory (the `host` fixture is one; a test may start more). */
export async function startHost(): Promise<{ host: Host; child: ChildProcess }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-e2e-'));
  // Each host makes its own key file, as a new installation does; a key in the developer's shell
  // would give every host the same one (and hide a backup that needs another computer's key).
  const { CLINIC_DB_KEY: _shellKey, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host.ts'], {
    // The waiting-room display, when a test turns it on, stays on loopback like the host.
    env: { ...env, CLINIC_DATA_DIR: dataDir, CLINIC_PORT: '0', CLINIC_DISPLAY_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', () => reject(new Error(`host exited: ${out}`)));
  });
  const api: Host['api'] = async (method, input, token) => {
    const res = await fetch(`${url}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: input === undefined ? '' : JSON.stringify(input),
    });
    return (await res.json()) as Reply;
  };
  return { host: { url, dataDir, api }, child };
}

export const test = base.extend<{ host: Host }>({
  host: async ({}, use) => {
    const { host, child } = await startHost();
    await use(host);
    child.kill('SIGTERM');
    fs.rmSync(host.dataDir, { recursive: true, force: true });
  },
});

export { expect };

/** A clinic that is already set up, with an admin token for arranging data. */
export async function setUpClinic(host: Host): Promise<string> {
  const setup = await host.api('setup.initialize', { facility: FACILITY, admin: ADMIN });
  expect(setup.ok).toBe(true);
  const login = await host.api('auth.login', { username: ADMIN.username, password: ADMIN.password });
  return login.value.token as string;
}

export async function logIn(page: Page, username: string, password: string) {
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await expect(page.getByLabel('Username')).toHaveValue(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).press('Enter');
}
