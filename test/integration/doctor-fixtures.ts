import { and, eq } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Result } from '../../shared/api';
import type { Output } from '../../electron/api';
import { auditLog } from '../../db/schema';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

/**
 * A clinic ready for the doctor's desk: an admin, a receptionist, two doctors (Dr Meera Rao with
 * a Saturday-morning timetable, Dr Arjun Iyer) and four registered patients. Logins cost scrypt
 * hashes, so the clinic is built once per test file and each test gets its own copy of the
 * SQLite file, opened by the real app and router.
 *
 * The clinic clock starts on Saturday 2026-11-21 at 10:00 IST.
 */

export const TODAY = '2026-11-21'; // Saturday
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface DoctorDesk {
  c: TestClinic;
  /** Session tokens. */
  admin: string;
  reception: string;
  /** Dr Meera Rao's session. */
  rao: string;
  /** Dr Arjun Iyer's session. */
  iyer: string;
  /** Staff user ids. */
  drRao: string;
  drIyer: string;
  /** Patient ids. */
  anil: string;
  bhavna: string;
  chetan: string;
  deepa: string;
}

interface Template {
  file: Buffer;
  ids: Omit<DoctorDesk, 'c'>;
}

let template: Template | undefined;

export const PATIENTS = {
  anil: { givenName: 'Anil', familyName: 'Joshi', gender: 'male', dob: '1970-03-15', mobile: '9822000010' },
  bhavna: { givenName: 'Bhavna', familyName: 'Shah', gender: 'female', dob: '1985-07-01', mobile: '9822000011' },
  chetan: { givenName: 'Chetan', familyName: 'Desai', gender: 'male', dob: '1992-01-20', mobile: '9822000012' },
  deepa: { givenName: 'Deepa', familyName: 'Nair', gender: 'female', dob: '1960-11-02', mobile: '9822000013' },
} as const;

function buildTemplate(): Template {
  const c = makeClinic();
  const admin = c.login('admin', ADMIN.password);
  const staff = (username: string, fullName: string, roles: string[]) =>
    c.ok('staff.create', { username, fullName, password: `${username}-password`, roles }, admin);
  staff('rita', 'Rita Dsouza', ['receptionist']);
  const rao = staff('meera', 'Dr Meera Rao', ['doctor']);
  const iyer = staff('arjun', 'Dr Arjun Iyer', ['doctor']);
  c.ok(
    'doctors.upsert',
    {
      userId: rao.id,
      specialization: 'General Medicine',
      qualifications: 'MBBS, MD',
      registrationCouncil: 'Maharashtra Medical Council',
      registrationNumber: 'MMC-2011-04567',
      consultationFeePaise: 50_000,
      followUpFeePaise: 20_000,
      followUpWindowDays: 7,
      schedule: [{ weekday: 6, start: '09:00', end: '13:00', slotMinutes: 15, maxPerSlot: 2, mode: 'in-person' }],
    },
    admin,
  );
  const reception = c.login('rita', 'rita-password');
  const registered = Object.fromEntries(
    Object.entries(PATIENTS).map(([key, patient]) => {
      const r = c.ok('patients.register', { patient, acknowledgeDuplicates: [] }, reception);
      if (r.status !== 'registered') throw new Error(`could not register ${key}`);
      return [key, r.patient.id];
    }),
  ) as Record<keyof typeof PATIENTS, string>;
  const ids = {
    admin,
    reception,
    rao: c.login('meera', 'meera-password'),
    iyer: c.login('arjun', 'arjun-password'),
    drRao: rao.id,
    drIyer: iyer.id,
    ...registered,
  };
  c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { file: fs.readFileSync(c.app.dbFile), ids };
}

/** A fresh copy of the doctor's-desk clinic for one test. */
export function openDoctorDesk(): DoctorDesk {
  template ??= buildTemplate();
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), template.file);
  // Sessions stay valid across the days a test moves the clock through.
  const c = makeClinic({ setup: false, dataDir, settings: { sessionIdleMs: 60 * DAY } });
  return { c, ...template.ids };
}

/** The error of a call that must fail. */
export function failure<T>(r: Result<T>) {
  expect(r.ok, 'the call should have been refused').toBe(false);
  if (r.ok) throw new Error('unreachable');
  return r.error;
}

export type CheckedIn = Output<'queue.checkIn'>;

/** Reception checks a patient in with a doctor. */
export function checkIn(d: DoctorDesk, patientId: string, doctorId: string, extra: Record<string, unknown> = {}): CheckedIn {
  return d.c.ok('queue.checkIn', { patientId, doctorId, ...extra }, d.reception);
}

/** Reception's view of today's queue. */
export function receptionQueue(d: DoctorDesk, doctorId?: string) {
  return d.c.ok('queue.list', doctorId ? { doctorId } : {}, d.reception);
}

export function auditRows(d: DoctorDesk, action: string, entityId?: string) {
  const where = entityId ? and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)) : eq(auditLog.action, action);
  return d.c.app.database.db.select().from(auditLog).where(where).orderBy(auditLog.at, auditLog.id).all();
}
