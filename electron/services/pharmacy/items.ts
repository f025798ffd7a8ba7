import type { Ctx } from './stock';

/* The Stock screen's list of items: what the pharmacy holds or keeps settings for, with stock on hand. */

export interface StockItem {
  drugId: string;
  genericName: string;
  strength: string | null;
  form: string;
  brandNames: string[];
  schedule: string | null;
  /** Units on hand over every batch (below zero after offline desks sold the same units). */
  onHand: number;
  batches: number;
  /** Null when the item has no settings yet. */
  reorderLevel: number | null;
  barcode: string | null;
}

interface ItemSql {
  drugId: string;
  genericName: string;
  strength: string | null;
  form: string;
  brandNames: string;
  schedule: string | null;
  onHand: number;
  batches: number;
  reorderLevel: number | null;
  barcode: string | null;
}

// Stock is the ledger's sum per item over stock_movements_drug_idx (docs/PHARMACY.md); items are
// the drugs with a batch or with settings, so the formulary's thousands of others stay out.
const ITEMS = `SELECT d.id AS drugId, d.generic_name AS genericName, d.strength, d.form, d.brand_names AS brandNames, d.schedule,
    (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.drug_id = d.id) AS onHand,
    (SELECT count(*) FROM stock_batches b WHERE b.drug_id = d.id AND b.deleted_at IS NULL) AS batches,
    i.reorder_level AS reorderLevel, i.barcode
  FROM drugs d LEFT JOIN pharmacy_items i ON i.drug_id = d.id AND i.deleted_at IS NULL
  WHERE (i.id IS NOT NULL OR EXISTS (SELECT 1 FROM stock_batches b WHERE b.drug_id = d.id AND b.deleted_at IS NULL))`;

const MATCH = `AND (lower(d.generic_name) LIKE @like ESCAPE '\\' OR lower(d.brand_names) LIKE @like ESCAPE '\\' OR i.barcode = @code
    OR EXISTS (SELECT 1 FROM stock_batches b WHERE b.drug_id = d.id AND b.deleted_at IS NULL AND (b.batch_number = @code OR b.barcode = @code)))`;

const likeOf = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Items in stock (or with settings), by name; with `query`, those whose generic or brand name
 * contains it or whose barcode or batch number it is; with `drugIds`, just those.
 */
export function stockItems(ctx: Ctx, input: { query: string; drugIds?: string[] | undefined; limit: number }): StockItem[] {
  const q = input.query.trim();
  const where = [q ? MATCH : ''];
  if (input.drugIds) where.push(`AND d.id IN (SELECT value FROM json_each(@ids))`);
  const rows = ctx.sqlite
    .prepare(`${ITEMS} ${where.join(' ')} ORDER BY lower(d.generic_name), d.strength, d.form LIMIT @limit`)
    .all({ like: likeOf(q), code: q, ids: JSON.stringify(input.drugIds ?? []), limit: input.limit }) as ItemSql[];
  return rows.map((r) => ({ ...r, brandNames: JSON.parse(r.brandNames) as string[] }));
}
