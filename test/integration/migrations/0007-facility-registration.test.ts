import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorProfiles } from '../../../db/schema';
import { hashPassword } from '../../../electron/services/passwords';
import { ADMIN, makeClinic } from '../../helpers/app';
import { insertRow, migrateTo } from '../../helpers/migrations';
import { tempDir } from '../../helpers/temp';

/**
 * 0007 added the facility registration (JSON objects, NOT NULL with defaults) to a facility row
 * every set-up clinic already had, and structured qualifications to doctor profiles. The defaults
 * are the backfill: the old rows must come out as a draft registration the app can read and fill.
 */

const NOW = Date.UTC(2026, 10, 21, 4, 30);
const stamp = { created_at: NOW - 86_400_000, updated_at: NOW - 86_400_000, hlc: `${String(NOW - 86_400_000).padStart(15, '0')}-0000-device-a`, device_id: 'device-a', deleted_at: null };
const FACILITY_ID = '01937a1c-0000-7000-8000-00000000f001';
const DOCTOR_USER = '01937a1c-0000-7000-8000-00000000u003';

describe('migration 0007_facility_registration', () => {
  it('turns an existing facility and doctor profile into a draft registration the app reads', () => {
    const dataDir = tempDir();
    const old = migrateTo(path.join(dataDir, 'clinic.db'), '0006');
    insertRow(old.sqlite, 'facility', { id: FACILITY_ID, ...stamp, name: 'Sharma Clinic', address: '12 MG Road, Pune 411001', phone: '020 2555 1234' });
    const user = (id: string, username: string, fullName: string, roles: string) =>
      insertRow(old.sqlite, 'users', { id, ...stamp, username, full_name: fullName, password_hash: hashPassword(ADMIN.password), roles, active: 1 });
    user('01937a1c-0000-7000-8000-00000000u001', ADMIN.username, ADMIN.fullName, '["admin"]');
    user(DOCTOR_USER, 'meera', 'Dr Meera Rao', '["doctor"]');
    insertRow(old.sqlite, 'doctor_profiles', {
      id: '01937a1c-0000-7000-8000-00000000d001',
      ...stamp,
      user_id: DOCTOR_USER,
      specialization: 'General Medicine',
      qualifications: 'MBBS, MD',
      registration_council: 'Maharashtra Medical Council',
      registration_number: 'MMC-2011-04512',
      hpr_id: null,
      hpr_address: null,
      consultation_fee_paise: 50_000,
      follow_up_fee_paise: 20_000,
      follow_up_window_days: 7,
      languages: '["en","mr"]',
    });
    old.sqlite.close();

    const c = makeClinic({ dataDir, setup: false });
    const raw = c.app.database.sqlite.prepare('SELECT name, registration, letterhead, registration_status, hfr_id FROM facility').all();
    expect(raw).toEqual([{ name: 'Sharma Clinic', registration: '{}', letterhead: '{}', registration_status: 'draft', hfr_id: null }]);

    const admin = c.login(ADMIN.username, ADMIN.password);
    expect(c.ok('facility.get', {}, admin)).toMatchObject({ id: FACILITY_ID, name: 'Sharma Clinic', registration: {}, letterhead: {}, registrationStatus: 'draft', hfrId: null });
    // A half-filled draft validates; what is missing is listed, not thrown.
    expect(c.call('facility.validate', {}, admin).ok).toBe(true);

    const profile = c.app.database.db.select().from(doctorProfiles).get();
    expect(profile).toMatchObject({ userId: DOCTOR_USER, registrationNumber: 'MMC-2011-04512', languages: ['en', 'mr'], qualificationDetails: [], registrationDate: null });
  });
});
