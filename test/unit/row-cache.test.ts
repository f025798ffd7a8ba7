import { describe, expect, it } from 'vitest';
import { RowCache, rowCacheBudget } from '../../server/row-cache';

const row = (data: Record<string, unknown>) => ({ data, fieldHlc: Object.fromEntries(Object.keys(data).map((k) => [k, 'stamp'])), hlc: 'stamp' });

describe('the server’s row cache', () => {
  it('gives back what it holds with the seq it was held at, by clinic', () => {
    const cache = new RowCache(1024 * 1024);
    cache.put('clinic-1', 'patients/1', 7, row({ given_name: 'Asha', age: 40, active: true, note: null }));
    const held = cache.held('clinic-1', ['patients/1', 'patients/2']);
    expect([...held.keys()]).toEqual(['patients/1']);
    expect(held.get('patients/1')).toMatchObject({ seq: 7, state: row({ given_name: 'Asha', age: 40, active: true, note: null }) });
    expect(cache.held('clinic-2', ['patients/1']).size).toBe(0);
    cache.put('clinic-1', 'patients/1', 9, row({ given_name: 'Asha Rao', age: 40, active: true, note: null }));
    expect(cache.held('clinic-1', ['patients/1']).get('patients/1')?.seq).toBe(9);
  });

  it('keeps a row as PostgreSQL would give it back, and drops one (and its old version) that cannot come back the same', () => {
    const cache = new RowCache(1024 * 1024);
    // jsonb orders an object's members by the length of their name in bytes, then by the bytes.
    cache.put('c', 'k', 1, row({ allergies: [{ substance: 'Penicillin', reaction: 'Rash', é: 1, bb: 2 }], roles: ['doctor'] }));
    const held = cache.held('c', ['k']).get('k')!.state.data;
    expect(JSON.stringify(held)).toBe('{"allergies":[{"bb":2,"é":1,"reaction":"Rash","substance":"Penicillin"}],"roles":["doctor"]}');
    // JSON has no -0, NaN or Infinity (they come back as 0 or null).
    for (const odd of [-0, Number.NaN, Number.POSITIVE_INFINITY, [1, -0], { a: Number.NaN }]) {
      cache.put('c', 'k', 1, row({ ok: 'yes' }));
      cache.put('c', 'k', 2, row({ odd }));
      expect(cache.held('c', ['k']).size).toBe(0);
    }
    cache.put('c', 'k', 3, row({ ok: 'yes' }));
    cache.put('c', 'k', Number.MAX_SAFE_INTEGER + 2, row({ ok: 'yes' }));
    expect(cache.held('c', ['k']).size).toBe(0);
    cache.put('c', 'k', 4, row({ ok: 'yes' }));
    cache.put('c', 'k', 5, null);
    expect(cache.held('c', ['k']).size).toBe(0);
  });

  it('holds at most its budget, dropping the row used longest ago, and no row over 64 KB; a budget of 0 holds nothing', () => {
    // Each of these rows is estimated alike (names and strings at two bytes a character, 16 a value, and the entry's own cost).
    const size = (() => {
      const one = new RowCache(1024 * 1024);
      one.put('c', 'a', 1, row({ n: 1 }));
      return one.estimatedBytes;
    })();
    const cache = new RowCache(2 * size + size / 2);
    cache.put('c', 'a', 1, row({ n: 1 }));
    cache.put('c', 'b', 2, row({ n: 2 }));
    cache.held('c', ['a']);
    cache.put('c', 'd', 3, row({ n: 3 }));
    expect([...cache.held('c', ['a', 'b', 'd']).keys()]).toEqual(['a', 'd']);
    expect(cache.size).toBe(2);
    // Put again and again, a row counts once: two others still fit beside it.
    const steady = new RowCache(3 * 1024);
    for (let seq = 1; seq <= 100; seq++) steady.put('c', 'same', seq, row({ n: seq }));
    const once = steady.estimatedBytes;
    steady.put('c', 'other', 1, row({ n: 1 }));
    steady.put('c', 'third', 1, row({ n: 1 }));
    expect(steady.size).toBe(3);
    expect(steady.estimatedBytes).toBeLessThan(4 * once);
    const roomy = new RowCache(10 * 1024 * 1024);
    roomy.put('c', 'logo', 1, row({ logo: 'x'.repeat(40 * 1024) }));
    expect(roomy.size).toBe(0);
    roomy.put('c', 'bundles', 1, row({ bundles: { Prescription: ['x'.repeat(40 * 1024)] } }));
    expect(roomy.size).toBe(0);
    const off = new RowCache(0);
    off.put('c', 'a', 1, row({ n: 1 }));
    expect(off.size).toBe(0);
    expect(rowCacheBudget({ SERVER_ROW_CACHE_MB: '0' })).toBe(0);
    expect(rowCacheBudget({ SERVER_ROW_CACHE_MB: 'lots' })).toBe(128 * 1024 * 1024);
  });

  it('keeps the later of two versions whatever order they come in (a turn committed earlier, answered later)', () => {
    const cache = new RowCache(1024 * 1024);
    cache.put('c', 'k', 9, row({ n: 'later' }));
    cache.put('c', 'k', 7, row({ n: 'earlier' }));
    cache.keep('c', 'k', 8, null);
    expect(cache.held('c', ['k']).get('k')).toMatchObject({ seq: 9, state: { data: { n: 'later' } } });
  });

  it('holds rows frozen: code that edited a held row in place would fail at once, not change the next turn’s row', () => {
    const cache = new RowCache(1024 * 1024);
    cache.put('c', 'k', 1, row({ given_name: 'Asha' }));
    const held = cache.held('c', ['k']).get('k')!.state;
    expect(() => {
      held.data.given_name = 'Changed';
    }).toThrow(TypeError);
    expect(() => {
      held.fieldHlc.given_name = 'later';
    }).toThrow(TypeError);
    expect(held.data.given_name).toBe('Asha');
  });
});
