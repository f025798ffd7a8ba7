import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Role } from '../../db/schema';
import { hashToken } from '../../electron/services/auth';
import type { Spooler } from '../../electron/services/printing';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tinyShippedLists } from '../helpers/shipped';
import { tempDir } from '../helpers/temp';
import type { World } from './generate';

/**
 * Who calls. Every method is called by each of these: the five roles, a user with two roles (the
 * union must apply), and the sessions that must get nowhere (none, garbage, ended, deactivated)
 * or only to a new password (an administrator reset it).
 */
export type PrincipalKind = 'anonymous' | 'garbage' | 'ended' | 'deactivated' | 'mustChange' | 'user';

export interface Principal {
  name: string;
  kind: PrincipalKind;
  roles: Role[];
  token: string | null;
  username?: string;
  password?: string;
}

export interface FuzzClinic {
  c: TestClinic;
  principals: Principal[];
  world: World;
  /** Unexpected errors the router caught (each also answered `internal`). */
  internalErrors: { method: string; error: string }[];
  /** Re-reads the ids of existing rows (the fuzz creates some as it goes). */
  refreshPools(): void;
  /** Business tables written since the last call of `take` (rolled-back writes do not count). */
  takeChanges(): string[];
  /** Another token of the same session, for calls that end their own session (auth.logout). */
  twinToken(p: Principal): string | null;
  /** Finds principals whose session no longer is what it was set up as; mends them and names them. */
  checkPrincipals(): string[];
  /** Waits for background jobs (prints, backups, failing imports) so nothing writes after close. */
  drainJobs(): Promise<void>;
}

/** Prints go nowhere: a successful print must not reach a real printer. */
export const fakeSpooler: Spooler = {
  list: () => [{ name: 'FUZZ-PRINTER', isDefault: true }],
  print: (_pdf, printer) => Promise.resolve({ printer: printer ?? 'FUZZ-PRINTER', jobId: 'FUZZ-1' }),
};

/** Bookkeeping tables the router writes even for a refused call (audit, sessions and the counter that invalidates cached ones, sync outbox). */
const QUIET = new Set(['audit_log', 'sessions', 'auth_generation', 'local_meta', 'change_log', 'sqlite_sequence', '__drizzle_migrations']);

/** A loopback port with nothing listening: sync calls fail fast and never leave the machine. */
async function deadLoopbackUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 9;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

export async function buildClinic(): Promise<FuzzClinic> {
  const internalErrors: FuzzClinic['internalErrors'] = [];
  const c = makeClinic({
    spooler: fakeSpooler,
    shippedLists: tinyShippedLists(),
    settings: { sessionIdleMs: 30 * 24 * 3_600_000 },
    onInternalError: (method, error) => internalErrors.push({ method, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  });
  const sqlite = c.app.database.sqlite;
  const admin = c.login('admin', ADMIN.password);
  const staff = (username: string, roles: Role[]) => {
    const password = `${username}-password`;
    const user = c.ok('staff.create', { username, fullName: `Fuzz ${username}`, password, roles }, admin);
    return { id: user.id, username, password };
  };
  const principals: Principal[] = [
    { name: 'no session', kind: 'anonymous', roles: [], token: null },
    { name: 'garbage token', kind: 'garbage', roles: [], token: randomBytes(32).toString('base64url') },
    { name: 'admin', kind: 'user', roles: ['admin'], token: admin, username: 'admin', password: ADMIN.password },
  ];
  const user = (name: string, username: string, roles: Role[]) => {
    const u = staff(username, roles);
    principals.push({ name, kind: 'user', roles, token: c.login(u.username, u.password), username: u.username, password: u.password });
    return u;
  };
  user('receptionist', 'fuzz.rec', ['receptionist']);
  const doctor = user('doctor', 'fuzz.doc', ['doctor']);
  user('cashier', 'fuzz.cash', ['cashier']);
  const both = user('doctor+cashier', 'fuzz.both', ['doctor', 'cashier']);
  user('accounts', 'fuzz.acc', ['accounts']);
  user('pharmacist', 'fuzz.pharm', ['pharmacist']);
  user('labtech', 'fuzz.lab', ['labtech']);

  const leaver = staff('fuzz.leaver', ['admin']);
  const ended = c.login(leaver.username, leaver.password);
  c.ok('auth.logout', {}, ended);
  principals.push({ name: 'ended session (admin)', kind: 'ended', roles: ['admin'], token: ended });

  const gone = staff('fuzz.gone', ['admin']);
  const goneToken = c.login(gone.username, gone.password);
  c.ok('staff.setActive', { userId: gone.id, active: false }, admin);
  principals.push({ name: 'deactivated (admin)', kind: 'deactivated', roles: ['admin'], token: goneToken });

  const reset = staff('fuzz.reset', ['admin']);
  c.ok('staff.resetPassword', { userId: reset.id, newPassword: 'set-by-admin-1' }, admin);
  const resetToken = c.login(reset.username, 'set-by-admin-1');
  principals.push({ name: 'must-change-password (admin)', kind: 'mustChange', roles: ['admin'], token: resetToken, username: reset.username, password: 'set-by-admin-1' });

  // Staff the fuzz may deactivate, reset or re-profile: never a principal.
  const victimDoctor = staff('fuzz.victim', ['doctor']);
  staff('fuzz.victim2', ['receptionist']);

  seed(c, principals, { admin, doctor: doctor.id, both: both.id, victimDoctor: victimDoctor.id });

  const sandbox = tempDir('clinic-fuzz-');
  fs.mkdirSync(path.join(sandbox, 'backups'));
  const world: World = { pools: {}, sandbox, deadUrl: await deadLoopbackUrl() };
  const refreshPools = () => {
    const ids = (sql: string) => sqlite.prepare(sql).pluck().all().filter((v): v is string => typeof v === 'string');
    world.pools = {
      patients: ids('SELECT id FROM patients'),
      visits: ids('SELECT id FROM visits ORDER BY created_at DESC LIMIT 30'),
      doctors: ids('SELECT user_id FROM doctor_profiles'),
      victims: ids("SELECT id FROM users WHERE username LIKE 'fuzz.victim%'"),
      appointments: ids('SELECT id FROM appointments ORDER BY created_at DESC LIMIT 30'),
      invoices: ids('SELECT id FROM invoices ORDER BY created_at DESC LIMIT 30'),
      payments: ids('SELECT id FROM payments ORDER BY created_at DESC LIMIT 30'),
      receipts: ids('SELECT DISTINCT receipt_number FROM payments LIMIT 30'),
      labOrders: ids('SELECT id FROM lab_orders ORDER BY created_at DESC LIMIT 30'),
      labTests: ids('SELECT id FROM lab_tests LIMIT 10'),
      leaves: ids('SELECT id FROM doctor_leaves'),
      drugs: ids('SELECT id FROM drugs ORDER BY created_at DESC LIMIT 20'),
      templates: ids('SELECT id FROM consultation_templates'),
      favourites: ids('SELECT id FROM prescription_favourites'),
      priceItems: ids('SELECT id FROM price_list'),
      jobs: c.app.jobs.list().map((j) => j.view.id),
    };
  };
  refreshPools();

  const business = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    .all()
    .flatMap((row) => (isTableRow(row) ? [row] : []));
  const virtual = business.filter((t) => /^CREATE VIRTUAL/i.test(t.sql)).map((t) => t.name);
  const tracked = business
    .map((t) => t.name)
    .filter((n) => !QUIET.has(n) && !virtual.includes(n) && !virtual.some((v) => new RegExp(`^${v}_(config|data|docsize|idx|content)$`).test(n)));
  // Temp triggers see every write of this connection, and a rolled-back write leaves no row here,
  // which is the question asked: did the call leave anything changed?
  sqlite.exec('CREATE TEMP TABLE fuzz_changes (tbl TEXT NOT NULL)');
  for (const t of tracked) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      sqlite.exec(`CREATE TEMP TRIGGER "fuzz_${t}_${op}" AFTER ${op} ON main."${t}" BEGIN INSERT INTO temp.fuzz_changes (tbl) VALUES ('${t}'); END`);
    }
  }
  const readChanges = sqlite.prepare('SELECT DISTINCT tbl FROM temp.fuzz_changes').pluck();
  const clearChanges = sqlite.prepare('DELETE FROM temp.fuzz_changes');
  const takeChanges = () => {
    const tables = readChanges.all().filter((v): v is string => typeof v === 'string');
    if (tables.length > 0) clearChanges.run();
    return tables;
  };

  const twin = sqlite.prepare(
    'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ended_at, password_stamp, must_change_password) SELECT ?, user_id, created_at, last_seen_at, ended_at, password_stamp, must_change_password FROM sessions WHERE token_hash = ?',
  );
  const twinToken = (p: Principal) => {
    if (p.token === null || p.kind === 'garbage') return p.token;
    const token = randomBytes(32).toString('base64url');
    twin.run(hashToken(token), hashToken(p.token));
    return token;
  };

  const checkPrincipals = () => {
    const broken: string[] = [];
    for (const p of principals) {
      const me = c.call('auth.me', {}, p.token);
      const intact = p.kind === 'user' ? me.ok && !me.value.mustChangePassword : p.kind === 'mustChange' ? me.ok && me.value.mustChangePassword : !me.ok;
      if (intact) continue;
      broken.push(p.name);
      if ((p.kind === 'user' || p.kind === 'mustChange') && p.username && p.password) {
        const again = c.call('auth.login', { username: p.username, password: p.password });
        if (again.ok) p.token = again.value.token;
      }
    }
    return broken;
  };

  const drainJobs = async () => {
    for (let round = 0; round < 5; round++) {
      const running = c.app.jobs.list().filter((j) => j.view.status === 'running');
      if (running.length === 0) return;
      await Promise.all(running.map((j) => c.app.jobs.wait(j.view.id)));
    }
  };

  takeChanges();
  return { c, principals, world, internalErrors, refreshPools, takeChanges, twinToken, checkPrincipals, drainJobs };
}

function isTableRow(v: unknown): v is { name: string; sql: string } {
  return typeof v === 'object' && v !== null && typeof Reflect.get(v, 'name') === 'string' && typeof Reflect.get(v, 'sql') === 'string';
}

const TODAY = '2026-11-21'; // the test clinic's Saturday

/**
 * A clinic in the middle of a day, so generated ids can be real ones and calls go past not_found:
 * doctors with timetables, patients, an appointment, a queue, a consultation with a prescription
 * and a lab order, an issued and paid invoice, a price item, a clinic drug, a template, a favourite.
 */
function seed(c: TestClinic, principals: Principal[], ids: { admin: string; doctor: string; both: string; victimDoctor: string }) {
  const token = (name: string) => principals.find((p) => p.name === name)!.token!;
  const { admin } = ids;
  const reception = token('receptionist');
  const doctor = token('doctor');
  const cashier = token('cashier');
  const schedule = [{ weekday: 6, start: '09:00', end: '13:00', slotMinutes: 15, maxPerSlot: 2, mode: 'in-person' }];
  for (const userId of [ids.doctor, ids.both, ids.victimDoctor]) {
    c.ok(
      'doctors.upsert',
      {
        userId, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'Maharashtra Medical Council', registrationNumber: `MMC-${userId.slice(0, 6)}`,
        consultationFeePaise: 50_000, followUpFeePaise: 20_000, followUpWindowDays: 7, schedule,
      },
      admin,
    );
  }
  const patients = [
    { givenName: 'Anil', familyName: 'Joshi', gender: 'male', dob: '1970-03-15', mobile: '9822000010', allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }] },
    { givenName: 'Bhavna', familyName: 'Shah', gender: 'female', dob: '1985-07-01', mobile: '9822000011' },
    { givenName: 'Chetan', familyName: 'Desai', gender: 'male', ageYears: 33, mobile: '9822000012' },
    { givenName: 'Deepa', familyName: 'Nair', gender: 'female', dob: '1960-11-02' },
  ].map((patient) => {
    const r = c.ok('patients.register', { patient, acknowledgeDuplicates: [] }, reception);
    if (r.status !== 'registered') throw new Error('seed: patient not registered');
    return r.patient.id;
  });
  const [anil, bhavna, chetan, deepa] = patients as [string, string, string, string];
  c.ok('appointments.book', { patientId: deepa, doctorId: ids.doctor, date: TODAY, start: '11:00' }, reception);
  c.ok('appointments.book', { patientId: chetan, doctorId: ids.victimDoctor, date: '2026-11-28', start: '09:30' }, reception);
  const seen = c.ok('queue.checkIn', { patientId: anil, doctorId: ids.doctor }, reception).visitId;
  c.ok('queue.checkIn', { patientId: bhavna, doctorId: ids.doctor }, reception);
  c.ok('queue.checkIn', { patientId: chetan, doctorId: ids.victimDoctor }, reception);
  c.ok('queue.callNext', {}, doctor);
  c.ok('consultations.save', { visitId: seen, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [{ code: null, title: 'Viral fever' }] } }, doctor);
  const item = {
    drugId: null, genericName: 'Paracetamol', brand: null, form: 'tablet', strength: '500 mg', route: 'oral', dose: '1 tablet', frequency: 'TDS',
    timing: 'after-food', durationDays: 3, quantity: 9, instructions: null, instructionsHi: null, acknowledged: [],
  };
  c.ok('prescriptions.save', { visitId: seen, items: [item], advice: 'Rest and fluids' }, doctor);
  const test = c.ok('labs.tests', {}, doctor)[0];
  if (test) c.ok('labs.order', { visitId: seen, testIds: [test.id] }, doctor);
  c.ok('templates.save', { name: 'Fever', note: { chiefComplaints: ['Fever'] } }, doctor);
  c.ok('prescriptions.saveFavourite', { kind: 'drug', key: 'para', name: 'Paracetamol 500', items: [item] }, doctor);
  c.ok('formulary.upsert', { genericName: 'Azithromycin', form: 'tablet', strength: '500 mg', route: 'oral', mrpPaise: 12_000 }, admin);
  c.ok('billing.savePriceItem', { code: 'PROC-1', name: 'Dressing', kind: 'procedure', pricePaise: 20_000 }, admin);
  c.ok('doctors.addLeave', { doctorId: ids.victimDoctor, fromDate: '2026-12-01', toDate: '2026-12-03', reason: 'Conference' }, admin);
  const line = { kind: 'consultation', description: 'Consultation', quantity: 1, ratePaise: 50_000 };
  const invoice = c.ok('billing.createInvoice', { patientId: anil, visitId: seen, doctorId: ids.doctor, lines: [line] }, cashier);
  c.ok('billing.issueInvoice', { invoiceId: invoice.id }, cashier);
  c.ok('billing.recordPayment', { invoiceId: invoice.id, parts: [{ mode: 'cash', amountPaise: 20_000 }] }, cashier);
  c.ok('billing.createInvoice', { patientId: bhavna, lines: [line] }, cashier);
}
