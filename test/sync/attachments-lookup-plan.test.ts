import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recordsNaming } from '../../server/attachments';
import { resultsOfOrder } from '../../server/related-rows';
import { openServerDb } from '../../server/db/open';
import { findPostgres, startPostgres } from '../helpers/postgres';

/**
 * Every status and chunk message looks up the clinic's attachment records by the file's sha256
 * (server/attachments.ts). On a real PostgreSQL with a clinic's worth of rows, the plan must use
 * the partial index rows_attachment_sha256_idx, also as a generic plan (what a prepared statement
 * settles on after a few runs), instead of reading every row of the clinic.
 */

const postgres = findPostgres();
/** db.execute's answer on node-postgres (its type is the union of the two drivers'). */
const rowsOf = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;
// On CI (scripts/check-test-deps.sh installs PostgreSQL) a missing server is a failure, not a quiet skip.
const required = Boolean(process.env.CI);
if (!postgres.ok && !required) console.warn(`skipped (needs PostgreSQL): ${postgres.reason}`);

describe('server lookups inside a clinic on PostgreSQL: attachments by sha256, lab results by order', () => {
  it.skipIf(!postgres.ok && !required)('use their partial indexes, in a custom and in a generic plan', async () => {
    const pg = await startPostgres(postgres);
    if (!pg.ok) throw new Error(pg.reason);
    const opened = await openServerDb({ databaseUrl: pg.url });
    try {
      const { db } = opened;
      // A clinic with 40,000 rows of other tables and 2,000 attachment records, then statistics.
      await db.execute(sql`
        INSERT INTO rows (clinic_id, table_name, row_id, data, field_hlc, hlc, seq)
        SELECT 'clinic-1', CASE WHEN i % 21 = 0 THEN 'attachments' WHEN i % 17 = 0 THEN 'lab_results' ELSE 'patients' END, 'row-' || i,
               jsonb_build_object('sha256', encode(sha256(i::text::bytea), 'hex'), 'name', 'Patient ' || i, 'order_id', 'order-' || (i % 3000)), '{}'::jsonb, 'h', i
        FROM generate_series(1, 42000) AS i`);
      await db.execute(sql`ANALYZE rows`);
      const wanted = rowsOf(await db.execute(sql`SELECT encode(sha256('21'::bytea), 'hex') AS s`))[0] as { s: string };
      const query = recordsNaming(db, 'clinic-1', wanted.s);
      expect(await query).toHaveLength(1);

      const plan = async (sqlText: string, args: string, generic: boolean) =>
        db.transaction(async (tx) => {
          await tx.execute(sql.raw(`SET LOCAL plan_cache_mode = ${generic ? 'force_generic_plan' : 'force_custom_plan'}`));
          await tx.execute(sql.raw(`PREPARE lookup(text, text) AS ${sqlText}`));
          const r = await tx.execute(sql.raw(`EXPLAIN EXECUTE lookup(${args})`));
          await tx.execute(sql.raw('DEALLOCATE lookup'));
          return rowsOf(r)
            .map((row) => String(row['QUERY PLAN']))
            .join('\n');
        });
      for (const generic of [false, true]) {
        const found = await plan(query.toSQL().sql, `'clinic-1', '${wanted.s}'`, generic);
        expect(found).toContain('rows_attachment_sha256_idx');
        expect(found).not.toMatch(/Seq Scan/);
      }

      // A lab order's results (read when a verified order is reopened by an amendment) likewise.
      const results = resultsOfOrder(db, 'clinic-1', 'order-17');
      expect((await results).length).toBeGreaterThan(0);
      for (const generic of [false, true]) {
        const found = await plan(results.toSQL().sql, `'clinic-1', 'order-17'`, generic);
        expect(found).toContain('rows_lab_result_order_idx');
        expect(found).not.toMatch(/Seq Scan/);
      }
    } finally {
      await opened.close();
      pg.stop();
      pg.cleanup();
    }
  }, 120_000);
});
