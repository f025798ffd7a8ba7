import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { SyncTable } from './write';
import * as s from './schema';
import type { Role } from '../shared/enums';

/**
 * What syncs, and how. `lww`: last writer wins per field, by HLC. `ledger`: insert-only rows that
 * are never merged (payments, refunds, audit). `writers`: the roles whose changes the server
 * accepts for the table ('any': anyone, including a not-yet-logged-in event such as a failed login).
 */
export interface SyncedTableSpec {
  table: SyncTable;
  kind: 'lww' | 'ledger';
  writers: readonly Role[] | 'any';
  /**
   * Columns anyone may change on the row that is their own (row id = the change's user id), beyond
   * `writers`: a user changing their own password (auth.changePassword) writes users.password_hash.
   * The server must accept such a change only when every column in it is one of these.
   */
  ownRow?: readonly string[];
}

const CLINICAL: readonly Role[] = ['doctor'];
const DESK: readonly Role[] = ['admin', 'receptionist', 'doctor'];
const MONEY: readonly Role[] = ['admin', 'receptionist', 'cashier'];

export const SYNCED_TABLES: Record<string, SyncedTableSpec> = Object.fromEntries(
  (
    [
      [s.users, 'lww', ['admin']],
      [s.facility, 'lww', ['admin']],
      [s.doctorProfiles, 'lww', ['admin']],
      [s.doctorSchedules, 'lww', ['admin']],
      [s.doctorLeaves, 'lww', ['admin']],
      [s.patients, 'lww', ['admin', 'receptionist']],
      [s.appointments, 'lww', DESK],
      [s.visits, 'lww', DESK],
      [s.consultations, 'lww', CLINICAL],
      [s.consultationAmendments, 'ledger', CLINICAL],
      [s.consultationTemplates, 'lww', CLINICAL],
      [s.labTests, 'lww', ['admin']],
      // Whoever may enter a result (labs.result: admin, doctor) also marks the order resulted.
      [s.labOrders, 'lww', ['admin', 'doctor']],
      [s.labResults, 'ledger', ['admin', 'doctor']],
      [s.drugs, 'lww', ['admin', 'doctor']],
      [s.prescriptions, 'lww', CLINICAL],
      [s.prescriptionFavourites, 'lww', CLINICAL],
      [s.priceList, 'lww', ['admin']],
      [s.invoices, 'lww', MONEY],
      // A number handed out (billing.issueInvoice): written with the invoice it numbers.
      [s.invoiceIssues, 'ledger', MONEY],
      [s.payments, 'ledger', MONEY],
      [s.refunds, 'ledger', ['admin', 'cashier']],
      [s.dayEnds, 'ledger', ['admin', 'cashier']],
      [s.auditLog, 'ledger', 'any'],
    ] as [SyncTable, 'lww' | 'ledger', readonly Role[] | 'any'][]
  ).map(([table, kind, writers]) => [
    getTableName(table),
    { table, kind, writers, ...(table === s.users ? { ownRow: ['password_hash', 'updated_at', 'hlc', 'device_id'] } : {}) },
  ]),
);

export interface ColumnCodec {
  name: string;
  /** How the value is stored in SQLite: JSON text, 0/1, or as is. */
  storage: 'json' | 'boolean' | 'plain';
}

const codecCache = new Map<string, ColumnCodec[]>();

/** The database columns of a synced table, with how each value is stored. */
export function columnsOf(tableName: string): ColumnCodec[] {
  const cached = codecCache.get(tableName);
  if (cached) return cached;
  const spec = SYNCED_TABLES[tableName];
  if (!spec) throw new Error(`${tableName} is not synced`);
  const codecs = Object.values(getTableColumns(spec.table) as Record<string, SQLiteColumn>).map((c) => ({
    name: c.name,
    storage: c.dataType === 'json' ? ('json' as const) : c.dataType === 'boolean' ? ('boolean' as const) : ('plain' as const),
  }));
  codecCache.set(tableName, codecs);
  return codecs;
}

/** A change's values (as the app wrote them) to what SQLite stores. */
export function toStorage(codec: ColumnCodec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (codec.storage === 'json') return JSON.stringify(value);
  if (codec.storage === 'boolean') return value === true || value === 1 ? 1 : 0;
  return value;
}

/** What SQLite stores back to the values a change carries. */
export function fromStorage(codec: ColumnCodec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (codec.storage === 'json') return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (codec.storage === 'boolean') return value === 1 || value === true;
  return value;
}
