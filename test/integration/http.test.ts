import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { createHttpTransport } from '../../electron/transports/http';
import { ADMIN, FACILITY, makeClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

/** A reply's JSON as it came over HTTP; each test reads the fields it expects and expect() checks them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: typing each reply would restate the assertions
type Reply = { ok: boolean; value?: any; error?: any };

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(opts: { setup?: boolean } = {}) {
  const clinic = makeClinic(opts);
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Clinic</title>');
  const server = createHttpTransport({ app: clinic.app, rendererDir });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (method: string, body?: unknown, token?: string) => {
    const res = await fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? '' : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Reply };
  };
  /** Asks for an event-stream ticket, as the renderer does before opening the stream. */
  const ticket = async (token?: string) => {
    const res = await fetch(`${base}/api/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: '{}',
    });
    return { status: res.status, body: (await res.json()) as Reply };
  };
  return { clinic, base, post, ticket };
}

describe('browser host over HTTP', () => {
  it('sets up, logs in and answers auth.me with a bearer token', async () => {
    const { post } = await serve({ setup: false });
    expect((await post('setup.initialize', { facility: FACILITY, admin: ADMIN })).status).toBe(200);
    const login = await post('auth.login', { username: ADMIN.username, password: ADMIN.password });
    expect(login.status).toBe(200);
    const me = await post('auth.me', undefined, login.body.value.token);
    expect(me).toMatchObject({ status: 200, body: { ok: true, value: { user: { username: 'admin' }, facilityName: FACILITY.name } } });
  });

  it('answers 400 naming the field, 401 without a session, 403 without the permission, each audited', async () => {
    const { clinic, post } = await serve();
    const admin = (await post('auth.login', { username: 'admin', password: ADMIN.password })).body.value.token;

    const bad = await post('staff.create', { username: 'rita', fullName: 'Rita', password: 'password-1', roles: ['nurse'] }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(Object.keys(bad.body.error.fields)).toEqual(['roles.0']);
    expect(bad.body.error.message).toContain('roles.0');

    const noToken = await post('staff.list', {});
    expect(noToken.status).toBe(401);
    const badToken = await post('staff.list', {}, 'not-a-session');
    expect(badToken.status).toBe(401);

    await post('staff.create', { username: 'rita', fullName: 'Rita', password: 'password-1', roles: ['receptionist'] }, admin);
    const rita = (await post('auth.login', { username: 'rita', password: 'password-1' })).body.value.token;
    const forbidden = await post('staff.create', { username: 'x', fullName: 'X', password: 'password-1', roles: ['admin'] }, rita);
    expect(forbidden.status).toBe(403);

    const wrong = await post('auth.login', { username: 'rita', password: 'nope' });
    expect(wrong.status).toBe(401);

    const rows = clinic.app.database.db.select().from(auditLog).all();
    const outcomes = rows.map((r) => `${r.action}:${r.outcome}:${r.username ?? '-'}`);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        'staff.create:invalid:admin',
        'staff.list:unauthenticated:-',
        'staff.create:forbidden:rita',
        'auth.login:failed:rita',
      ]),
    );
  });

  it('answers an unknown method with 404 and a body that is not JSON with 400', async () => {
    const { base, post } = await serve();
    expect((await post('nope.nothing', {})).status).toBe(404);
    const res = await fetch(`${base}/api/auth.login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{oops' });
    expect(res.status).toBe(400);
  });

  it('streams changed events to a logged-in listener', async () => {
    const { base, post, ticket } = await serve();
    const admin = (await post('auth.login', { username: 'admin', password: ADMIN.password })).body.value.token;
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events?ticket=${(await ticket(admin)).body.value.ticket}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    await post('staff.create', { username: 'rita', fullName: 'Rita', password: 'password-1', roles: ['receptionist'] }, admin);
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('event: changed\ndata: {"tables":["users"]}');
    controller.abort();
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });

  it('opens the stream with a one-time ticket, never with the session token in the address', async () => {
    const { base, post, ticket: ask } = await serve();
    const admin = (await post('auth.login', { username: 'admin', password: ADMIN.password })).body.value.token;
    // A session token in an address ends up in logs and histories: it opens nothing.
    expect((await fetch(`${base}/api/events?token=${admin}`)).status).toBe(401);
    // No session, no ticket.
    expect((await ask()).status).toBe(401);
    const { ticket } = (await ask(admin)).body.value;
    expect(ticket).not.toContain(admin);
    const controller = new AbortController();
    expect((await fetch(`${base}/api/events?ticket=${ticket}`, { signal: controller.signal })).status).toBe(200);
    controller.abort();
    // Used once, it is spent.
    expect((await fetch(`${base}/api/events?ticket=${ticket}`)).status).toBe(401);
  });

  it('serves the app with a strict content security policy and refuses foreign hosts', async () => {
    const { base } = await serve();
    const page = await fetch(`${base}/staff`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>Clinic</title>');
    expect((await fetch(`${base}/../../etc/passwd.js`)).status).toBe(404);
    // fetch will not forge a Host header; a DNS-rebinding page's request would carry one like this.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(`${base}/api/setup.status`, { method: 'POST', headers: { Host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe('npm run serve (the host process)', () => {
  function runHost(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const listening = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(out)));
    });
    listening.catch(() => undefined); // only some tests wait for it

    return { child, exited, listening, output: () => out };
  }

  it('exits with a clear message when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const host = runHost({ CLINIC_DATA_DIR: tempDir(), CLINIC_PORT: String(port) });
      expect(await host.exited).toBe(1);
      expect(host.output()).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits with a clear message when the data directory cannot be written', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    const host = runHost({ CLINIC_DATA_DIR: path.join(file, 'data'), CLINIC_PORT: '0' });
    expect(await host.exited).toBe(1);
    expect(host.output()).toMatch(/cannot write to the data directory .*a-file\/data/);
  });

  it('starts on a free port and serves setup.status', async () => {
    const host = runHost({ CLINIC_DATA_DIR: tempDir(), CLINIC_PORT: '0' });
    try {
      const url = await host.listening;
      const res = await fetch(`${url}/api/setup.status`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
      expect(await res.json()).toEqual({ ok: true, value: { initialized: false, facilityName: null, joining: null } });
    } finally {
      host.child.kill('SIGTERM');
      await host.exited;
    }
  });
});
