import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db/open';
import { findPostgres, withPostgres } from '../helpers/postgres';
import { startSyncServer } from '../helpers/sync';
import { patientBody, setupClinic, type Desk } from './harness';

/**
 * The server's rows are compressed with lz4 where PostgreSQL has it (server migration 0016): a row
 * version over PostgreSQL's 2 KB threshold is compressed when written, and pglz cost the database
 * about an eighth of its CPU under load. Where lz4 is not built in (embedded PGlite) the migration
 * changes nothing and the server starts as before. A row's stamps are stored with the shared one
 * once (server/field-stamps.ts), so a patient's row crosses the threshold only with long columns.
 */
const postgres = findPostgres();
// On CI (scripts/check-test-deps.sh installs PostgreSQL) a missing server is a failure, not a quiet skip.
const required = Boolean(process.env.CI);
if (!postgres.ok && !required) console.warn(`skipped on PostgreSQL (needs PostgreSQL): ${postgres.reason}`);

// (Both drivers, pg and PGlite, answer an execute with its rows as objects.)
const rowsOf = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;

const methods = async (db: ServerDb) =>
  Object.fromEntries(rowsOf(await db.execute(sql`SELECT attname AS name, attcompression AS method FROM pg_attribute WHERE attrelid = 'rows'::regclass AND attname IN ('data', 'field_hlc')`)).map((x) => [x.name, x.method]));

describe('the server’s rows', () => {
  it.skipIf(!postgres.ok && !required)('are written with lz4 on PostgreSQL: a registered patient’s stored row says so, and reads back whole', async () => {
    await withPostgres(postgres, async (pg) => {
      const server = await startSyncServer({ databaseUrl: pg.url });
      const { clinicId, devices } = await setupClinic(server, { devices: 1 });
      const [A] = devices as [Desk];
      // A patient with a long history: twenty conditions of about a hundred characters each.
      const chronicConditions = Array.from({ length: 20 }, (_, i) => `Condition ${i}: ${'long-standing, under treatment since childhood; '.repeat(2)}`);
      const registered = A.c.ok('patients.register', { patient: { ...patientBody('Compressed', 1), chronicConditions } }, A.admin) as { patient: { id: string } };
      const id = registered.patient.id;
      await A.c.app.sync.syncNow();
      expect(await methods(server.database.db)).toEqual({ data: 'l', field_hlc: 'l' });
      const stored = await server.database.db.execute(
        sql`SELECT pg_column_compression(data) AS method, data->>'given_name' AS name, jsonb_array_length(data->'chronic_conditions') AS n FROM rows WHERE clinic_id = ${clinicId} AND table_name = 'patients' AND row_id = ${id}`,
      );
      expect(rowsOf(stored)).toEqual([{ method: 'lz4', name: 'Compressed', n: 20 }]);
      await server.stop();
    });
  }, 90_000);

  it('keep the default compression on PGlite, where lz4 is not built in, and the server starts', async () => {
    const server = await startSyncServer();
    expect(await methods(server.database.db)).toEqual({ data: '', field_hlc: '' });
    await server.stop();
  });
});
