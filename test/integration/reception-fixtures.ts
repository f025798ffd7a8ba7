import { and, eq } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Result } from '../../shared/api';
import type { Output } from '../../electron/api';
import { auditLog, changeLog } from '../../db/schema';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

/**
 * A clinic ready for the reception desk: an admin, a receptionist, a cashier, two doctors with
 * weekly timetables, and a staff member without the doctor role. Building it costs several scrypt
 * hashes, so it is built once per test file and each test gets its own copy of the SQLite file
 * (a real clinic.db in its own temp dir, opened by the real app and router).
 *
 * The clinic clock starts on Saturday 2026-11-21 at 10:00 IST.
 */

export const TODAY = '2026-11-21'; // Saturday
export const SUNDAY = '2026-11-22';
export const MONDAY = '2026-11-23';
export const NEXT_SATURDAY = '2026-11-28';
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** Dr Meera Rao: Saturday mornings in 15-minute slots for two patients, Monday evenings 20-minute slots for one. */
export const RAO_SCHEDULE = [
  { weekday: 6, start: '09:00', end: '13:00', slotMinutes: 15, maxPerSlot: 2, mode: 'in-person' },
  { weekday: 1, start: '17:00', end: '19:00', slotMinutes: 20, maxPerSlot: 1, mode: 'in-person' },
] as const;

/** Dr Arjun Iyer: Saturday 10:00-12:00 in 10-minute video slots for one patient. */
export const IYER_SCHEDULE = [{ weekday: 6, start: '10:00', end: '12:00', slotMinutes: 10, maxPerSlot: 1, mode: 'video' }] as const;

export const doctorProfile = (userId: string, schedule: readonly object[]) => ({
  userId,
  specialization: 'General Medicine',
  qualifications: 'MBBS, MD',
  registrationCouncil: 'Maharashtra Medical Council',
  registrationNumber: 'MMC-2011-04567',
  consultationFeePaise: 50_000,
  followUpFeePaise: 20_000,
  followUpWindowDays: 7,
  languages: ['Marathi', 'Hindi', 'English'],
  schedule,
});

export interface Desk {
  c: TestClinic;
  /** Session tokens. */
  admin: string;
  reception: string;
  cashier: string;
  /** Dr Rao's own session. */
  doctor: string;
  /** Staff user ids. */
  receptionistId: string;
  drRao: string;
  drIyer: string;
}

interface Template {
  file: Buffer;
  tokens: Pick<Desk, 'admin' | 'reception' | 'cashier' | 'doctor'>;
  ids: Pick<Desk, 'receptionistId' | 'drRao' | 'drIyer'>;
}

let template: Template | undefined;

function buildTemplate(): Template {
  const c = makeClinic();
  const admin = c.login('admin', ADMIN.password);
  const staff = (username: string, fullName: string, roles: string[]) =>
    c.ok('staff.create', { username, fullName, password: `${username}-password`, roles }, admin);
  const rita = staff('rita', 'Rita Dsouza', ['receptionist']);
  staff('kiran', 'Kiran Patil', ['cashier']);
  const rao = staff('meera', 'Dr Meera Rao', ['doctor']);
  const iyer = staff('arjun', 'Dr Arjun Iyer', ['doctor']);
  c.ok('doctors.upsert', doctorProfile(rao.id, RAO_SCHEDULE), admin);
  c.ok('doctors.upsert', { ...doctorProfile(iyer.id, IYER_SCHEDULE), specialization: 'Paediatrics' }, admin);
  const tokens = {
    admin,
    reception: c.login('rita', 'rita-password'),
    cashier: c.login('kiran', 'kiran-password'),
    doctor: c.login('meera', 'meera-password'),
  };
  c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const file = fs.readFileSync(c.app.dbFile);
  return { file, tokens, ids: { receptionistId: rita.id, drRao: rao.id, drIyer: iyer.id } };
}

/** A fresh copy of the reception clinic for one test. */
export function openDesk(): Desk {
  template ??= buildTemplate();
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), template.file);
  // Sessions stay valid across the days a test moves the clock through.
  const c = makeClinic({ setup: false, dataDir, settings: { sessionIdleMs: 30 * DAY } });
  return { c, ...template.tokens, ...template.ids };
}

export type Registered = Extract<Output<'patients.register'>, { status: 'registered' }>;
export type Duplicates = Extract<Output<'patients.register'>, { status: 'duplicates' }>;

/** Registers a patient at the desk and insists it was saved. */
export function register(d: Desk, patient: Record<string, unknown>, acknowledgeDuplicates: string[] = []): Registered {
  const r = d.c.ok('patients.register', { patient, acknowledgeDuplicates }, d.reception);
  if (r.status !== 'registered') throw new Error(`expected a registration, got duplicates ${JSON.stringify(r.candidates)}`);
  return r;
}

/** Registers and insists the desk was shown possible duplicates instead. */
export function expectDuplicates(d: Desk, patient: Record<string, unknown>, acknowledgeDuplicates: string[] = []): Duplicates {
  const r = d.c.ok('patients.register', { patient, acknowledgeDuplicates }, d.reception);
  if (r.status !== 'duplicates') throw new Error(`expected duplicates, but ${r.patient.name} was registered as ${r.patient.mrn}`);
  return r;
}

/** The error of a call that must fail. */
export function failure<T>(r: Result<T>) {
  expect(r.ok, 'the call should have been refused').toBe(false);
  if (r.ok) throw new Error('unreachable');
  return r.error;
}

/** Names of the patients a search at the desk shows, in order. */
export function searchNames(d: Desk, query: string): string[] {
  return d.c.ok('patients.search', { query }, d.reception).map((p) => p.name);
}

export function changeLogRows(d: Desk, table: string) {
  return d.c.app.database.db.select().from(changeLog).where(eq(changeLog.tableName, table)).all();
}

export function auditRows(d: Desk, action: string, entityId?: string) {
  const where = entityId ? and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)) : eq(auditLog.action, action);
  return d.c.app.database.db.select().from(auditLog).where(where).orderBy(auditLog.at, auditLog.id).all();
}
