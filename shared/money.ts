/**
 * Money arithmetic for bills: integer paise only, percentages in basis points (1 bp = 0.01%),
 * and every division rounded explicitly (half-up: half a paisa or more goes up). Nothing here
 * touches the database, so the figures can be checked on their own (test/unit/money.test.ts).
 *
 * Products of two amounts can pass 2^53 (a large discount spread over large lines), so products
 * and quotients go through BigInt; results are back in the safe-integer range.
 */

/** Largest amount a line or bill may reach: ₹100 crore (10^11 paise). Keeps every figure a safe integer. */
export const MAX_PAISE = 1_000_000_000_00;
export const BP = 10_000;

/** GST slabs in basis points: nil, 0.25%, 3%, 5%, 12%, 18%, 28%, 40%. */
export const GST_RATES_BP = [0, 25, 300, 500, 1200, 1800, 2800, 4000] as const;

function assertInt(n: number, label: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${label} must be a whole number of paise, got ${n}`);
}

/** round(a × b / d) with halves rounded away from zero; a, b integers, d a positive integer. */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  assertInt(a, 'a');
  assertInt(b, 'b');
  assertInt(d, 'd');
  if (d <= 0) throw new RangeError('divisor must be positive');
  const n = BigInt(a) * BigInt(b);
  const D = BigInt(d);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let q = abs / D;
  if ((abs % D) * 2n >= D) q += 1n;
  const out = Number(neg ? -q : q);
  assertInt(out, 'result');
  return out;
}

/** round(n / d) half-up (away from zero). */
export function divHalfUp(n: number, d: number): number {
  return mulDivHalfUp(n, 1, d);
}

/**
 * Splits `amount` over `weights` in proportion, exactly: each part is the floor of its share and
 * the paise left over go one each to the largest remainders (ties to the earlier weight). The
 * parts always add up to `amount`. All weights zero: nothing can be spread (returns zeros unless
 * amount is zero, which is an error for the caller to prevent).
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  assertInt(amount, 'amount');
  if (amount < 0) throw new RangeError('amount cannot be negative');
  const total = weights.reduce((s, w) => {
    assertInt(w, 'weight');
    if (w < 0) throw new RangeError('weights cannot be negative');
    return s + BigInt(w);
  }, 0n);
  if (total === 0n) {
    if (amount !== 0) throw new RangeError('cannot spread an amount over nothing');
    return weights.map(() => 0);
  }
  const A = BigInt(amount);
  const parts = weights.map((w) => {
    const p = A * BigInt(w);
    return { q: p / total, r: p % total };
  });
  let left = A - parts.reduce((s, p) => s + p.q, 0n);
  const order = parts.map((p, i) => ({ r: p.r, i })).sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  const out = parts.map((p) => p.q);
  for (const { i } of order) {
    if (left === 0n) break;
    out[i]! += 1n;
    left -= 1n;
  }
  return out.map(Number);
}

export interface LineFigures {
  quantity: number;
  ratePaise: number;
  /** Before tax, on this line alone. */
  discountPaise: number;
  gstRateBp: number;
  /** The rate already includes GST (medicines at MRP). */
  taxInclusive: boolean;
}

export interface ComputedLine {
  grossPaise: number;
  lineDiscountPaise: number;
  /** This line's share of the invoice discount. */
  invoiceDiscountPaise: number;
  /** What the line comes to after both discounts (tax included for MRP lines). */
  amountPaise: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  totalPaise: number;
}

/**
 * An invoice's totals: computed here, stored on the invoice when it is issued (db/schema) and
 * printed (electron/pdf/invoice.ts). One type for all three, so a figure added here reaches each.
 */
export interface InvoiceTotals {
  grossPaise: number;
  lineDiscountPaise: number;
  invoiceDiscountPaise: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  /** Total before rounding to the rupee, the round-off (may be negative) and the amount payable. */
  exactPaise: number;
  roundOffPaise: number;
  totalPaise: number;
}

export type InvoiceDiscount = { kind: 'amount'; value: number } | { kind: 'percent'; value: number };

/** A problem with the figures, naming the input field (`lines.2.discountPaise`, `discount.value`). */
export class MoneyError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** The tax on a line: exclusive adds rate% on top; inclusive (MRP) takes the tax out of the amount. */
export function taxOf(amountPaise: number, gstRateBp: number, taxInclusive: boolean): { taxablePaise: number; taxPaise: number } {
  if (gstRateBp === 0) return { taxablePaise: amountPaise, taxPaise: 0 };
  if (taxInclusive) {
    const taxablePaise = mulDivHalfUp(amountPaise, BP, BP + gstRateBp);
    return { taxablePaise, taxPaise: amountPaise - taxablePaise };
  }
  return { taxablePaise: amountPaise, taxPaise: mulDivHalfUp(amountPaise, gstRateBp, BP) };
}

/** Intra-state supply: half central, half state; an odd paisa goes to CGST. */
export function splitTax(taxPaise: number): { cgstPaise: number; sgstPaise: number } {
  const cgstPaise = divHalfUp(taxPaise, 2);
  return { cgstPaise, sgstPaise: taxPaise - cgstPaise };
}

/** To the nearest rupee, 50 paise and above going up. */
export function roundToRupee(paise: number): number {
  return divHalfUp(paise, 100) * 100;
}

/**
 * Every figure of a bill from its lines: gross = quantity × rate, less the line's own discount;
 * the invoice discount (an amount, or basis points of what the lines come to) is spread over the
 * lines in proportion; tax per line; CGST/SGST; the exact total, rounded to the rupee with the
 * round-off shown. Throws MoneyError for impossible figures.
 */
export function computeInvoice(lines: readonly LineFigures[], discount: InvoiceDiscount | null): { lines: ComputedLine[]; totals: InvoiceTotals } {
  const nets = lines.map((l, i) => {
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) throw new MoneyError(`lines.${i}.quantity`, 'Quantity must be a whole number above zero');
    if (!Number.isSafeInteger(l.ratePaise) || l.ratePaise < 0) throw new MoneyError(`lines.${i}.ratePaise`, 'Rate must be whole paise, not negative');
    if (!Number.isSafeInteger(l.discountPaise) || l.discountPaise < 0) throw new MoneyError(`lines.${i}.discountPaise`, 'Discount must be whole paise, not negative');
    if (!Number.isSafeInteger(l.gstRateBp) || l.gstRateBp < 0 || l.gstRateBp > BP) throw new MoneyError(`lines.${i}.gstRateBp`, 'GST rate must be 0 to 10000 basis points');
    const gross = l.quantity * l.ratePaise;
    if (!Number.isSafeInteger(gross) || gross > MAX_PAISE) throw new MoneyError(`lines.${i}.quantity`, 'This line is too large');
    if (l.discountPaise > gross) throw new MoneyError(`lines.${i}.discountPaise`, 'The discount is more than the line');
    return { gross, net: gross - l.discountPaise };
  });
  const netSum = nets.reduce((s, n) => s + n.net, 0);
  if (netSum > MAX_PAISE) throw new MoneyError('lines', 'This bill is too large');

  let invoiceDiscount = 0;
  if (discount) {
    if (!Number.isSafeInteger(discount.value) || discount.value < 0) throw new MoneyError('discount.value', 'The discount must be a whole number, not negative');
    if (discount.kind === 'percent') {
      if (discount.value > BP) throw new MoneyError('discount.value', 'A percentage discount is at most 100% (10000 basis points)');
      invoiceDiscount = mulDivHalfUp(netSum, discount.value, BP);
    } else {
      if (discount.value > netSum) throw new MoneyError('discount.value', 'The discount is more than the bill');
      invoiceDiscount = discount.value;
    }
  }
  const shares = allocate(invoiceDiscount, nets.map((n) => n.net));

  const computed = lines.map((l, i): ComputedLine => {
    const { gross, net } = nets[i]!;
    const amountPaise = net - shares[i]!;
    const { taxablePaise, taxPaise } = taxOf(amountPaise, l.gstRateBp, l.taxInclusive);
    const { cgstPaise, sgstPaise } = splitTax(taxPaise);
    return {
      grossPaise: gross,
      lineDiscountPaise: l.discountPaise,
      invoiceDiscountPaise: shares[i]!,
      amountPaise,
      taxablePaise,
      cgstPaise,
      sgstPaise,
      totalPaise: taxablePaise + cgstPaise + sgstPaise,
    };
  });
  const sum = (k: keyof ComputedLine) => computed.reduce((s, l) => s + l[k], 0);
  const taxablePaise = sum('taxablePaise');
  const cgstPaise = sum('cgstPaise');
  const sgstPaise = sum('sgstPaise');
  const exactPaise = taxablePaise + cgstPaise + sgstPaise;
  const totalPaise = roundToRupee(exactPaise);
  return {
    lines: computed,
    totals: {
      grossPaise: sum('grossPaise'),
      lineDiscountPaise: sum('lineDiscountPaise'),
      invoiceDiscountPaise: invoiceDiscount,
      taxablePaise,
      cgstPaise,
      sgstPaise,
      exactPaise,
      roundOffPaise: totalPaise - exactPaise,
      totalPaise,
    },
  };
}

/** The document's title from its lines' supply kinds (shared/supply.ts). */
export { documentType, type DocumentType } from './supply';

/** 12345 -> "123.45", -5 -> "-0.05": a decimal string made from the integer, never a float. */
export function rupees(paise: number): string {
  assertInt(paise, 'paise');
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 12345678 paise -> "₹1,23,456.78" (Indian grouping: lakh and crore). */
export function formatRupees(paise: number): string {
  const [whole, fraction] = rupees(paise).split('.') as [string, string];
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '');
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3);
  const grouped = rest ? `${rest.replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${last3}` : last3;
  return `${sign}₹${grouped}.${fraction}`;
}

/** n / 10^places as an exact decimal string without trailing zeros: (25, 4) -> "0.0025". */
export function decimalString(n: number, places: number): string {
  assertInt(n, 'n');
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(n)).padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

/** 250 -> "0.025", 500 -> "0.05", 1800 -> "0.18": basis points as a decimal fraction string. */
export function bpFraction(bp: number): string {
  return decimalString(bp, 4);
}

/** Half a rate in basis points as a fraction (the CGST or SGST part): 500 -> "0.025", 25 -> "0.00125". */
export function halfBpFraction(bp: number): string {
  return decimalString(bp * 5, 5);
}

/** 250 -> "2.5%", 1800 -> "18%". */
export function bpPercent(bp: number): string {
  assertInt(bp, 'bp');
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return `${frac ? `${whole}.${frac}` : whole}%`;
}

const ONES = [
  '', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten',
  'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen',
];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

function below100(n: number): string {
  if (n < 20) return ONES[n]!;
  const t = TENS[Math.trunc(n / 10)]!;
  return n % 10 ? `${t}-${ONES[n % 10]}` : t;
}

function below1000(n: number): string {
  const h = Math.trunc(n / 100);
  const r = n % 100;
  return [h ? `${ONES[h]} Hundred` : '', r ? below100(r) : ''].filter(Boolean).join(' ');
}

/** A whole number in Indian numbering words: 123456 -> "One Lakh Twenty-Three Thousand Four Hundred Fifty-Six". */
export function numberInWords(n: number): string {
  assertInt(n, 'n');
  if (n < 0) return `Minus ${numberInWords(-n)}`;
  if (n === 0) return 'Zero';
  const crore = Math.trunc(n / 1_00_00_000);
  const lakh = Math.trunc((n % 1_00_00_000) / 1_00_000);
  const thousand = Math.trunc((n % 1_00_000) / 1000);
  const rest = n % 1000;
  return [
    crore ? `${numberInWords(crore)} Crore` : '',
    lakh ? `${below100(lakh)} Lakh` : '',
    thousand ? `${below100(thousand)} Thousand` : '',
    rest ? below1000(rest) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** 12345678 -> "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Seventy-Eight Paise Only". */
export function amountInWords(paise: number): string {
  assertInt(paise, 'paise');
  if (paise < 0) throw new RangeError('amount in words is for amounts of zero or more');
  const r = Math.trunc(paise / 100);
  const p = paise % 100;
  return p ? `Rupees ${numberInWords(r)} and ${below100(p)} Paise Only` : `Rupees ${numberInWords(r)} Only`;
}

/**
 * The GST financial year (April-March) of a YYYY-MM-DD date: 2026-11-21 -> {label "2627", name
 * "2026-27"}; 2027-03-31 is still 2026-27 and 2027-04-01 starts 2027-28.
 */
export function financialYear(date: string): { label: string; name: string; start: string; end: string } {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const first = m >= 4 ? y : y - 1;
  const yy = (n: number) => String(n % 100).padStart(2, '0');
  return { label: `${yy(first)}${yy(first + 1)}`, name: `${first}-${yy(first + 1)}`, start: `${first}-04-01`, end: `${first + 1}-03-31` };
}

/** Invoice numbers (GST rule 46): at most 16 characters of letters, digits, `/` and `-`. */
export const INVOICE_NUMBER = /^[A-Za-z0-9/-]{1,16}$/;

export function invoiceNumber(fyLabel: string, seriesPrefix: string, seq: number): string {
  const n = `${fyLabel}/${seriesPrefix}/${String(seq).padStart(6, '0')}`;
  if (!INVOICE_NUMBER.test(n)) throw new RangeError(`invoice number ${n} breaks the 16-character rule`);
  return n;
}
