import { describe, expect, it } from 'vitest';
import { abhaChecksumOk, parseAbhaQr } from '../../shared/abha-qr';

function profile(text: string) {
  const r = parseAbhaQr(text);
  if (!r.ok) throw new Error(`expected a profile, got ${r.error.code}: ${r.error.message}`);
  return r.profile;
}
const errorOf = (text: string) => {
  const r = parseAbhaQr(text);
  return r.ok ? null : r.error.code;
};

describe('ABHA card QR', () => {
  it('reads the ABHA card layout (masked dob and mobile, "state name" with a space, "-" district code)', () => {
    const p = profile(
      JSON.stringify({
        hidn: '15-3638-0684-6247',
        hid: 'kiranma@abdm',
        name: 'Kiran Mandyam Anandampillai',
        gender: 'M',
        statelgd: '29',
        distlgd: '-',
        dob: 'xx/9/19xx',
        'state name': 'Karnataka',
        district_name: 'Bengaluru',
        mobile: '984x1x2x6x',
        address: 'C/O father, door no 4, MG Road',
      }),
    );
    expect(p).toMatchObject({
      abhaNumber: '15-3638-0684-6247',
      abhaAddress: 'kiranma@abdm',
      givenName: 'Kiran Mandyam',
      familyName: 'Anandampillai',
      gender: 'male',
      dateOfBirth: null,
      yearOfBirth: null,
      mobile: null,
      address: 'C/O father, door no 4, MG Road',
      state: 'Karnataka',
      district: 'Bengaluru',
      stateLgd: '29',
      districtLgd: null,
    });
    expect(p.notes).toContain('Mobile on the card is masked: ask for it');
  });

  it('reads the older card with a full date, a plain mobile and CARE-style "dist name"/"state_name"', () => {
    const p = profile(
      '{"hidn":"28-3222-2283-6682","hid":"mogith.d@abdm","name":"Mogith","gender":"F","statelgd":"34","distlgd":"600",' +
        '"dob":"25/6/2012","address":"No.42 Eswaran Kovil Street","mobile":"+91 98765 43210","dist name":"Chennai","state_name":"Tamil Nadu"}',
    );
    expect(p).toMatchObject({
      abhaNumber: '28-3222-2283-6682',
      givenName: 'Mogith',
      familyName: '',
      gender: 'female',
      dateOfBirth: '2012-06-25',
      yearOfBirth: 2012,
      mobile: '9876543210',
      district: 'Chennai',
      state: 'Tamil Nadu',
      stateLgd: '34',
      districtLgd: '600',
    });
  });

  it('reads the PHR app QR: "phr" for the address, no ABHA number, year-only birth', () => {
    const p = profile('{"phr":"Kiranma@sbx","name":"Kiran Anandampillai","gender":"M","statelgd":"4","distlgd":"44","dob":"xx-9-1985","address":"As declared"}');
    expect(p).toMatchObject({ abhaNumber: null, abhaAddress: 'kiranma@sbx', dateOfBirth: null, yearOfBirth: 1985 });
    expect(p.notes).toContain('Only the year of birth is on the card');
  });

  it('reads the newer keys (abha_number / abha_address, ISO date, pincode, transgender)', () => {
    const p = profile(
      JSON.stringify({ abha_number: '42717586044553', abha_address: 'asha_k@abdm', name: 'Asha  Kumari', gender: 'T', dob: '1990-05-07', pincode: '560001', mobile: '9000000001' }),
    );
    expect(p).toMatchObject({ abhaNumber: '42-7175-8604-4553', abhaAddress: 'asha_k@abdm', givenName: 'Asha', familyName: 'Kumari', gender: 'other', dateOfBirth: '1990-05-07', pincode: '560001', mobile: '9000000001' });
  });

  it('keeps the ABHA number but leaves out an address the form cannot store', () => {
    const p = profile('{"hidn":"15-3638-0684-6247","hid":"Mohit","name":"Mohit Ahuja","gender":"M","dob":"12/12/1997","statelgd":"Maharashtra"}');
    expect(p.abhaAddress).toBeNull();
    expect(p.state).toBe('Maharashtra');
    expect(p.stateLgd).toBeNull();
    expect(p.notes[0]).toMatch(/not of the form name@abdm/);
  });

  it('refuses garbage with a reason naming what is wrong', () => {
    expect(errorOf('')).toBe('empty');
    expect(errorOf('https://example.org/x')).toBe('not-json');
    expect(errorOf('{"hidn":"15-3638-0684"')).toBe('not-json');
    expect(errorOf('[1,2]')).toBe('not-json');
    expect(errorOf('{"name":"Ravi","gender":"M"}')).toBe('no-abha');
    expect(errorOf('{"hidn":"15-3638-0684","name":"Ravi"}')).toBe('bad-abha-number');
    expect(errorOf('{"hidn":"15-3638-0684-6248","name":"Ravi"}')).toBe('bad-checksum');
    expect(errorOf('{"hidn":"15-3638-0684-6247"}')).toBe('no-name');
  });

  it('checks the ABHA check digit on the published numbers', () => {
    for (const n of ['15363806846247', '42717586044553', '28322222836682']) expect(abhaChecksumOk(n)).toBe(true);
    expect(abhaChecksumOk('91123456789012')).toBe(false);
  });
});
