import { bpPercent } from '../../../shared/money';
import { money, toCsv, type CsvTable } from '../reports/csv';
import type { Gstr1Figures } from './figures';

/* The same figures as CSV for the accountant's spreadsheet: one table per GSTR-1 section, money in rupees. */

export function gstr1Csv(f: Gstr1Figures): string {
  const head: CsvTable = {
    title: `GSTR-1 ${f.clinic.name} GSTIN ${f.clinic.gstin} period ${f.period} (${f.range.from} to ${f.range.to})`,
    header: ['Prepared by the clinic software: check before filing'],
    rows: f.warnings.map((w) => [w]),
  };
  const b2cs: CsvTable = {
    title: 'B2C (others) - table 7',
    header: ['Type', 'Place of supply', 'Supply type', 'Rate (%)', 'Taxable value (Rs)', 'IGST (Rs)', 'CGST (Rs)', 'SGST (Rs)', 'Cess (Rs)'],
    rows: [
      ...f.b2cs.map((r) => ['OE', f.clinic.stateCode, 'Intra-state', bpPercent(r.rateBp).replace('%', ''), money(r.taxablePaise), money(0), money(r.cgstPaise), money(r.sgstPaise), money(0)]),
      ['Total', null, null, null, money(f.totals.taxablePaise), money(0), money(f.totals.cgstPaise), money(f.totals.sgstPaise), money(0)],
    ],
  };
  const hsn: CsvTable = {
    title: 'HSN/SAC summary - table 12',
    header: ['HSN/SAC', 'Description', 'UQC', 'Quantity', 'Rate (%)', 'Taxable value (Rs)', 'IGST (Rs)', 'CGST (Rs)', 'SGST (Rs)', 'Cess (Rs)'],
    rows: f.hsn.map((r) => [r.code, r.description, r.uqc, r.quantity, bpPercent(r.rateBp).replace('%', ''), money(r.taxablePaise), money(0), money(r.cgstPaise), money(r.sgstPaise), money(0)]),
  };
  const nil: CsvTable = {
    title: 'Nil rated, exempted and non-GST supplies - table 8',
    header: ['Description', 'Nil rated (Rs)', 'Exempted (Rs)', 'Non-GST (Rs)'],
    rows: [['Intra-state supplies to unregistered persons', money(f.nil.nilPaise), money(f.nil.exemptPaise), money(f.nil.nonGstPaise)]],
  };
  const docs: CsvTable = {
    title: 'Documents issued - table 13',
    header: ['Nature of document', 'Series', 'From', 'To', 'Total number', 'Cancelled', 'Net issued'],
    rows: f.documents.flatMap((g) => g.series.map((s) => [g.label, s.series, s.from, s.to, s.total, s.cancelled, s.total - s.cancelled])),
  };
  return toCsv([head, b2cs, hsn, nil, docs]);
}
