import { describe, expect, it } from 'vitest';
import { checkSyncedChange } from '../../db/sync-row-schemas';
import { ADMIN, FACILITY } from '../helpers/app';
import { enrol, makeDevice, startSyncServer, waitFor } from '../helpers/sync';

/**
 * The patient's preferred language travels like the rest of their details: chosen at one desk's
 * registration, read at another's; changed there, read back at the first. The rule book (the
 * same on the desk and the server) refuses a language that is not on the list.
 */
describe('the preferred language between two desks', () => {
  it('Hindi chosen at registration on A reaches B; English set on B comes back to A', { timeout: 120_000 }, async () => {
    const server = await startSyncServer();
    const clinicId = await server.createClinic();
    const a = makeDevice();
    a.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
    const adminA = a.login('admin', ADMIN.password);
    await enrol(a, server.url, await server.enrolmentCode(clinicId, 'Front desk'), adminA);
    a.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-password', roles: ['receptionist'] }, adminA);
    await a.app.sync.syncNow();

    const b = makeDevice();
    await enrol(b, server.url, await server.enrolmentCode(clinicId, 'Second desk'));
    await b.app.sync.syncNow();
    const ritaA = a.login('rita', 'rita-password');
    const ritaB = b.login('rita', 'rita-password');

    const reg = a.ok('patients.register', { patient: { givenName: 'Savitri', familyName: 'Yadav', gender: 'female', ageYears: 62, mobile: '9845012345', preferredLanguage: 'hi' } }, ritaA);
    if (reg.status !== 'registered') throw new Error('not registered');
    const id = reg.patient.id;
    await a.app.sync.syncNow();
    await waitFor(async () => {
      await b.app.sync.syncNow();
      const got = b.call('patients.get', { id }, ritaB);
      return got.ok && got.value.patient.preferredLanguage === 'hi';
    }, 'Savitri and her language to reach B');

    b.ok('patients.update', { id, patch: { preferredLanguage: 'en' } }, ritaB);
    await b.app.sync.syncNow();
    await waitFor(async () => {
      await a.app.sync.syncNow();
      return a.ok('patients.get', { id }, ritaA).patient.preferredLanguage === 'en';
    }, 'the change to English to reach A');
  });

  it('the rule book takes the listed languages only', () => {
    const stamps = { updated_at: 2, hlc: '000001700000000-0001-dev', device_id: 'dev' };
    const before = { id: 'p1', created_at: 1, deleted_at: null, ...stamps, preferred_language: null };
    const change = (preferred_language: unknown) =>
      checkSyncedChange({ bootstrap: false, table: 'patients', rowId: 'p1', op: 'update', columns: { preferred_language, ...stamps }, before, signer: { id: 'u-rita', roles: ['receptionist'] } });
    expect(change('hi')).toBeNull();
    expect(change(null)).toBeNull();
    expect(change('fr')).toBe('patients.preferred_language cannot be "fr" (it is one of en, hi)');
  });
});
