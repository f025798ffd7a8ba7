import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, changeLog } from '../../db/schema';
import { ADMIN, makeClinic } from '../helpers/app';

describe('staff.rename', () => {
  it('gives a staff member a new username: the old stops working, the password stays, a taken name is refused on the field, only an administrator may', () => {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    const ravi = c.ok('staff.create', { username: 'ravi.2', fullName: 'Ravi Kumar', password: 'ravi-password', roles: ['receptionist'] }, admin);
    const raviSession = c.login('ravi.2', 'ravi-password');

    expect(c.call('staff.rename', { userId: ravi.id, username: 'admin' }, admin)).toMatchObject({ ok: false, error: { code: 'conflict', fields: { username: 'This username is already taken' } } });
    expect(c.call('staff.rename', { userId: ravi.id, username: 'r' }, admin)).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { username: 'Username must be at least 3 characters' } } });
    expect(c.call('staff.rename', { userId: ravi.id, username: 'ravi.k' }, raviSession)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(c.ok('staff.rename', { userId: ravi.id, username: ' Ravi.K ' }, admin)).toMatchObject({ id: ravi.id, username: 'ravi.k' });
    expect(c.call('auth.login', { username: 'ravi.2', password: 'ravi-password' }).ok).toBe(false);
    expect(c.call('auth.login', { username: 'ravi.k', password: 'ravi-password' }).ok).toBe(true);

    const logged = c.app.database.db.select().from(changeLog).where(and(eq(changeLog.rowId, ravi.id), eq(changeLog.op, 'update'))).all();
    expect(logged.map((l) => l.columns.username)).toEqual(['ravi.k']);
    const audit = c.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'staff.rename')).all();
    expect(audit.filter((a) => a.outcome === 'ok')).toMatchObject([{ username: 'admin', entityType: 'users', entityId: ravi.id, newValues: { username: 'ravi.k' } }]);
  });
});
