import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startSyncServer } from '../helpers/sync';

// Guessing enrolment codes (or the server's administrator token) against a real server.

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { ok: boolean; code?: string; message?: string; expiresAt?: number } };
}

describe('enrolment codes', () => {
  it('allows a few wrong codes a minute from one address, then refuses even a right one until the minute is over', async () => {
    const clock = { now: Date.UTC(2026, 11, 6, 9, 0) };
    const server = await startSyncServer({ now: () => clock.now });
    const clinicId = await server.createClinic();
    const code = await server.enrolmentCode(clinicId, 'Reception');
    for (let i = 0; i < 5; i++) {
      const wrong = await post(server.url, '/enrol', { code: `WRONG${i}XX`, deviceId: `guess-${i}` });
      expect(wrong.status, `try ${i + 1}`).toBe(403);
    }
    const blocked = await post(server.url, '/enrol', { code, deviceId: 'desk-a' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/Too many wrong codes\. Wait \d+ seconds/);
    // The code was not spent by the refused try; after the minute it enrols.
    clock.now += 61_000;
    expect((await post(server.url, '/enrol', { code, deviceId: 'desk-a' })).status).toBe(200);
  });

  it('counts wrong administrator tokens the same way, and compares them without timing hints', async () => {
    const clock = { now: Date.UTC(2026, 11, 6, 9, 0) };
    const server = await startSyncServer({ now: () => clock.now });
    for (let i = 0; i < 5; i++) {
      expect((await post(server.url, '/admin/clinics', { name: 'X' }, { Authorization: `Bearer guess-${i}` })).status).toBe(401);
    }
    expect((await post(server.url, '/admin/clinics', { name: 'X' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(429);
    clock.now += 61_000;
    expect((await post(server.url, '/admin/clinics', { name: 'X' }, { Authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
  });

  it('are short-lived: an hour by default, then refused', async () => {
    const clock = { now: Date.UTC(2026, 11, 6, 9, 0) };
    const server = await startSyncServer({ now: () => clock.now });
    const clinicId = await server.createClinic();
    const made = await post(server.url, `/admin/clinics/${clinicId}/enrolment-codes`, { deviceName: 'Desk' }, { Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(made.body.expiresAt).toBe(clock.now + 3600_000);
    clock.now += 3600_000 + 1;
    const late = await post(server.url, '/enrol', { code: made.body.code, deviceId: 'desk-late' });
    expect(late.status).toBe(403);
    expect(late.body.message).toMatch(/expired/);
  });
});
