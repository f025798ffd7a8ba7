import { eq } from 'drizzle-orm';
import { discountApprovals, users } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { lockedUntil, normaliseUsername } from '../auth';
import { formatRupees, type InvoiceTotals } from '../../../shared/money';
import { burnPasswordCheck, verifyPassword } from '../passwords';
import { hasPermission } from '../../../shared/permissions';
import { changeSigner, unwrapSigningKey } from '../signing-keys';
import type { Ctx } from './common';
import { getBillingSettings, discountLimitPaise } from './settings';

/* Discounts above the counter's limit: who approves them. */

export interface Approval {
  username: string;
  password: string;
}

export interface Approved {
  userId: string;
  username: string;
  /** The discount_approvals row the approver signed; the invoice names it. */
  approvalId: string;
}

/** The approval row, in the approver's name and signed by them: the Writer given signs as them. */
function recordApproval(write: Ctx['write'], invoiceId: string, totals: InvoiceTotals, approver: { id: string; username: string }, now: number): Approved {
  const row = write.insert(discountApprovals, {
    invoiceId,
    approvedBy: approver.id,
    discountPaise: totals.lineDiscountPaise + totals.invoiceDiscountPaise,
    grossPaise: totals.grossPaise,
    approvedAt: now,
  });
  return { userId: approver.id, username: approver.username, approvalId: row.id };
}

/**
 * Who approves the discount on these figures: nobody needed (null) when it is within the limit;
 * the caller when they hold the approval permission; else the administrator named in `approval`,
 * whose password is checked here. Anything else is refused. The approval is recorded as a row the
 * approver signs: the password typed here unwraps their own signing key (as at their login), so the
 * server can tell the administrator approved it and not the desk (docs/SYNC.md "Discount approvals").
 */
export function discountApprover(ctx: Ctx, invoiceId: string, totals: InvoiceTotals, approval: Approval | null | undefined): Approved | null {
  const given = totals.lineDiscountPaise + totals.invoiceDiscountPaise;
  const limit = discountLimitPaise(getBillingSettings(ctx), totals.grossPaise);
  if (given <= limit) return null;
  const what = `A discount of ${formatRupees(given)} is above the ${formatRupees(limit)} the counter may give on a bill of ${formatRupees(totals.grossPaise)}`;
  if (hasPermission(ctx.session.roles, 'billing.approveDiscount')) {
    ctx.describe({ detail: `${what}; approved by ${ctx.session.username} (administrator)` });
    return recordApproval(ctx.write, invoiceId, totals, { id: ctx.session.userId, username: ctx.session.username }, ctx.now());
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
  const key = user.signKeyWrapped ? unwrapSigningKey(user.signKeyWrapped, approval.password) : null;
  // A person from before signed changes gets their key at their next login (services/auth.ts).
  if (!key || key.publicKey !== user.signPublicKey) throw refused('forbidden', `${username} has no signature on this clinic's records yet: they log in once, then approve`, false);
  // The right password breaks the approver's run of failures, as a login would.
  ctx.alsoAudit('billing.approval', { entityType: 'user', entityId: user.id, detail: `discount approved by ${user.username}` });
  ctx.describe({ detail: `${what}; approved by ${user.username}` });
  const signer = changeSigner(user.id, key);
  return recordApproval(ctx.write.withSigner(user.id, signer.sign, user.roles), invoiceId, totals, { id: user.id, username: user.username }, ctx.now());
}
