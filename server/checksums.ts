import { eq, sql } from 'drizzle-orm';
import { fingerprint } from '../db/sync-checksum';
import { SYNCED_TABLES } from '../db/sync-tables';
import type { ServerDb } from './db/open';
import { rows } from './db/schema';

const U64 = 1n << 64n;
/** A sum of row hashes as fingerprint() writes it: mod 2^64, 16 hex digits. */
const sumHex = (sum: bigint) => (((sum % U64) + U64) % U64).toString(16).padStart(16, '0');

/**
 * Fingerprints of every synced table of a clinic, from the merged rows: fingerprint() of
 * db/sync-checksum.ts, summed by the database table by table, so no row is loaded here
 * (a clinic's rows run into millions). Each row adds the first 8 bytes of sha256(id NUL hlc),
 * read as a signed bigint; the sum is exact (numeric), and mod 2^64 it equals the device's
 * unsigned sum.
 */
export async function clinicChecksums(db: ServerDb, clinicId: string): Promise<Record<string, { count: number; hash: string }>> {
  const digest = sql`sha256(convert_to(${rows.rowId}, 'UTF8') || decode('00', 'hex') || convert_to(${rows.hlc}, 'UTF8'))`;
  const sums = await db
    .select({
      table: rows.tableName,
      count: sql<number>`count(*)::int`,
      sum: sql<string>`sum(('x' || encode(substring(${digest} from 1 for 8), 'hex'))::bit(64)::bigint::numeric)::text`,
    })
    .from(rows)
    .where(eq(rows.clinicId, clinicId))
    .groupBy(rows.tableName);
  const byTable = new Map(sums.map((s) => [s.table, s]));
  const out: Record<string, { count: number; hash: string }> = {};
  for (const table of Object.keys(SYNCED_TABLES)) {
    const s = byTable.get(table);
    out[table] = s ? { count: Number(s.count), hash: sumHex(BigInt(s.sum)) } : fingerprint([]);
  }
  return out;
}
