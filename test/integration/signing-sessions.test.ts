import { SessionKeys } from '../../electron/services/session-keys';
import { verify, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { changeSigningBytes } from '../../shared/change-signing';
import { signKeyId } from '../../db/sign-key-id';
import { ADMIN, makeClinic } from '../helpers/app';

interface LogRow {
  id: string;
  table_name: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  columns: string;
  hlc: string;
  user_id: string | null;
  sig: string | null;
  key_id: string | null;
}

const outbox = (c: ReturnType<typeof makeClinic>) => c.app.database.sqlite.prepare('SELECT * FROM change_log ORDER BY seq').all() as LogRow[];

/** Does the row's signature verify with the public key its signer's users row holds? */
function verifies(c: ReturnType<typeof makeClinic>, r: LogRow): boolean {
  const pk = c.app.database.sqlite.prepare('SELECT sign_public_key FROM users WHERE id = ?').pluck().get(r.user_id) as string;
  if (!r.sig || r.key_id !== signKeyId(pk)) return false;
  const bytes = changeSigningBytes({ id: r.id, table: r.table_name, rowId: r.row_id, op: r.op, columns: JSON.parse(r.columns) as Record<string, unknown>, hlc: r.hlc, userId: r.user_id });
  return verify(null, bytes, createPublicKey({ key: Buffer.from(pk, 'base64'), format: 'der', type: 'spki' }), Buffer.from(r.sig, 'base64'));
}

describe('signed changes at the desk', () => {
  it('signs every change of a session with its person’s key; setup and a failed login are device-level (no signer), whoever they name', () => {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    const adminId = c.ok('auth.me', {}, admin).user.id;
    expect(c.call('auth.login', { username: 'admin', password: 'wrong password' }).ok).toBe(false);
    c.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-password', roles: ['receptionist'] }, admin);
    const rows = outbox(c);
    // Setup's rows: before anyone exists, nobody signs.
    const setup = rows.filter((r) => r.table_name !== 'audit_log').slice(0, 2);
    expect(setup.map((r) => [r.table_name, r.user_id, r.sig])).toEqual([
      ['facility', null, null],
      ['users', null, null],
    ]);
    // The failed login's audit row names the admin account as data, but no one signed it.
    const failed = rows.find((r) => r.table_name === 'audit_log' && (JSON.parse(r.columns) as { outcome: string }).outcome === 'failed')!;
    expect((JSON.parse(failed.columns) as { user_id: string }).user_id).toBe(adminId);
    expect([failed.user_id, failed.sig]).toEqual([null, null]);
    // The login's own audit row and everything after it: signed by the administrator, verifiable.
    const signedRows = rows.filter((r) => r.user_id === adminId);
    expect(signedRows.length).toBeGreaterThanOrEqual(3);
    for (const r of signedRows) expect(verifies(c, r)).toBe(true);
    const newUser = rows.find((r) => r.table_name === 'users' && r.op === 'insert' && r.user_id === adminId)!;
    expect(JSON.parse(newUser.columns)).toMatchObject({ username: 'rita', sign_public_key: expect.any(String), sign_key_wrapped: expect.stringMatching(/^v1\$/) });
  });

  it('a session whose key is not in memory (the app restarted) must log in again; the new login signs', () => {
    const first = makeClinic();
    const token = first.login('admin', ADMIN.password);
    first.app.close();
    // A new process: its memory holds no session's key.
    const again = makeClinic({ setup: false, dataDir: first.dataDir, sessionKeys: new SessionKeys() });
    const res = again.call('patients.search', { query: 'x' }, token);
    expect(res).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Please log in again.' } });
    // The session is over, not just this call.
    expect(again.call('auth.me', {}, token).ok).toBe(false);
    const fresh = again.login('admin', ADMIN.password);
    again.ok('patients.register', { patient: { givenName: 'Lakshmi', gender: 'female', ageYears: 54 } }, fresh);
    const last = outbox(again).filter((r) => r.table_name === 'patients').at(-1)!;
    expect(verifies(again, last)).toBe(true);
  });

  it('a user from before signing gets a key pair at their next login (trust on first use), written as their own signed row', () => {
    const c = makeClinic();
    const sqlite = c.app.database.sqlite;
    sqlite.prepare("UPDATE users SET sign_public_key = NULL, sign_key_wrapped = NULL WHERE username = 'admin'").run();
    const token = c.login('admin', ADMIN.password);
    const adminId = c.ok('auth.me', {}, token).user.id;
    const user = sqlite.prepare('SELECT sign_public_key, sign_key_wrapped FROM users WHERE id = ?').get(adminId) as { sign_public_key: string | null; sign_key_wrapped: string | null };
    expect(user.sign_public_key).toEqual(expect.any(String));
    const own = outbox(c).filter((r) => r.table_name === 'users' && r.row_id === adminId && r.op === 'update').at(-1)!;
    expect(Object.keys(JSON.parse(own.columns) as object).sort()).toEqual(['device_id', 'hlc', 'sign_key_wrapped', 'sign_public_key', 'updated_at']);
    expect(own.user_id).toBe(adminId);
    expect(verifies(c, own)).toBe(true);
    // The wrapped key never reaches the audit trail in clear.
    const audits = sqlite.prepare("SELECT new_values FROM audit_log WHERE entity_type = 'users' AND entity_id = ?").pluck().all(adminId) as string[];
    for (const a of audits) expect(a).not.toContain('v1$');
  });
});
