import { describe, expect, it } from 'vitest';
import { BASE, packingOn, packingSetting, packStamps, setOlderInstancesSeen, unpackStamps } from '../../server/field-stamps';

const A = '0001733000000000-00001-desk-a';
const B = '0001733000000500-00000-desk-b';
const C = '0001733000000900-00003-desk-a';

/** A seeded generator of rows: columns, stamps drawn from a few, and the odd cases the packing must refuse. */
function randomRow(seed: number): { data: Record<string, unknown>; fieldHlc: Record<string, string> } {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n); // the high bits: the low ones of this generator cycle
  };
  const stamps = [A, B, C, `${C}+merge`];
  const data: Record<string, unknown> = {};
  const fieldHlc: Record<string, string> = {};
  const columns = next(45);
  for (let i = 0; i < columns; i++) {
    const col = `col_${i}`;
    data[col] = next(3) === 0 ? null : `value ${i}`;
    fieldHlc[col] = stamps[next(next(2) === 0 ? 1 : stamps.length)]!;
  }
  const odd = next(8);
  if (odd === 0 && columns > 0) delete fieldHlc.col_0; // a column without a stamp
  if (odd === 1) fieldHlc.hlc_only = stamps[next(2)]!; // a stamp without a column (often the shared one)
  if (odd === 2) {
    data[BASE] = 'x'; // a column named like the shared stamp: never packed
    fieldHlc[BASE] = C;
  }
  return { data, fieldHlc };
}

describe('a row’s column stamps as stored', () => {
  it('hold a new row’s one stamp once, however many columns it has', () => {
    const data = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, i]));
    const fieldHlc = Object.fromEntries(Object.keys(data).map((k) => [k, A]));
    const packed = packStamps(data, fieldHlc, true);
    expect(packed).toEqual({ [BASE]: A });
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(fieldHlc).length / 20);
    expect(unpackStamps(data, packed)).toEqual(fieldHlc);
  });

  it('read back as exactly the stamps written, for a thousand rows with odd cases', () => {
    let packedSome = 0;
    for (let i = 1; i <= 1000; i++) {
      const { data, fieldHlc } = randomRow(i * 7919);
      const packed = packStamps(data, fieldHlc, true);
      if (BASE in packed && !(BASE in data)) packedSome++;
      const back = unpackStamps(data, JSON.parse(JSON.stringify(packed)) as Record<string, string>);
      expect(back).toEqual(fieldHlc);
      expect(Object.keys(back).sort()).toEqual(Object.keys(fieldHlc).sort());
    }
    expect(packedSome).toBeGreaterThan(500);
  });

  it('take an edit merged in with jsonb || (the edited columns as their own members)', () => {
    const data: Record<string, unknown> = { id: 'p1', given_name: 'Asha', phone: '98', hlc: A, updated_at: 1 };
    const fieldHlc = Object.fromEntries(Object.keys(data).map((k) => [k, A]));
    const stored = packStamps(data, fieldHlc, true);
    expect(stored).toEqual({ [BASE]: A });
    // Desk B changes the phone; the server sends the changed columns and stamps only.
    const edited = { ...data, phone: '99', hlc: B, updated_at: 2 };
    const patch = { phone: B, hlc: B, updated_at: B };
    const merged = { ...stored, ...patch };
    expect(unpackStamps(edited, merged)).toEqual({ id: A, given_name: A, phone: B, hlc: B, updated_at: B });
    // A later edit that adds a column the row did not have.
    const more = { ...edited, occupation: 'Farmer' };
    expect(unpackStamps(more, { ...merged, occupation: C })).toEqual({ id: A, given_name: A, phone: B, hlc: B, updated_at: B, occupation: C });
  });

  it('stored whole, as every row was before, read back unchanged', () => {
    const data = { id: 'p1', given_name: 'Asha' };
    const whole = { id: A, given_name: B };
    expect(unpackStamps(data, whole)).toBe(whole);
  });

  it('are stored whole when sharing saves nothing or a column is named like the shared stamp', () => {
    expect(packStamps({ a: 1, b: 2 }, { a: A, b: B })).toEqual({ a: A, b: B });
    expect(packStamps({ a: 1, [BASE]: 2 }, { a: A, [BASE]: A })).toEqual({ a: A, [BASE]: A });
    expect(unpackStamps({ a: 1, [BASE]: 2 }, { a: A, [BASE]: C })).toEqual({ a: A, [BASE]: C });
  });
});

describe('odd rows the packing refuses rather than misread', () => {
  it('a stamp named like the shared one without such a column, columns named like Object members, a column left undefined', () => {
    // (No writer makes one: a stamp is always set with its column. Every column keeps its own stamp;
    // the stray member, which stamps no column, is what cannot be told from a packed map.)
    const stray = { x: A, y: A, z: A, [BASE]: C };
    expect(unpackStamps({ x: 1, y: 2, z: 3 }, packStamps({ x: 1, y: 2, z: 3 }, stray))).toEqual({ x: A, y: A, z: A });
    const members = { constructor: A, toString: A, valueOf: B };
    const memberData = { constructor: 1, toString: 2, valueOf: 3 };
    expect(unpackStamps(memberData, JSON.parse(JSON.stringify(packStamps(memberData, members))) as Record<string, string>)).toStrictEqual(members);
    // A stamp for a column JSON will drop: stored whole, so the stamp stays.
    const undef = { a: A, b: A, c: B };
    expect(packStamps({ a: 1, b: undefined, c: 2 }, undef)).toEqual(undef);
  });

  it('are written whole when packing is switched off or older instances share the database', () => {
    const data = { a: 1, b: 2, c: 3 };
    const fieldHlc = { a: A, b: A, c: A };
    expect(packStamps(data, fieldHlc, false)).toEqual(fieldHlc);
    expect(packStamps(data, fieldHlc, true)).toEqual({ [BASE]: A });
    expect(packingOn()).toBe(true);
    setOlderInstancesSeen(true);
    try {
      expect(packStamps(data, fieldHlc)).toEqual(fieldHlc);
    } finally {
      setOlderInstancesSeen(false);
    }
    expect(packStamps(data, fieldHlc)).toEqual({ [BASE]: A });
  });

  it('are packed unless SERVER_PACKED_STAMPS says no, and a value that says neither stops the server', () => {
    for (const v of [undefined, '', '1', 'on', 'TRUE', 'yes']) expect(packingSetting({ SERVER_PACKED_STAMPS: v })).toBe(true);
    for (const v of ['0', 'off', 'False', ' no ']) expect(packingSetting({ SERVER_PACKED_STAMPS: v })).toBe(false);
    for (const v of ['2', 'disable', 'whole']) expect(packingSetting({ SERVER_PACKED_STAMPS: v })).toBeNull();
  });
});
