import { and, eq, isNull, ne } from 'drizzle-orm';
import { dispenses, invoices, type InvoiceLine } from '../../../db/schema';
import type { PrescriptionItem } from '../../../shared/clinical';
import { dispensableQuantity } from '../../../shared/dispensable';
import { ApiFailure } from '../../core/context';
import { toLine, type LineInput } from '../billing/totals';
import { drugLabel } from './dispense';
import type { Ctx } from './stock';

/* The billing counter's medicines for a visit the pharmacy has dispensed: what was given, not what was prescribed. */

interface DispensedSql {
  lineId: string;
  drugId: string;
  description: string;
  qty: number;
  returned: number;
  mrpPaise: number;
  packSize: number;
  gstRateBp: number;
  hsnCode: string | null;
}

/** A dispensed line as a bill line: whole packs at the MRP, loose units at the MRP's unit share rounded down (never above the MRP). */
export function dispensedLine(l: Omit<DispensedSql, 'returned'>): LineInput {
  const wholePacks = l.qty % l.packSize === 0;
  return {
    kind: 'medicine',
    refId: l.drugId,
    description: l.description,
    sacHsn: l.hsnCode,
    quantity: wholePacks ? l.qty / l.packSize : l.qty,
    ratePaise: wholePacks ? l.mrpPaise : Math.floor(l.mrpPaise / l.packSize),
    discountPaise: 0,
    gstRateBp: l.gstRateBp,
    taxInclusive: true,
  };
}

/**
 * Units of each drug and batch already on the visit's bills. An invoice line does not name its
 * dispense line, only the drug (refId) and the dispensed description (brand, batch and expiry), so
 * that pair is the key; its quantity is packs when its rate is nearer the pack MRP than the unit
 * share, else loose units (how dispensedLine wrote it, whatever discount the cashier gave).
 */
function billedUnits(billed: InvoiceLine[], rows: DispensedSql[]): Map<string, number> {
  const units = new Map<string, number>();
  const packOf = new Map(rows.map((r) => [lineKey(r.drugId, r.description), r]));
  for (const l of billed) {
    if (l.kind !== 'medicine' || l.refId === null) continue;
    const key = lineKey(l.refId, l.description);
    const r = packOf.get(key);
    if (!r) continue;
    const unitRate = Math.floor(r.mrpPaise / r.packSize);
    const inPacks = Math.abs(l.ratePaise - r.mrpPaise) <= Math.abs(l.ratePaise - unitRate);
    units.set(key, (units.get(key) ?? 0) + l.quantity * (inPacks ? r.packSize : 1));
  }
  return units;
}

function lineKey(drugId: string, description: string): string {
  return `${drugId}\u0000${description}`;
}

/** Dispensed lines with what came back (exported for the query-plan test). */
export const DISPENSED_SQL = (where: string) => `SELECT d.id AS dispenseId, l.id AS lineId, l.drug_id AS drugId, l.description, l.qty, l.mrp_paise AS mrpPaise, l.pack_size AS packSize, l.gst_rate_bp AS gstRateBp, l.hsn_code AS hsnCode,
     (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.ref_id = l.id AND m.kind = 'sale-return') AS returned
   FROM dispenses d JOIN dispense_lines l ON l.dispense_id = d.id
   WHERE ${where} AND d.deleted_at IS NULL ORDER BY d.created_at, d.id, l.created_at, l.id`;

const GIVEN_FOR_VISIT = `SELECT l.item_index AS i,
    sum(l.qty - (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.ref_id = l.id AND m.kind = 'sale-return')) AS q
  FROM dispense_lines l JOIN dispenses d ON d.id = l.dispense_id WHERE d.visit_id = ? GROUP BY l.item_index`;

/** A bill's lines and when it was made (its lines are what the counter suggested then). */
export interface BillOnRecord {
  at: number;
  lines: InvoiceLine[];
}

/** Units given back of the dispensed lines of a pool, each with its time. */
const RETURNS_SQL = (where: string) => `SELECT m.ref_id AS lineId, m.moved_at AS at, m.qty
   FROM stock_movements m JOIN dispense_lines l ON l.id = m.ref_id JOIN dispenses d ON d.id = l.dispense_id
   WHERE ${where} AND m.kind = 'sale-return' AND d.deleted_at IS NULL`;

/**
 * Each dispensed row less what is already on a bill and less what came back before it was billed,
 * as bill lines (rows left with nothing are left out). Bills and returns are taken in the order they
 * happened: a bill takes its units off the earliest dispensed lines that are not billed yet; a
 * return takes units off its own line only while they are not billed (units that came back after
 * they were billed were paid for, or are refunded by a credit note, and never count again, so a
 * customer's next purchase of the batch is billed in full). What a bill carries beyond the lines it
 * can take is dropped, not kept to swallow units that come back later.
 */
function openLines<R extends DispensedSql>(ctx: Ctx, rows: R[], bills: BillOnRecord[], where: { sql: string; arg: string }): { open: { row: R; line: LineInput }[]; backAfterBilling: Map<string, { description: string; units: number }> } {
  const unbilled = new Map(rows.map((r) => [r.lineId, r.qty]));
  const rowOf = new Map(rows.map((r) => [r.lineId, r]));
  // Units that came back after they were billed, by drug and batch: paid for, so a credit note is owed.
  const backAfterBilling = new Map<string, { description: string; units: number }>();
  const giveBack = (lineId: string, qty: number) => {
    const before = unbilled.get(lineId) ?? 0;
    unbilled.set(lineId, Math.max(0, before - qty));
    const r = rowOf.get(lineId);
    if (!r || qty <= before) return;
    const key = lineKey(r.drugId, r.description);
    const had = backAfterBilling.get(key);
    backAfterBilling.set(key, { description: r.description, units: (had?.units ?? 0) + qty - before });
  };
  const returns = ctx.sqlite.prepare(RETURNS_SQL(where.sql)).all(where.arg) as { lineId: string; at: number; qty: number }[];
  type Event = { at: number; order: number; apply: () => void };
  const events: Event[] = [
    ...bills.map((b): Event => ({
      at: b.at,
      order: 0,
      apply: () => {
        for (const [key, units] of billedUnits(b.lines, rows)) {
          let left = units;
          for (const r of rows) {
            if (left <= 0) break;
            if (lineKey(r.drugId, r.description) !== key) continue;
            const take = Math.min(left, unbilled.get(r.lineId) ?? 0);
            unbilled.set(r.lineId, (unbilled.get(r.lineId) ?? 0) - take);
            left -= take;
          }
        }
      },
    })),
    ...returns.map((m): Event => ({ at: m.at, order: 1, apply: () => giveBack(m.lineId, m.qty) })),
  ];
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const e of events) e.apply();
  const out: { row: R; line: LineInput }[] = [];
  for (const r of rows) {
    const open = unbilled.get(r.lineId) ?? 0;
    if (open > 0) out.push({ row: r, line: dispensedLine({ ...r, qty: open }) });
  }
  return { open: out, backAfterBilling };
}

/**
 * Null when the pharmacy has dispensed nothing for the visit (the counter then suggests the
 * prescribed medicines). Otherwise the dispensed lines less what came back and less what the
 * visit's bills (`billed`: lines of its non-void invoices) already carry, at each batch's MRP,
 * GST rate and HSN, and a note for each prescribed item still open (not billed until given).
 */
export function dispensedForVisit(ctx: Ctx, visitId: string, items: PrescriptionItem[], bills: BillOnRecord[] = []): { lines: LineInput[]; notes: string[] } | null {
  const rows = ctx.sqlite.prepare(DISPENSED_SQL('d.visit_id = ?')).all(visitId) as (DispensedSql & { dispenseId: string })[];
  if (rows.length === 0) return null;
  const { open, backAfterBilling } = openLines(ctx, rows, bills, { sql: 'd.visit_id = ?', arg: visitId });
  const lines = open.map((o) => o.line);
  const notes = ['Medicines as dispensed by the pharmacy (batch MRP, GST and HSN), not as prescribed.'];
  if (bills.some((b) => b.lines.some((l) => l.kind === 'medicine'))) notes.push("Medicines already on this visit's bills are left out.");
  // Given again after coming back from a bill (a crushed strip exchanged): billed again here, so the
  // units that came back are the counter's to refund, or the patient pays for them twice.
  for (const [key, back] of backAfterBilling) {
    if (!open.some((o) => lineKey(o.row.drugId, o.row.description) === key)) continue;
    notes.push(`${back.description}: ${back.units} units came back after they were billed; unless already refunded, refund them with a credit note on that bill, or the patient pays for them twice.`);
  }
  // Given less what came back, per item, as the pharmacy counts it (dispense.ts dispensedByItem).
  const given = new Map<number, number>();
  for (const r of ctx.sqlite.prepare(GIVEN_FOR_VISIT).all(visitId) as { i: number | null; q: number }[]) {
    if (r.i !== null && r.q > 0) given.set(r.i, r.q);
  }
  items.forEach((item, i) => {
    // A total in ml (a syrup without a known bottle size) is not a count of stock units.
    const prescribed = dispensableQuantity(item);
    const open = prescribed === null ? (given.has(i) ? 0 : null) : prescribed - (given.get(i) ?? 0);
    if (open === null) notes.push(`${drugLabel(item)}: not dispensed yet, not billed.`);
    else if (open > 0) notes.push(`${drugLabel(item)}: ${open} units not dispensed yet, not billed.`);
  });
  return { lines, notes };
}

/**
 * What of one dispense is left to bill: its lines less what came back and less what is already on a
 * non-void bill. An invoice line does not name its dispense, so the pool it is matched against is the
 * dispense's visit (its bills against all its dispenses), or for a sale over the counter the
 * customer's (their bills without a visit against all their counter sales), earliest sales billed
 * first, the way the counter's suggestion for a visit works. Nothing left is a conflict, so Bill
 * pressed again never makes a second bill of the same sale.
 */
export function dispenseBillLines(ctx: Ctx, dispenseId: string): InvoiceLine[] {
  const d = ctx.db.select().from(dispenses).where(eq(dispenses.id, dispenseId)).get();
  if (!d || d.deletedAt !== null) throw new ApiFailure('not_found', 'No such dispense.', { dispenseId: 'No such dispense' });
  const pool = d.visitId ? { sql: 'd.visit_id = ?', arg: d.visitId } : d.patientId ? { sql: 'd.patient_id = ? AND d.visit_id IS NULL', arg: d.patientId } : { sql: 'd.id = ?', arg: d.id };
  const rows = ctx.sqlite.prepare(DISPENSED_SQL(pool.sql)).all(pool.arg) as (DispensedSql & { dispenseId: string })[];
  const billedOn = d.visitId ? eq(invoices.visitId, d.visitId) : d.patientId ? and(eq(invoices.patientId, d.patientId), isNull(invoices.visitId)) : undefined;
  const bills = billedOn
    ? ctx.db.select({ at: invoices.createdAt, lines: invoices.lines }).from(invoices).where(and(billedOn, ne(invoices.status, 'void'), isNull(invoices.deletedAt))).all()
    : [];
  const open = openLines(ctx, rows, bills, pool).open.filter((o) => o.row.dispenseId === dispenseId);
  if (open.length === 0) {
    const why = 'Everything in this sale is already on a bill or was returned: nothing is left to bill';
    throw new ApiFailure('conflict', `${why}.`, { dispenseId: why });
  }
  return open.map((o, i) => toLine(o.line, i));
}
