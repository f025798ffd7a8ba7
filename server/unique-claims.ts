import { and, eq, sql } from 'drizzle-orm';
import type { Change, UniqueConflict } from '../shared/sync-protocol';
import { CLAIM_SEPARATOR, UNIQUE_KEYS, claimValue, type UniqueKey } from '../db/sync-unique';
import type { ServerDb } from './db/open';
import { devices, rows, uniqueClaims } from './db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

const claimKey = (table: string, key: string, value: string) => `${table}\u0000${key}\u0000${value}`;

/** The words staff read for a key's columns ("username", "code", "date and workstation"). */
const words = (key: UniqueKey) => key.columns.map((c) => c.replace(/_id$/, '').replace(/_/g, ' ')).join(' and ');

/**
 * Which row holds each unique value of a clinic (db/sync-unique.ts), for one push: read once, kept
 * up to date in memory as the batch applies, written at the end (flush), like the rows themselves.
 * Runs under the clinic's lock inside applyPush's transaction.
 *
 * Claims are built for a clinic's rows already on the server on its first push after the upgrade
 * (backfill, lazily, once: marked by a claim with an empty table name). When the server already
 * held two rows with one value (the divergence this replaces), the older row (lower seq) gets it.
 *
 * A soft-deleted row keeps its claims: the desks' unique indexes are not partial, so every desk
 * holding the deleted row would be unable to store a new row with its value.
 */
export class ClaimBook {
  /** Holder by claim key; null: nobody holds it (read, or released in this batch). */
  private readonly holders = new Map<string, string | null>();
  private readonly dirty = new Map<string, { t: string; k: string; v: string; r: string | null }>();

  private constructor(
    private readonly tx: Tx,
    private readonly clinicId: string,
  ) {}

  /** The values a push's changes set, to look up before it applies (none: the push touches no unique key). */
  static wanted(changes: readonly Change[]): { t: string; k: string; v: string }[] | null {
    if (!changes.some((c) => UNIQUE_KEYS[c.table])) return null;
    const wanted: { t: string; k: string; v: string }[] = [];
    for (const c of changes) {
      for (const key of UNIQUE_KEYS[c.table] ?? []) {
        const v = claimValue(key, c.columns);
        if (v !== null) wanted.push({ t: c.table, k: key.name, v });
      }
    }
    return wanted;
  }

  /**
   * The book for a push. `read`: what the push's opening statement already read under the lock
   * (server/store.ts openBatch: whether the clinic's claims are built, and the holders of
   * `wanted`), so no statement of its own is needed unless the claims are still to be built.
   */
  static async open(tx: Tx, clinicId: string, changes: readonly Change[], read?: { backfilled: boolean; holders: { t: string; k: string; v: string; r: string }[] }): Promise<ClaimBook> {
    const book = new ClaimBook(tx, clinicId);
    const wanted = ClaimBook.wanted(changes);
    if (wanted === null) return book;
    if (read?.backfilled) {
      for (const w of wanted) book.holders.set(claimKey(w.t, w.k, w.v), null);
      for (const r of read.holders) book.holders.set(claimKey(r.t, r.k, r.v), r.r);
      return book;
    }
    await book.backfill();
    // The values the batch's changes set, in one query (a push of 500 registrations: one statement).
    if (wanted.length === 0) return book;
    for (const w of wanted) book.holders.set(claimKey(w.t, w.k, w.v), null);
    const found = await tx
      .select({ t: uniqueClaims.tableName, k: uniqueClaims.keyName, v: uniqueClaims.value, r: uniqueClaims.rowId })
      .from(uniqueClaims)
      .where(
        and(
          eq(uniqueClaims.clinicId, clinicId),
          sql`(${uniqueClaims.tableName}, ${uniqueClaims.keyName}, ${uniqueClaims.value}) IN (SELECT t, k, v FROM jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) AS x(t text, k text, v text))`,
        ),
      );
    for (const r of found) book.holders.set(claimKey(r.t, r.k, r.v), r.r);
    return book;
  }

  private async backfill() {
    const done = await this.tx
      .select({ r: uniqueClaims.rowId })
      .from(uniqueClaims)
      .where(and(eq(uniqueClaims.clinicId, this.clinicId), eq(uniqueClaims.tableName, ''), eq(uniqueClaims.keyName, ''), eq(uniqueClaims.value, '')));
    if (done.length > 0) return;
    for (const keys of Object.values(UNIQUE_KEYS)) {
      for (const key of keys) {
        const cols = key.columns.map((c) => sql`${rows.data}->>${c}`);
        await this.tx.execute(sql`
          INSERT INTO unique_claims (clinic_id, table_name, key_name, value, row_id)
          SELECT ${this.clinicId}, ${key.table}, ${key.name}, concat_ws(${CLAIM_SEPARATOR}, ${sql.join(cols, sql`, `)}), ${rows.rowId}
          FROM ${rows}
          WHERE ${rows.clinicId} = ${this.clinicId} AND ${rows.tableName} = ${key.table} AND ${sql.join(cols.map((c) => sql`${c} IS NOT NULL`), sql` AND `)}
          ORDER BY ${rows.seq}
          ON CONFLICT DO NOTHING`);
      }
    }
    await this.tx.insert(uniqueClaims).values({ clinicId: this.clinicId, tableName: '', keyName: '', value: '', rowId: '' });
  }

  private async holder(table: string, key: string, value: string): Promise<string | null> {
    const k = claimKey(table, key, value);
    const known = this.holders.get(k);
    if (known !== undefined) return known;
    const [r] = await this.tx
      .select({ rowId: uniqueClaims.rowId })
      .from(uniqueClaims)
      .where(and(eq(uniqueClaims.clinicId, this.clinicId), eq(uniqueClaims.tableName, table), eq(uniqueClaims.keyName, key), eq(uniqueClaims.value, value)));
    const holder = r?.rowId ?? null;
    this.holders.set(k, holder);
    return holder;
  }

  private set(table: string, key: string, value: string, rowId: string | null) {
    const k = claimKey(table, key, value);
    this.holders.set(k, rowId);
    this.dirty.set(k, { t: table, k: key, v: value, r: rowId });
  }

  /**
   * Moves the row's claims from its values before the change to its merged values after it, or,
   * when a value it would take is held by another row, changes nothing and says which: the change
   * is then refused (a desk cannot keep a row the others' unique indexes refuse).
   */
  async claim(
    table: string,
    rowId: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown>,
    /** A row as this push (or an earlier one of its turn) left it, not yet written: who holds a value may be there. */
    unwritten: (table: string, rowId: string) => Record<string, unknown> | undefined = () => undefined,
  ): Promise<{ conflict: UniqueConflict; reason: string } | null> {
    const keys = UNIQUE_KEYS[table];
    if (!keys) return null;
    const moves: { key: UniqueKey; from: string | null; to: string | null }[] = [];
    for (const key of keys) {
      const from = before ? claimValue(key, before) : null;
      const to = claimValue(key, after);
      if (from === to) continue;
      if (to !== null) {
        const holder = await this.holder(table, key.name, to);
        if (holder !== null && holder !== rowId) return this.conflict(key, to, holder, unwritten(key.table, holder)?.device_id);
      }
      moves.push({ key, from, to });
    }
    for (const m of moves) {
      if (m.from !== null && (await this.holder(table, m.key.name, m.from)) === rowId) this.set(table, m.key.name, m.from, null);
      if (m.to !== null) this.set(table, m.key.name, m.to, rowId);
    }
    return null;
  }

  private async conflict(key: UniqueKey, value: string, holder: string, unwrittenBy: unknown): Promise<{ conflict: UniqueConflict; reason: string }> {
    // Where the value was taken, in the words of the device list, when the server knows: from the
    // holder's row as this turn left it, or as stored.
    const [made] =
      typeof unwrittenBy === 'string'
        ? await this.tx
            .select({ name: devices.name })
            .from(devices)
            .where(and(eq(devices.id, unwrittenBy), eq(devices.clinicId, this.clinicId)))
        : await this.tx
            .select({ name: devices.name })
            .from(rows)
            .innerJoin(devices, sql`${devices.id} = ${rows.data}->>'device_id'`)
            .where(and(eq(rows.clinicId, this.clinicId), eq(rows.tableName, key.table), eq(rows.rowId, holder)));
    const shown = value.split(CLAIM_SEPARATOR).join(' / ');
    const where = made ? `at ${made.name}` : 'at another desk';
    return {
      conflict: { key: key.name, columns: key.columns, value, rowId: holder, ...(made ? { deviceName: made.name } : {}) },
      reason: `the ${key.table === 'users' ? '' : `${key.table.replace(/_/g, ' ')} `}${words(key)} "${shown}" was taken ${where} first`,
    };
  }

  /**
   * The claims the batch moved, taken out of the book to be written (server/push-batch.ts writeBatch,
   * in the push's closing statement): `taken` upserted, `freed` deleted. Each value is in one list
   * only, so the two can go in one statement.
   */
  takeDirty(): { taken: { t: string; k: string; v: string; r: string }[]; freed: { t: string; k: string; v: string }[] } {
    const all = [...this.dirty.values()];
    this.dirty.clear();
    const taken: { t: string; k: string; v: string; r: string }[] = [];
    const freed: { t: string; k: string; v: string }[] = [];
    for (const d of all) {
      if (d.r === null) freed.push({ t: d.t, k: d.k, v: d.v });
      else taken.push({ t: d.t, k: d.k, v: d.v, r: d.r });
    }
    return { taken, freed };
  }
}
