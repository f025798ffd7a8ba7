import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

/**
 * The outbox. Written only by the write helper, in the same transaction as the domain write;
 * the sync engine reads it. `columns` holds the changed columns by their database names.
 */
export const changeLog = sqliteTable(
  'change_log',
  {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull().unique(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  op: text('op').$type<'insert' | 'update' | 'delete'>().notNull(),
  columns: text('columns', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  hlc: text('hlc').notNull(),
  /** The signer (the logged-in person); null for a device-level change (first-run setup, failed logins). */
  userId: text('user_id'),
  /** Ed25519 signature (base64) of shared/change-signing.ts's bytes, and the id of the key that made it. */
  sig: text('sig'),
  keyId: text('key_id'),
  pushedAt: integer('pushed_at'),
  /** The server refused the change for good (e.g. a role that may not write it): kept and shown, not re-sent. */
  rejectedAt: integer('rejected_at'),
  rejectedReason: text('rejected_reason'),
  /** Accepted, but the server flagged it (a business date after the server's date: a clock ahead). */
  warning: text('warning'),
  },
  (t) => [index('change_log_pending_idx').on(t.pushedAt, t.seq), index('change_log_row_idx').on(t.tableName, t.rowId)],
);

/** Local key/value facts about this installation (device id, last HLC). Never synced. */
export const localMeta = sqliteTable('local_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * An administrator removed a workstation from the clinic (a lost laptop). Synced, insert-only:
 * the server marks the device revoked when it applies the row, and every desk lists it.
 */
export const deviceRevocations = sqliteTable('device_revocations', {
  ...syncColumns(),
  /** The revoked workstation's device id (as the sync server knows it). */
  revokedDeviceId: text('revoked_device_id').notNull(),
  reason: text('reason').notNull(),
  revokedBy: text('revoked_by').notNull(),
});

/**
 * Rows this desk set aside (local, never synced): its own row that lost a race for a unique value
 * it cannot rename (a second consultation of one visit, written on two desks offline). The row is
 * kept whole here, so nothing typed is lost, and leaves its live table in the same transaction, so
 * the winner's row can be pulled (electron/sync/set-aside.ts). Listed on the Sync screen.
 */
export const setAsideRows = sqliteTable(
  'set_aside_rows',
  {
    id: text('id').primaryKey(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    /** The row as it stood, by database column names (JSON columns decoded). */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** The refused insert, and the key, value and row the server kept instead. */
    changeId: text('change_id').notNull(),
    keyName: text('key_name').notNull(),
    value: text('value').notNull(),
    heldBy: text('held_by').notNull(),
    /** Where the kept row was made, when the server knows. */
    deviceName: text('device_name'),
    reason: text('reason').notNull(),
    setAsideAt: integer('set_aside_at').notNull(),
  },
  (t) => [uniqueIndex('set_aside_rows_change_uq').on(t.changeId)],
);
