import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../server/db/schema';
import { BASE, unpackStamps } from '../../server/field-stamps';
import { startSyncServer, type TestSyncServer } from '../helpers/sync';
import { bookableDate, converge, register, rowDifferences, setupClinic, type Desk } from './harness';

/** The server's copy of a row: its columns, their stamps as read, and the stamps as stored (server/field-stamps.ts). */
async function stored(server: TestSyncServer, clinicId: string, table: string, rowId: string) {
  const [r] = await server.database.db
    .select({ data: rows.data, fieldHlc: rows.fieldHlc })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, table), eq(rows.rowId, rowId)));
  if (!r) throw new Error(`${table}/${rowId} is not on the server`);
  return { data: r.data, fieldHlc: unpackStamps(r.data, r.fieldHlc), packed: r.fieldHlc };
}

describe('an edited row is written as the columns it changed', () => {
  it('keeps every other column and stamp: edits of different columns at two desks, and a booking written mid-push then cancelled in the same push', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const patient = register(A, 'Deltarow', 1);
    await converge(server, clinicId, [A.c, B.c]);
    const before = await stored(server, clinicId, 'patients', patient);

    // Both desks offline: each changes one column of the same patient. The server merges the
    // second push over the first; had it written the second push's columns as the whole row, the
    // first desk's column (and every column from the registration) would be gone.
    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    A.c.ok('patients.update', { id: patient, patch: { occupation: 'Farmer' } }, A.admin);
    B.c.ok('patients.update', { id: patient, patch: { familyName: 'Deshmukh' } }, B.admin);

    // And in A's same push: a timetable and a booking (the booking's row is written before the
    // push's end, to count places), then the booking cancelled.
    const doctorId = A.c.ok('staff.create', { username: 'vinod', fullName: 'Dr Vinod Patil', password: 'vinod-password', roles: ['doctor'] }, A.admin).id;
    A.c.ok(
      'doctors.upsert',
      {
        userId: doctorId,
        specialization: 'General Medicine',
        qualifications: 'MBBS',
        registrationCouncil: 'Maharashtra Medical Council',
        registrationNumber: 'MMC-2016-01234',
        consultationFeePaise: 30_000,
        followUpFeePaise: 10_000,
        followUpWindowDays: 7,
        schedule: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '09:00', end: '13:00', slotMinutes: 15, maxPerSlot: 1, mode: 'in-person' })),
      },
      A.admin,
    );
    const booking = A.c.ok('appointments.book', { doctorId, date: bookableDate(), start: '10:00', patientId: patient }, A.admin).id;
    A.c.ok('appointments.cancel', { appointmentId: booking, reason: 'Patient will come next week' }, A.admin);

    A.c.app.sync.start();
    await converge(server, clinicId, [A.c]);
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    const after = await stored(server, clinicId, 'patients', patient);
    // Stored with the registration's stamp once and the edits' stamps as their own members.
    expect(Object.keys(before.packed)).toEqual([BASE]);
    expect(Object.keys(after.packed).length).toBeLessThan(10);
    expect(after.data.occupation).toBe('Farmer');
    expect(after.data.family_name).toBe('Deshmukh');
    // Every column and stamp from the registration is still there; only the edited ones moved.
    expect(Object.keys(after.data).sort()).toEqual(Object.keys(before.data).sort());
    expect(Object.keys(after.fieldHlc).sort()).toEqual(Object.keys(before.fieldHlc).sort());
    for (const column of Object.keys(before.data)) {
      if (['occupation', 'family_name', 'updated_at', 'hlc', 'device_id', 'display_name', 'search_text'].includes(column)) continue;
      expect([column, after.data[column], after.fieldHlc[column]]).toEqual([column, before.data[column], before.fieldHlc[column]]);
    }
    const cancelled = await stored(server, clinicId, 'appointments', booking);
    expect(cancelled.data.status).toBe('cancelled');
    expect(cancelled.data.patient_id).toBe(patient);
    expect(cancelled.data.doctor_id).toBe(doctorId);
    for (const d of [A, B]) {
      expect(await rowDifferences(server.database.db, clinicId, d.c, 'patients')).toEqual([]);
      expect(await rowDifferences(server.database.db, clinicId, d.c, 'appointments')).toEqual([]);
    }
    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
  }, 90_000);
});
