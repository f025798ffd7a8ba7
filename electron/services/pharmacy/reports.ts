import { mulDivHalfUp } from '../../../shared/money';
import type { Ctx } from './stock';

/* The pharmacist's figures: stock valuation, the purchase register, fast and slow movers. */

interface ValuedBatch {
  drugId: string;
  drugName: string;
  onHand: number;
  purchaseRatePaise: number;
  mrpPaise: number;
  packSize: number;
}

/**
 * What the stock on hand is worth, at purchase rate (before GST) and at MRP, per item and in all.
 * Batches below zero count as none (they are on the negative-stock list, to be counted).
 */
export function stockValuation(ctx: Ctx) {
  const rows = ctx.sqlite
    .prepare(
      `SELECT b.drug_id AS drugId, d.generic_name || coalesce(' ' || d.strength, '') AS drugName, b.purchase_rate_paise AS purchaseRatePaise, b.mrp_paise AS mrpPaise, b.pack_size AS packSize,
         (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.batch_id = b.id) AS onHand
       FROM stock_batches b JOIN drugs d ON d.id = b.drug_id WHERE b.deleted_at IS NULL AND onHand > 0 ORDER BY drugName`,
    )
    .all() as ValuedBatch[];
  const items = new Map<string, { drugId: string; drugName: string; units: number; atPurchasePaise: number; atMrpPaise: number }>();
  for (const r of rows) {
    const item = items.get(r.drugId) ?? { drugId: r.drugId, drugName: r.drugName, units: 0, atPurchasePaise: 0, atMrpPaise: 0 };
    item.units += r.onHand;
    item.atPurchasePaise += mulDivHalfUp(r.onHand, r.purchaseRatePaise, r.packSize);
    item.atMrpPaise += mulDivHalfUp(r.onHand, r.mrpPaise, r.packSize);
    items.set(r.drugId, item);
  }
  const list = [...items.values()];
  return {
    items: list,
    atPurchasePaise: list.reduce((s, i) => s + i.atPurchasePaise, 0),
    atMrpPaise: list.reduce((s, i) => s + i.atMrpPaise, 0),
  };
}

/** Goods received between two days (both included): supplier, GSTIN, their invoice, the money. */
export function purchaseRegister(ctx: Ctx, from: string, to: string) {
  const rows = ctx.sqlite
    .prepare(
      `SELECT p.id, p.received_on AS receivedOn, s.name AS supplier, s.gstin, p.supplier_invoice AS supplierInvoice, p.invoice_date AS invoiceDate,
         p.taxable_paise AS taxablePaise, p.gst_paise AS gstPaise, p.total_paise AS totalPaise
       FROM purchases p JOIN suppliers s ON s.id = p.supplier_id WHERE p.received_on BETWEEN ? AND ? ORDER BY p.received_on, p.created_at`,
    )
    .all(from, to) as { id: string; receivedOn: string; supplier: string; gstin: string | null; supplierInvoice: string; invoiceDate: string; taxablePaise: number; gstPaise: number; totalPaise: number }[];
  const sum = (k: 'taxablePaise' | 'gstPaise' | 'totalPaise') => rows.reduce((s, r) => s + r[k], 0);
  return { purchases: rows, taxablePaise: sum('taxablePaise'), gstPaise: sum('gstPaise'), totalPaise: sum('totalPaise') };
}

/**
 * Units dispensed per item between two days: the fastest first, and the slowest of the items in
 * stock (those not dispensed at all first).
 */
export function movers(ctx: Ctx, from: string, to: string, limit: number) {
  const rows = ctx.sqlite
    .prepare(
      `WITH sold AS (
         SELECT dl.drug_id, sum(dl.qty) AS units FROM dispense_lines dl JOIN dispenses x ON x.id = dl.dispense_id
         WHERE x.dispensed_on BETWEEN ? AND ? GROUP BY dl.drug_id),
       stocked AS (SELECT drug_id, sum(qty) AS onHand FROM stock_movements GROUP BY drug_id)
       SELECT d.id AS drugId, d.generic_name || coalesce(' ' || d.strength, '') AS drugName, coalesce(sold.units, 0) AS dispensed, coalesce(stocked.onHand, 0) AS onHand
       FROM drugs d LEFT JOIN sold ON sold.drug_id = d.id LEFT JOIN stocked ON stocked.drug_id = d.id
       WHERE sold.units IS NOT NULL OR stocked.onHand > 0`,
    )
    .all(from, to) as { drugId: string; drugName: string; dispensed: number; onHand: number }[];
  const byName = (a: { drugName: string }, b: { drugName: string }) => a.drugName.localeCompare(b.drugName);
  return {
    fast: rows.filter((r) => r.dispensed > 0).sort((a, b) => b.dispensed - a.dispensed || byName(a, b)).slice(0, limit),
    slow: rows.filter((r) => r.onHand > 0).sort((a, b) => a.dispensed - b.dispensed || byName(a, b)).slice(0, limit),
  };
}
