import { eq } from 'drizzle-orm';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditLog, users } from '../../db/schema';
import { ADMIN, FACILITY, makeClinic } from '../helpers/app';

describe('first-run setup', () => {
  it('reports setup status and creates the clinic and its administrator once', () => {
    const c = makeClinic({ setup: false });
    expect(c.ok('setup.status', {})).toEqual({ initialized: false, facilityName: null, joining: null });
    c.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
    expect(c.ok('setup.status', {})).toEqual({ initialized: true, facilityName: FACILITY.name, joining: null });
    const again = c.call('setup.initialize', { facility: FACILITY, admin: { ...ADMIN, username: 'other' } });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('names every bad field and saves nothing', () => {
    const c = makeClinic({ setup: false });
    const r = c.call('setup.initialize', {
      facility: { name: ' ', address: 'x', phone: 'call me' },
      admin: { username: 'a', fullName: 'A', password: 'short' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    expect(Object.keys(r.error.fields!)).toEqual(
      expect.arrayContaining(['facility.name', 'facility.phone', 'admin.username', 'admin.password']),
    );
    expect(r.error.fields!['admin.password']).toMatch(/at least 8/);
    expect(c.ok('setup.status', {}).initialized).toBe(false);
  });
});

describe('login and sessions', () => {
  it('logs in, answers auth.me, and logs out', () => {
    const c = makeClinic();
    const login = c.ok('auth.login', { username: 'ADMIN ', password: ADMIN.password });
    expect(login.user).toMatchObject({ username: 'admin', fullName: ADMIN.fullName, roles: ['admin'] });
    expect(c.ok('auth.me', {}, login.token).user.username).toBe('admin');
    c.ok('auth.logout', {}, login.token);
    expect(c.call('auth.me', {}, login.token)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('answers "not logged in" to a screen starting without a token, without filling the audit log', () => {
    const c = makeClinic();
    const refusals = () => c.app.database.db.select().from(auditLog).where(eq(auditLog.outcome, 'unauthenticated')).all().map((r) => r.action);
    expect(c.call('auth.me', {}, null)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(refusals()).toEqual([]);
    // A token that is not a session is still an attempt worth a row, and so is any other method.
    expect(c.call('auth.me', {}, 'not-a-session').ok).toBe(false);
    expect(c.call('patients.search', { query: 'x' }, null).ok).toBe(false);
    expect(refusals().sort()).toEqual(['auth.me', 'patients.search']);
  });

  it('refuses a wrong password without saying which part was wrong', () => {
    const c = makeClinic();
    const wrong = c.call('auth.login', { username: 'admin', password: 'nope' });
    const unknown = c.call('auth.login', { username: 'ghost', password: 'nope' });
    expect(wrong).toEqual({ ok: false, error: { code: 'invalid_credentials', message: 'Wrong username or password.' } });
    expect(unknown).toEqual(wrong);
  });

  it('locks an account after five wrong passwords, even against the right one, then lets it in later', () => {
    const c = makeClinic();
    for (let i = 0; i < 5; i++) {
      c.clock.now += 1_000;
      expect(c.call('auth.login', { username: 'admin', password: `guess${i}` }).ok).toBe(false);
    }
    const locked = c.call('auth.login', { username: 'admin', password: ADMIN.password });
    expect(locked).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    c.clock.now += 16 * 60_000;
    expect(c.call('auth.login', { username: 'admin', password: ADMIN.password }).ok).toBe(true);
    // The success starts a new count: one more wrong password does not lock again.
    expect(c.call('auth.login', { username: 'admin', password: 'again' }).ok).toBe(false);
    expect(c.call('auth.login', { username: 'admin', password: ADMIN.password }).ok).toBe(true);
  });

  it('ends a session left idle past the limit', () => {
    const c = makeClinic({ settings: { sessionIdleMs: 10 * 60_000 } });
    const token = c.login('admin', ADMIN.password);
    c.clock.now += 9 * 60_000;
    expect(c.call('auth.me', {}, token).ok).toBe(true);
    c.clock.now += 9 * 60_000; // still within 10 minutes of the last use
    expect(c.call('auth.me', {}, token).ok).toBe(true);
    c.clock.now += 11 * 60_000;
    expect(c.call('auth.me', {}, token)).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: /timed out/ } });
  });

  it('never stores or audits a password in clear', () => {
    const c = makeClinic();
    const token = c.login('admin', ADMIN.password);
    c.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-secret-1', roles: ['receptionist'] }, token);
    c.call('auth.login', { username: 'rita', password: 'rita-wrong-2' });
    c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(c.app.dbFile).toString('latin1');
    for (const secret of [ADMIN.password, 'rita-secret-1', 'rita-wrong-2']) expect(bytes).not.toContain(secret);
    const hash = c.app.database.db.select().from(users).where(eq(users.username, 'rita')).get()!.passwordHash;
    expect(hash.startsWith('scrypt$')).toBe(true);
  });
});

describe('staff management', () => {
  it('lets an admin create, list and deactivate staff; a deactivated user is logged out', () => {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    const rita = c.ok('staff.create', { username: 'Rita', fullName: 'Rita Dsouza', password: 'password-1', roles: ['receptionist', 'cashier'] }, admin);
    expect(rita).toMatchObject({ username: 'rita', roles: ['receptionist', 'cashier'], active: true });
    expect(c.ok('staff.list', {}, admin).map((s) => s.username)).toEqual(['admin', 'rita']);
    const ritaToken = c.login('rita', 'password-1');
    c.ok('staff.setActive', { userId: rita.id, active: false }, admin);
    expect(c.call('auth.me', {}, ritaToken).ok).toBe(false);
    expect(c.call('auth.login', { username: 'rita', password: 'password-1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a taken username, an empty role list, and deactivating the last admin', () => {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    const me = c.ok('auth.me', {}, admin).user;
    expect(c.call('staff.create', { username: 'admin', fullName: 'X', password: 'password-1', roles: ['doctor'] }, admin)).toMatchObject({
      ok: false,
      error: { code: 'conflict', fields: { username: expect.any(String) } },
    });
    expect(c.call('staff.create', { username: 'dr', fullName: 'X', password: 'password-1', roles: [] }, admin)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fields: { roles: 'Choose at least one role' } },
    });
    expect(c.call('staff.setActive', { userId: me.id, active: false }, admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('keeps receptionists out of staff and audit methods', () => {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    c.ok('staff.create', { username: 'rita', fullName: 'Rita', password: 'password-1', roles: ['receptionist'] }, admin);
    const rita = c.login('rita', 'password-1');
    for (const m of ['staff.create', 'staff.list', 'staff.setActive', 'audit.list'] as const) {
      const r = c.call(m, {}, rita);
      expect(r, m).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});

describe('audit trail', () => {
  it('records logins, failed logins, logouts, refusals and every change with old and new values', () => {
    const c = makeClinic();
    c.call('auth.login', { username: 'admin', password: 'wrong' });
    const admin = c.login('admin', ADMIN.password);
    const rita = c.ok('staff.create', { username: 'rita', fullName: 'Rita', password: 'password-1', roles: ['receptionist'] }, admin);
    c.ok('staff.setActive', { userId: rita.id, active: false }, admin);
    c.call('staff.list', {}, null);
    c.ok('auth.logout', {}, admin);

    const rows = c.app.database.db.select().from(auditLog).orderBy(auditLog.at, auditLog.id).all();
    const summary = rows.map((r) => `${r.action}:${r.outcome}`);
    expect(summary).toEqual([
      'setup.initialize:ok',
      'setup.initialize:ok',
      'auth.login:failed',
      'auth.login:ok',
      'staff.create:ok',
      'staff.setActive:ok',
      'staff.list:unauthenticated',
      'auth.logout:ok',
    ]);
    const deactivate = rows.find((r) => r.action === 'staff.setActive')!;
    expect(deactivate).toMatchObject({ entityType: 'users', entityId: rita.id, oldValues: { active: true }, newValues: { active: false }, username: 'admin' });
    const created = rows.find((r) => r.action === 'staff.create')!;
    expect(created.newValues).toMatchObject({ username: 'rita', password_hash: '[redacted]' });
  });

  it('lets an admin filter the audit list', () => {
    const c = makeClinic();
    c.call('auth.login', { username: 'admin', password: 'wrong' });
    const admin = c.login('admin', ADMIN.password);
    const failed = c.ok('audit.list', { action: 'auth.login', outcome: 'failed' }, admin);
    expect(failed.rows).toHaveLength(1);
    expect(failed.rows[0]).toMatchObject({ username: 'admin', entityType: 'user' });
    const page = c.ok('audit.list', { limit: 1 }, admin);
    expect(page.rows).toHaveLength(1);
    expect(page.hasMore).toBe(true);
  });
});

describe('password reset by an administrator and change by the user', () => {
  const RITA = { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-old-pass-1', roles: ['receptionist'] };

  function withRita() {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    const rita = c.ok('staff.create', RITA, admin);
    return { c, admin, rita };
  }

  it('resets a password: the old one stops working, the new one works, old sessions end, and the audit row holds no password', () => {
    const { c, admin, rita } = withRita();
    const before = c.login('rita', RITA.password);
    const reset = c.ok('staff.resetPassword', { userId: rita.id, newPassword: 'rita-temp-pass-9' }, admin);
    expect(reset).toMatchObject({ id: rita.id, username: 'rita', sessionsEnded: 1, mustChangePassword: true });

    expect(c.call('auth.me', {}, before)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(c.call('auth.login', { username: 'rita', password: RITA.password })).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    const login = c.ok('auth.login', { username: 'rita', password: 'rita-temp-pass-9' });
    // The person chooses their own password before working.
    expect(login.user.mustChangePassword).toBe(true);
    expect(c.ok('auth.me', {}, login.token).mustChangePassword).toBe(true);

    const row = c.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'staff.resetPassword')).all();
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({
      outcome: 'ok',
      username: 'admin',
      entityType: 'users',
      entityId: rita.id,
      oldValues: { password_hash: '[redacted]' },
      newValues: { password_hash: '[redacted]' },
    });
    expect(row[0]!.detail).toMatch(/1 session\(s\) ended/);
    c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(c.app.dbFile).toString('latin1');
    expect(bytes).not.toContain('rita-temp-pass-9');
    const audit = JSON.stringify(c.app.database.db.select().from(auditLog).all());
    expect(audit).not.toContain('rita-temp-pass-9');
    expect(audit).not.toContain('scrypt$');
    const hash = c.app.database.db.select().from(users).where(eq(users.id, rita.id)).get()!.passwordHash;
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);

    // Until then the service itself answers nothing else, whatever the screens do.
    expect(c.call('patients.search', { query: 'sharma' }, login.token)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/choose your own/) } });
    expect(c.call('queue.list', {}, login.token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Once she has chosen her own, nothing more is asked, and the same session works.
    c.ok('auth.changePassword', { currentPassword: 'rita-temp-pass-9', newPassword: 'rita-own-pass-3' }, login.token);
    expect(c.ok('auth.me', {}, login.token).mustChangePassword).toBe(false);
    expect(c.call('patients.search', { query: 'sharma' }, login.token).ok).toBe(true);
    expect(c.ok('auth.login', { username: 'rita', password: 'rita-own-pass-3' }).user.mustChangePassword).toBe(false);
  });

  it('a new account given a temporary first password must choose its own at first login; one given a chosen password need not', () => {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    const rita = c.ok('staff.create', { ...RITA, temporaryPassword: true }, admin);
    expect(rita.mustChangePassword).toBe(true);
    const first = c.ok('auth.login', { username: 'rita', password: RITA.password });
    expect(first.user.mustChangePassword).toBe(true);
    expect(c.call('patients.search', { query: 'sharma' }, first.token)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/choose your own/) } });
    c.ok('auth.changePassword', { currentPassword: RITA.password, newPassword: 'rita-own-pass-3' }, first.token);
    expect(c.call('patients.search', { query: 'sharma' }, first.token).ok).toBe(true);
    expect(c.ok('auth.login', { username: 'rita', password: 'rita-own-pass-3' }).user.mustChangePassword).toBe(false);
    // The audit says so without the password.
    const row = c.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'staff.temporaryPassword')).get();
    expect(row).toMatchObject({ entityType: 'users', entityId: rita.id, username: 'admin', outcome: 'ok' });
    expect(JSON.stringify(row)).not.toContain(RITA.password);

    const kiran = c.ok('staff.create', { username: 'kiran', fullName: 'Kiran Patil', password: 'kiran-pass-12', roles: ['cashier'] }, admin);
    expect(kiran.mustChangePassword).toBe(false);
    expect(c.ok('auth.login', { username: 'kiran', password: 'kiran-pass-12' }).user.mustChangePassword).toBe(false);
  });

  it('ends sessions opened with the old password when a new one arrives from another workstation', () => {
    const { c, rita } = withRita();
    const token = c.login('rita', RITA.password);
    expect(c.call('patients.search', { query: 'sharma' }, token).ok).toBe(true);
    // The users row as sync writes it: a new hash made on another workstation, no session of this one touched.
    c.app.database.sqlite.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run('scrypt$32768$8$1$c29tZXNhbHQ$c29tZWhhc2g', rita.id);
    expect(c.call('patients.search', { query: 'sharma' }, token)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: 'The password of this account was changed. Please log in again.' },
    });
    expect(c.call('auth.me', {}, token).ok).toBe(false);
  });

  it('lets a locked-out user in at once after a reset', () => {
    const { c, admin, rita } = withRita();
    for (let i = 0; i < 5; i++) {
      c.clock.now += 1_000;
      expect(c.call('auth.login', { username: 'rita', password: `guess-${i}` }).ok).toBe(false);
    }
    expect(c.call('auth.login', { username: 'rita', password: RITA.password })).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    c.clock.now += 60_000; // well within the 15-minute lock
    c.ok('staff.resetPassword', { userId: rita.id, newPassword: 'rita-temp-pass-9' }, admin);
    expect(c.call('auth.login', { username: 'rita', password: 'rita-temp-pass-9' }).ok).toBe(true);
    // The failures before the reset no longer count: four more wrong ones do not lock her out again.
    for (let i = 0; i < 4; i++) expect(c.call('auth.login', { username: 'rita', password: `again-${i}` }).ok).toBe(false);
    expect(c.call('auth.login', { username: 'rita', password: 'rita-temp-pass-9' }).ok).toBe(true);
  });

  it('counts no failed login dated in the future (forged rows dated 2099 cannot lock an account for good)', () => {
    const { c, admin, rita } = withRita();
    // One real failed login, copied five times with a date far ahead, as a forging desk would send them.
    expect(c.call('auth.login', { username: 'rita', password: 'guess' }).ok).toBe(false);
    const sqlite = c.app.database.sqlite;
    const failed = sqlite.prepare("SELECT * FROM audit_log WHERE action = 'auth.login' AND entity_id = ? AND outcome = 'failed'").get(rita.id) as Record<string, unknown>;
    const cols = Object.keys(failed);
    const insert = sqlite.prepare(`INSERT INTO audit_log (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    for (let i = 0; i < 5; i++) insert.run(...cols.map((k) => (k === 'id' ? `forged-${i}` : k === 'at' ? Date.UTC(2099, 0, 1) + i : failed[k])));
    expect(c.call('auth.login', { username: 'rita', password: RITA.password }).ok).toBe(true);
    // And an administrator's reset still lets a person in who really was locked out.
    for (let i = 0; i < 5; i++) {
      c.clock.now += 1_000;
      c.call('auth.login', { username: 'rita', password: `guess-${i}` });
    }
    expect(c.call('auth.login', { username: 'rita', password: RITA.password })).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    c.ok('staff.resetPassword', { userId: rita.id, newPassword: 'rita-temp-pass-9' }, admin);
    expect(c.call('auth.login', { username: 'rita', password: 'rita-temp-pass-9' }).ok).toBe(true);
  });

  it('refuses a weak password naming the field, a receptionist, the admin’s own account and an unknown user', () => {
    const { c, admin, rita } = withRita();
    const weak = c.call('staff.resetPassword', { userId: rita.id, newPassword: 'short' }, admin);
    expect(weak).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { newPassword: 'Password must be at least 8 characters' } } });
    expect(c.call('staff.resetPassword', { userId: rita.id }, admin)).toMatchObject({ ok: false, error: { fields: { newPassword: 'Password is required' } } });
    // Nothing changed.
    const ritaToken = c.login('rita', RITA.password);

    c.ok('staff.create', { username: 'ravi', fullName: 'Ravi', password: 'ravi-pass-01', roles: ['receptionist'] }, admin);
    expect(c.call('staff.resetPassword', { userId: rita.id, newPassword: 'ravi-chose-this' }, c.login('ravi', 'ravi-pass-01'))).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(c.call('staff.resetPassword', { userId: rita.id, newPassword: 'rita-chose-this' }, ritaToken)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const me = c.ok('auth.me', {}, admin).user;
    expect(c.call('staff.resetPassword', { userId: me.id, newPassword: 'admin-new-pass' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'conflict', fields: { userId: 'This is your own account' } },
    });
    expect(c.call('staff.resetPassword', { userId: '01900000-0000-7000-8000-000000000999', newPassword: 'whatever-123' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'not_found', fields: { userId: 'No such staff member' } },
    });
    expect(c.call('auth.login', { username: 'rita', password: RITA.password }).ok).toBe(true);
    expect(c.ok('auth.me', {}, ritaToken).mustChangePassword).toBe(false);
  });

  it('lets a user change their own password: other sessions end, a wrong current password is refused and counts towards the lockout', () => {
    const { c } = withRita();
    const here = c.login('rita', RITA.password);
    const elsewhere = c.login('rita', RITA.password);
    expect(c.call('auth.changePassword', { currentPassword: 'not-it', newPassword: 'rita-new-pass-2' }, here)).toMatchObject({
      ok: false,
      error: { code: 'invalid_credentials', fields: { currentPassword: 'The current password is wrong' } },
    });
    expect(c.call('auth.changePassword', { currentPassword: RITA.password, newPassword: 'short' }, here)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fields: { newPassword: 'Password must be at least 8 characters' } },
    });
    expect(c.call('auth.changePassword', { currentPassword: RITA.password, newPassword: RITA.password }, here)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fields: { newPassword: 'Choose a password different from the current one' } },
    });
    expect(c.call('auth.changePassword', { currentPassword: RITA.password, newPassword: 'rita-new-pass-2' }, null)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });

    expect(c.ok('auth.changePassword', { currentPassword: RITA.password, newPassword: 'rita-new-pass-2' }, here)).toEqual({ changed: true, otherSessionsEnded: 1 });
    expect(c.call('auth.me', {}, here).ok).toBe(true);
    expect(c.call('auth.me', {}, elsewhere)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(c.call('auth.login', { username: 'rita', password: RITA.password }).ok).toBe(false);
    expect(c.call('auth.login', { username: 'rita', password: 'rita-new-pass-2' }).ok).toBe(true);
    const audit = c.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'auth.changePassword')).all();
    expect(audit.find((r) => r.outcome === 'ok')).toMatchObject({ username: 'rita', entityType: 'users', newValues: { password_hash: '[redacted]' } });
    expect(JSON.stringify(audit)).not.toMatch(/rita-new-pass-2|rita-old-pass-1|not-it/);

    // Guessing through a live session is limited like guessing at the login screen.
    for (let i = 0; i < 5; i++) {
      c.clock.now += 1_000;
      expect(c.call('auth.changePassword', { currentPassword: `guess-${i}`, newPassword: 'rita-new-pass-3' }, here).ok).toBe(false);
    }
    expect(c.call('auth.changePassword', { currentPassword: 'rita-new-pass-2', newPassword: 'rita-new-pass-3' }, here)).toMatchObject({
      ok: false,
      error: { code: 'account_locked' },
    });
    expect(c.call('auth.login', { username: 'rita', password: 'rita-new-pass-2' })).toMatchObject({ ok: false, error: { code: 'account_locked' } });
  });
});
