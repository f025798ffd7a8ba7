import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresNotifier, soloNotifier, type ChangeNotifier } from './notify';
import { poolTransactions } from './pg-transactions';
import * as schema from './schema';
import { olderInstancesSeen, setOlderInstancesSeen } from '../field-stamps';

export type ServerDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface OpenedServerDb {
  db: ServerDb;
  kind: 'pglite' | 'postgres';
  /** "Changes available" between server instances on the same database. */
  notifier: ChangeNotifier;
  close(): Promise<void>;
}

/** Connections to PostgreSQL, all kept open (see warm). */
export const POOL_SIZE = 10;
/**
 * How the pool's connections name themselves to PostgreSQL (pg_stat_activity.application_name).
 * "/2" since rows' stamps are stored packed (server/field-stamps.ts): instances from before name
 * themselves OLDER_POOL_NAME, and while any is connected this one writes stamps whole.
 */
export const POOL_NAME = 'clinic-sync-server/2';
export const OLDER_POOL_NAME = 'clinic-sync-server';
/** How often an instance looks for older ones on its database. */
const OLDER_WATCH_MS = 30_000;

/**
 * Whether instances older than packed stamps are connected to this database; tells
 * server/field-stamps.ts, and says so when that changes. (Older servers keep their ten connections
 * open, so they show whenever they run; servers from before they named themselves do not: for those
 * SERVER_PACKED_STAMPS=0 is the way, docs/SYNC.md.)
 */
export async function lookForOlderInstances(pool: pg.Pool, log: (m: string) => void = (m) => console.error(m)): Promise<boolean> {
  const r = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [OLDER_POOL_NAME]);
  const seen = r.rows[0]!.n > 0;
  if (seen !== olderInstancesSeen()) log(seen ? 'Older sync server instances share this database: column stamps are written whole until they are gone.' : 'No older sync server instance on this database any more: column stamps are written packed.');
  setOlderInstancesSeen(seen);
  return seen;
}

/**
 * Opens every connection of the pool now and keeps them open (min = max), as a fixed-size pool
 * (HikariCP's advice too). pg-pool otherwise opens connections only as the load grows and closes
 * them after ten idle seconds, so after any quiet spell the next burst of pushes (desks coming back
 * after an outage, the morning's first syncs) paid for new connections in the middle of it: a
 * backend started and its catalog caches filled for each, while the main thread that needed their
 * answers was busy reading the pushes. A connection that fails is replaced on demand as before.
 */
async function warm(pool: pg.Pool): Promise<void> {
  const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
  await Promise.all(clients.map((c) => c.query('SELECT 1 FROM rows LIMIT 0')));
  for (const c of clients) c.release();
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * PostgreSQL for the central store: a real server when DATABASE_URL is set, otherwise PGlite
 * (PostgreSQL compiled to WebAssembly) in a data folder, so the server runs with nothing installed.
 */
export async function openServerDb(options: { databaseUrl?: string | undefined; dataDir?: string | undefined }): Promise<OpenedServerDb> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: POOL_SIZE, min: POOL_SIZE, application_name: POOL_NAME });
    // A database that goes away must not crash the server: calls fail and devices retry.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema });
    db.transaction = poolTransactions(pool);
    await migratePg(db, { migrationsFolder });
    await warm(pool);
    await lookForOlderInstances(pool);
    const watch = setInterval(() => void lookForOlderInstances(pool).catch(() => undefined), OLDER_WATCH_MS);
    watch.unref();
    const notifier = postgresNotifier(pool, options.databaseUrl);
    return {
      db: db as unknown as ServerDb,
      kind: 'postgres',
      notifier,
      close: async () => {
        clearInterval(watch);
        await notifier.close();
        await pool.end();
      },
    };
  }
  // PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly memory, which never
  // shrinks: 16 MB (SERVER_PGLITE_SHARED_BUFFERS) takes about 130 MB off the idle server; the
  // files stay in the operating system's page cache either way.
  const sharedBuffers = process.env.SERVER_PGLITE_SHARED_BUFFERS || '16MB';
  const client = new PGlite(options.dataDir ?? 'memory://', { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] });
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return { db: db as unknown as ServerDb, kind: 'pglite', notifier: soloNotifier, close: () => client.close() };
}
