import { sql, type SQL } from 'drizzle-orm';
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

/** Which refunds (and payments) to count: those on these invoices, written up to this HLC. */
export interface LedgerScope {
  invoiceIds?: string[] | undefined;
  upToHlc?: string | undefined;
}

function scoped(alias: string, scope: LedgerScope): SQL {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  const parts: SQL[] = [sql`${col('invoice_id')} IS NOT NULL`];
  if (scope.invoiceIds) parts.push(scope.invoiceIds.length > 0 ? sql`${col('invoice_id')} IN (${sql.join(scope.invoiceIds.map((id) => sql`${id}`), sql`, `)})` : sql`0`);
  if (scope.upToHlc !== undefined) parts.push(sql`${col('hlc')} <= ${scope.upToHlc}`);
  return sql.join(parts, sql` AND `);
}

/**
 * Every refund on an invoice with what it took off the bill: columns id, invoice_id, hlc,
 * amount_paise and credited. The one place the credit of a refund is read; every sum uses it.
 *
 * A refund written by this version says what it credits (credited_paise): its lines' amounts, or 0
 * for money paid beyond the bill and credit kept as advance, which name no lines by design
 * (lines = '[]'). A refund from before refunds by line (issue #15) has lines NULL and credited 0:
 * the old app took an amount only, and it did take money off the bill unless it gave back money
 * paid beyond it. Old desks' refunds keep arriving by sync, and the ledger is never updated, so
 * its credit is worked out here, on reading, exactly in paise:
 *   - the invoice's overpayment is max(0, paid − total);
 *   - walking the invoice's refunds in HLC order (the order every desk agrees on), each old refund
 *     first gives back what is left of the overpayment (credits 0 for that part), and the rest of it
 *     comes off the bill; a refund beyond the bill by this version uses up the overpayment too
 *     (amount − credited), a line refund does not (it credits all it gives back);
 *   - an old refund never takes the bill's credited past its total.
 * Closed form, per old refund k with claims c (amount for an old refund, amount − credited
 * otherwise) summed up to and including k as C_k: over_k = min(X, C_k) − min(X, C_k − c_k) with X
 * the overpayment; raw_k = amount − over_k; credited_k = max(0, min(raw_k, total − R_{k−1})) where
 * R sums raw (credited_paise for a refund by this version). If an earlier old refund was capped,
 * R_{k−1} ≥ total, so later old refunds credit 0, as the cap wants.
 */
export function refundCredits(scope: LedgerScope = {}): SQL {
  // A line credit giving back less than it took off (a bill not paid for) claims no overpayment: max(0, …).
  const claim = sql`CASE WHEN r.lines IS NULL THEN r.amount_paise ELSE max(0, r.amount_paise - r.credited_paise) END`;
  const total = sql`coalesce(json_extract(i.totals, '$.totalPaise'), 0)`;
  return sql`
    SELECT id, invoice_id, hlc, amount_paise,
      CASE WHEN legacy THEN max(0, min(raw, total - (raw_to - raw))) ELSE credited_paise END AS credited
    FROM (
      SELECT *, sum(raw) OVER (PARTITION BY invoice_id ORDER BY hlc, id ROWS UNBOUNDED PRECEDING) AS raw_to
      FROM (
        SELECT *, CASE WHEN legacy THEN amount_paise - (min(excess, claim_to) - min(excess, claim_to - claim)) ELSE credited_paise END AS raw
        FROM (
          SELECT r.id AS id, r.invoice_id AS invoice_id, r.hlc AS hlc, r.amount_paise AS amount_paise, r.credited_paise AS credited_paise,
            r.lines IS NULL AS legacy, ${total} AS total, max(0, coalesce(p.s, 0) - ${total}) AS excess,
            ${claim} AS claim, sum(${claim}) OVER (PARTITION BY r.invoice_id ORDER BY r.hlc, r.id ROWS UNBOUNDED PRECEDING) AS claim_to
          FROM refunds r
          LEFT JOIN invoices i ON i.id = r.invoice_id
          LEFT JOIN (SELECT invoice_id, sum(amount_paise) AS s FROM payments p WHERE ${scoped('p', scope)} GROUP BY invoice_id) p ON p.invoice_id = r.invoice_id
          WHERE ${scoped('r', scope)}
        )
      )
    )`;
}

/** Per invoice: refunded (s) and credited (c), as refundCredits reads them. */
export function refundSums(scope: LedgerScope = {}): SQL {
  return sql`SELECT invoice_id, sum(amount_paise) AS s, sum(credited) AS c FROM (${refundCredits(scope)}) GROUP BY invoice_id`;
}

export function ledgerTotals(ctx: Pick<Ctx, 'db'>, invoiceId: string, upToHlc?: string): InvoiceLedger {
  const scope = { invoiceIds: [invoiceId], upToHlc };
  const paid = ctx.db.get<{ s: number }>(sql`SELECT coalesce(sum(amount_paise), 0) AS s FROM payments p WHERE ${scoped('p', scope)}`).s;
  const r = ctx.db.get<{ s: number; c: number } | undefined>(sql`SELECT s, c FROM (${refundSums(scope)})`);
  return { paid, refunded: r?.s ?? 0, credited: r?.c ?? 0 };
}

export function ledgerMap(ctx: Pick<Ctx, 'db'>, ids: string[]): Map<string, InvoiceLedger> {
  const out = new Map<string, InvoiceLedger>();
  for (const id of ids) out.set(id, { paid: 0, refunded: 0, credited: 0 });
  for (let i = 0; i < ids.length; i += 500) {
    const scope = { invoiceIds: ids.slice(i, i + 500) };
    for (const r of ctx.db.all<{ id: string; s: number }>(sql`SELECT invoice_id AS id, sum(amount_paise) AS s FROM payments p WHERE ${scoped('p', scope)} GROUP BY invoice_id`)) {
      out.get(r.id)!.paid = r.s;
    }
    for (const r of ctx.db.all<{ id: string; s: number; c: number }>(sql`SELECT invoice_id AS id, s, c FROM (${refundSums(scope)})`)) {
      out.get(r.id)!.refunded = r.s;
      out.get(r.id)!.credited = r.c;
    }
  }
  return out;
}

/** Sum of amount_paise of the rows that match, 0 when none. */
export function sumPaise(ctx: Pick<Ctx, 'db'>, table: typeof payments | typeof refunds, where: SQL | undefined): number {
  return ctx.db.select({ s: sql<number>`coalesce(sum(${table.amountPaise}), 0)` }).from(table).where(where).get()?.s ?? 0;
}
