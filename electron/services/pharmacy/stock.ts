import { eq } from 'drizzle-orm';
import type Database from '../../../db/sqlite';
import { stockBatches, stockMovements, type StockMovementKind } from '../../../db/schema';
import type { Row } from '../../../db/write';
import { ApiFailure, type AuthedContext } from '../../core/context';

/*
 * Stock on hand is never stored: it is the sum of a batch's movements in the insert-only ledger
 * (docs/PHARMACY.md). Reads are raw SQL over the covering indexes (stock_movements_batch_idx,
 * stock_movements_drug_idx) with statements compiled once per connection, so one item's stock
 * stays a few index pages even with millions of movements, and a dispense compiles nothing.
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

/*
 * The pharmacy's statements, compiled once per connection and kept by SQL text (a plucking one
 * apart from a row one: the mode belongs to the statement). Compiling cost more than running on
 * the dispense path (docs/PHARMACY.md "Speed"). A statement still busy (an open iterate, were a
 * caller to nest) is never handed out twice: a fresh one is compiled instead.
 */
const statements = new WeakMap<Sqlite, Map<string, Database.Statement>>();

export function pharmacyStatement(sqlite: Sqlite, sql: string, pluck = false): Database.Statement {
  let byText = statements.get(sqlite);
  if (!byText) {
    byText = new Map();
    statements.set(sqlite, byText);
  }
  const key = pluck ? `pluck:${sql}` : sql;
  const hit = byText.get(key);
  if (hit && !hit.busy) return hit;
  const made = pluck ? sqlite.prepare(sql).pluck() : sqlite.prepare(sql);
  if (!hit) byText.set(key, made);
  return made;
}

/** Units on hand of one batch. */
export function batchOnHand(sqlite: Sqlite, batchId: string): number {
  return Number(pharmacyStatement(sqlite, 'SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE batch_id = ?', true).get(batchId));
}

/** Units on hand of one item (every batch, expired ones included). */
export function itemOnHand(sqlite: Sqlite, drugId: string): number {
  return Number(pharmacyStatement(sqlite, 'SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE drug_id = ?', true).get(drugId));
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

const BATCH_COLUMNS = `b.id, b.batch_number, b.expiry, b.mrp_paise, b.purchase_rate_paise, b.gst_rate_bp, b.hsn_code, b.pack_size,
    (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.batch_id = b.id) AS on_hand`;
const BATCHES_OF_ITEM = `SELECT ${BATCH_COLUMNS} FROM stock_batches b WHERE b.drug_id = ? AND b.deleted_at IS NULL ORDER BY b.expiry, b.created_at, b.id`;
/*
 * FEFO's walk: the item's batches usable today, in the order stock_batches_fefo_idx keeps them
 * (drug, expiry, created, id), so no sort is needed and the walk stops at the batch that covers
 * the quantity: the later batches' ledger sums are never read.
 */
const USABLE_BATCHES_OF_ITEM = `SELECT ${BATCH_COLUMNS} FROM stock_batches b
  WHERE b.drug_id = ? AND b.expiry >= ? AND b.deleted_at IS NULL ORDER BY b.expiry, b.created_at, b.id`;

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
  return (pharmacyStatement(sqlite, BATCHES_OF_ITEM).all(drugId) as BatchSql[]).map(toStock);
}

/** The ledger reads' SQL, for the test that holds their query plans to the indexes (test/integration/pharmacy-fast-path.test.ts). */
export const LEDGER_SQL = { batchesOfItem: BATCHES_OF_ITEM, usableBatchesOfItem: USABLE_BATCHES_OF_ITEM } as const;

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
  if (left <= 0) return { picks, short: left };
  for (const row of pharmacyStatement(sqlite, USABLE_BATCHES_OF_ITEM).iterate(drugId, today) as IterableIterator<BatchSql>) {
    if (row.on_hand <= 0) continue;
    const take = Math.min(left, row.on_hand);
    picks.push({ batch: toStock(row), qty: take });
    left -= take;
    if (left <= 0) break;
  }
  return { picks, short: left };
}

/** One batch with its stock (the ledger sum) and its item, in one read; undefined when there is none. */
export function batchWithStock(sqlite: Sqlite, batchId: string): { drugId: string; batch: BatchStock } | undefined {
  const row = pharmacyStatement(sqlite, `SELECT b.drug_id, ${BATCH_COLUMNS} FROM stock_batches b WHERE b.id = ? AND b.deleted_at IS NULL`).get(batchId) as
    | (BatchSql & { drug_id: string })
    | undefined;
  return row && { drugId: row.drug_id, batch: toStock(row) };
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
