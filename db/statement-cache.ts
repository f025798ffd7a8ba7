import type Database from './sqlite';

/**
 * The connection as the query builder sees it: the same connection, whose `prepare` keeps each
 * statement it compiles (per SQL text, the most recent `capacity` texts) and hands it out again.
 * drizzle prepares its SQL on every execution; a registration ran 13 compilations and a check-in
 * 24 before this (issue #20). Only drizzle gets this view: code that prepares through the
 * connection itself keeps statements of its own (a shared statement's pluck/raw mode would leak
 * between callers).
 *
 * Safe to share because drizzle sets the one mode it uses (raw) itself when it wants it, and this
 * clears it before handing a statement out; a statement still busy (an open iterate()) is never
 * handed out twice: a fresh one is compiled instead.
 */
export function withStatementCache(sqlite: Database.Database, capacity = 1000): Database.Database {
  const cache = new Map<string, Database.Statement>();
  // A view over the connection (its prototype): transaction(), pragma() and the rest are the connection's own.
  const view: Database.Database = Object.create(sqlite) as Database.Database;
  const prepare = (source: string): Database.Statement => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      // Most recently used last, so the first key is the one to drop when full.
      cache.delete(source);
      cache.set(source, hit);
      if (hit.reader) hit.raw(false);
      return hit;
    }
    const statement = sqlite.prepare(source);
    if (!hit) {
      cache.set(source, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value!);
    }
    return statement;
  };
  // drizzle calls prepare(sql) and reads the statement's results untyped: the generic signature adds nothing here.
  view.prepare = prepare as Database.Database['prepare'];
  return view;
}
