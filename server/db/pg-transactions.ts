import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

type OnClient = NodePgDatabase<typeof schema>;
type Transaction = OnClient['transaction'];

/**
 * Transactions on a pool that survive the database going away, for drizzle's node-postgres driver.
 *
 * drizzle takes a connection from the pool and sends BEGIN before its try block: when BEGIN fails
 * (the database just went down) the connection is never given back. Each such failure held one of
 * the pool's ten connections for good, and closing the server waited for them forever. A broken
 * connection was also given back to the pool as if healthy. Here the connection is taken and
 * always given back, and given back as broken (closed) unless the error came from PostgreSQL
 * itself (a constraint, a bad value: the connection is fine).
 *
 * A connection taken from the pool has no error listener of pg-pool's while in use, so one that
 * breaks between two statements would raise an uncaught error and end the server: every
 * connection gets a listener of its own (the next statement on it fails, and the transaction with it).
 */
export function poolTransactions(pool: pg.Pool): Transaction {
  pool.on('connect', (client) => client.on('error', () => undefined));
  const onClient = new WeakMap<pg.PoolClient, OnClient>();
  return (async (run, config) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      let db = onClient.get(client);
      if (!db) {
        db = drizzlePg(client, { schema });
        onClient.set(client, db);
      }
      return await db.transaction(run, config);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
  });
}
