import { describe, expect, it } from 'vitest';
import {
  auditRows,
  changeLogRows,
  expectDuplicates,
  failure,
  MINUTE,
  openDesk,
  register,
  searchNames,
  type Desk,
} from './reception-fixtures';
import { refreshNameIndex, refreshNameIndexSlice } from '../../electron/services/patient-search';

const RAMESH = { givenName: 'Ramesh', familyName: 'Kumar', gender: 'male', dob: '1980-05-14', mobile: '9876543210' };

describe('registering a patient', () => {
  it('saves a patient with the next MRN, cleaned-up numbers and their age', () => {
    const d = openDesk();
    const r = register(d, {
      ...RAMESH,
      mobile: '+91 98765 43210',
      abhaNumber: '91-1234-5678-9012',
      abhaAddress: 'Ramesh.Kumar@abdm',
      pincode: '411001',
      email: 'ramesh@example.in',
      city: 'Pune',
    });
    expect(r.warnings).toEqual([]);
    expect(r.patient).toMatchObject({
      mrn: 'A-000001',
      name: 'Ramesh Kumar',
      mobile: '9876543210',
      abhaNumber: '91123456789012',
      abhaAddress: 'ramesh.kumar@abdm',
      dob: '1980-05-14',
      dobEstimated: false,
      age: 46,
      duplicateOverride: null,
    });
    const second = register(d, { givenName: 'Sunita', familyName: 'Kumar', gender: 'female', ageYears: 41, mobile: '98765 43210' });
    expect(second.patient.mrn).toBe('A-000002');
    const got = d.c.ok('patients.get', { id: r.patient.id }, d.reception);
    expect(got.patient).toMatchObject({ mrn: 'A-000001', mobile: '9876543210', city: 'Pune', pincode: '411001' });
  });

  it('names the wrong field for each invalid entry and saves nothing', () => {
    const d = openDesk();
    const without = (key: keyof typeof RAMESH) => Object.fromEntries(Object.entries(RAMESH).filter(([k]) => k !== key));
    const cases: [string, Record<string, unknown>, string][] = [
      ['given name missing', without('givenName'), 'patient.givenName'],
      ['given name blank', { ...RAMESH, givenName: '   ' }, 'patient.givenName'],
      ['gender not one of the choices', { ...RAMESH, gender: 'M' }, 'patient.gender'],
      ['neither date of birth nor age', without('dob'), 'patient.dob'],
      ['date of birth tomorrow', { ...RAMESH, dob: '2026-11-22' }, 'patient.dob'],
      ['date of birth not a real date', { ...RAMESH, dob: '1980-02-30' }, 'patient.dob'],
      ['negative age', { ...without('dob'), ageYears: -1 }, 'patient.ageYears'],
      ['ABHA number too short', { ...RAMESH, abhaNumber: '91-1234-5678-901' }, 'patient.abhaNumber'],
      ['ABHA number with letters', { ...RAMESH, abhaNumber: '91-1234-5678-90AB' }, 'patient.abhaNumber'],
      ['ABHA address starting with a digit', { ...RAMESH, abhaAddress: '9ramesh@abdm' }, 'patient.abhaAddress'],
      ['ABHA address starting with a dot', { ...RAMESH, abhaAddress: '.ramesh@abdm' }, 'patient.abhaAddress'],
      ['ABHA address ending with a dot', { ...RAMESH, abhaAddress: 'ramesh.@abdm' }, 'patient.abhaAddress'],
      ['ABHA address with 3 characters before @', { ...RAMESH, abhaAddress: 'ram@abdm' }, 'patient.abhaAddress'],
      ['ABHA address on another domain', { ...RAMESH, abhaAddress: 'ramesh@gmail.com' }, 'patient.abhaAddress'],
      ['ABHA address without a domain', { ...RAMESH, abhaAddress: 'ramesh.kumar' }, 'patient.abhaAddress'],
      ['pincode of 5 digits', { ...RAMESH, pincode: '41100' }, 'patient.pincode'],
      ['pincode starting with 0', { ...RAMESH, pincode: '011001' }, 'patient.pincode'],
      ['email without a domain', { ...RAMESH, email: 'ramesh@' }, 'patient.email'],
      ['mobile with letters', { ...RAMESH, mobile: '98765abcde' }, 'patient.mobile'],
      ['mobile too short', { ...RAMESH, mobile: '12345' }, 'patient.mobile'],
    ];
    for (const [label, patient, field] of cases) {
      const r = d.c.call('patients.register', { patient }, d.reception);
      const error = failure(r);
      expect(error.code, label).toBe('invalid_input');
      expect(Object.keys(error.fields ?? {}), label).toEqual([field]);
      expect(error.fields?.[field], label).toBeTruthy();
      expect(error.message, label).toContain(field.replace('patient.', ''));
    }
    expect(searchNames(d, 'ramesh')).toEqual([]);
    expect(searchNames(d, '9876543210')).toEqual([]);
    expect(changeLogRows(d, 'patients')).toEqual([]);
    // No MRN was used up by the refusals.
    expect(register(d, RAMESH).patient.mrn).toBe('A-000001');
  });

  it('tells the receptionist what is wrong in words they can act on', () => {
    const d = openDesk();
    const fields = (patient: Record<string, unknown>) => failure(d.c.call('patients.register', { patient }, d.reception)).fields ?? {};
    expect(fields({ ...RAMESH, dob: '2027-01-01' })['patient.dob']).toMatch(/future/);
    expect(fields({ ...RAMESH, dob: null })['patient.dob']).toMatch(/date of birth or an age/);
    expect(fields({ ...RAMESH, abhaAddress: 'ram@abdm' })['patient.abhaAddress']).toMatch(/at least 4 characters/);
    expect(fields({ ...RAMESH, pincode: '4110' })['patient.pincode']).toBe('Pincode must be 6 digits');
    expect(fields({ ...RAMESH, abhaNumber: '1234' })['patient.abhaNumber']).toMatch(/14 digits/);
  });

  it('accepts the ABHA addresses ABDM allows', () => {
    const d = openDesk();
    const addresses = ['ramesh.kumar@abdm', 'ramesh_80@sbx', '_rk.1980@abdm', 'Ramu@abdm'];
    addresses.forEach((abhaAddress, i) => {
      const r = register(d, { givenName: `Patient${'abcd'[i]}`, gender: 'male', ageYears: 30 + i, abhaAddress });
      expect(r.patient.abhaAddress).toBe(abhaAddress.toLowerCase());
    });
  });

  it('saves an unusual mobile number but warns about it', () => {
    const d = openDesk();
    const r = register(d, { ...RAMESH, mobile: '5876543210' });
    expect(r.patient.mobile).toBe('5876543210');
    expect(r.warnings).toEqual([{ field: 'mobile', message: expect.stringMatching(/start with 6, 7, 8 or 9/) }]);
    expect(searchNames(d, '5876543210')).toEqual(['Ramesh Kumar']);
    // The warning is shown again when the record is opened.
    expect(d.c.ok('patients.get', { id: r.patient.id }, d.reception).warnings.map((w) => w.field)).toEqual(['mobile']);
  });

  it('cleans +91, spaces, dashes and a leading 0 from mobile numbers', () => {
    const d = openDesk();
    const typed = ['+91 98765 43210', '+91-98220-12345', '09811012345', '91 9000012345'];
    const stored = ['9876543210', '9822012345', '9811012345', '9000012345'];
    typed.forEach((mobile, i) => {
      const r = register(d, { givenName: ['Anil', 'Bhavna', 'Chetan', 'Deepa'][i], gender: 'other', ageYears: 20, mobile });
      expect(r.patient.mobile, mobile).toBe(stored[i]);
      expect(r.warnings, mobile).toEqual([]);
    });
  });

  it('estimates the date of birth from an age', () => {
    const d = openDesk();
    const r = register(d, { givenName: 'Gita', familyName: 'Bai', gender: 'female', ageYears: 40 });
    expect(r.patient).toMatchObject({ dob: '1986-11-21', dobEstimated: true, age: 40 });
    // A year later she is 41.
    d.c.clock.now += 366 * 24 * 60 * MINUTE;
    const rita = d.c.login('rita', 'rita-password');
    expect(d.c.ok('patients.get', { id: r.patient.id }, rita).patient.age).toBe(41);
    // A real date of birth wins over an age and is not marked estimated.
    const both = d.c.ok('patients.register', { patient: { givenName: 'Hari', gender: 'male', dob: '2000-01-15', ageYears: 99 } }, rita);
    expect(both).toMatchObject({ status: 'registered', patient: { dob: '2000-01-15', dobEstimated: false, age: 27 } });
    const baby = d.c.ok('patients.register', { patient: { givenName: 'Baby', familyName: 'of Gita', gender: 'female', ageYears: 0 } }, rita);
    expect(baby).toMatchObject({ status: 'registered', patient: { dob: '2027-11-22', dobEstimated: true, age: 0 } });
  });
});

describe('duplicate check before saving', () => {
  const RAFIQ = { givenName: 'Mohammed', familyName: 'Rafiq', gender: 'male', dob: '1975-03-02', mobile: '9876500011' };

  it('finds spelling variants of the same name on the same mobile and saves nothing', () => {
    const d = openDesk();
    const first = register(d, RAFIQ);
    for (const givenName of ['Mohd', 'Muhammad', 'MOHAMMAD', 'Mohamed']) {
      const r = expectDuplicates(d, { ...RAFIQ, givenName, dob: null, ageYears: 51 });
      expect(r.candidates, givenName).toEqual([
        expect.objectContaining({ id: first.patient.id, mrn: 'A-000001', name: 'Mohammed Rafiq', mobile: '9876500011', reasons: ['Same mobile and a similar name'] }),
      ]);
    }
    expect(searchNames(d, 'rafiq')).toEqual(['Mohammed Rafiq']);
    expect(changeLogRows(d, 'patients')).toHaveLength(1);
  });

  it('finds Lakshmi and Laxmi on the same mobile', () => {
    const d = openDesk();
    const lakshmi = register(d, { givenName: 'Lakshmi', familyName: 'Devi', gender: 'female', ageYears: 60, mobile: '9000004444' });
    const r = expectDuplicates(d, { givenName: 'Laxmi', familyName: 'Devi', gender: 'female', ageYears: 61, mobile: '+91 90000 04444' });
    expect(r.candidates.map((c) => c.id)).toEqual([lakshmi.patient.id]);
    expect(r.candidates[0]!.age).toBe(60);
    expect(searchNames(d, '4444')).toEqual(['Lakshmi Devi']);
  });

  it('registers a family member who shares the mobile under a different first name', () => {
    const d = openDesk();
    register(d, RAMESH);
    const sunita = register(d, { givenName: 'Sunita', familyName: 'Kumar', gender: 'female', dob: '1984-08-30', mobile: RAMESH.mobile });
    expect(sunita.patient.duplicateOverride).toBeNull();
    const son = register(d, { givenName: 'Arjun', familyName: 'Kumar', gender: 'male', ageYears: 12, mobile: RAMESH.mobile });
    expect(son.patient.mrn).toBe('A-000003');
    expect(searchNames(d, RAMESH.mobile)).toEqual(['Arjun Kumar', 'Sunita Kumar', 'Ramesh Kumar']);
  });

  it('treats the same ABHA number as a duplicate whatever the name', () => {
    const d = openDesk();
    const first = register(d, { ...RAMESH, abhaNumber: '91123456789012' });
    const r = expectDuplicates(d, { givenName: 'Suresh', familyName: 'Patil', gender: 'male', ageYears: 30, abhaNumber: '91-1234-5678-9012' });
    expect(r.candidates).toEqual([expect.objectContaining({ id: first.patient.id, reasons: ['Same ABHA number'] })]);
  });

  it('treats the same name and date of birth as a duplicate, even without a mobile', () => {
    const d = openDesk();
    const sita = register(d, { givenName: 'Sita', familyName: 'Ram', gender: 'female', dob: '1990-01-01' });
    const r = expectDuplicates(d, { givenName: 'Seeta', familyName: 'Ram', gender: 'female', dob: '1990-01-01', mobile: '9123400000' });
    expect(r.candidates).toEqual([expect.objectContaining({ id: sita.patient.id, reasons: ['Same name and date of birth'] })]);
    // Same name, another birthday and another mobile: a different person.
    expect(register(d, { givenName: 'Sita', familyName: 'Ram', gender: 'female', dob: '1991-06-01' }).patient.mrn).toBe('A-000002');
  });

  it('lists every reason when a record matches in several ways', () => {
    const d = openDesk();
    const first = register(d, { ...RAFIQ, abhaNumber: '11112222333344' });
    const r = expectDuplicates(d, { ...RAFIQ, givenName: 'Mohd', abhaNumber: '11-1122-2233-3344' });
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0]!.id).toBe(first.patient.id);
    expect(r.candidates[0]!.reasons).toEqual(['Same ABHA number', 'Same mobile and a similar name', 'Same name and date of birth']);
  });

  it('registers past the warning only when the receptionist acknowledges every candidate, and audits it', () => {
    const d = openDesk();
    const first = register(d, RAFIQ);
    const mohd = { ...RAFIQ, givenName: 'Mohd' };
    const seen = expectDuplicates(d, mohd);
    // Acknowledging something else does not get past the check.
    expectDuplicates(d, mohd, ['0190a5e2-0000-7000-8000-000000000000']);
    const r = register(d, mohd, seen.candidates.map((c) => c.id));
    expect(r.patient).toMatchObject({ mrn: 'A-000002', name: 'Mohd Rafiq', duplicateOverride: [first.patient.id] });
    expect(searchNames(d, 'rafiq')).toEqual(['Mohd Rafiq', 'Mohammed Rafiq']);

    const audit = auditRows(d, 'patients.register', r.patient.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'ok', entityType: 'patients', username: 'rita' });
    expect(audit[0]!.detail).toMatch(/duplicates/);
    expect(audit[0]!.detail).toContain('A-000001');
    expect(audit[0]!.newValues).toMatchObject({ duplicate_override: [first.patient.id], mrn: 'A-000002' });
    // The plain registration of the first record carries no such note.
    expect(auditRows(d, 'patients.register', first.patient.id)[0]!.detail).toBeNull();
  });
});

describe('finding a patient', () => {
  function seed(d: Desk) {
    const rafiq = register(d, { givenName: 'Mohammed', familyName: 'Rafiq', gender: 'male', dob: '1975-03-02', mobile: '9876500011' });
    const ram = register(d, { givenName: 'Ram', familyName: 'Singh', gender: 'male', ageYears: 70, mobile: '9822000022' });
    const ramesh = register(d, { ...RAMESH, mobile: '9811000033' });
    const lakshmi = register(d, {
      givenName: 'Lakshmi',
      familyName: 'Devi',
      gender: 'female',
      ageYears: 60,
      mobile: '9000004444',
      abhaNumber: '91-1234-5678-9012',
      abhaAddress: 'lakshmi.devi@abdm',
    });
    const sunita = register(d, { givenName: 'Sunita', familyName: 'Kumar', gender: 'female', dob: '1984-08-30', mobile: '9811000033' });
    return { rafiq: rafiq.patient, ram: ram.patient, ramesh: ramesh.patient, lakshmi: lakshmi.patient, sunita: sunita.patient };
  }

  it('finds by any part of the name, in any order, by prefix and by sound', () => {
    const d = openDesk();
    seed(d);
    const search = (query: string) => d.c.ok('patients.search', { query }, d.reception).map((p) => `${p.name}:${p.match}`);
    expect(search('rafiq')).toEqual(['Mohammed Rafiq:name']);
    expect(search('RAFIQ mohammed')).toEqual(['Mohammed Rafiq:name']);
    expect(search('rafiq moh')).toEqual(['Mohammed Rafiq:name-prefix']);
    expect(search('moh')).toEqual(['Mohammed Rafiq:name-prefix']);
    expect(search('mohd')).toEqual(['Mohammed Rafiq:sounds-like']);
    expect(search('Muhammad Rafeeq')).toEqual(['Mohammed Rafiq:sounds-like']);
    expect(search('laxmi')).toEqual(['Lakshmi Devi:sounds-like']);
    expect(search('sunitha')).toEqual(['Sunita Kumar:sounds-like']);
    expect(search('xyzzy')).toEqual([]);
    expect(search('   ')).toEqual([]);
  });

  it('finds a name typed in Devanagari, whole and by prefix, and flags it again as a duplicate', () => {
    const d = openDesk();
    seed(d);
    register(d, { givenName: 'राम', familyName: 'शर्मा', gender: 'male', dob: '1980-01-01' });
    expect(searchNames(d, 'राम शर्मा')).toEqual(['राम शर्मा']);
    expect(searchNames(d, 'शर्मा')).toEqual(['राम शर्मा']);
    expect(searchNames(d, 'शर')).toEqual(['राम शर्मा']);
    // The Latin "Ram Singh" is not matched by script-blind guessing, nor the other way round.
    expect(searchNames(d, 'राम')).toEqual(['राम शर्मा']);
    expect(searchNames(d, 'ram')).not.toContain('राम शर्मा');
    // Vowel signs are part of the word: रीमा and रोमा are other names, not "र…म".
    register(d, { givenName: 'रीमा', familyName: 'वर्मा', gender: 'female', dob: '1990-01-01' });
    expect(searchNames(d, 'राम')).toEqual(['राम शर्मा']);
    expect(searchNames(d, 'रीमा')).toEqual(['रीमा वर्मा']);
    const again = expectDuplicates(d, { givenName: 'राम', familyName: 'शर्मा', gender: 'male', dob: '1980-01-01' });
    expect(again.candidates.map((c) => c.name)).toEqual(['राम शर्मा']);
  });

  it("finds D'Souza typed with or without the apostrophe, or as two words", () => {
    const d = openDesk();
    register(d, { givenName: 'Maria', familyName: "D'Souza", gender: 'female', ageYears: 40 });
    register(d, { givenName: 'Joseph', familyName: 'Dsouza', gender: 'male', ageYears: 40 });
    register(d, { givenName: 'Anthony', familyName: 'D’Cruz', gender: 'male', ageYears: 50 });
    expect(searchNames(d, 'Dsouza').sort()).toEqual(["Maria D'Souza", 'Joseph Dsouza'].sort());
    expect(searchNames(d, "D'Souza").sort()).toEqual(["Maria D'Souza", 'Joseph Dsouza'].sort());
    expect(searchNames(d, 'd souza')).toEqual(["Maria D'Souza"]);
    expect(searchNames(d, "d'cruz")).toEqual(['Anthony D’Cruz']);
    expect(searchNames(d, 'dcruz')).toEqual(['Anthony D’Cruz']);
  });

  it('writes again, once and in place, the names an earlier build indexed wrongly', () => {
    const d = openDesk();
    const older = register(d, { givenName: 'राम', familyName: 'शर्मा', gender: 'male', dob: '1980-01-01' }).patient;
    register(d, { givenName: 'Maria', familyName: "D'Souza", gender: 'female', ageYears: 40 });
    register(d, { givenName: 'Rekha', familyName: 'Rao', gender: 'female', ageYears: 30 });
    const sqlite = d.c.app.database.sqlite;
    // As the build before wrote them: the Devanagari name as nothing, D'Souza as two words.
    const ranks = sqlite.prepare('SELECT s.rank, p.given_name AS g FROM patient_search s JOIN patients p ON p.id = s.patient_id ORDER BY s.rank').all() as { rank: number; g: string }[];
    const before = new Map([['राम', ''], ['Maria', 'maria d souza']]);
    for (const r of ranks) {
      if (!before.has(r.g)) continue;
      sqlite.prepare('DELETE FROM patient_fts WHERE rowid = ?').run(r.rank);
      sqlite.prepare('INSERT INTO patient_fts (rowid, name, ph) VALUES (?, ?, ?)').run(r.rank, before.get(r.g), '');
    }
    sqlite.prepare("DELETE FROM local_meta WHERE key = 'search.nameIndexVersion'").run();
    expect(searchNames(d, 'शर्मा')).toEqual([]);
    expect(searchNames(d, 'dsouza')).toEqual([]);

    // In slices, the most recent visitors first: Rekha and Maria, then (after a restart, say) the rest.
    expect(refreshNameIndexSlice(sqlite, 2)).toEqual({ rows: 2, done: false });
    expect(searchNames(d, 'dsouza')).toEqual(["Maria D'Souza"]);
    expect(searchNames(d, 'शर्मा')).toEqual([]);
    // A patient registered between slices is indexed as ever, above the slices' cursor.
    register(d, { givenName: 'सीता', familyName: 'देवी', gender: 'female', ageYears: 50 });
    expect(refreshNameIndexSlice(sqlite, 2)).toEqual({ rows: 1, done: true });
    expect(searchNames(d, 'शर्मा')).toEqual(['राम शर्मा']);
    expect(searchNames(d, 'सीता')).toEqual(['सीता देवी']);
    // Each kept its place in the recency order, and once done it is never written again.
    expect(sqlite.prepare('SELECT rank FROM patient_search WHERE patient_id = ?').pluck().get(older.id)).toBe(ranks.find((r) => r.g === 'राम')!.rank);
    expect(refreshNameIndexSlice(sqlite, 2)).toEqual({ rows: 0, done: true });
    expect(refreshNameIndex(sqlite)).toBe(0);
  });

  it('finds by full mobile and by its last 4 digits', () => {
    const d = openDesk();
    seed(d);
    const search = (query: string) => d.c.ok('patients.search', { query }, d.reception).map((p) => `${p.name}:${p.match}`);
    expect(search('9876500011')).toEqual(['Mohammed Rafiq:mobile']);
    expect(search('98765 00011')).toEqual(['Mohammed Rafiq:mobile']);
    expect(search('0011')).toEqual(['Mohammed Rafiq:mobile']);
    expect(search('0022')).toEqual(['Ram Singh:mobile']);
    // A shared family mobile shows the whole family, the most recent first.
    expect(search('0033')).toEqual(['Sunita Kumar:mobile', 'Ramesh Kumar:mobile']);
    expect(search('5555')).toEqual([]);
  });

  it('finds by MRN in any case', () => {
    const d = openDesk();
    const { rafiq, ramesh } = seed(d);
    expect(d.c.ok('patients.search', { query: 'A-000001' }, d.reception)).toEqual([
      expect.objectContaining({ id: rafiq.id, mrn: 'A-000001', match: 'mrn' }),
    ]);
    expect(d.c.ok('patients.search', { query: 'a-000003' }, d.reception).map((p) => p.id)).toEqual([ramesh.id]);
    expect(d.c.ok('patients.search', { query: 'A-000099' }, d.reception)).toEqual([]);
  });

  it('finds by ABHA number with or without dashes, and by ABHA address', () => {
    const d = openDesk();
    const { lakshmi } = seed(d);
    for (const query of ['91-1234-5678-9012', '91123456789012', '91 1234 5678 9012', 'lakshmi.devi@abdm', 'Lakshmi.Devi@ABDM']) {
      const hits = d.c.ok('patients.search', { query }, d.reception);
      expect(hits[0], query).toMatchObject({ id: lakshmi.id, match: 'abha', abhaNumber: '91123456789012' });
      expect(hits, query).toHaveLength(1);
    }
    expect(d.c.ok('patients.search', { query: 'someone.else@abdm' }, d.reception)).toEqual([]);
  });

  it('shows whole-word matches before prefix matches, then the most recent visitor first', () => {
    const d = openDesk();
    const { ramesh, sunita } = seed(d);
    // Ram Singh registered before Ramesh Kumar, but "ram" is his whole first name.
    expect(searchNames(d, 'ram')).toEqual(['Ram Singh', 'Ramesh Kumar']);
    // Among equal matches, the most recently seen patient comes first.
    expect(searchNames(d, 'kumar')).toEqual(['Sunita Kumar', 'Ramesh Kumar']);
    d.c.clock.now += 5 * MINUTE;
    const visit = d.c.ok('queue.checkIn', { patientId: ramesh.id, doctorId: d.drRao }, d.reception);
    expect(visit.tokenLabel).toBe('1');
    const hits = d.c.ok('patients.search', { query: 'kumar' }, d.reception);
    expect(hits.map((h) => h.name)).toEqual(['Ramesh Kumar', 'Sunita Kumar']);
    expect(hits[0]!.lastVisitAt).toBe(d.c.clock.now);
    expect(hits[1]!.lastVisitAt).toBeNull();
    expect(searchNames(d, '0033')).toEqual(['Ramesh Kumar', 'Sunita Kumar']);
    // Sunita checks in later and moves back to the top.
    d.c.clock.now += 5 * MINUTE;
    d.c.ok('queue.checkIn', { patientId: sunita.id, doctorId: d.drIyer }, d.reception);
    expect(searchNames(d, 'kumar')).toEqual(['Sunita Kumar', 'Ramesh Kumar']);
  });

  it('limits the number of results', () => {
    const d = openDesk();
    for (let i = 0; i < 6; i++) register(d, { givenName: 'Ravi', familyName: `Sharma${'abcdef'[i]}`, gender: 'male', ageYears: 20 + i });
    expect(d.c.ok('patients.search', { query: 'ravi', limit: 4 }, d.reception)).toHaveLength(4);
    expect(d.c.ok('patients.search', { query: 'ravi' }, d.reception)).toHaveLength(6);
  });
});

describe('updating a patient', () => {
  it('changes only what was edited, keeps old and new values in the audit log, and search follows', () => {
    const d = openDesk();
    const { patient } = register(d, { ...RAMESH, abhaAddress: 'ramesh.kumar@abdm', city: 'Pune' });
    d.c.clock.now += MINUTE;
    const r = d.c.ok('patients.update', { id: patient.id, patch: { mobile: '+91 91234 56789' } }, d.reception);
    expect(r.warnings).toEqual([]);
    expect(r.patient).toMatchObject({ mobile: '9123456789', familyName: 'Kumar', abhaAddress: 'ramesh.kumar@abdm', city: 'Pune', dob: RAMESH.dob });
    const stored = d.c.ok('patients.get', { id: patient.id }, d.reception).patient;
    expect(stored).toMatchObject({ name: 'Ramesh Kumar', mobile: '9123456789', abhaAddress: 'ramesh.kumar@abdm', city: 'Pune' });

    const audit = auditRows(d, 'patients.update', patient.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ username: 'rita', outcome: 'ok', entityType: 'patients' });
    expect(audit[0]!.oldValues).toEqual({ mobile: '9876543210' });
    expect(audit[0]!.newValues).toEqual({ mobile: '9123456789' });

    expect(searchNames(d, '9123456789')).toEqual(['Ramesh Kumar']);
    expect(searchNames(d, '6789')).toEqual(['Ramesh Kumar']);
    expect(searchNames(d, '3210')).toEqual([]);

    d.c.clock.now += MINUTE;
    d.c.ok('patients.update', { id: patient.id, patch: { givenName: 'Rakesh' } }, d.reception);
    expect(searchNames(d, 'rakesh')).toEqual(['Rakesh Kumar']);
    expect(searchNames(d, 'ramesh')).toEqual([]);
    expect(searchNames(d, 'kumar')).toEqual(['Rakesh Kumar']);
    const rename = auditRows(d, 'patients.update', patient.id)[1]!;
    expect(rename.oldValues).toEqual({ given_name: 'Ramesh' });
    expect(rename.newValues).toEqual({ given_name: 'Rakesh' });
    // The audit log is readable by the administrator through the API too.
    const listed = d.c.ok('audit.list', { entityType: 'patients', entityId: patient.id }, d.admin).rows;
    expect(listed.map((row) => row.action)).toEqual(expect.arrayContaining(['patients.register', 'patients.update', 'patients.update']));
  });

  it('can clear a field on purpose', () => {
    const d = openDesk();
    const { patient } = register(d, { ...RAMESH, email: 'ramesh@example.in' });
    const r = d.c.ok('patients.update', { id: patient.id, patch: { email: '', familyName: null } }, d.reception);
    expect(r.patient).toMatchObject({ email: null, familyName: null, name: 'Ramesh' });
    expect(searchNames(d, 'kumar')).toEqual([]);
  });

  it('refuses a bad edit by field and keeps the record as it was', () => {
    const d = openDesk();
    const { patient } = register(d, RAMESH);
    const future = failure(d.c.call('patients.update', { id: patient.id, patch: { dob: '2030-01-01' } }, d.reception));
    expect(future).toMatchObject({ code: 'invalid_input', fields: { 'patch.dob': expect.stringMatching(/future/) } });
    const abha = failure(d.c.call('patients.update', { id: patient.id, patch: { abhaAddress: '1abc@abdm' } }, d.reception));
    expect(Object.keys(abha.fields ?? {})).toEqual(['patch.abhaAddress']);
    expect(d.c.ok('patients.get', { id: patient.id }, d.reception).patient).toMatchObject({ dob: RAMESH.dob, abhaAddress: null });
    expect(auditRows(d, 'patients.update').map((r) => r.outcome)).toEqual(['invalid', 'invalid']);
  });
});

describe('who may register', () => {
  it('does not let a cashier register or edit patients, but lets them find one', () => {
    const d = openDesk();
    const refused = failure(d.c.call('patients.register', { patient: RAMESH }, d.cashier));
    expect(refused.code).toBe('forbidden');
    expect(changeLogRows(d, 'patients')).toEqual([]);
    const { patient } = register(d, RAMESH);
    expect(failure(d.c.call('patients.update', { id: patient.id, patch: { mobile: '9000000000' } }, d.cashier)).code).toBe('forbidden');
    expect(d.c.ok('patients.search', { query: 'ramesh' }, d.cashier).map((p) => p.mobile)).toEqual([RAMESH.mobile]);
    expect(failure(d.c.call('patients.register', { patient: RAMESH }, null)).code).toBe('unauthenticated');
  });
});
