import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { payments, refunds } from '../../../db/schema';
import type { Ctx } from './common';

/* Ledger: payments and refunds (insert-only), balances computed. */

export function ledgerTotals(ctx: Pick<Ctx, 'db'>, invoiceId: string): { paid: number; refunded: number } {
  const paid = ctx.db.select({ s: sql<number>`coalesce(sum(${payments.amountPaise}), 0)` }).from(payments).where(eq(payments.invoiceId, invoiceId)).get()?.s ?? 0;
  const refunded = ctx.db.select({ s: sql<number>`coalesce(sum(${refunds.amountPaise}), 0)` }).from(refunds).where(eq(refunds.invoiceId, invoiceId)).get()?.s ?? 0;
  return { paid, refunded };
}

export function ledgerMap(ctx: Pick<Ctx, 'db'>, ids: string[]): Map<string, { paid: number; refunded: number }> {
  const out = new Map<string, { paid: number; refunded: number }>();
  for (const id of ids) out.set(id, { paid: 0, refunded: 0 });
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of ctx.db
      .select({ id: payments.invoiceId, s: sql<number>`sum(${payments.amountPaise})` })
      .from(payments)
      .where(inArray(payments.invoiceId, chunk))
      .groupBy(payments.invoiceId)
      .all()) {
      out.get(r.id!)!.paid = r.s;
    }
    for (const r of ctx.db
      .select({ id: refunds.invoiceId, s: sql<number>`sum(${refunds.amountPaise})` })
      .from(refunds)
      .where(inArray(refunds.invoiceId, chunk))
      .groupBy(refunds.invoiceId)
      .all()) {
      out.get(r.id!)!.refunded = r.s;
    }
  }
  return out;
}

/** Sum of amount_paise of the rows that match, 0 when none. */
export function sumPaise(ctx: Pick<Ctx, 'db'>, table: typeof payments | typeof refunds, where: SQL | undefined): number {
  return ctx.db.select({ s: sql<number>`coalesce(sum(${table.amountPaise}), 0)` }).from(table).where(where).get()?.s ?? 0;
}
