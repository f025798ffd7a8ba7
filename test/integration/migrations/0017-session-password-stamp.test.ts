import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../electron/services/auth';
import { hashPassword } from '../../../electron/services/passwords';
import { ADMIN, makeClinic } from '../../helpers/app';
import { insertRow, migrateTo } from '../../helpers/migrations';
import { tempDir } from '../../helpers/temp';

/**
 * 0017 gave sessions the stamp of the password they were opened with and a must-change flag
 * (NOT NULL, default false). The old sessions are kept, with no stamp ("from before stamps").
 * Since signed changes (0.2.0) a session whose signing key is not in the app's memory (any
 * session from before a restart, so every session across an update) must log in again: the
 * update keeps the row, and the app asks for the password once.
 */

const NOW = Date.UTC(2026, 10, 21, 4, 30); // makeClinic's clock
const ADMIN_ID = '01937a1c-0000-7000-8000-00000000u001';
const TOKEN = 'b5c7e0d4f1a2'.repeat(4);

describe('migration 0017_session_password_stamp', () => {
  it('keeps the old sessions, unstamped; through the real app the person logs in once again (no signing key in memory)', () => {
    const dataDir = tempDir();
    const old = migrateTo(path.join(dataDir, 'clinic.db'), '0016');
    const stamp = { created_at: NOW - 86_400_000, updated_at: NOW - 86_400_000, hlc: `${String(NOW - 86_400_000).padStart(15, '0')}-0000-device-a`, device_id: 'device-a', deleted_at: null };
    insertRow(old.sqlite, 'facility', { id: '01937a1c-0000-7000-8000-00000000f001', ...stamp, name: 'Sharma Clinic', address: '12 MG Road, Pune 411001', phone: '020 2555 1234' });
    insertRow(old.sqlite, 'users', {
      id: ADMIN_ID,
      ...stamp,
      username: ADMIN.username,
      full_name: ADMIN.fullName,
      password_hash: hashPassword(ADMIN.password),
      roles: '["admin"]',
      active: 1,
    });
    insertRow(old.sqlite, 'sessions', { token_hash: hashToken(TOKEN), user_id: ADMIN_ID, created_at: NOW - 600_000, last_seen_at: NOW - 60_000, ended_at: null });
    old.sqlite.close();

    // 0017 itself: the session is kept, with no stamp and no must-change flag.
    const at17 = migrateTo(path.join(dataDir, 'clinic.db'), '0017');
    const row = at17.sqlite.prepare('SELECT user_id, ended_at, password_stamp, must_change_password FROM sessions WHERE token_hash = ?').get(hashToken(TOKEN));
    expect(row).toEqual({ user_id: ADMIN_ID, ended_at: null, password_stamp: null, must_change_password: 0 });
    at17.sqlite.close();

    // The app opens it and runs the rest of the migrations, as after an update: the old session
    // cannot sign (its key was never unwrapped here), so it is asked to log in again, once.
    const c = makeClinic({ dataDir, setup: false });
    expect(c.call('auth.me', {}, TOKEN)).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Please log in again.' } });
    const fresh = c.login(ADMIN.username, ADMIN.password);
    expect(c.app.database.sqlite.prepare('SELECT password_stamp FROM sessions WHERE token_hash = ?').pluck().get(hashToken(fresh))).toEqual(expect.any(String));
    expect(c.ok('auth.me', {}, fresh)).toMatchObject({ user: { id: ADMIN_ID, username: ADMIN.username }, mustChangePassword: false });
  });
});
