import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { patients } from '../../db/schema';
import { ADMIN } from '../helpers/app';
import { failure, openDesk, register, type Desk } from './reception-fixtures';

/**
 * Issue #12 item 6: text that looks empty or harmless on screen (NUL, a right-to-left override,
 * a byte-order mark, half of an emoji) must be refused with the field named, and nothing stored;
 * what is accepted is stored in NFC.
 */

const PATIENT = { givenName: 'Ramesh', familyName: 'Kumar', gender: 'male', dob: '1980-05-14', mobile: '9876543210', city: 'Pune' };

/** Rows a refused call must not have written (only the audit log records the refusal). */
function counts(d: Desk) {
  const n = (sql: string) => (d.c.app.database.sqlite.prepare(sql).get() as { n: number }).n;
  return {
    patients: n('SELECT count(*) AS n FROM patients'),
    invoices: n('SELECT count(*) AS n FROM invoices'),
    drugs: n('SELECT count(*) AS n FROM drugs'),
    changes: n("SELECT count(*) AS n FROM change_log WHERE table_name <> 'audit_log'"),
  };
}

function refusedRegistration(d: Desk, patient: Record<string, unknown>) {
  const before = counts(d);
  const error = failure(d.c.call('patients.register', { patient }, d.reception));
  expect(counts(d)).toEqual(before);
  expect(error.code).toBe('invalid_input');
  return error.fields ?? {};
}

describe('text typed at the desk', () => {
  it('refuses a NUL, a right-to-left override, a byte-order mark and a broken character in a patient, naming the field', () => {
    const d = openDesk();
    expect(refusedRegistration(d, { ...PATIENT, givenName: 'Ram\u0000esh' })).toEqual({
      'patient.givenName': 'Given name contains an invisible control character; retype it',
    });
    expect(refusedRegistration(d, { ...PATIENT, city: 'Pune\u202Egpj.exe' })).toEqual({
      'patient.city': 'City / village contains a right-to-left override mark; retype it',
    });
    // A BOM at the end would be trimmed away as "whitespace" by a plain trim(): it must be refused first.
    expect(refusedRegistration(d, { ...PATIENT, familyName: 'Kumar\uFEFF' })).toEqual({
      'patient.familyName': 'Family name contains an invisible byte-order mark; retype it',
    });
    expect(refusedRegistration(d, { ...PATIENT, givenName: 'Ramesh \uD800' })).toEqual({
      'patient.givenName': 'Given name contains a broken character; retype it',
    });
    expect(refusedRegistration(d, { ...PATIENT, allergies: [{ type: 'food', substance: 'Pea\u0007nuts', severity: 'mild' }] })).toEqual({
      'patient.allergies.0.substance': 'Allergy substance contains an invisible control character; retype it',
    });
  });

  it('refuses a control character in a billing line description and a formulary drug name, storing nothing', () => {
    const d = openDesk();
    const patient = register(d, PATIENT).patient;
    const line = { kind: 'procedure', description: 'Wound dressing', sacHsn: '999319', quantity: 1, ratePaise: 30_000 };

    let before = counts(d);
    const bill = failure(d.c.call('billing.createInvoice', { patientId: patient.id, lines: [line, { ...line, description: 'Dressing\u001B[2J' }] }, d.admin));
    expect(bill.code).toBe('invalid_input');
    expect(bill.fields).toEqual({ 'lines.1.description': 'Description contains an invisible control character; retype it' });
    expect(counts(d)).toEqual(before);

    before = counts(d);
    const drug = failure(d.c.call('formulary.upsert', { genericName: 'Parace\u0085tamol', form: 'tablet', route: 'oral' }, d.admin));
    expect(drug.code).toBe('invalid_input');
    expect(drug.fields).toEqual({ genericName: 'Generic name contains an invisible control character; retype it' });
    expect(counts(d)).toEqual(before);

    // The same calls with clean text go through: it was the character, nothing else.
    d.c.ok('billing.createInvoice', { patientId: patient.id, lines: [line] }, d.admin);
    d.c.ok('formulary.upsert', { genericName: 'Paracetamol', form: 'tablet', route: 'oral' }, d.admin);
    expect(counts(d)).toMatchObject({ invoices: before.invoices + 1, drugs: before.drugs + 1 });
  });

  it('stores a name typed with a combining accent in its composed form', () => {
    const d = openDesk();
    const r = register(d, { ...PATIENT, givenName: 'Jose\u0301', city: 'Sa\u0303o Paulo' });
    const row = d.c.app.database.db.select().from(patients).where(eq(patients.id, r.patient.id)).get();
    expect(row?.givenName).toBe('Jos\u00E9');
    expect(row?.city).toBe('S\u00E3o Paulo');
    // Search finds it whichever way it is typed.
    expect(d.c.ok('patients.search', { query: 'Jose\u0301' }, d.reception).map((p) => p.id)).toContain(r.patient.id);
  });

  it('keeps line breaks in a text area and refuses them in a one-line field', () => {
    const d = openDesk();
    d.c.ok('facility.save', { address: '12 MG Road\r\nPune 411001' }, d.admin);
    expect(d.c.ok('facility.get', {}, d.admin).address).toBe('12 MG Road\nPune 411001');

    expect(refusedRegistration(d, { ...PATIENT, city: 'Pune\nMaharashtra' })).toEqual({
      'patient.city': 'City / village must be on one line (it contains a line break or tab); retype it',
    });
    // A lone CR is not a line break anyone typed.
    const lone = failure(d.c.call('facility.save', { address: '12 MG Road\rPune' }, d.admin));
    expect(lone.fields).toEqual({ address: 'Address contains an invisible control character; retype it' });
  });

  it('accepts Hindi with zero-width joiner and non-joiner unchanged', () => {
    const d = openDesk();
    const given = 'क्\u200Dष';
    const family = 'श्\u200Cरीवास्तव';
    const r = register(d, { ...PATIENT, givenName: given, familyName: family, city: 'वाराणसी' });
    const row = d.c.app.database.db.select().from(patients).where(eq(patients.id, r.patient.id)).get();
    expect([row?.givenName, row?.familyName, row?.city]).toEqual([given, family, 'वाराणसी']);
  });

  it('guards fields no schema names and keeps passwords byte for byte', () => {
    const d = openDesk();
    // An unknown key is dropped by the schema, but its text is still refused by the router.
    const extra = failure(d.c.call('patients.search', { query: 'ram', note: 'x\u202Ey' }, d.reception));
    expect(extra.fields).toEqual({ note: 'Note contains a right-to-left override mark; retype it' });

    // Passwords are compared with hashes made before this rule: only NUL and broken text are refused.
    const odd = 'tab\there\u202E-1234';
    d.c.ok('staff.create', { username: 'nisha', fullName: 'Nisha Jose\u0301', password: odd, roles: ['receptionist'] }, d.admin);
    d.c.login('nisha', odd);
    expect(failure(d.c.call('auth.login', { username: 'nisha', password: 'tab there\u202E-1234' })).code).toBe('invalid_credentials');
    expect(failure(d.c.call('auth.login', { username: 'admin', password: `${ADMIN.password}\u0000` })).fields).toEqual({
      password: 'Password contains an invisible control character; retype it',
    });
  });
});
