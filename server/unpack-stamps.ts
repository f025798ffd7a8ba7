/**
 * Before running a server older than the packed stamps (server/field-stamps.ts) on a database this
 * version wrote, every row's stamps must be whole again: older servers read them only whole, and a
 * column without its stamp would take any edit, however old. `npm run server:unpack-stamps` (with
 * DATABASE_URL, or SERVER_DATA_DIR for embedded PGlite) opens the database as the server does and
 * rewrites them in one statement. Run it with every instance stopped, then VACUUM rows (docs/SYNC.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { openServerDb, type ServerDb } from './db/open';

/** Every packed row's stamps written whole (its seq and hlc unchanged: what the desks hold is the same). Answers how many rows. */
export async function unpackAllStamps(db: ServerDb): Promise<number> {
  const result: unknown = await db.execute(sql`
    UPDATE rows r SET field_hlc = (
      SELECT coalesce(jsonb_object_agg(k, coalesce(r.field_hlc -> k, r.field_hlc -> '*')), '{}'::jsonb)
      FROM (SELECT jsonb_object_keys(r.data) AS k UNION SELECT jsonb_object_keys(r.field_hlc)) AS keys
      WHERE k <> '*')
    WHERE r.field_hlc ? '*' AND NOT r.data ? '*'`);
  return (result as { rowCount?: number | null; affectedRows?: number }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = path.resolve(process.env.SERVER_DATA_DIR || path.join(os.homedir(), '.clinic-sync-server'));
  if (!process.env.DATABASE_URL && !fs.existsSync(path.join(dataDir, 'pglite'))) {
    console.error(`No server database at ${path.join(dataDir, 'pglite')} (set DATABASE_URL, or SERVER_DATA_DIR as the server has it).`);
    process.exit(1);
  }
  const database = await openServerDb({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(dataDir, 'pglite') });
  try {
    const n = await unpackAllStamps(database.db);
    console.log(`Stamps written whole again in ${n} rows.`);
  } finally {
    await database.close();
  }
}
