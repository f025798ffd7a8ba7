import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../helpers/sync';
import { bookableDate, converge, register, serverRows, setupClinic, type Desk } from './harness';

describe('a push applied as one batch', () => {
  it('judges a booking by the timetable that arrived earlier in the same push (rows are written at the end of a push)', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const p1 = register(A, 'Firstbooked', 1);
    const p2 = register(A, 'Secondbooked', 2);
    await converge(server, clinicId, [A.c, B.c]);

    // Offline, A adds a doctor whose sittings take two bookings per slot and fills one slot. The
    // server receives the doctor, the timetable and both bookings in one push; had it judged the
    // bookings against what it had written so far, it would find no sitting (one place) and turn
    // the second booking into needs-rebook.
    await A.c.app.sync.stop();
    const doctorId = A.c.ok('staff.create', { username: 'anil', fullName: 'Dr Anil Joshi', password: 'anil-password', roles: ['doctor'] }, A.admin).id;
    A.c.ok(
      'doctors.upsert',
      {
        userId: doctorId,
        specialization: 'Paediatrics',
        qualifications: 'MBBS, DCH',
        registrationCouncil: 'Maharashtra Medical Council',
        registrationNumber: 'MMC-2015-08812',
        consultationFeePaise: 40_000,
        followUpFeePaise: 15_000,
        followUpWindowDays: 7,
        schedule: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '09:00', end: '13:00', slotMinutes: 15, maxPerSlot: 2, mode: 'in-person' })),
      },
      A.admin,
    );
    const slot = { doctorId, date: bookableDate(), start: '09:30' };
    const booked = [A.c.ok('appointments.book', { ...slot, patientId: p1 }, A.admin).id, A.c.ok('appointments.book', { ...slot, patientId: p2 }, A.admin).id];
    const waiting = A.c.app.sync.getStatus().pending;
    expect(waiting).toBeLessThan(100); // one push (the limit is 500 changes)
    const pushes: number[] = [];
    server.server.io.on('connection', (socket) => {
      socket.on('push', (p: { changes?: unknown[] }) => {
        pushes.push(p.changes?.length ?? 0);
      });
    });
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    expect(pushes[0]).toBe(waiting);
    const onServer = (await serverRows(server.database.db, clinicId, 'appointments')).filter((r) => booked.includes(r.rowId));
    expect(onServer.map((r) => r.data.status)).toEqual(['scheduled', 'scheduled']);
    for (const d of [A, B]) {
      expect(d.c.ok('appointments.list', { date: slot.date, doctorId }, d.admin).map((a) => a.status)).toEqual(['scheduled', 'scheduled']);
      expect(d.c.ok('appointments.needsRebook', {}, d.admin)).toEqual([]);
    }
    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
  }, 60_000);
});
