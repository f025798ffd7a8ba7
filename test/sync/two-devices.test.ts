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

  it('a desk that numbered patients in its own series before it was enrolled keeps that series, so what it did then syncs', async () => {
    const server = await startSyncServer();
    const clinicId = await server.createClinic();
    const a = makeDevice();
    a.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
    const adminA = a.login('admin', ADMIN.password);
    a.ok('settings.setWorkstation', { seriesPrefix: 'R' }, adminA);
    const before = a.ok('patients.register', { patient: { givenName: 'Lakshmi', familyName: 'Iyer', gender: 'female', ageYears: 54 } }, adminA);
    expect(before.status === 'registered' && before.patient.mrn).toBe('R-000001');
    await enrol(a, server.url, await server.enrolmentCode(clinicId, 'Front desk'), adminA);
    await a.app.sync.syncNow();
    expect(a.ok('sync.status', {}, adminA)).toMatchObject({ state: 'online', seriesPrefix: 'R', pending: 0 });
    expect(a.ok('sync.outbox', { kind: 'rejected' }, adminA)).toEqual([]);

    // The next desk gets the first free letter; both see both patients.
    const b = makeDevice();
    await enrol(b, server.url, await server.enrolmentCode(clinicId, 'Billing counter'));
    await b.app.sync.syncNow();
    const adminB = b.login('admin', ADMIN.password);
    expect(b.ok('sync.status', {}, adminB)).toMatchObject({ seriesPrefix: 'A' });
    const regB = b.ok('patients.register', { patient: { givenName: 'Ravi', gender: 'male', ageYears: 30 } }, adminB);
    expect(regB.status === 'registered' && regB.patient.mrn).toBe('A-000001');
    await b.app.sync.syncNow();
    await a.app.sync.syncNow();
    expect(b.ok('patients.search', { query: 'lakshmi' }, adminB)[0]).toMatchObject({ mrn: 'R-000001' });
    expect(localChecksums(a.app.database.sqlite)).toEqual(localChecksums(b.app.database.sqlite));

    // A third desk that also numbered in R on its own gets another letter, and is told at once what that means.
    const c = makeDevice();
    c.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
    const adminC = c.login('admin', ADMIN.password);
    c.ok('settings.setWorkstation', { seriesPrefix: 'R' }, adminC);
    c.ok('patients.register', { patient: { givenName: 'Meena', gender: 'female', ageYears: 41 } }, adminC);
    const job = c.ok('sync.enrol', { serverUrl: server.url, code: await server.enrolmentCode(clinicId, 'Pharmacy') }, adminC);
    const done = await c.app.jobs.wait(job.id);
    expect(done.result).toMatchObject({ seriesPrefix: 'B', warning: expect.stringMatching(/^This workstation now numbers in series B: series R is another workstation's in this clinic/) });
  });
});
