import { describe, expect, it } from 'vitest';
import { localChecksums, localChecksumsInSlices } from '../../electron/sync/local-checksums';
import { ADMIN, makeClinic } from '../helpers/app';

function clinicWithPatients(n: number) {
  const c = makeClinic();
  const admin = c.login('admin', ADMIN.password);
  const register = (i: number) =>
    c.ok('patients.register', { patient: { givenName: `Slice${i}`, familyName: 'Patient', gender: 'female', ageYears: 20 + (i % 50) }, acknowledgeDuplicates: [] }, admin);
  for (let i = 0; i < n; i++) register(i);
  return { c, register };
}

describe('checksums read in slices', () => {
  it('equal the ones read in one go, however small the slices', async () => {
    const { c } = clinicWithPatients(9);
    const whole = localChecksums(c.app.database.sqlite);
    expect(whole.patients!.count).toBe(9);
    let pauses = 0;
    const sliced = await localChecksumsInSlices(c.app.database.sqlite, { sliceRows: 2, pause: async () => void pauses++ });
    expect(sliced).toEqual(whole);
    // The app got its turns: at least one pause per full slice of patients.
    expect(pauses).toBeGreaterThanOrEqual(4);
  });

  it('leave out a table written between slices, instead of sending a sum of two moments', async () => {
    const { c, register } = clinicWithPatients(6);
    const before = localChecksums(c.app.database.sqlite);
    let wrote = false;
    const sliced = await localChecksumsInSlices(c.app.database.sqlite, {
      sliceRows: 2,
      pause: async () => {
        if (!wrote) {
          wrote = true;
          register(99); // a receptionist saves a patient while the sums are being read
        }
      },
    });
    expect(wrote).toBe(true);
    expect(sliced.patients).toBeUndefined();
    // Tables nobody wrote meanwhile are still compared, with their true sums.
    expect(sliced.invoices).toEqual(before.invoices);
    expect(sliced.users).toEqual(before.users);
  });
});
