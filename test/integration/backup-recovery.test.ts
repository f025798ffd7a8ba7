import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../db/sqlite';
import { formatRecoveryCode, parseRecoveryCode } from '../../electron/keys';
import type { JobView } from '../../electron/services/jobs';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

const KA = randomBytes(32);
const KB = randomBytes(32);
const PATIENT = { givenName: 'Recoverina', familyName: 'Oldpcwala', gender: 'female' as const, ageYears: 52, mobile: '9876501234' };

async function finished(c: TestClinic, job: JobView): Promise<JobView> {
  const done = await c.app.jobs.wait(job.id);
  if (done.status !== 'done') throw new Error(`backup failed: ${done.message}`);
  return done;
}

/** Every byte of a file and its sidecars, to look for the key in them. */
function bytesOf(file: string): Buffer {
  return Buffer.concat(['', '-wal', '-shm', '-journal'].map((s) => (fs.existsSync(file + s) ? fs.readFileSync(file + s) : Buffer.alloc(0))));
}

function holdsKey(bytes: Buffer, key: Buffer): boolean {
  const hex = key.toString('hex');
  return [hex, hex.toUpperCase(), formatRecoveryCode(key)].some((t) => bytes.includes(Buffer.from(t, 'utf8')) || bytes.includes(Buffer.from(t, 'utf16le'))) || bytes.includes(key);
}

/** A mistyped copy of a code: one digit changed, the way a person misreads paper. */
function mistype(code: string): string {
  const i = code.indexOf('-') + 2;
  const wrong = code[i] === '7' ? '1' : '7';
  return code.slice(0, i) + wrong + code.slice(i + 1);
}

describe('recovery codes', () => {
  it('round-trip, ignore spaces, dashes and case, and catch a mistyped digit', () => {
    const key = randomBytes(32);
    const code = formatRecoveryCode(key);
    expect(code).toMatch(/^([0-9A-F]{4}-){16}[0-9A-F]{4}$/);
    expect(code.replaceAll('-', '').slice(0, 64)).toBe(key.toString('hex').toUpperCase());
    for (const typed of [code, code.toLowerCase(), code.replaceAll('-', ' '), ` ${code.replaceAll('-', '')} `]) {
      const p = parseRecoveryCode(typed);
      expect(p.ok && p.key.equals(key), typed).toBe(true);
    }
    expect(parseRecoveryCode(mistype(code))).toMatchObject({ ok: false, message: /does not check out/ });
    expect(parseRecoveryCode(code.slice(0, -5))).toMatchObject({ ok: false, message: /17 groups/ });
    expect(parseRecoveryCode(code.replace(/^./, 'G'))).toMatchObject({ ok: false, message: /only the digits/ });
  });
});

describe('restoring a backup on a new computer with the recovery key', () => {
  it('the old installation’s backup needs its recovery code, is re-encrypted with the new key, and the key is never logged', async () => {
    // Installation A (the PC that later dies): a patient, a backup on the USB disk.
    const usb = tempDir('clinic-usb-');
    const a = makeClinic({ key: KA });
    const ta = a.login(ADMIN.username, ADMIN.password);
    a.ok('backups.configure', { folder: usb }, ta);
    const mrn = (() => {
      const r = a.ok('patients.register', { patient: PATIENT }, ta);
      if (r.status !== 'registered') throw new Error('not registered');
      return r.patient.mrn;
    })();
    const backup = String((await finished(a, a.ok('backups.runNow', {}, ta))).result!.file);

    // The admin writes the recovery code down (and a receptionist or a wrong password gets nothing).
    a.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-secret-1', roles: ['receptionist'] }, ta);
    const rita = a.login('rita', 'rita-secret-1');
    expect(a.call('backups.recoveryKey', { password: 'rita-secret-1' }, rita)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const wrong = a.call('backups.recoveryKey', { password: 'not my password' }, ta);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_credentials', fields: { password: expect.any(String) } } });
    const { recoveryKey: code } = a.ok('backups.recoveryKey', { password: ADMIN.password }, ta);
    expect(parseRecoveryCode(code)).toMatchObject({ ok: true });
    const shown = a.ok('audit.list', { action: 'backups.recoveryKey' }, ta).rows;
    expect(shown.map((r) => r.outcome).sort()).toEqual(['failed', 'forbidden', 'ok'].sort());
    expect(shown.find((r) => r.outcome === 'ok')).toMatchObject({ detail: 'recovery key shown' });
    a.app.close();

    // Installation B (the new PC): its own key, its own data folder, the same USB disk.
    const b = makeClinic({ key: KB });
    let tb = b.login(ADMIN.username, ADMIN.password);
    b.ok('backups.configure', { folder: usb }, tb);
    expect(b.ok('backups.list', {}, tb).map((f) => f.path)).toContain(backup);

    // Without the code: refused, saying a recovery key is needed.
    const plain = b.ok('backups.verify', { file: backup }, tb);
    expect(plain).toMatchObject({ ok: false, encrypted: true, needsRecoveryKey: true, openedWith: null });
    expect(plain.problems.join(' ')).toMatch(/recovery key/);
    expect(b.call('backups.restore', { file: backup }, tb)).toMatchObject({ ok: false, error: { code: 'conflict', message: /recovery key/ } });

    // A mistyped code: a field error, nothing opened or staged.
    for (const m of ['backups.verify', 'backups.restore'] as const) {
      const r = b.call(m, { file: backup, recoveryKey: mistype(code) }, tb);
      expect(r, m).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { recoveryKey: expect.stringMatching(/mistyped/) } } });
    }
    // A well-formed code of some other installation: it does not open the backup.
    const stranger = b.ok('backups.verify', { file: backup, recoveryKey: formatRecoveryCode(randomBytes(32)) }, tb);
    expect(stranger).toMatchObject({ ok: false, needsRecoveryKey: true });
    expect(fs.existsSync(path.join(b.dataDir, 'clinic.restore-pending.db'))).toBe(false);

    // With A's code, typed loosely: verified, then restored.
    const typed = code.toLowerCase().replaceAll('-', ' ');
    const v = b.ok('backups.verify', { file: backup, recoveryKey: typed }, tb);
    expect(v).toMatchObject({ ok: true, openedWith: 'recovery-key', needsRecoveryKey: false, integrity: 'ok' });
    expect(v.counts.patients).toBe(1);
    const staged = b.ok('backups.restore', { file: backup, recoveryKey: typed }, tb);
    expect(staged).toMatchObject({ staged: true, recovered: true });
    // The backup on the disk is untouched: it still opens with A's key only.
    connect(backup, { key: KA, readonly: true }).close();
    expect(() => connect(backup, { key: KB, readonly: true })).toThrow(/key is wrong or missing/);

    // Neither B's audit log nor its files hold either key, in any form.
    const auditB = JSON.stringify(b.app.database.sqlite.prepare('SELECT * FROM audit_log').all());
    for (const k of [KA, KB]) {
      expect(auditB.toLowerCase().includes(k.toString('hex'))).toBe(false);
      expect(auditB.includes(formatRecoveryCode(k))).toBe(false);
    }
    expect(b.ok('audit.list', { action: 'backups.restore' }, tb).rows.some((r) => /another installation/.test(r.detail ?? ''))).toBe(true);
    b.app.close();

    // B starts again: the restore is put in place and opens with B's key, not A's.
    const b2 = makeClinic({ dataDir: b.dataDir, key: KB, setup: false });
    expect(b2.app.database.restored?.replacedFile).toBeTruthy();
    tb = b2.login(ADMIN.username, ADMIN.password);
    expect(b2.ok('patients.search', { query: PATIENT.familyName }, tb).map((p) => p.mrn)).toContain(mrn);
    expect(b2.app.database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    b2.app.close();
    const dbFile = path.join(b.dataDir, 'clinic.db');
    connect(dbFile, { key: KB, readonly: true }).close();
    expect(() => connect(dbFile, { key: KA, readonly: true })).toThrow(/key is wrong or missing/);
    for (const k of [KA, KB]) {
      expect(holdsKey(bytesOf(dbFile), k)).toBe(false);
    }

    // Installation A's own database and audit log never held its key either.
    const aFile = path.join(a.dataDir, 'clinic.db');
    expect(holdsKey(bytesOf(aFile), KA)).toBe(false);
    const old = connect(aFile, { key: KA, readonly: true });
    try {
      const auditA = JSON.stringify(old.prepare('SELECT * FROM audit_log').all());
      expect(auditA.toLowerCase().includes(KA.toString('hex'))).toBe(false);
      expect(auditA.includes(code)).toBe(false);
      expect(auditA).toContain('recovery key shown');
    } finally {
      old.close();
    }
  }, 60_000);

  it('a wrong password for the recovery key counts towards the lockout like a failed login', () => {
    const c = makeClinic({ key: KA, settings: { lockoutAttempts: 3 } });
    const token = c.login(ADMIN.username, ADMIN.password);
    for (let i = 0; i < 3; i++) {
      expect(c.call('backups.recoveryKey', { password: `guess ${i}` }, token)).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
    }
    // Locked: even the right password is refused now, here and at the login.
    expect(c.call('backups.recoveryKey', { password: ADMIN.password }, token)).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    expect(c.call('auth.login', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({ ok: false, error: { code: 'account_locked' } });
  });

  it('a backup of this installation still verifies and restores with a recovery key of another given by mistake', async () => {
    const usb = tempDir('clinic-usb-');
    const c = makeClinic({ key: KB });
    const token = c.login(ADMIN.username, ADMIN.password);
    c.ok('backups.configure', { folder: usb }, token);
    const file = String((await finished(c, c.ok('backups.runNow', {}, token))).result!.file);
    const v = c.ok('backups.verify', { file, recoveryKey: formatRecoveryCode(KA) }, token);
    expect(v).toMatchObject({ ok: true, openedWith: 'this-installation' });
    expect(c.ok('backups.restore', { file, recoveryKey: formatRecoveryCode(KA) }, token)).toMatchObject({ staged: true, recovered: false });
    // An empty field is the same as none.
    expect(c.ok('backups.verify', { file, recoveryKey: '' }, token)).toMatchObject({ ok: true, openedWith: 'this-installation' });
  });
});
