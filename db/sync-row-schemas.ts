import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { checkChange, type ChangeFacts, type ColumnType, type RowShape } from '../shared/sync-rules';
import { SYNCED_TABLES } from './sync-tables';

/**
 * The column half of the rule book: each synced table's columns as the drizzle schema declares
 * them (shared/ cannot import drizzle, so they are read here and handed to checkChange).
 */
const shapes = new Map<string, RowShape>();

function typeOf(c: SQLiteColumn): ColumnType {
  if (c.dataType === 'json') return 'json';
  if (c.dataType === 'boolean') return 'boolean';
  if (c.columnType === 'SQLiteReal') return 'real';
  if (c.dataType === 'number' || c.dataType === 'bigint') return 'integer';
  return 'text';
}

/** The columns of a synced table: type, whether it may be null, whether the database fills it in. */
export function rowShapeOf(table: string): RowShape | undefined {
  const cached = shapes.get(table);
  if (cached) return cached;
  const spec = SYNCED_TABLES[table];
  if (!spec) return undefined;
  const shape: RowShape = Object.fromEntries(
    Object.values(getTableColumns(spec.table) as Record<string, SQLiteColumn>).map((c) => [c.name, { type: typeOf(c), notNull: c.notNull, hasDefault: c.hasDefault }]),
  );
  shapes.set(table, shape);
  return shape;
}

/**
 * The one check both ends make: the workstation's Writer before a write enters change_log, the
 * server before it applies a pushed change. The reason in words, or null.
 */
export function checkSyncedChange(facts: Omit<ChangeFacts, 'shape'>): string | null {
  return checkChange({ ...facts, shape: rowShapeOf(facts.table) });
}
