import { createHash } from 'node:crypto';

/**
 * An order-free fingerprint of a table: the count of rows and the sum (mod 2^64) of a hash of each
 * row's id and clock. Device and server compute it the same way from (id, hlc) pairs; equal
 * fingerprints mean both hold the same versions of the same rows.
 */
export function fingerprint(rows: Iterable<{ id: string; hlc: string }>): { count: number; hash: string } {
  let sum = 0n;
  let count = 0;
  const mask = (1n << 64n) - 1n;
  for (const r of rows) {
    const h = createHash('sha256').update(`${r.id}\u0000${r.hlc}`).digest();
    sum = (sum + h.readBigUInt64BE(0)) & mask;
    count += 1;
  }
  return { count, hash: sum.toString(16).padStart(16, '0') };
}
