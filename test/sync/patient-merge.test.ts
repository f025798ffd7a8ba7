import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../helpers/sync';
import { bookableDate, converge, register, serverRows, setupClinic, type Desk } from './harness';

/**
 * A merge travels as ordinary signed changes; what another desk made offline for the merged
 * record reaches the survivor through the server (server/patient-merges.ts), whichever arrives
 * first; two desks merging one pair in opposite directions end with one survivor and every row.
 */
describe('merging duplicate patients across desks', () => {
  it('offline work for the merged record lands on the survivor everywhere; opposite merges converge without losing rows', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const date = bookableDate();
    const book = (d: Desk, patientId: string, start: string) => d.c.ok('appointments.book', { doctorId, date, start, patientId }, d.admin).id;
    const patientOf = (d: Desk, table: string, id: string) => d.c.app.database.sqlite.prepare(`SELECT patient_id FROM "${table}" WHERE id = ?`).pluck().get(id);
    const mergedInto = (d: Desk, id: string) => d.c.app.database.sqlite.prepare('SELECT merged_into FROM patients WHERE id = ?').pluck().get(id);
    const onServer = async (table: string) => new Map((await serverRows(server.database.db, clinicId, table)).map((r) => [r.rowId, r.data]));

    const [s1, m1, s2, m2, p, q, s3, m3] = ['Sita', 'Sitaa', 'Gopal', 'Gopaal', 'Prem', 'Premm', 'Hari', 'Harri'].map((name, i) => register(A, name, 40 + i)) as [
      string, string, string, string, string, string, string, string,
    ];
    const pBooking = book(A, p, '09:00');
    const qBooking = book(A, q, '09:15');
    const m1Booking = book(A, m1, '09:30');
    await converge(server, clinicId, [A.c, B.c]);

    // Offline: A merges; B, not knowing, checks the merged record in and books it; and each desk
    // merges Prem's pair the other way round.
    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    // Reception merges (the server accepts a receptionist's moves and merge record); an administrator the rest.
    const rita = A.c.login('rita', 'rita-password');
    A.c.ok('patients.merge', { survivorId: s1, mergedId: m1 }, rita);
    A.c.ok('patients.merge', { survivorId: s2, mergedId: m2 }, A.admin);
    A.c.ok('patients.merge', { survivorId: p, mergedId: q }, A.admin);
    const visit = B.c.ok('queue.checkIn', { patientId: m1, doctorId }, B.admin).visitId;
    const booking = B.c.ok('appointments.book', { doctorId, date, start: '10:00', patientId: m2 }, B.admin).id;
    B.c.ok('patients.merge', { survivorId: q, mergedId: p }, B.admin);
    expect(patientOf(B, 'visits', visit)).toBe(m1);

    // B reaches the server first with its booking and its merge; then A with its merges.
    B.c.app.sync.start();
    await converge(server, clinicId, [B.c]);
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    const visits = await onServer('visits');
    const appointments = await onServer('appointments');
    // Both arrived before the merge: moved with it.
    expect(visits.get(visit)?.patient_id).toBe(s1);
    expect(appointments.get(booking)?.patient_id).toBe(s2);
    for (const d of [A, B]) {
      expect(patientOf(d, 'visits', visit), d.name).toBe(s1);
      expect(patientOf(d, 'appointments', m1Booking), d.name).toBe(s1);
      expect(patientOf(d, 'appointments', booking), d.name).toBe(s2);
      expect([mergedInto(d, m1), mergedInto(d, m2)], d.name).toEqual([s1, s2]);
      // B's merge of Prem into Premm reached the server first: it stands, A's opposite one is turned back.
      expect([mergedInto(d, p), mergedInto(d, q)], d.name).toEqual([q, null]);
      expect([patientOf(d, 'appointments', pBooking), patientOf(d, 'appointments', qBooking)], d.name).toEqual([q, q]);
      expect(d.c.ok('patients.search', { query: 'Prem', limit: 10 }, d.admin).map((r) => r.id), d.name).toEqual([q]);
    }
    expect([(await onServer('patients')).get(p)?.merged_into, (await onServer('patients')).get(q)?.merged_into]).toEqual([q, null]);
    expect(appointments.get(pBooking)?.patient_id).toBe(q);
    expect(appointments.get(qBooking)?.patient_id).toBe(q);

    // A merge the server already has, and a visit for the merged record made offline afterwards:
    // moved on arrival, and the desk that made it is told on its Sync screen.
    await B.c.app.sync.stop();
    A.c.ok('patients.merge', { survivorId: s3, mergedId: m3 }, A.admin);
    await converge(server, clinicId, [A.c]);
    const late = B.c.ok('queue.checkIn', { patientId: m3, doctorId }, B.admin).visitId;
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    expect((await onServer('visits')).get(late)?.patient_id).toBe(s3);
    for (const d of [A, B]) expect(patientOf(d, 'visits', late), d.name).toBe(s3);
    const flagged = B.c.ok('sync.outbox', { kind: 'flagged' }, B.admin);
    expect(JSON.stringify(flagged)).toContain('merged into MRN');
  }, 90_000);
});
