import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { changeSigner } from '../../electron/services/signing-keys';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * An enrolled desk's credential in the wrong hands: changes pushed straight over the protocol,
 * past the app's services. The server judges each one by the rule book and refuses what the app
 * would never do, with a reason; another desk that pulls sees none of it.
 */
describe('the server refuses what the rule book forbids', () => {
  it('refuses, with a reason, role escalation, edits of issued invoices, ledger edits, audit rows in another’s name and malformed values; the other desk sees no change', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const kiran = A.c.login(STAFF.kiran.username, STAFF.kiran.password);
    const patientId = register(A, 'Ledgerpatient', 1);
    const consult = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 };
    const invoice = A.c.ok('billing.issueInvoice', { invoiceId: A.c.ok('billing.createInvoice', { patientId, lines: [consult] }, kiran).id }, kiran);
    A.c.ok('billing.recordPayment', { invoiceId: invoice.id, parts: [{ mode: 'cash', amountPaise: invoice.totals.totalPaise }] }, kiran);
    await converge(server, clinicId, [A.c, B.c]);

    const sqlite = A.c.app.database.sqlite;
    const paymentId = sqlite.prepare('SELECT id FROM payments WHERE invoice_id = ?').pluck().get(invoice.id) as string;
    const auditId = sqlite.prepare("SELECT id FROM audit_log WHERE action = 'billing.issueInvoice'").pluck().get() as string;
    const before = { users: await serverRows(server.database.db, clinicId, 'users'), invoices: await serverRows(server.database.db, clinicId, 'invoices') };

    let counter = 0;
    const hlc = () => formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
    // Each change is genuinely signed by the person it names (the desk holds their keys once they
    // log in there), so what the server judges is the change itself, not a missing signature.
    const signers = new Map([
      [adminId, changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password))],
      [staff.rita, changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password))],
      [staff.kiran, changeSigner(staff.kiran, keyOf(A.c, staff.kiran, STAFF.kiran.password))],
    ]);
    const change = (userId: string, table: string, rowId: string, op: Change['op'], columns: Record<string, unknown>): Change => {
      const stamp = hlc();
      return signed({ id: uuidv7(), seq: counter, table, rowId, op, columns: { ...columns, hlc: stamp }, hlc: stamp, userId }, signers.get(userId)!);
    };
    const forgedAudit = uuidv7();
    const fraction = uuidv7();
    const attempts: [string, Change, RegExp][] = [
      ['a receptionist makes herself an administrator', change(staff.rita, 'users', staff.rita, 'update', { roles: ['receptionist', 'admin'] }), /may change only their password, not their roles|may not change users/],
      ['a receptionist sets the administrator’s password', change(staff.rita, 'users', adminId, 'update', { password_hash: 'scrypt$16384$8$1$x$y' }), /a receptionist may not change users/],
      ['an administrator changes their own roles', change(adminId, 'users', adminId, 'update', { roles: ['admin', 'doctor'] }), /own account staff may change only their password, not their roles/],
      ['an issued, paid invoice back to a 1-paise draft', change(staff.kiran, 'invoices', invoice.id, 'update', { status: 'draft', totals: { ...invoice.totals, totalPaise: 1 } }), /has been issued: its totals can no longer change/],
      ['an issued invoice back to draft', change(staff.kiran, 'invoices', invoice.id, 'update', { status: 'draft' }), /has been issued: it never goes back to draft/],
      ['an issued invoice renumbered', change(adminId, 'invoices', invoice.id, 'update', { invoice_number: '2627/Z/000001' }), /its invoice_number can no longer change/],
      [
        'an issued invoice overwritten by an "insert" of the same row',
        change(staff.kiran, 'invoices', invoice.id, 'insert', { id: invoice.id, status: 'draft', invoice_number: null, issued_by: null }),
        /has been issued: it never goes back to draft|can no longer change/,
      ],
      ['an issued invoice deleted', change(adminId, 'invoices', invoice.id, 'delete', { deleted_at: Date.now() }), /it is never deleted, only voided with a reason/],
      ['a payment changed', change(adminId, 'payments', paymentId, 'update', { amount_paise: 1 }), /payments rows are insert-only/],
      ['a payment deleted', change(adminId, 'payments', paymentId, 'delete', { deleted_at: Date.now() }), /payments rows are insert-only/],
      ['an audit row deleted', change(adminId, 'audit_log', auditId, 'delete', { deleted_at: Date.now() }), /audit_log rows are insert-only/],
      [
        'an audit row in the administrator’s name, from a receptionist',
        change(staff.rita, 'audit_log', forgedAudit, 'insert', {
          id: forgedAudit, created_at: 1, updated_at: 1, device_id: A.c.app.deviceId, deleted_at: null, at: 1, user_id: adminId, username: 'admin',
          action: 'staff.create', outcome: 'ok', entity_type: 'users', entity_id: adminId, old_values: null, new_values: null, detail: null,
        }),
        /audit_log.user_id must be the person making the change/,
      ],
      ['roles sent as text', change(adminId, 'users', staff.rita, 'update', { roles: 'admin' }), /users.roles must be a list or a record, not text/],
      [
        'a payment of a fraction of a paisa',
        change(staff.kiran, 'payments', fraction, 'insert', {
          id: fraction, created_at: 1, updated_at: 1, device_id: A.c.app.deviceId, deleted_at: null, invoice_id: null, patient_id: patientId, mode: 'cash',
          amount_paise: 12.5, reference: null, received_by: staff.kiran, received_on: '2026-12-06', receipt_number: 'A/R/999999',
        }),
        /payments.amount_paise must be a whole number, not a number with a fraction/,
      ],
    ];
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push(attempts.map(([, c]) => c));
    client.close();
    if (!ack.ok) throw new Error(ack.message);
    attempts.forEach(([what, c, reason], i) => {
      const result = ack.results[i]!;
      expect(result.id).toBe(c.id);
      expect({ what, status: result.status }).toEqual({ what, status: 'rejected' });
      expect(result.reason, what).toMatch(reason);
    });

    // Nothing changed on the server, and a desk that pulls sees nothing either.
    expect(await serverRows(server.database.db, clinicId, 'users')).toEqual(before.users);
    expect(await serverRows(server.database.db, clinicId, 'invoices')).toEqual(before.invoices);
    await B.c.app.sync.syncNow();
    const onB = B.c.app.database.sqlite;
    expect(JSON.parse(onB.prepare('SELECT roles FROM users WHERE id = ?').pluck().get(staff.rita) as string)).toEqual(['receptionist']);
    expect(B.c.call('auth.login', { username: 'admin', password: ADMIN.password }).ok).toBe(true);
    expect(onB.prepare('SELECT status, invoice_number, deleted_at FROM invoices WHERE id = ?').get(invoice.id)).toEqual({ status: 'issued', invoice_number: invoice.invoiceNumber, deleted_at: null });
    expect(onB.prepare('SELECT amount_paise, deleted_at FROM payments WHERE id = ?').get(paymentId)).toEqual({ amount_paise: invoice.totals.totalPaise, deleted_at: null });
    expect(onB.prepare('SELECT count(*) FROM payments WHERE id = ?').pluck().get(fraction)).toBe(0);
    expect(onB.prepare('SELECT count(*) FROM audit_log WHERE id = ?').pluck().get(forgedAudit)).toBe(0);
    expect(onB.prepare('SELECT deleted_at FROM audit_log WHERE id = ?').pluck().get(auditId)).toBeNull();
    expect(B.c.ok('billing.invoice', { invoiceId: invoice.id }, B.admin)).toMatchObject({ status: 'issued', invoiceNumber: invoice.invoiceNumber });
  }, 90_000);

  it('a deactivated account signs nothing made after its deactivation; what it did before (queued offline) still counts', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const rita = changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password));
    const before = Date.now() - 60_000;
    // A registration's columns as the app writes them, to copy for the hand-made ones.
    const model = register(A, 'Modelpatient', 1);
    const modelColumns = JSON.parse(A.c.app.database.sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'patients' AND row_id = ? AND op = 'insert'").pluck().get(model) as string) as Record<string, unknown>;
    let n = 0;
    const patientRow = (id: string, givenName: string) => ({ ...modelColumns, id, given_name: givenName, mrn: `A/ZZ/${String(++n).padStart(6, '0')}` });
    A.c.ok('staff.setActive', { userId: staff.rita, active: false }, A.admin);
    await converge(server, clinicId, [A.c]);
    const client = await connectAs(server.url, credentialsOf(A.c));
    const registration = (wallMs: number, name: string) => {
      const id = uuidv7();
      const hlc = formatHlc({ wallMs, counter: 0, deviceId: 'desk-offline' });
      const columns = { ...patientRow(id, name), hlc };
      return signed({ id: uuidv7(), seq: 1, table: 'patients', rowId: id, op: 'insert', columns, hlc, userId: staff.rita }, rita);
    };
    const ack = await client.push([registration(before, 'Queuedbefore'), registration(Date.now() + 1_000, 'Madeafter')]);
    client.close();
    expect(ack.ok && ack.results.map((r) => [r.status, r.reason ?? null])).toEqual([
      ['applied', null],
      ['rejected', "rita's account was deactivated before this change was made"],
    ]);
  }, 60_000);

  it('a malformed change from a desk is shown as rejected on its Sync screen, is not retried, and the user’s later work still syncs', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const sqlite = A.c.app.database.sqlite;
    await A.c.app.sync.stop();
    // What an older or tampered build could leave in the outbox: the receptionist's roles as text.
    const stamp = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    const bad = uuidv7();
    // Signed by the administrator it names, so the server judges the value, not the signature.
    const columns = { roles: 'receptionist', hlc: stamp };
    const s = signed({ id: bad, seq: 0, table: 'users', rowId: staff.rita, op: 'update', columns, hlc: stamp, userId: adminId }, changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password)));
    sqlite
      .prepare('INSERT INTO change_log (id, table_name, row_id, op, columns, hlc, user_id, sig, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(bad, 'users', staff.rita, 'update', JSON.stringify(columns), stamp, adminId, s.sig ?? null, s.keyId ?? null);
    // The receptionist goes on working: her registration must reach the other desk.
    const rita = A.c.login(STAFF.rita.username, STAFF.rita.password);
    const later = register(A, 'Afterbadroles', 3, rita);
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    expect(B.c.ok('patients.get', { id: later }, B.admin).patient.givenName).toBe('Afterbadroles');
    const listed = A.c.ok('sync.outbox', { kind: 'rejected' }, A.admin);
    expect(listed.map((r) => [r.id, r.reason])).toEqual([[bad, 'users.roles must be a list or a record, not text']]);
    expect(A.c.app.sync.getStatus()).toMatchObject({ pending: 0, rejected: 1 });
    expect(JSON.parse(B.c.app.database.sqlite.prepare('SELECT roles FROM users WHERE id = ?').pluck().get(staff.rita) as string)).toEqual(['receptionist']);
  }, 90_000);
});
