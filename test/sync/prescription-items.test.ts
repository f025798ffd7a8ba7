import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { prescriptions } from '../../db/schema';
import { localChecksums } from '../../electron/sync/local-checksums';
import { ADMIN, FACILITY } from '../helpers/app';
import { enrol, makeDevice, startSyncServer, waitFor } from '../helpers/sync';

/**
 * Prescription items are JSON; the taper's `steps` and a quantity's unit were added to them later.
 * A prescription written with them on one desk goes through the real sync server (PGlite) to the
 * other desk whole, where it reads and prints the same; the frequency still carries the steps
 * written out for a desk that predates them.
 */
describe('prescription items with steps across desks', () => {
  it('a taper saved on A arrives on B with its steps, days and quantity', { timeout: 120_000 }, async () => {
    const server = await startSyncServer();
    const clinicId = await server.createClinic();
    const a = makeDevice();
    a.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
    const adminA = a.login('admin', ADMIN.password);
    await enrol(a, server.url, await server.enrolmentCode(clinicId, 'Consulting room'), adminA);

    const doctor = a.ok('staff.create', { username: 'meera', fullName: 'Dr Meera Rao', password: 'meera-password', roles: ['doctor'] }, adminA);
    const reg = a.ok('patients.register', { patient: { givenName: 'Asha', familyName: 'Kulkarni', gender: 'female', ageYears: 54, mobile: '9845012345' } }, adminA);
    if (reg.status !== 'registered') throw new Error('not registered');
    const { visitId } = a.ok('queue.checkIn', { patientId: reg.patient.id, doctorId: doctor.id }, adminA);
    const meera = a.login('meera', 'meera-password');
    a.ok('queue.callNext', {}, meera);
    const pred = a.ok('formulary.search', { query: 'prednisolone 10', visitId }, meera)[0]!;
    const item = {
      drugId: pred.id,
      genericName: pred.genericName,
      brand: null,
      form: pred.form,
      strength: pred.strength,
      route: pred.route,
      dose: '1 tab',
      frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3',
      timing: 'after-food' as const,
      durationDays: null,
      quantity: null,
      instructions: null,
      instructionsHi: null,
      acknowledged: [],
    };
    const { prescriptionId } = a.ok('prescriptions.save', { visitId, items: [item] }, meera);
    await a.app.sync.syncNow();

    const b = makeDevice();
    await enrol(b, server.url, await server.enrolmentCode(clinicId, 'Second room'));
    const onB = () => b.app.database.db.select().from(prescriptions).where(eq(prescriptions.id, prescriptionId)).get();
    await waitFor(() => onB() !== undefined, 'the prescription to reach B');
    expect(onB()!.items).toEqual([
      {
        ...item,
        frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3',
        durationDays: 9,
        quantity: 21,
        steps: [
          { frequency: '4-0-0', days: 3 },
          { frequency: '2-0-0', days: 3 },
          { frequency: '1-0-0', days: 3 },
        ],
      },
    ]);
    const meeraB = b.login('meera', 'meera-password');
    expect(b.ok('prescriptions.get', { visitId }, meeraB).prescription!.items[0]).toMatchObject({ quantity: 21, durationDays: 9 });
    await b.app.sync.syncNow();
    await a.app.sync.syncNow();
    expect(localChecksums(a.app.database.sqlite)).toEqual(localChecksums(b.app.database.sqlite));
  });
});
