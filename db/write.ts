import { eq, getTableColumns, getTableName, type InferInsertModel, type InferSelectModel } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { v7 as uuidv7 } from 'uuid';
import { changeSigningBytes } from '../shared/change-signing';
import type { Db } from './open';
import { insertChange } from './change-log-insert';
import { insertReturning } from './raw-insert';
import { labResults, users } from './schema';
import { amendmentProblem, reopensVerified } from '../shared/lab-amendment';
import { followMergedPatient } from './patient-merge-follow';
import type { Role } from '../shared/enums';
import { SyncRuleError } from '../shared/sync-rules';
import { checkSyncedChange } from './sync-row-schemas';
import { relatedDeskProblem } from './related-rows';

/** A synced business table: it has the columns of `syncColumns()`. */
export type SyncTable = SQLiteTable & {
  id: SQLiteColumn;
  createdAt: SQLiteColumn;
  updatedAt: SQLiteColumn;
  hlc: SQLiteColumn;
  deviceId: SQLiteColumn;
  deletedAt: SQLiteColumn;
};

type Stamped = 'id' | 'createdAt' | 'updatedAt' | 'hlc' | 'deviceId' | 'deletedAt';
/** Drops the stamped columns while keeping optionality (plain Omit loses optional keys here). */
type Unstamped<R> = { [K in keyof R as K extends Stamped ? never : K]: R[K] };
export type NewRow<T extends SyncTable> = Unstamped<InferInsertModel<T>> & { id?: string };
export type RowPatch<T extends SyncTable> = Partial<Unstamped<InferInsertModel<T>>>;
export type Row<T extends SyncTable> = InferSelectModel<T>;

/** What a write did, by database column names; the router turns these into audit rows. */
export interface WriteRecord {
  table: string;
  rowId: string;
  op: 'insert' | 'update' | 'delete';
  old: Record<string, unknown> | null;
  new: Record<string, unknown>;
}

export interface WriterDeps {
  db: Db;
  deviceId: string;
  now: () => number;
  tick: () => string;
  /** The signer of the changes (the logged-in person); null: a device-level, unsigned change. */
  userId: string | null;
  /** The roles of the session writing (none without one): the rule book judges each write with them. */
  roles: readonly Role[];
  /** Called once per row written, inside the transaction. */
  record: (w: WriteRecord) => void;
  /**
   * Signs a change's canonical bytes (shared/change-signing.ts) with `userId`'s key, so the server
   * can tell the person made it (docs/SYNC.md "Signed changes"). A function, so db/ holds no keys.
   */
  sign?: ((bytes: Uint8Array) => { sig: string; keyId: string }) | undefined;
}

/**
 * The one way business rows are written. It stamps ids, times, clock and device, and appends
 * the change to `change_log` in the caller's transaction, so the outbox can never miss a write.
 * Callers must already be inside a transaction (the router opens one per mutation).
 */
export class Writer {
  constructor(private readonly deps: WriterDeps) {}

  /**
   * The same writer (database, device, clock, user) reporting its writes to `record` instead: for
   * work that outlives the call that started it, such as a background import writing in batches.
   */
  withRecorder(record: (w: WriteRecord) => void): Writer {
    return new Writer({ ...this.deps, record });
  }

  /**
   * The same writer, signing as someone else: a login writing the row of the person it just let in,
   * or an administrator approving a discount at this desk with their password (judged with their roles).
   */
  withSigner(userId: string, sign: NonNullable<WriterDeps['sign']>, roles?: readonly Role[]): Writer {
    return new Writer({ ...this.deps, userId, sign, ...(roles ? { roles } : {}) });
  }

  insert<T extends SyncTable>(table: T, values: NewRow<T>): Row<T> {
    values = followMergedPatient(this.deps.db, values);
    const now = this.deps.now();
    const hlc = this.deps.tick();
    const row = {
      ...values,
      id: values.id ?? uuidv7(),
      createdAt: now,
      updatedAt: now,
      hlc,
      deviceId: this.deps.deviceId,
      deletedAt: null,
    } as InferInsertModel<T>;
    this.judge(table, 'insert', toDbColumns(table, row), null);
    const inserted = (insertReturning(this.deps.db, table, row) ?? this.deps.db.insert(table).values(row).returning().get()) as Row<T>;
    const columns = toDbColumns(table, inserted);
    this.log(table, String(columns.id), 'insert', columns, hlc);
    this.deps.record({ table: getTableName(table), rowId: String(columns.id), op: 'insert', old: null, new: columns });
    return inserted;
  }

  /** Updates only the columns that actually change; returns the row after the update. */
  update<T extends SyncTable>(table: T, id: string, patch: RowPatch<T>): Row<T> {
    const before = this.get(table, id);
    const changed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (!sameValue((before as Record<string, unknown>)[key], value)) changed[key] = value;
    }
    if (Object.keys(changed).length === 0) return before;
    return this.apply(table, before, changed, 'update');
  }

  /** Soft delete: a tombstone that sync can carry to every copy. */
  remove<T extends SyncTable>(table: T, id: string): Row<T> {
    const before = this.get(table, id);
    return this.apply(table, before, { deletedAt: this.deps.now() }, 'delete');
  }

  private apply<T extends SyncTable>(
    table: T,
    before: Row<T>,
    changed: Record<string, unknown>,
    op: 'update' | 'delete',
  ): Row<T> {
    const hlc = this.deps.tick();
    const id = String((before as Record<string, unknown>).id);
    const set = { ...changed, updatedAt: this.deps.now(), hlc, deviceId: this.deps.deviceId };
    this.judge(table, op, toDbColumns(table, set), toDbColumns(table, before));
    const after = this.deps.db
      .update(table)
      .set(set as Partial<InferInsertModel<T>>)
      .where(eq(table.id, id))
      .returning()
      .get() as Row<T>;
    const changedDb = toDbColumns(table, set);
    this.log(table, id, op, changedDb, hlc);
    const oldDb = toDbColumns(table, pick(before, Object.keys(changed)));
    const newDb = toDbColumns(table, changed);
    this.deps.record({ table: getTableName(table), rowId: id, op, old: oldDb, new: newDb });
    return after;
  }

  private get<T extends SyncTable>(table: T, id: string): Row<T> {
    const row = this.deps.db.select().from(table).where(eq(table.id, id)).get() as Row<T> | undefined;
    if (!row) throw new Error(`${getTableName(table)} ${id} does not exist`);
    return row;
  }

  /**
   * The rule book's verdict before anything is written or logged: a write the server would refuse
   * is refused here, so no desk keeps a change the others never receive.
   */
  private judge(table: SyncTable, op: WriteRecord['op'], columns: Record<string, unknown>, before: Record<string, unknown> | null) {
    const { userId, roles } = this.deps;
    // An undefined value is not written (the database's default or NULL is), so it is not part of the change.
    columns = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
    const id = columns.id ?? before?.id;
    const rowId = typeof id === 'string' ? id : '';
    const bootstrap = userId === null && this.deps.db.select({ id: users.id }).from(users).limit(1).get() === undefined;
    const signer = userId === null ? null : { id: userId, roles };
    const name = getTableName(table);
    const reason =
      checkSyncedChange({ table: name, rowId, op, columns, before, signer, bootstrap, device: { id: this.deps.deviceId } }) ??
      relatedDeskProblem(this.deps.db, name, rowId, op, columns, before) ??
      this.related(name, rowId, columns, before);
    if (reason) throw new SyncRuleError(reason);
  }

  /** The rules that read other rows, as the server checks them (server/related-rows.ts): here with this desk's rows. */
  private related(table: string, rowId: string, columns: Record<string, unknown>, before: Record<string, unknown> | null): string | null {
    if (table !== 'lab_orders' || !reopensVerified(before, columns)) return null;
    const results = this.deps.db.select().from(labResults).where(eq(labResults.orderId, rowId)).all();
    return amendmentProblem(rowId, before, columns, results.map((r) => toDbColumns(labResults, r)));
  }

  private log(table: SyncTable, rowId: string, op: WriteRecord['op'], columns: Record<string, unknown>, hlc: string) {
    const change = { id: uuidv7(), table: getTableName(table), rowId, op, columns, hlc, userId: this.deps.userId };
    const signed = this.deps.sign && change.userId !== null ? this.deps.sign(changeSigningBytes(change)) : null;
    insertChange(this.deps.db, { ...change, sig: signed?.sig ?? null, keyId: signed?.keyId ?? null });
  }
}

function toDbColumns(table: SQLiteTable, values: Record<string, unknown>): Record<string, unknown> {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const column = columns[key];
    if (column) out[column.name] = value;
  }
  return out;
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
