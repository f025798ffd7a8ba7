import type Database from './sqlite';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A statement compiled once per connection and SQL text, for hot paths that skip the query builder
 * (issue #20: building a drizzle query cost as much as running it). Each SQL text is one caller's,
 * so a mode such as pluck() set once stays. A statement still busy (an open iterate()) is never
 * handed out twice: a fresh one is compiled for that call.
 */
export function cachedStatement(sqlite: Database.Database, sql: string, mode: 'rows' | 'pluck' = 'rows'): Database.Statement {
  let byText = statements.get(sqlite);
  if (!byText) {
    byText = new Map();
    statements.set(sqlite, byText);
  }
  const key = `${mode}:${sql}`;
  const hit = byText.get(key);
  if (hit && !hit.busy) return hit;
  const made = mode === 'pluck' ? sqlite.prepare(sql).pluck() : sqlite.prepare(sql);
  if (!hit) byText.set(key, made);
  return made;
}
