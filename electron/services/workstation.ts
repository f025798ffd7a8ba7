import { eq, sql } from 'drizzle-orm';
import { connectionOf, type Db } from '../../db/open';
import { localMeta, numberSeries } from '../../db/schema';
import { cachedStatement } from '../../db/cached-statement';

/**
 * Settings that belong to this workstation, not the clinic: the prefix of its number series
 * (MRN, booking references) and of its tokens. Distinct prefixes per workstation keep numbers
 * unique while several desks work offline.
 */
export interface WorkstationSettings {
  seriesPrefix: string;
  /** Empty while this is the clinic's only token desk: tokens are then plain 1, 2, 3... */
  tokenPrefix: string;
}

const DEFAULTS: WorkstationSettings = { seriesPrefix: 'A', tokenPrefix: '' };

export function getWorkstation(db: Db): WorkstationSettings {
  // Every registration and check-in reads these: a statement compiled once per connection, and only the two keys (issue #20).
  const sqlite = connectionOf(db);
  const rows = sqlite
    ? (cachedStatement(sqlite, "SELECT key, value FROM local_meta WHERE key IN ('seriesPrefix', 'tokenPrefix')").all() as { key: string; value: string }[])
    : db.select().from(localMeta).all();
  const get = (k: keyof WorkstationSettings) => rows.find((r) => r.key === k)?.value ?? DEFAULTS[k];
  return { seriesPrefix: get('seriesPrefix'), tokenPrefix: get('tokenPrefix') };
}

export function setWorkstation(db: Db, next: Partial<WorkstationSettings>): WorkstationSettings {
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    db.insert(localMeta).values({ key, value }).onConflictDoUpdate({ target: localMeta.key, set: { value } }).run();
  }
  return getWorkstation(db);
}

/** The next number of a local series; runs inside the caller's transaction, so a rollback gives it back. */
export function nextInSeries(db: Db, name: string): number {
  // The same upsert drizzle builds below, compiled once per connection: it runs on every registration (issue #20).
  const sqlite = connectionOf(db);
  if (sqlite) {
    const next = sqlite.prepare('INSERT INTO number_series (name, last) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET last = last + 1 RETURNING last').get(name) as { last: number };
    return next.last;
  }
  const row = db
    .insert(numberSeries)
    .values({ name, last: 1 })
    .onConflictDoUpdate({ target: numberSeries.name, set: { last: sql`${numberSeries.last} + 1` } })
    .returning({ last: numberSeries.last })
    .get();
  return row.last;
}

export function peekSeries(db: Db, name: string): number {
  return db.select({ last: numberSeries.last }).from(numberSeries).where(eq(numberSeries.name, name)).get()?.last ?? 0;
}
