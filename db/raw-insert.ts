import { getTableColumns, getTableName, is, SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { connectionOf, type Db } from './open';

interface InsertPlan {
  sql: string;
  /** The columns drizzle's insert writes, in its order: [js key, column]. */
  columns: [string, SQLiteColumn][];
  /** Every column, as the returned row is read: [js key, column]. */
  all: [string, SQLiteColumn][];
}

const plans = new WeakMap<SQLiteTable, InsertPlan | null>();

/**
 * The table's `insert … returning *` as drizzle writes it (every insertable column, in its order),
 * or null when drizzle would put SQL rather than a parameter somewhere (a SQL default), which this
 * does not reproduce. Built once per table.
 */
function planFor(table: SQLiteTable): InsertPlan | null {
  const known = plans.get(table);
  if (known !== undefined) return known;
  const all = Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>);
  // drizzle's own shouldDisableInsert() (internal): generated columns other than "by default" are not written.
  const columns = all.filter(([, c]) => c.generated === undefined || c.generated.type === 'byDefault');
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const plan = columns.some(([, c]) => is(c.default, SQL))
    ? null
    : {
        sql:
          `insert into ${quote(getTableName(table))} (${columns.map(([, c]) => quote(c.name)).join(', ')}) ` +
          `values (${columns.map(() => '?').join(', ')}) returning ${all.map(([, c]) => quote(c.name)).join(', ')}`,
        columns,
        all,
      };
  plans.set(table, plan);
  return plan;
}

/**
 * One row inserted exactly as `db.insert(table).values(values).returning().get()` would insert and
 * return it: an absent value takes the column's default (value, then function, then on-update
 * function, else NULL), present ones go through the column's own encoder (JSON, booleans,
 * timestamps) and the returned row through its decoder. The statement is compiled once per
 * connection (db/statement-cache.ts): building the insert through the query builder cost a
 * registration more than running it (issue #20).
 *
 * Returns undefined when it cannot be done this way (no raw connection, a SQL default or a SQL
 * value): the caller then uses drizzle.
 */
export function insertReturning(db: Db, table: SQLiteTable, values: Record<string, unknown>): Record<string, unknown> | undefined {
  const sqlite = connectionOf(db);
  const plan = sqlite ? planFor(table) : null;
  if (!sqlite || !plan) return undefined;
  const params: unknown[] = [];
  for (const [key, column] of plan.columns) {
    let value = values[key];
    if (value === undefined) {
      if (column.default !== null && column.default !== undefined) value = column.default;
      else if (column.defaultFn !== undefined) value = column.defaultFn();
      else if (column.onUpdateFn !== undefined) value = column.onUpdateFn();
      else value = null;
    }
    if (is(value, SQL)) return undefined;
    const driverValue: unknown = value === null ? null : column.mapToDriverValue(value);
    if (is(driverValue, SQL)) return undefined;
    params.push(driverValue);
  }
  const stored = sqlite.prepare(plan.sql).get(...params) as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [key, column] of plan.all) {
    const raw = stored[column.name];
    row[key] = raw === null || raw === undefined ? null : column.mapFromDriverValue(raw);
  }
  return row;
}
