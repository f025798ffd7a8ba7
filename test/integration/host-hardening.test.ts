import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { users } from '../../db/schema';
import { createHttpTransport } from '../../electron/transports/http';
import { ADMIN, FACILITY, makeClinic } from '../helpers/app';

// Attacks on the browser host from the same computer: requests a page or program could send.

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(opts: { setup?: boolean } = {}) {
  const clinic = makeClinic(opts);
  const server = createHttpTransport({ app: clinic.app, rendererDir: null });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { clinic, port, base: `http://127.0.0.1:${port}` };
}

interface Raw {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

/** A request exactly as written (fetch would tidy headers and paths that an attacker need not). */
function raw(port: number, r: Raw): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method ?? 'POST', path: r.path, headers: r.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

const json = { 'Content-Type': 'application/json' };

async function stillUp(port: number) {
  const r = await raw(port, { path: '/api/setup.status', headers: json });
  expect(r.status).toBe(200);
}

describe('no request stops the host', () => {
  it('answers 4xx to odd Origin values and malformed escapes, and keeps serving', async () => {
    const { port } = await serve();
    for (const origin of ['null', 'http://[', '::::', 'file://', '%']) {
      const r = await raw(port, { path: '/api/setup.status', headers: { ...json, Origin: origin } });
      expect(r.status, origin).toBe(403);
    }
    for (const method of ['POST', 'GET']) {
      const r = await raw(port, { method, path: '/api/%E0%A4%A', headers: json });
      expect(r.status, method).toBeGreaterThanOrEqual(400);
      expect(r.status, method).toBeLessThan(500);
    }
    const events = await raw(port, { method: 'GET', path: '/api/events?token=%ZZ', headers: {} });
    expect(events.status).toBe(401);
    await stillUp(port);
  });

  it('answers 413 (not a reset connection) to a body over 1 MB, declared or streamed', async () => {
    const { port, base } = await serve();
    const big = JSON.stringify({ username: 'x'.repeat(1_100_000), password: 'y' });
    const declared = await fetch(`${base}/api/auth.login`, { method: 'POST', headers: json, body: big });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { message: string } }).error.message).toContain('1 MB');
    // Chunked: no length up front, so the limit is found while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/auth.login', headers: { ...json, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 12; i++) req.write(Buffer.alloc(100_000, 0x20));
      req.end();
    });
    expect(streamed).toBe(413);
    await stillUp(port);
  });
});

describe('only the app’s own pages may call it', () => {
  it('refuses another local page (other port or other site), even for public methods, and changes nothing', async () => {
    const { clinic, port } = await serve({ setup: false });
    const body = JSON.stringify({ facility: FACILITY, admin: { ...ADMIN, username: 'mallory' } });
    for (const origin of [`http://127.0.0.1:${port + 1}`, 'http://localhost:8080', 'https://evil.example']) {
      const r = await raw(port, { path: '/api/setup.initialize', headers: { ...json, Origin: origin }, body });
      expect(r.status, origin).toBe(403);
    }
    const crossSite = await raw(port, { path: '/api/setup.initialize', headers: { ...json, 'Sec-Fetch-Site': 'cross-site' }, body });
    expect(crossSite.status).toBe(403);
    expect(clinic.app.database.db.select().from(users).all()).toHaveLength(0);
  });

  it('refuses a text/plain form post (what an HTML form on another page can send without asking)', async () => {
    const { clinic, port } = await serve({ setup: false });
    const body = JSON.stringify({ facility: FACILITY, admin: { ...ADMIN, username: 'mallory' } });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await raw(port, { path: '/api/setup.initialize', headers: { 'Content-Type': type }, body });
      expect(r.status, type).toBe(415);
    }
    const none = await raw(port, { path: '/api/setup.initialize', body });
    expect(none.status).toBe(415);
    expect(clinic.app.database.db.select().from(users).all()).toHaveLength(0);
  });

  it('accepts the app’s own origin, on 127.0.0.1 or localhost', async () => {
    const { port } = await serve({ setup: false });
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const r = await raw(port, { path: '/api/setup.status', headers: { ...json, Host: host, Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' } });
      expect(r.status, host).toBe(200);
    }
  });
});
