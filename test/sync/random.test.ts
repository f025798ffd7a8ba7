import { describe, expect, it } from 'vitest';
import { localDate } from '../../shared/clinic-time';
import { prng } from '../helpers/prng';
import { startSyncServer } from '../helpers/sync';
import { appliedRecords, bookableDate, converge, localIds, note, patientBody, rowDifferences, serverRows, setupClinic, sleep, type Desk } from './harness';

const SEED = Number(process.env.SYNC_SEED ?? 20261121);
const ROUNDS = Number(process.env.SYNC_ROUNDS ?? 30);
const DEVICES = Number(process.env.SYNC_DEVICES ?? 3);

const CITIES = ['Pune', 'Nashik', 'Satara', 'Kolhapur', 'Nagpur', 'Thane'];
const JOBS = ['Teacher', 'Farmer', 'Driver', 'Clerk', 'Nurse', 'Tailor'];
const BLOOD = ['A+', 'B+', 'O+', 'AB+', 'O-'];
/** Few slots, so offline bookings collide; the late ones today so some can be checked in. */
const SLOTS = ['10:00', '10:15', '23:15', '23:30'];
const DAY = 86_400_000;
const ACTIVE = new Set(['scheduled', 'confirmed', 'checked-in', 'in-consultation', 'completed']);

describe('randomized convergence', () => {
  it(`random work, partitions and server restarts converge (seed ${SEED}, ${ROUNDS} rounds, ${DEVICES} devices)`, async () => {
    const t0 = Date.now();
    const r = prng(SEED);
    const server = await startSyncServer();
    // Unless SYNC_SKEW=0, the second device runs a day ahead and the third a day behind.
    const skews = process.env.SYNC_SKEW === '0' ? [] : [0, DAY, -DAY];
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: DEVICES, checksumEveryMs: 3600_000, skews });
    const registered: string[] = [];
    const payments: { patientId: string; paise: number }[] = [];
    const log: string[] = [];
    let counter = 0;

    const patientsOn = (d: Desk) => localIds(d.c, 'patients');
    const appointmentsOn = (d: Desk, statuses: string[]) =>
      d.c.app.database.sqlite
        .prepare(`SELECT id, patient_id AS patientId, date FROM appointments WHERE status IN (${statuses.map(() => '?').join(',')})`)
        .all(...statuses) as { id: string; patientId: string; date: string }[];

    const operations: [number, (d: Desk) => string][] = [
      [3, (d) => {
        const patient = patientBody(`Rnd${(counter++).toString(36)}`, counter);
        const res = d.c.call('patients.register', { patient, acknowledgeDuplicates: [] }, d.admin);
        if (res.ok && res.value.status === 'registered') registered.push(res.value.patient.id);
        return `register ${res.ok}`;
      }],
      [4, (d) => {
        const ids = patientsOn(d);
        if (ids.length === 0) return 'update: none';
        const field = r.pick(['city', 'occupation', 'bloodGroup', 'mobile', 'addressLine1'] as const);
        const value =
          field === 'city' ? r.pick(CITIES) : field === 'occupation' ? r.pick(JOBS) : field === 'bloodGroup' ? r.pick(BLOOD) : field === 'mobile' ? `98${String(r.int(10_000_000, 99_999_999))}` : `${r.int(1, 99)} Station Road`;
        // Mostly the same few patients, so desks edit the same fields while apart.
        const id = r.next() < 0.7 ? r.pick(ids.slice(0, 4)) : r.pick(ids);
        const res = d.c.call('patients.update', { id, patch: { [field]: value } }, d.admin);
        return `update ${field} ${res.ok}`;
      }],
      [3, (d) => {
        const ids = patientsOn(d);
        if (ids.length === 0) return 'book: none';
        const date = r.pick([localDate(Date.now(), 'Asia/Kolkata'), bookableDate(1), bookableDate(2)]);
        const res = d.c.call('appointments.book', { patientId: r.pick(ids), doctorId, date, start: r.pick(SLOTS) }, d.admin);
        return `book ${res.ok ? 'ok' : res.error.code}`;
      }],
      [1, (d) => {
        const open = appointmentsOn(d, ['scheduled', 'needs-rebook']);
        if (open.length === 0) return 'cancel: none';
        const res = d.c.call('appointments.cancel', { appointmentId: r.pick(open).id, reason: 'Patient called' }, d.admin);
        return `cancel ${res.ok ? 'ok' : res.error.code}`;
      }],
      [2, (d) => {
        const today = localDate(Date.now(), 'Asia/Kolkata');
        const booked = appointmentsOn(d, ['scheduled']).filter((a) => a.date === today);
        const ids = patientsOn(d);
        if (ids.length === 0) return 'check-in: none';
        const res =
          booked.length > 0 && r.next() < 0.6
            ? d.c.call('queue.checkIn', { patientId: r.pick(booked).patientId, appointmentId: r.pick(booked).id }, d.admin)
            : d.c.call('queue.checkIn', { patientId: r.pick(ids), doctorId }, d.admin);
        return `check-in ${res.ok ? 'ok' : res.error.code}`;
      }],
      [1, (d) => {
        const ids = patientsOn(d);
        if (ids.length === 0) return 'pay: none';
        const patientId = r.pick(ids);
        const paise = r.int(1, 50) * 1_000;
        const res = d.c.call('billing.recordPayment', { patientId, parts: [{ mode: 'cash', amountPaise: paise }] }, d.admin);
        if (res.ok) payments.push({ patientId, paise });
        return `pay ${res.ok ? 'ok' : res.error.code}`;
      }],
    ];
    const weightTotal = operations.reduce((s, [w]) => s + w, 0);
    const pickOperation = () => {
      let x = r.next() * weightTotal;
      for (const [w, op] of operations) if ((x -= w) < 0) return op;
      return operations[0]![1];
    };

    let restarts = 0;
    let partitions = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const roll = r.next();
      if (roll < 0.12) {
        const d = r.pick(devices);
        const on = d.c.app.sync.getStatus().state !== 'off';
        if (on) await d.c.app.sync.stop();
        else d.c.app.sync.start();
        partitions += 1;
        log.push(`${round}: ${d.name} ${on ? 'offline' : 'online'}`);
      } else if (roll < 0.18) {
        if (server.running) {
          if (r.next() < 0.5) await server.restart();
          else await server.stop();
        } else await server.start();
        restarts += 1;
        log.push(`${round}: server ${server.running ? 'restarted' : 'down'}`);
      }
      for (let k = r.int(1, 4); k > 0; k--) {
        const d = r.pick(devices);
        log.push(`${round}: ${d.name} ${pickOperation()(d)}`);
      }
      await sleep(r.int(0, 80));
    }

    // Heal: the server up, every device online (reconnecting now rather than at its next backoff).
    if (!server.running) await server.start();
    for (const d of devices) {
      await d.c.app.sync.stop();
      d.c.app.sync.start();
    }
    const took = await converge(server, clinicId, devices.map((d) => d.c), 60_000);

    // Contents, not only clocks, agree everywhere.
    for (const d of devices) {
      for (const table of ['patients', 'appointments', 'visits', 'payments']) expect(await rowDifferences(server.database.db, clinicId, d.c, table)).toEqual([]);
    }
    // Every acknowledged registration and payment is there exactly once.
    const patients = new Set((await serverRows(server.database.db, clinicId, 'patients')).map((p) => p.rowId));
    expect(registered.filter((id) => !patients.has(id))).toEqual([]);
    const paid = await serverRows(server.database.db, clinicId, 'payments');
    expect(paid.length).toBe(payments.length);
    expect(paid.reduce((s, p) => s + Number(p.data.amount_paise), 0)).toBe(payments.reduce((s, p) => s + p.paise, 0));
    // No slot holds more bookings than it has places; every collision was surfaced as needs-rebook.
    const appointments = await serverRows(server.database.db, clinicId, 'appointments');
    const bySlot = new Map<string, number>();
    for (const a of appointments) {
      if (!ACTIVE.has(String(a.data.status))) continue;
      const key = `${String(a.data.date)} ${String(a.data.start)}`;
      bySlot.set(key, (bySlot.get(key) ?? 0) + 1);
    }
    expect([...bySlot.entries()].filter(([, n]) => n > 1)).toEqual([]);
    // Last writer wins per field, by clock: each field holds the value of its newest edit from any
    // desk, except a booking the server judged over capacity (needs-rebook overrides an active status).
    for (const table of ['patients', 'appointments', 'visits']) {
      const newest = new Map<string, { hlc: string; value: unknown }>();
      for (const d of devices) {
        const logged = d.c.app.database.sqlite.prepare('SELECT id, row_id AS rowId, columns FROM change_log WHERE table_name = ?').all(table) as { id: string; rowId: string; columns: string }[];
        // Each change counts with the stamp the server applied it with (a fast clock's is re-stamped).
        const applied = new Map((await appliedRecords(server.database.db, logged.map((c) => c.id))).map((a) => [a.changeId, a.hlc]));
        const changes = logged.map((c) => ({ ...c, hlc: applied.get(c.id)! }));
        for (const c of changes) {
          for (const [col, written] of Object.entries(JSON.parse(c.columns) as Record<string, unknown>)) {
            const key = `${c.rowId}.${col}`;
            const seen = newest.get(key);
            const value = col === 'hlc' ? c.hlc : written; // the row's clock column carries the applied stamp
            if (!seen || c.hlc > seen.hlc) newest.set(key, { hlc: c.hlc, value });
          }
        }
      }
      const onServer = new Map((await serverRows(server.database.db, clinicId, table)).map((p) => [p.rowId, p.data]));
      const mismatches = [...newest.entries()].filter(([key, { value }]) => {
        const [rowId, col] = key.split('.') as [string, string];
        const actual = onServer.get(rowId)?.[col] ?? null;
        if (table === 'appointments' && onServer.get(rowId)?.status === 'needs-rebook') {
          if (col === 'status') return !ACTIVE.has(String(value));
          if (col === 'hlc' || col === 'updated_at') return false;
        }
        return JSON.stringify(actual) !== JSON.stringify(value ?? null);
      });
      expect(mismatches).toEqual([]);
    }
    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
    const rebooks = appointments.filter((a) => a.data.status === 'needs-rebook').length;
    note(
      `random (seed ${SEED}): ${ROUNDS} rounds, ${registered.length} registrations, ${appointments.length} bookings (${rebooks} needs-rebook), ${payments.length} payments, ${partitions} partitions, ${restarts} server stops/restarts; converged in ${took} ms; scenario ${Date.now() - t0} ms`,
    );
  }, 180_000);
});
