import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { payments, refunds } from '../../../db/schema';
import type { Ctx } from './common';

/* Ledger: payments and refunds (insert-only), balances computed. */

/**
 * An invoice's ledger: paid (money in), refunded (money back) and credited (what the bill no longer
 * comes to: the lines refunds took back). A line refund moves both refunded and credited, so the
 * bill stays paid; only a refund of money paid beyond the bill moves refunded alone.
 */
export interface InvoiceLedger {
  paid: number;
  refunded: number;
  credited: number;
}

export function ledgerTotals(ctx: Pick<Ctx, 'db'>, invoiceId: string): InvoiceLedger {
  const paid = ctx.db.select({ s: sql<number>`coalesce(sum(${payments.amountPaise}), 0)` }).from(payments).where(eq(payments.invoiceId, invoiceId)).get()?.s ?? 0;
  const r = ctx.db
    .select({ s: sql<number>`coalesce(sum(${refunds.amountPaise}), 0)`, c: sql<number>`coalesce(sum(${refunds.creditedPaise}), 0)` })
    .from(refunds)
    .where(eq(refunds.invoiceId, invoiceId))
    .get();
  return { paid, refunded: r?.s ?? 0, credited: r?.c ?? 0 };
}

export function ledgerMap(ctx: Pick<Ctx, 'db'>, ids: string[]): Map<string, InvoiceLedger> {
  const out = new Map<string, InvoiceLedger>();
  for (const id of ids) out.set(id, { paid: 0, refunded: 0, credited: 0 });
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
      .select({ id: refunds.invoiceId, s: sql<number>`sum(${refunds.amountPaise})`, c: sql<number>`sum(${refunds.creditedPaise})` })
      .from(refunds)
      .where(inArray(refunds.invoiceId, chunk))
      .groupBy(refunds.invoiceId)
      .all()) {
      out.get(r.id!)!.refunded = r.s;
      out.get(r.id!)!.credited = r.c;
    }
  }
  return out;
}

/** Sum of amount_paise of the rows that match, 0 when none. */
export function sumPaise(ctx: Pick<Ctx, 'db'>, table: typeof payments | typeof refunds, where: SQL | undefined): number {
  return ctx.db.select({ s: sql<number>`coalesce(sum(${table.amountPaise}), 0)` }).from(table).where(where).get()?.s ?? 0;
}
