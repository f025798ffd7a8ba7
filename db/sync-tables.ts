import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { SyncTable } from './write';
import * as s from './schema';
import { SYNC_RULES, type SyncKind } from '../shared/sync-rules';

/**
 * What syncs: the drizzle table of each synced table and its kind. `lww`: last writer wins per
 * field, by HLC. `ledger`: insert-only rows that are never merged (payments, refunds, audit). The
 * kind, and who may write what, is the rule book's (shared/sync-rules.ts), used by the Writer and
 * the server alike.
 */
export interface SyncedTableSpec {
  table: SyncTable;
  kind: SyncKind;
}

export const SYNCED_TABLES: Record<string, SyncedTableSpec> = Object.fromEntries(
  (
    [
      s.users,
      s.facility,
      s.doctorProfiles,
      s.doctorSchedules,
      s.doctorLeaves,
      s.patients,
      s.appointments,
      s.visits,
      s.consultations,
      s.consultationAmendments,
      s.consultationTemplates,
      s.labTests,
      s.labOrders,
      s.labResults,
      s.drugs,
      s.prescriptions,
      s.prescriptionFavourites,
      s.priceList,
      s.invoices,
      s.payments,
      s.refunds,
      s.dayEnds,
      s.auditLog,
      s.deviceRevocations,
      s.invoiceIssues,
      s.discountApprovals,
      s.creditNotes,
      s.abdmCareContexts,
      s.certificates,
      ...s.PHARMACY_TABLES,
      s.abdmProfileShares,
      s.patientMerges,
      ...s.ABDM_PANEL_TABLES,
      s.attachments,
    ] as SyncTable[]
  ).map((table) => {
    const name = getTableName(table);
    const rules = SYNC_RULES[name];
    if (!rules) throw new Error(`${name} syncs but has no rules in shared/sync-rules.ts`);
    return [name, { table, kind: rules.kind }];
  }),
);

export interface ColumnCodec {
  name: string;
  /** How the value is stored in SQLite: JSON text, 0/1, or as is. */
  storage: 'json' | 'boolean' | 'plain';
  /** A row cannot be stored without it (NOT NULL and no default). */
  required: boolean;
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
    required: c.notNull && !c.hasDefault,
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
