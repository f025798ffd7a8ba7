import type { SupplyEntry } from './supplies';

/*
 * GSTR-1 tables 7 (B2C others), 12 (HSN/SAC summary) and 8 (nil rated, exempted, non-GST) from
 * the period's supply lines, in integer paise. Credit-note lines carry sign -1, so every figure is
 * net of what was taken back in the period. The clinic bills only unregistered patients in its own
 * state: every supply is intra-state B2C (CGST + SGST, no IGST, no cess).
 */

export interface B2csRow {
  rateBp: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
}

export interface HsnRow {
  code: string;
  description: string;
  /** "NA" for services (SAC 99…), whose quantity is reported as 0; "NOS" (numbers) for goods. */
  uqc: 'NA' | 'NOS';
  quantity: number;
  rateBp: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
}

export interface NilFigures {
  exemptPaise: number;
  nilPaise: number;
  nonGstPaise: number;
}

/** A row whose supplies were all taken back in the period nets to nothing and is left out. */
const hasFigures = (r: { taxablePaise: number; cgstPaise: number; sgstPaise: number }) => r.taxablePaise !== 0 || r.cgstPaise !== 0 || r.sgstPaise !== 0;

/** Services have SAC codes in chapter 99; everything else is goods. */
export const isService = (code: string) => code.startsWith('99');

/** Taxable supplies by rate (the place of supply is always the clinic's state). */
export function b2csRows(entries: readonly SupplyEntry[]): B2csRow[] {
  const byRate = new Map<number, B2csRow>();
  for (const e of entries) {
    if (e.kind !== 'taxable') continue;
    const row = byRate.get(e.rateBp) ?? { rateBp: e.rateBp, taxablePaise: 0, cgstPaise: 0, sgstPaise: 0 };
    row.taxablePaise += e.sign * e.taxablePaise;
    row.cgstPaise += e.sign * e.cgstPaise;
    row.sgstPaise += e.sign * e.sgstPaise;
    byRate.set(e.rateBp, row);
  }
  return [...byRate.values()].filter(hasFigures).sort((a, b) => a.rateBp - b.rateBp);
}

/**
 * By code and rate (the same code can be billed at two rates). Taxable, exempt and nil-rated
 * supplies are listed (table 12 covers every outward supply under GST, exempt ones at rate 0);
 * non-GST supplies are outside the Act and appear only in table 8. A line without a code is
 * summed under "" and warned about by the caller. The description is the first line's.
 */
export function hsnRows(entries: readonly SupplyEntry[]): HsnRow[] {
  const rows = new Map<string, HsnRow>();
  for (const e of entries) {
    if (e.kind === 'non-gst') continue;
    const code = e.sacHsn ?? '';
    const key = `${code}|${e.rateBp}`;
    const service = isService(code);
    const row = rows.get(key) ?? { code, description: e.description.slice(0, 30), uqc: service ? 'NA' : 'NOS', quantity: 0, rateBp: e.rateBp, taxablePaise: 0, cgstPaise: 0, sgstPaise: 0 };
    if (!service) row.quantity += e.sign * e.quantity;
    row.taxablePaise += e.sign * e.taxablePaise;
    row.cgstPaise += e.sign * e.cgstPaise;
    row.sgstPaise += e.sign * e.sgstPaise;
    rows.set(key, row);
  }
  return [...rows.values()].filter((r) => r.quantity !== 0 || hasFigures(r)).sort((a, b) => (a.code === b.code ? a.rateBp - b.rateBp : a.code < b.code ? -1 : 1));
}

/** Intra-state B2C supplies that carry no tax, by kind: the value of the lines (after discounts). */
export function nilFigures(entries: readonly SupplyEntry[]): NilFigures {
  const out: NilFigures = { exemptPaise: 0, nilPaise: 0, nonGstPaise: 0 };
  for (const e of entries) {
    if (e.kind === 'exempt') out.exemptPaise += e.sign * e.taxablePaise;
    else if (e.kind === 'nil') out.nilPaise += e.sign * e.taxablePaise;
    else if (e.kind === 'non-gst') out.nonGstPaise += e.sign * e.taxablePaise;
  }
  return out;
}
