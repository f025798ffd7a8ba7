import { createHash } from 'node:crypto';

/**
 * The stamp of reference rows the app's own migrations install on every device (lab tests, the
 * starter formulary). Every copy holds them by construction and they are never pushed, so the
 * server never has them: they are left out of a device's fingerprints. Once edited, such a row
 * carries a real stamp, syncs, and counts like any other.
 */
export const SEED_HLC = '000000000000000-0000-seed';

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
