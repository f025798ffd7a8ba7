import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { HybridClock } from '../shared/hlc';
import { SYNCED_TABLES } from '../db/sync-tables';
import type { ServerDb } from './db/open';
import { rows } from './db/schema';
import { writeRecords, type PushBatch } from './push-batch';
import { packStamps, unpackStamps } from './field-stamps';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/** Who wrote a server-authored row: `device_id` on the row, and the device of its applied_changes record. */
export const SERVER_DEVICE_ID = 'server';

/** A row as a server-authored write sees it: the merged columns (null: the server has no such row). */
export type ServerRowData = Record<string, unknown> | null;

/** What a server-authored write may do inside its transaction, under the clinic's lock. */
export interface ServerRowsTx {
  tx: Tx;
  /** The row as it stands now (already including writes made earlier in this transaction). */
  read(table: string, rowId: string): Promise<ServerRowData>;
  /**
   * Writes columns of a row with the server's clock, stamped after every stamp the row holds (so
   * these columns win), with the next cursor value, and records the change.
   * Stamps (`hlc`, `updated_at`, `device_id`, and `created_at` of a new row) are filled in.
   */
  write(table: string, rowId: string, columns: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The server's time, as the clinic's rows are stamped with it. */
  now: number;
}

/**
 * Rows the central server writes itself (ABDM Scan & Share's profiles, later other ABDM answers):
 * one transaction under the clinic's advisory lock, the one applyPush takes (server/store.ts), so a
 * server row and a push never interleave; each row takes the next `change_seq` value, exactly as an
 * applied push's rows do, so every desk pulls it like any other row, and each write is recorded in
 * `applied_changes` (device "server") like a pushed change.
 *
 * Desks do not check signatures on pulled rows, so nothing more is needed for them to apply it; the
 * table's rule (shared/sync-rules.ts) is what keeps devices from writing what only the server may.
 */
export class ServerRows {
  private readonly clock: HybridClock;

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number = Date.now,
  ) {
    this.clock = new HybridClock(SERVER_DEVICE_ID, now);
  }

  async within<T>(clinicId: string, work: (w: ServerRowsTx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${clinicId}))`);
      const records: PushBatch['records'] = [];
      const read = async (table: string, rowId: string) => (await this.current(tx, clinicId, table, rowId))?.data ?? null;
      const write = async (table: string, rowId: string, columns: Record<string, unknown>) => {
        if (!SYNCED_TABLES[table]) throw new Error(`${table} is not a synced table`);
        const existing = await this.current(tx, clinicId, table, rowId);
        // After every stamp the row holds, so the write orders after what the desks did before it.
        for (const stamp of Object.values(existing?.fieldHlc ?? {})) this.clock.receive(stamp);
        const hlc = this.clock.tick();
        const at = this.now();
        const stamped: Record<string, unknown> = { ...columns, id: rowId, hlc, updated_at: at, device_id: SERVER_DEVICE_ID, ...(existing ? {} : { created_at: at, deleted_at: null }) };
        const data: Record<string, unknown> = { ...(existing?.data ?? {}) };
        const fieldHlc: Record<string, string> = { ...(existing?.fieldHlc ?? {}) };
        for (const [col, value] of Object.entries(stamped)) {
          data[col] = value;
          fieldHlc[col] = hlc;
        }
        await tx.execute(sql`
          INSERT INTO rows (clinic_id, table_name, row_id, data, field_hlc, hlc, seq)
          VALUES (${clinicId}, ${table}, ${rowId}, ${JSON.stringify(data)}::jsonb, ${JSON.stringify(packStamps(data, fieldHlc))}::jsonb, ${hlc}, nextval('change_seq'))
          ON CONFLICT (clinic_id, table_name, row_id)
          DO UPDATE SET data = excluded.data, field_hlc = excluded.field_hlc, hlc = excluded.hlc, seq = excluded.seq`);
        records.push({ changeId: uuidv7(), clinicId, deviceId: SERVER_DEVICE_ID, tableName: table, rowId, status: 'applied', reason: null, hlc, restamped: false, warning: null, conflict: null });
        return data;
      };
      const result = await work({ tx, read, write, now: this.now() });
      await writeRecords(tx, { records });
      return result;
    });
  }

  private async current(tx: Tx, clinicId: string, table: string, rowId: string) {
    const [r] = await tx
      .select({ data: rows.data, fieldHlc: rows.fieldHlc })
      .from(rows)
      .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, table), eq(rows.rowId, rowId)));
    return r ? { data: r.data, fieldHlc: unpackStamps(r.data, r.fieldHlc) } : null;
  }
}
