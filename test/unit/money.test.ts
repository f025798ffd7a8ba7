import { describe, expect, it } from 'vitest';
import {
  allocate,
  amountInWords,
  bpPercent,
  computeInvoice,
  decimalString,
  divHalfUp,
  documentType,
  financialYear,
  formatRupees,
  halfBpFraction,
  invoiceNumber,
  MoneyError,
  mulDivHalfUp,
  numberInWords,
  roundToRupee,
  rupees,
  splitTax,
  taxOf,
  type LineFigures,
} from '../../shared/money';
import { prng } from '../helpers/prng';

const exempt = (ratePaise: number, quantity = 1): LineFigures => ({ quantity, ratePaise, discountPaise: 0, gstRateBp: 0, taxInclusive: false });
const mrp = (quantity: number, ratePaise: number, gstRateBp = 500): LineFigures => ({ quantity, ratePaise, discountPaise: 0, gstRateBp, taxInclusive: true });

/** The visit of the brief: consultation ₹500 (exempt), 10 × ₹3.40 and 2 × ₹47.25 at MRP incl. 5% GST. */
const VISIT = [exempt(50_000), mrp(10, 340), mrp(2, 4725)];

describe('rounding', () => {
  it('rounds halves up (away from zero) and everything else to the nearest paisa', () => {
    expect(divHalfUp(5, 2)).toBe(3); // 2.5 -> 3
    expect(divHalfUp(7, 2)).toBe(4); // 3.5 -> 4
    expect(divHalfUp(149, 100)).toBe(1);
    expect(divHalfUp(150, 100)).toBe(2);
    expect(divHalfUp(-150, 100)).toBe(-2);
    expect(divHalfUp(-149, 100)).toBe(-1);
    expect(mulDivHalfUp(3400, 10_000, 10_500)).toBe(3238); // 3238.095...
    expect(mulDivHalfUp(8977, 10_000, 10_500)).toBe(8550); // 8549.52... -> up
    // Products beyond 2^53 stay exact.
    expect(mulDivHalfUp(9_000_000_000_000, 9_000, 81_000)).toBe(1_000_000_000_000);
    expect(() => mulDivHalfUp(1.5, 2, 3)).toThrow(RangeError);
  });

  it('rounds to the rupee at 50 paise', () => {
    expect(roundToRupee(62_850)).toBe(62_900); // ₹628.50 -> ₹629
    expect(roundToRupee(62_849)).toBe(62_800);
    expect(roundToRupee(59_707)).toBe(59_700);
    expect(roundToRupee(0)).toBe(0);
  });

  it('splits tax into CGST and SGST with the odd paisa on CGST', () => {
    expect(splitTax(162)).toEqual({ cgstPaise: 81, sgstPaise: 81 });
    expect(splitTax(149)).toEqual({ cgstPaise: 75, sgstPaise: 74 });
    expect(splitTax(0)).toEqual({ cgstPaise: 0, sgstPaise: 0 });
  });

  it('takes tax out of an MRP and adds it to an exclusive rate', () => {
    expect(taxOf(9450, 500, true)).toEqual({ taxablePaise: 9000, taxPaise: 450 });
    expect(taxOf(3400, 500, true)).toEqual({ taxablePaise: 3238, taxPaise: 162 });
    // ₹1,234.56 + 18% = 222.2208 -> 222.22
    expect(taxOf(123_456, 1800, false)).toEqual({ taxablePaise: 123_456, taxPaise: 22_222 });
    // 0.25%: ₹2.00 -> 0.5 paisa -> 1 paisa (half-up)
    expect(taxOf(200, 25, false)).toEqual({ taxablePaise: 200, taxPaise: 1 });
    expect(taxOf(5000, 0, true)).toEqual({ taxablePaise: 5000, taxPaise: 0 });
  });
});

describe('allocate (largest remainder)', () => {
  it('spreads an amount in proportion and always adds up exactly', () => {
    // 5000 over 50000 / 3400 / 9450: 3977.72, 270.49, 751.79 -> floors 3977, 270, 751 (4998);
    // the two paise left go to the largest remainders .79 and .72.
    expect(allocate(5000, [50_000, 3400, 9450])).toEqual([3978, 270, 752]);
    expect(allocate(1, [1, 1, 1])).toEqual([1, 0, 0]); // ties: the earlier line
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(allocate(10, [0, 5])).toEqual([0, 10]);
    expect(() => allocate(1, [0, 0])).toThrow(RangeError);
  });
});

describe('an invoice worked by hand', () => {
  it('a consultation and two MRP medicines come to ₹629.00 with +₹0.50 round-off', () => {
    // Consultation ₹500.00, exempt:            taxable 500.00, tax 0
    // 10 × ₹3.40 = ₹34.00 at MRP incl. 5%:     taxable = 3400 × 10000 / 10500 = 3238.095 -> 3238
    //                                           tax 3400 - 3238 = 162 -> CGST 81, SGST 81
    // 2 × ₹47.25 = ₹94.50 at MRP incl. 5%:     taxable = 9450 × 10000 / 10500 = 9000 exactly
    //                                           tax 450 -> CGST 225, SGST 225
    // taxable 622.38 + CGST 3.06 + SGST 3.06 = 628.50 exact -> ₹629.00 (half-up), round-off +0.50
    const { lines, totals } = computeInvoice(VISIT, null);
    expect(lines.map((l) => [l.taxablePaise, l.cgstPaise, l.sgstPaise, l.totalPaise])).toEqual([
      [50_000, 0, 0, 50_000],
      [3238, 81, 81, 3400],
      [9000, 225, 225, 9450],
    ]);
    expect(totals).toEqual({
      grossPaise: 62_850,
      lineDiscountPaise: 0,
      invoiceDiscountPaise: 0,
      taxablePaise: 62_238,
      cgstPaise: 306,
      sgstPaise: 306,
      exactPaise: 62_850,
      roundOffPaise: 50,
      totalPaise: 62_900,
    });
    // An exempt consultation beside taxed medicines: invoice-cum-bill of supply (rule 46A).
    expect(documentType(VISIT)).toBe('Invoice-cum-Bill of Supply');
    expect(documentType([exempt(50_000), exempt(30_000)])).toBe('Bill of Supply');
  });

  it('a ₹50 invoice discount is spread over the lines exactly', () => {
    // Shares of 5000 over 50000/3400/9450 (see allocate): 3978, 270, 752.
    // Line amounts 46022, 3130, 8698.
    // 3130: taxable 3130 × 10000/10500 = 2980.95 -> 2981, tax 149 -> CGST 75, SGST 74
    // 8698: taxable 8698 × 10000/10500 = 8283.81 -> 8284, tax 414 -> 207 + 207
    // taxable 46022 + 2981 + 8284 = 57287; CGST 282; SGST 281; exact 578.50 -> ₹579, round-off +0.50
    const { lines, totals } = computeInvoice(VISIT, { kind: 'amount', value: 5000 });
    expect(lines.map((l) => l.invoiceDiscountPaise)).toEqual([3978, 270, 752]);
    expect(lines.map((l) => [l.taxablePaise, l.cgstPaise, l.sgstPaise])).toEqual([
      [46_022, 0, 0],
      [2981, 75, 74],
      [8284, 207, 207],
    ]);
    expect(totals).toMatchObject({ invoiceDiscountPaise: 5000, taxablePaise: 57_287, cgstPaise: 282, sgstPaise: 281, exactPaise: 57_850, roundOffPaise: 50, totalPaise: 57_900 });
  });

  it('a 5% invoice discount is worked on the bill, rounded half-up, and spread exactly', () => {
    // 5% of 62850 = 3142.5 -> 3143. Shares: 2500.40, 170.03, 472.58 -> 2500, 170, 472 (3142) + 1 to .58
    // Amounts 47500, 3230, 8977.
    // 3230: taxable 3076.19 -> 3076, tax 154 -> 77 + 77
    // 8977: taxable 8549.52 -> 8550, tax 427 -> CGST 214 (213.5 up), SGST 213
    // taxable 59126; CGST 291; SGST 290; exact 597.07 -> ₹597, round-off -0.07
    const { lines, totals } = computeInvoice(VISIT, { kind: 'percent', value: 500 });
    expect(lines.map((l) => l.invoiceDiscountPaise)).toEqual([2500, 170, 473]);
    expect(totals).toMatchObject({ invoiceDiscountPaise: 3143, taxablePaise: 59_126, cgstPaise: 291, sgstPaise: 290, exactPaise: 59_707, roundOffPaise: -7, totalPaise: 59_700 });
  });

  it('refuses impossible figures, naming the field', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof MoneyError ? e.field : String(e);
      }
      return 'no error';
    };
    expect(err(() => computeInvoice([{ ...exempt(100), discountPaise: 101 }], null))).toBe('lines.0.discountPaise');
    expect(err(() => computeInvoice([exempt(100), { ...exempt(100), quantity: 0 }], null))).toBe('lines.1.quantity');
    expect(err(() => computeInvoice([exempt(100)], { kind: 'amount', value: 101 }))).toBe('discount.value');
    expect(err(() => computeInvoice([exempt(100)], { kind: 'percent', value: 10_001 }))).toBe('discount.value');
    expect(err(() => computeInvoice([{ ...exempt(1.5) }], null))).toBe('lines.0.ratePaise');
  });
});

describe('words and numbers', () => {
  it('writes amounts in Indian numbering', () => {
    expect(amountInWords(12_345_678)).toBe('Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight Paise Only');
    expect(amountInWords(62_900)).toBe('Rupees Six Hundred Twenty-Nine Only');
    expect(amountInWords(50)).toBe('Rupees Zero and Fifty Paise Only');
    expect(amountInWords(0)).toBe('Rupees Zero Only');
    expect(numberInWords(10_000_000)).toBe('One Crore');
    expect(numberInWords(10_500_010)).toBe('One Crore Five Lakh Ten');
    expect(numberInWords(1_234_567_890)).toBe('One Hundred Twenty-Three Crore Forty-Five Lakh Sixty-Seven Thousand Eight Hundred Ninety');
    expect(numberInWords(100_000)).toBe('One Lakh');
    expect(numberInWords(1001)).toBe('One Thousand One');
    expect(numberInWords(90)).toBe('Ninety');
    expect(numberInWords(19)).toBe('Nineteen');
  });

  it('formats paise as rupees by string, never by float', () => {
    expect(rupees(62_900)).toBe('629.00');
    expect(rupees(5)).toBe('0.05');
    expect(rupees(-7)).toBe('-0.07');
    expect(formatRupees(12_345_678)).toBe('₹1,23,456.78');
    expect(formatRupees(50_000)).toBe('₹500.00');
    expect(formatRupees(1_000_000_000)).toBe('₹1,00,00,000.00');
    expect(decimalString(25, 4)).toBe('0.0025');
    expect(decimalString(10_000, 4)).toBe('1');
    expect(halfBpFraction(500)).toBe('0.025');
    expect(halfBpFraction(1800)).toBe('0.09');
    expect(bpPercent(250)).toBe('2.5%');
    expect(bpPercent(1800)).toBe('18%');
  });

  it('knows the financial year and keeps invoice numbers within 16 characters', () => {
    expect(financialYear('2026-11-21').label).toBe('2627');
    expect(financialYear('2027-03-31').label).toBe('2627');
    expect(financialYear('2027-04-01')).toEqual({ label: '2728', name: '2027-28', start: '2027-04-01', end: '2028-03-31' });
    expect(financialYear('2099-12-01').label).toBe('9900');
    expect(invoiceNumber('2627', 'A', 1)).toBe('2627/A/000001');
    const longest = invoiceNumber('2627', 'ABCD', 999_999);
    expect(longest).toBe('2627/ABCD/999999');
    expect(longest.length).toBe(16);
    expect(() => invoiceNumber('2627', 'ABCD', 1_000_000)).toThrow(/16-character/);
  });
});

describe('10,000 random invoices', () => {
  it('always add up exactly, to whole paise, with every rounding within half a paisa', () => {
    const r = prng(20261121);
    const RATES = [0, 0, 0, 25, 300, 500, 500, 500, 1200, 1800, 2800, 4000];
    const problems: string[] = [];
    for (let n = 0; n < 10_000; n++) {
      const lines: LineFigures[] = Array.from({ length: r.int(1, 8) }, () => {
        const quantity = r.int(1, r.next() < 0.8 ? 10 : 500);
        const ratePaise = r.next() < 0.05 ? 0 : r.int(1, r.next() < 0.9 ? 200_000 : 50_000_000);
        const gross = quantity * ratePaise;
        return {
          quantity,
          ratePaise,
          discountPaise: r.next() < 0.3 ? r.int(0, gross) : 0,
          gstRateBp: r.pick(RATES),
          taxInclusive: r.next() < 0.5,
        };
      });
      const nets = lines.map((l) => l.quantity * l.ratePaise - l.discountPaise);
      const netSum = nets.reduce((s, x) => s + x, 0);
      const roll = r.next();
      const discount =
        roll < 0.4 ? null : roll < 0.7 ? { kind: 'amount' as const, value: r.int(0, netSum) } : { kind: 'percent' as const, value: r.int(0, 10_000) };
      const { lines: out, totals } = computeInvoice(lines, discount);
      const check = (ok: boolean, what: string) => {
        if (!ok && problems.length < 20) problems.push(`case ${n}: ${what} ${JSON.stringify({ lines, discount, totals })}`);
      };
      const all = [...Object.values(totals), ...out.flatMap((l) => Object.values(l))];
      check(all.every((v) => Number.isSafeInteger(v)), 'a figure is not whole paise');
      check(totals.totalPaise === totals.taxablePaise + totals.cgstPaise + totals.sgstPaise + totals.roundOffPaise, 'total != taxable + CGST + SGST + round-off');
      check(totals.exactPaise === out.reduce((s, l) => s + l.totalPaise, 0), 'exact != sum of lines');
      check(totals.totalPaise % 100 === 0, 'total not in whole rupees');
      check(totals.roundOffPaise > -50 && totals.roundOffPaise <= 50, 'round-off beyond half a rupee');
      check(totals.invoiceDiscountPaise === out.reduce((s, l) => s + l.invoiceDiscountPaise, 0), 'discount shares do not add up');
      if (discount?.kind === 'amount') check(totals.invoiceDiscountPaise === discount.value, 'amount discount changed');
      if (discount?.kind === 'percent') check(totals.invoiceDiscountPaise === divHalfUp(netSum * discount.value, 10_000), 'percent discount wrong');
      out.forEach((l, i) => {
        const line = lines[i]!;
        // Each share is within one paisa of its exact proportion.
        if (netSum > 0) check(Math.abs(l.invoiceDiscountPaise * netSum - totals.invoiceDiscountPaise * nets[i]!) < netSum, `line ${i} share off`);
        check(l.amountPaise === nets[i]! - l.invoiceDiscountPaise && l.amountPaise >= 0, `line ${i} amount`);
        const tax = l.cgstPaise + l.sgstPaise;
        check(l.cgstPaise - l.sgstPaise === 0 || l.cgstPaise - l.sgstPaise === 1, `line ${i} CGST/SGST split`);
        if (line.taxInclusive) {
          // The MRP is what the patient pays: taxable + tax is the line amount, and the taxable
          // value is within half a paisa of amount / (1 + rate).
          check(l.taxablePaise + tax === l.amountPaise, `line ${i} MRP not kept`);
          check(Math.abs(l.taxablePaise * (10_000 + line.gstRateBp) - l.amountPaise * 10_000) * 2 <= 10_000 + line.gstRateBp, `line ${i} taxable rounding`);
        } else {
          check(l.taxablePaise === l.amountPaise, `line ${i} taxable`);
          check(Math.abs(tax * 10_000 - l.taxablePaise * line.gstRateBp) * 2 <= 10_000, `line ${i} tax rounding`);
        }
      });
    }
    expect(problems).toEqual([]);
  });
});
