import type { AuthedContext } from '../../core/context';
import { gstr1Csv } from './csv';
import { gstr1Figures, type Gstr1Figures } from './figures';
import { gstr1Json } from './json';
import { monthRange, type GstRange } from './period';

/*
 * GST export for the accountant: the GSTR-1 sections an OPD clinic files (B2C others, HSN/SAC
 * summary, nil/exempt/non-GST, documents issued) for a month or a range of days, as the GSTN
 * offline tool's JSON, as CSV, and as a one-page summary PDF (./summary-pdf.ts).
 */

export { gstr1Figures, type Gstr1Figures } from './figures';
export { gstr1Json, type Gstr1Json } from './json';
export { gstr1Csv } from './csv';
export { monthRange, type GstRange } from './period';

/** A month ("2026-11") or a range of days. */
export type GstPeriodInput = { month: string } | GstRange;

export function rangeOf(input: GstPeriodInput): GstRange {
  return 'month' in input ? monthRange(input.month) : { from: input.from, to: input.to };
}

/** "GSTR1-27AAAPL1234C1Z5-112026" (a whole month) or "...-2026-11-01-to-2026-11-15". */
export function fileStem(f: Pick<Gstr1Figures, 'clinic' | 'period' | 'wholeMonth' | 'range'>): string {
  return `GSTR1-${f.clinic.gstin}-${f.wholeMonth ? f.period : `${f.range.from}-to-${f.range.to}`}`;
}

/** The JSON to upload, the CSV and the figures for the screen, in one reading of the database. */
export function gstr1Export(ctx: Pick<AuthedContext, 'db' | 'sqlite' | 'describe'>, input: GstPeriodInput) {
  const range = rangeOf(input);
  const figures = gstr1Figures(ctx.db, ctx.sqlite, range);
  ctx.describe({ entityType: 'reports', detail: `GSTR-1 export (JSON and CSV) ${range.from} to ${range.to}, GSTIN ${figures.clinic.gstin}, period ${figures.period}` });
  const stem = fileStem(figures);
  return {
    json: gstr1Json(figures),
    csv: gstr1Csv(figures),
    fileNames: { json: `${stem}.json`, csv: `${stem}.csv` },
    summary: figures,
  };
}
