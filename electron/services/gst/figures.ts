import { isNull } from 'drizzle-orm';
import type { Db } from '../../../db/open';
import type Database from '../../../db/sqlite';
import { facility } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { documentsIssued, type DocGroup } from './documents';
import { isWholeMonth, returnPeriod, stateCodeOf, type GstRange } from './period';
import { b2csRows, hsnRows, nilFigures, type B2csRow, type HsnRow, type NilFigures } from './sections';
import { suppliesIn } from './supplies';

/* The GSTR-1 figures of a period in integer paise: what the JSON, the CSV, the PDF and the screen show. */

export interface Gstr1Figures {
  clinic: { name: string; gstin: string; stateCode: string };
  range: GstRange;
  /** "MMYYYY". */
  period: string;
  wholeMonth: boolean;
  b2cs: B2csRow[];
  hsn: HsnRow[];
  nil: NilFigures;
  documents: DocGroup[];
  totals: { taxablePaise: number; cgstPaise: number; sgstPaise: number; noTaxPaise: number };
  /** What the accountant should look at before filing. */
  warnings: string[];
}

/**
 * The clinic's name and GSTIN. GSTR-1 is filed only by a registered person and the portal refuses
 * a file without a GSTIN, so a clinic with none is told where to enter it rather than handed a
 * file it cannot use.
 */
export function clinicForGst(db: Db): Gstr1Figures['clinic'] {
  const f = db.select().from(facility).where(isNull(facility.deletedAt)).get();
  const gstin = f?.letterhead.gstin?.trim().toUpperCase() ?? '';
  if (!gstin) {
    throw new ApiFailure(
      'conflict',
      "The clinic has no GSTIN, so there is no GSTR-1 to file. Enter the facility's GSTIN (Facility screen, Clinic and letterhead, GSTIN) and export again.",
      { 'facility.letterhead.gstin': 'The clinic has no GSTIN' },
    );
  }
  return { name: f?.name ?? '', gstin, stateCode: stateCodeOf(gstin) };
}

function warningsOf(f: Omit<Gstr1Figures, 'warnings'>, uncoded: number): string[] {
  const w: string[] = [];
  if (!f.wholeMonth) w.push(`These figures cover ${f.range.from} to ${f.range.to}, not one whole month: file the return for a whole month (or quarter) only.`);
  if (uncoded > 0) w.push(`${uncoded} line${uncoded === 1 ? ' has' : 's have'} no HSN/SAC code; they are summed under a blank code in the HSN summary.`);
  for (const r of f.b2cs) if (r.taxablePaise < 0) w.push(`Credit notes at ${r.rateBp / 100}% exceed the supplies at that rate in this period (net taxable value is negative).`);
  for (const g of f.documents) {
    for (const s of g.series) if (s.missing > 0) w.push(`${g.label} series ${s.series}: ${s.missing} number${s.missing === 1 ? '' : 's'} between ${s.from} and ${s.to} not issued in this period.`);
  }
  return w;
}

export function gstr1Figures(db: Db, sqlite: Database.Database, range: GstRange): Gstr1Figures {
  const clinic = clinicForGst(db);
  const entries = suppliesIn(db, range);
  const b2cs = b2csRows(entries);
  const nil = nilFigures(entries);
  const sum = (k: 'taxablePaise' | 'cgstPaise' | 'sgstPaise') => b2cs.reduce((s, r) => s + r[k], 0);
  const base = {
    clinic,
    range,
    period: returnPeriod(range),
    wholeMonth: isWholeMonth(range),
    b2cs,
    hsn: hsnRows(entries),
    nil,
    documents: documentsIssued(sqlite, range),
    totals: { taxablePaise: sum('taxablePaise'), cgstPaise: sum('cgstPaise'), sgstPaise: sum('sgstPaise'), noTaxPaise: nil.exemptPaise + nil.nilPaise + nil.nonGstPaise },
  };
  const uncoded = entries.filter((e) => e.kind !== 'non-gst' && e.sacHsn === null).length;
  return { ...base, warnings: warningsOf(base, uncoded) };
}
