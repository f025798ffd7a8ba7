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

export type ServerDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface OpenedServerDb {
  db: ServerDb;
  kind: 'pglite' | 'postgres';
  /** "Changes available" between server instances on the same database. */
  notifier: ChangeNotifier;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * PostgreSQL for the central store: a real server when DATABASE_URL is set, otherwise PGlite
 * (PostgreSQL compiled to WebAssembly) in a data folder, so the server runs with nothing installed.
 */
export async function openServerDb(options: { databaseUrl?: string | undefined; dataDir?: string | undefined }): Promise<OpenedServerDb> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // A database that goes away must not crash the server: calls fail and devices retry.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema });
    db.transaction = poolTransactions(pool);
    await migratePg(db, { migrationsFolder });
    const notifier = postgresNotifier(pool, options.databaseUrl);
    return {
      db: db as unknown as ServerDb,
      kind: 'postgres',
      notifier,
      close: async () => {
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
