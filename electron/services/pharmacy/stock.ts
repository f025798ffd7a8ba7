import { eq } from 'drizzle-orm';
import { stockBatches, stockMovements, type StockMovementKind } from '../../../db/schema';
import type { Row } from '../../../db/write';
import { ApiFailure, type AuthedContext } from '../../core/context';

/*
 * Stock on hand is never stored: it is the sum of a batch's movements in the insert-only ledger
 * (docs/PHARMACY.md). Reads are raw prepared SQL over the covering indexes
 * (stock_movements_batch_idx, stock_movements_drug_idx) so one item's stock stays a few index pages
 * even with millions of movements.
 */

export type Ctx = AuthedContext;
export type BatchRow = Row<typeof stockBatches>;

export interface BatchStock {
  batchId: string;
  batchNumber: string;
  expiry: string;
  mrpPaise: number;
  purchaseRatePaise: number;
  gstRateBp: number;
  hsnCode: string | null;
  packSize: number;
  /** Units on hand: may be below zero when desks dispensed the same units offline. */
  onHand: number;
}

type Sqlite = Ctx['sqlite'];

/** Units on hand of one batch. */
export function batchOnHand(sqlite: Sqlite, batchId: string): number {
  return Number(sqlite.prepare('SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE batch_id = ?').pluck().get(batchId));
}

/** Units on hand of one item (every batch, expired ones included). */
export function itemOnHand(sqlite: Sqlite, drugId: string): number {
  return Number(sqlite.prepare('SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE drug_id = ?').pluck().get(drugId));
}

interface BatchSql {
  id: string;
  batch_number: string;
  expiry: string;
  mrp_paise: number;
  purchase_rate_paise: number;
  gst_rate_bp: number;
  hsn_code: string | null;
  pack_size: number;
  on_hand: number;
}

const BATCHES_OF_ITEM = `SELECT b.id, b.batch_number, b.expiry, b.mrp_paise, b.purchase_rate_paise, b.gst_rate_bp, b.hsn_code, b.pack_size,
    (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.batch_id = b.id) AS on_hand
  FROM stock_batches b WHERE b.drug_id = ? AND b.deleted_at IS NULL ORDER BY b.expiry, b.created_at, b.id`;

const toStock = (r: BatchSql): BatchStock => ({
  batchId: r.id,
  batchNumber: r.batch_number,
  expiry: r.expiry,
  mrpPaise: r.mrp_paise,
  purchaseRatePaise: r.purchase_rate_paise,
  gstRateBp: r.gst_rate_bp,
  hsnCode: r.hsn_code,
  packSize: r.pack_size,
  onHand: r.on_hand,
});

/** Every batch of an item with its stock, earliest expiry first. */
export function batchesOf(sqlite: Sqlite, drugId: string): BatchStock[] {
  return (sqlite.prepare(BATCHES_OF_ITEM).all(drugId) as BatchSql[]).map(toStock);
}

export interface BatchPick {
  batch: BatchStock;
  qty: number;
}

/**
 * First expiry, first out: the unexpired batches with stock, earliest expiry first, split until
 * `qty` units are covered. `short` is what no batch could cover (0 when all of it can be given).
 */
export function fefo(sqlite: Sqlite, drugId: string, qty: number, today: string): { picks: BatchPick[]; short: number } {
  const picks: BatchPick[] = [];
  let left = qty;
  for (const batch of batchesOf(sqlite, drugId)) {
    if (left <= 0) break;
    if (batch.expiry < today || batch.onHand <= 0) continue;
    const take = Math.min(left, batch.onHand);
    picks.push({ batch, qty: take });
    left -= take;
  }
  return { picks, short: left };
}

export function requireBatch(ctx: Pick<Ctx, 'db'>, batchId: string, field = 'batchId'): BatchRow {
  const row = ctx.db.select().from(stockBatches).where(eq(stockBatches.id, batchId)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', 'No such batch.', { [field]: 'No such batch' });
  return row;
}

/** One row of the ledger, in the caller's name. */
export function move(
  ctx: Ctx,
  m: { batchId: string; drugId: string; kind: StockMovementKind; qty: number; reason?: string | null; refTable?: string | null; refId?: string | null },
) {
  return ctx.write.insert(stockMovements, {
    batchId: m.batchId,
    drugId: m.drugId,
    kind: m.kind,
    qty: m.qty,
    reason: m.reason ?? null,
    refTable: m.refTable ?? null,
    refId: m.refId ?? null,
    movedAt: ctx.now(),
    movedBy: ctx.session.userId,
  });
}
