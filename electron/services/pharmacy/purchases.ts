import { and, asc, eq, isNull } from 'drizzle-orm';
import { drugs, purchaseLines, purchases, stockBatches, suppliers } from '../../../db/schema';
import type { Row } from '../../../db/write';
import { formatRupees } from '../../../shared/money';
// A line's money lives in shared/ so the Stock screen's running totals are these very figures.
import { purchaseLineMoney, type LineMoney } from '../../../shared/purchase-money';
import { ApiFailure } from '../../core/context';
import { batchOnHand, move, requireBatch, type Ctx } from './stock';

/* Suppliers, goods received against their invoices, and goods sent back to them. */

export type SupplierRow = Row<typeof suppliers>;

export interface SupplierInput {
  name: string;
  gstin?: string | null | undefined;
  drugLicences: string[];
  phone?: string | null | undefined;
  address?: string | null | undefined;
  active?: boolean | undefined;
}

export function saveSupplier(ctx: Ctx, id: string | null | undefined, input: SupplierInput): SupplierRow {
  const values = {
    name: input.name,
    gstin: input.gstin ?? null,
    drugLicences: input.drugLicences,
    phone: input.phone ?? null,
    address: input.address ?? null,
    active: input.active ?? true,
  };
  if (!id) return ctx.write.insert(suppliers, values);
  requireSupplier(ctx, id);
  return ctx.write.update(suppliers, id, values);
}

export function requireSupplier(ctx: Pick<Ctx, 'db'>, id: string, field = 'supplierId'): SupplierRow {
  const row = ctx.db.select().from(suppliers).where(eq(suppliers.id, id)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', 'No such supplier.', { [field]: 'No such supplier' });
  return row;
}

export function listSuppliers(ctx: Pick<Ctx, 'db'>): SupplierRow[] {
  return ctx.db.select().from(suppliers).where(isNull(suppliers.deletedAt)).orderBy(asc(suppliers.name)).all();
}

export interface PurchaseLineInput {
  drugId: string;
  batchNumber: string;
  expiry: string;
  /** Per pack. */
  mrpPaise: number;
  ratePaise: number;
  packSize: number;
  gstRateBp: number;
  hsnCode?: string | null | undefined;
  barcode?: string | null | undefined;
  packs: number;
  freePacks: number;
  discountBp: number;
}

/** The batch the goods go into: the item's batch of that number when there is one, else a new one. */
function batchFor(ctx: Ctx, l: PurchaseLineInput, i: number) {
  const existing = ctx.db
    .select()
    .from(stockBatches)
    .where(and(eq(stockBatches.drugId, l.drugId), eq(stockBatches.batchNumber, l.batchNumber), isNull(stockBatches.deletedAt)))
    .orderBy(asc(stockBatches.createdAt))
    .get();
  if (existing) {
    if (existing.expiry !== l.expiry) {
      const why = `Batch ${l.batchNumber} is already in stock expiring ${existing.expiry}; check the expiry on the label`;
      throw new ApiFailure('conflict', `${why}.`, { [`lines.${i}.expiry`]: why });
    }
    if (existing.packSize !== l.packSize) {
      const why = `Batch ${l.batchNumber} is already in stock in packs of ${existing.packSize}`;
      throw new ApiFailure('conflict', `${why}.`, { [`lines.${i}.packSize`]: why });
    }
    // A batch has one MRP (printed on its packs, sold and valued at it): another one here is a typing
    // slip or a different batch, and topping up would silently keep the old MRP and drop this one.
    if (existing.mrpPaise !== l.mrpPaise) {
      const why = `Batch ${l.batchNumber} is already in stock at MRP ${formatRupees(existing.mrpPaise)}`;
      throw new ApiFailure('conflict', `${why}; check the MRP on the label.`, { [`lines.${i}.mrpPaise`]: why });
    }
    return existing;
  }
  const drug = ctx.db.select().from(drugs).where(eq(drugs.id, l.drugId)).get();
  if (!drug || drug.deletedAt !== null) throw new ApiFailure('not_found', 'No such drug in the formulary.', { [`lines.${i}.drugId`]: 'No such drug' });
  return ctx.write.insert(stockBatches, {
    drugId: l.drugId,
    batchNumber: l.batchNumber,
    expiry: l.expiry,
    mrpPaise: l.mrpPaise,
    purchaseRatePaise: l.ratePaise,
    gstRateBp: l.gstRateBp,
    hsnCode: l.hsnCode ?? drug.hsnCode ?? null,
    packSize: l.packSize,
    barcode: l.barcode ?? null,
  });
}

export interface PurchaseInput {
  supplierId: string;
  supplierInvoice: string;
  invoiceDate: string;
  lines: PurchaseLineInput[];
}

/**
 * Goods received against a supplier's invoice: one purchase, a line per batch, and a receipt
 * movement per line for the packs bought and the free ones. Expired goods, and goods expiring
 * today, are refused.
 */
export function recordPurchase(ctx: Ctx, input: PurchaseInput) {
  const supplier = requireSupplier(ctx, input.supplierId);
  refuseSameInvoice(ctx, supplier, input.supplierInvoice);
  const today = ctx.today();
  input.lines.forEach((l, i) => {
    if (l.expiry < today) throw new ApiFailure('invalid_input', `lines.${i}.expiry: Batch ${l.batchNumber} has expired (${l.expiry}); do not receive it`, { [`lines.${i}.expiry`]: 'Already expired' });
    // A batch is usable through its expiry date (FEFO, dispensing), so it has not expired today; but
    // goods that can be sold only on the day they arrive go back to the supplier, as a pharmacist
    // would send them back at the door. Refused, saying so rather than calling them expired.
    if (l.expiry === today) throw new ApiFailure('invalid_input', `lines.${i}.expiry: Batch ${l.batchNumber} expires today (${l.expiry}); do not receive it`, { [`lines.${i}.expiry`]: 'Expires today' });
    if (l.ratePaise > l.mrpPaise) throw new ApiFailure('invalid_input', `lines.${i}.ratePaise: The purchase rate ${formatRupees(l.ratePaise)} is above the MRP ${formatRupees(l.mrpPaise)}`, { [`lines.${i}.ratePaise`]: 'Above the MRP' });
  });
  const money = input.lines.map(purchaseLineMoney);
  const sum = (k: keyof LineMoney) => money.reduce((s, m) => s + m[k], 0);
  const purchase = ctx.write.insert(purchases, {
    supplierId: input.supplierId,
    supplierInvoice: input.supplierInvoice,
    invoiceDate: input.invoiceDate,
    receivedOn: today,
    receivedBy: ctx.session.userId,
    grossPaise: sum('grossPaise'),
    discountPaise: sum('discountPaise'),
    taxablePaise: sum('taxablePaise'),
    gstPaise: sum('gstPaise'),
    totalPaise: sum('totalPaise'),
  });
  const lines = input.lines.map((l, i) => {
    const batch = batchFor(ctx, l, i);
    const line = ctx.write.insert(purchaseLines, {
      purchaseId: purchase.id,
      batchId: batch.id,
      drugId: l.drugId,
      packs: l.packs,
      freePacks: l.freePacks,
      ratePaise: l.ratePaise,
      discountBp: l.discountBp,
      gstRateBp: l.gstRateBp,
      ...money[i]!,
    });
    move(ctx, { batchId: batch.id, drugId: l.drugId, kind: 'receipt', qty: (l.packs + l.freePacks) * batch.packSize, refTable: 'purchase_lines', refId: line.id });
    return { ...line, batchId: batch.id };
  });
  return { purchase, lines };
}

/**
 * A supplier's invoice is received once: a second save of the same one (Ctrl+Enter pressed twice, or
 * the delivery entered again by a colleague) would count the goods twice. Compared without case or
 * surrounding spaces, as people type "ppd/1" for "PPD/1".
 */
function refuseSameInvoice(ctx: Ctx, supplier: SupplierRow, invoice: string) {
  const earlier = ctx.sqlite
    .prepare('SELECT received_on AS receivedOn FROM purchases WHERE supplier_id = ? AND lower(trim(supplier_invoice)) = lower(trim(?)) AND deleted_at IS NULL LIMIT 1')
    .get(supplier.id, invoice) as { receivedOn: string } | undefined;
  if (!earlier) return;
  const why = `Invoice ${invoice.trim()} of ${supplier.name} was already entered on ${earlier.receivedOn}`;
  throw new ApiFailure('conflict', `${why}; it is not recorded again.`, { supplierInvoice: why });
}

/** Goods sent back to the supplier: never more than is on hand. */
export function returnToSupplier(ctx: Ctx, input: { batchId: string; quantity: number; reason: string }) {
  const batch = requireBatch(ctx, input.batchId);
  const onHand = batchOnHand(ctx.sqlite, batch.id);
  if (input.quantity > onHand) {
    throw new ApiFailure('conflict', `Only ${onHand} units of batch ${batch.batchNumber} are on hand; ${input.quantity} cannot be returned.`, { quantity: `At most ${Math.max(onHand, 0)}` });
  }
  return move(ctx, { batchId: batch.id, drugId: batch.drugId, kind: 'purchase-return', qty: -input.quantity, reason: input.reason });
}
