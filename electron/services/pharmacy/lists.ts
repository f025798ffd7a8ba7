import { and, asc, between, eq, isNull, lt } from 'drizzle-orm';
import { h1Register, pharmacyItems, stockBatches } from '../../../db/schema';
import { addDays } from '../../../shared/clinic-time';
import { quantityText } from '../../../shared/dispense';
import { dispensableQuantity } from '../../../shared/dispensable';
import { ApiFailure } from '../../core/context';
import { dispensedByItem, prescriptionOfVisit } from './dispense';
import { batchesOf, batchOnHand, fefo, itemOnHand, move, requireBatch, type Ctx } from './stock';

/* Corrections, write-offs and the pharmacist's lists and registers. */

/** A counted correction, either way, with its reason (a broken strip, a recount). */
export function adjustStock(ctx: Ctx, input: { batchId: string; quantity: number; reason: string }) {
  const batch = requireBatch(ctx, input.batchId);
  if (input.quantity === 0) throw new ApiFailure('invalid_input', 'quantity: An adjustment moves at least one unit', { quantity: 'Not zero' });
  return move(ctx, { batchId: batch.id, drugId: batch.drugId, kind: 'adjustment', qty: input.quantity, reason: input.reason });
}

/** Writes off what is left of every expired batch (or the one named): one expiry movement per batch with stock. */
export function writeOffExpired(ctx: Ctx, input: { batchId?: string | undefined }) {
  const today = ctx.today();
  const rows = input.batchId
    ? [requireBatch(ctx, input.batchId)]
    : ctx.db.select().from(stockBatches).where(and(lt(stockBatches.expiry, today), isNull(stockBatches.deletedAt))).all();
  const out = [];
  for (const b of rows) {
    if (b.expiry >= today) throw new ApiFailure('conflict', `Batch ${b.batchNumber} expires on ${b.expiry}; it has not expired yet.`, { batchId: 'Not expired' });
    const onHand = batchOnHand(ctx.sqlite, b.id);
    if (onHand > 0) out.push(move(ctx, { batchId: b.id, drugId: b.drugId, kind: 'expiry', qty: -onHand, reason: `expired ${b.expiry}` }));
  }
  return out;
}

export interface BatchLine {
  batchId: string;
  drugId: string;
  drugName: string;
  batchNumber: string;
  expiry: string;
  onHand: number;
}

const BATCH_LINES = `SELECT b.id AS batchId, b.drug_id AS drugId, d.generic_name || coalesce(' ' || d.strength, '') AS drugName, b.batch_number AS batchNumber, b.expiry,
    (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.batch_id = b.id) AS onHand
  FROM stock_batches b JOIN drugs d ON d.id = b.drug_id WHERE b.deleted_at IS NULL`;

/** Batches with stock that expire within `days` (30, 60, 90) from today, soonest first; expired ones too. */
export function nearExpiry(ctx: Ctx, days: number): BatchLine[] {
  const until = addDays(ctx.today(), days);
  return ctx.sqlite.prepare(`${BATCH_LINES} AND b.expiry <= ? AND onHand > 0 ORDER BY b.expiry`).all(until) as BatchLine[];
}

/**
 * Batches below zero: desks that dispensed the same units offline both count after sync, so the
 * ledger says more went out than came in. Shown to the pharmacist to count and correct, never hidden.
 */
export function negativeStock(ctx: Ctx): BatchLine[] {
  return ctx.sqlite.prepare(`${BATCH_LINES} AND onHand < 0 ORDER BY drugName`).all() as BatchLine[];
}

/** Items whose stock is below their reorder level. */
export function belowReorder(ctx: Ctx) {
  const rows = ctx.db.select().from(pharmacyItems).where(isNull(pharmacyItems.deletedAt)).all();
  return rows
    .map((r) => ({ drugId: r.drugId, reorderLevel: r.reorderLevel, onHand: itemOnHand(ctx.sqlite, r.drugId) }))
    .filter((r) => r.onHand < r.reorderLevel);
}

/** The pharmacy's own facts about a drug: its reorder level and barcode (one row per drug). */
export function saveItem(ctx: Ctx, input: { drugId: string; reorderLevel: number; barcode?: string | null | undefined }) {
  const existing = ctx.db.select().from(pharmacyItems).where(and(eq(pharmacyItems.drugId, input.drugId), isNull(pharmacyItems.deletedAt))).get();
  const values = { drugId: input.drugId, reorderLevel: input.reorderLevel, barcode: input.barcode ?? null };
  return existing ? ctx.write.update(pharmacyItems, existing.id, values) : ctx.write.insert(pharmacyItems, values);
}

/** A keyboard-wedge scan: the batch with that barcode, else the item's. */
export function byBarcode(ctx: Ctx, code: string) {
  const batch = ctx.db.select().from(stockBatches).where(and(eq(stockBatches.barcode, code), isNull(stockBatches.deletedAt))).get();
  if (batch) return { drugId: batch.drugId, batchId: batch.id };
  const item = ctx.db.select().from(pharmacyItems).where(and(eq(pharmacyItems.barcode, code), isNull(pharmacyItems.deletedAt))).get();
  if (item) return { drugId: item.drugId, batchId: null };
  throw new ApiFailure('not_found', `Nothing in stock has the barcode ${code}.`, { code: 'Unknown barcode' });
}

/** One item's stock: in all and per batch, earliest expiry first. */
export function stockOf(ctx: Ctx, drugId: string) {
  return { drugId, onHand: itemOnHand(ctx.sqlite, drugId), batches: batchesOf(ctx.sqlite, drugId) };
}

/** A visit's prescription as the pharmacist sees it: each item, what was given, what is open, and the FEFO proposal for it. */
export function prescriptionToDispense(ctx: Ctx, visitId: string) {
  const rx = prescriptionOfVisit(ctx, visitId);
  const given = dispensedByItem(ctx, rx.id);
  const today = ctx.today();
  return {
    prescriptionId: rx.id,
    rxNumber: rx.rxNumber,
    items: rx.items.map((item, i) => {
      const dispensed = given.get(i) ?? 0;
      // Uncounted (no quantity, or ml of a syrup whose pack is unknown): nothing open to count, nothing proposed.
      const prescribed = dispensableQuantity(item);
      const open = prescribed === null ? null : Math.max(prescribed - dispensed, 0);
      const proposal = item.drugId && open ? fefo(ctx.sqlite, item.drugId, open, today) : null;
      return {
        itemIndex: i,
        drugId: item.drugId,
        genericName: item.genericName,
        strength: item.strength,
        form: item.form,
        prescribed,
        /** What the doctor wrote, with its unit ("75 ml", "2 bottles of 100 ml"), for an item not counted in stock units. */
        prescribedText: quantityText(item),
        dispensed,
        open,
        proposal: proposal ? { short: proposal.short, picks: proposal.picks.map((p) => ({ batchId: p.batch.batchId, batchNumber: p.batch.batchNumber, expiry: p.batch.expiry, qty: p.qty })) } : null,
      };
    }),
  };
}

/** The Schedule H1 register between two dates (inclusive), in order. */
export function h1Between(ctx: Ctx, from: string, to: string) {
  return ctx.db
    .select({
      dispensedOn: h1Register.dispensedOn,
      patientName: h1Register.patientName,
      patientAddress: h1Register.patientAddress,
      prescriberName: h1Register.prescriberName,
      prescriberRegistration: h1Register.prescriberRegistration,
      drugName: h1Register.drugName,
      batchNumber: h1Register.batchNumber,
      qty: h1Register.qty,
    })
    .from(h1Register)
    .where(between(h1Register.dispensedOn, from, to))
    .orderBy(asc(h1Register.dispensedOn), asc(h1Register.createdAt))
    .all();
}
