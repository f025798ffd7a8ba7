import { isValidDate } from '../../../shared/clinic-time';
import { GST_RATES_BP } from '../../../shared/money';
import { purchaseLineMoney, type LineMoney } from '../../../shared/purchase-money';
import type { Input } from '../../../electron/api';
import { paiseOf } from '../billing/money';

/*
 * A purchase line as typed (text in every box) and as sent (integer paise, basis points, units).
 * The field names are the API's, so a refusal's `lines.N.field` lands on the line and box it names.
 */

export type PurchaseLine = Input<'pharmacy.purchase'>['lines'][number];

export interface LineDraft {
  drugId: string;
  /** What the picked drug is called on screen. */
  drugLabel: string;
  /** A scanned code no batch or item has yet: it goes on the new batch. */
  barcode: string;
  batchNumber: string;
  expiry: string;
  packSize: string;
  packs: string;
  freePacks: string;
  rate: string;
  mrp: string;
  discount: string;
  gst: string;
  hsn: string;
}

export type LineField = 'drugId' | 'batchNumber' | 'expiry' | 'packSize' | 'packs' | 'freePacks' | 'ratePaise' | 'mrpPaise' | 'discountBp' | 'gstRateBp' | 'hsnCode';

export const LABELS: Record<LineField, string> = {
  drugId: 'Drug',
  batchNumber: 'Batch no.',
  expiry: 'Expiry',
  packSize: 'Pack size',
  packs: 'Packs',
  freePacks: 'Free',
  ratePaise: 'Rate',
  mrpPaise: 'MRP',
  discountBp: 'Disc %',
  gstRateBp: 'GST %',
  hsnCode: 'HSN',
};

export const EMPTY_LINE: LineDraft = { drugId: '', drugLabel: '', barcode: '', batchNumber: '', expiry: '', packSize: '', packs: '', freePacks: '', rate: '', mrp: '', discount: '', gst: '500', hsn: '' };

export const GST_OPTIONS = GST_RATES_BP.map((bp) => ({ value: String(bp), label: `${bp / 100}%` }));

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The expiry printed on a strip: "06/28", "6/2028" (the month's last day) or a full date "2028-06-15". */
export function expiryOf(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return isValidDate(t) ? t : null;
  const m = /^(\d{1,2})\s*[/-]\s*(\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(lastDay(year, month)).padStart(2, '0')}`;
}

/** "10", "2.5" (per cent, at most two decimals) to basis points; blank is none. */
export function bpOf(text: string): number | null {
  const t = text.trim();
  if (t === '') return 0;
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const count = (text: string, blank: number | null): number | null => {
  const t = text.trim();
  if (t === '') return blank;
  return /^\d{1,7}$/.test(t) ? Number(t) : null;
};

/**
 * Checks a typed line as the service will (expired goods, a rate above the MRP...) and gives the
 * line to send, or the message for each box that is wrong.
 */
// Long by design: one check per box, in the order the boxes are typed, each with its own message.
export function parseLine(d: LineDraft, today: string): { line: PurchaseLine | null; errors: Partial<Record<LineField, string>> } {
  const errors: Partial<Record<LineField, string>> = {};
  if (!d.drugId) errors.drugId = 'Pick the drug';
  const batchNumber = d.batchNumber.trim();
  if (!batchNumber) errors.batchNumber = 'Batch number is required';
  else if (batchNumber.length > 30) errors.batchNumber = 'At most 30 characters';
  const expiry = expiryOf(d.expiry);
  if (!expiry) errors.expiry = 'Type MM/YY as on the strip';
  else if (expiry <= today) errors.expiry = 'Already expired: do not receive it';
  const packSize = count(d.packSize, null);
  if (packSize === null || packSize < 1 || packSize > 10_000) errors.packSize = 'Units in a pack, 1 to 10,000';
  const packs = count(d.packs, null);
  if (packs === null || packs < 1 || packs > 100_000) errors.packs = 'Whole packs, at least 1';
  const freePacks = count(d.freePacks, 0);
  if (freePacks === null || freePacks > 100_000) errors.freePacks = 'Whole packs';
  const ratePaise = paiseOf(d.rate);
  if (ratePaise === null || ratePaise > 10_000_000) errors.ratePaise = 'Rupees a pack, e.g. 15.50';
  const mrpPaise = paiseOf(d.mrp);
  if (mrpPaise === null || mrpPaise < 1 || mrpPaise > 10_000_000) errors.mrpPaise = 'Rupees a pack, e.g. 25.00';
  else if (ratePaise !== null && ratePaise > mrpPaise) errors.ratePaise = 'Above the MRP';
  const discountBp = bpOf(d.discount);
  if (discountBp === null || discountBp > 10_000) errors.discountBp = 'Per cent, e.g. 2.5';
  const gstRateBp = Number(d.gst);
  if (!(GST_RATES_BP as readonly number[]).includes(gstRateBp)) errors.gstRateBp = 'Choose the GST rate';
  const hsn = d.hsn.trim();
  if (hsn.length > 8) errors.hsnCode = 'At most 8 characters';
  if (Object.keys(errors).length > 0) return { line: null, errors };
  return {
    line: {
      drugId: d.drugId,
      batchNumber,
      expiry: expiry!,
      packSize: packSize!,
      packs: packs!,
      freePacks: freePacks!,
      ratePaise: ratePaise!,
      mrpPaise: mrpPaise!,
      discountBp: discountBp!,
      gstRateBp,
      hsnCode: hsn || null,
      barcode: d.barcode.trim() || null,
    },
    errors,
  };
}

/** A line's money as the service will work it out (the same function), for the running totals. */
export function moneyOf(line: PurchaseLine): LineMoney {
  return purchaseLineMoney({ packs: line.packs, ratePaise: line.ratePaise, discountBp: line.discountBp ?? 0, gstRateBp: line.gstRateBp });
}

/** A refusal's `lines.2.expiry` as the line (0-based) and field it names. */
export function lineFieldOf(path: string): { line: number; field: string } | null {
  const m = /^lines\.(\d+)\.(\w+)$/.exec(path);
  return m ? { line: Number(m[1]), field: m[2]! } : null;
}

/** A refusal's message with "lines.2.expiry:" said the way the screen labels it ("Line 3, Expiry:"). */
export function readableMessage(message: string): string {
  return message.replace(/^lines\.(\d+)\.(\w+):/, (_all, n: string, field: string) => `Line ${Number(n) + 1}, ${LABELS[field as LineField] ?? field}:`);
}
