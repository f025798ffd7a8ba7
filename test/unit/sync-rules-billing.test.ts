import { describe, expect, it } from 'vitest';
import { approvalToCheck, discountApprovalProblem } from '../../shared/sync-rules-billing';

/** A bill issued before approvals were signed rows: it names its approver and no approval. */
const legacy = { id: 'inv-1', status: 'issued', discount_approved_by: 'admin-1', discount_approval_id: null, totals: { grossPaise: 100_000, lineDiscountPaise: 0, invoiceDiscountPaise: 40_000 } };

describe('discount approvals in the rule book', () => {
  it('lets a bill approved before signed approvals be voided (voiding claims no discount)', () => {
    const after = { ...legacy, status: 'void', void_reason: 'Wrong patient', voided_by: 'cashier-1' };
    expect(approvalToCheck('update', ['status', 'void_reason', 'voided_at', 'voided_by'], after)).toBeNull();
  });

  it('still checks a change of such a bill that touches what the approval covers, even while voiding', () => {
    const more = { ...legacy, totals: { ...legacy.totals, invoiceDiscountPaise: 90_000 } };
    expect(approvalToCheck('update', ['totals'], more)).toEqual({ id: null });
    expect(discountApprovalProblem('inv-1', more, null)).toMatch(/no approval signed by them/);
    expect(approvalToCheck('update', ['status', 'discount_approved_by'], { ...legacy, status: 'void' })).toEqual({ id: null });
  });
});
