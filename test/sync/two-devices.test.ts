import { describe, expect, it } from 'vitest';
import { localChecksums } from '../../electron/sync/local-checksums';
import { ADMIN, FACILITY } from '../helpers/app';
import { enrol, makeDevice, startSyncServer, waitFor } from '../helpers/sync';

describe('two workstations of one clinic', () => {
  it('set up on A, joined from B: staff and a patient registered on A appear on B', async () => {
    const server = await startSyncServer();
    const clinicId = await server.createClinic();
    const a = makeDevice();
    a.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
    const adminA = a.login('admin', ADMIN.password);
    await enrol(a, server.url, await server.enrolmentCode(clinicId, 'Front desk'), adminA);
    await a.app.sync.syncNow();

    const b = makeDevice();
    await enrol(b, server.url, await server.enrolmentCode(clinicId, 'Billing counter'));
    await b.app.sync.syncNow();
    expect(b.ok('setup.status', {})).toEqual({ initialized: true, facilityName: FACILITY.name, joining: null });
    const adminB = b.login('admin', ADMIN.password);
    expect(b.ok('sync.status', {}, adminB)).toMatchObject({ state: 'online', seriesPrefix: 'B' });

    const reg = a.ok('patients.register', { patient: { givenName: 'Lakshmi', familyName: 'Iyer', gender: 'female', ageYears: 54, mobile: '9845012345' } }, adminA);
    expect(reg.status).toBe('registered');
    await waitFor(() => b.call('patients.search', { query: '2345' }, adminB).ok && (b.ok('patients.search', { query: '2345' }, adminB).length === 1), 'the patient to reach B');
    expect(b.ok('patients.search', { query: 'laxmi' }, adminB)[0]).toMatchObject({ name: 'Lakshmi Iyer', mrn: 'A-000001' });

    // B's own numbers come from its own series.
    const regB = b.ok('patients.register', { patient: { givenName: 'Ravi', gender: 'male', ageYears: 30 } }, adminB);
    expect(regB.status === 'registered' && regB.patient.mrn).toBe('B-000001');
    await b.app.sync.syncNow();
    await a.app.sync.syncNow();
    expect(localChecksums(a.app.database.sqlite)).toEqual(localChecksums(b.app.database.sqlite));
  });
});
