import { bpPercent, formatRupees } from '../../shared/money';
import { amount, drawFooters, MUTED, openDocument, pageGeometry, RULE, STAMP_RED, type PageGeometry } from './counter-page';
import { fitTable, lineRows, PageFlow, spacer, tableBlock, tableRow, type Cell, type ColumnSpec, type FlowBlock, type FlowRow } from './flow';
import { FONT } from './fonts';
import { formatDate } from './format';
import { ACCENT, drawLetterhead, type ImageSource } from './letterhead';
import { drawLines, layout, type Doc } from './text';

/**
 * One page for the accountant: the GSTR-1 figures of a period, section by section (B2C others by
 * rate, HSN/SAC summary totals, nil/exempt/non-GST, documents issued), the warnings, and the plain
 * statement that the clinic software prepared it and it must be checked before filing. Pure: a
 * view model in integer paise in, PDF bytes out; the creation date is the period's last day.
 */

export interface GstSummaryDoc {
  clinic: { name: string; address: string; phone: string; logo?: ImageSource; gstin: string; stateCode: string };
  range: { from: string; to: string };
  /** "MMYYYY". */
  period: string;
  wholeMonth: boolean;
  b2cs: { rateBp: number; taxablePaise: number; cgstPaise: number; sgstPaise: number }[];
  hsn: { code: string; rateBp: number; taxablePaise: number; cgstPaise: number; sgstPaise: number }[];
  nil: { exemptPaise: number; nilPaise: number; nonGstPaise: number };
  documents: { label: string; series: { series: string; from: string; to: string; total: number; cancelled: number }[] }[];
  totals: { taxablePaise: number; cgstPaise: number; sgstPaise: number; noTaxPaise: number };
  warnings: string[];
}

export const PREPARED_NOTE = 'Prepared by the clinic software from its own records: check before filing.';

function kitFor(doc: Doc, g: PageGeometry) {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const heading = (text: string): FlowRow[] => [...lineRows(doc, layout(doc, [{ text, size: 10.5 * s, style: 'bold', color: ACCENT }], w), x), spacer(2 * s)];
  const table = (title: string, specs: ColumnSpec[], rows: Cell[][], total: Cell[] | null): FlowBlock => {
    const fitted = fitTable(doc, specs, total ? [...rows, total] : rows, w, { x, size: 8.5 * s, padX: 3 * s, padY: 2 * s }, 6);
    const body = rows.map((r) => tableRow(doc, fitted.columns, r, fitted.style));
    if (total) body.push(tableRow(doc, fitted.columns, total, fitted.style, { bold: true, rule: 'strong' }));
    return tableBlock(doc, fitted.columns, body, fitted.style, { before: 8 * s, heading: heading(title), keepTogether: true });
  };
  const note = (text: string, color = MUTED, bold = false): FlowBlock => ({ rows: lineRows(doc, layout(doc, [{ text, size: 8.5 * s, color, ...(bold ? { style: 'bold' as const } : {}) }], w), x), before: 3 * s });
  return { s, table, note };
}

const money = (label: string): ColumnSpec => ({ header: `${label} (₹)`, align: 'right', minWidth: 55 });

function blocksOf(doc: Doc, g: PageGeometry, d: GstSummaryDoc): FlowBlock[] {
  const { table, note } = kitFor(doc, g);
  const t = d.totals;
  const hsnSum = (k: 'taxablePaise' | 'cgstPaise' | 'sgstPaise') => d.hsn.reduce((a, r) => a + r[k], 0);
  const docs = d.documents.flatMap((g2) => g2.series.map((x): Cell[] => [g2.label, `${x.from} – ${x.to}`, String(x.total), String(x.cancelled), String(x.total - x.cancelled)]));
  return [
    table(
      `B2C (others), table 7: intra-state, place of supply ${d.clinic.stateCode}`,
      [{ header: 'Rate', align: 'left', flex: true, minWidth: 60 }, money('Taxable value'), money('CGST'), money('SGST')],
      d.b2cs.map((r) => [bpPercent(r.rateBp), amount(r.taxablePaise), amount(r.cgstPaise), amount(r.sgstPaise)]),
      ['Total', amount(t.taxablePaise), amount(t.cgstPaise), amount(t.sgstPaise)],
    ),
    table(
      'HSN/SAC summary, table 12',
      [{ header: 'Rows', align: 'left', flex: true, minWidth: 60 }, money('Taxable value'), money('CGST'), money('SGST')],
      [],
      [`${d.hsn.length} code and rate row${d.hsn.length === 1 ? '' : 's'} (taxable, exempt, nil rated)`, amount(hsnSum('taxablePaise')), amount(hsnSum('cgstPaise')), amount(hsnSum('sgstPaise'))],
    ),
    table(
      'Nil rated, exempted and non-GST supplies, table 8 (intra-state, unregistered)',
      [{ header: 'Supplies', align: 'left', flex: true, minWidth: 60 }, money('Nil rated'), money('Exempted'), money('Non-GST')],
      [],
      ['Intra-state B2C', amount(d.nil.nilPaise), amount(d.nil.exemptPaise), amount(d.nil.nonGstPaise)],
    ),
    table(
      'Documents issued, table 13',
      [{ header: 'Nature of document', align: 'left', minWidth: 60 }, { header: 'From – to', align: 'left', flex: true, minWidth: 80 }, { header: 'Total', align: 'right' }, { header: 'Cancelled', align: 'right' }, { header: 'Net issued', align: 'right' }],
      docs.length > 0 ? docs : [['None', '', '', '', '']],
      null,
    ),
    ...d.warnings.map((w) => note(`Check: ${w}`, STAMP_RED)),
    note(`Tax in the period: ${formatRupees(t.cgstPaise + t.sgstPaise)} on taxable supplies of ${formatRupees(t.taxablePaise)}; supplies without tax ${formatRupees(t.noTaxPaise)}.`),
    note(PREPARED_NOTE, '#000000', true),
  ];
}

export async function renderGstSummaryPdf(d: GstSummaryDoc): Promise<Buffer> {
  const g = pageGeometry('A4');
  const { doc, done } = openDocument(g, { title: `GSTR-1 summary ${d.period}`, author: d.clinic.name.trim(), date: d.range.to });
  const s = g.scale;
  const w = g.contentWidth;
  const period = d.wholeMonth ? `Return period ${d.period.slice(0, 2)}/${d.period.slice(2)}` : `Return period ${d.period.slice(0, 2)}/${d.period.slice(2)} (part)`;
  const lines = [
    ...layout(doc, [{ text: 'GSTR-1 Summary', size: 15 * s, style: 'bold', color: ACCENT }], w),
    ...layout(doc, [{ text: `${period} · ${formatDate(d.range.from)} to ${formatDate(d.range.to)} · GSTIN ${d.clinic.gstin}`, size: 9.5 * s, style: 'bold' }], w),
  ];
  const header = (): number => {
    let y = drawLetterhead(doc, { name: d.clinic.name, address: d.clinic.address, phone: d.clinic.phone, logo: d.clinic.logo ?? null, extraLines: [`GSTIN: ${d.clinic.gstin}`] }, { x: g.left, y: g.top, width: w, scale: s, doctor: null });
    y = drawLines(doc, lines, g.left, y, w, 'center') + 4 * s;
    doc.save().moveTo(g.left, y).lineTo(g.left + w, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    return y + 4 * s;
  };
  const flow = new PageFlow(doc, g, g.contentBottom, header);
  flow.newPage();
  flow.placeAll(blocksOf(doc, g, d));
  drawFooters(doc, g, { left: `GSTR-1 summary ${d.clinic.gstin} ${d.period}`, note: null });
  doc.font(FONT.regular);
  doc.end();
  return done;
}
