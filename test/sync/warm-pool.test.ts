import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POOL_NAME, POOL_SIZE, type ServerDb } from '../../server/db/open';
import { findPostgres, withPostgres } from '../helpers/postgres';
import { startSyncServer } from '../helpers/sync';

/**
 * The server's connections to PostgreSQL are all opened at start and kept through quiet spells
 * (server/db/open.ts warm): a burst of pushes after a quiet spell (desks back after an outage, the
 * morning's first syncs) used to open connections in the middle of it, a backend started and its
 * caches filled for each while the main thread that waited for them was busy reading the pushes.
 */
const postgres = findPostgres();
// On CI (scripts/check-test-deps.sh installs PostgreSQL) a missing server is a failure, not a quiet skip.
const required = Boolean(process.env.CI);
if (!postgres.ok && !required) console.warn(`skipped on PostgreSQL (needs PostgreSQL): ${postgres.reason}`);

const connections = async (db: ServerDb) => {
  const r: unknown = await db.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${POOL_NAME}`);
  return (r as { rows: { n: number }[] }).rows[0]!.n;
};

describe('the server’s connections to PostgreSQL', () => {
  it.skipIf(!postgres.ok && !required)('are all open once it has started, and still open after a quiet spell longer than the pool’s idle timeout', async () => {
    await withPostgres(postgres, async (pg) => {
      const server = await startSyncServer({ databaseUrl: pg.url });
      try {
        expect(await connections(server.database.db)).toBe(POOL_SIZE);
        // pg-pool closes a connection idle for 10 s unless the pool keeps a minimum.
        await new Promise((r) => setTimeout(r, 11_000));
        expect(await connections(server.database.db)).toBe(POOL_SIZE);
      } finally {
        await server.stop();
      }
    });
  }, 90_000);
});
