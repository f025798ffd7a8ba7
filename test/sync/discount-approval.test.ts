import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { startSyncServer } from '../helpers/sync';
import { ADMIN } from '../helpers/app';
import { changeSigner, type ChangeSigner } from '../../electron/services/signing-keys';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * A discount above the counter's limit is approved by an administrator typing their password at
 * the cashier's desk: the desk unwraps the administrator's own key with it and writes an approval
 * row they sign. The server takes the bill only when the approver it names signed an approval of
 * that bill covering its discount; a cashier's desk pushing a bill that just names the
 * administrator, or leans on an approval of a smaller discount, is refused.
 */
describe('discount approvals', () => {
  it('the real approval syncs; a bill naming an approver without their signed approval covering it is refused', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const adminId = A.c.app.database.sqlite.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    const patientId = register(A, 'Discounted', 1);
    const kiranToken = A.c.login('kiran', STAFF.kiran.password);
    const lines = [{ kind: 'procedure', description: 'Dressing', sacHsn: '999312', quantity: 1, ratePaise: 100_000 }];
    const approval = { username: 'admin', password: ADMIN.password };

    // The real flow: ₹300 off ₹1,000 (the limit is ₹100), approved by the administrator's password.
    const refused = A.c.call('billing.createInvoice', { patientId, lines, discount: { kind: 'amount', value: 30_000, reason: 'Staff family' } }, kiranToken);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const draft = A.c.ok('billing.createInvoice', { patientId, lines, discount: { kind: 'amount', value: 30_000, reason: 'Staff family' }, approval }, kiranToken);
    const issued = A.c.ok('billing.issueInvoice', { invoiceId: draft.id }, kiranToken);
    await converge(server, clinicId, [A.c, B.c]);
    const approvals = await serverRows(server.database.db, clinicId, 'discount_approvals');
    expect(approvals.map((r) => [r.data.invoice_id, r.data.approved_by, r.data.discount_paise, r.data.gross_paise])).toEqual([[draft.id, adminId, 30_000, 100_000]]);
    expect(B.c.ok('billing.invoice', { invoiceId: draft.id }, B.admin)).toMatchObject({ invoiceNumber: issued.invoiceNumber, discount: { approvedBy: adminId } });

    // A second bill approved for ₹150 off; the cashier's desk then issues it with ₹500 off.
    const small = A.c.ok('billing.createInvoice', { patientId, lines, discount: { kind: 'amount', value: 15_000, reason: 'Senior citizen' }, approval }, kiranToken);
    await converge(server, clinicId, [A.c, B.c]);
    const smallApproval = A.c.app.database.sqlite.prepare('SELECT discount_approval_id FROM invoices WHERE id = ?').pluck().get(small.id) as string;

    const kiran = changeSigner(staff.kiran, keyOf(A.c, staff.kiran, STAFF.kiran.password));
    const admin = changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password));
    let counter = 0;
    const change = (signer: ChangeSigner, table: string, rowId: string, op: 'insert' | 'update', row: Record<string, unknown>): Change => {
      const hlc = formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
      const columns = { ...(op === 'insert' ? { id: rowId, created_at: Date.now(), deleted_at: null } : {}), updated_at: Date.now(), device_id: A.c.app.deviceId, hlc, ...row };
      return signed({ id: uuidv7(), seq: counter, table, rowId, op, columns, hlc, userId: signer.userId }, signer);
    };
    const draftRow = (approvalId: string | null) => ({
      patient_id: patientId, status: 'draft', lines: [], discount_kind: 'amount', discount_value: 50_000, discount_reason: 'Friend', discount_approved_by: adminId, discount_approval_id: approvalId,
    });
    const number = String(issued.invoiceNumber).replace(/\d+$/, '000099');
    const totals = { ...issued.totals, invoiceDiscountPaise: 50_000 };
    const fakeApprovalId = uuidv7();
    const fakeApproval = change(kiran, 'discount_approvals', fakeApprovalId, 'insert', { invoice_id: 'x', approved_by: adminId, discount_paise: 50_000, gross_paise: 100_000, approved_at: Date.now() });
    const namedOnly = uuidv7();
    const leaning = uuidv7();
    const otherBill = uuidv7();
    const attempts: [string, Change, string][] = [
      ['a bill that only names the administrator', change(kiran, 'invoices', namedOnly, 'insert', draftRow(null)), 'the bill names an administrator as approving its discount, but no approval signed by them is there'],
      ['an approval in the administrator’s name signed by the cashier', fakeApproval, 'a cashier may not change discount_approvals'],
      ['a bill leaning on that forged approval', change(kiran, 'invoices', leaning, 'insert', draftRow(fakeApprovalId)), 'the bill names an administrator as approving its discount, but no approval signed by them is there'],
      ['another bill reusing a real approval', change(kiran, 'invoices', otherBill, 'insert', draftRow(smallApproval)), 'the discount approval the bill names is for another bill'],
      [
        'the ₹150 approval reused to issue ₹500 off',
        change(kiran, 'invoices', small.id, 'update', { status: 'issued', invoice_number: number, financial_year: issued.financialYear, issued_by: staff.kiran, issued_at: Date.now(), issued_on: '2026-12-07', issued_device_id: A.c.app.deviceId, discount_value: 50_000, totals }),
        'the discount approval covers ₹150.00 on a bill of ₹1000.00, not ₹500.00 on ₹1000.00',
      ],
    ];
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push(attempts.map(([, c]) => c));
    if (!ack.ok) throw new Error(ack.message);
    expect(ack.results.map((r, i) => [attempts[i]![0], r.status, r.reason])).toEqual(attempts.map(([what, , reason]) => [what, 'rejected', reason]));

    // The administrator's real approval may come after the bill in the same push.
    const realId = uuidv7();
    const billId = uuidv7();
    const bill = change(kiran, 'invoices', billId, 'insert', draftRow(realId));
    const real = change(admin, 'discount_approvals', realId, 'insert', { invoice_id: billId, approved_by: adminId, discount_paise: 50_000, gross_paise: 100_000, approved_at: Date.now() });
    const later = await client.push([bill, real]);
    client.close();
    if (!later.ok) throw new Error(later.message);
    expect(later.results.map((r) => [r.status, r.reason ?? null])).toEqual([['applied', null], ['applied', null]]);
    const onServer = (await serverRows(server.database.db, clinicId, 'invoices')).map((r) => r.rowId);
    expect(onServer).toContain(billId);
    for (const id of [namedOnly, leaning, otherBill]) expect(onServer).not.toContain(id);
    const smallNow = (await serverRows(server.database.db, clinicId, 'invoices')).find((r) => r.rowId === small.id);
    expect(smallNow?.data).toMatchObject({ status: 'draft', discount_value: 15_000 });
  }, 120_000);
});
