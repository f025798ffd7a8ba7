import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, changeSigningBytes } from '../../shared/change-signing';
import { VerifyPool } from '../../server/verify-pool';

/**
 * The canonical JSON as first shipped (entries, filter, sort, map, join). Changes queued on an
 * offline desk were signed with it: the faster version must give the very same bytes, or those
 * signatures stop verifying on the server.
 */
function shipped(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : shipped(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${shipped(v)}`).join(',')}}`;
}

/** A deterministic generator of awkward values: keys out of order, unicode, undefined, nesting. */
function randomValue(seed: number, depth = 0): unknown {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s;
  };
  const pick = next() % (depth > 2 ? 7 : 9);
  const keys = ['b', 'a', 'Z', 'é', 'a_b', '10', '2', '', 'क', '\u{1F600}', 'aa', 'q"uote', 'back\\slash', 'tab\t'];
  // Strings and numbers JSON writes other than as they are: escapes, lone surrogates, non-finite numbers.
  const odd = ['\u0001', '\u001f', '\ud800', 'x\udc00y', '\u2028', '\u007f', '"', '\\', '\u{1F600}', 'plain'];
  const numbers = [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER];
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return next() % 2 === 0;
    case 3:
      return (next() % 2_000_000) - 1_000_000;
    case 4:
      return (next() % 100_000) / 7;
    case 5:
      return `text ${next()} "quoted" \\ ${keys[next() % keys.length]}\n`;
    case 6:
      return next() % 3 === 0 ? '' : next() % 2 === 0 ? odd[next() % odd.length] : numbers[next() % numbers.length];
    case 7:
      return Array.from({ length: next() % 4 }, (_, i) => randomValue(next() + i, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = next() % 6; i > 0; i--) o[keys[next() % keys.length]!] = randomValue(next(), depth + 1);
      return o;
    }
  }
}

/** Strings and numbers JSON.stringify writes other than as they are, each tried alone and as a member. */
const EDGE_VALUES: unknown[] = [
  ...['\u0000', '\u0001', '\u001f', '\u007f', '\u2028', '\u2029', '"', '\\', '/', '\ud800', 'x\udc00y', '\ud83d\ude00', '\u{1F600}', 'é ✓ क', '', 'plain text'],
  ...[Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, -1.5e-300, 5e-324],
  true,
  false,
  null,
];

describe('canonical signing bytes', () => {
  it('are those of JSON.stringify for every string and number it writes itself', () => {
    for (const v of EDGE_VALUES) {
      expect(canonicalJson(v)).toBe(shipped(v));
      expect(canonicalJson({ [String(v)]: v, k: [v] })).toBe(shipped({ [String(v)]: v, k: [v] }));
    }
  });

  it('are byte for byte those of the first version, for a thousand awkward values', () => {
    for (let i = 1; i <= 1000; i++) {
      const v = randomValue(i * 7919);
      expect(canonicalJson(v)).toBe(shipped(v));
    }
    const change = { id: 'c1', table: 'patients', rowId: 'p1', op: 'update' as const, columns: { z: 1, a: { y: [1, undefined], b: 'é' }, f: undefined }, hlc: 'h', userId: 'u' };
    expect(Buffer.from(changeSigningBytes(change)).toString('utf8')).toBe(shipped(['clinic-change-v1', 'c1', 'patients', 'p1', 'update', change.columns, 'h', 'u']));
  });
});

describe('the verification pool', () => {
  it('answers each signature in order across its workers, a bad one or a bad key as no', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pk = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const jobs = Array.from({ length: 40 }, (_, i) => {
      const text = `change ${i} é क ${createHash('sha256').update(String(i)).digest('hex')}`;
      return { publicKey: pk, text, sig: sign(null, Buffer.from(new TextEncoder().encode(text)), privateKey).toString('base64') };
    });
    jobs[3] = { ...jobs[3]!, sig: jobs[4]!.sig };
    jobs[30] = { ...jobs[30]!, publicKey: 'not a key' };
    const pool = new VerifyPool(2);
    try {
      const out = [...(await pool.verify(jobs))];
      expect(out).toEqual(jobs.map((_, i) => (i === 3 || i === 30 ? 0 : 1)));
    } finally {
      await pool.stop();
    }
  });
});
