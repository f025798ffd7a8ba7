import { describe, expect, it } from 'vitest';
import { ADMIN } from '../helpers/app';
import { failure, openDoctorDesk } from './doctor-fixtures';

/**
 * Editing a draft whose discount an administrator approved: the approval is a row they signed for
 * this discount on this bill (docs/SYNC.md "Discount approvals"), so a change that leaves what it
 * covers alone (another doctor) keeps it; a change of the discount or the lines asks again.
 */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
/** ₹200 off ₹500: above the counter's limit (the lower of 10% and ₹500, so ₹50). */
const STAFF_DISCOUNT = { kind: 'amount', value: 20_000, reason: 'Staff' } as const;

describe('a draft with an approved discount', () => {
  it('changing only its doctor keeps the administrator’s approval; changing the discount asks for it again', () => {
    const d = openDoctorDesk();
    const approval = { username: 'admin', password: ADMIN.password };
    const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines: [CONSULT], discount: STAFF_DISCOUNT, approval }, d.reception);
    const approvalId = d.c.app.database.sqlite.prepare('SELECT discount_approval_id FROM invoices WHERE id = ?').pluck().get(draft.id) as string;
    expect(approvalId).toEqual(expect.any(String));

    const moved = d.c.ok('billing.updateInvoice', { invoiceId: draft.id, doctorId: d.drIyer }, d.reception);
    expect(moved).toMatchObject({ doctor: { id: d.drIyer }, discount: { approvedByName: ADMIN.fullName } });
    // The same approval row, not a new one the administrator never signed.
    expect(d.c.app.database.sqlite.prepare('SELECT discount_approval_id FROM invoices WHERE id = ?').pluck().get(draft.id)).toBe(approvalId);
    expect(d.c.app.database.sqlite.prepare('SELECT count(*) FROM discount_approvals').pluck().get()).toBe(1);
    // Issued as approved, by the counter alone.
    expect(d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, d.reception).totals).toMatchObject({ invoiceDiscountPaise: 20_000, totalPaise: 30_000 });

    // A larger discount is not what was approved.
    const other = d.c.ok('billing.createInvoice', { patientId: d.bhavna, lines: [CONSULT], discount: STAFF_DISCOUNT, approval }, d.reception);
    const more = failure(d.c.call('billing.updateInvoice', { invoiceId: other.id, discount: { ...STAFF_DISCOUNT, value: 25_000 } }, d.reception));
    expect(more.fields).toEqual({ approval: 'An administrator must approve this discount' });
  });
});
