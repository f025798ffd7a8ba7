import { describe, expect, it } from 'vitest';
import { moneyBack, reverseLine, roundOffTaken, type LineReversal } from '../../shared/refund-lines';
import { prng } from '../helpers/prng';

/** A line of 2 × ₹300 at 18%: taxable 60000, CGST 5400, SGST 5400, 70800 paise. */
const BRACE = { quantity: 2, taxablePaise: 60_000, cgstPaise: 5400, sgstPaise: 5400, totalPaise: 70_800 };

describe('reversing part of an issued line', () => {
  it('an amount against the line splits in the line’s own proportion, and the last of it takes exactly what is left', () => {
    // ₹100 of ₹708: CGST and SGST each 10000 × 5400 / 70800 = 762.7 -> 763; taxable value the rest, 8474
    // (8474.58 exactly: the tax is rounded as the law reads, the taxable value takes the odd paisa).
    const first = reverseLine(BRACE, [], { amountPaise: 10_000 });
    expect(first).toEqual({ quantity: null, amountPaise: 10_000, taxablePaise: 8474, cgstPaise: 763, sgstPaise: 763 });
    if ('error' in first) throw new Error(first.error);
    // Both units returned after ₹100 was given back against the line: what is left of it, no more.
    expect(reverseLine(BRACE, [first], { quantity: 2 })).toEqual({ quantity: 2, amountPaise: 60_800, taxablePaise: 51_526, cgstPaise: 4637, sgstPaise: 4637 });
    expect(reverseLine(BRACE, [first], { quantity: 3 })).toEqual({ error: 'Only 2 of 2 can still be refunded' });
    const last = reverseLine(BRACE, [first], { amountPaise: 60_800 });
    expect(last).toEqual({ quantity: null, amountPaise: 60_800, taxablePaise: 51_526, cgstPaise: 4637, sgstPaise: 4637 });
    expect(reverseLine(BRACE, [first], { amountPaise: 60_801 })).toEqual({ error: 'At most ₹608.00 is left to refund on this line' });
  });

  it('units give back their share; the last unit what is left', () => {
    const one = reverseLine(BRACE, [], { quantity: 1 });
    expect(one).toEqual({ quantity: 1, amountPaise: 35_400, taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700 });
    if ('error' in one) throw new Error(one.error);
    expect(reverseLine(BRACE, [one], { quantity: 1 })).toEqual({ quantity: 1, amountPaise: 35_400, taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700 });
    expect(reverseLine(BRACE, [one, one], { quantity: 1 })).toEqual({ error: 'Nothing is left to refund on this line' });
  });

  it('never reverses a negative tax or more tax than the line carried, however it is refunded in parts (seeded random lines)', () => {
    // The review's case first: 10 units, 4502 + 113 + 113 = 4728; 7 units, 1, 1, then ₹4.68 used
    // to reverse 115 paise of SGST and then -2 on the last unit.
    const lines = [{ quantity: 10, taxablePaise: 4502, cgstPaise: 113, sgstPaise: 113, totalPaise: 4728 }];
    const r = prng(20261206);
    for (let i = 0; i < 400; i++) {
      const quantity = r.int(1, 20);
      const rateBp = r.pick([500, 1200, 1800, 2800]);
      const taxablePaise = r.int(1, 5000) * quantity;
      const half = Math.round((taxablePaise * rateBp) / 20_000);
      lines.push({ quantity, taxablePaise, cgstPaise: half, sgstPaise: half, totalPaise: taxablePaise + 2 * half });
    }
    for (const [n, line] of lines.entries()) {
      const done: LineReversal[] = [];
      const asks = n === 0 ? [{ quantity: 7 }, { quantity: 1 }, { quantity: 1 }, { amountPaise: 468 }] : [];
      for (let step = 0; step < 30; step++) {
        const taken = done.reduce((s, d) => s + d.amountPaise, 0);
        if (taken === line.totalPaise) break;
        const qLeft = line.quantity - done.reduce((s, d) => s + (d.quantity ?? 0), 0);
        const ask = asks[step] ?? (r.next() < 0.5 && qLeft > 0 ? { quantity: r.int(1, qLeft) } : { amountPaise: r.int(1, Math.max(1, Math.min(line.totalPaise - taken, 3000))) });
        const out = reverseLine(line, done, ask);
        if ('error' in out) continue;
        expect(out.amountPaise).toBe(out.taxablePaise + out.cgstPaise + out.sgstPaise);
        for (const part of [out.taxablePaise, out.cgstPaise, out.sgstPaise]) expect(part).toBeGreaterThanOrEqual(0);
        done.push(out);
        const sum = (k: 'taxablePaise' | 'cgstPaise' | 'sgstPaise') => done.reduce((s, d) => s + d[k], 0);
        expect(sum('taxablePaise')).toBeLessThanOrEqual(line.taxablePaise);
        expect(sum('cgstPaise')).toBeLessThanOrEqual(line.cgstPaise);
        expect(sum('sgstPaise')).toBeLessThanOrEqual(line.sgstPaise);
      }
      // Refunded in full, the notes reverse exactly what the line charged.
      const rest = reverseLine(line, done, { amountPaise: line.totalPaise - done.reduce((s, d) => s + d.amountPaise, 0) });
      if (!('error' in rest)) done.push(rest);
      expect(done.reduce((s, d) => s + d.sgstPaise, 0)).toBe(line.sgstPaise);
      expect(done.reduce((s, d) => s + d.cgstPaise, 0)).toBe(line.cgstPaise);
    }
  });
});

describe('the money a line refund gives back', () => {
  it('is only what was paid beyond what the bill comes to afterwards: none unpaid, the excess partly paid, all of it paid', () => {
    // ₹800 bill (consultation ₹500 + X-ray ₹300), the X-ray taken off.
    expect(moneyBack(30_000, { netPaidPaise: 0, owedPaise: 80_000 })).toBe(0);
    expect(moneyBack(30_000, { netPaidPaise: 50_000, owedPaise: 80_000 })).toBe(0);
    expect(moneyBack(30_000, { netPaidPaise: 60_000, owedPaise: 80_000 })).toBe(10_000);
    expect(moneyBack(30_000, { netPaidPaise: 80_000, owedPaise: 80_000 })).toBe(30_000);
    // Paid beyond the bill already (two desks): no more than the lines come to goes back.
    expect(moneyBack(30_000, { netPaidPaise: 90_000, owedPaise: 80_000 })).toBe(30_000);
    for (let held = 0; held <= 90_000; held += 7_000) expect(moneyBack(30_000, { netPaidPaise: held, owedPaise: 80_000 })).toBeLessThanOrEqual(held);
  });
});

describe('the round-off a line refund takes with it', () => {
  it('a round-off down goes as soon as the lines left no longer cover it, the rest with the last of the bill; a round-off up with the last only', () => {
    // ₹623.20 billed as ₹623.00 (−20): ₹500, then ₹123.10, then the last 10 paise.
    expect(roundOffTaken(50_000, { linesLeftPaise: 62_320, roundOffLeftPaise: -20 })).toBe(0);
    expect(roundOffTaken(12_310, { linesLeftPaise: 12_320, roundOffLeftPaise: -20 })).toBe(-10);
    expect(roundOffTaken(10, { linesLeftPaise: 10, roundOffLeftPaise: -10 })).toBe(-10);
    // All at once: the whole round-off.
    expect(roundOffTaken(12_320, { linesLeftPaise: 12_320, roundOffLeftPaise: -20 })).toBe(-20);
    // ₹622.70 billed as ₹623.00 (+30): nothing until the last line goes.
    expect(roundOffTaken(12_260, { linesLeftPaise: 12_270, roundOffLeftPaise: 30 })).toBe(0);
    expect(roundOffTaken(10, { linesLeftPaise: 10, roundOffLeftPaise: 30 })).toBe(30);
  });

  it('money back is never more than is held, even on a bill whose lines came off past its total', () => {
    expect(moneyBack(12_310, { netPaidPaise: 12_300, owedPaise: 12_300 })).toBe(12_300);
  });
});
