import { describe, expect, it } from 'vitest';
import Database from '../../db/sqlite';
import { withStatementCache } from '../../db/statement-cache';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

/**
 * The router's fast paths (issue #20): sessions remembered in memory, statements compiled once.
 * Each guarantee the slow path gave still holds on them.
 */

const DESK = { username: 'rita', fullName: 'Rita Dsouza', password: 'reception desk password' };
const MINUTE = 60_000;

function deskClinic(opts: { onInternalError?: () => void } = {}): { c: TestClinic; desk: string; deskId: string } {
  const c = makeClinic(opts);
  const admin = c.login(ADMIN.username, ADMIN.password);
  const deskId = c.ok('staff.create', { ...DESK, roles: ['receptionist'] }, admin).id;
  const desk = c.login(DESK.username, DESK.password);
  // The session is now remembered: the next calls take the fast path.
  c.ok('patients.search', { query: 'ramesh', limit: 5 }, desk);
  c.ok('patients.search', { query: 'ramesh', limit: 5 }, desk);
  return { c, desk, deskId };
}

const code = (r: { ok: boolean; error?: { code: string; message: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('remembered sessions', () => {
  it('refuses a session the moment it is logged out', () => {
    const { c, desk } = deskClinic();
    c.ok('auth.logout', {}, desk);
    const r = c.call('patients.search', { query: 'ramesh', limit: 5 }, desk);
    expect(code(r)).toBe('unauthenticated');
  });

  it('times a session out after the idle limit exactly as before, and is refused after', () => {
    const { c, desk } = deskClinic();
    c.clock.now += 29 * MINUTE;
    // Within the limit (and touched, so the idle time starts again).
    expect(code(c.call('patients.search', { query: 'ramesh', limit: 5 }, desk))).toBe('ok');
    c.clock.now += 30 * MINUTE + 1;
    const r = c.call('patients.search', { query: 'ramesh', limit: 5 }, desk);
    expect(r.ok ? '' : r.error.message).toMatch(/timed out/);
    expect(code(c.call('patients.search', { query: 'ramesh', limit: 5 }, desk))).toBe('unauthenticated');
  });

  it('ends sessions whose password changed elsewhere (a reset arriving by sync)', () => {
    const { c, desk, deskId } = deskClinic();
    // As a sync pull writes it: straight into the table, not through this router.
    c.app.database.sqlite.prepare("UPDATE users SET password_hash = 'changed-on-another-desk' WHERE id = ?").run(deskId);
    const r = c.call('patients.search', { query: 'ramesh', limit: 5 }, desk);
    expect(r.ok ? '' : r.error.message).toMatch(/password of this account was changed/);
  });

  it('applies a role taken away elsewhere at the next call', () => {
    const { c, desk, deskId } = deskClinic();
    c.app.database.sqlite.prepare(`UPDATE users SET roles = '["doctor"]' WHERE id = ?`).run(deskId);
    expect(code(c.call('patients.register', { patient: { givenName: 'Asha', gender: 'female', ageYears: 30 }, acknowledgeDuplicates: [] }, desk))).toBe(
      'forbidden',
    );
    c.app.database.sqlite.prepare(`UPDATE users SET roles = '[]' WHERE id = ?`).run(deskId);
    expect(code(c.call('patients.search', { query: 'ramesh', limit: 5 }, desk))).toBe('forbidden');
  });

  it('refuses a deactivated account at once', () => {
    const { c, desk, deskId } = deskClinic();
    const admin = c.login(ADMIN.username, ADMIN.password);
    c.ok('staff.setActive', { userId: deskId, active: false }, admin);
    const r = c.call('patients.search', { query: 'ramesh', limit: 5 }, desk);
    expect(code(r)).toBe('unauthenticated');
  });
});

describe('the fast paths keep the records', () => {
  it('a registration writes its patient, change_log and audit rows together, and none of them when it fails', () => {
    // The provoked failure is an internal error: expected here.
    const { c, desk } = deskClinic({ onInternalError: () => {} });
    const sqlite = c.app.database.sqlite;
    const count = (sql: string) => sqlite.prepare(sql).pluck().get() as number;
    const before = { changes: count("SELECT count(*) FROM change_log WHERE table_name = 'patients'"), audits: count("SELECT count(*) FROM audit_log WHERE action = 'patients.register'") };
    const r = c.ok('patients.register', { patient: { givenName: 'Asha', familyName: 'Patil', gender: 'female', ageYears: 30 }, acknowledgeDuplicates: [] }, desk);
    if (r.status !== 'registered') throw new Error('expected a registration');
    expect(count("SELECT count(*) FROM change_log WHERE table_name = 'patients'")).toBe(before.changes + 1);
    expect(count(`SELECT count(*) FROM audit_log WHERE action = 'patients.register' AND outcome = 'ok' AND entity_id = '${r.patient.id}'`)).toBe(1);

    // The audit row cannot be written: the whole registration must go.
    sqlite.exec(`CREATE TRIGGER test_no_register_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'patients.register' AND NEW.outcome = 'ok'
      BEGIN SELECT RAISE(ABORT, 'audit refused'); END`);
    const patients = count('SELECT count(*) FROM patients');
    const changes = count('SELECT count(*) FROM change_log');
    const failed = c.call('patients.register', { patient: { givenName: 'Sunita', familyName: 'Rao', gender: 'female', ageYears: 40 }, acknowledgeDuplicates: [] }, desk);
    expect(code(failed)).toBe('internal');
    expect(count('SELECT count(*) FROM patients')).toBe(patients);
    expect(count("SELECT count(*) FROM patient_search s JOIN patients p ON p.id = s.patient_id WHERE p.given_name = 'Sunita'")).toBe(0);
    // Only the failure's own audit row (and its change) were added.
    expect(count('SELECT count(*) FROM change_log')).toBe(changes + 1);
  });

  it('a patient opened on the fast path is still read-audited', () => {
    const { c, desk } = deskClinic();
    const r = c.ok('patients.register', { patient: { givenName: 'Asha', familyName: 'Patil', gender: 'female', ageYears: 30 }, acknowledgeDuplicates: [] }, desk);
    if (r.status !== 'registered') throw new Error('expected a registration');
    c.ok('patients.get', { id: r.patient.id }, desk);
    c.ok('patients.get', { id: r.patient.id }, desk);
    const reads = c.app.database.sqlite
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'patients.get' AND entity_id = ? AND username = 'rita'")
      .pluck()
      .get(r.patient.id);
    expect(reads).toBe(2);
  });

  it('a search returns the fields the desk shows, the same on every call', () => {
    const { c, desk } = deskClinic();
    c.ok('patients.register', { patient: { givenName: 'Asha', familyName: 'Patil', gender: 'female', ageYears: 30, mobile: '9876543210', city: 'Pune' }, acknowledgeDuplicates: [] }, desk);
    const first = c.ok('patients.search', { query: 'asha', limit: 5 }, desk);
    expect(first).toEqual([expect.objectContaining({ name: 'Asha Patil', gender: 'female', age: 30, mobile: '9876543210', city: 'Pune', match: 'name' })]);
    expect(c.ok('patients.search', { query: 'asha', limit: 5 }, desk)).toEqual(first);
  });
});

describe('the statement cache', () => {
  it('hands out one compiled statement per SQL text, in the mode each caller expects', () => {
    const sqlite = new Database(`${tempDir()}/t.db`);
    sqlite.exec('CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, \'x\'), (2, \'y\')');
    const view = withStatementCache(sqlite);
    const sql = 'SELECT a, b FROM t ORDER BY a';
    expect(view.prepare(sql)).toBe(view.prepare(sql));
    // drizzle reads raw rows for a select with fields, objects for one without.
    expect(view.prepare(sql).raw().all()).toEqual([[1, 'x'], [2, 'y']]);
    expect(view.prepare(sql).all()).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
    // A statement still iterating is never handed out again.
    const it = view.prepare(sql).iterate();
    it.next();
    expect(view.prepare(sql).get()).toEqual({ a: 1, b: 'x' });
    it.return?.();
    // Transactions run on the connection itself.
    view.transaction(() => view.prepare('INSERT INTO t VALUES (3, \'z\')').run())();
    expect(sqlite.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
    sqlite.close();
  });
});
