import { createHash } from 'node:crypto';

/**
 * The stamp of reference rows the app's own migrations install on every device (lab tests, the
 * starter formulary). Every copy holds them by construction and they are never pushed, so the
 * server never has them: they are left out of a device's fingerprints. Once edited, such a row
 * carries a real stamp, syncs, and counts like any other.
 */
export const SEED_HLC = '000000000000000-0000-seed';

export interface Fingerprint {
  count: number;
  hash: string;
}

const MASK = (1n << 64n) - 1n;

/**
 * An order-free fingerprint of a table: the count of rows and the sum (mod 2^64) of a hash of each
 * row's id and clock. Device and server compute it the same way from (id, hlc) pairs; equal
 * fingerprints mean both hold the same versions of the same rows. Being a sum, it can be built up
 * a slice of rows at a time.
 */
export class FingerprintSum {
  private sum = 0n;
  private count = 0;

  add(id: string, hlc: string): void {
    const h = createHash('sha256').update(`${id}\u0000${hlc}`).digest();
    this.sum = (this.sum + h.readBigUInt64BE(0)) & MASK;
    this.count += 1;
  }

  result(): Fingerprint {
    return { count: this.count, hash: this.sum.toString(16).padStart(16, '0') };
  }
}

export function fingerprint(rows: Iterable<{ id: string; hlc: string }>): Fingerprint {
  const f = new FingerprintSum();
  for (const r of rows) f.add(r.id, r.hlc);
  return f.result();
}
