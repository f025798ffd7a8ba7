import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { lockedUntil, normaliseUsername } from '../auth';
import { formatRupees, type InvoiceTotals } from '../../../shared/money';
import { burnPasswordCheck, verifyPassword } from '../passwords';
import { hasPermission } from '../../../shared/permissions';
import type { Ctx } from './common';
import { getBillingSettings, discountLimitPaise } from './settings';

/* Discounts above the counter's limit: who approves them. */

export interface Approval {
  username: string;
  password: string;
}

/**
 * Who approves the discount on these figures: nobody needed (null) when it is within the limit;
 * the caller when they hold the approval permission; else the administrator named in `approval`,
 * whose password is checked here. Anything else is refused.
 */
export function discountApprover(ctx: Ctx, totals: InvoiceTotals, approval: Approval | null | undefined): { userId: string; username: string } | null {
  const given = totals.lineDiscountPaise + totals.invoiceDiscountPaise;
  const limit = discountLimitPaise(getBillingSettings(ctx), totals.grossPaise);
  if (given <= limit) return null;
  const what = `A discount of ${formatRupees(given)} is above the ${formatRupees(limit)} the counter may give on a bill of ${formatRupees(totals.grossPaise)}`;
  if (hasPermission(ctx.session.roles, 'billing.approveDiscount')) {
    ctx.describe({ detail: `${what}; approved by ${ctx.session.username} (administrator)` });
    return { userId: ctx.session.userId, username: ctx.session.username };
  }
  if (!approval) {
    throw new ApiFailure('forbidden', `${what}: an administrator must approve it (their username and password).`, {
      approval: 'An administrator must approve this discount',
    });
  }
  const username = normaliseUsername(approval.username);
  const user = ctx.db.select().from(users).where(eq(users.username, username)).get();
  // A password typed here is a password attempt on the approver's account like a login: the
  // refusal is audited against that account ('user'), so it counts towards the same lockout.
  const refused = (code: 'invalid_credentials' | 'account_locked' | 'forbidden', why: string, attempt: boolean) =>
    new ApiFailure(code, `The discount was not approved: ${why}.`, { 'approval.password': why }, {
      ...(attempt && user ? { entityType: 'user', entityId: user.id } : {}),
      detail: `discount approval by ${username} refused: ${why}`,
    });
  if (!user || user.deletedAt !== null) {
    burnPasswordCheck(approval.password);
    throw refused('invalid_credentials', 'wrong administrator username or password', false);
  }
  if (lockedUntil(ctx, user.id) !== null) throw refused('account_locked', `${username}'s account is locked after wrong passwords`, true);
  if (!verifyPassword(approval.password, user.passwordHash)) throw refused('invalid_credentials', 'wrong administrator username or password', true);
  if (!user.active || !hasPermission(user.roles, 'billing.approveDiscount')) throw refused('forbidden', `${username} is not an active administrator`, false);
  // The right password breaks the approver's run of failures, as a login would.
  ctx.alsoAudit('billing.approval', { entityType: 'user', entityId: user.id, detail: `discount approved by ${user.username}` });
  ctx.describe({ detail: `${what}; approved by ${user.username}` });
  return { userId: user.id, username: user.username };
}
