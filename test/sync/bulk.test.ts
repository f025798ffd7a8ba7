import { describe, expect, it } from 'vitest';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { diffChecksums, note, serverRows, setupClinic, sleep, spawnAgent, type Agent } from './harness';
import type { AgentState, Registered } from './agent-protocol';

/**
 * Changes each device makes while offline. A registration is two changes (the patient and its
 * audit row). The default is the full size (three devices x 5,000): about 30-45 s on two cores.
 * SYNC_BIG=2000 makes it smaller on a slower machine.
 */
const CHANGES = Number(process.env.SYNC_BIG ?? 5_000);
const DEVICES = 3;

describe('three devices offline with thousands of changes each', () => {
  it(`converge when they come online (${CHANGES} changes per device)`, async () => {
    const t0 = Date.now();
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: DEVICES, checksumEveryMs: 3600_000 });
    const baseline = (await serverRows(server.database.db, clinicId, 'patients')).length;
    for (const d of devices) d.c.app.close();

    // Each desk goes on as its own process (so the three write at once, as three computers would).
    const agents: Agent[] = await Promise.all(devices.map((d) => spawnAgent({ dataDir: d.c.dataDir })));
    await Promise.all(agents.map((a) => a.call({ cmd: 'login', username: 'admin', password: ADMIN.password })));
    const tw = Date.now();
    const perDevice = Math.ceil(CHANGES / 2);
    const ids = (await Promise.all(agents.map((a, i) => a.call<Registered>({ cmd: 'register', count: perDevice, prefix: `Bulk${'ABC'[i]}` })))).map((r) => r.patients);
    const writeMs = Date.now() - tw;
    const pending = (await Promise.all(agents.map((a) => a.state()))).map((s) => s.status.pending);
    for (const p of pending) expect(p).toBeGreaterThanOrEqual(CHANGES);

    // All online at once; nobody is told to "sync now" until they have converged by themselves.
    const tc = Date.now();
    await Promise.all(agents.map((a) => a.call({ cmd: 'online', on: true })));
    let states: AgentState[] = [];
    let expected = await server.store.checksums(clinicId);
    for (;;) {
      await sleep(500);
      states = await Promise.all(agents.map((a) => a.state()));
      expected = await server.store.checksums(clinicId);
      if (states.every((s) => s.status.pending === 0 && diffChecksums(s.checksums, expected).length === 0)) break;
      if (Date.now() - tc > 120_000) throw new Error(`no convergence: ${states.map((s) => `${s.status.state} pending ${s.status.pending} ${diffChecksums(s.checksums, expected).join(',')}`).join(' | ')}`);
    }
    const convergeMs = Date.now() - tc;

    // Every registration everywhere, once.
    const all = ids.flat();
    expect(new Set(all).size).toBe(perDevice * DEVICES);
    const onServer = await serverRows(server.database.db, clinicId, 'patients');
    expect(onServer.length).toBe(baseline + all.length);
    for (const s of states) {
      expect(s.patientIds.length).toBe(baseline + all.length);
      expect(s.searchIndexed).toBe(s.patientIds.length);
      expect(s.checksums).toEqual(expected);
      expect(s.outbox.pushed).toBe(s.outbox.total);
    }
    const onDevice = new Set(states[0]!.patientIds);
    expect(all.filter((id) => !onDevice.has(id))).toEqual([]);
    const total = states.reduce((n, s) => n + s.outbox.total, 0);
    note(`bulk: ${DEVICES} devices x ${perDevice} registrations (${pending.join('/')} changes): writes ${writeMs} ms, converged ${convergeMs} ms (${Math.round((total * 1000) / convergeMs)} changes/s through the server), scenario ${Date.now() - t0} ms`);
    await Promise.all(agents.map((a) => a.call({ cmd: 'exit' }).catch(() => undefined)));
  }, 240_000);
});
