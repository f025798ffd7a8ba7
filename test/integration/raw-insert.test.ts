import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { insertReturning } from '../../db/raw-insert';
import { patients } from '../../db/schema';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';

/**
 * The Writer inserts through a raw prepared statement (db/raw-insert.ts, issue #20) instead of
 * drizzle's query builder. What lands in the database, and the row handed back, must be exactly
 * what drizzle's `insert … returning` stored and returned: every column, JSON text, booleans,
 * defaults and NULLs.
 */

const DESK = { username: 'rita', fullName: 'Rita Dsouza', password: 'reception desk password' };

const FULL = {
  givenName: '  Sunita ',
  familyName: 'Deshpande',
  gender: 'female',
  dob: '1981-04-02',
  mobile: '9822011122',
  alternatePhone: '02024451234',
  email: 'sunita@example.in',
  addressLine1: '12 Shivaji Nagar',
  addressLine2: null,
  city: 'Pune',
  district: 'Pune',
  state: 'Maharashtra',
  pincode: '411005',
  bloodGroup: 'B+',
  allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }],
  chronicConditions: ['Hypertension', 'Type 2 diabetes'],
  currentMedications: ['Amlodipine 5 mg'],
  emergencyContact: { name: 'Vijay Deshpande', phone: '9822011123', relation: 'husband' },
  insurance: { provider: 'Star Health', policyNumber: 'SH-1234', expiry: null },
  maritalStatus: 'married',
  occupation: 'Teacher',
  preferredLanguage: 'hi',
  consent: true,
  abhaNumber: null,
};

function desk(): { c: TestClinic; token: string } {
  const c = makeClinic();
  const admin = c.login(ADMIN.username, ADMIN.password);
  c.ok('staff.create', { ...DESK, roles: ['receptionist'] }, admin);
  return { c, token: c.login(DESK.username, DESK.password) };
}

const rawRow = (c: TestClinic, id: string) =>
  c.app.database.sqlite.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Record<string, unknown>;

function without(row: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));
}

describe('the raw insert the Writer uses', () => {
  for (const [name, patient] of [
    ['every field filled (JSON, booleans, a language)', FULL],
    ['only the required fields (defaults and NULLs)', { givenName: 'Asha', gender: 'female', ageYears: 30 }],
  ] as const) {
    it(`stores a registration exactly as drizzle's insert stored it: ${name}`, () => {
      const { c, token } = desk();
      const r = c.ok('patients.register', { patient, acknowledgeDuplicates: [] }, token);
      if (r.status !== 'registered') throw new Error('not registered');
      const stored = rawRow(c, r.patient.id);
      // The same values written by drizzle's query builder, the path the Writer used before.
      const typed = c.app.database.db.select().from(patients).where(eq(patients.id, r.patient.id)).get()!;
      c.app.database.db.insert(patients).values({ ...typed, id: 'drizzle-copy', mrn: 'X-000001' }).run();
      expect(without(stored, 'id', 'mrn')).toEqual(without(rawRow(c, 'drizzle-copy'), 'id', 'mrn'));
      // JSON columns hold drizzle's JSON text; booleans 0/1; nothing left undefined.
      if (patient === FULL) {
        expect(stored.allergies).toBe(JSON.stringify(FULL.allergies));
        expect(stored.emergency_contact).toBe(JSON.stringify(FULL.emergencyContact));
        expect(stored.consent).toBe(1);
        expect(stored.given_name).toBe('Sunita');
      } else {
        expect(stored.allergies).toBe('[]');
        expect(stored.insurance).toBeNull();
        expect(stored.consent).toBe(0);
        expect(stored.dob_estimated).toBe(1);
      }
    });
  }

  it('inserts and returns the same row as drizzle for the same sparse values, defaults included', () => {
    const { c } = desk();
    const { db, sqlite } = c.app.database;
    const values = {
      mrn: 'T-000001',
      givenName: 'Meena',
      familyName: null,
      gender: 'female' as const,
      dob: '1990-01-01',
      insurance: { provider: 'LIC', policyNumber: '9', expiry: '2027-03-31' },
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
      hlc: '0001700000000000-0000-dev',
      deviceId: 'dev',
      deletedAt: null,
    };
    const old = db.insert(patients).values({ ...values, id: 'old' }).returning().get();
    const fast = insertReturning(db, patients, { ...values, id: 'new', mrn: 'T-000002' });
    // The raw path is taken (not the drizzle fallback) and returns drizzle's row.
    expect(fast).toBeDefined();
    expect(without(fast!, 'id', 'mrn')).toEqual(without(old, 'id', 'mrn'));
    const read = (id: string) => sqlite.prepare('SELECT * FROM patients WHERE id = ?').get(id) as Record<string, unknown>;
    expect(without(read('new'), 'id', 'mrn')).toEqual(without(read('old'), 'id', 'mrn'));
  });
});
