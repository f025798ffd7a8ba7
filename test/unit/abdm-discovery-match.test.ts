import { describe, expect, it } from 'vitest';
import type { PatientFacts } from '../../server/abdm/care-contexts';
import { LINK_ERRORS, matchPatient } from '../../server/abdm/discover';

/* Discovery's matching rule: a verified ABHA first, else mobile + gender + year (±5) + a name that sounds the same; never a guess. */

const p = (id: string, more: Partial<PatientFacts>): PatientFacts => ({ id, name: 'X', gender: 'M', yearOfBirth: 1980, mobile: null, abhaNumber: null, abhaAddress: null, ...more });
const sita = p('sita', { name: 'Sita Devi', gender: 'F', yearOfBirth: 1988, mobile: '9876543210', abhaAddress: 'sita.devi@sbx', abhaNumber: '91-1234-5678-9012' });
const ravi = p('ravi', { name: 'Ravi Kumar', mobile: '9123456780', yearOfBirth: 1979 });
const rani = p('rani', { name: 'Rani Kumar', gender: 'F', mobile: '9123456780', yearOfBirth: 1981 });
const ravee = p('ravee', { name: 'Ravee Kumar', mobile: '9123456780', yearOfBirth: 1983 });
const mobile = (value: string) => [{ type: 'MOBILE', value }];

describe('ABDM discovery matching', () => {
  it('matches a verified ABHA address or number first, whatever the demographics say', () => {
    expect(matchPatient([sita, ravi], { id: 'SITA.DEVI@sbx', name: 'Someone Else', gender: 'M', yearOfBirth: 1950 })).toMatchObject({ ok: true, patient: { id: 'sita' }, matchedBy: ['ABHA_ADDRESS'] });
    expect(matchPatient([sita, ravi], { id: 'new@sbx', verifiedIdentifiers: [{ type: 'ABHA_NUMBER', value: '91123456789012' }] })).toMatchObject({ ok: true, patient: { id: 'sita' }, matchedBy: ['ABHA_NUMBER'] });
  });

  it('else the verified mobile with the same gender, a year within five and a similar-sounding name', () => {
    const ask = { id: 'r@sbx', name: 'Ravi Kumaar', gender: 'M', yearOfBirth: 1984, verifiedIdentifiers: mobile('+91 91234 56780') };
    expect(matchPatient([ravi, rani], ask)).toMatchObject({ ok: true, patient: { id: 'ravi' }, matchedBy: ['MOBILE'] });
    expect(matchPatient([ravi, rani], { ...ask, yearOfBirth: 1985 })).toEqual({ ok: false, error: LINK_ERRORS.noPatient });
    expect(matchPatient([ravi, rani], { ...ask, name: 'Suresh Kumar' })).toEqual({ ok: false, error: LINK_ERRORS.noPatient });
    expect(matchPatient([ravi, rani], { ...ask, verifiedIdentifiers: [] })).toEqual({ ok: false, error: LINK_ERRORS.noPatient });
    // An unverified mobile is not enough.
    expect(matchPatient([ravi, rani], { ...ask, verifiedIdentifiers: [], unverifiedIdentifiers: mobile('9123456780') })).toEqual({ ok: false, error: LINK_ERRORS.noPatient });
  });

  it('refuses to choose between two patients who both fit', () => {
    expect(matchPatient([ravi, ravee, rani], { id: 'r@sbx', name: 'Ravi Kumar', gender: 'M', yearOfBirth: 1981, verifiedIdentifiers: mobile('9123456780') })).toEqual({ ok: false, error: LINK_ERRORS.manyPatients });
    const twin = { ...sita, id: 'sita-2' };
    expect(matchPatient([sita, twin], { id: 'sita.devi@sbx' })).toEqual({ ok: false, error: LINK_ERRORS.manyPatients });
  });
});
