import { describe, expect, it } from 'vitest';
import { bpOf, EMPTY_LINE, expiryOf, moneyOf, parseLine, readableMessage } from '../../renderer/src/stock/purchase-draft';

/* The Stock screen's purchase line as typed: the strip's expiry, the percentages, the checks the service makes, the money. */

const typed = { ...EMPTY_LINE, drugId: 'd1', drugLabel: 'PARACETAMOL 500 mg tablet', batchNumber: ' B-1 ', expiry: '06/28', packSize: '10', packs: '3', freePacks: '', rate: '15.50', mrp: '25', discount: '2.5', gst: '1200', hsn: '' };

describe('the purchase line as typed', () => {
  it('reads the expiry as printed on the strip (the month’s last day) or a date', () => {
    expect(expiryOf('06/28')).toBe('2028-06-30');
    expect(expiryOf('2/2028')).toBe('2028-02-29');
    expect(expiryOf('2028-06-15')).toBe('2028-06-15');
    expect(expiryOf('13/28')).toBeNull();
    expect(expiryOf('2028-02-30')).toBeNull();
  });

  it('reads percentages to basis points', () => {
    expect([bpOf(''), bpOf('10'), bpOf('2.5'), bpOf('12.75'), bpOf('1.234'), bpOf('x')]).toEqual([0, 1000, 250, 1275, null, null]);
  });

  it('gives the line the service takes, and its money worked out as the service does', () => {
    const { line, errors } = parseLine(typed, '2026-12-07');
    expect(errors).toEqual({});
    expect(line).toEqual({ drugId: 'd1', batchNumber: 'B-1', expiry: '2028-06-30', packSize: 10, packs: 3, freePacks: 0, ratePaise: 1550, mrpPaise: 2500, discountBp: 250, gstRateBp: 1200, hsnCode: null, barcode: null });
    // 3 × ₹15.50 = ₹46.50; 2.5% = ₹1.1625 → ₹1.16; taxable ₹45.34; 12% = ₹5.4408 → ₹5.44.
    expect(moneyOf(line!)).toEqual({ grossPaise: 4650, discountPaise: 116, taxablePaise: 4534, gstPaise: 544, totalPaise: 5078 });
  });

  it('refuses what the service would refuse, naming the box', () => {
    const { line, errors } = parseLine({ ...typed, drugId: '', expiry: '11/26', rate: '30', packs: '0' }, '2026-12-07');
    expect(line).toBeNull();
    expect(errors).toEqual({ drugId: 'Pick the drug', expiry: 'Already expired: do not receive it', packs: 'Whole packs, at least 1', ratePaise: 'Above the MRP' });
    expect(readableMessage('lines.1.expiry: Batch B-1 has expired')).toBe('Line 2, Expiry: Batch B-1 has expired');
  });
});
