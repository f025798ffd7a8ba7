import { describe, expect, it } from 'vitest';
import { reverseLine } from '../../shared/refund-lines';

/** A line of 2 × ₹300 at 18%: taxable 60000, CGST 5400, SGST 5400, 70800 paise. */
const BRACE = { quantity: 2, taxablePaise: 60_000, cgstPaise: 5400, sgstPaise: 5400, totalPaise: 70_800 };

describe('reversing part of an issued line', () => {
  it('an amount against the line splits in the line’s own proportion, and the last of it takes exactly what is left', () => {
    // ₹100 of ₹708: taxable 10000 × 60000 / 70800 = 8474.58 -> 8475; tax 1525: CGST 762.5 -> 763, SGST 762.
    const first = reverseLine(BRACE, [], { amountPaise: 10_000 });
    expect(first).toEqual({ quantity: null, amountPaise: 10_000, taxablePaise: 8475, cgstPaise: 763, sgstPaise: 762 });
    if ('error' in first) throw new Error(first.error);
    // Both units returned after ₹100 was given back against the line: what is left of it, no more.
    expect(reverseLine(BRACE, [first], { quantity: 2 })).toEqual({ quantity: 2, amountPaise: 60_800, taxablePaise: 51_525, cgstPaise: 4637, sgstPaise: 4638 });
    expect(reverseLine(BRACE, [first], { quantity: 3 })).toEqual({ error: 'Only 2 of 2 can still be refunded' });
    const last = reverseLine(BRACE, [first], { amountPaise: 60_800 });
    expect(last).toEqual({ quantity: null, amountPaise: 60_800, taxablePaise: 51_525, cgstPaise: 4637, sgstPaise: 4638 });
    expect(reverseLine(BRACE, [first], { amountPaise: 60_801 })).toEqual({ error: 'At most ₹608.00 is left to refund on this line' });
  });

  it('units give back their share; the last unit what is left', () => {
    const one = reverseLine(BRACE, [], { quantity: 1 });
    expect(one).toEqual({ quantity: 1, amountPaise: 35_400, taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700 });
    if ('error' in one) throw new Error(one.error);
    expect(reverseLine(BRACE, [one], { quantity: 1 })).toEqual({ quantity: 1, amountPaise: 35_400, taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700 });
    expect(reverseLine(BRACE, [one, one], { quantity: 1 })).toEqual({ error: 'Nothing is left to refund on this line' });
  });
});
