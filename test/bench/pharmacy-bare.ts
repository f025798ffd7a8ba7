import { v7 as uuidv7 } from 'uuid';
import { BareSql } from './bare-sql';

/**
 * The floor pharmacy.dispense is measured against: an over-the-counter dispense done with
 * statements prepared once, raw rows and no layers, in one transaction on the router's own
 * connection, writing the same rows: the dispense, per batch taken a line and a movement, each
 * with its signed change_log entry and its audit row (itself with a signed change_log entry). It
 * reads what the service must: the drug's schedule and label, and FEFO's batches in expiry order
 * with their stock as the ledger sum, stopping at the batch that covers the quantity. Not a
 * second implementation of the app: the bench only runs it interleaved with the router.
 */
export class BarePharmacy extends BareSql {
  dispenseOtc(drugId: string, quantity: number, now: number): number {
    return this.sqlite.transaction(() => {
      const drug = this.stmt('SELECT id, generic_name, brand_names, form, strength, schedule FROM drugs WHERE id = ? AND deleted_at IS NULL').get(drugId) as
        | { generic_name: string; brand_names: string; strength: string | null; schedule: string | null }
        | undefined;
      if (!drug) throw new Error('no such drug');
      if (drug.schedule === 'H' || drug.schedule === 'H1' || drug.schedule === 'X') throw new Error('scheduled');
      const brand = (JSON.parse(drug.brand_names) as string[])[0] ?? drug.generic_name;
      const picks: { id: string; batch_number: string; expiry: string; mrp_paise: number; gst_rate_bp: number; hsn_code: string | null; pack_size: number; qty: number }[] = [];
      let left = quantity;
      const batches = this.stmt(
        `SELECT b.id, b.batch_number, b.expiry, b.mrp_paise, b.gst_rate_bp, b.hsn_code, b.pack_size,
           (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.batch_id = b.id) AS on_hand
         FROM stock_batches b WHERE b.drug_id = ? AND b.expiry >= ? AND b.deleted_at IS NULL ORDER BY b.expiry, b.created_at, b.id`,
      );
      for (const b of batches.iterate(drugId, this.today) as IterableIterator<(typeof picks)[number] & { on_hand: number }>) {
        if (b.on_hand <= 0) continue;
        const take = Math.min(left, b.on_hand);
        picks.push({ ...b, qty: take });
        left -= take;
        if (left <= 0) break;
      }
      if (left > 0) throw new Error('short');
      const stamp = () => ({ id: uuidv7(), created_at: now, updated_at: now, hlc: this.hlc(now), device_id: this.deviceId, deleted_at: null });
      const write = (table: string, row: Record<string, unknown> & { id: string; hlc: string }) => {
        this.insertRow(table, row);
        this.logChange(table, row.id, 'insert', row, row.hlc);
        this.audit(now, 'pharmacy.dispense', table, row.id, null, row);
      };
      const head = { ...stamp(), kind: 'otc', patient_id: null, visit_id: null, prescription_id: null, prescriber_id: null, dispensed_by: this.user.id, dispensed_on: this.today };
      write('dispenses', head);
      for (const p of picks) {
        const line = {
          ...stamp(), dispense_id: head.id, prescription_id: null, item_index: null, drug_id: drugId, batch_id: p.id, qty: p.qty, substituted_from: null,
          mrp_paise: p.mrp_paise, pack_size: p.pack_size, gst_rate_bp: p.gst_rate_bp, hsn_code: p.hsn_code,
          description: `${brand}${drug.strength ? ` ${drug.strength}` : ''} (${p.batch_number}, exp ${p.expiry})`,
        };
        write('dispense_lines', line);
        write('stock_movements', {
          ...stamp(), batch_id: p.id, drug_id: drugId, kind: 'dispense', qty: -p.qty, reason: null, ref_table: 'dispense_lines', ref_id: line.id, moved_at: now, moved_by: this.user.id,
        });
      }
      return picks.length;
    })();
  }
}
